"""A real web server on 127.0.0.1 for the tests of ``harvester add URL``: a threaded
``http.server`` on port 0 serving what the test puts at each path.

Besides pages (any bytes, status, ``Content-Type``), it serves redirects, slow answers (a delay
before the headers, or a body trickled out in pieces), bodies cut off halfway, huge bodies
generated as they are sent (with a ``Content-Length``, or none and the end of the body marked
by closing the connection), and answers queued to be given once each before a page (a 503
with ``Retry-After``, then the page), so that the client's limits and retries are exercised
against real sockets.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.fakes.local_http import LocalHTTP, QuietHandler


@dataclass
class Page:
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    trickle: float = 0.0  # seconds between pieces of the body (1 kB each)
    size: int | None = None  # a generated body of this many bytes (instead of ``body``)
    announce_length: bool = True  # send Content-Length (else close-delimited)
    cut: bool = False  # announce the whole body, send half of it, close the connection


class FakeWeb:
    """``with FakeWeb() as web: web.add("/page", b"...")``; ``web.url("/page")``."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.queued: dict[str, list[Page]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []  # (path, headers) in order
        self._http = LocalHTTP(self._handler())

    def url(self, path: str = "/") -> str:
        return self._http.root + path

    def add(self, path: str, body: bytes | str = b"", **options: object) -> str:
        """Serve ``body`` (str is sent as UTF-8) at ``path``; returns its address."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = Page(body=data, **options)  # type: ignore[arg-type]
        return self.url(path)

    def queue(self, path: str, *answers: Page) -> str:
        """Give ``answers`` once each, in order, to the next requests for ``path``; then what
        :meth:`add` put there. Returns the address."""
        self.queued.setdefault(path, []).extend(answers)
        return self.url(path)

    def hits(self, path: str) -> int:
        """How many requests asked for ``path``."""
        return sum(1 for asked, _ in self.requests if asked.split("?")[0] == path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        return self.add(path, status=status, headers={"Location": to}, content_type=None)

    def __enter__(self) -> FakeWeb:
        self._http.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.stop()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                web.requests.append((self.path, dict(self.headers.items())))
                path = self.path.split("?")[0]
                queued = web.queued.get(path)
                page = queued.pop(0) if queued else web.pages.get(path)
                try:
                    if page is None:
                        self._answer(Page(b"<h1>Not Found</h1>", status=404))
                    else:
                        self._answer(page)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout, too large)

            def _answer(self, page: Page) -> None:
                if page.delay:
                    time.sleep(page.delay)
                self.send_response(page.status)
                if page.content_type:
                    self.send_header("Content-Type", page.content_type)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                length = page.size if page.size is not None else len(page.body)
                if page.announce_length:
                    self.send_header("Content-Length", str(length))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if page.size is not None:
                    line = b"% filler, never a record\n" * 2600  # about 64 kB
                    left = page.size
                    while left > 0:
                        piece = line[:left]
                        self.wfile.write(piece)
                        left -= len(piece)
                elif page.cut:
                    self.wfile.write(page.body[: len(page.body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                elif page.trickle:
                    for start in range(0, len(page.body), 1024):
                        self.wfile.write(page.body[start : start + 1024])
                        self.wfile.flush()
                        time.sleep(page.trickle)
                else:
                    self.wfile.write(page.body)

        return Handler
