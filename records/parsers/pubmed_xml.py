"""PubMed XML (efetch ``PubmedArticleSet``: ``PubmedArticle`` and ``PubmedBookArticle``) -> records.

Parsed with :mod:`records.xmlsafe` (the efetch DOCTYPE names NLM's DTD; it is never fetched).
Titles and abstracts keep their text without inline markup (``<i>``, ``<sup>``, MathML);
structured abstracts are written ``Label: text``. ``MedlineDate`` ("2010 Sep-Oct") and
``PubDate`` parts both become CSL dates; ``ISSN IssnType`` gives print vs electronic.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

from records.identifiers import normalize_isbn, normalize_issn
from records.model import CSLItem, Failure, IssnKind, Record
from records.normalize.dates import parse_date
from records.normalize.names import make_name
from records.normalize.types import normalize_type
from records.parsers.base import StreamingParser
from records.parsers.fields import add_isbn, add_issn, year_month_day
from records.parsers.xml_records import ElementFormat, stream_records, whole_items
from records.xmlsafe import text_of

# PubMed publication types of Bookshelf records that are not books.
_BOOK_TYPES = {
    "technical report": "report",
    "academic dissertation": "thesis",
    "dissertation": "thesis",
}


def _authors(parent: etree._Element | None) -> list[dict[str, str]]:
    names: list[dict[str, str]] = []
    if parent is None:
        return names
    for author in parent.iterfind("Author"):
        collective = text_of(author.find("CollectiveName"))
        if collective:
            names.append({"literal": collective})
            continue
        family = text_of(author.find("LastName"))
        given = text_of(author.find("ForeName")) or text_of(author.find("Initials"))
        suffix = text_of(author.find("Suffix"))
        if family:
            names.append(make_name(family, given, suffix))
    return names


def _pub_date(node: etree._Element | None) -> dict[str, Any] | None:
    if node is None:
        return None
    medline = text_of(node.find("MedlineDate"))
    if medline:
        return parse_date(medline)
    year = text_of(node.find("Year"))
    season = text_of(node.find("Season"))
    if season and year:
        return parse_date(f"{year} {season}")
    return year_month_day(year, text_of(node.find("Month")), text_of(node.find("Day")))


def _abstract(node: etree._Element | None) -> str:
    if node is None:
        return ""
    parts = []
    for text in node.iterfind("AbstractText"):
        value = text_of(text)
        label = text.get("Label")
        if value:
            parts.append(
                f"{label.capitalize() if label.isupper() else label}: {value}" if label else value
            )
    return " ".join(parts)


def article_to_csl(element: etree._Element) -> tuple[CSLItem, dict[str, IssnKind], str | None]:
    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    citation = element.find("MedlineCitation")
    book = element.find("BookDocument")
    base = citation if citation is not None else book
    if base is None:
        return csl, kinds, None
    pmid = text_of(base.find("PMID")) or None
    if citation is not None:
        article = citation.find("Article")
        if article is None:
            return csl, kinds, pmid
        journal = article.find("Journal")
        types = [text_of(t) for t in article.iterfind("PublicationTypeList/PublicationType")]
        csl["type"] = next((t for t in map(normalize_type, types) if t), "article-journal")
        title = text_of(article.find("ArticleTitle")) or text_of(article.find("VernacularTitle"))
        if title:
            csl["title"] = title
        if journal is not None:
            csl["container-title"] = text_of(journal.find("Title"))
            csl["container-title-short"] = text_of(journal.find("ISOAbbreviation"))
            for issn_node in journal.iterfind("ISSN"):
                issn = normalize_issn(text_of(issn_node))
                if issn:
                    issn_type = (issn_node.get("IssnType") or "").lower()
                    issn_kind: IssnKind | None = (
                        "print"
                        if issn_type == "print"
                        else "electronic" if issn_type == "electronic" else None
                    )
                    add_issn(csl, kinds, issn, issn_kind)
            issue = journal.find("JournalIssue")
            if issue is not None:
                csl["volume"] = text_of(issue.find("Volume"))
                csl["issue"] = text_of(issue.find("Issue"))
                date = _pub_date(issue.find("PubDate"))
                if date:
                    csl["issued"] = date
        if not csl.get("container-title-short"):
            csl["container-title-short"] = text_of(citation.find("MedlineJournalInfo/MedlineTA"))
        start = text_of(article.find("Pagination/StartPage"))
        end = text_of(article.find("Pagination/EndPage"))
        csl["page"] = text_of(article.find("Pagination/MedlinePgn")) or (
            f"{start}-{end}" if start and end and end != start else start
        )
        if not csl["page"]:
            csl["page"] = text_of(article.find("ELocationID[@EIdType='pii']"))
        csl["abstract"] = _abstract(article.find("Abstract"))
        authors = _authors(article.find("AuthorList"))
        if authors:
            csl["author"] = authors
        csl["language"] = text_of(article.find("Language"))
        doi = article.find("ELocationID[@EIdType='doi']")
        if doi is not None:
            csl["DOI"] = text_of(doi)
        keywords = [text_of(k) for k in citation.iterfind("KeywordList/Keyword")]
        if not any(keywords):
            keywords = [
                text_of(k) for k in citation.iterfind("MeshHeadingList/MeshHeading/DescriptorName")
            ]
        keywords = [k for k in keywords if k]
        if keywords:
            csl["keyword"] = ", ".join(dict.fromkeys(keywords))
    elif book is not None:
        book_node = book.find("Book")
        title = text_of(book.find("ArticleTitle"))
        book_title = text_of(book_node.find("BookTitle")) if book_node is not None else ""
        # a Bookshelf record is a book, or what its publication type says it is (a report, a
        # thesis); with an ArticleTitle it is a part of one
        named = [
            _BOOK_TYPES.get(text_of(t).casefold())
            for t in book.iterfind(".//PublicationType")
        ]
        whole = next((k for k in named if k), "book")
        csl["type"] = "chapter" if title else whole
        csl["title"] = title or book_title
        if title:
            csl["container-title"] = book_title
        if book_node is not None:
            csl["publisher"] = text_of(book_node.find("Publisher/PublisherName"))
            csl["publisher-place"] = text_of(book_node.find("Publisher/PublisherLocation"))
            date = _pub_date(book_node.find("PubDate"))
            if date:
                csl["issued"] = date
            for isbn_node in book_node.iterfind("Isbn"):
                isbn = normalize_isbn(text_of(isbn_node))
                if isbn:
                    add_isbn(csl, isbn)
            editors = _authors(book_node.find("AuthorList[@Type='editors']"))
            if editors:
                csl["editor"] = editors
        authors = _authors(book.find("AuthorList"))
        if not authors and book_node is not None:
            authors = _authors(book_node.find("AuthorList[@Type='authors']"))
        if authors:
            csl["author"] = authors
        csl["abstract"] = _abstract(book.find("Abstract"))
        csl["language"] = text_of(book.find("Language"))
    for article_id in element.iterfind(".//ArticleIdList/ArticleId"):
        kind = article_id.get("IdType")
        value = text_of(article_id)
        if kind == "doi" and not csl.get("DOI"):
            csl["DOI"] = value
        elif kind == "pmc" and not csl.get("PMCID"):
            csl["PMCID"] = value
    if pmid:
        csl["PMID"] = pmid
    return {k: v for k, v in csl.items() if v}, kinds, pmid


_ARTICLES = ("PubmedArticle", "PubmedBookArticle")
# A document that is one of these is one record (a bare MedlineCitation is wrapped as the
# PubmedArticle it would be in a set); else the records are the articles of the set.
_ONE_ARTICLE = (*_ARTICLES, "MedlineCitation")


def _articles(root: etree._Element) -> Iterator[etree._Element]:
    """The articles of a set, or the one article the document is."""
    if root.tag in _ONE_ARTICLE:
        yield root
    else:
        yield from (e for e in root if e.tag in _ARTICLES)


def _is_article(element: etree._Element) -> bool:
    """:func:`_articles`, told at an element's start (one of :data:`_ONE_ARTICLE`)."""
    parent = element.getparent()
    if parent is None:
        return True
    at_top = parent.getparent() is None and parent.tag not in _ONE_ARTICLE
    return at_top and element.tag in _ARTICLES


