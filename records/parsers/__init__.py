"""The parser framework: detect an input's format from its content and read it into records.

Each parser is a small module with one :class:`~records.parsers.base.Parser` subclass; the
registry below lists them in detection order. The public API:

    result = parse_bytes(data, origin="refs.ris")           # auto-detected
    result = parse_text(text, origin="-", format="ris")     # forced
    for batch in iter_parse(data, origin="refs.ris"):       # streamed, ~1000 records a batch
        ...

Each returns (or yields) :class:`~records.model.ParseResult`: normalized records plus failures
as data (one per malformed record, with its place), never an exception for a bad record.
``parse_*`` is ``iter_parse`` merged, so the two always agree.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

from records.decoding import HEAD_BYTES, ByteChunks, decode, decode_stream, strip_controls
from records.errors import HarvesterError, InputError, UnknownFormat, UnsafeInput, UsageError
from records.model import Doubt, Failure, ParseResult
from records.normalize.plausibility import Checker
from records.normalize.record import normalize_csl
from records.parsers.base import (
    DEFAULT_BATCH,
    SNIFF_WINDOW,
    Parser,
    StreamingParser,
    batches,
    is_markup,
)
from records.parsers.bibtex import BibTeXParser
from records.parsers.crossref_xml import CrossrefXMLParser
from records.parsers.csljson import CSLJSONParser, CSLYAMLParser
from records.parsers.csv_table import CSVParser
from records.parsers.doi_list import DOIListParser
from records.parsers.ebsco import EbscoRecordParser
from records.parsers.endnote_xml import EndNoteXMLParser
from records.parsers.html_meta import HtmlPageParser
from records.parsers.marc import MARC21Parser, MARCXMLParser
from records.parsers.medline import MedlineParser
from records.parsers.mods import MODSParser
from records.parsers.oai_dc import OAIDCParser
from records.parsers.pnx import PNXParser
from records.parsers.primo import PrimoRecordParser
from records.parsers.pubmed_page import PubMedPageParser
from records.parsers.pubmed_xml import PubMedXMLParser
from records.parsers.refer import ReferParser
from records.parsers.reference_string import ReferenceStringParser
from records.parsers.refworks import RefWorksParser
from records.parsers.ris import RISParser
from records.parsers.springer import SpringerPageParser
from records.parsers.vufind import VuFindPageParser
from records.parsers.vufind_results import VuFindResultListParser
from records.parsers.wos import WebOfScienceParser
from records.xmlsafe import local_name, parse_xml

# Detection order matters only on ties: the parser with the highest confidence wins.
PARSERS: list[Parser] = [
    VuFindPageParser(),
    VuFindResultListParser(),
    SpringerPageParser(),
    BibTeXParser(),
    RISParser(),
    RefWorksParser(),
    ReferParser(),
    MedlineParser(),
    CSLJSONParser(),
    CSLYAMLParser(),
    EndNoteXMLParser(),
    PubMedXMLParser(),
    MARCXMLParser(),
    MODSParser(),
    CrossrefXMLParser(),
    PNXParser(),
    MARC21Parser(),
    WebOfScienceParser(),
    CSVParser(),
    PubMedPageParser(),
    EbscoRecordParser(),
    PrimoRecordParser(),
    HtmlPageParser(),
    ReferenceStringParser(),
    DOIListParser(),
    OAIDCParser(),
]

# A parser must be at least this sure before it may read an input it was not asked to read.
DETECTION_THRESHOLD = 0.5


def register(parser: Parser) -> None:
    """Add a parser (a plugin, or a test's) to the registry."""
    PARSERS.append(parser)


def parser_names() -> list[str]:
    return [p.name for p in PARSERS]


def get_parser(name: str) -> Parser:
    for parser in PARSERS:
        if parser.name == name or name in parser.aliases:
            return parser
    raise UsageError(f"unknown format {name!r}; known formats: {', '.join(parser_names())}")


# Two readers whose confidence is this close both claim a text: the evidence decides.
AMBIGUITY_MARGIN = 0.15
# Up to this size a contested text is read by both claimants to weigh their evidence.
EVIDENCE_LIMIT = 4_000_000

log = logging.getLogger("records.parsers")


def _sniff(parser: Parser, text: str) -> float:
    """A sniffer's score; one that fails on odd text is not sure of it."""
    try:
        return parser.sniff(text)
    except (Exception, RecursionError):  # a sniffer must never stop detection
        return 0.0


def detect(text: str, origin: str) -> Parser:
    """The parser most confident that it can read ``text``; :class:`UnknownFormat` if none is.

    When a second reader claims the text about as confidently, both read it and the one that
    makes more of it (fields read, minus failures) wins; the choice is logged as a warning
    (``records.parsers``) naming both, so the user knows to check or pass ``--format``. When
    they read the same works (the same titles), there was nothing to choose: no warning.
    """
    scored = _ranked(text)
    if not scored or scored[0][0] < DETECTION_THRESHOLD:
        raise _unknown(text, origin, scored)
    best, rivals = (
        scored[0],
        [t for t in scored[1:] if t[0] >= DETECTION_THRESHOLD and _close(scored[0], t)],
    )
    if not rivals:
        return best[2]
    if len(text) > EVIDENCE_LIMIT:
        chosen, evidence = best[2], {}
    else:
        readings = {p.name: _evidence(p, text, origin) for _, _, p in [best, *rivals]}
        evidence = {name: score for name, (score, _) in readings.items()}
        chosen = max([best, *rivals], key=lambda t: (evidence[t[2].name], t[0], -t[1]))[2]
        same = {titles for _, titles in readings.values()}
        if len(same) == 1 and all(readings[chosen.name][1]):
            return chosen  # every claimant reads the same works: the richest reading, silently
    others = [t[2] for t in [best, *rivals] if t[2] is not chosen]
    log.warning(
        "%s: read as %s%s; %s also fits%s (use --format to choose)",
        origin,
        chosen.label,
        f" ({evidence[chosen.name]:g} fields read)" if evidence else "",
        ", ".join(p.label for p in others),
        " (" + ", ".join(f"{evidence[p.name]:g}" for p in others) + " fields read)"
        if evidence
        else "",
    )
    return chosen


def _ranked(text: str) -> list[tuple[float, int, Parser]]:
    """Every reader's confidence in ``text``, most confident first."""
    return sorted(
        ((_sniff(p, text), i, p) for i, p in enumerate(PARSERS)), key=lambda t: (-t[0], t[1])
    )


def _close(best: tuple[float, int, Parser], other: tuple[float, int, Parser]) -> bool:
    return best[0] - other[0] < AMBIGUITY_MARGIN


def _evidence(parser: Parser, text: str, origin: str) -> tuple[float, tuple[str, ...]]:
    """How much a reader makes of a text (the fields of its records, less 5 a failure), and
    the titles it reads (folded), to tell whether two readers see the same works."""
    try:
        result = parser.parse(text, origin)
    except Exception:  # a reader that cannot read the text at all has no evidence for it
        return -1.0, ()
    score = sum(len(r.csl) for r in result.records) - 5 * len(result.failures)
    titles = tuple(" ".join(str(r.csl.get("title", "")).casefold().split()) for r in result.records)
    return score, titles


def _unknown(text: str, origin: str, scored: list[tuple[float, int, Parser]]) -> UnknownFormat:
    """What to tell the user when no reader is sure: where a JSON or XML text broke (it is
    meant to be one of those), else the readers that came closest."""
    tried = [p.label for p in PARSERS]
    start = text[:1000].lstrip("\ufeff \t\r\n")[:1]
    if start in "[{" and start:
        try:
            json.loads(text)
        except ValueError as exc:
            line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
            message = getattr(exc, "msg", str(exc))
            return UnknownFormat(
                origin, tried, broken=f"broken JSON at column {column}: {message}", line=line
            )
    if start == "<" and not re.match(r"\s*(?:\ufeff)?<(?:!doctype\s+html|html)", text[:500], re.I):
        try:
            root = parse_xml(text, origin)
        except UnsafeInput:
            raise
        except InputError as exc:
            return UnknownFormat(origin, tried, broken=f"broken XML: {exc.reason}", line=exc.line)
        return UnknownFormat(
            origin, tried, broken=f"XML with root <{local_name(root)}>, which no reader knows"
        )
    closest = [f"{p.label}" for score, _, p in scored if score > 0][:3]
    return UnknownFormat(origin, tried, closest=closest)


def iter_parse_text(
    text: str,
    origin: str,
    format: str | None = None,
    *,
    batch: int = DEFAULT_BATCH,
    strict: bool = False,
) -> Iterator[ParseResult]:
    """The normalized records and failures of ``text`` in batches of about ``batch`` records
    (failures count), in input order, with the positions, lines and ids :func:`parse_text`
    gives them; batches are never empty.

    The format is detected (or :class:`UnknownFormat` / :class:`UsageError` raised) right away,
    from the head of the text; reading happens as the batches are taken. RIS, MEDLINE, BibTeX and
    CSL-JSON are read batch by batch (memory follows the batch, besides ``text`` itself); the
    other formats are read whole and come as one batch.

    Every record's values pass the plausibility check
    (:mod:`records.normalize.plausibility`): what fails is dropped and reported on the batch as
    a :class:`~records.model.Doubt`; with ``strict`` a record with a doubt becomes a failure.
    """
    # Stray control characters go here too, for text that did not come through decode().
    return _iter_clean(strip_controls(text), origin, format, batch, strict)


def _iter_clean(
    text: str, origin: str, format: str | None, batch: int, strict: bool
) -> Iterator[ParseResult]:
    original = text
    if not is_markup(text) and _SPACES.search(text[:SNIFF_WINDOW]):
        # Copied web pages carry no-break spaces where the page had &nbsp; ("Published\xa0in:"):
        # for text layouts they are spaces (markup keeps them: an HTML reader decodes entities).
        text = text.translate(_AS_SPACE)
    parser = get_parser(format) if format else detect(text, origin)
    page = parser.page or parser.name in PAGE_LISTS
    if not page:
        text = original  # an export's values keep their no-break spaces
    results = _guarded(parser, origin, parser.iter_parse(text, origin, batch))
    if text is not original:
        results = _verbatim(results, text, original)
    return _normalized(_with_page_url(parser, origin, results), page=page, strict=strict)


def _verbatim(
    results: Iterator[ParseResult], read: str, original: str
) -> Iterator[ParseResult]:
    """Records keep the text as it came (the store keeps every record verbatim): a page read
    with its no-break spaces as spaces gets its raw text back from the original, at the same
    place (the translation keeps every character's position)."""
    for result in results:
        for record in result.records:
            at = read.find(record.raw)
            if record.raw and at >= 0:
                record.raw = original[at : at + len(record.raw)]
        yield result


_SPACES = re.compile("[\u00a0\u2007\u202f]")
_AS_SPACE = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " "})
# Layouts of pages that list records (not one record's page): their titles are page text too.
PAGE_LISTS = frozenset({"vufind-results"})


