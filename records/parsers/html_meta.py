"""Any saved HTML article or catalog page: embedded metadata merged per field, then visible text.

A page may carry several metadata vocabularies at once; each is read into a CSL item of its
own, and the items are merged **per field** (first source that has a field wins) in the order
the survey recommends (shared/reference/catalog-formats.md §2.6):

    Highwire citation_* > PRISM > eprints > bepress > schema.org JSON-LD > COinS
    > Dublin Core > OpenGraph > visible text (through the text-layout parsers) > <title>

Author lists are taken whole from one source, never mixed. ISSNs are collected from all
sources, with print/electronic kinds from the vocabularies that label them (PRISM ``eIssn``,
Highwire ``citation_eissn``, COinS ``rft.eissn``). The visible text is rendered with block
elements as lines and table/definition rows as ``LABEL<TAB>VALUE`` (a VuFind field table reads
as it copies), then handed to the text parsers of this package. A page with several COinS spans
and no article-level metadata (a saved result list) yields one record per span.

lxml.html is the parser: HTML has no external-entity or entity-expansion risk of the XML kind,
and nothing is ever fetched (links, unAPI and canonical URLs are only recorded).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs

import lxml.html
from lxml import etree

from records.identifiers import (
    find_dois,
    find_issns,
    normalize_doi,
    normalize_isbn,
    normalize_issn,
    normalize_pmid,
)
from records.model import CSLItem, Failure, IssnKind, ParseResult, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.language import normalize_language
from records.normalize.names import is_corporate, parse_name, parse_name_list
from records.normalize.pages import normalize_pages
from records.normalize.text import clean_text
from records.normalize.types import normalize_type
from records.parsers.base import Parser

IssnKinds = dict[str, str]
Meta = list[tuple[str, str]]  # (name or property, content), in page order

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
# Tags only HTML has (XML exports have <title> elements too, so it does not count).
_HTML_TAGS = re.compile(r"<(?:head|body|meta|div|span|table|p)\b", re.I)


class HtmlPageParser(Parser):
    name = "html"
    label = "HTML page (embedded metadata and visible text)"
    aliases = ("html-meta", "htm")
    page = True  # one record's web page

    def sniff(self, text: str) -> float:
        head = text[:4000]
        if _HTML_START.match(head):
            return 1.0
        if len(_HTML_TAGS.findall(head)) >= 3 and "<" in head.lstrip()[:1]:
            return 0.7
        return 0.0

    def parse(self, text: str, origin: str) -> ParseResult:
        try:
            doc = lxml.html.document_fromstring(_strip_declaration(text))
        except (etree.ParserError, ValueError) as exc:
            return ParseResult(failures=[Failure(origin, f"not an HTML document ({exc})")])
        return parse_document(doc, text, origin, self.name)


def _strip_declaration(text: str) -> str:
    # lxml refuses str input that declares an encoding
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)


# --------------------------------------------------------------------------- meta tags


def meta_tags(doc: Any) -> Meta:
    """Every ``<meta name|property=… content=…>`` as (key, content), in page order."""
    out: Meta = []
    for meta in doc.iter("meta"):
        key = meta.get("name") or meta.get("property") or meta.get("itemprop")
        content = meta.get("content")
        if key and content is not None and content.strip():
            out.append((key.strip(), content.strip()))
    return out


def _values(meta: Meta, *keys: str) -> list[str]:
    wanted = {k.casefold() for k in keys}
    return [v for k, v in meta if k.casefold() in wanted]


def _first(meta: Meta, *keys: str) -> str | None:
    for key in keys:  # in the order of preference given
        values = _values(meta, key)
        if values:
            return values[0]
    return None


def _names(values: Iterable[str]) -> list[dict[str, str]]:
    """Names from repeated tags; one tag holding a ";"-separated list is split."""
    values = [v for v in values if v.strip()]
    if len(values) == 1 and ";" in values[0]:
        values = [v for v in values[0].split(";") if v.strip()]
    out = []
    for value in values:
        if is_corporate(value):
            out.append({"literal": clean_text(value)})
        elif name := parse_name(value):
            out.append(name)
    return out


def _pages(first: str | None, last: str | None) -> str | None:
    if first and last and first != last:
        return normalize_pages(f"{first}-{last}")
    return normalize_pages(first or last)


def _put(csl: CSLItem, key: str, value: Any) -> None:
    if value not in (None, "", [], {}):
        csl[key] = value


def _date(*values: str | None) -> dict[str, Any] | None:
    for value in values:
        if value and (date := parse_date(value.strip()[:10] if "T" in value else value)):
            return date
    return None


def _keywords(values: Iterable[str]) -> str | None:
    words = [w.strip() for v in values for w in re.split(r"[;,]", v) if w.strip()]
    return ", ".join(dict.fromkeys(words)) or None


def highwire(meta: Meta, prefix: str = "citation_") -> tuple[CSLItem, IssnKinds]:
    """Highwire Press / Google Scholar tags (``bepress_citation_*`` with ``prefix``)."""
    p = prefix
    local: Meta = [(k[len(p) :].casefold(), v) for k, v in meta if k.casefold().startswith(p)]
    if not local:
        return {}, {}
    csl: CSLItem = {}
    kinds: IssnKinds = {}
    _put(csl, "title", _first(local, "title"))
    authors = _values(local, "author") or _values(local, "authors")
    _put(csl, "author", _names(authors))
    _put(csl, "editor", _names(_values(local, "editor") or _values(local, "editors")))
    _put(csl, "issued", _date(*_values(local, "publication_date", "date", "cover_date")))
    if "issued" not in csl:
        _put(csl, "issued", _date(_first(local, "year"), _first(local, "online_date")))
    container = _first(
        local, "journal_title", "conference_title", "conference", "inbook_title", "book_title"
    )
    _put(csl, "container-title", container)
    _put(csl, "container-title-short", _first(local, "journal_abbrev"))
    _put(csl, "collection-title", _first(local, "series_title"))
    _put(csl, "volume", _first(local, "volume"))
    _put(csl, "issue", _first(local, "issue"))
    _put(csl, "page", _pages(_first(local, "firstpage"), _first(local, "lastpage")))
    _put(csl, "publisher", _first(local, "publisher"))
    _put(csl, "DOI", normalize_doi(_first(local, "doi")))
    _put(csl, "PMID", normalize_pmid(_first(local, "pmid")))
    _put(csl, "language", _first(local, "language"))
    _put(csl, "abstract", _first(local, "abstract"))
    _put(csl, "keyword", _keywords(_values(local, "keywords", "keyword")))
    _put(csl, "URL", _first(local, "public_url", "abstract_html_url", "fulltext_html_url"))
    isbns = [normalize_isbn(v) for v in _values(local, "isbn")]
    _put(csl, "ISBN", ", ".join(dict.fromkeys(i for i in isbns if i)))
    issns = [i for v in _values(local, "issn") for i in find_issns(v)]
    for issn in (i for v in _values(local, "eissn") for i in find_issns(v)):
        kinds[issn] = "electronic"
        issns.append(issn)
    _put(csl, "ISSN", ", ".join(dict.fromkeys(issns)))
    if _first(local, "dissertation_institution"):
        csl["type"] = "thesis"
        _put(csl, "publisher", _first(local, "dissertation_institution"))
    elif _first(local, "technical_report_institution"):
        csl["type"] = "report"
        _put(csl, "publisher", _first(local, "technical_report_institution"))
        _put(csl, "number", _first(local, "technical_report_number"))
    elif _first(local, "conference_title", "conference"):
        csl["type"] = "paper-conference"
    elif _first(local, "inbook_title", "book_title"):
        csl["type"] = "chapter"
    elif _first(local, "journal_title"):
        csl["type"] = "article-journal"
    elif "ISBN" in csl:
        csl["type"] = "book"
    return csl, kinds


def _prefixed(meta: Meta, prefixes: tuple[str, ...]) -> Meta:
    out: Meta = []
    for key, value in meta:
        lowered = key.casefold()
        for prefix in prefixes:
            if lowered.startswith(prefix):
                out.append((lowered[len(prefix) :], value))
                break
    return out


def prism(meta: Meta) -> tuple[CSLItem, IssnKinds]:
    local = _prefixed(meta, ("prism.", "prism:"))
    if not local:
        return {}, {}
    csl: CSLItem = {}
    kinds: IssnKinds = {}
    _put(csl, "title", _first(local, "title"))
    _put(csl, "container-title", _first(local, "publicationname"))
    _put(csl, "volume", _first(local, "volume"))
    _put(csl, "issue", _first(local, "number", "issueidentifier"))
    page = normalize_pages(_first(local, "pagerange")) or _pages(
        _first(local, "startingpage"), _first(local, "endingpage")
    )
    _put(csl, "page", page)
    _put(csl, "DOI", normalize_doi(_first(local, "doi")))
    _put(csl, "URL", _first(local, "url"))
    _put(csl, "issued", _date(_first(local, "publicationdate"), _first(local, "coverdate")))
    _put(csl, "ISBN", normalize_isbn(_first(local, "isbn")))
    issns: list[str] = []
    for key, kind in (("issn", "print"), ("eissn", "electronic")):
        for issn in (i for v in _values(local, key) for i in find_issns(v)):
            kinds[issn] = kind
            issns.append(issn)
    _put(csl, "ISSN", ", ".join(dict.fromkeys(issns)))
    aggregation = (_first(local, "aggregationtype") or "").casefold()
    if aggregation in ("journal", "magazine", "newspaper", "book"):
        csl["type"] = {
            "journal": "article-journal",
            "magazine": "article-magazine",
            "newspaper": "article-newspaper",
            "book": "chapter" if csl.get("container-title") else "book",
        }[aggregation]
    return csl, kinds


def eprints(meta: Meta) -> tuple[CSLItem, IssnKinds]:
    local = _prefixed(meta, ("eprints.",))
    if not local:
        return {}, {}
    csl: CSLItem = {}
    _put(csl, "title", _first(local, "title"))
    _put(csl, "author", _names(_values(local, "creators_name")))
    _put(csl, "editor", _names(_values(local, "editors_name")))
    _put(csl, "issued", _date(_first(local, "date")))
    _put(csl, "container-title", _first(local, "publication", "book_title", "event_title"))
    _put(csl, "volume", _first(local, "volume"))
    _put(csl, "issue", _first(local, "number"))
    _put(csl, "page", normalize_pages(_first(local, "pagerange")))
    _put(csl, "ISSN", ", ".join(find_issns(" ".join(_values(local, "issn")))))
    _put(csl, "ISBN", normalize_isbn(_first(local, "isbn")))
    _put(csl, "abstract", _first(local, "abstract"))
    _put(csl, "publisher", _first(local, "publisher", "institution"))
    _put(csl, "URL", _first(local, "official_url"))
    _put(csl, "keyword", _keywords(_values(local, "keywords")))
    _put(csl, "DOI", next(find_dois(" ".join(_values(local, "id_number", "doi"))), None))
    if kind := _first(local, "type"):
        _put(
            csl,
            "type",
            {
                "article": "article-journal",
                "book_section": "chapter",
                "conference_item": "paper-conference",
            }.get(kind.casefold(), normalize_type(kind)),
        )
    return csl, {}


def dublin_core(meta: Meta) -> tuple[CSLItem, IssnKinds]:
    local = _prefixed(meta, ("dc.", "dcterms.", "dc:", "dcterms:"))
    if not local:
        return {}, {}
    csl: CSLItem = {}
    _put(csl, "title", _first(local, "title"))
    _put(csl, "author", _names(_values(local, "creator", "creator.personalname")))
    _put(
        csl,
        "issued",
        _date(*_values(local, "date.issued", "issued", "date", "created", "available")),
    )
    _put(csl, "publisher", _first(local, "publisher"))
    _put(csl, "language", _first(local, "language"))
    _put(csl, "container-title", _first(local, "relation.ispartof", "source", "ispartof"))
    _put(csl, "volume", _first(local, "citation.volume", "source.volume"))
    _put(csl, "issue", _first(local, "citation.issue", "source.issue"))
    _put(
        csl,
        "page",
        normalize_pages(_first(local, "identifier.pagenumber"))
        or _pages(_first(local, "citation.spage"), _first(local, "citation.epage")),
    )
    _put(csl, "abstract", _first(local, "abstract", "description.abstract", "description"))
    _put(csl, "keyword", _keywords(_values(local, "subject")))
    issns: list[str] = []
    ids = ("identifier", "identifier.doi", "identifier.issn", "identifier.isbn", "identifier.uri")
    for value in _values(local, *ids):
        lowered = value.casefold()
        if doi := next(find_dois(value), None):
            csl.setdefault("DOI", doi)
        elif lowered.startswith(("isbn", "urn:isbn")) or normalize_isbn(value):
            _put(csl, "ISBN", normalize_isbn(re.sub(r"^(?:urn:)?isbn:?\s*", "", value, flags=re.I)))
        elif lowered.startswith(("issn", "urn:issn")) or normalize_issn(value):
            issns.extend(find_issns(value))
        elif lowered.startswith("http"):
            csl.setdefault("URL", value)
    issns.extend(i for v in _values(local, "source.issn") for i in find_issns(v))
    _put(csl, "ISSN", ", ".join(dict.fromkeys(issns)))
    if kind := _first(local, "type"):
        mapped = normalize_type(kind)
        if mapped:
            csl["type"] = mapped
    return csl, {}


def opengraph(meta: Meta) -> tuple[CSLItem, IssnKinds]:
    local = [(k.casefold(), v) for k, v in meta if ":" in k]
    if not any(k.startswith(("og:", "article:", "book:")) for k, _ in local):
        return {}, {}
    csl: CSLItem = {}
    _put(csl, "title", _first(local, "og:title"))
    _put(csl, "abstract", _first(local, "og:description"))
    _put(csl, "URL", _first(local, "og:url"))
    authors = [v for v in _values(local, "article:author", "book:author") if "://" not in v]
    _put(csl, "author", _names(authors))
    _put(
        csl,
        "issued",
        _date(_first(local, "article:published_time"), _first(local, "book:release_date")),
    )
    _put(csl, "keyword", _keywords(_values(local, "article:tag", "book:tag")))
    _put(csl, "ISBN", normalize_isbn(_first(local, "book:isbn")))
    if locale := _first(local, "og:locale"):
        _put(csl, "language", locale.split("_")[0])
    kind = (_first(local, "og:type") or "").casefold()
    if kind == "book":
        csl["type"] = "book"
    return csl, {}


# --------------------------------------------------------------------------- JSON-LD


def _clean_json(text: str) -> str:
    """Remove JS comments and trailing commas outside strings (pages ship both)."""
    out: list[str] = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                in_string = False
            i += 1
            continue
        if ch == '"':
            in_string = True
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        elif ch in "}]":
            while out and out[-1].isspace():
                out.pop()
            if out and out[-1] == ",":
                out.pop()
        out.append(ch)
        i += 1
    return "".join(out)


_LEADING_COMMENT = re.compile(r"^(?:\s*<!--(?:(?!-->).)*-->\s*(?=[\[{<]))+", re.S)


def json_ld(doc: Any) -> list[Any]:
    """The JSON-LD objects of a page, as extruct reads them (lists flattened, nulls dropped)."""
    out: list[Any] = []
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().casefold() != "application/ld+json":
            continue
        text = _LEADING_COMMENT.sub("", (script.text or "").strip())
        if text.startswith("<!--"):  # the whole object wrapped in an HTML comment
            text = text[4:].strip()
            text = text[:-3].strip() if text.endswith("-->") else text
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            try:
                data = json.loads(_clean_json(text), strict=False)
            except ValueError:
                continue
        if data is None:
            continue
        out.extend(data if isinstance(data, list) else [data])
    return out


_SCHOLARLY = (
    "scholarlyarticle",
    "medicalscholarlyarticle",
    "article",
    "newsarticle",
    "report",
    "thesis",
    "chapter",
    "book",
    "techarticle",
    "blogposting",
    "creativework",
)
_JSONLD_TYPES = {
    "scholarlyarticle": "article-journal",
    "medicalscholarlyarticle": "article-journal",
    "newsarticle": "article-newspaper",
    "report": "report",
    "thesis": "thesis",
    "chapter": "chapter",
    "book": "book",
    "blogposting": "post-weblog",
    "webpage": "webpage",
}


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return [str(k).rsplit("/", 1)[-1].casefold() for k in kinds]


def _nodes(data: Any) -> Iterable[dict[str, Any]]:
    """Every object in a JSON-LD tree (through @graph, lists and nested values)."""
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[:0] = item
        elif isinstance(item, dict):
            yield item
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))


def _text_of(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("value")
    if isinstance(value, (str, int, float)):
        return str(value).strip() or None
    return None


def _jsonld_names(value: Any) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for person in value if isinstance(value, list) else [value]:
        if isinstance(person, str):
            if person.startswith(("/", "http")):
                continue
            out.extend(parse_name_list(person) if "," in person else [parse_name(person)])
        elif isinstance(person, dict):
            if "organization" in _types(person):
                if name := _text_of(person.get("name")):
                    out.append({"literal": name})
            elif person.get("familyName"):
                structured = {"family": str(_text_of(person["familyName"]))}
                if given := _text_of(person.get("givenName")):
                    structured["given"] = given
                out.append(structured)
            elif name_text := _text_of(person.get("name")):
                out.append(parse_name(name_text))
    return [n for n in out if n]


def schema_org(doc: Any) -> tuple[CSLItem, IssnKinds]:
    """The best scholarly item of the page's JSON-LD as CSL."""
    candidates = [n for data in json_ld(doc) for n in _nodes(data) if _types(n)]
    best = None
    for kind in _SCHOLARLY:
        best = next((n for n in candidates if kind in _types(n)), None)
        if best:
            break
    if best is None:
        return {}, {}
    csl: CSLItem = {}
    kinds: IssnKinds = {}
    _put(csl, "title", _text_of(best.get("headline")) or _text_of(best.get("name")))
    _put(csl, "author", _jsonld_names(best.get("author") or best.get("creator") or []))
    _put(csl, "editor", _jsonld_names(best.get("editor") or []))
    _put(
        csl, "issued", _date(_text_of(best.get("datePublished")), _text_of(best.get("dateCreated")))
    )
    if language := best.get("inLanguage"):
        _put(csl, "language", _text_of(language))
    _put(csl, "abstract", _text_of(best.get("abstract")) or _text_of(best.get("description")))
    keywords = best.get("keywords")
    if isinstance(keywords, list):
        keywords = ", ".join(str(k) for k in keywords if isinstance(k, str))
    _put(csl, "keyword", _keywords([keywords]) if isinstance(keywords, str) else None)
    _put(csl, "publisher", _text_of(best.get("publisher")))
    _put(csl, "URL", _text_of(best.get("url")))
    _put(csl, "ISBN", normalize_isbn(_text_of(best.get("isbn"))))
    page = normalize_pages(_text_of(best.get("pagination"))) or _pages(
        _text_of(best.get("pageStart")), _text_of(best.get("pageEnd"))
    )
    _put(csl, "page", page)
    for key in ("identifier", "sameAs", "doi", "@id", "url"):
        found = best.get(key)
        for value in found if isinstance(found, list) else [found]:
            text = _text_of(value) if not isinstance(value, dict) else _text_of(value.get("value"))
            if text and (doi := next(find_dois(text), None)):
                csl.setdefault("DOI", doi)
    # isPartOf chain: PublicationIssue -> PublicationVolume -> Periodical
    issns: list[str] = []
    part = best.get("isPartOf")
    for _ in range(4):
        if isinstance(part, list):
            part = part[0] if part else None
        if not isinstance(part, dict):
            break
        types = _types(part)
        if "publicationissue" in types:
            _put(csl, "issue", _text_of(part.get("issueNumber")))
        elif "publicationvolume" in types:
            _put(csl, "volume", _text_of(part.get("volumeNumber")))
        else:
            _put(csl, "container-title", _text_of(part.get("name")))
        issn = part.get("issn")
        for value in issn if isinstance(issn, list) else [issn]:
            if isinstance(value, str):
                issns.extend(find_issns(value))
        part = part.get("isPartOf")
    _put(csl, "ISSN", ", ".join(dict.fromkeys(issns)))
    for kind in _types(best):
        if kind in _JSONLD_TYPES:
            csl["type"] = _JSONLD_TYPES[kind]
            break
    return csl, kinds


