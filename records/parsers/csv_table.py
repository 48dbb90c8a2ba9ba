"""A plain table of references (CSV/TSV with a header row) -> records.

Columns are recognised by the names people and tools give them (``title``, ``Author(s)``,
``Publication Year``, ``Source title``, ``journal``, ``volume``, ``issue``/``number``,
``pages`` or ``Page start``/``Page end``, ``doi``, ``ENTRYTYPE``...; Scopus, Web of Science,
Covidence, Rayyan and bib-dedupe/CoLRev exports), compared case- and punctuation-insensitively.
The delimiter (``,`` ``;`` tab) is the one the header row uses most. Authors are split on
`` and `` (BibTeX style) or ``;``, else read as a displayed list. Each row keeps its id from an
``id``/``record_id``/``ID`` column, else its row number. A row with more cells than the header
is a failure; the other rows still import.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from records.model import CSLItem, Failure, IssnKind, ParseResult, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.names import parse_name, parse_name_list
from records.normalize.types import normalize_type
from records.parsers.base import Parser, stripped_head
from records.parsers.bibtex import ENTRY_TYPES
from records.parsers.fields import add_standard_numbers, year_month_day

# canonical column -> accepted header names (compared after _key()).
_SYNONYMS: dict[str, str] = {
    "id": "id|record id|recordid|record_id|key|citation key|citekey|bibtex key|ref id|refid|covidence #",
    "title": "title|article title|document title|ti|primary title|paper title|titel",
    "author": "author|authors|author s|au|author full names|author names|creators|creator|autor|autoren",
    "year": "year|publication year|py|pubyear|pub year|yr|jahr",
    "date": "date|publication date|pub date|issued|pd|published",
    "month": "month",
    "journal": "journal|source title|source|journal title|journal name|publication title|publication|so|secondary title|container title|journal book|periodical|zeitschrift|venue",
    "booktitle": "booktitle|book title|proceedings title|conference name",
    "volume": "volume|vol|vl|band|jahrgang",
    "issue": "issue|number|no|is|nr|heft",
    "pages": "pages|page|page range|pp|seiten|pagination",
    "page_start": "page start|start page|first page|bp|spage|beginning page",
    "page_end": "page end|end page|last page|ep|epage|ending page",
    "article_number": "art no|article number|article no|ar|elocation",
    "doi": "doi|di|digital object identifier",
    "abstract": "abstract|ab|summary|zusammenfassung",
    "keywords": "keywords|author keywords|keyword|kw|de|tags|subjects",
    "issn": "issn|sn|print issn",
    "eissn": "eissn|e issn|electronic issn|ei",
    "isbn": "isbn|bn",
    "publisher": "publisher|pu|verlag|institution|school",
    "place": "address|place|publisher place|location|pi|city|ort",
    "language": "language|la|lang|language of original document|sprache",
    "url": "url|link|ur|links",
    "pmid": "pmid|pubmed id|pm|pubmed",
    "pmcid": "pmcid|pmc",
    "type": "entrytype|type|document type|publication type|dt|pt|item type|reference type|ty",
    "editor": "editor|editors|ed",
    "edition": "edition",
    "series": "series",
    "note": "note|notes",
}
_LOOKUP = {syn: canonical for canonical, names in _SYNONYMS.items() for syn in names.split("|")}
_MISSING = frozenset({"", "na", "n/a", "nan", "none", "null", "unknown", "-", "[]"})
_AND_RE = re.compile(r"\s+and\s+", re.IGNORECASE)


@contextmanager
def _fields_up_to(size: int) -> Iterator[None]:
    """The csv module's field size limit (131,072 characters, process-wide) raised to the
    input's own size for one read: the limit guards against runaway fields in unbounded
    streams, but this text is already in memory, and a long abstract is no reason to stop
    reading (the module raised at that cell and the rows after it were lost)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, min(size + 1, sys.maxsize)))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _key(header: str) -> str:
    return " ".join(re.sub(r"[^0-9a-zäöüß#]+", " ", header.lower()).split())


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        canonical = _LOOKUP.get(_key(name))
        if canonical and canonical not in found:
            found[canonical] = index
    return found


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=lambda d: counts[d])


def _authors(value: str) -> list[dict[str, str]]:
    if _AND_RE.search(value):
        parts = _AND_RE.split(value)
    elif ";" in value:
        parts = value.split(";")
    else:
        return parse_name_list(value)
    return [
        n
        for n in (parse_name(p) for p in parts if p.strip() and p.strip().lower() != "others")
        if n
    ]