def _guarded(parser: Parser, origin: str, results: Iterator[ParseResult]) -> Iterator[ParseResult]:
    """The parser's batches; whatever escapes a reader (a library's own error on hostile
    bytes, nesting deeper than the interpreter's stack) ends the input with one failure that
    names it, after the records read before it. Input errors (unsafe XML...) pass as they are:
    they are the caller's one-line refusal of the whole input."""
    try:
        yield from results
    except HarvesterError:
        raise
    except RecursionError:
        yield _stopped(origin, f"nested too deeply to read as {parser.label}")
    except (Exception, MemoryError) as exc:  # any reader, any bytes
        yield _stopped(origin, f"could not read the rest as {parser.label}: {_one_line(exc)}")


def _stopped(origin: str, reason: str) -> ParseResult:
    return ParseResult(failures=[Failure(origin, reason)])


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


_WEB_ADDRESS = re.compile(r"^https?://\S+$", re.I)


def _with_page_url(
    parser: Parser, origin: str, results: Iterator[ParseResult]
) -> Iterator[ParseResult]:
    """When ``origin`` is the http(s) address the text was fetched from and the text is one
    record's page (:attr:`Parser.page`), that address is the record's ``URL`` unless the page
    names its own (a canonical link, ``citation_public_url``, ``og:url``...)."""
    if not (parser.page and _WEB_ADDRESS.match(origin)):
        yield from results
        return
    batches = list(results)  # page layouts are read whole: one batch
    records = [record for batch in batches for record in batch.records]
    if len(records) == 1 and not records[0].csl.get("URL"):
        records[0].csl["URL"] = origin
    yield from batches


