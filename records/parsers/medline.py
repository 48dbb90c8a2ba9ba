"""MEDLINE / PubMed "nbib" tagged format (``PMID- 38760522``, ``TI  - ...``) -> records.

The format is simple enough that no library is needed (and none is well kept): a tag of up to
four characters padded to four, ``- ``, the value; continuation lines are indented six spaces;
records are separated by blank lines and start with ``PMID-``. Mapped as NLM documents it:
``FAU`` (full names) preferred over ``AU`` (``Radosa CG``), ``CN`` as a corporate author,
``JT``/``TA`` full and abbreviated journal, ``PG`` with NLM's abbreviated end page, ``DP``
(``2010 Sep-Oct``), ``IS`` with ``(Print)``/``(Electronic)``/``(Linking)``, the DOI from
``AID``/``LID`` ``[doi]``, ``PT`` publication types -> CSL type, ``PMC``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from records.identifiers import normalize_isbn, normalize_issn, normalize_pmid
from records.model import CSLItem, Failure, IssnKind, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.names import make_name, parse_name
from records.normalize.types import normalize_type
from records.parsers.base import (
    StreamingParser,
    iter_lines,
    piece_lines,
    stripped_head,
    without_bom,
)
from records.parsers.fields import TagValues, add_isbn, add_issn

_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")
_CONTINUATION = "      "
_SNIFF_RE = re.compile(r"^([A-Z]{2,4}) *- ?", re.MULTILINE)
# Tags no other tagged format uses.
_MEDLINE_ONLY = frozenset(
    "PMID PMC OWN STAT DCOM LR FAU FED BTI JT TA DP PG VI IP LID AID PST MH OT SO CRDT EDAT MHDA JID PHST".split()
)


# PubMed publication types that normalize_type does not know (they are MEDLINE's own words).
_PT_TYPES = {
    "academic dissertation": "thesis",
    "dissertation": "thesis",
    "technical report": "report",
    "preprint": "article",
}
_BOOKISH = frozenset({"book", "report", "thesis"})


def read_records(text: str) -> Iterator[tuple[int, list[tuple[str, str]], str]]:
    """(start line, [(tag, value)], verbatim text) for every record."""
    return read_record_lines(iter_lines(text))


def read_record_lines(text_lines: Iterable[str]) -> Iterator[tuple[int, list[tuple[str, str]], str]]:
    """:func:`read_records` of a text given as its lines (``str.splitlines``)."""
    tags: list[tuple[str, str]] = []
    lines: list[str] = []  # the current record's, for its verbatim text
    start = -1
    for number, line in enumerate(text_lines):
        if not line.strip():  # a blank line ends a record
            if start >= 0 and tags:
                yield start + 1, tags, "\n".join(lines).rstrip()
            start, tags, lines = -1, [], []
            continue
        if line.startswith((_CONTINUATION, "\t")):
            if tags:
                lines.append(line)
                tag, value = tags[-1]
                tags[-1] = (tag, f"{value} {line.strip()}")
            continue
        match = _TAG_RE.match(line)
        if not match:  # neither a tag nor a continuation: not MEDLINE, skipped
            if start >= 0:
                lines.append(line)
            continue
        tag = match.group(1)
        if tag == "PMID" or start < 0:
            if start >= 0 and tags:
                yield start + 1, tags, "\n".join(lines).rstrip()
            start, tags, lines = number, [], []
        lines.append(line)
        tags.append((tag, match.group(2).strip()))
    if start >= 0 and tags:
        yield start + 1, tags, "\n".join(lines).rstrip()


_AU_SUFFIXES = {"Jr": "Jr.", "Sr": "Sr.", "2nd": "2nd", "3rd": "3rd", "II": "II", "III": "III"}


def au_name(value: str) -> dict[str, str]:
    """MEDLINE ``AU`` is always ``Family Initials [Suffix]``: ``Radosa CG``, ``Long V``,
    ``Smith JA Jr`` (a lone ``V`` here is an initial, never the suffix "the fifth")."""
    words = value.split()
    suffix = ""
    if len(words) > 2 and words[-1] in _AU_SUFFIXES:
        suffix = _AU_SUFFIXES[words.pop()]
    if len(words) > 1 and words[-1].isalpha() and words[-1].isupper() and len(words[-1]) <= 4:
        return make_name(" ".join(words[:-1]), words[-1], suffix)
    return parse_name(value)


def _tagged(value: str) -> tuple[str, str]:
    """``10.1007/x [doi]`` -> (``10.1007/x``, ``doi``)."""
    match = re.match(r"^(.*?)\s*\[([a-z-]+)\]\s*$", value)
    return (match.group(1), match.group(2)) if match else (value, "")


def tags_to_csl(
    tags: list[tuple[str, str]],
) -> tuple[CSLItem, dict[str, IssnKind], dict[str, str], str | None]:
    values = TagValues.of(tags)
    first = values.first

    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    original: dict[str, str] = {}
    pmid = normalize_pmid(first("PMID"))
    types = values.get("PT", [])
    # The most telling publication type: a record is "Journal Article" and "Technical Report",
    # "Review" and "Academic Dissertation"; the report and the thesis are what it is.
    kinds_named = [_PT_TYPES.get(pt.casefold()) or normalize_type(pt) for pt in types]
    named = next((k for k in kinds_named if k and k != "article-journal"), None) or next(
        (k for k in kinds_named if k), None
    )
    csl_type = None
    if "BTI" in values and "TI" not in values:  # a Bookshelf book, report or thesis
        csl_type = named if named in _BOOKISH else "book"
    elif "BTI" in values:
        csl_type = "chapter"
    else:
        csl_type = named
    csl["type"] = csl_type or "article-journal"
    title = first("TI", "BTI")
    if title:
        csl["title"] = title
    if csl["type"] == "chapter" and "BTI" in values:
        csl["container-title"] = values["BTI"][0]
    abstract = " ".join(values.get("AB", []))
    if abstract:
        csl["abstract"] = abstract
    names = [parse_name(n) for n in values.get("FAU", [])] or [
        au_name(n) for n in values.get("AU", [])
    ]
    names += [{"literal": n} for n in values.get("CN", [])]
    if names:
        csl["author"] = [n for n in names if n]
    editors = [parse_name(n) for n in values.get("FED", [])] or [
        parse_name(n) for n in values.get("ED", [])
    ]
    if editors:
        csl["editor"] = [n for n in editors if n]
    if "JT" in values:
        csl["container-title"] = values["JT"][0]
    if "TA" in values:
        csl["container-title-short"] = values["TA"][0]
        csl.setdefault("container-title", values["TA"][0])
    for tag, field in (
        ("VI", "volume"),
        ("IP", "issue"),
        ("PG", "page"),
        ("PB", "publisher"),
        ("PL", "publisher-place"),
        ("EN", "edition"),
    ):
        if tag in values:
            csl[field] = values[tag][0]
    if csl["type"] == "article-journal":
        csl.pop("publisher-place", None)  # PL is the journal's country, not a place of publication
    date = parse_date(first("DP") or "")
    if date:
        csl["issued"] = date
    language = first("LA")
    if language:
        csl["language"] = language
        original["language"] = language
    for value in values.get("IS", []):
        issn = normalize_issn(value)
        if not issn:
            continue
        label = value.lower()
        kind: IssnKind | None = (
            "electronic" if "electronic" in label else "print" if "print" in label else None
        )
        add_issn(csl, kinds, issn, kind)
    for value in values.get("ISBN", []):
        isbn = normalize_isbn(value)
        if isbn:
            add_isbn(csl, isbn)
    for value in values.get("AID", []) + values.get("LID", []):
        ident, kind_label = _tagged(value)
        if not kind_label and ident.lower().startswith("doi:"):
            ident, kind_label = ident[4:].strip(), "doi"
        if kind_label == "doi" and "DOI" not in csl:
            csl["DOI"] = ident
        elif kind_label == "pmc" and "PMCID" not in csl:
            csl["PMCID"] = ident
    if "PMC" in values:
        csl["PMCID"] = values["PMC"][0]
    if pmid:
        csl["PMID"] = pmid
    keywords = values.get("OT") or [m.split("/")[0].lstrip("*") for m in values.get("MH", [])]
    if keywords:
        csl["keyword"] = ", ".join(dict.fromkeys(keywords))
    return csl, kinds, original, pmid


class MedlineParser(StreamingParser):
    name = "medline"
    label = "MEDLINE/PubMed (nbib)"
    aliases = ("nbib", "pubmed")

    def sniff(self, text: str) -> float:
        head = stripped_head(text, "\ufeff \r\n", 20000)
        if head.startswith("PMID-"):
            return 0.95
        if re.search(r"^TY {1,2}- ", head, re.MULTILINE):
            return 0.0  # RIS shares two-letter tags with MEDLINE but always has TY
        tags = set(_SNIFF_RE.findall(head))
        if "PMID" in tags and tags & {"TI", "FAU", "AU"}:
            return 0.85
        if len(tags & _MEDLINE_ONLY) >= 2:
            return 0.75
        return 0.0

    streams = True

    def read(self, text: str, origin: str) -> Iterator[Record | Failure]:
        return self._records(read_records(text.lstrip("\ufeff")), origin)

    def read_pieces(
        self, pieces: Callable[[], Iterator[str]], origin: str
    ) -> Iterator[Record | Failure]:
        lines = piece_lines(without_bom(pieces(), strip_all=True))
        return self._records(read_record_lines(lines), origin)

    def _records(
        self, records: Iterator[tuple[int, list[tuple[str, str]], str]], origin: str
    ) -> Iterator[Record | Failure]:
        for position, (line, tags, raw) in enumerate(records, 1):
            csl, kinds, original, pmid = tags_to_csl(tags)
            if not pmid and not any(k in csl for k in ("title", "author", "container-title")):
                found = ", ".join(dict.fromkeys(t for t, _ in tags))
                yield Failure(
                    origin,
                    f"MEDLINE record has no PMID, title, author or journal (tags: {found})",
                    record=position,
                    line=line,
                )
                continue
            yield Record(
                csl, SourceRef(self.name, origin, pmid, position, line), raw, kinds, original
            )
