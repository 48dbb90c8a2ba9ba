"""Crossref UNIXREF / UNIXSD XML (``<doi_records>`` / ``<crossref_result>``) -> records.

What Crossref's XML API, OpenURL and deposit tools return for a DOI, and what Zotero's "CrossRef
UNIXREF" translator imports. Each ``<doi_record>`` holds one ``<crossref>`` with one kind of
work: ``journal`` (``journal_metadata``, ``journal_issue``, ``journal_article``), ``book``
(``book_metadata`` or ``book_series_metadata``, with a ``content_item`` for a chapter),
``conference`` (``proceedings_metadata``, ``conference_paper``), ``report-paper``,
``dissertation``, ``posted_content``, ``dataset``, ``standard``. Contributors are
``person_name`` (``given_name``/``surname``/``suffix``, ``contributor_role``) and
``organization``; the DOI is the ``doi_data/doi`` of the record's own level. Namespaces differ
between schema versions, so elements are read by local name.
"""

from __future__ import annotations

import re
from typing import Any

from records.model import CSLItem, IssnKind, ParseResult
from records.normalize.names import make_name
from records.parsers.base import Parser
from records.parsers.fields import add_issn, add_standard_numbers, first_doi
from records.parsers.xml_local import Element, child, children, descendants, text, texts
from records.parsers.xml_records import element_records
from records.xmlsafe import local_name

_KINDS = {
    "journal": "article-journal",
    "book": "book",
    "conference": "paper-conference",
    "report-paper": "report",
    "dissertation": "thesis",
    "posted_content": "article",
    "dataset": "dataset",
    "standard": "standard",
    "peer_review": "review",
    "database": "dataset",
    "sa_component": "document",
}
_ROLES = {"author": "author", "editor": "editor", "chair": "editor", "translator": "translator"}


def _contributors(element: Element | None, csl: CSLItem) -> None:
    # a dissertation puts its person_name right in the work, the others in <contributors>
    groups = children(element, "contributors") + ([element] if element is not None else [])
    for group in groups:
        for person in group:
            if not isinstance(person.tag, str):
                continue
            role = _ROLES.get((person.get("contributor_role") or "author").lower())
            if not role:
                continue
            if person.tag.endswith("person_name"):
                name = make_name(text(person, "surname"), text(person, "given_name"))
                if suffix := text(person, "suffix"):
                    name["suffix"] = suffix
            elif person.tag.endswith("organization"):
                name = {"literal": text(person)}
            else:
                continue
            if any(name.values()):
                csl.setdefault(role, []).append(name)


def _date(element: Element | None) -> dict[str, Any] | None:
    dates = children(element, "publication_date") or children(element, "approval_date")
    dates += children(element, "posted_date")
    dates.sort(key=lambda d: d.get("media_type") != "print")  # print first, as Zotero does
    for date in dates:
        year = text(date, "year")
        if not re.fullmatch(r"\d{4}", year):
            continue
        parts = [int(year)]
        month, day = text(date, "month"), text(date, "day")
        if month.isdigit() and 1 <= int(month) <= 12:
            parts.append(int(month))
            if day.isdigit() and 1 <= int(day) <= 31:
                parts.append(int(day))
        return {"date-parts": [parts]}
    return None


def _title(element: Element | None) -> str:
    title = text(element, "titles", "title")
    subtitle = text(element, "titles", "subtitle")
    return f"{title}: {subtitle}" if title and subtitle else title


def _pages(element: Element | None, csl: CSLItem) -> None:
    first, last = text(element, "pages", "first_page"), text(element, "pages", "last_page")
    if first:
        csl["page"] = f"{first}-{last}" if last and last != first else first


def _doi(element: Element | None, csl: CSLItem) -> None:
    if doi := first_doi(text(element, "doi_data", "doi")):
        csl["DOI"] = doi
    resource = text(element, "doi_data", "resource")
    if resource.startswith("http"):
        csl["URL"] = resource


def _publisher(element: Element | None, csl: CSLItem) -> None:
    if name := text(element, "publisher", "publisher_name"):
        csl.setdefault("publisher", name)
    if place := text(element, "publisher", "publisher_place"):
        csl.setdefault("publisher-place", place)


def _isbns(element: Element | None, csl: CSLItem, kinds: dict[str, IssnKind]) -> None:
    for isbn in texts(element, "isbn"):
        add_standard_numbers(csl, kinds, isbn)


def _abstract(element: Element | None, csl: CSLItem) -> None:
    abstracts = [a for a in children(element, "abstract")]
    if abstracts and (value := text(abstracts[0])):
        csl["abstract"] = re.sub(r"^(?:Abstract|Summary)\s*:?\s+", "", value)


