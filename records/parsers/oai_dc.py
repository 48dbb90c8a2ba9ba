"""Dublin Core as OAI-PMH serves it (``oai_dc:dc``) -> records.

Simple Dublin Core has fifteen repeatable, unqualified elements; repositories fill them in
their own ways, so each value is *sniffed* rather than trusted to its element's name:

* ``dc:identifier`` holds DOIs (``10.x/y``, ``doi:``, ``https://doi.org/``), ISSNs and ISBNs
  (``urn:issn:``, ``urn:isbn:``, or bare numbers whose check digit is right), PMIDs
  (``info:pmid/``) and landing-page URLs; each goes to its CSL field, the first URL to ``URL``.
* ``dc:source`` is either a container's ISSN or a citation of the container; OJS writes
  ``Journal Name; Vol. 12 No. 3 (2020); 45-67``, which is split into container, volume, issue
  and pages.
* ``dc:type`` is a free label (``Text``), a DRIVER/OpenAIRE term
  (``info:eu-repo/semantics/article``) or a format label; the first that names a CSL type wins.
* ``dc:description`` -> ``abstract`` (the first), ``dc:subject`` -> ``keyword``,
  ``dc:creator`` -> ``author`` (one name per element), ``dc:date`` -> ``issued`` (the first
  that parses), ``dc:language``, ``dc:publisher``, ``dc:title`` (the first).

Hand-written: no maintained library maps oai_dc to CSL (Sickle only unpacks it into lists).
XML is parsed by :mod:`records.xmlsafe`: no DTD, no entities, no network, libxml2's size limits.
"""

from __future__ import annotations

import re

from lxml import etree

from records.errors import InputError
from records.identifiers import normalize_doi, normalize_isbn, normalize_issn, normalize_pmid
from records.model import CSLItem, Failure, IssnKind, ParseResult, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.names import parse_name
from records.normalize.types import normalize_type
from records.parsers.base import Parser
from records.parsers.fields import add_isbn, add_issn
from records.xmlsafe import parse_xml_bytes

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"

_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# A repository's own numeric ids ("1234567890") must not pass for ISBNs or ISSNs by luck of the
# check digit: a bare number counts only when written as one (hyphenated, or 978/979-prefixed).
_ISSN_ID_RE = re.compile(
    r"^\s*(?:(?:urn:issn:|e?issn:?\s*)(\d{4}-?\d{3}[\dXx])|(\d{4}-\d{3}[\dXx]))\s*$", re.I
)
_ISBN_ID_RE = re.compile(
    r"^\s*(?:(?:urn:isbn:|isbn:?\s*)([\dXx][\d\-\s]{8,16}[\dXx])"
    r"|(97[89](?:[\-\s]?\d){10}|\d{1,5}-\d+-\d+-[\dXx]))\s*$",
    re.I,
)
_PMID_ID_RE = re.compile(r"^\s*(?:info:pmid/|pmid:?\s*)(\d{1,9})\s*$", re.I)
_DOI_HINT_RE = re.compile(r"^\s*(?:doi:|info:doi/|https?://(?:dx\.)?doi\.org/|10\.\d{4,9}/)", re.I)
_URL_RE = re.compile(r"^\s*https?://\S+\s*$", re.I)
_VOLUME_RE = re.compile(r"\b(?:vol\.?|volume|bd\.?|jg\.?)\s*(\w+)", re.I)
_ISSUE_RE = re.compile(r"\b(?:no\.?|nr\.?|núm\.?|num\.?|issue|heft|n°)\s*(\w+(?:[-/]\w+)?)", re.I)
_PAGES_RE = re.compile(r"^\s*(?:pp?\.?|s\.)?\s*([A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)\s*$")

# DRIVER / OpenAIRE vocabulary (info:eu-repo/semantics/...) -> CSL.
_EU_REPO_TYPES = {
    "article": "article-journal",
    "review": "review",
    "book": "book",
    "bookpart": "chapter",
    "conferenceobject": "paper-conference",
    "conferencepaper": "paper-conference",
    "conferenceproceedings": "book",
    "doctoralthesis": "thesis",
    "masterthesis": "thesis",
    "bachelorthesis": "thesis",
    "report": "report",
    "workingpaper": "report",
    "technicalreport": "report",
    "preprint": "article",
    "lecture": "speech",
    "patent": "patent",
    "dataset": "dataset",
    "other": "document",
}


def _group(match: re.Match[str]) -> str:
    return match.group(1) or match.group(2)


def _texts(dc: etree._Element, name: str) -> list[str]:
    values = []
    for element in dc.iterchildren(f"{{{DC_NS}}}{name}"):
        text = " ".join("".join(element.itertext()).split())
        if text:
            values.append(text)
    return values


