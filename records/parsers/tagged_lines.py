"""What the line-tagged exports of reference managers share (RefWorks tagged, Refer/BibIX):
records of ``TAG value`` lines, a value continued on untagged lines, and the reference-type
names of EndNote and RefWorks as CSL types.

Written by hand: these are line formats no maintained Python library reads (rispy reads RIS
only), and each line keeps its number so a failure can name its place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from records.model import CSLItem
from records.normalize.types import normalize_type
from records.parsers.fields import month_number

# Reference types of EndNote (Refer ``%0``) and RefWorks (``RT``) as Zotero's translators import
# them, taken to CSL as Zotero's CSL mapping does; where CSL has a closer type it is used
# (docs/conformance.md).
REFERENCE_TYPES = {
    "journal article": "article-journal",
    "journal, electronic": "article-journal",
    "electronic article": "article-journal",
    "abstract": "article-journal",
    "book": "book",
    "book, whole": "book",
    "book, edited": "book",
    "edited book": "book",
    "electronic book": "book",
    "monograph": "book",
    "book section": "chapter",
    "book, section": "chapter",
    "electronic book section": "chapter",
    "conference paper": "paper-conference",
    "conference proceedings": "paper-conference",
    "thesis": "thesis",
    "thesis, unpublished": "thesis",
    "dissertation": "thesis",
    "dissertation/thesis": "thesis",
    "report": "report",
    "grant": "report",
    "government document": "report",
    "magazine article": "article-magazine",
    "newspaper article": "article-newspaper",
    "web page": "webpage",
    "online discussion forum": "post",
    "patent": "patent",
    "map": "map",
    "motion picture": "motion_picture",
    "film or broadcast": "motion_picture",
    "video": "motion_picture",
    "dvd": "motion_picture",
    "sound recording": "song",
    "music score": "musical_score",
    "computer program": "software",
    "case": "legal_case",
    "court decisions": "legal_case",
    "bills": "bill",
    "bill": "bill",
    "resolutions": "bill",
    "statutes": "legislation",
    "statute": "legislation",
    "laws": "legislation",
    "hearing": "hearing",
    "personal communication": "personal_communication",
    "unpublished material": "manuscript",
    "unpublished work": "manuscript",
    "manuscript": "manuscript",
    "artwork": "graphic",
    "chart or table": "graphic",
    "figure": "figure",
    "dataset": "dataset",
    "dictionary": "entry-dictionary",
    "encyclopedia": "entry-encyclopedia",
    "standard": "standard",
    "generic": "document",
}


def reference_type(name: str | None) -> str | None:
    """``"Book, Section"`` -> ``"chapter"``; unknown names go through the shared type table."""
    if not name:
        return None
    key = re.sub(r"\s+", " ", name).strip().casefold()
    return REFERENCE_TYPES.get(key) or normalize_type(name)


Tags = list[tuple[str, str, int]]


def read_tagged(
    text: str, match: Callable[[str], tuple[str, str] | None], starts: Callable[[str], bool]
) -> Iterator[tuple[int, Tags, str]]:
    """The records of a line-tagged text: (first line number, [(tag, value, line)], raw text).

    ``match`` reads one line's tag and value (``None`` for an untagged line, which continues
    the value before it); ``starts(tag)`` says whether a tag opens a new record; a blank line
    closes one. Text before the first record (an export's header) is skipped.
    """
    tags: Tags = []
    raw: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        got = match(line) if line.strip() else None
        if got and (starts(got[0]) and tags):
            yield start, tags, "\n".join(raw).strip()
            tags, raw = [], []
        if got:
            if not tags:
                start = number
            tags.append((got[0], got[1].strip(), number))
            raw.append(line)
        elif not line.strip():
            if tags:
                yield start, tags, "\n".join(raw).strip()
                tags, raw = [], []
        elif tags:  # an untagged line continues the value before it
            tag, value, at = tags[-1]
            tags[-1] = (tag, f"{value} {line.strip()}".strip(), at)
            raw.append(line)
    if tags:
        yield start, tags, "\n".join(raw).strip()


def free_form_date(year: str | None, extra: str | None) -> dict[str, Any] | None:
    """A year with RefWorks' free-form date ("Feb", "01/01" month/day, "Spring") or a Refer
    ``%D`` with a month ("March 2001"), as a CSL date; the year alone when the rest is unclear."""
    found = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", " ".join(filter(None, [year, extra])))
    if not found:
        return None
    parts = [int(found.group(1))]
    rest = " ".join(filter(None, [year, extra])).replace(found.group(1), " ")
    numbers = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/?\s*", rest)
    month: int | None = None
    day: int | None = None
    if numbers:
        month, day = int(numbers.group(1)), int(numbers.group(2))
    elif words := re.findall(r"[A-Za-zÀ-ÿ]+\.?|\d{1,2}", rest):
        month = next((m for w in words if (m := month_number(w)) and not w.isdigit()), None)
        digits = [int(w) for w in words if w.isdigit()]
        day = digits[0] if month and digits else None
    if month and 1 <= month <= 12:
        parts.append(month)
        if day and 1 <= day <= 31:
            parts.append(day)
    return {"date-parts": [parts]}


def put(csl: CSLItem, field: str, value: str | None) -> None:
    """Set a field once: the first value given wins."""
    if value and field not in csl:
        csl[field] = value
