"""A small Crossref REST API client on httpx: lookups, batched lookups, search, cursor paging.

Why not habanero: its current release runs on a second HTTP stack (``httpx2``), and it has no
retry, no throttling, no batching and no injectable client (reference ``crossref.md`` §2), all of
which a harvester needs. This module follows Crossref's documented API instead.

Concurrency model: **threads**. The client is synchronous and thread-safe; callers that want
several requests in flight (the enrichment orchestrator) run it from a small thread pool, and
each request first takes a slot from the :class:`~harvester.crossref.limits.Throttle` of its
class (single lookup or list query), which blocks until both the rate and the in-flight limit
allow it. Crossref allows at most 3 requests in flight, so a handful of threads is all the
parallelism there is to have; asyncio would add a second code path for no throughput.

Every request: the ``mailto`` query parameter and ``(mailto:…)`` in the User-Agent (both, as the
reference advises), the throttle slot, and on 429 / 5xx / timeout / cut connection / unreadable
JSON a retry with exponential back-off and jitter (``Retry-After`` honoured). Every outcome is
counted in the :class:`~harvester.crossref.limits.ErrorBudget`; once more than 10 % of requests
failed the client refuses to send more (:class:`~harvester.errors.ErrorBudgetExceeded`).
An unknown DOI (404) is an answer: :meth:`CrossrefClient.get_work` returns ``None``.
"""

from __future__ import annotations

import json
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from harvester.crossref.limits import (
    DEFAULT_LIMITS,
    ErrorBudget,
    PoolLimits,
    RequestClass,
    RetryPolicy,
    Throttle,
)
from harvester.crossref.shared_window import SharedWindow
from harvester.errors import (
    BadResponse,
    CrossrefUnavailable,
    ErrorBudgetExceeded,
    RateLimited,
    RequestFailed,
)
from harvester.http import make_client
from records.identifiers import doi_key

log = logging.getLogger("harvester.crossref")

DEFAULT_BASE_URL = "https://api.crossref.org"
ENV_URL = "HARVESTER_CROSSREF_URL"
ENV_MAILTO = "HARVESTER_MAILTO"
# A DOI list query carries the DOIs in the URL; 50 keeps it far below URL length limits.
MAX_DOIS_PER_QUERY = 50
# How many times a refused or unresolvable connection is tried before Crossref is "unreachable".
CONNECT_ATTEMPTS = 2

_warned_no_mailto = False
_warn_lock = threading.Lock()


def _warn_public_pool() -> None:
    global _warned_no_mailto
    with _warn_lock:
        if _warned_no_mailto:
            return
        _warned_no_mailto = True
    log.warning(
        "%s is not set: using Crossref's public pool (5 lookups/s, 1 search/s); "
        "set it to your e-mail address for the polite pool",
        ENV_MAILTO,
    )


@dataclass(slots=True)
class ClassStats:
    """What one request class has cost so far: the enrichment batcher decides from these."""

    requests: int = 0
    failures: int = 0
    records: int = 0
    seconds: float = 0.0  # summed wall time of successful requests

    @property
    def latency(self) -> float | None:
        ok = self.requests - self.failures
        return self.seconds / ok if ok > 0 else None


@dataclass(slots=True)
class SearchResult:
    """One page of a list query: its items (with ``score``), the total and the next cursor."""

    items: list[dict[str, Any]]
    total: int
    next_cursor: str | None = None


@dataclass(slots=True)
class _Failure:
    reason: str
    retryable: bool = True
    retry_after: str | None = None
    rate_limited: bool = False
    unreachable: bool = False
    bad_answer: bool = False


@dataclass(slots=True)
class ClientStats:
    single: ClassStats = field(default_factory=ClassStats)
    list: ClassStats = field(default_factory=ClassStats)

    def of(self, cls: RequestClass) -> ClassStats:
        return self.single if cls == "single" else self.list