# --------------------------------------------------------------------------- COinS


def coins_spans(doc: Any) -> list[dict[str, list[str]]]:
    """Each ``<span class="Z3988" title="…">`` ContextObject, parsed."""
    out = []
    for span in doc.iter("span"):
        if "Z3988" in (span.get("class") or "").split() and span.get("title"):
            out.append(parse_qs(span.get("title"), keep_blank_values=False))
    return out


def coins(kev: dict[str, list[str]]) -> tuple[CSLItem, IssnKinds]:
    def get(key: str) -> str | None:
        values = kev.get(key) or kev.get(key.replace("rft.", ""))
        return values[0].strip() if values and values[0].strip() else None

    csl: CSLItem = {}
    kinds: IssnKinds = {}
    fmt = (get("rft_val_fmt") or "").rsplit(":", 1)[-1]
    genre = (get("rft.genre") or "").casefold()
    _put(csl, "title", get("rft.atitle") or get("rft.title") or get("rft.btitle"))
    if fmt == "journal" or genre in ("article", "journal"):
        csl["type"] = "article-journal"
        _put(
            csl,
            "container-title",
            get("rft.jtitle") or (get("rft.title") if get("rft.atitle") else None),
        )
    elif genre in ("bookitem", "chapter"):
        csl["type"] = "chapter"
        _put(csl, "container-title", get("rft.btitle"))
        _put(csl, "title", get("rft.atitle"))
    elif genre in ("proceeding", "conference"):
        csl["type"] = "paper-conference"
        _put(csl, "container-title", get("rft.btitle") or get("rft.jtitle"))
    elif fmt == "book" or genre == "book":
        csl["type"] = "book"
    elif fmt == "dissertation":
        csl["type"] = "thesis"
    elif genre == "report":
        csl["type"] = "report"
    _put(csl, "container-title-short", get("rft.stitle"))
    authors: list[dict[str, str]] = []
    if last := get("rft.aulast"):
        given = get("rft.aufirst") or get("rft.auinit")
        authors.append(parse_name(f"{last}, {given}" if given else last))
    for value in kev.get("rft.au", []):
        parsed = parse_name(value)
        if parsed and not any(parsed.get("family") == a.get("family") for a in authors):
            authors.append(parsed)
    authors.extend({"literal": v} for v in kev.get("rft.aucorp", []))
    _put(csl, "author", authors)
    _put(csl, "issued", _date(get("rft.date")))
    _put(csl, "volume", get("rft.volume"))
    _put(csl, "issue", get("rft.issue"))
    _put(
        csl, "page", normalize_pages(get("rft.pages")) or _pages(get("rft.spage"), get("rft.epage"))
    )
    _put(csl, "publisher", get("rft.pub") or get("rft.publisher"))
    _put(csl, "publisher-place", get("rft.place"))
    _put(csl, "edition", get("rft.edition"))
    _put(csl, "collection-title", get("rft.series"))
    _put(csl, "language", get("rft.language"))
    _put(csl, "ISBN", normalize_isbn(get("rft.isbn")))
    issns = find_issns(get("rft.issn") or "")
    for issn in find_issns(get("rft.eissn") or ""):
        kinds[issn] = "electronic"
        issns.append(issn)
    _put(csl, "ISSN", ", ".join(dict.fromkeys(issns)))
    for rft_id in kev.get("rft_id", []):
        if rft_id.startswith("info:doi/"):
            _put(csl, "DOI", normalize_doi(rft_id[9:]))
        elif rft_id.startswith("info:pmid/"):
            _put(csl, "PMID", normalize_pmid(rft_id[10:]))
        elif rft_id.startswith("http") and (doi := next(find_dois(rft_id), None)):
            _put(csl, "DOI", doi)
        elif rft_id.startswith("http"):
            _put(csl, "URL", rft_id)
    return csl, kinds


