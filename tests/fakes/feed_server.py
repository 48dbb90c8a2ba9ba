"""A journal's table-of-contents feeds on 127.0.0.1 (RSS 2.0 and Atom), for ``harvester sync``.

The documents are CONSTRUCTED (not recorded) in the shapes publishers serve: RSS 2.0 with the
PRISM and Dublin Core modules (``prism:doi``, ``prism:publicationName``, ``prism:volume``,
``dc:creator`` ... as Nature, Springer and Wiley TOC feeds carry them), and Atom 1.0 with
``author`` elements and a ``doi.org`` link as ``id``. Entries are :class:`Entry`; a test adds
or changes them between runs.

The server answers ``GET`` with the feed, an ``ETag`` (a hash of the body) and honours
``If-None-Match`` with 304, as a publisher's CDN does; :attr:`FeedServer.queued` gives
once-each answers (a 429 with ``Retry-After``, say) before the feed, and
:attr:`FeedServer.requests` records every request's path and headers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from xml.sax.saxutils import escape

from tests.fakes.local_http import LocalHTTP, QuietHandler


@dataclass
class Entry:
    title: str | None
    link: str
    doi: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None  # YYYY-MM-DD
    summary: str | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: tuple[str, str] | None = None


def rss_feed(title: str, issn: str | None, entries: list[Entry]) -> bytes:
    """RSS 2.0 with PRISM and Dublin Core, one ``<item>`` per entry."""
    items = []
    for e in entries:
        parts = [f"<link>{escape(e.link)}</link>", f"<guid>{escape(e.link)}</guid>"]
        if e.title is not None:
            parts.insert(0, f"<title>{escape(e.title)}</title>")
        parts += [f"<dc:creator>{escape(a)}</dc:creator>" for a in e.authors]
        if e.summary:
            parts.append(f"<description>{escape(e.summary)}</description>")
        if e.doi:
            parts += [
                f"<prism:doi>{escape(e.doi)}</prism:doi>",
                f"<dc:identifier>doi:{escape(e.doi)}</dc:identifier>",
            ]
        if e.date:
            parts.append(f"<prism:publicationDate>{e.date}</prism:publicationDate>")
            parts.append(f"<dc:date>{e.date}</dc:date>")
        if e.journal:
            parts.append(f"<prism:publicationName>{escape(e.journal)}</prism:publicationName>")
        if e.volume:
            parts.append(f"<prism:volume>{e.volume}</prism:volume>")
        if e.issue:
            parts.append(f"<prism:number>{e.issue}</prism:number>")
        if e.pages:
            parts.append(f"<prism:startingPage>{e.pages[0]}</prism:startingPage>")
            parts.append(f"<prism:endingPage>{e.pages[1]}</prism:endingPage>")
        items.append("<item>" + "".join(parts) + "</item>")
    channel_issn = f"<prism:issn>{issn}</prism:issn>" if issn else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">\n<channel>'
        f"<title>{escape(title)}</title><link>https://journal.example.org/</link>"
        f"<description>Latest articles</description>{channel_issn}"
        + "\n".join(items)
        + "</channel></rss>\n"
    ).encode()


def atom_feed(title: str, entries: list[Entry]) -> bytes:
    """Atom 1.0, ``id`` the DOI's ``https://doi.org/`` address when there is one."""
    out = []
    for e in entries:
        ident = f"https://doi.org/{e.doi}" if e.doi else e.link
        parts = [f"<id>{escape(ident)}</id>", f'<link href="{escape(e.link)}"/>']
        if e.title is not None:
            parts.insert(0, f"<title>{escape(e.title)}</title>")
        parts += [f"<author><name>{escape(a)}</name></author>" for a in e.authors]
        if e.date:
            parts.append(f"<published>{e.date}T00:00:00Z</published>")
            parts.append(f"<updated>{e.date}T06:00:00Z</updated>")
        if e.summary:
            parts.append(f'<summary type="html">{escape(e.summary)}</summary>')
        out.append("<entry>" + "".join(parts) + "</entry>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>https://journal.example.org/atom</id>"
        "<updated>2026-12-01T00:00:00Z</updated>" + "\n".join(out) + "</feed>\n"
    ).encode()


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class FeedServer:
    """``with FeedServer() as feeds: feeds.feeds["/toc.rss"] = (bytes, content_type)``."""

    def __init__(self) -> None:
        self.feeds: dict[str, tuple[bytes, str]] = {}
        self.queued: list[Answer] = []
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._http = LocalHTTP(self._handler())

    def url(self, path: str) -> str:
        return self._http.root + path

    def __enter__(self) -> FeedServer:
        self._http.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.stop()

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for asked, headers in self.requests if asked == path]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers.items())))
                if server.queued:
                    answer = server.queued.pop(0)
                    self._send(answer.status, answer.body, answer.headers)
                    return
                if self.path not in server.feeds:
                    self._send(404, b"not found", {"Content-Type": "text/plain"})
                    return
                body, content_type = server.feeds[self.path]
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, b"", {"ETag": etag})
                    return
                self._send(200, body, {"Content-Type": content_type, "ETag": etag})

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler
