"""EndNote XML (``<xml><records><record>...``) -> records, parsed with :mod:`records.xmlsafe`.

Each ``<record>`` keeps its ``<rec-number>`` as its id (the number EndNote shows, which the SRA
deduplication benchmark's ``id_000000k`` does *not* follow: that is the position). Values are
wrapped in ``<style>`` runs and read as their whole text. ``ref-type`` names map to CSL types;
``electronic-resource-num`` is EndNote's DOI field, though exports also put DOIs in URLs and
notes; ``isbn`` holds ISSNs for journals and ISBNs for books.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import etree

from records.model import CSLItem, Failure, IssnKind, Record
from records.normalize.dates import parse_date
from records.normalize.names import parse_name
from records.normalize.types import normalize_type
from records.parsers.base import StreamingParser
from records.parsers.fields import add_standard_numbers, first_doi, year_month_day
from records.parsers.xml_records import ElementFormat, stream_records, whole_items
from records.xmlsafe import text_of

REF_TYPES = {
    "journal article": "article-journal",
    "electronic article": "article-journal",
    "book": "book",
    "edited book": "book",
    "electronic book": "book",
    "book section": "chapter",
    "electronic book section": "chapter",
    "conference proceedings": "paper-conference",
    "conference paper": "paper-conference",
    "thesis": "thesis",
    "report": "report",
    "government document": "report",
    "web page": "webpage",
    "generic": "document",
    "newspaper article": "article-newspaper",
    "magazine article": "article-magazine",
    "patent": "patent",
    "dataset": "dataset",
    "computer program": "software",
    "unpublished work": "manuscript",
    "manuscript": "manuscript",
    "encyclopedia": "entry-encyclopedia",
    "dictionary": "entry-dictionary",
    "case": "legal_case",
    "statute": "legislation",
    "bill": "bill",
    "map": "map",
    "film or broadcast": "motion_picture",
    "personal communication": "personal_communication",
    "serial": "periodical",
    "standard": "standard",
}


def _texts(record: etree._Element, path: str) -> list[str]:
    return [t for t in (text_of(e) for e in record.iterfind(path)) if t]


def _first(record: etree._Element, *paths: str) -> str:
    for path in paths:
        value = text_of(record.find(path))
        if value:
            return value
    return ""


def record_to_csl(record: etree._Element) -> tuple[CSLItem, dict[str, IssnKind], str | None]:
    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    ref_type = record.find("ref-type")
    if ref_type is not None:
        label = (ref_type.get("name") or "").lower()
        csl_type = REF_TYPES.get(label) or normalize_type(label)
        if csl_type:
            csl["type"] = csl_type
    title = _first(record, "titles/title")
    if title:
        csl["title"] = title
    short = _first(record, "titles/short-title")
    if short and short != title:
        csl["title-short"] = short
    container = _first(record, "periodical/full-title", "titles/secondary-title")
    if container:
        csl["container-title"] = container
    abbreviation = _first(record, "periodical/abbr-1", "titles/alt-title", "alt-periodical/abbr-1")
    if abbreviation and abbreviation != container:
        csl["container-title-short"] = abbreviation
    series = _first(record, "titles/tertiary-title")
    if series:
        csl["collection-title"] = series
    for path, field in (
        ("contributors/authors/author", "author"),
        ("contributors/secondary-authors/author", "editor"),
        ("contributors/tertiary-authors/author", "collection-editor"),
        ("contributors/translated-authors/author", "translator"),
    ):
        names = [n for n in (parse_name(v) for v in _texts(record, path)) if n]
        if names:
            csl[field] = names
    for path, field in (
        ("volume", "volume"),
        ("number", "issue"),
        ("pages", "page"),
        ("edition", "edition"),
        ("publisher", "publisher"),
        ("pub-location", "publisher-place"),
        ("language", "language"),
        ("abstract", "abstract"),
        ("section", "section"),
    ):
        value = _first(record, path)
        if value:
            csl[field] = value
    year = _first(record, "dates/year")
    pub_date = _first(record, "dates/pub-dates/date")
    date = None
    if pub_date:
        date = parse_date(pub_date)
        if date and year and str(date["date-parts"][0][0]) != year.strip()[:4]:
            date = None
        if not date and year:
            date = parse_date(f"{year} {pub_date}")
    if not date:
        date = year_month_day(year)
    if date:
        csl["issued"] = date
    keywords = _texts(record, "keywords/keyword")
    if keywords:
        csl["keyword"] = ", ".join(dict.fromkeys(keywords))
    isbn = _first(record, "isbn")
    if isbn:
        add_standard_numbers(csl, kinds, isbn)
    urls = _texts(record, "urls/related-urls/url") + _texts(record, "urls/web-urls/url")
    doi = first_doi(
        _first(record, "electronic-resource-num"),
        *(u for u in urls if "doi" in u.lower()),
        _first(record, "notes"),
    )
    if doi:
        csl["DOI"] = doi
    other_urls = [
        u
        for u in urls
        if u.lower().startswith(("http", "ftp", "www.")) and not (doi and doi.lower() in u.lower())
    ]
    if other_urls:
        csl["URL"] = other_urls[0]
    accession = _first(record, "accession-num")
    database = _first(record, "remote-database-name", "remote-database-provider").lower()
    if accession.isdigit() and ("medline" in database or "pubmed" in database):
        csl["PMID"] = accession
    rec_number = _first(record, "rec-number") or None
    return csl, kinds, rec_number


ENDNOTE_XML = ElementFormat(
    "endnote-xml",
    lambda root: root.iter("record"),
    record_to_csl,
    lambda csl, _: bool(csl.get("title") or csl.get("author")),
    "EndNote record has neither title nor authors",
    tags=("record",),
)


class EndNoteXMLParser(StreamingParser):
    """A library's records are read as the text comes (:mod:`records.parsers.xml_records`)."""

    name = "endnote-xml"
    label = "EndNote XML"
    aliases = ("endnote",)
    streams = True

    def sniff(self, text: str) -> float:
        head = text[:4000].lstrip("\ufeff \r\n")
        if (
            "<records>" in head
            and "<record>" in head
            and ("<ref-type" in head or "<rec-number>" in text[:20000])
        ):
            return 0.95
        if head.startswith(("<?xml", "<xml>")) and "<records>" in head:
            return 0.6
        return 0.0

    def read(self, text: str, origin: str) -> Iterator[Record | Failure]:
        return whole_items(text, origin, ENDNOTE_XML)

    def read_pieces(
        self, pieces: Callable[[], Iterator[str]], origin: str
    ) -> Iterator[Record | Failure]:
        return stream_records(pieces, origin, ENDNOTE_XML)