def _type(values: list[str]) -> str | None:
    for value in values:
        if value.lower().startswith("info:eu-repo/semantics/"):
            found = _EU_REPO_TYPES.get(value.rsplit("/", 1)[-1].lower())
        else:
            found = normalize_type(value)
        if found:
            return found
    return None


def _identifiers(values: list[str], csl: CSLItem, kinds: dict[str, IssnKind]) -> None:
    for value in values:
        if _DOI_HINT_RE.match(value):
            doi = normalize_doi(value)
            if doi and "DOI" not in csl:
                csl["DOI"] = doi
                continue
        if match := _PMID_ID_RE.match(value):
            pmid = normalize_pmid(match.group(1))
            if pmid and "PMID" not in csl:
                csl["PMID"] = pmid
            continue
        if (match := _ISSN_ID_RE.match(value)) and (issn := normalize_issn(_group(match))):
            add_issn(csl, kinds, issn, None)
            continue
        if (match := _ISBN_ID_RE.match(value)) and (isbn := normalize_isbn(_group(match))):
            add_isbn(csl, isbn)
            continue
        if _URL_RE.match(value) and "URL" not in csl:
            csl["URL"] = value.strip()


def _source(values: list[str], csl: CSLItem, kinds: dict[str, IssnKind]) -> None:
    """``dc:source``: ISSNs, or an OJS-style citation ``Journal; Vol. 5 No. 2 (2019); 10-20``."""
    for value in values:
        if (match := _ISSN_ID_RE.match(value)) and (issn := normalize_issn(_group(match))):
            add_issn(csl, kinds, issn, None)
            continue
        if "container-title" in csl:
            continue
        parts = [p.strip() for p in value.split(";")]
        csl["container-title"] = parts[0]
        for part in parts[1:]:
            if (volume := _VOLUME_RE.search(part)) and "volume" not in csl:
                csl["volume"] = volume.group(1)
            if (issue := _ISSUE_RE.search(part)) and "issue" not in csl:
                csl["issue"] = issue.group(1)
            if (pages := _PAGES_RE.match(part)) and "page" not in csl:
                csl["page"] = pages.group(1)


def dc_to_csl(dc: etree._Element) -> tuple[CSLItem, dict[str, IssnKind]]:
    """One ``oai_dc:dc`` element -> (CSL item, ISSN kinds); see the module docstring."""
    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    if titles := _texts(dc, "title"):
        csl["title"] = titles[0]
    authors = [n for n in (parse_name(v) for v in _texts(dc, "creator")) if n]
    if authors:
        csl["author"] = authors
    for value in _texts(dc, "date"):
        if date := parse_date(value):
            csl["issued"] = date
            break
    _identifiers(_texts(dc, "identifier"), csl, kinds)
    _source(_texts(dc, "source"), csl, kinds)
    if languages := _texts(dc, "language"):
        csl["language"] = languages[0]
    if publishers := _texts(dc, "publisher"):
        csl["publisher"] = publishers[0]
    if descriptions := _texts(dc, "description"):
        csl["abstract"] = descriptions[0]
    if subjects := _texts(dc, "subject"):
        csl["keyword"] = ", ".join(dict.fromkeys(subjects))
    csl_type = _type(_texts(dc, "type"))
    if csl_type is None:
        csl_type = "article-journal" if "container-title" in csl else "document"
    csl["type"] = csl_type
    return csl, kinds


def dc_elements(root: etree._Element) -> list[etree._Element]:
    """Every ``oai_dc:dc`` element in a document (a bare record, a ListRecords response...)."""
    if root.tag == f"{{{OAI_DC_NS}}}dc":
        return [root]
    return list(root.iter(f"{{{OAI_DC_NS}}}dc"))


class OAIDCParser(Parser):
    name = "oai_dc"
    label = "OAI-PMH Dublin Core (oai_dc)"
    aliases = ("oai-dc", "dublin-core")

    def sniff(self, text: str) -> float:
        head = text[:10000]
        if OAI_DC_NS in head and DC_NS in head:
            return 0.95
        return 0.0

    def parse(self, text: str, origin: str) -> ParseResult:
        try:
            # The text is already decoded: drop an encoding declaration, hand lxml UTF-8.
            body = _DECLARATION_RE.sub("", text.lstrip("\ufeff"), count=1)
            root = parse_xml_bytes(body.encode("utf-8"), origin)
        except InputError as exc:
            return ParseResult(failures=[Failure(origin, exc.reason, line=exc.line)])
        result = ParseResult()
        for position, dc in enumerate(dc_elements(root), start=1):
            csl, kinds = dc_to_csl(dc)
            if not csl.get("title"):
                result.failures.append(
                    Failure(origin, "Dublin Core record has no dc:title", position, dc.sourceline)
                )
                continue
            raw = etree.tostring(dc, encoding="unicode", with_tail=False)
            source = SourceRef(self.name, origin, None, position, dc.sourceline)
            result.records.append(Record(csl, source, raw, kinds))
        return result