def _normalized(
    results: Iterator[ParseResult], *, page: bool, strict: bool
) -> Iterator[ParseResult]:
    checker = Checker()
    for result in results:
        kept = []
        for record in result.records:
            record.csl = normalize_csl(record.csl)
            source = record.source
            for field, value, reason in [*record.rejected, *checker.check(record, page=page)]:
                doubt = Doubt(source.origin, field, value, reason, source.position, source.line)
                record.doubts.append(doubt.message())
                result.doubts.append(doubt)
            if (strict or (page and not record.csl.get("title"))) and record.doubts:
                # A page record whose title was refused is no record (a page always shows
                # its title): it fails like a page without one.
                why = "doubtful value (--strict)" if strict else "no title left"
                result.failures.append(
                    Failure(
                        source.origin,
                        f"{why}: {record.doubts[0]}",
                        record=source.position,
                        line=source.line,
                    )
                )
            else:
                kept.append(record)
        result.records = kept
        yield result


def iter_parse(
    data: bytes,
    origin: str,
    format: str | None = None,
    *,
    batch: int = DEFAULT_BATCH,
    strict: bool = False,
) -> Iterator[ParseResult]:
    """Decode (BOM, UTF-16, legacy code pages) and parse in batches: :func:`iter_parse_text`.

    Empty or binary input raises (:class:`EmptyInput`, :class:`BinaryInput`) right away.
    """
    # decode() strips stray controls
    return _iter_clean(decode(data, origin), origin, format, batch, strict)


