"""EBSCOhost / EBSCO Discovery Service detailed records, copied as text (English and German UI).

The detailed record is a label/value list (``Title:``, ``Authors:``, ``Source:``, ``Document
Type:``, ``Language:``, ``ISSN:``, ``DOI:``, ``Accession Number:``; German ``Titel``,
``Autoren``, ``Quelle``, ``Dokumenttyp``, ``Sprache``, ``Zugriffsnummer``), copied with a colon
and TAB, or with each label alone on its line (the newer UI). The Source line is a compact
citation: ``Radiologe. Jul2024, Vol. 64 Issue 7, p575-581. 7p.`` Several records in one file
(a folder or result list) are split where a Title row follows the rows of a record.
"""

from __future__ import annotations

import re

from records.identifiers import find_dois, find_issns, normalize_isbn, normalize_pmid
from records.model import CSLItem, ParseResult, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.names import parse_name, strip_affiliation_marks, strip_role
from records.normalize.pages import normalize_pages
from records.normalize.types import normalize_type
from records.parsers.base import Parser, head, is_markup, require_titles
from records.parsers.fields import add_language
from records.parsers.fieldtable import Entry, FieldTable, group, title_led_records

LABELS: dict[str, list[str]] = {
    "title": ["Title", "Titel"],
    "alt_title": ["Alternate Title", "Alternativer Titel"],
    "authors": ["Authors", "Author", "Autoren", "Autor", "Verfasser"],
    "affiliations": ["Author Affiliations", "Autorenzugehörigkeit", "Angaben zum Autor"],
    "source": ["Source", "Quelle"],
    "type": ["Document Type", "Dokumenttyp", "Publication Type", "Publikationstyp"],
    "language": ["Language", "Sprache"],
    "subjects": [
        "Subject Terms",
        "Subjects",
        "Schlagwörter",
        "Author-Supplied Keywords",
        "Keywords",
        "Vom Autor bereitgestellte Schlagwörter",
        "MeSH Terms",
    ],
    "abstract": ["Abstract", "Zusammenfassung"],
    "issn": ["ISSN", "E-ISSN", "eISSN"],
    "isbn": ["ISBN"],
    "doi": ["DOI"],
    "pmid": ["PMID"],
    "accession": ["Accession Number", "Zugriffsnummer", "Accession No"],
    "database": ["Database", "Datenbank"],
    "publisher": ["Publisher Information", "Verlagsinformationen", "Publisher", "Verlag"],
    "ignored": [
        "Geographic Terms",
        "Geografische Schlagwörter",
        "People",
        "Full Text Word Count",
        "Wortanzahl",
        "Notes",
        "Anmerkungen",
        "Reviews & Products",
        "Company/Entity",
        "NAICS/Industry Codes",
        "Persistent link to this record (Permalink)",
        "Permalink",
        "Cut and Paste",
        "Grant Information",
        "Entry Date",
        "Update Code",
        "Imprint Name",
    ],
}
_TABLE = FieldTable(LABELS, bare_labels=True)
_DISTINCTIVE = {"source", "accession", "database", "type"}

# "Radiologe. Jul2024, Vol. 64 Issue 7, p575-581. 7p." / "Nature. 5/18/2024, Vol. 629 Issue
# 8012, p45." / German UI "Bd. 64 Heft 7, S575-581. 7S."
_SOURCE = re.compile(
    r"^(?P<container>.+?)\.?\s*[.,]\s*(?P<date>[A-Za-z/]*\d{0,2}/?\d{0,2}/?\d{4}|\d{4})\s*,"
    r"\s*(?:(?:Vol|Bd|Jg)\.?\s*(?P<volume>[^\s,]+))?"
    r"\s*(?:(?:Issue|Heft|Ausgabe|Nr\.)\s*(?P<issue>[^,]+))?\s*,?"
    r"\s*(?:(?:p|S)\.?\s*(?P<pages>[A-Za-z]?\d+[A-Za-z]?(?:\s*-\s*[A-Za-z]?\d+[A-Za-z]?)?))?"
    r"(?:\.\s*\d+\s*[pS]\.?)?.*$"
)
_ISBN_SPLIT = re.compile(r"[\s,;]+")
_EMAIL = re.compile(r"\S+@\S+")
_TRAILING_MARKS = re.compile(r"(?<=[^\d\s])\s*\d+(?:\s*,\s*\d+)*\s*$")


