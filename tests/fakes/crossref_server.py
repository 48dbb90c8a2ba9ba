"""A fake Crossref REST API on 127.0.0.1 for the test suite and the benchmark.

It is a real HTTP server (``ThreadingHTTPServer``, HTTP/1.1 keep-alive), so the client's
connection handling, timeouts and header parsing are exercised for real. It serves

* ``GET /works/{doi}`` (raw or percent-encoded slash): the work, or 404 ``text/plain``
  "Resource not found." as Crossref does; field queries on this route give the 400 of fixture 09;
* ``GET /works?…`` with ``query.bibliographic`` / ``query``, ``filter`` (``doi``, ``issn``,
  ``type``, ``from-index-date``, ``until-index-date``; a repeated name is ORed, different names
  ANDed), ``select``, ``rows``, ``offset`` and ``cursor`` (a stable ``next-cursor`` string,
  empty pages past the end, 404 ``cursor-invalid`` for an unknown cursor);

from the recorded fixtures in ``tests/data/shared/fixtures/crossref`` plus works the tests
add. A ``query.bibliographic`` recorded in fixtures 15/16 is answered with the recorded body;
other searches are scored here so that the score grows with the query length like Crossref's
(``score / len(query)`` is the share of the query's characters found in the work).

Limits: every answer carries the pool's ``x-rate-limit-limit`` / ``x-rate-limit-interval`` /
``x-concurrency-limit`` / ``x-api-pool`` headers (spelling configurable, both by default); the
pool is ``polite`` when the request has ``mailto`` (parameter or User-Agent). Requests over the
rate (sliding window, counted per request class) or over the concurrency limit get a 429 with
Crossref's HTML body and no rate-limit headers. Requests in flight are counted per *pool*,
lookups and list queries together, as Crossref counts them, from the moment a request arrives
until its answer is written: a request the client stopped waiting for still counts until the
server is done with it. :attr:`FakeCrossref.stats` records what the
server saw (requests, the most in any window, the most in flight, statuses) so tests can prove
the client stayed inside the limits.

Faults (:class:`Faults`): 429 storms, 5xx (a share, or a burst), slow answers, answers cut off
mid-body, bad JSON, a 200 carrying an error body, huge bodies; each by rate (seeded random) or
for the next N requests. :attr:`ServerStats.faults` counts the faults injected.
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import json
import random
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from rapidfuzz import utils as fuzz_utils

from tests.conftest import FIXTURES
from tests.fakes.local_http import LocalHTTP, QuietHandler

CROSSREF_FIXTURES = FIXTURES / "crossref"

TOO_MANY = (
    b"<html><body><h1>429 Too Many Requests</h1>\n"
    b"You have sent too many requests in a given amount of time.\n</body></html>"
)


@dataclass(frozen=True)
class Pool:
    limit: int
    interval: float  # seconds
    concurrency: int

    def interval_header(self) -> str:
        return f"{self.interval:g}s"


def real_pools(scale: float = 1.0) -> dict[str, dict[str, Pool]]:
    """The documented limits (reference §1.4), intervals multiplied by ``scale`` for fast tests."""
    return {
        "public": {"single": Pool(5, scale, 1), "list": Pool(1, scale, 1)},
        "polite": {"single": Pool(10, scale, 3), "list": Pool(3, scale, 3)},
    }


@dataclass
class Faults:
    """What to break. Rates are shares of requests (seeded); ``*_next`` count down per request."""

    seed: int = 1
    error_rate: float = 0.0  # answer 503
    error_status: int = 503
    storm_next: int = 0  # answer 429 to the next N requests
    retry_after: str | None = None  # sent with injected 429s
    slow_rate: float = 0.0
    slow_next: int = 0
    slow_seconds: float = 0.5
    cut_rate: float = 0.0  # announce the full length, send half, close
    cut_next: int = 0
    bad_json_rate: float = 0.0
    bad_json_next: int = 0
    error_next: int = 0  # a burst: answer ``error_status`` to the next N requests
    error_body_next: int = 0  # answer 200 with Crossref's error JSON ("status": "failed")
    huge_next: int = 0  # answer 200 with a JSON body of ``huge_bytes``, generated as sent
    huge_bytes: int = 64 * 2**20
    only_class: str | None = None  # "single" / "list": inject only there

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def draw(self, request_class: str) -> str | None:
        """The fault for this request, if any."""
        if self.only_class and request_class != self.only_class:
            return None
        with self._lock:
            for name in ("storm", "error", "error_body", "huge", "slow", "cut", "bad_json"):
                left = getattr(self, f"{name}_next")
                if left > 0:
                    setattr(self, f"{name}_next", left - 1)
                    return name
            roll = self._rng.random()
            for name, rate in (
                ("error", self.error_rate),
                ("slow", self.slow_rate),
                ("cut", self.cut_rate),
                ("bad_json", self.bad_json_rate),
            ):
                if roll < rate:
                    return name
                roll -= rate
        return None


@dataclass
class ServerStats:
    requests: Counter[str] = field(default_factory=Counter)  # per class
    statuses: Counter[int] = field(default_factory=Counter)
    max_in_window: Counter[str] = field(default_factory=Counter)
    max_in_flight: Counter[str] = field(default_factory=Counter)
    over_limit: Counter[str] = field(default_factory=Counter)  # 429s the server had to give
    over_rate: Counter[str] = field(default_factory=Counter)
    over_concurrency: Counter[str] = field(default_factory=Counter)
    paths: list[str] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)  # injected, by kind
    user_agents: Counter[str] = field(default_factory=Counter)


# -- recorded data ---------------------------------------------------------------------------
def _doi_key(doi: str) -> str:
    return doi.lower()


def load_recorded_works() -> dict[str, dict[str, Any]]:
    """Every work in the recorded fixtures (singles and list items), keyed by lower-case DOI."""
    works: dict[str, dict[str, Any]] = {}
    for path in sorted(CROSSREF_FIXTURES.glob("*.response.json")):
        body = json.loads(path.read_text("utf-8"))
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, dict):
            continue
        items = [message] if "DOI" in message else message.get("items") or []
        for item in items:
            if isinstance(item, dict) and "DOI" in item and "title" in item:
                work = {k: v for k, v in item.items() if k != "score"}
                # A full record beats a select=DOI,title one.
                if len(work) > len(works.get(_doi_key(item["DOI"]), {})):
                    works[_doi_key(item["DOI"])] = work
    return works


def load_recorded_searches() -> dict[str, dict[str, Any]]:
    """The ``query.bibliographic`` answers recorded with their query (fixtures 15, 16)."""
    out: dict[str, dict[str, Any]] = {}
    for meta_path in sorted(CROSSREF_FIXTURES.glob("*.meta.json")):
        meta = json.loads(meta_path.read_text("utf-8"))
        query = (meta.get("request") or {}).get("query.bibliographic")
        if query:
            body_path = CROSSREF_FIXTURES / meta["response"]["body_file"]
            out[query] = json.loads(body_path.read_text("utf-8"))
    return out


def _work_text(work: dict[str, Any]) -> str:
    parts: list[str] = []
    for key in ("title", "subtitle", "container-title", "short-container-title", "ISSN"):
        parts.extend(str(v) for v in work.get(key) or [])
    for person in work.get("author") or []:
        parts.append(str(person.get("family") or person.get("name") or ""))
    for key in ("volume", "issue", "page"):
        if work.get(key):
            parts.append(str(work[key]).replace("-", " "))
    for key in ("issued", "published-print", "published-online"):
        with contextlib.suppress(KeyError, IndexError, TypeError):
            parts.append(str(work[key]["date-parts"][0][0]))
    return fuzz_utils.default_process(" ".join(parts))


def _indexed_date(work: dict[str, Any]) -> str:
    try:
        return str(work["indexed"]["date-time"])[:10]
    except (KeyError, TypeError):
        return ""


# -- the server --------------------------------------------------------------------------------
class FakeCrossref:
    """Start with :meth:`start` (or as a context manager); :attr:`url` is the base URL."""

    def __init__(
        self,
        *,
        pools: dict[str, dict[str, Pool]] | None = None,
        spelling: str = "both",  # "dash" (x-rate-limit-*), "nodash" (x-ratelimit-*), "both"
        faults: Faults | None = None,
        enforce: bool = True,
        recorded: bool = True,
    ) -> None:
        self.pools = pools or real_pools()
        self.spelling = spelling
        self.faults = faults or Faults()
        self.enforce = enforce
        self.works: dict[str, dict[str, Any]] = load_recorded_works() if recorded else {}
        self.searches: dict[str, dict[str, Any]] = load_recorded_searches() if recorded else {}
        self.stats = ServerStats()
        self._texts: dict[str, str] = {}
        self._lock = threading.Lock()
        self._arrivals: dict[str, list[float]] = {"single": [], "list": []}  # sorted
        self._in_flight: Counter[str] = Counter()  # per class and per pool name
        self._cursors: dict[str, tuple[list[dict[str, Any]], int, int]] = {}
        self._http: LocalHTTP | None = None

    # data ------------------------------------------------------------------------------------
    def add_work(self, work: dict[str, Any]) -> None:
        with self._lock:
            self.works[_doi_key(work["DOI"])] = work
            self._texts.pop(_doi_key(work["DOI"]), None)

    def add_search(self, query: str, body: dict[str, Any]) -> None:
        self.searches[query] = body

    def _text(self, key: str) -> str:
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = _work_text(self.works[key])
        return text

    def stats_dict(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": dict(self.stats.requests),
                "statuses": {str(k): v for k, v in self.stats.statuses.items()},
                "max_in_window": dict(self.stats.max_in_window),
                "max_in_flight": dict(self.stats.max_in_flight),
                "over_limit": dict(self.stats.over_limit),
                "over_rate": dict(self.stats.over_rate),
                "over_concurrency": dict(self.stats.over_concurrency),
                "faults": dict(self.stats.faults),
            }

    # lifecycle ---------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._http is not None, "server not started"
        return self._http.root

    def start(self) -> FakeCrossref:
        self._http = LocalHTTP(type("Handler", (_Handler,), {"fake": self}))
        self._http.start()
        return self

    def stop(self) -> None:
        if self._http:
            self._http.stop()
            self._http = None

    def __enter__(self) -> FakeCrossref:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # limits ------------------------------------------------------------------------------------
    def admit(
        self, cls: str, pool: Pool, pool_name: str = "polite", arrived: float | None = None
    ) -> bool:
        """Count an arrival (at ``arrived``, the time the request reached this machine, else
        now); ``False`` when it breaks the class's rate or the pool's concurrency limit (in
        flight: both classes of the pool together).

        Handler threads can count arrivals out of order, so the window is checked around this
        arrival on both sides: the most arrivals in any window of ``interval`` holding it."""
        at = arrived if arrived is not None else time.time()
        with self._lock:
            self.stats.requests[cls] += 1
            arrivals = self._arrivals[cls]
            bisect.insort(arrivals, at)
            # What no later window can reach (threads lag by far less than a minute).
            del arrivals[
                : bisect.bisect_left(arrivals, arrivals[-1] - max(60.0, 4 * pool.interval))
            ]
            start = bisect.bisect_left(arrivals, at)
            stop = bisect.bisect_left(arrivals, at + pool.interval)
            in_window = max(
                bisect.bisect_right(arrivals, end)
                - bisect.bisect_right(arrivals, end - pool.interval)
                for end in arrivals[start:stop]
            )
            self._in_flight[cls] += 1
            self._in_flight[pool_name] += 1
            self.stats.max_in_window[cls] = max(self.stats.max_in_window[cls], in_window)
            self.stats.max_in_flight[cls] = max(self.stats.max_in_flight[cls], self._in_flight[cls])
            self.stats.max_in_flight[pool_name] = max(
                self.stats.max_in_flight[pool_name], self._in_flight[pool_name]
            )
            over_rate = in_window > pool.limit
            over_concurrency = self._in_flight[pool_name] > pool.concurrency
            over = over_rate or over_concurrency
            if over:
                self.stats.over_limit[cls] += 1
                self.stats.over_rate[cls] += over_rate
                self.stats.over_concurrency[cls] += over_concurrency
            return not (over and self.enforce)

    def leave(self, cls: str, pool_name: str = "polite") -> None:
        with self._lock:
            self._in_flight[cls] -= 1
            self._in_flight[pool_name] -= 1

    def headers_for(self, pool_name: str, cls: str, pool: Pool) -> dict[str, str]:
        headers = {
            "x-api-pool": f"{pool_name}-{'array' if cls == 'list' else 'single'}",
            "x-concurrency-limit": str(pool.concurrency),
        }
        if self.spelling in ("dash", "both"):
            headers["x-rate-limit-limit"] = str(pool.limit)
            headers["x-rate-limit-interval"] = pool.interval_header()
        if self.spelling in ("nodash", "both"):
            headers["x-ratelimit-limit"] = str(pool.limit)
            headers["x-ratelimit-interval"] = pool.interval_header()
        return headers

    # routes ------------------------------------------------------------------------------------
    def work_route(self, doi: str, params: dict[str, list[str]]) -> tuple[int, str, bytes]:
        if any(name.startswith("query") for name in params):
            body = {
                "status": "failed",
                "message-type": "validation-failure",
                "message": [
                    {
                        "type": "parameter-not-allowed",
                        "value": "query.*",
                        "message": "This route does not support field query parameters",
                    }
                ],
            }
            return 400, "application/json;charset=utf-8", json.dumps(body).encode()
        work = self.works.get(_doi_key(doi))
        if work is None:
            return 404, "text/plain", b"Resource not found."
        body = {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": work}
        return 200, "application/json", json.dumps(body).encode()

    def list_route(self, params: dict[str, list[str]]) -> tuple[int, str, bytes]:
        one = {k: v[-1] for k, v in params.items()}
        rows = min(int(one.get("rows", "20")), 1000)
        cursor = one.get("cursor")
        if cursor and cursor != "*":
            state = self._cursors.get(cursor)
            if state is None:
                body = {
                    "status": "failed",
                    "message-type": "resource-failure",
                    "message": [
                        {
                            "type": "cursor-invalid",
                            "value": cursor,
                            "message": "Cursor specified but it is invalid",
                        }
                    ],
                }
                return 404, "application/json;charset=utf-8", json.dumps(body).encode()
            items, position, rows = state
            page = items[position : position + rows]
            self._cursors[cursor] = (items, position + len(page), rows)
            return self._list_body(page, len(items), rows, one, cursor)
        query = one.get("query.bibliographic") or one.get("query")
        if one.get("query.bibliographic") in self.searches and "filter" not in one:
            body = json.loads(json.dumps(self.searches[one["query.bibliographic"]]))
            body["message"]["items"] = body["message"]["items"][:rows]
            return 200, "application/json", json.dumps(body).encode()
        items = self._filtered(one.get("filter", ""))
        if query:
            items = self._scored(query, items)
        if cursor == "*":
            token = base64.urlsafe_b64encode(f"cursor-{len(self._cursors)}".encode()).decode()
            token = "DnF1ZXJ5+" + token  # real cursors carry '+' and '='
            page = items[:rows]
            self._cursors[token] = (items, len(page), rows)
            return self._list_body(page, len(items), rows, one, token)
        offset = int(one.get("offset", "0"))
        return self._list_body(items[offset : offset + rows], len(items), rows, one, None)

    def _list_body(
        self,
        page: list[dict[str, Any]],
        total: int,
        rows: int,
        params: dict[str, str],
        cursor: str | None,
    ) -> tuple[int, str, bytes]:
        select = [s for s in params.get("select", "").split(",") if s]
        if select:
            page = [{k: v for k, v in item.items() if k in select} for item in page]
        message: dict[str, Any] = {
            "facets": {},
            "total-results": total,
            "items": page,
            "items-per-page": rows,
            "query": {"start-index": 0, "search-terms": params.get("query")},
        }
        if cursor:
            message["next-cursor"] = cursor
        body = {
            "status": "ok",
            "message-type": "work-list",
            "message-version": "1.0.0",
            "message": message,
        }
        return 200, "application/json", json.dumps(body).encode()

    def _filtered(self, filter_text: str) -> list[dict[str, Any]]:
        groups: dict[str, set[str]] = {}
        for part in filter_text.split(","):
            if ":" in part:
                name, value = part.split(":", 1)
                groups.setdefault(name.strip(), set()).add(value.strip())
        with self._lock:
            if "doi" in groups:
                keys = [_doi_key(d) for d in groups["doi"] if _doi_key(d) in self.works]
                works = [self.works[k] for k in keys]
            else:
                works = list(self.works.values())
        out = []
        for work in works:
            if "doi" in groups and _doi_key(work["DOI"]) not in {
                _doi_key(d) for d in groups["doi"]
            }:
                continue
            if "issn" in groups and not groups["issn"] & set(work.get("ISSN") or []):
                continue
            if "type" in groups and work.get("type") not in groups["type"]:
                continue
            indexed = _indexed_date(work)
            if "from-index-date" in groups and indexed < min(groups["from-index-date"]):
                continue
            if "until-index-date" in groups and indexed[
                : len(max(groups["until-index-date"]))
            ] > max(groups["until-index-date"]):
                continue
            out.append(work)
        return out

    def _scored(self, query: str, works: list[dict[str, Any]]) -> list[dict[str, Any]]:
        tokens = fuzz_utils.default_process(query).split()
        total_chars = sum(len(t) for t in tokens) or 1
        scored = []
        for work in works:
            words = set(self._text(_doi_key(work["DOI"])).split())
            found = sum(len(t) for t in tokens if t in words)
            if found:
                score = len(query) * 0.8 * found / total_chars
                scored.append((score, work))
        scored.sort(key=lambda pair: -pair[0])
        return [{**work, "score": round(score, 5)} for score, work in scored]


class _Handler(QuietHandler):
    fake: FakeCrossref

    def do_POST(self) -> None:
        """Control routes for a server running in another process (never counted)."""
        length = int(self.headers.get("Content-Length", "0"))
        data = json.loads(self.rfile.read(length) or b"null")
        if self.path == "/_control/works":
            for work in data:
                self.fake.add_work(work)
        elif self.path == "/_control/faults":
            self.fake.faults = Faults(**data)
        else:
            self._send(404, "text/plain", b"no such control", {})
            return
        self._send(204, "text/plain", b"", {})

    def do_GET(self) -> None:
        fake = self.fake
        if self.path == "/_control/stats":
            body = json.dumps(fake.stats_dict()).encode()
            self._send(200, "application/json", body, {})
            return
        parts = urlsplit(self.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        path = parts.path.removeprefix("/v1")
        agent = self.headers.get("User-Agent", "")
        fake.stats.user_agents[agent] += 1
        fake.stats.paths.append(self.path)
        polite = "mailto" in params or "mailto:" in agent
        pool_name = "polite" if polite else "public"
        if path.startswith("/works/"):
            cls = "single"
        elif path in ("/works", "/works/"):
            cls = "list"
        else:
            self._send(404, "text/plain", b"Resource not found.", {})
            return
        pool = fake.pools[pool_name][cls]
        limit_headers = fake.headers_for(pool_name, cls, pool)
        if not fake.admit(cls, pool, pool_name, self.arrived_at()):
            fake.leave(cls, pool_name)
            self._send(429, "text/html", TOO_MANY, {"Connection": "close"})
            return
        left = False

        def leave() -> None:
            nonlocal left
            if not left:
                left = True
                fake.leave(cls, pool_name)

        try:
            fault = fake.faults.draw(cls)
            if fault:
                fake.stats.faults[fault] += 1
            if fault == "error_body":
                leave()
                body = json.dumps(
                    {
                        "status": "failed",
                        "message-type": "exception",
                        "message": "java.lang.Exception: upstream timed out",
                    }
                ).encode()
                self._send(200, "application/json", body, limit_headers)
                return
            if fault == "huge":
                leave()
                self._huge(fake.faults.huge_bytes, limit_headers)
                return
            if fault == "storm":
                extra = {"Connection": "close"}
                if fake.faults.retry_after:
                    extra["Retry-After"] = fake.faults.retry_after
                leave()
                self._send(429, "text/html", TOO_MANY, extra)
                return
            if fault == "error":
                leave()
                body = b"Service Unavailable"
                self._send(fake.faults.error_status, "text/plain", body, limit_headers)
                return
            if fault == "slow":
                time.sleep(fake.faults.slow_seconds)
            if cls == "single":
                status, ctype, body = fake.work_route(unquote(path[len("/works/") :]), params)
            else:
                status, ctype, body = fake.list_route(params)
            if fault == "bad_json" and status == 200:
                body = body[: len(body) // 2]
            # Out of flight before the answer is complete: by the time the client has it and
            # sends its next request, this one no longer counts.
            leave()
            if fault == "cut":
                self._cut(status, ctype, body, limit_headers)
            else:
                self._send(status, ctype, body, limit_headers)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            leave()

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str]) -> None:
        self.fake.stats.statuses[status] += 1
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        if headers.get("Connection") == "close":
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def _huge(self, size: int, headers: dict[str, str]) -> None:
        """A 200 JSON answer of ``size`` bytes, generated as it is sent."""
        self.fake.stats.statuses[200] += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(size))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        head = b'{"status":"ok","message":{"items":["'
        self.wfile.write(head)
        left = size - len(head)
        piece = b"x" * 65536
        while left > 0:
            chunk = piece[: min(left, len(piece))]
            self.wfile.write(chunk)
            left -= len(chunk)

    def _cut(self, status: int, ctype: str, body: bytes, headers: dict[str, str]) -> None:
        """Announce the whole body, send half of it, drop the connection."""
        self.fake.stats.statuses[-1] += 1
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class FakeCrossrefProcess:
    """The same fake, served from a child process, for the tests that prove the limits.

    In the test's own process the server's threads share the interpreter lock with the client's,
    so on a busy machine the server can notice a request tens of milliseconds after it arrived,
    and a client that kept the limits looks as if it broke them. A separate process sees arrivals
    the way a remote server does. Works and faults are sent over control routes
    (``/_control/…``, never counted); :attr:`stats` is read back the same way.
    """

    def __init__(self, *, pools: dict[str, dict[str, Pool]] | None = None) -> None:
        self.pools = pools or real_pools()
        self._pending_works: list[dict[str, Any]] = []
        self._process: Any = None
        self.url = ""

    def add_work(self, work: dict[str, Any]) -> None:
        self.add_works([work])

    def add_works(self, works: list[dict[str, Any]]) -> None:
        if not self.url:
            self._pending_works.extend(works)
            return
        self._post("/_control/works", works)

    def set_faults(self, faults: Faults) -> None:
        fields = {k: v for k, v in vars(faults).items() if not k.startswith("_")}
        self._post("/_control/faults", fields)

    @property
    def stats(self) -> ServerStats:
        import urllib.request

        with urllib.request.urlopen(self.url + "/_control/stats", timeout=10) as answer:
            data = json.loads(answer.read())
        return ServerStats(
            requests=Counter(data["requests"]),
            statuses=Counter({int(k): v for k, v in data["statuses"].items()}),
            max_in_window=Counter(data["max_in_window"]),
            max_in_flight=Counter(data["max_in_flight"]),
            over_limit=Counter(data["over_limit"]),
            over_rate=Counter(data["over_rate"]),
            over_concurrency=Counter(data["over_concurrency"]),
            faults=Counter(data.get("faults", {})),
        )

    def _post(self, path: str, payload: Any) -> None:
        import urllib.request

        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30):
            pass

    def start(self) -> FakeCrossrefProcess:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        pools = {
            name: {cls: [p.limit, p.interval, p.concurrency] for cls, p in classes.items()}
            for name, classes in self.pools.items()
        }
        self._process = context.Process(target=_serve_child, args=(pools, queue), daemon=True)
        self._process.start()
        self.url = queue.get(timeout=30)
        if self._pending_works:
            self._post("/_control/works", self._pending_works)
            self._pending_works = []
        return self

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.join(timeout=10)
            self._process = None

    def __enter__(self) -> FakeCrossrefProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _serve_child(pools: dict[str, dict[str, list[float]]], queue: Any) -> None:
    fake = FakeCrossref(
        pools={
            name: {cls: Pool(int(v[0]), float(v[1]), int(v[2])) for cls, v in classes.items()}
            for name, classes in pools.items()
        }
    )
    fake.start()
    queue.put(fake.url)
    threading.Event().wait()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
