"""Zotero's import-translator test cases (input -> expected Zotero items), compared field by field
with our reading, the Zotero item mapped to CSL as Zotero's own CSL mapping does.

The cases live in ``tests/data/zotero-translators/*.json`` (copied from zotero/translators,
AGPL-3.0; see the folder's README). Used by ``test_zotero_translators.py`` (each format must
agree on >= 95 % of the compared fields) and by ``scripts/conformance --zotero`` (the table).

Where Zotero and the CSL record model differ on purpose, the *expected* side is adapted and
:data:`ZOTERO_CONVENTIONS` says why; every one of these is pinned by a test.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from records.identifiers import normalize_isbn
from records.normalize.language import normalize_language
from records.parsers import parse_text

DATA = Path(__file__).resolve().parents[2] / "data" / "zotero-translators"

ZOTERO_CONVENTIONS = {
    "not compared": "notes, attachments, seeAlso, extra (but a 'DOI: ...' line in it), "
    "thesisType/reportType, callNumber, accessDate: Zotero's places for what it has no field for.",
    "types": "a Crossref posted_content is CSL 'article' (Zotero 6 imports it as a report; "
    "Zotero 7 as a preprint, which its CSL mapping writes 'article').",
    "markup": "rich-text markup (<i>, <sub>) is stripped from titles: the record model holds "
    "plain text.",
    "names": "a single-field Zotero name ('Good, Thomas L.', fieldMode 1) is compared with the "
    "name we parse from it, as displayed; initials are compared without dots and spaces.",
    "extra fields": "fields CSL has for any type are kept where Zotero's item type has no field "
    "(a thesis's ISBN, a journal article's publisher) and a DOI written in a note is read; "
    "such a field is counted as a difference only when Zotero has a value that disagrees.",
}

# Zotero item type -> CSL type (Zotero's CSL mapping), and the field names.
ITEM_TYPES = {
    "journalArticle": "article-journal",
    "magazineArticle": "article-magazine",
    "newspaperArticle": "article-newspaper",
    "book": "book",
    "bookSection": "chapter",
    "thesis": "thesis",
    "report": "report",
    "conferencePaper": "paper-conference",
    "webpage": "webpage",
    "manuscript": "manuscript",
    "preprint": "article",
}
TYPE_CONVENTIONS = {("report", "article")}  # posted_content: see ZOTERO_CONVENTIONS["types"]
FIELDS = {
    "title": "title",
    "publicationTitle": "container-title",
    "bookTitle": "container-title",
    "proceedingsTitle": "container-title",
    "journalAbbreviation": "container-title-short",
    "volume": "volume",
    "issue": "issue",
    "pages": "page",
    "numPages": "number-of-pages",
    "publisher": "publisher",
    "university": "publisher",
    "institution": "publisher",
    "place": "publisher-place",
    "edition": "edition",
    "series": "collection-title",
    "shortTitle": "title-short",
    "DOI": "DOI",
    "url": "URL",
    "abstractNote": "abstract",
    "language": "language",
    "ISSN": "ISSN",
    "ISBN": "ISBN",
    "date": "issued",
}
ROLES = {"author": "author", "editor": "editor", "seriesEditor": "collection-editor",
         "translator": "translator", "bookAuthor": "container-author"}  # fmt: skip
_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}  # fmt: skip


@dataclass
class Outcome:
    fields: int = 0
    passed: int = 0
    diffs: list[str] = field(default_factory=list)


@dataclass
class Case:
    format: str
    translator: str
    name: str
    input: str
    items: list[dict[str, Any]]

    def run(self) -> Outcome:
        result = parse_text(self.input, f"{self.name}.txt")
        outcome = Outcome()
        if len(result.records) != len(self.items):
            outcome.fields += 1
            outcome.diffs.append(f"{len(result.records)} records for {len(self.items)} items")
            return outcome
        for record, item in zip(result.records, self.items, strict=True):
            if record.source.format != self.format:
                outcome.fields += 1
                outcome.diffs.append(f"read as {record.source.format}, not {self.format}")
            for key, (want, got) in compare(expected_csl(item), record.csl).items():
                outcome.fields += 1
                if want == got:
                    outcome.passed += 1
                else:
                    outcome.diffs.append(f"{self.name} {key}: expected {want!r}, got {got!r}")
        return outcome


def expected_csl(item: dict[str, Any]) -> dict[str, Any]:
    """A Zotero item as the CSL fields this project compares (conventions applied)."""
    csl: dict[str, Any] = {"type": ITEM_TYPES.get(item["itemType"], item["itemType"])}
    for zotero, key in FIELDS.items():
        if item.get(zotero):
            csl[key] = item[zotero]
    if doi := re.search(r"^DOI:\s*(\S+)", item.get("extra", ""), re.M):
        csl.setdefault("DOI", doi.group(1))
    for creator in item.get("creators", []):
        role = ROLES.get(creator["creatorType"], creator["creatorType"])
        csl.setdefault(role, []).append(creator)
    if item.get("tags"):
        csl["keyword"] = [t if isinstance(t, str) else t["tag"] for t in item["tags"]]
    return csl


def _plain(text: Any) -> str:
    text = re.sub(r"<[^>]+>", "", str(text))  # markup convention
    return " ".join(unicodedata.normalize("NFC", text).split()).strip(" .").casefold()


def _date(value: Any) -> tuple[int, ...]:
    if isinstance(value, dict):
        return tuple(value.get("date-parts", [[]])[0])
    text = str(value).strip()
    if m := re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text):
        return tuple(int(p) for p in m.groups() if p)
    if m := re.fullmatch(r"(\d{1,2})/(\d{4})", text):  # "03/2009"
        return (int(m.group(2)), int(m.group(1)))
    year = re.search(r"\d{4}", text)
    parts = [int(year.group(0))] if year else []
    month = next((_MONTHS[w[:3].lower()] for w in re.findall(r"[A-Za-z]+", text)
                  if w[:3].lower() in _MONTHS), None)  # fmt: skip
    if parts and month:
        parts.append(month)
        day = re.search(r"\b(\d{1,2})\b", text.replace(str(parts[0]), ""))
        if day:
            parts.append(int(day.group(1)))
    return tuple(parts)


def _name(name: dict[str, Any]) -> tuple[str, str]:
    if "lastName" in name:  # Zotero
        if name.get("fieldMode") == 1 and "," in name["lastName"]:  # names convention
            family, _, given = name["lastName"].partition(",")
        else:
            family, given = name["lastName"], name.get("firstName", "")
    else:
        family, given = name.get("family") or name.get("literal", ""), name.get("given", "")
    return _plain(family), re.sub(r"[\s.]", "", _plain(given))


def _normalized(key: str, value: Any) -> Any:
    if key == "issued":
        return _date(value)
    if key in ROLES.values():
        return [_name(n) for n in value]
    if key == "keyword":
        items = value if isinstance(value, list) else re.split(r",\s*", value)
        return sorted(_plain(k) for k in items)
    if key == "ISBN":
        return sorted(filter(None, (normalize_isbn(v) for v in re.split(r"[,;]\s*|\s+", value))))
    if key == "ISSN":
        return sorted(re.findall(r"\d{4}-?\d{3}[\dxX]", value.replace("-", "")))
    if key == "language":
        return normalize_language(str(value)) or _plain(value)
    if key == "page":
        return str(value).replace("–", "-")
    return _plain(value)


def compare(expected: dict[str, Any], got: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The compared fields: every field Zotero gives, as (expected, ours), normalized."""
    out: dict[str, tuple[Any, Any]] = {}
    for key, want in expected.items():
        mine = got.get(key)
        if key == "type" and (want, mine) in TYPE_CONVENTIONS:
            mine = want
        out[key] = (_normalized(key, want), _normalized(key, mine) if mine is not None else None)
    return out


def all_cases(held_out: bool = False) -> list[Case]:
    """The tuned cases, or (``held_out``) those kept out of all tuning: added after the readers
    were written and never looked at while changing them; their figure is reported beside."""
    cases = []
    for path in sorted((DATA / "heldout" if held_out else DATA).glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        for number, case in enumerate(data["cases"], start=1):
            cases.append(
                Case(
                    data["format"],
                    data["translator"],
                    f"{path.stem}-{number}",
                    case["input"],
                    case["items"],
                )
            )
    return cases
