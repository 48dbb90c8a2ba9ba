"""Web of Science plain-text ("tagged") export -> records.

``FN Clarivate Analytics Web of Science`` / ``VR 1.0`` header, then records from ``PT`` to
``ER``: a two-character tag, a space, the value; continuation lines are indented three spaces
(one author per line under ``AU``/``AF``). Written by hand: it is a line format no library
keeps better. ``AF`` (full names) is preferred over ``AU``; ``SO`` is the journal (WoS writes it
in capitals), ``JI`` its ISO abbreviation; ``SN``/``EI`` the print and electronic ISSN; ``UT``
(``WOS:000...``) the record's own id.
"""

from __future__ import annotations

import re
from typing import Literal

from records.identifiers import normalize_isbn, normalize_issn
from records.model import CSLItem, Failure, IssnKind, ParseResult, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.names import parse_name
from records.normalize.types import normalize_type
from records.parsers.base import Parser, stripped_head
from records.parsers.fields import TagValues, add_isbn, add_issn, year_month_day

_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_PT_TYPES = {
    "J": "article-journal",
    "B": "book",
    "S": "chapter",
    "P": "patent",
    "C": "paper-conference",
}
# One value per line for these tags; the others continue one value over several lines.
_LIST_TAGS = frozenset(
    {"AU", "AF", "BA", "BF", "CA", "GP", "ED", "CR", "C1", "RP", "EM", "RI", "OI"}
)


def read_records(text: str) -> list[tuple[int, dict[str, list[str]], str]]:
    records: list[tuple[int, dict[str, list[str]], str]] = []
    lines = text.splitlines()
    values: dict[str, list[str]] = {}
    start = -1
    last = ""
    for number, line in enumerate(lines):
        if line.startswith("   ") and start >= 0 and last:
            piece = line.strip()
            if last in _LIST_TAGS:
                values[last].append(piece)
            else:
                values[last][-1] = f"{values[last][-1]} {piece}"
            continue
        match = _TAG_RE.match(line.rstrip())
        if not match:
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "PT":
            if start >= 0 and values:  # a record without ER
                records.append((start + 1, values, "\n".join(lines[start:number]).rstrip()))
            start, values = number, {}
        if start < 0:
            continue  # FN, VR, EF and anything between records
        if tag == "ER":
            records.append((start + 1, values, "\n".join(lines[start : number + 1])))
            start, values, last = -1, {}, ""
            continue
        values.setdefault(tag, []).append(value)
        last = tag
    if start >= 0 and values:
        records.append((start + 1, values, "\n".join(lines[start:]).rstrip()))
    return records


def values_to_csl(values: dict[str, list[str]]) -> tuple[CSLItem, dict[str, IssnKind], str | None]:
    tagged = TagValues(values)

    def first(*tags: str) -> str:
        return tagged.first(*tags) or ""

    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    doc_type = first("DT")
    csl["type"] = (
        ("paper-conference" if "proceedings" in doc_type.lower() else None)
        or _PT_TYPES.get(first("PT"))
        or normalize_type(doc_type)
        or "article-journal"
    )
    if first("TI"):
        csl["title"] = first("TI")
    names = [parse_name(n) for n in values.get("AF") or values.get("AU") or []]
    names += [{"literal": n} for n in values.get("CA", []) + values.get("GP", [])]
    if names:
        csl["author"] = [n for n in names if n]
    editors = [parse_name(n) for n in values.get("BE") or values.get("ED") or []]
    if editors:
        csl["editor"] = [n for n in editors if n]
    source = first("SO")
    if source:
        csl["container-title"] = source
    abbreviation = first("JI", "J9")
    if abbreviation:
        csl["container-title-short"] = abbreviation
    if first("SE"):
        csl["collection-title"] = first("SE")
    for tag, field in (
        ("VL", "volume"),
        ("IS", "issue"),
        ("PU", "publisher"),
        ("PI", "publisher-place"),
        ("AB", "abstract"),
        ("LA", "language"),
        ("DI", "DOI"),
        ("PM", "PMID"),
    ):
        if first(tag):
            csl[field] = first(tag)
    start, end, article = first("BP"), first("EP"), first("AR")
    if start and end:
        csl["page"] = f"{start}-{end}"
    elif start or article:
        csl["page"] = start or article
    date = None
    if first("PY") and first("PD"):
        date = parse_date(f"{first('PD')} {first('PY')}") or parse_date(
            f"{first('PY')} {first('PD')}"
        )
    if not date:
        date = year_month_day(first("PY"))
    if date:
        csl["issued"] = date
    tags: tuple[tuple[str, Literal["print", "electronic"]], ...] = (
        ("SN", "print"),
        ("EI", "electronic"),
    )
    for tag, kind in tags:
        issn = normalize_issn(first(tag))
        if issn:
            add_issn(csl, kinds, issn, kind)
    for value in " ; ".join(values.get("BN", [])).split(";"):
        isbn = normalize_isbn(value)
        if isbn:
            add_isbn(csl, isbn)
    keywords = [k.strip() for k in " ; ".join(values.get("DE", [])).split(";") if k.strip()]
    if keywords:
        csl["keyword"] = ", ".join(dict.fromkeys(keywords))
    return csl, kinds, first("UT") or None


class WebOfScienceParser(Parser):
    name = "wos"
    label = "Web of Science plain text"
    aliases = ("isi", "web-of-science")

    def sniff(self, text: str) -> float:
        head = stripped_head(text, "\ufeff \r\n", 20000)
        if re.match(r"FN (?:Clarivate|Thomson|ISI)", head):
            return 0.95
        if re.search(r"^PT [A-Z]\s*$", head, re.MULTILINE) and re.search(
            r"^(?:UT|ER)\b", head, re.MULTILINE
        ):
            return 0.85
        return 0.0

    def parse(self, text: str, origin: str) -> ParseResult:
        result = ParseResult()
        for position, (line, values, raw) in enumerate(read_records(text.lstrip("\ufeff")), 1):
            csl, kinds, own_id = values_to_csl(values)
            if "title" not in csl and "author" not in csl:
                result.failures.append(
                    Failure(origin, "Web of Science record has no TI or AU", position, line)
                )
                continue
            source = SourceRef(self.name, origin, own_id, position, line)
            result.records.append(Record(csl, source, raw, kinds))
        return result
