"""Journal tables of contents as RSS 2.0 / RSS 1.0 (RDF) / Atom feeds: entries as records.

Feed syntax is left to feedparser (the well-kept library every feed reader builds on: it
copes with the three formats, namespaces such as PRISM and Dublin Core, broken XML and odd
dates). This module only maps an entry to a CSL item, the way Zotero's feed reader does:

* the DOI from ``prism:doi``, ``dc:identifier``, the entry's id or a link (``doi.org/…`` or a
  publisher's ``/doi/10.…`` path); never from the summary, where cited DOIs appear;
* title, authors (``author`` elements or ``dc:creator``), the date from ``prism:publicationDate``,
  ``dc:date`` or ``published`` (never ``updated``: a re-published feed is not a new paper),
  the journal from ``prism:publicationName``, volume, issue, pages, ISSNs (the entry's or the
  channel's ``prism:issn``), the link and the summary as the abstract.

Pure: bytes in, entries out; no fetching (``feedparser.parse`` is only ever given bytes).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import feedparser  # type: ignore[import-untyped, unused-ignore]

from records.identifiers import normalize_doi, normalize_issn
from records.model import CSLItem, Failure, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.names import parse_name, parse_name_list
from records.normalize.record import normalize_csl

FORMAT = "feed"
_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_BEFORE_RE = re.compile(r"\s+([.,;:!?)\]])")
_DOI_PATH_RE = re.compile(r"/doi/(?:abs/|full/|pdf/|epdf/|epub/|fulltext/)?(10\.\d{4,9}/[^?#]+)")


@dataclass(slots=True)
class FeedEntry:
    """One entry: its stable id in the feed, its DOI (if it names one) and its record."""

    item: str
    doi: str | None
    record: Record | None
    position: int


@dataclass(slots=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    failures: list[Failure]


def _text(value: Any) -> str:
    """Plain text of a feed value (which may carry HTML)."""
    if not isinstance(value, str):
        return ""
    text = " ".join(html.unescape(_TAG_RE.sub(" ", value)).split())
    return _SPACE_BEFORE_RE.sub(r"\1", text)  # "<b>outcomes</b>." -> "outcomes ." -> back


def entry_doi(entry: Any) -> str | None:
    """The DOI an entry names for itself (see the module docstring), or ``None``."""
    for key in ("prism_doi", "dc_identifier"):
        value = entry.get(key)
        if isinstance(value, str) and (doi := normalize_doi(value)):
            return doi
    candidates = [entry.get("id"), entry.get("link")]
    candidates += [link.get("href") for link in entry.get("links") or [] if isinstance(link, dict)]
    for value in candidates:
        if not isinstance(value, str) or not value:
            continue
        if value.lower().startswith(("doi:", "info:doi/")):
            if doi := normalize_doi(value):
                return doi
            continue
        parts = urlsplit(value)
        host = parts.netloc.lower()
        if host in ("doi.org", "dx.doi.org", "www.doi.org"):
            if doi := normalize_doi(parts.path.lstrip("/")):
                return doi
        elif (match := _DOI_PATH_RE.search(parts.path)) and (doi := normalize_doi(match[1])):
            return doi
    return None


def _date(entry: Any) -> Any:
    for key in ("prism_publicationdate", "prism_coverdate", "dc_date"):
        value = entry.get(key)
        if isinstance(value, str) and (date := parse_date(value)):
            return date
    parsed = entry.get("published_parsed")
    if isinstance(parsed, time.struct_time):
        return {"date-parts": [[parsed.tm_year, parsed.tm_mon, parsed.tm_mday]]}
    return None


def _authors(entry: Any) -> list[Any]:
    names = [
        _text(a.get("name"))
        for a in entry.get("authors") or []
        if isinstance(a, dict) and a.get("name")
    ]
    if len(names) == 1 and (";" in names[0] or " and " in names[0] or names[0].count(",") > 1):
        return parse_name_list(names[0])  # "A. Smith, B. Jones and C. Wu" in one element
    if not names and isinstance(entry.get("author"), str):
        return parse_name_list(_text(entry["author"]))
    return [n for n in (parse_name(name) for name in names) if n]


def entry_to_csl(entry: Any, channel: Any) -> CSLItem:
    csl: CSLItem = {}
    if title := _text(entry.get("title")):
        csl["title"] = title
    if authors := _authors(entry):
        csl["author"] = authors
    if (date := _date(entry)) is not None:
        csl["issued"] = date
    if journal := _text(entry.get("prism_publicationname")):
        csl["container-title"] = journal
    for key, field in (("prism_volume", "volume"), ("prism_number", "issue")):
        if value := _text(entry.get(key)):
            csl[field] = value
    first, last = _text(entry.get("prism_startingpage")), _text(entry.get("prism_endingpage"))
    if first:
        csl["page"] = f"{first}-{last}" if last and last != first else first
    issns = [
        issn
        for source in (entry, channel)
        for key in ("prism_issn", "prism_eissn")
        if (issn := normalize_issn(_text(source.get(key))))
    ]
    if issns:
        csl["ISSN"] = list(dict.fromkeys(issns))
    if doi := entry_doi(entry):
        csl["DOI"] = doi
    if isinstance(link := entry.get("link"), str) and link.startswith(("http://", "https://")):
        csl["URL"] = link
    summary = _text(entry.get("summary"))
    if summary and summary != csl.get("title"):
        csl["abstract"] = summary
    csl["type"] = "article-journal" if ("container-title" in csl or issns) else "article"
    return normalize_csl(csl)


def _raw(entry: Any) -> str:
    """The entry as feedparser read it, as stable JSON (the record's verbatim input)."""
    plain = {k: v for k, v in entry.items() if not k.endswith("_parsed")}
    return json.dumps(plain, ensure_ascii=False, sort_keys=True, default=str)


def parse_feed(data: bytes, origin: str) -> ParsedFeed:
    """The entries of a feed; an entry without a title or a link is a failure naming its
    place; a document that is no feed at all is one failure."""
    headers = {}
    try:
        data.decode("utf-8")
        # Valid UTF-8 is UTF-8 (the fetcher re-encodes to it from the server's charset, which
        # leaves an XML declaration naming the old one): said the way feedparser believes.
        headers = {"content-type": "application/xml; charset=utf-8"}
    except UnicodeDecodeError:
        pass  # the document's own declaration (or feedparser's sniffing) decides
    parsed = feedparser.parse(data, response_headers=headers)
    channel = parsed.get("feed") or {}
    failures: list[Failure] = []
    entries: list[FeedEntry] = []
    if not parsed.entries:
        if parsed.get("bozo"):
            reason = f"not a readable RSS or Atom feed ({parsed.get('bozo_exception')})"
            return ParsedFeed(None, [], [Failure(origin, reason)])
        if not parsed.get("version"):
            return ParsedFeed(None, [], [Failure(origin, "not an RSS or Atom feed")])
    for position, entry in enumerate(parsed.entries, start=1):
        csl = entry_to_csl(entry, channel)
        if not csl.get("title"):
            failures.append(Failure(origin, "feed entry without a title", position))
            continue
        item = entry.get("id") or entry.get("link") or csl.get("DOI")
        if not item:
            item = "title:" + hashlib.sha256(csl["title"].encode()).hexdigest()[:16]
        raw = _raw(entry)
        source = SourceRef(FORMAT, origin, str(item), position)
        entries.append(FeedEntry(str(item), csl.get("DOI"), Record(csl, source, raw), position))
    return ParsedFeed(_text(channel.get("title")) or None, entries, failures)


__all__ = ["FORMAT", "FeedEntry", "ParsedFeed", "entry_doi", "entry_to_csl", "parse_feed"]
