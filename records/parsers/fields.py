"""Small field helpers the standard-format parsers share: identifiers sorted by kind, dates
from year/month pieces, type tables. Everything here is a pure function of its arguments."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from records.identifiers import find_dois, normalize_isbn, normalize_issn
from records.model import CSLItem, IssnKind, Record
from records.normalize.dates import MONTHS, CSLDate, parse_date
from records.normalize.language import normalize_language
from records.normalize.pages import normalize_pages

_SPLIT_IDS_RE = re.compile(r"[;,\s]+(?=\S)")
_ISXN_TOKEN_RE = re.compile(r"[0-9][0-9Xx\-‐ ]{6,16}[0-9Xx]")
_NOT_ISXN_DIGIT_RE = re.compile(r"[^0-9Xx]")


def add_issn(csl: CSLItem, kinds: dict[str, IssnKind], issn: str, kind: IssnKind | None) -> None:
    """Append a valid ISSN to ``csl["ISSN"]`` (", "-joined, no repeats), remembering its kind."""
    existing = csl.get("ISSN", "")
    if issn not in existing:
        csl["ISSN"] = f"{existing}, {issn}" if existing else issn
    if kind and issn not in kinds:
        kinds[issn] = kind


def add_isbn(csl: CSLItem, isbn: str) -> None:
    existing = csl.get("ISBN", "")
    if isbn not in existing:
        csl["ISBN"] = f"{existing}, {isbn}" if existing else isbn


def add_standard_numbers(
    csl: CSLItem, kinds: dict[str, IssnKind], value: str, kind: IssnKind | None = None
) -> None:
    """An ``SN``-like value holding ISSNs and/or ISBNs, told apart by their check digits.

    RIS ``SN`` and EndNote ``isbn`` hold either (journals: ISSN; books: ISBN), often several
    joined with ``;`` or spaces, sometimes with labels ("1432-2102 (Electronic)").
    """
    for issn, isbn, label in _standard_numbers(value, kind):
        if issn:
            add_issn(csl, kinds, issn, label)
        else:
            add_isbn(csl, isbn)


# A journal's ISSN value recurs in every record of it: each distinct one is read once.
@lru_cache(maxsize=1 << 14)
def _standard_numbers(
    value: str, kind: IssnKind | None
) -> tuple[tuple[str, str, IssnKind | None], ...]:
    """(ISSN or "", ISBN or "", ISSN kind) for each valid number in the value, in order."""
    found: list[tuple[str, str, IssnKind | None]] = []
    for token in _ISXN_TOKEN_RE.findall(value):
        digits = _NOT_ISXN_DIGIT_RE.sub("", token)
        if len(digits) == 8:
            issn = normalize_issn(digits)
            if issn:
                after = value[value.find(token) + len(token) :][:20].lower()
                label = kind
                if "electronic" in after or "online" in after:
                    label = "electronic"
                elif "print" in after:
                    label = "print"
                found.append((issn, "", label))
        elif len(digits) in (10, 13):
            isbn = normalize_isbn(digits)
            if isbn:
                found.append(("", isbn, None))
    return tuple(found)


def first_doi(*values: str | None) -> str | None:
    """The first DOI found in any of the values (RIS hides DOIs in M3, UR, N1, DO...)."""
    for value in values:
        if value:
            for doi in find_dois(value):
                return doi
    return None


def month_number(value: str | None) -> int | None:
    """``"jul"`` / ``"July"`` / ``"7"`` / ``"07"`` -> 7."""
    if not value:
        return None
    text = value.strip().rstrip(".").lower()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return MONTHS.get(text) or MONTHS.get(text[:3])


def year_month_day(
    year: str | None, month: str | None = None, day: str | None = None
) -> CSLDate | None:
    """A CSL date from separate year / month / day values (BibTeX, CSV, EndNote)."""
    if not year:
        return None
    found = re.search(r"(?<!\d)(\d{4})(?!\d)", year)
    if not found:
        return None
    parts = [int(found.group(1))]
    number = month_number(month)
    if number:
        parts.append(number)
        if day and day.strip().isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
    return {"date-parts": [parts]}


def slashed_date(value: str | None) -> CSLDate | None:
    """RIS/EndNote dates: ``2014//``, ``1948/07//``, ``2010/09/15/Fall``, ``2010/09/15``."""
    if not value:
        return None
    text = value.strip()
    if "/" in text:
        pieces = [p.strip() for p in text.split("/")]
        year = pieces[0]
        if re.fullmatch(r"\d{4}", year):
            parts = [int(year)]
            month = pieces[1] if len(pieces) > 1 else ""
            day = pieces[2] if len(pieces) > 2 else ""
            if month.isdigit() and 1 <= int(month) <= 12:
                parts.append(int(month))
                if day.isdigit() and 1 <= int(day) <= 31:
                    parts.append(int(day))
            return {"date-parts": [parts]}
    return parse_date(text)


class TagValues(dict[str, list[str]]):
    """The values of one tagged record (RIS, MEDLINE, Web of Science) by tag, in order."""

    @classmethod
    def of(cls, tags: Iterable[tuple[str, str]]) -> TagValues:
        """Values grouped by tag; empty values are left out."""
        values = cls()
        for tag, value in tags:
            if value:
                values.setdefault(tag, []).append(value)
        return values

    def first(self, *tags: str) -> str | None:
        """The first value of the first tag (of ``tags``, in order) that has a non-empty one."""
        for tag in tags:
            found = self.get(tag)
            if found and found[0]:
                return found[0]
        return None


def add_locator(
    csl: CSLItem, *, date: str | None, volume: str | None, issue: str | None, pages: str | None
) -> None:
    """Set ``issued``, ``volume``, ``issue`` and ``page`` from the pieces of a citation line
    (``2024 Jul;64(7):575-81``) that are there and readable."""
    if issued := parse_date(date):
        csl["issued"] = issued
    if volume:
        csl["volume"] = volume
    if issue:
        csl["issue"] = issue
    if page := normalize_pages(pages):
        csl["page"] = page


def add_language(record: Record, value: str) -> None:
    """A language field's first value ("German; English") as an ISO 639 code, with the label
    as the page wrote it kept as the original when it differs."""
    written = re.split(r"[;,]", value)[0].strip()
    code = normalize_language(written)
    record.csl["language"] = code or written
    if code and code != written:
        record.original["language"] = written