class CrossrefClient:
    """Crossref's ``/works`` routes, inside the limits. Use as a context manager or ``close()``."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        mailto: str | None = None,
        transport: httpx.BaseTransport | None = None,
        http: httpx.Client | None = None,
        limits: Mapping[RequestClass, PoolLimits] | None = None,
        retry: RetryPolicy | None = None,
        budget: ErrorBudget | None = None,
        timeout: float | httpx.Timeout | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        margin: float = 0.1,
        min_margin: float = 0.02,
        shared_dir: Path | None = None,
    ) -> None:
        """``base_url``/``mailto`` as :meth:`from_env` reads them; ``transport`` or a ready
        ``http`` client for tests; ``limits`` to start from other limits than the pool's
        documented defaults (responses' headers adjust them either way); ``retry``, ``budget``,
        ``timeout``, ``sleep`` and ``rng`` to change the failure handling; ``margin`` /
        ``min_margin`` widen each rate window (share of the interval, at least seconds) against
        jitter between taking a slot and the request reaching Crossref; ``shared_dir``: where
        the rate windows shared with other harvester processes live (None: not shared)."""
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.mailto = mailto or None
        self.pool = "polite" if self.mailto else "public"
        if not self.mailto:
            _warn_public_pool()
        self._owns_http = http is None
        self.http = http or make_client(
            base_url=self.base_url, mailto=self.mailto, timeout=timeout, transport=transport
        )
        start = dict(DEFAULT_LIMITS[self.pool])
        start.update(limits or {})
        self.unreachable: CrossrefUnavailable | None = None
        self.throttles: dict[RequestClass, Throttle] = {
            cls: Throttle(
                pool,
                margin=margin,
                min_margin=min_margin,
                shared=SharedWindow.for_pool(shared_dir, self.base_url, self.pool, cls)
                if shared_dir is not None
                else None,
            )
            for cls, pool in start.items()
        }
        self.retry = retry or RetryPolicy()
        self.budget = budget or ErrorBudget()
        self.stats = ClientStats()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._stats_lock = threading.Lock()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **kwargs: Any) -> CrossrefClient:
        """Base URL from ``HARVESTER_CROSSREF_URL``, contact from ``HARVESTER_MAILTO``."""
        env = os.environ if environ is None else environ
        kwargs.setdefault("base_url", env.get(ENV_URL) or DEFAULT_BASE_URL)
        kwargs.setdefault("mailto", env.get(ENV_MAILTO) or None)
        return cls(**kwargs)

    def __enter__(self) -> CrossrefClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self.http.close()

    def limits(self, cls: RequestClass) -> PoolLimits:
        """The limits in force for a request class (as last announced by Crossref)."""
        return self.throttles[cls].limits

    # -- routes ----------------------------------------------------------------------------
    def get_work(self, doi: str) -> dict[str, Any] | None:
        """The work JSON (``message``) for a DOI, or ``None`` when Crossref does not know it."""
        path = "/works/" + quote(doi, safe="/")
        body = self._request("single", path, {})
        if body is None:
            return None
        message = body.get("message")
        if not isinstance(message, dict) or "DOI" not in message:
            raise BadResponse(f"Crossref answered {path} without a work")
        self._count_records("single", 1)
        return message

    def works_by_dois(self, dois: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Look up to :data:`MAX_DOIS_PER_QUERY` DOIs in one list query (``filter=doi:A,doi:B``).

        Returns the works found, keyed by :func:`~records.identifiers.doi_key`; a DOI absent from
        the answer is not in Crossref's index. DOIs containing a comma cannot be expressed in a
        filter and are refused here (look them up with :meth:`get_work`).
        """
        if len(dois) > MAX_DOIS_PER_QUERY:
            raise ValueError(f"at most {MAX_DOIS_PER_QUERY} DOIs per query")
        if any("," in d for d in dois):
            raise ValueError("a DOI containing ',' cannot be used in a filter")
        if not dois:
            return {}
        wanted = {doi_key(d) for d in dois}
        params = {"filter": ",".join(f"doi:{d}" for d in dois), "rows": str(len(dois))}
        page = self._list(params)
        found = {doi_key(item["DOI"]): item for item in page.items if isinstance(item, dict)}
        found = {key: item for key, item in found.items() if key in wanted}
        self._count_records("list", len(found))
        return found

    def search(
        self,
        query_bibliographic: str,
        rows: int = 20,
        filters: Mapping[str, str | Sequence[str]] | None = None,
        select: Sequence[str] | None = None,
    ) -> SearchResult:
        """``/works?query.bibliographic=…``: candidates for a reference, best first, with score.

        ``filters`` maps a filter name to a value or to several (repeated names are ORed).
        """
        params: dict[str, str] = {"query.bibliographic": query_bibliographic, "rows": str(rows)}
        if filters:
            params["filter"] = _filter_param(filters)
        if select:
            params["select"] = ",".join(select)
        return self._list(params)

    def iter_works(
        self,
        filters: Mapping[str, str | Sequence[str]],
        rows: int = 1000,
        select: Sequence[str] | None = None,
        max_records: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every work matching ``filters`` (e.g. ``{"from-index-date": "2026-11-01"}``), by cursor.

        Stops at a page with fewer items than ``rows`` (pages past the end come back empty).
        """
        params: dict[str, str] = {"filter": _filter_param(filters), "rows": str(rows)}
        if select:
            params["select"] = ",".join(select)
        cursor = "*"
        seen = 0
        while True:
            page = self._list({**params, "cursor": cursor})
            for item in page.items:
                yield item
                seen += 1
                if max_records is not None and seen >= max_records:
                    return
            if len(page.items) < rows or not page.next_cursor:
                return
            cursor = page.next_cursor

    def query_pages(
        self, params: Mapping[str, str], rows: int = 1000, cursor: str = "*"
    ) -> Iterator[SearchResult]:
        """Every page of a list query (``query.*``, ``filter`` ... in ``params``) by cursor,
        as it comes, so that a caller can commit page by page. Stops at a page with fewer
        items than ``rows`` (pages past the end come back empty)."""
        base = {**params, "rows": str(rows)}
        while True:
            page = self._list({**base, "cursor": cursor})
            yield page
            if len(page.items) < rows or not page.next_cursor:
                return
            cursor = page.next_cursor

    # -- plumbing --------------------------------------------------------------------------
    def _list(self, params: dict[str, str]) -> SearchResult:
        body = self._request("list", "/works", params)
        message = body.get("message") if body else None
        if not isinstance(message, dict) or not isinstance(message.get("items"), list):
            raise BadResponse("Crossref answered a list query without a list of works")
        return SearchResult(
            items=message["items"],
            total=int(message.get("total-results") or 0),
            next_cursor=message.get("next-cursor"),
        )

    def _count_records(self, cls: RequestClass, n: int) -> None:
        with self._stats_lock:
            self.stats.of(cls).records += n

    def _request(
        self, cls: RequestClass, path: str, params: dict[str, str]
    ) -> dict[str, Any] | None:
        """GET with throttle, retries and budget; the JSON body, or ``None`` for a 404 lookup."""
        if self.mailto:
            params = {**params, "mailto": self.mailto}
        throttle = self.throttles[cls]
        attempt = 0
        connect_failures = 0
        while True:
            attempt += 1
            if self.unreachable is not None:  # another request found Crossref gone: stop now
                raise self.unreachable
            if self.budget.exceeded:
                raise ErrorBudgetExceeded(
                    f"Crossref errors passed 10 % ({self.budget.describe()}), stopped asking"
                )
            started = time.monotonic()
            response: httpx.Response | None = None
            failure: _Failure | None = None
            with throttle.slot(lambda: self.unreachable is not None):
                if self.unreachable is not None:
                    raise self.unreachable
                try:
                    response = self.http.get(path, params=params)
                except httpx.ConnectTimeout as exc:
                    # Packets dropped on the way (offline behind a firewall): as unreachable.
                    failure = _Failure(f"unreachable ({_short(exc)})", unreachable=True)
                except httpx.TimeoutException:
                    failure = _Failure("timed out")
                except httpx.ConnectError as exc:
                    failure = _Failure(f"unreachable ({_short(exc)})", unreachable=True)
                except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                    failure = _Failure(f"connection cut ({_short(exc)})")
                except httpx.TransportError as exc:
                    failure = _Failure(f"network error ({_short(exc)})")
            elapsed = time.monotonic() - started
            if response is not None:
                throttle.update(response.headers)
                outcome = self._judge(cls, path, response)
                if not isinstance(outcome, _Failure):
                    self.budget.record(True)
                    with self._stats_lock:
                        stats = self.stats.of(cls)
                        stats.requests += 1
                        stats.seconds += elapsed
                    return outcome
                failure = outcome
            assert failure is not None
            with self._stats_lock:
                stats = self.stats.of(cls)
                stats.requests += 1
                stats.failures += 1
            if failure.unreachable:
                connect_failures += 1
                if connect_failures >= CONNECT_ATTEMPTS:
                    # Remembered for every request of this client, and the ones waiting for a
                    # throttle are woken: thousands of queued records must not each wait a
                    # rate window to learn that nobody answers.
                    self.unreachable = CrossrefUnavailable(
                        f"Crossref {failure.reason} at {self.base_url}"
                    )
                    for waiting in self.throttles.values():
                        waiting.wake()
                    raise self.unreachable
            else:
                self.budget.record(False)
            if failure.rate_limited:
                throttle.penalise()
            if not failure.retryable or attempt >= self.retry.max_attempts:
                if failure.rate_limited:
                    raise RateLimited(f"Crossref kept answering 429 Too Many Requests ({path})")
                if failure.bad_answer:
                    raise BadResponse(f"Crossref {failure.reason} ({path})")
                raise RequestFailed(f"Crossref {failure.reason} ({path})")
            self._sleep(self.retry.delay(attempt, failure.retry_after, self._rng))

    def _judge(
        self, cls: RequestClass, path: str, response: httpx.Response
    ) -> dict[str, Any] | _Failure | None:
        status = response.status_code
        if status == 200:
            try:
                body = json.loads(response.content)
            except ValueError:
                return _Failure("answered with unreadable JSON", bad_answer=True)
            if not isinstance(body, dict):
                return _Failure("answered with JSON that is not an API message", bad_answer=True)
            return body
        if status == 404 and cls == "single" and not _is_json(response):
            return None  # "Resource not found." (text/plain): the DOI is unknown
        if status == 429:
            return _Failure(
                "answered 429 Too Many Requests",
                retry_after=response.headers.get("retry-after"),
                rate_limited=True,
            )
        if status >= 500:
            return _Failure(
                f"answered HTTP {status}", retry_after=response.headers.get("retry-after")
            )
        if status in (401, 403):
            raise CrossrefUnavailable(
                f"Crossref refused access (HTTP {status}); check HARVESTER_MAILTO and wait"
            )
        return _Failure(f"answered HTTP {status}: {_api_message(response)}", retryable=False)


def _filter_param(filters: Mapping[str, str | Sequence[str]]) -> str:
    parts: list[str] = []
    for name, value in filters.items():
        values = [value] if isinstance(value, str) else list(value)
        parts.extend(f"{name}:{v}" for v in values)
    return ",".join(parts)


def _is_json(response: httpx.Response) -> bool:
    return "json" in response.headers.get("content-type", "")


def _api_message(response: httpx.Response) -> str:
    """The first message of a Crossref error body, else the start of the text."""
    try:
        body = response.json()
        messages = body.get("message")
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            return str(messages[0].get("message") or messages[0].get("type"))
    except (ValueError, AttributeError):
        pass
    return response.text.strip().splitlines()[0][:120] if response.text.strip() else "no body"


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:120]
