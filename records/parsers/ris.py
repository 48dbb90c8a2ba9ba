"""RIS (``TY  - JOUR`` ... ``ER  -``) -> records, in the flavours people export.

Hand-written rather than through rispy: a record must keep its verbatim text and the line it
starts on, exporters disagree on details rispy normalizes away (Scopus puts the document type
in ``M3``, EndNote the DOI in ``M3`` or ``N1``, PubMed the PMID in ``AN`` and ``U1``), and a
line-by-line reader with one precompiled regex is as fast as RIS can be read in Python.

Tolerated: BOM, CRLF, a missing ``ER`` (the next ``TY`` closes the record), text before, after
and between records ("Record #1 of 2", "1."), values continued on untagged lines, ``TAG  -``
without a trailing space. A record without ``TY`` is still read; one without a title, an author
or a source is reported as a failure.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from records.model import CSLItem, Failure, IssnKind, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.names import parse_name
from records.normalize.types import normalize_type
from records.parsers.base import StreamingParser, iter_lines, piece_lines, without_bom
from records.parsers.fields import TagValues, add_standard_numbers, first_doi, slashed_date

_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*)|\s*)$")
# Every tag _TAG_RE accepts: [A-Z][A-Z0-9], ASCII only.
_TAGS = frozenset(
    a + b for a in string.ascii_uppercase for b in string.ascii_uppercase + string.digits
)
_PMID_RE = re.compile(r"(\d{1,9})\s*\[pmid\]", re.IGNORECASE)
_PMCID_RE = re.compile(r"(PMC\d+)\s*\[pmcid\]|^\s*(PMC\d+)\s*$", re.IGNORECASE)
_LEADING_YEAR_RE = re.compile(r"^\s*(1[5-9]\d\d|20\d\d)\b")
_NOTE_PMID_RE = re.compile(r"\bPMID:?\s*(\d{1,9})\b")

# Every RIS reference type, as Zotero's RIS translator imports it (its Zotero item type taken
# to CSL as Zotero's CSL mapping does). Where a CSL type says more than Zotero's choice, it is
# kept and named in docs/conformance.md: INPR (in press) is a journal article, not Zotero's
# "manuscript"; PAMP a CSL pamphlet; STAND a CSL standard; DATA/DBASE/AGGR a dataset; CTLG
# (a catalog) a book, not Zotero's "magazineArticle"; UNBILL an unenacted bill; GEN a document
# (Zotero: journalArticle); MUSIC a musical score, JFULL a periodical, FIGURE a CSL figure.
TYPES: dict[str, str] = {
    "JOUR": "article-journal",
    "JFULL": "periodical",
    "ABST": "article-journal",
    "INPR": "article-journal",
    "EJOUR": "article-journal",
    "AGGR": "dataset",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CTLG": "book",
    "SER": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "THES": "thesis",
    "RPRT": "report",
    "GOVDOC": "report",
    "NEWS": "article-newspaper",
    "MGZN": "article-magazine",
    "ELEC": "webpage",
    "WEB": "webpage",
    "BLOG": "post-weblog",
    "PAT": "patent",
    "GEN": "document",
    "DATA": "dataset",
    "COMP": "software",
    "UNPB": "manuscript",
    "MANSCPT": "manuscript",
    "MAP": "map",
    "CASE": "legal_case",
    "STAT": "legislation",
    "BILL": "bill",
    "HEAR": "hearing",
    "PCOMM": "personal_communication",
    "ENCYC": "entry-encyclopedia",
    "DICT": "entry-dictionary",
    "VIDEO": "motion_picture",
    "MPCT": "motion_picture",
    "SOUND": "song",
    "MUSIC": "musical_score",
    "ART": "graphic",
    "FIGURE": "figure",
    "STAND": "standard",
    "PAMP": "pamphlet",
    "SLIDE": "speech",
    "ADVS": "motion_picture",
    "ANCIENT": "document",
    "CHART": "graphic",
    "CLSWK": "book",
    "DBASE": "dataset",
    "EQUA": "document",
    "GRNT": "document",
    "GRANT": "document",
    "ICOMM": "personal_communication",
    "LEGAL": "legal_case",
    "MULTI": "motion_picture",
    "UNBILL": "bill",
    "UNPD": "manuscript",
}
_BOOKISH = frozenset({"book", "thesis", "report"})


def read_records(text: str) -> Iterator[tuple[int, list[tuple[str, str]], str, bool]]:
    """The records of a RIS text: (start line, [(tag, value)], verbatim text, ended by ER)."""
    return read_record_lines(iter_lines(text))


def read_record_lines(
    text_lines: Iterable[str],
) -> Iterator[tuple[int, list[tuple[str, str]], str, bool]]:
    """:func:`read_records` of a text given as its lines (``str.splitlines``)."""
    tags: list[tuple[str, str]] = []
    lines: list[str] = []  # the current record's, for its verbatim text
    start = -1
    for number, line in enumerate(text_lines):
        if line[2:6] == "  - " and line[:2] in _TAGS:
            tag, value = line[:2], line[6:].strip()  # what _TAG_RE reads, without the regex
        elif match := _TAG_RE.match(line):
            tag, value = match.group(1), (match.group(2) or "").strip()
        else:
            tag = ""
        if tag:
            if tag == "TY" or start < 0:
                if start >= 0:  # a TY before the previous record's ER
                    yield start + 1, tags, "\n".join(lines), False
                start, tags, lines = number, [], []
            lines.append(line)
            if tag == "ER":
                yield start + 1, tags, "\n".join(lines), True
                start, tags, lines = -1, [], []
                continue
            tags.append((tag, value))
            continue
        if start >= 0:
            lines.append(line)
            if tags and line.strip():
                # An untagged line inside a record continues the previous value.
                tag, value = tags[-1]
                tags[-1] = (tag, f"{value} {line.strip()}" if value else line.strip())
    if start >= 0 and tags:
        yield start + 1, tags, "\n".join(lines).rstrip(), False


def ris_name(value: str) -> dict[str, str]:
    """RIS names are ``Last, First, Suffix``; publishers also write ``Given Family`` and
    corporate names without a comma, which :func:`parse_name` tells apart as well as it can."""
    return parse_name(value)


def _date(values: dict[str, list[str]]) -> dict[str, Any] | None:
    """``DA`` (the full date), else ``PY`` / ``Y1`` (often the year alone), made more precise
    by a later one of the same year: Zotero's reading, where PY is only the backup date.
    ``Y2`` (the access date in most exporters) only when there is no other."""
    best = None
    for tag in ("DA", "PY", "Y1", "Y2"):
        for value in values.get(tag, ()):
            date = slashed_date(value) or parse_date(value)
            if not date:
                year = _LEADING_YEAR_RE.match(value)  # "1984 - 1985"
                if not year:
                    continue
                date = {"date-parts": [[int(year.group(1))]]}
            if best is None or (
                date["date-parts"][0][0] == best["date-parts"][0][0]
                and len(date["date-parts"][0]) > len(best["date-parts"][0])
                and tag != "Y2"  # Y2 is the access date in most exporters
            ):
                best = date
    return best


def tags_to_csl(
    tags: list[tuple[str, str]],
) -> tuple[CSLItem, dict[str, IssnKind], str | None]:
    """The CSL item of one record's tags, its ISSN kinds and its own ``ID``."""
    values = TagValues.of(tags)
    first = values.first

    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    ris_type = (first("TY") or "").upper()
    # Some exporters write the type's name ("Journal Article") instead of its code.
    csl_type = TYPES.get(ris_type) or normalize_type(first("TY")) or TYPES.get(ris_type[:4])
    if csl_type:
        csl["type"] = csl_type
    title = first("TI", "T1", "CT")
    if title:
        csl["title"] = title
    if "ST" in values:
        csl["title-short"] = values["ST"][0]
    authors = [ris_name(v) for t in ("AU", "A1") for v in values.get(t, ())]
    if authors:
        csl["author"] = [a for a in authors if a]
    editors = [ris_name(v) for t in ("A2", "ED") for v in values.get(t, ())]
    if editors:
        csl["editor"] = [e for e in editors if e]
    if "A3" in values:
        csl["collection-editor"] = [ris_name(v) for v in values["A3"]]
    if "A4" in values:
        csl["translator"] = [ris_name(v) for v in values["A4"]]

    if csl_type in _BOOKISH:
        container = first("BT") if csl_type == "book" and "TI" in values else None
        series = first("T2", "T3")
        if series:
            csl["collection-title"] = series
    else:
        container = first("T2", "JF", "JO", "BT")
        if "T3" in values:
            csl["collection-title"] = values["T3"][0]
    abbreviation = first("J2", "JA", "J1")
    if not abbreviation and "JO" in values and container and values["JO"][0] != container:
        abbreviation = values["JO"][0]  # JO beside T2/JF is the abbreviated title
    if container:
        csl["container-title"] = container
    elif abbreviation:
        csl["container-title"] = abbreviation
    if abbreviation and abbreviation != csl.get("container-title"):
        csl["container-title-short"] = abbreviation

    for tag, field in (
        ("VL", "volume"),
        ("IS", "issue"),
        ("CP", "issue"),
        ("ET", "edition"),
        ("PB", "publisher"),
        ("CY", "publisher-place"),
        ("PP", "publisher-place"),
        ("LA", "language"),
        ("UR", "URL"),
        ("C7", "number"),
    ):
        if tag in values and field not in csl:
            csl[field] = values[tag][0]
    number = first("M1")
    if number and "number" not in csl and len(number) <= 20 and any(c.isdigit() for c in number):
        csl["number"] = number  # M1 also carries prose ("Copyright (C) 2016 ...")
    notes = [n for n in values.get("N1", ()) if not _is_doi_only(n)]
    if notes:
        csl["note"] = "\n".join(notes)
    if csl.get("edition", "").count("/") >= 1:  # PubMed puts the e-pub date in ET
        del csl["edition"]
    start, end = first("SP"), first("EP")
    if start and end and "-" not in start:
        csl["page"] = f"{start}-{end}"
    elif start:
        csl["page"] = start
    date = _date(values)
    if date:
        csl["issued"] = date
    abstract = first("AB", "N2")
    if abstract:
        csl["abstract"] = abstract
    keywords = [k.strip() for v in values.get("KW", ()) for k in v.split(";") if k.strip()]
    if keywords:
        csl["keyword"] = ", ".join(dict.fromkeys(keywords))
    for value in values.get("SN", ()):
        add_standard_numbers(csl, kinds, value)
    if "BN" in values:
        add_standard_numbers(csl, kinds, values["BN"][0])

    doi = first_doi(
        *values.get("DO", ()),
        *values.get("DI", ()),
        *values.get("M3", ()),
        *(u for u in values.get("UR", ()) if "doi" in u.lower()),
        *values.get("N1", ()),
        *values.get("L3", ()),
    )
    if doi:
        csl["DOI"] = doi
    if "URL" in csl and doi and doi.lower() in csl["URL"].lower() and "doi" in csl["URL"]:
        other = [u for u in values.get("UR", ()) if doi.lower() not in u.lower()]
        if other:
            csl["URL"] = other[0]
    database = (first("DB", "DP") or "").lower()
    extra = [v for t in ("U1", "U2", "U3", "U4", "U5", "N1", "C2") for v in values.get(t, ())]
    for value in extra:
        pmid = _PMID_RE.search(value) or _NOTE_PMID_RE.search(value)
        if pmid and "PMID" not in csl:
            csl["PMID"] = pmid.group(1)
        pmcid = _PMCID_RE.search(value)
        if pmcid and "PMCID" not in csl:
            csl["PMCID"] = pmcid.group(1) or pmcid.group(2)
    accession = first("AN")
    if accession and ("pubmed" in database or "medline" in database) and accession.isdigit():
        csl.setdefault("PMID", accession)
    return csl, kinds, first("ID")


