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

import re
from collections.abc import Iterator

from records.decoding import decode, strip_controls
from records.errors import HarvesterError, UnknownFormat, UsageError
from records.model import Failure, ParseResult
from records.normalize.record import normalize_csl
from records.parsers.base import DEFAULT_BATCH, Parser
from records.parsers.bibtex import BibTeXParser
from records.parsers.csljson import CSLJSONParser, CSLYAMLParser
from records.parsers.csv_table import CSVParser
from records.parsers.doi_list import DOIListParser
from records.parsers.ebsco import EbscoRecordParser
from records.parsers.endnote_xml import EndNoteXMLParser
from records.parsers.html_meta import HtmlPageParser
from records.parsers.marc import MARC21Parser, MARCXMLParser
from records.parsers.medline import MedlineParser
from records.parsers.oai_dc import OAIDCParser
from records.parsers.primo import PrimoRecordParser
from records.parsers.pubmed_page import PubMedPageParser
from records.parsers.pubmed_xml import PubMedXMLParser
from records.parsers.reference_string import ReferenceStringParser
from records.parsers.ris import RISParser
from records.parsers.springer import SpringerPageParser
from records.parsers.vufind import VuFindPageParser
from records.parsers.vufind_results import VuFindResultListParser
from records.parsers.wos import WebOfScienceParser

# Detection order matters only on ties: the parser with the highest confidence wins.
PARSERS: list[Parser] = [
    VuFindPageParser(),
    VuFindResultListParser(),
    SpringerPageParser(),
    BibTeXParser(),
    RISParser(),
    MedlineParser(),
    CSLJSONParser(),
    CSLYAMLParser(),
    EndNoteXMLParser(),
    PubMedXMLParser(),
    MARCXMLParser(),
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


def _sniff(parser: Parser, text: str) -> float:
    """A sniffer's score; one that fails on odd text is not sure of it."""
    try:
        return parser.sniff(text)
    except (Exception, RecursionError):  # a sniffer must never stop detection
        return 0.0


def detect(text: str, origin: str) -> Parser:
    """The parser most confident that it can read ``text``; :class:`UnknownFormat` if none is."""
    scored = sorted(
        ((_sniff(p, text), i, p) for i, p in enumerate(PARSERS)), key=lambda t: (-t[0], t[1])
    )
    if scored and scored[0][0] >= DETECTION_THRESHOLD:
        return scored[0][2]
    raise UnknownFormat(origin, [p.label for p in PARSERS])


def iter_parse_text(
    text: str, origin: str, format: str | None = None, *, batch: int = DEFAULT_BATCH
) -> Iterator[ParseResult]:
    """The normalized records and failures of ``text`` in batches of about ``batch`` records
    (failures count), in input order, with the positions, lines and ids :func:`parse_text`
    gives them; batches are never empty.

    The format is detected (or :class:`UnknownFormat` / :class:`UsageError` raised) right away,
    from the head of the text; reading happens as the batches are taken. RIS, MEDLINE, BibTeX and
    CSL-JSON are read batch by batch (memory follows the batch, besides ``text`` itself); the
    other formats are read whole and come as one batch.
    """
    # Stray control characters go here too, for text that did not come through decode().
    return _iter_clean(strip_controls(text), origin, format, batch)


def _iter_clean(text: str, origin: str, format: str | None, batch: int) -> Iterator[ParseResult]:
    parser = get_parser(format) if format else detect(text, origin)
    return _normalized(
        _with_page_url(
            parser, origin, _guarded(parser, origin, parser.iter_parse(text, origin, batch))
        )
    )


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


def _normalized(results: Iterator[ParseResult]) -> Iterator[ParseResult]:
    for result in results:
        for record in result.records:
            record.csl = normalize_csl(record.csl)
        yield result


def iter_parse(
    data: bytes, origin: str, format: str | None = None, *, batch: int = DEFAULT_BATCH
) -> Iterator[ParseResult]:
    """Decode (BOM, UTF-16, legacy code pages) and parse in batches: :func:`iter_parse_text`.

    Empty or binary input raises (:class:`EmptyInput`, :class:`BinaryInput`) right away.
    """
    return _iter_clean(decode(data, origin), origin, format, batch)  # decode() strips controls


def parse_text(text: str, origin: str, format: str | None = None) -> ParseResult:
    """Parse and normalize every record in ``text``: :func:`iter_parse_text` merged."""
    result = ParseResult()
    for batch in iter_parse_text(text, origin, format):
        result.extend(batch)
    return result


def parse_bytes(data: bytes, origin: str, format: str | None = None) -> ParseResult:
    """Decode (BOM, UTF-16, legacy code pages) and parse; raises for empty or binary input."""
    result = ParseResult()
    for batch in iter_parse(data, origin, format):
        result.extend(batch)
    return result


__all__ = [
    "PARSERS",
    "Parser",
    "detect",
    "get_parser",
    "iter_parse",
    "iter_parse_text",
    "parse_bytes",
    "parse_text",
    "register",
]
