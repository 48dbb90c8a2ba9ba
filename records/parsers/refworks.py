"""RefWorks tagged format (``RT Journal Article`` ... one ``TAG value`` a line) -> records.

The format RefWorks, ProQuest and PsycINFO export as "RefWorks Tagged". Records start at
``RT``; a blank line or the next ``RT`` ends one; text before the first record (RefWorks'
"Tag legend" header) is skipped. Tags as Zotero's "RefWorks Tagged" translator reads them:
``A1``-``A4`` authors / editors / series editors / translators, ``T1``/``T2``/``T3`` title,
container and series, ``JF``/``JO`` journal and its abbreviation, ``YR`` with ``FD`` (free-form
month/day) the date, ``SP``/``OP`` pages (``SP`` of a book or thesis is its page count).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from records.model import CSLItem, Failure, IssnKind, Record, SourceRef
from records.normalize.names import parse_name
from records.parsers.base import StreamingParser, head
from records.parsers.fields import add_standard_numbers, first_doi
from records.parsers.tagged_lines import Tags, free_form_date, put, read_tagged, reference_type

_TAG = re.compile(r"^(PMCID|PMID|[A-Z][A-Z0-9]{1,2}) (.*)$")
# Types whose SP is the number of pages and whose T2 is a series (Zotero's map).
_WHOLE = frozenset({"book", "thesis", "manuscript"})
_SERIES_T2 = frozenset({"book", "report", "map", "software"})


def _match(line: str) -> tuple[str, str] | None:
    found = _TAG.match(line.rstrip())
    return (found.group(1), found.group(2)) if found else None


def tags_to_csl(tags: Tags) -> tuple[CSLItem, dict[str, IssnKind]]:
    values: dict[str, list[str]] = {}
    for tag, value, _ in tags:
        if value:
            values.setdefault(tag, []).append(value)

    def first(*names: str) -> str | None:
        return next((values[n][0] for n in names if n in values), None)

    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    kind = reference_type(first("RT")) or "article-journal"  # Zotero's default import type
    csl["type"] = kind
    put(csl, "title", first("T1"))
    roles = {"A1": "author", "A2": "editor", "A3": "collection-editor", "A4": "translator"}
    if kind == "book":  # a whole book's A2 edits the series, its A3 the book
        roles.update({"A2": "collection-editor", "A3": "editor"})
    for tag, role in roles.items():
        names = [n for n in (parse_name(v) for v in values.get(tag, ())) if n]
        if names:
            csl.setdefault(role, []).extend(names)
    if kind in _SERIES_T2:
        put(csl, "collection-title", first("T2", "T3"))
    else:
        put(csl, "container-title", first("JF", "T2", "WT"))
        put(csl, "collection-title", first("T3"))
    abbreviation = first("JO")
    if abbreviation:
        put(csl, "container-title" if "container-title" not in csl else "container-title-short",
            abbreviation)  # fmt: skip
    for tag, field in (
        ("VO", "volume"),
        ("IS", "issue"),
        ("ED", "edition"),
        ("PB", "publisher"),
        ("PP", "publisher-place"),
        ("LA", "language"),
        ("UL", "URL"),
        ("ST", "title-short"),
        ("AB", "abstract"),
        ("CN", "call-number"),
        ("PMID", "PMID"),
        ("PMCID", "PMCID"),
    ):
        put(csl, field, first(tag))
    start, other = first("SP"), first("OP")
    if kind in _WHOLE and start and not other:
        csl["number-of-pages"] = start
    elif start:
        csl["page"] = f"{start}-{other}" if other and "-" not in start else start
    date = free_form_date(first("YR"), first("FD"))
    if date:
        csl["issued"] = date
    keywords = [k.strip() for v in values.get("K1", ()) for k in v.split(";") if k.strip()]
    if keywords:
        csl["keyword"] = ", ".join(dict.fromkeys(keywords))
    notes = values.get("NO", [])
    if notes:
        csl["note"] = "; ".join(notes)
    for value in values.get("SN", ()):
        add_standard_numbers(csl, kinds, value)
    doi = first_doi(*values.get("DO", ()), *notes, *values.get("LK", ()))
    if doi:
        csl["DOI"] = doi
    return csl, kinds


class RefWorksParser(StreamingParser):
    name = "refworks"
    label = "RefWorks tagged"
    aliases = ("refworks-tagged", "rwt")

    def sniff(self, text: str) -> float:
        lines = [ln for ln in head(text, 400) if ln.strip()]
        starts = sum(1 for ln in lines if re.match(r"^RT \S", ln))
        tagged = sum(1 for ln in lines if _TAG.match(ln))
        if not starts or tagged < 3:
            return 0.0
        if any(re.match(r"^(?:TY  -|PMID-|FN |ER\b|%[0A-Z] )", ln) for ln in lines):
            return 0.0  # RIS, MEDLINE, Web of Science, Refer
        return 0.9 if any(re.match(r"^(?:A1|T1) \S", ln) for ln in lines) else 0.6

    def read(self, text: str, origin: str) -> Iterator[Record | Failure]:
        records = read_tagged(text.lstrip("\ufeff"), _match, lambda tag: tag == "RT")
        position = 0
        for line, tags, raw in records:
            if tags[0][0] != "RT" and position == 0:
                continue  # the export's header ("Tag legend"), before the first record
            position += 1
            csl, kinds = tags_to_csl(tags)
            if not csl.get("title"):
                yield Failure(origin, "RefWorks record without a title (T1)", position, line)
                continue
            yield Record(
                csl, SourceRef(self.name, origin, _own_id(tags), position, line), raw, kinds
            )


def _own_id(tags: Tags) -> str | None:
    return next((value for tag, value, _ in tags if tag == "ID" and value), None)
