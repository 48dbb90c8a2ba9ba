"""MODS XML (Library of Congress Metadata Object Description Schema) -> records.

What library systems, digital repositories and Zotero's own MODS export write: ``<mods>``
elements (alone, in a ``<modsCollection>``, or inside OAI-PMH/SRU envelopes). Read as Zotero's
MODS translator reads it: ``titleInfo`` (``nonSort`` + ``title`` + ``subTitle``; the
``abbreviated`` one is the short title), ``name`` with ``namePart`` and ``role``, ``originInfo``
(date, publisher, place, edition, issuance), ``relatedItem type="host"`` (the journal or book a
part is in, with ``part``'s volume/issue/pages), ``relatedItem type="series"``, ``identifier``
(doi, isbn, issn, uri, pmid), ``abstract``, ``subject/topic``, ``language``, ``genre`` and
``typeOfResource`` for the type. Parsed with :mod:`records.xmlsafe`, whole: MODS files are
small (the streamed reader of :mod:`records.parsers.xml_records` could take them; not done).
"""

from __future__ import annotations

import re
from typing import Any

from records.model import CSLItem, IssnKind, ParseResult
from records.normalize.dates import parse_date
from records.normalize.names import make_name, parse_name, role_field
from records.parsers.base import Parser
from records.parsers.fields import add_standard_numbers, first_doi
from records.parsers.xml_local import Element, child, children, descendants, text, texts
from records.parsers.xml_records import element_records

# MODS genres (marcgt and the common free words) -> CSL, for a record that is not a part.
_GENRES = {
    "book": "book",
    "thesis": "thesis",
    "dissertation": "thesis",
    "doctoral thesis": "thesis",
    "masters thesis": "thesis",
    "technical report": "report",
    "report": "report",
    "conference publication": "paper-conference",
    "periodical": "periodical",
    "journal": "periodical",
    "article": "article-journal",
    "journal article": "article-journal",
    "book chapter": "chapter",
    "chapter": "chapter",
    "patent": "patent",
    "map": "map",
    "web site": "webpage",
    "webpage": "webpage",
    "legal case and case notes": "legal_case",
    "letter": "personal_communication",
    "interview": "interview",
    "motion picture": "motion_picture",
    "videorecording": "motion_picture",
    "dataset": "dataset",
    "software": "software",
    "manuscript": "manuscript",
    "encyclopedia": "entry-encyclopedia",
    "dictionary": "entry-dictionary",
    "newspaper": "article-newspaper",
    "magazine": "article-magazine",
}
_RESOURCE = {
    "cartographic": "map",
    "notated music": "musical_score",
    "sound recording": "song",
    "sound recording-musical": "song",
    "sound recording-nonmusical": "song",
    "still image": "graphic",
    "moving image": "motion_picture",
    "software, multimedia": "software",
}


def _title(element: Element | None, kind: str | None = None) -> str:
    for info in children(element, "titleInfo"):
        if (info.get("type") or None) != kind:
            continue
        title = " ".join(t for t in (text(info, "nonSort"), text(info, "title")) if t)
        subtitle = text(info, "subTitle")
        if title:
            return f"{title}: {subtitle}" if subtitle else title
    return ""


def _names(element: Element, csl: CSLItem) -> None:
    for name in children(element, "name"):
        parts = {p.get("type") or "": text(p) for p in children(name, "namePart")}
        roles = [r for r in texts(name, "role", "roleTerm")] or [""]
        role = role_field(roles[0] if roles[0] not in ("aut", "cre") else "author")
        if role == "contributor":
            continue
        if name.get("type") in ("corporate", "conference"):
            person = {"literal": " ".join(texts(name, "namePart"))}
        elif parts.get("family") or parts.get("given"):
            person = make_name(parts.get("family", ""), parts.get("given", ""))
        else:
            person = parse_name(parts.get("", "") or text(name, "displayForm"))
        if any(person.values()):
            csl.setdefault(role, []).append(person)


def _date(origin: Element | None) -> dict[str, Any] | None:
    dates = children(origin, "dateIssued") or children(origin, "copyrightDate")
    dates += children(origin, "dateCreated")
    key = [d for d in dates if d.get("keyDate") == "yes"]
    for element in key + dates:
        date = parse_date(text(element))
        if date:
            return date
    return None


def _part(part: Element | None, csl: CSLItem) -> None:
    for detail in children(part, "detail"):
        kind = (detail.get("type") or "").lower()
        value = text(detail, "number") or text(detail, "caption")
        field = {"volume": "volume", "issue": "issue", "number": "issue"}.get(kind)
        if field and value:
            csl.setdefault(field, value)
    for extent in children(part, "extent"):
        if (extent.get("unit") or "page").lower().startswith("page"):
            start, end = text(extent, "start"), text(extent, "end")
            pages = (
                f"{start}-{end}"
                if start and end and start != end
                else start or text(extent, "list")
            )
            if pages:
                csl.setdefault("page", pages)
    if "issued" not in csl and (date := parse_date(text(part, "date"))):
        csl["issued"] = date