def crossref_to_csl(record: Element) -> tuple[CSLItem, dict[str, IssnKind], str | None]:
    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    body = child(record, "crossref")
    work = next((c for c in (body if body is not None else []) if isinstance(c.tag, str)), None)
    if work is None:
        return csl, kinds, None
    kind = local_name(work)
    csl["type"] = _KINDS.get(kind, "document")
    if kind == "journal":
        meta, issue, article = (
            child(work, "journal_metadata"),
            child(work, "journal_issue"),
            child(work, "journal_article"),
        )
        if name := text(meta, "full_title"):
            csl["container-title"] = name
        if short := text(meta, "abbrev_title"):
            csl["container-title-short"] = short
        for issn in children(meta, "issn"):
            value = text(issn)
            for found in re.findall(r"\d{4}-?\d{3}[\dXx]", value):
                add_issn(
                    csl,
                    kinds,
                    f"{found[:4]}-{found[-4:]}".upper(),
                    "electronic" if issn.get("media_type") == "electronic" else "print",
                )
        if volume := text(issue, "journal_volume", "volume"):
            csl["volume"] = volume
        if number := text(issue, "issue"):
            csl["issue"] = number
        target = article if article is not None else issue
        if article is None:
            csl["type"] = "periodical"
        if title := _title(target):
            csl["title"] = title
        _contributors(target, csl)
        _pages(target, csl)
        csl["issued"] = _date(target) or _date(issue) or {}
        _doi(target, csl)
        _abstract(target, csl)
    elif kind == "book":
        meta = next(
            (
                m
                for name in ("book_metadata", "book_series_metadata", "book_set_metadata")
                if (m := child(work, name)) is not None
            ),
            None,
        )
        item = child(work, "content_item")
        _publisher(meta, csl)
        _isbns(meta, csl, kinds)
        if series := text(meta, "series_metadata", "titles", "title"):
            csl["collection-title"] = series
        if volume := text(meta, "volume"):
            csl["volume"] = volume
        if edition := text(meta, "edition_number"):
            csl["edition"] = edition
        if item is not None:
            csl["type"] = "chapter"
            csl["container-title"] = _title(meta)
            csl["title"] = _title(item)
            _contributors(item, csl)
            editors: CSLItem = {}
            _contributors(meta, editors)
            if editors.get("editor"):
                csl.setdefault("editor", editors["editor"])
            _pages(item, csl)
            csl["issued"] = _date(item) or _date(meta) or {}
            _doi(item, csl)
            _abstract(item, csl)
        else:
            csl["title"] = _title(meta)
            _contributors(meta, csl)
            csl["issued"] = _date(meta) or {}
            _doi(meta, csl)
            _abstract(meta, csl)
    elif kind == "conference":
        event, proceedings, paper = (
            child(work, "event_metadata"),
            child(work, "proceedings_metadata"),
            child(work, "conference_paper"),
        )
        csl["container-title"] = text(proceedings, "proceedings_title")
        if name := text(event, "conference_name"):
            csl["event-title"] = name
        if place := text(event, "conference_location"):
            csl["event-place"] = place
        _publisher(proceedings, csl)
        _isbns(proceedings, csl, kinds)
        target = paper if paper is not None else proceedings
        if paper is None:
            csl["type"] = "book"
            csl["title"] = csl.pop("container-title")
        else:
            csl["title"] = _title(paper)
        _contributors(target, csl)
        _pages(target, csl)
        csl["issued"] = _date(target) or _date(proceedings) or {}
        _doi(target, csl)
        _abstract(target, csl)
    else:
        # report-paper, dissertation, posted_content, dataset, standard: one level (a report
        # may wrap its metadata in report-paper_metadata / report-paper_series_metadata)
        meta = next(
            (c for c in work if isinstance(c.tag, str) and c.tag.endswith("_metadata")), work
        )
        csl["title"] = _title(meta) or _title(work)
        _contributors(meta, csl)
        if not csl.get("author") and meta is not work:
            _contributors(work, csl)
        csl["issued"] = _date(meta) or _date(work) or {}
        _publisher(meta, csl)
        _isbns(meta, csl, kinds)
        if institution := text(meta, "institution", "institution_name") or text(
            work, "institution", "institution_name"
        ):
            csl.setdefault("publisher", institution)
        if number := text(meta, "publisher_item", "item_number"):
            csl["number"] = number
        _doi(meta, csl)
        if "DOI" not in csl:
            _doi(work, csl)
        _abstract(meta, csl)
        if "abstract" not in csl:
            _abstract(work, csl)
        if place := text(meta, "institution", "institution_place") or text(
            work, "institution", "institution_place"
        ):
            csl.setdefault("publisher-place", place)
        if kind == "posted_content" and (group := text(work, "group_title")):
            csl.setdefault("publisher", group)  # the preprint server (Zotero's "repository")
    if not csl.get("issued"):
        csl.pop("issued", None)
    languages = [e.get("language") for e in work.iter() if isinstance(e.tag, str)]
    if language := next((lang for lang in languages if lang), None):
        csl["language"] = language
    for key in ("title", "container-title"):
        if not csl.get(key):
            csl.pop(key, None)
    return csl, kinds, csl.get("DOI")


class CrossrefXMLParser(Parser):
    name = "crossref-xml"
    label = "Crossref UNIXREF/UNIXSD XML"
    aliases = ("unixref", "unixsd")

    def sniff(self, text: str) -> float:
        head = text[:20000]
        if re.search(r"<(?:\w+:)?(?:doi_records|crossref_result)[\s>]", head) or (
            re.search(r"<(?:\w+:)?doi_record[\s>]", head) and "<crossref" in head
        ):
            return 0.95
        return 0.0

    def parse(self, text: str, origin: str) -> ParseResult:
        return element_records(
            text,
            origin,
            self.name,
            lambda root: descendants(root, "doi_record"),
            crossref_to_csl,
            lambda csl, _: bool(csl.get("title")),
            "Crossref record without a title (or an error answer instead of metadata)",
        )
