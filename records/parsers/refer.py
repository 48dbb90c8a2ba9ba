"""Refer / BibIX (``%A Author`` ``%T Title`` ..., blank-line separated) -> records.

The bibliography format of troff's refer, BibIX and EndNote's "Refer" export: one ``%X value``
a line, a record ending at a blank line. Tags as Zotero's "Refer/BibIX" translator reads them:
``%0`` the EndNote reference type, ``%A`` authors, ``%E`` editors, ``%Y`` series editors,
``%Q`` a corporate author, ``%T`` title, ``%J`` journal, ``%B`` the book a chapter is in (or a
series), ``%S`` series, ``%D`` date (``%8`` a fuller one), ``%V``/``%N``/``%P`` volume, issue,
pages, ``%I``/``%C`` publisher and place, ``%@`` ISBN/ISSN, ``%R`` DOI, ``%U`` URL, ``%X``
abstract, ``%K`` keywords, ``%7`` edition, ``%G`` language, ``%Z`` note. Without ``%0`` the
type follows from the fields, as refer's own styles do: a journal is an article, a book title
a chapter, a publisher alone a book, an institution with a report number a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from records.model import CSLItem, Failure, IssnKind, Record, SourceRef
from records.normalize.names import parse_name
from records.parsers.base import StreamingParser, head
from records.parsers.fields import add_standard_numbers, first_doi
from records.parsers.tagged_lines import Tags, free_form_date, put, read_tagged, reference_type

_TAG = re.compile(r"^%([0-9A-Z@!#$&()*+^~])\s+(.*)$|^%([0-9A-Z@!#$&()*+^~])$")


def _match(line: str) -> tuple[str, str] | None:
    found = _TAG.match(line.rstrip())
    if not found:
        return None
    return (found.group(1), found.group(2)) if found.group(1) else (found.group(3), "")


def tags_to_csl(tags: Tags) -> tuple[CSLItem, dict[str, IssnKind]]:
    values: dict[str, list[str]] = {}
    for tag, value, _ in tags:
        if value:
            values.setdefault(tag, []).append(value)

    def first(*names: str) -> str | None:
        return next((values[n][0] for n in names if n in values), None)

    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    kind = reference_type(first("0"))
    if not kind:
        if "J" in values:
            kind = "article-journal"
        elif "B" in values:
            kind = "chapter"
        elif "R" in values and "I" in values and not first_doi(first("R")):
            kind = "report"
        elif "I" in values:
            kind = "book"
        else:
            kind = "article-journal"  # Zotero's default for an untyped record
    csl["type"] = kind
    put(csl, "title", first("T"))
    authors = [n for n in (parse_name(v) for v in values.get("A", ())) if n]
    authors += [{"literal": v} for v in values.get("Q", ())]
    if authors:
        csl["author"] = authors
    for tag, role in (("E", "editor"), ("Y", "collection-editor"), ("?", "translator")):
        names = [n for n in (parse_name(v) for v in values.get(tag, ())) if n]
        if names:
            csl[role] = names
    if kind in ("book", "report", "thesis"):
        put(csl, "collection-title", first("S", "B"))
    else:
        put(csl, "container-title", first("J", "B"))
        put(csl, "collection-title", first("S"))
    for tag, field in (
        ("V", "volume"),
        ("N", "issue"),
        ("P", "page"),
        ("I", "publisher"),
        ("C", "publisher-place"),
        ("7", "edition"),
        ("G", "language"),
        ("U", "URL"),
        ("X", "abstract"),
        ("Z", "note"),
        ("!", "title-short"),
        ("9", "genre"),
        ("L", "call-number"),
    ):
        put(csl, field, first(tag))
    if kind in ("book", "thesis") and "page" in csl and "-" not in csl["page"]:
        csl["number-of-pages"] = csl.pop("page")
    if kind == "report" and (number := first("N")) and not first("V"):
        csl["number"] = csl.pop("issue", number)
    date = free_form_date(first("D"), None)
    fuller = free_form_date(first("8"), None)  # EndNote's "date" beside the year
    if fuller and (
        not date
        or (
            fuller["date-parts"][0][0] == date["date-parts"][0][0]
            and len(fuller["date-parts"][0]) > len(date["date-parts"][0])
        )
    ):
        date = fuller
    if date:
        csl["issued"] = date
    keywords = [k.strip() for v in values.get("K", ()) for k in re.split(r"[;\n]", v) if k.strip()]
    if keywords:
        csl["keyword"] = ", ".join(dict.fromkeys(keywords))
    for value in values.get("@", ()):
        add_standard_numbers(csl, kinds, value)
    doi = first_doi(*values.get("R", ()), *values.get("U", ()))
    if doi:
        csl["DOI"] = doi
    return csl, kinds


class ReferParser(StreamingParser):
    name = "refer"
    label = "Refer/BibIX"
    aliases = ("bibix", "refer-bibix")

    def sniff(self, text: str) -> float:
        lines = [ln for ln in head(text, 300) if ln.strip()]
        if not lines:
            return 0.0
        tagged = [ln for ln in lines if _TAG.match(ln)]
        if len(tagged) < 3 or len(tagged) < 0.6 * len(lines) or not _TAG.match(lines[0]):
            return 0.0
        fields = {ln[1] for ln in tagged}
        return 0.9 if fields & {"A", "T"} and fields & {"D", "J", "B", "I", "0"} else 0.6

    def read(self, text: str, origin: str) -> Iterator[Record | Failure]:
        records = read_tagged(text.lstrip("\ufeff"), _match, lambda tag: tag == "0")
        for position, (line, tags, raw) in enumerate(records, start=1):
            csl, kinds = tags_to_csl(tags)
            if not csl.get("title"):
                yield Failure(origin, "Refer record without a title (%T)", position, line)
                continue
            own = next((v for t, v, _ in tags if t == "F" and v), None)
            yield Record(csl, SourceRef(self.name, origin, own, position, line), raw, kinds)