def parse_source(text: str) -> CSLItem:
    """``container-title``, ``issued``, ``volume``, ``issue``, ``page`` from an EBSCO Source."""
    text = re.sub(r"\s+", " ", text).strip()
    match = _SOURCE.match(text)
    if not match or not (match["volume"] or match["pages"] or match["issue"]):
        return {"container-title": text.split(".")[0]} if text else {}
    out: CSLItem = {"container-title": match["container"].strip(" .,")}
    date = parse_date(match["date"]) or parse_date(match["date"][-4:])
    if date:
        out["issued"] = date
    for key in ("volume", "issue"):
        if match[key]:
            out[key] = match[key].strip(" .,")
    if match["pages"] and (page := normalize_pages(match["pages"])):
        out["page"] = page
    return out


class EbscoRecordParser(Parser):
    name = "ebsco-text"
    label = "EBSCO detailed record (text)"
    aliases = ("ebsco",)
    page = True  # one record's web page

    def sniff(self, text: str) -> float:
        if is_markup(text):
            return 0.0
        fields = _TABLE.fields_in(head(text, 400))
        if "source" not in fields or "title" not in fields:
            return 0.0
        score = 0.4 + 0.25 * len(fields & _DISTINCTIVE)
        return min(score, 1.0)

    def parse(self, text: str, origin: str) -> ParseResult:
        records = title_led_records(
            _TABLE, text, origin, self.name, _parse_record, lone_titles=False
        )
        return require_titles(records, origin, self.label)


def _authors(entries: list[Entry]) -> list[dict[str, str]]:
    names: list[dict[str, str]] = []
    for entry in entries:
        for line in entry.lines():
            for part in line.split(";"):
                part = _EMAIL.sub("", part)
                part = strip_role(part).strip()
                part = _TRAILING_MARKS.sub("", strip_affiliation_marks(part)).strip(" ,")
                if part and (name := parse_name(part)):
                    names.append(name)
    return names


def _parse_record(entries: list[Entry], source: SourceRef, raw: str) -> Record:
    values = group(entries)
    csl: CSLItem = {}
    record = Record(csl=csl, source=source, raw=raw)

    def first(field: str) -> str | None:
        return next((e.first_line() for e in values.get(field, []) if e.first_line()), None)

    if title := values.get("title"):
        csl["title"] = " ".join(title[0].lines())
    if authors := _authors(values.get("authors", [])):
        csl["author"] = authors
    if src := first("source"):
        csl.update(parse_source(src))
    for entry in values.get("type", []):
        if kind := normalize_type(entry.first_line()):
            csl["type"] = kind
            break
    csl.setdefault("type", "article-journal")
    if language := first("language"):
        add_language(record, language)
    keywords = [
        re.sub(r"^\*\s*", "", line)
        for entry in values.get("subjects", [])
        for part in entry.lines()
        for line in part.split(";")
    ]
    keywords = [k.strip() for k in keywords if k.strip()]
    if keywords:
        csl["keyword"] = ", ".join(dict.fromkeys(keywords))
    if abstract := values.get("abstract"):
        csl["abstract"] = "\n".join(abstract[0].lines())
    issns: list[str] = []
    for entry in values.get("issn", []):
        for issn in find_issns(entry.value):
            if issn not in issns:
                issns.append(issn)
                if entry.label in ("e-issn", "eissn"):
                    record.issn_kinds[issn] = "electronic"
    if issns:
        csl["ISSN"] = ", ".join(issns)
    isbns = [normalize_isbn(v) for e in values.get("isbn", []) for v in _ISBN_SPLIT.split(e.value)]
    if isbns := [i for i in isbns if i]:
        csl["ISBN"] = ", ".join(dict.fromkeys(isbns))
    if doi := first("doi"):
        csl["DOI"] = next(find_dois(doi), None)
    if pmid := first("pmid"):
        csl["PMID"] = normalize_pmid(pmid.split()[0])
    if publisher := first("publisher"):
        csl["publisher"] = publisher
    if accession := first("accession"):
        record.source = SourceRef(
            source.format, source.origin, accession.split()[0], source.position, source.line
        )
    return record
