"""Ex Libris Primo / Primo VE full display ("Details"), copied as text (English and German UI).

Labels (``Title``, ``Author``, ``Is Part Of``, ``Identifier``, ``Language``, ``Publisher``,
``Creation Date``, ``Subjects``, ``Description``; German ``Titel``, ``Autor``, ``Ist Teil von``,
``Identifikator``, ``Sprache``, ``Verlag``, ``Erscheinungsjahr``, ``Schlagwörter``,
``Beschreibung``) stand alone on their lines or before a TAB/colon. Values:

* Is Part Of: ``Die Radiologie, 2024, Vol.64 (7), p.575-581`` (the Primo container form)
* Identifier: ``ISSN: 2731-7048 ; EISSN: 2731-7056 ; DOI: 10.1007/… ; PMID: 38761210``
* Author: ``Radosa, C G ; Nebelung, H`` or one per line, with roles ``(author)``
"""

from __future__ import annotations

import re

from records.identifiers import find_dois, find_issns, normalize_isbn, normalize_pmid
from records.model import CSLItem, ParseResult, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.types import normalize_type
from records.parsers.base import Parser, head, is_markup, require_titles
from records.parsers.citation_line import parse_container_line
from records.parsers.fields import add_language
from records.parsers.fieldtable import Entry, FieldTable, group, title_led_records
from records.parsers.publication import split_publication_statement
from records.parsers.vufind import add_names

LABELS: dict[str, list[str]] = {
    "title": ["Title", "Titel"],
    "authors": ["Author", "Authors", "Creator", "Autor", "Autoren", "Verfasser"],
    "contributors": ["Contributor", "Contributors", "Beteiligte Person", "Beteiligte Personen"],
    "container": ["Is Part Of", "Ist Teil von", "Is part of"],
    "identifier": ["Identifier", "Identifikator", "Identifiers"],
    "language": ["Language", "Sprache"],
    "publisher": ["Publisher", "Verlag", "Verlagsangabe"],
    "date": ["Creation Date", "Erstellungsdatum", "Erscheinungsjahr", "Publication Date", "Date"],
    "subjects": ["Subjects", "Schlagwörter", "Subject", "Keywords"],
    "abstract": ["Description", "Beschreibung", "Abstract", "Zusammenfassung"],
    "type": ["Type", "Resource Type", "Ressourcentyp", "Format", "Medientyp"],
    "ignored": [
        "Source",
        "Quelle",
        "Rights",
        "Rechte",
        "Link",
        "Links",
        "Notes",
        "Anmerkungen",
        "Genre",
        "Edition",
        "Ausgabe",
        "Frequency",
        "Related titles",
        "Alternative Title",
        "Version",
        "Send to",
        "Details",
        "Virtual Browse",
        "Links and Services",
        "Get It",
    ],
}
_TABLE = FieldTable(LABELS, bare_labels=True)
# "ISSN: 0033-832X ; E-ISSN: 1432-2102 ; DOI: 10.1007/… ; PMID: 123" -- one part per ";".
_ID_PART = re.compile(r"^\s*(?P<kind>[A-Za-z-]+)\s*:\s*(?P<value>.+?)\s*$")
_ELECTRONIC = {"eissn", "e-issn", "electronic issn", "online issn"}


class PrimoRecordParser(Parser):
    name = "primo-text"
    label = "Primo full display (text)"
    aliases = ("primo",)
    page = True  # one record's web page

    def sniff(self, text: str) -> float:
        if is_markup(text):
            return 0.0
        fields = _TABLE.fields_in(head(text, 400))
        if "container" not in fields:
            return 0.0
        score = 0.5 + 0.25 * len(fields & {"identifier", "title", "date"})
        return min(score, 1.0)

    def parse(self, text: str, origin: str) -> ParseResult:
        records = title_led_records(_TABLE, text, origin, self.name, _parse_record)
        return require_titles(records, origin, self.label)


def _parse_record(entries: list[Entry], source: SourceRef, raw: str) -> Record:
    values = group(entries)
    csl: CSLItem = {}
    record = Record(csl=csl, source=source, raw=raw)

    def first(field: str) -> str | None:
        return next((e.first_line() for e in values.get(field, []) if e.first_line()), None)

    if title := values.get("title"):
        csl["title"] = " ".join(title[0].lines())
    for entry in values.get("authors", []) + values.get("contributors", []):
        add_names(csl, "\n".join(part for line in entry.lines() for part in line.split(";")))
    container: dict[str, str] = {}
    if part_of := first("container"):
        container = parse_container_line(part_of)
        csl.update({k: v for k, v in container.items() if k != "year"})
    if (date := first("date")) and (parsed := parse_date(date)):
        csl["issued"] = parsed
    if "issued" not in csl and (parsed := parse_date(container.get("year"))):
        csl["issued"] = parsed
    if publisher := first("publisher"):
        statement = split_publication_statement(publisher)
        statement.pop("issued", None)
        csl.update(statement)
    if language := first("language"):
        add_language(record, language)
    keywords = [
        k.strip(" .")
        for entry in values.get("subjects", [])
        for line in entry.lines()
        for k in line.split(";")
    ]
    if keywords := [k for k in keywords if k]:
        csl["keyword"] = ", ".join(dict.fromkeys(keywords))
    if abstract := values.get("abstract"):
        csl["abstract"] = "\n".join(abstract[0].lines())
    for entry in values.get("identifier", []):
        _identifiers(record, " ; ".join(entry.lines()))
    for entry in values.get("type", []):
        if kind := normalize_type(entry.first_line()):
            csl["type"] = kind
            break
    csl.setdefault("type", "article-journal" if "container-title" in csl else "book")
    return record


def _identifiers(record: Record, text: str) -> None:
    csl = record.csl
    issns = [i for i in (csl.get("ISSN") or "").split(", ") if i]
    for part in text.split(";"):
        match = _ID_PART.match(part)
        if not match:
            continue
        kind, value = match["kind"].casefold(), match["value"]
        if kind in ("issn", *_ELECTRONIC):
            for issn in find_issns(value):
                if issn not in issns:
                    issns.append(issn)
                record.issn_kinds[issn] = "electronic" if kind in _ELECTRONIC else "print"
        elif kind == "doi" and (doi := next(find_dois(value), None)):
            csl["DOI"] = doi
        elif kind == "pmid" and (pmid := normalize_pmid(value.split()[0])):
            csl["PMID"] = pmid
        elif kind in ("isbn", "eisbn") and (isbn := normalize_isbn(value)):
            csl["ISBN"] = ", ".join(dict.fromkeys([*filter(None, [csl.get("ISBN")]), isbn]))
    if issns:
        csl["ISSN"] = ", ".join(issns)