def row_to_csl(row: dict[str, str]) -> tuple[CSLItem, dict[str, IssnKind]]:
    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    kind = row.get("type", "")
    csl_type = ENTRY_TYPES.get(kind.lower()) or normalize_type(kind) or None
    if csl_type:
        csl["type"] = csl_type
    for column, field in (
        ("title", "title"),
        ("volume", "volume"),
        ("issue", "issue"),
        ("abstract", "abstract"),
        ("publisher", "publisher"),
        ("place", "publisher-place"),
        ("language", "language"),
        ("url", "URL"),
        ("doi", "DOI"),
        ("pmid", "PMID"),
        ("pmcid", "PMCID"),
        ("edition", "edition"),
        ("series", "collection-title"),
        ("note", "note"),
    ):
        if row.get(column):
            csl[field] = row[column]
    container = row.get("journal") or row.get("booktitle")
    if container:
        csl["container-title"] = container
    if row.get("author"):
        csl["author"] = _authors(row["author"])
    if row.get("editor"):
        csl["editor"] = _authors(row["editor"])
    pages = row.get("pages")
    if not pages and row.get("page_start"):
        pages = row["page_start"] + (f"-{row['page_end']}" if row.get("page_end") else "")
    pages = pages or row.get("article_number")
    if pages:
        csl["page"] = pages.replace("--", "-")
    date = parse_date(row["date"]) if row.get("date") else None
    if not date or (row.get("year") and str(date["date-parts"][0][0]) != row["year"][:4]):
        date = year_month_day(row.get("year"), row.get("month")) or date
    if date:
        csl["issued"] = date
    if row.get("keywords"):
        keywords = [k.strip() for k in re.split(r"[;|]", row["keywords"]) if k.strip()]
        csl["keyword"] = ", ".join(dict.fromkeys(keywords))
    if row.get("issn"):
        add_standard_numbers(csl, kinds, row["issn"])
    if row.get("eissn"):
        add_standard_numbers(csl, kinds, row["eissn"], "electronic")
    if row.get("isbn"):
        add_standard_numbers(csl, kinds, row["isbn"])
    return csl, kinds


class CSVParser(Parser):
    name = "csv"
    label = "CSV/TSV table with a header row"
    aliases = ("tsv", "table")

    def sniff(self, text: str) -> float:
        first = stripped_head(text, "\ufeff", 5001).split("\n", 1)[0].strip("\r")
        if not first or len(first) > 5000:
            return 0.0
        try:
            header = next(csv.reader([first], delimiter=_delimiter(first)))
        except (csv.Error, StopIteration):
            return 0.0
        columns = _columns(header)
        if len(header) < 2 or not ({"title", "author", "doi"} & columns.keys()):
            return 0.0
        return 0.9 if len(columns) >= 3 else 0.55

    def parse(self, text: str, origin: str) -> ParseResult:
        text = text.lstrip("\ufeff")
        lines = text.splitlines()
        result = ParseResult()
        if not lines:
            return result
        with _fields_up_to(len(text)):
            return self._read(text, lines, origin)

    def _read(self, text: str, lines: list[str], origin: str) -> ParseResult:
        result = ParseResult()
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]))
        try:
            header = next(reader)
        except (csv.Error, StopIteration) as exc:
            return ParseResult(failures=[Failure(origin, f"unreadable CSV header: {exc}", line=1)])
        columns = _columns(header)
        if not columns:
            return ParseResult(
                failures=[Failure(origin, "no known column names in the header row", line=1)]
            )
        position = 0
        previous_line = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                # The reader starts afresh at the next line: one bad row, not the rest.
                position += 1
                result.failures.append(
                    Failure(origin, f"unreadable CSV row: {exc}", position, previous_line + 1)
                )
                previous_line = reader.line_num
                continue
            start_line, previous_line = previous_line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            position += 1
            if len(cells) > len(header):
                result.failures.append(
                    Failure(
                        origin,
                        f"row has {len(cells)} cells but the header names {len(header)} columns",
                        record=position,
                        line=start_line,
                    )
                )
                continue
            row: dict[str, Any] = {}
            for canonical, index in columns.items():
                value = cells[index].strip() if index < len(cells) else ""
                if value.lower() not in _MISSING:
                    row[canonical] = value
            csl, kinds = row_to_csl(row)
            own_id = row.get("id") or str(position)
            raw = "\n".join(lines[start_line - 1 : previous_line])
            source = SourceRef(self.name, origin, own_id, position, start_line)
            result.records.append(Record(csl, source, raw, kinds))
        return result