def _wrapped(element: etree._Element) -> etree._Element:
    if element.tag != "MedlineCitation":
        return element
    wrapper = etree.Element("PubmedArticle")
    # a copy (lines kept): the document, which the streamed reader still reads, keeps its root
    wrapper.append(copy.deepcopy(element))
    return wrapper


PUBMED_XML = ElementFormat(
    "pubmed-xml",
    _articles,
    article_to_csl,
    lambda csl, pmid: bool(csl.get("title") or pmid),
    "PubMed article has neither PMID nor title",
    tags=_ONE_ARTICLE,
    is_record=_is_article,
    wrap=_wrapped,
)


class PubMedXMLParser(StreamingParser):
    """A search's worth of articles is read as the text comes (:mod:`records.parsers.xml_records`)."""

    name = "pubmed-xml"
    label = "PubMed XML (efetch)"
    aliases = ("medline-xml",)
    streams = True

    def sniff(self, text: str) -> float:
        head = text[:5000]
        if "<PubmedArticleSet" in head or "<PubmedArticle>" in head or "<PubmedBookArticle" in head:
            return 0.95
        if "<MedlineCitation" in head:
            return 0.8
        return 0.0

    def read(self, text: str, origin: str) -> Iterator[Record | Failure]:
        return whole_items(text, origin, PUBMED_XML)

    def read_pieces(
        self, pieces: Callable[[], Iterator[str]], origin: str
    ) -> Iterator[Record | Failure]:
        return stream_records(pieces, origin, PUBMED_XML)