def _is_doi_only(note: str) -> bool:
    doi = first_doi(note)
    return doi is not None and len(note) < len(doi) + 12


class RISParser(StreamingParser):
    name = "ris"
    label = "RIS"
    aliases = ("refman",)

    def sniff(self, text: str) -> float:
        head = text[:20000]
        if re.search(r"^TY {1,2}- ?\S", head, re.MULTILINE):
            return 0.95
        tagged = re.findall(r"^[A-Z][A-Z0-9] {1,2}- ", head, re.MULTILINE)
        if len(tagged) >= 3 and re.search(r"^ER {1,2}-", head, re.MULTILINE):
            return 0.7
        return 0.0

    streams = True

    def read(self, text: str, origin: str) -> Iterator[Record | Failure]:
        if text.startswith("\ufeff"):
            text = text[1:]
        return self._records(read_records(text), origin)

    def read_pieces(
        self, pieces: Callable[[], Iterator[str]], origin: str
    ) -> Iterator[Record | Failure]:
        return self._records(read_record_lines(piece_lines(without_bom(pieces()))), origin)

    def _records(
        self, records: Iterator[tuple[int, list[tuple[str, str]], str, bool]], origin: str
    ) -> Iterator[Record | Failure]:
        for position, (line, tags, raw, _ended) in enumerate(records, start=1):
            if not any(value for tag, value in tags if tag != "TY"):
                yield Failure(
                    origin,
                    "empty RIS record: a TY line with no fields after it",
                    record=position,
                    line=line,
                )
                continue
            csl, kinds, own_id = tags_to_csl(tags)
            yield Record(csl, SourceRef(self.name, origin, own_id, position, line), raw, kinds)