def _identifiers(element: Element, csl: CSLItem, kinds: dict[str, IssnKind]) -> None:
    for identifier in children(element, "identifier"):
        kind, value = (identifier.get("type") or "").lower(), text(identifier)
        if not value or identifier.get("invalid") == "yes":
            continue
        if kind == "doi" or (kind in ("uri", "") and first_doi(value)):
            if doi := first_doi(value):
                csl.setdefault("DOI", doi)
        elif kind in ("isbn", "issn"):
            add_standard_numbers(csl, kinds, value)
        elif kind in ("pmid", "pubmed"):  # an identifier "uri" is no URL: location/url is
            csl.setdefault("PMID", value)


def _type(mods: Element, host: Element | None) -> str:
    genres = [g.lower().strip() for g in texts(mods, "genre")]
    if host is not None:
        host_genres = [g.lower() for g in texts(host, "genre")]
        issuance = text(host, "originInfo", "issuance").lower()
        if any("conference" in g for g in genres + host_genres):
            return "paper-conference"
        if any("newspaper" in g for g in host_genres):
            return "article-newspaper"
        if any("magazine" in g for g in host_genres):
            return "article-magazine"
        # a serial host (issuance, its genre, or the part's own genre) makes an article;
        # any other host is the book the part is in (Zotero's bookSection)
        if (
            issuance == "continuing"
            or any(w in g for g in host_genres for w in ("journal", "periodical", "serial"))
            or any(g in ("article", "journal article") for g in genres)
        ):
            return "article-journal"
        return "chapter"
    for genre in genres:
        if genre in _GENRES:
            return _GENRES[genre]
    resource = text(mods, "typeOfResource").lower()
    if resource in _RESOURCE:
        return _RESOURCE[resource]
    if text(mods, "originInfo", "issuance").lower() == "continuing":
        return "periodical"
    return "book"


def mods_to_csl(mods: Element) -> tuple[CSLItem, dict[str, IssnKind], str | None]:
    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    related = children(mods, "relatedItem")
    host = next((r for r in related if r.get("type") == "host"), None)
    series = next((r for r in related if r.get("type") == "series"), None)
    csl["type"] = _type(mods, host)
    if title := _title(mods):
        csl["title"] = title
    if short := _title(mods, "abbreviated"):
        csl["title-short"] = short
    _names(mods, csl)
    origin = child(mods, "originInfo")
    if host is not None:
        if container := _title(host):
            csl["container-title"] = container
        if short := _title(host, "abbreviated"):
            csl["container-title-short"] = short
        host_names: CSLItem = {}
        _names(host, host_names)
        if host_names.get("editor"):
            csl.setdefault("editor", host_names["editor"])
        if csl["type"] == "chapter" and host_names.get("author"):
            csl.setdefault("container-author", host_names["author"])
        _part(child(host, "part"), csl)
        _identifiers(host, csl, kinds)
        host_origin = child(host, "originInfo")
        if (origin is None or not text(origin, "publisher")) and host_origin is not None:
            origin = host_origin
    _part(child(mods, "part"), csl)
    if series is not None and (series_title := _title(series)):
        csl["collection-title"] = series_title
    if origin is not None:
        if "issued" not in csl and (date := _date(origin)):
            csl["issued"] = date
        if publisher := text(origin, "publisher"):
            csl["publisher"] = publisher
        places = [
            text(p) for p in children(origin, "place", "placeTerm") if p.get("type") != "code"
        ]
        if places and places[0]:
            csl["publisher-place"] = places[0]
        if edition := text(origin, "edition"):
            csl["edition"] = edition
    if "issued" not in csl and host is not None and (date := _date(child(host, "originInfo"))):
        csl["issued"] = date
    _identifiers(mods, csl, kinds)
    if not csl.get("URL"):
        urls = [u for u in texts(mods, "location", "url") if u.startswith("http")]
        if urls:
            csl["URL"] = urls[0]
    if abstract := " ".join(texts(mods, "abstract")):
        csl["abstract"] = abstract
    topics = [t for s in children(mods, "subject") for t in texts(s, "topic")]
    if topics:
        csl["keyword"] = ", ".join(dict.fromkeys(topics))
    languages = [t for t in texts(mods, "language", "languageTerm") if t]
    if languages:
        csl["language"] = languages[0]
    if csl["type"] in ("book", "thesis", "report"):
        extent = text(mods, "physicalDescription", "extent")
        if pages := re.search(r"(\d+)\s*(?:p\b|pp\b|pages|S\.|Seiten)", extent):
            csl["number-of-pages"] = pages.group(1)
    notes = texts(mods, "note")
    if notes:
        csl["note"] = "; ".join(notes)
    own = next((text(i) for i in children(mods, "recordInfo", "recordIdentifier")), None)
    return csl, kinds, own or mods.get("ID") or None


class MODSParser(Parser):
    name = "mods"
    label = "MODS XML"

    def sniff(self, text: str) -> float:
        head = text[:20000]
        if re.search(r"<(?:\w+:)?mods[\s>]", head) and (
            "http://www.loc.gov/mods/" in head or re.search(r"<(?:\w+:)?titleInfo[\s>]", head)
        ):
            return 0.95
        return 0.0

    def parse(self, text: str, origin: str) -> ParseResult:
        return element_records(
            text,
            origin,
            self.name,
            lambda root: descendants(root, "mods"),
            mods_to_csl,
            lambda csl, _: bool(csl.get("title")),
            "MODS record without a title (titleInfo/title)",
        )