# --------------------------------------------------------------------------- visible text

_SKIP = frozenset(
    "script style noscript template head header nav footer form select option svg "
    "iframe object canvas".split()
)
_BLOCK = frozenset(
    "p div section article main aside h1 h2 h3 h4 h5 h6 ul ol li table tbody thead tfoot tr "
    "caption dl blockquote pre address figure figcaption hr fieldset legend".split()
)
_SPACES = re.compile(r"[^\S\n\t]+")


def visible_text(doc: Any) -> str:
    """The page's readable text as a copy would give it: blocks as lines, rows as LABEL<TAB>VALUE.

    The main content (``<main>`` or ``role="main"``) is used when the page marks it; page
    header, navigation, footer, forms and scripts are left out.
    """
    root = next(iter(doc.xpath("//main | //*[@role='main']")), None)
    if root is None:
        body = doc.find("body")
        root = body if body is not None else doc
    parts: list[str] = []
    _render(root, parts)
    lines = [line.strip(" ") for line in "".join(parts).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _render(element: Any, out: list[str]) -> None:
    tag = element.tag.casefold() if isinstance(element.tag, str) else ""
    if tag in _SKIP or not tag:
        if element.tail:
            out.append(_SPACES.sub(" ", element.tail.replace("\n", " ")))
        return
    if tag in _BLOCK or tag == "dt":
        out.append("\n")
    if tag == "br":
        out.append("\n")
    if element.text:
        out.append(_SPACES.sub(" ", element.text.replace("\n", " ")))
    for child in element:
        _render(child, out)
    if tag in ("th", "dt", "td"):
        out.append("\t")  # label and value on one line, as a copied table row
    if tag in _BLOCK or tag == "dd":
        out.append("\n")
    if element.tail:
        out.append(_SPACES.sub(" ", element.tail.replace("\n", " ")))


def _text_layout(text: str, origin: str) -> list[Record]:
    """Records from the visible text through the text-layout parsers, if one recognises it."""
    from records.parsers import DETECTION_THRESHOLD, PARSERS  # the registry imports this module

    candidates = [p for p in PARSERS if p.name not in ("html", "reference")]
    scored = sorted(
        ((p.sniff(text), i, p) for i, p in enumerate(candidates)), key=lambda t: (-t[0], t[1])
    )
    if not scored or scored[0][0] < DETECTION_THRESHOLD:
        return []
    try:
        return scored[0][2].parse(text, origin).records
    except Exception:  # a layout that fails on the page text contributes nothing
        return []


# --------------------------------------------------------------------------- merge

LIST_FIELDS = ("author", "editor", "translator")


def _extends(names: list[dict[str, str]], other: list[dict[str, str]]) -> bool:
    """A longer list that starts with the same person: the fuller list of the same authors.

    COinS carries only the first author (VuFind's OpenURL has ``rft.au`` once); the page's
    field table or another vocabulary may list them all.
    """

    def key(name: dict[str, str]) -> str:
        return (name.get("family") or name.get("literal") or "").casefold()

    return len(other) > len(names) and bool(names) and key(other[0]) == key(names[0])


def merge(
    sources: Iterable[tuple[str, CSLItem, IssnKinds]],
) -> tuple[CSLItem, IssnKinds, dict[str, str]]:
    """First source with a field wins (lists whole); ISSNs are collected from all sources.

    Returns the merged item, the ISSN kinds, and which source each field came from.
    """
    merged: CSLItem = {}
    kinds: IssnKinds = {}
    provenance: dict[str, str] = {}
    issns: list[str] = []
    for name, csl, source_kinds in sources:
        for key, value in csl.items():
            if key == "ISSN":
                issns.extend(i for i in str(value).split(", ") if i)
                continue
            if value in (None, "", [], {}):
                continue
            if key not in merged or (key in LIST_FIELDS and _extends(merged[key], value)):
                merged[key] = value
                provenance[key] = name
        for issn, kind in source_kinds.items():
            kinds.setdefault(issn, kind)
    if issns:
        merged["ISSN"] = ", ".join(dict.fromkeys(issns))
        provenance["ISSN"] = "merged"
    # with exactly one unlabelled ISSN beside an electronic one, that one is the print ISSN
    unlabelled = [i for i in dict.fromkeys(issns) if i not in kinds]
    if len(unlabelled) == 1 and "electronic" in kinds.values():
        kinds[unlabelled[0]] = "print"
    return merged, kinds, provenance


def _fallback(doc: Any, meta: Meta) -> CSLItem:
    csl: CSLItem = {}
    title = doc.find(".//title")
    if title is not None and title.text_content().strip():
        csl["title"] = title.text_content().strip()
    h1 = doc.find(".//h1")
    if h1 is not None and h1.text_content().strip():
        csl["title"] = re.sub(r"\s+", " ", h1.text_content()).strip()
    _put(csl, "author", _names(_values(meta, "author")))
    _put(csl, "abstract", _first(meta, "description"))
    html = doc if doc.tag == "html" else doc.getroottree().getroot()
    if lang := html.get("lang") or html.get("{http://www.w3.org/XML/1998/namespace}lang"):
        _put(csl, "language", lang)
    for link in doc.iter("link"):
        if (link.get("rel") or "").casefold() == "canonical" and link.get("href"):
            csl["URL"] = link.get("href")
    return csl


def parse_document(doc: Any, text: str, origin: str, fmt: str) -> ParseResult:
    meta = meta_tags(doc)
    spans = coins_spans(doc)
    article_level: list[tuple[str, CSLItem, IssnKinds]] = [
        ("highwire", *highwire(meta)),
        ("prism", *prism(meta)),
        ("eprints", *eprints(meta)),
        ("bepress", *highwire(meta, "bepress_citation_")),
        ("json-ld", *schema_org(doc)),
    ]
    has_article_meta = any(csl.get("title") for _, csl, _ in article_level)
    result = ParseResult()
    if len(spans) > 1 and not has_article_meta:
        # a saved result list: one record per ContextObject
        for position, kev in enumerate(spans, start=1):
            csl, kinds = coins(kev)
            if not csl.get("title"):
                continue
            record = Record(csl=csl, source=SourceRef(fmt, origin, None, position), raw=text)
            record.issn_kinds.update(_issn_kinds(kinds))
            result.records.append(record)
        if result.records:
            return result
    sources = list(article_level)
    if spans:
        sources.append(("coins", *coins(spans[0])))
    sources.append(("dublin-core", *dublin_core(meta)))
    sources.append(("opengraph", *opengraph(meta)))
    page_text = visible_text(doc)
    text_records = _text_layout(page_text, origin) if page_text else []
    if text_records:
        first = text_records[0]
        sources.append((f"text:{first.source.format}", first.csl, dict(first.issn_kinds)))
    sources.append(("title", _fallback(doc, meta), {}))
    csl, kinds, _provenance = merge(sources)
    if not csl.get("title"):
        result.failures.append(
            Failure(origin, "HTML page without a title in its metadata or text", record=1)
        )
        return result
    if "language" in csl:
        raw_language = str(csl["language"])
        code = normalize_language(raw_language.split("-")[0]) or normalize_language(raw_language)
        if code:
            csl["language"] = code
    title = str(csl["title"]).strip()
    if title.startswith("[") and title.rstrip(".").endswith("]"):
        # NLM/ISBD convention: a title in brackets is a translated or supplied title
        csl["title"] = title.rstrip(".")[1:-1]
    csl.setdefault("type", "article-journal" if csl.get("container-title") else "webpage")
    record = Record(csl=csl, source=SourceRef(fmt, origin, None, 1, 1), raw=text)
    record.issn_kinds.update(_issn_kinds({i: k for i, k in kinds.items() if i in csl.get("ISSN", "")}))
    if text_records:
        record.original.update(text_records[0].original)
    result.records.append(record)
    return result


def _issn_kinds(kinds: dict[str, str]) -> dict[str, IssnKind]:
    """The ISSN kinds a metadata source named, those that are print or electronic."""
    return {
        issn: "print" if kind == "print" else "electronic"
        for issn, kind in kinds.items()
        if kind in ("print", "electronic")
    }