def iter_parse_stream(
    chunks: ByteChunks,
    origin: str,
    format: str | None = None,
    *,
    batch: int = DEFAULT_BATCH,
    strict: bool = False,
    head_bytes: int = HEAD_BYTES,
) -> Iterator[ParseResult]:
    """:func:`iter_parse` of the bytes ``chunks()`` yields (a file read a chunk at a time; it
    may be called more than once, each call a fresh pass from the start), with the same
    records, failures and places, and memory for a few batches rather than for the file.

    The input is decoded incrementally (:func:`records.decoding.decode_stream`) and its format
    detected from its head. RIS, MEDLINE, BibTeX, CSL-JSON arrays, PubMed XML and EndNote XML
    are then read as the text comes (:meth:`StreamingParser.read_pieces`; BibTeX reads its
    ``@string`` and ``crossref`` places in a pass of their own first, as the whole-text reader
    does; the XML readers check the document in a first pass). The others are read whole, as
    :func:`iter_parse` reads them: the other XML formats, MARC and page layouts (their
    libraries read whole documents), CSV (a quoted cell may hold line breaks), a CSL-JSON
    object and YAML. So is a text whose format only reading it all settles (two
    readers claim its head) or that no reader claims (the error says where it broke).
    """
    stream = decode_stream(chunks, origin, head_bytes)
    if stream.complete:
        return _iter_clean(stream.head, origin, format, batch, strict)
    parser = _streaming_reader(stream.head, format)
    if parser is None:
        return _iter_clean(stream.text(), origin, format, batch, strict)
    items = parser.read_pieces(stream.pieces, origin)
    results = _guarded(parser, origin, batches(items, batch))
    return _normalized(results, page=False, strict=strict)


def _streaming_reader(head: str, format: str | None) -> StreamingParser | None:
    """The reader of a text with this head when it reads pieces and the head settles it as
    :func:`detect` settles the whole text (no rival; sniffers look at the head alone)."""
    text = head
    if not is_markup(head) and _SPACES.search(head[:SNIFF_WINDOW]):
        text = head.translate(_AS_SPACE)
    if format:
        parser = get_parser(format)
    else:
        scored = _ranked(text)
        if not scored or scored[0][0] < DETECTION_THRESHOLD:
            return None
        if any(t[0] >= DETECTION_THRESHOLD and _close(scored[0], t) for t in scored[1:]):
            return None
        parser = scored[0][2]
    if not isinstance(parser, StreamingParser) or not parser.streams:
        return None
    if parser.page or parser.name in PAGE_LISTS:
        return None
    return parser


def parse_text(
    text: str, origin: str, format: str | None = None, *, strict: bool = False
) -> ParseResult:
    """Parse and normalize every record in ``text``: :func:`iter_parse_text` merged."""
    result = ParseResult()
    for batch in iter_parse_text(text, origin, format, strict=strict):
        result.extend(batch)
    return result


def parse_bytes(
    data: bytes, origin: str, format: str | None = None, *, strict: bool = False
) -> ParseResult:
    """Decode (BOM, UTF-16, legacy code pages) and parse; raises for empty or binary input."""
    result = ParseResult()
    for batch in iter_parse(data, origin, format, strict=strict):
        result.extend(batch)
    return result


__all__ = [
    "PARSERS",
    "Parser",
    "detect",
    "get_parser",
    "iter_parse",
    "iter_parse_stream",
    "iter_parse_text",
    "parse_bytes",
    "parse_text",
    "register",
]
