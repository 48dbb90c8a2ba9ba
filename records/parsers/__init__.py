"""The parser framework: detect an input's format from its content and read it into records.

Each parser is a small module with one :class:`~records.parsers.base.Parser` subclass; the
registry below lists them in detection order. :func:`parse_text` is the whole public API:

    result = parse_text(text, origin="refs.ris")          # auto-detected
    result = parse_text(text, origin="-", format="ris")   # forced

It returns a :class:`~records.model.ParseResult`: normalized records plus failures as data
(one per malformed record, with its place), never an exception for a bad record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from records.decoding import decode
from records.errors import UnknownFormat, UsageError
from records.model import ParseResult
from records.normalize.record import normalize_csl
from records.parsers.base import Parser
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


def detect(text: str, origin: str) -> Parser:
    """The parser most confident that it can read ``text``; :class:`UnknownFormat` if none is."""
    scored = sorted(
        ((p.sniff(text), i, p) for i, p in enumerate(PARSERS)), key=lambda t: (-t[0], t[1])
    )
    if scored and scored[0][0] >= DETECTION_THRESHOLD:
        return scored[0][2]
    raise UnknownFormat(origin, [p.label for p in PARSERS])


_WEB_ADDRESS = re.compile(r"^https?://\S+$", re.I)


def parse_text(text: str, origin: str, format: str | None = None) -> ParseResult:
    """Parse and normalize every record in ``text``; see the module docstring.

    When ``origin`` is the http(s) address the text was fetched from and the text is one
    record's page (:attr:`Parser.page`), that address is the record's ``URL`` unless the page
    names its own (a canonical link, ``citation_public_url``, ``og:url``...).
    """
    parser = get_parser(format) if format else detect(text, origin)
    result = parser.parse(text, origin)
    if parser.page and len(result.records) == 1 and _WEB_ADDRESS.match(origin):
        csl = result.records[0].csl
        if not csl.get("URL"):
            csl["URL"] = origin
    for record in result.records:
        record.csl = normalize_csl(record.csl)
    return result


def parse_bytes(data: bytes, origin: str, format: str | None = None) -> ParseResult:
    """Decode (BOM, UTF-16, legacy code pages) and parse; raises for empty or binary input."""
    return parse_text(decode(data, origin), origin, format)


def iter_parse(
    data: bytes, origin: str, format: str | None = None, *, batch: int = 1000
) -> Iterator[ParseResult]:
    """Parse ``data`` like :func:`parse_bytes`, handing the records over in batches of about
    ``batch``, in input order (failures come with the batch they were found in)."""
    result = parse_bytes(data, origin, format)
    records = result.records
    for start in range(0, max(len(records), 1), batch):
        yield ParseResult(records[start : start + batch], result.failures if start == 0 else [])


__all__ = [
    "PARSERS",
    "Parser",
    "detect",
    "get_parser",
    "iter_parse",
    "parse_bytes",
    "parse_text",
    "register",
]
