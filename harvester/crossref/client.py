"""A small Crossref REST API client on httpx: lookups, batched lookups, search, cursor paging.

Why not habanero: its current release runs on a second HTTP stack (``httpx2``), and it has no
retry, no throttling, no batching and no injectable client (reference ``crossref.md`` §2), all of
which a harvester needs. This module follows Crossref's documented API instead.

Concurrency model: **threads**. The client is synchronous and thread-safe; callers that want
several requests in flight (the enrichment orchestrator) run it from a small thread pool, and
each request first takes a slot of the pool's in-flight budget, then one from the
:class:`~harvester.crossref.limits.Throttle` of its class (single lookup or list query), which
blocks until the class's rate allows it. Crossref allows at most 3 requests in flight, so a handful of threads is all the
parallelism there is to have; asyncio would add a second code path for no throughput.

Every request: the ``mailto`` query parameter and ``(mailto:…)`` in the User-Agent (both, as the
reference advises), a slot of the pool's one in-flight budget
(:class:`~harvester.crossref.limits.PoolBudget`: lookups and list queries together, held past a
timeout while Crossref may still count the request, one request alone until the limits are
known), the class's rate slot, the configured timeout, and on 429 / 5xx / timeout / cut
connection / unreadable JSON a retry with exponential back-off and jitter (``Retry-After``
honoured) through :func:`harvester.net.retry.with_retries`, the loop every client shares. Every
answer is counted in the :class:`~harvester.crossref.limits.ErrorBudget`; once more than 10 % of
requests failed the client refuses to send more (:class:`~harvester.errors.ErrorBudgetExceeded`).
Requests that keep timing out with no answer between them end the run like a refused connection
(:class:`~harvester.errors.CrossrefSilent`), and a ``deadline`` bounds the whole run
(:class:`~harvester.errors.DeadlineReached`): no request starts and no wait reaches past it.
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
    CROSSREF_RETRY,
    DEFAULT_LIMITS,
    ErrorBudget,
    PoolBudget,
    PoolLimits,
    RequestClass,
    Throttle,
)
from harvester.crossref.shared_window import SharedSlots, SharedWindow
from harvester.errors import (
    BadResponse,
    CrossrefSilent,
    CrossrefUnavailable,
    DeadlineReached,
    ErrorBudgetExceeded,
    RateLimited,
    RequestFailed,
)
from harvester.net.http import DEFAULT_TIMEOUT, make_client
from harvester.net.retry import (
    RetriesExhausted,
    RetryPolicy,
    Transient,
    parse_retry_after,
    with_retries,
)
from records.identifiers import doi_key

log = logging.getLogger("harvester.crossref")

DEFAULT_BASE_URL = "https://api.crossref.org"
ENV_URL = "HARVESTER_CROSSREF_URL"
ENV_MAILTO = "HARVESTER_MAILTO"
# A DOI list query carries the DOIs in the URL; 50 keeps it far below URL length limits.
MAX_DOIS_PER_QUERY = 50
# The largest answer read: a list query of 1000 full works with their references stays well
# below it; anything larger is refused, not held in memory.
MAX_ANSWER_BYTES = 128 * 2**20
# How many times a refused or unresolvable connection is tried before Crossref is "unreachable".
CONNECT_ATTEMPTS = 2
# How many requests in a row may time out, with no answer of any kind between them, before
# Crossref counts as not answering. A slow Crossref must not be mistaken for a silent one: with
# 30 % of answers slower than the timeout, six timeouts in a row open a run about once in 1,400
# (0.3**6), ten in a row come about once in 240,000 requests (0.3**10 * 0.7). Before the first
# answer the stake is the whole run, later one request among many, hence the longer run then.
# (After a first timeout the requests no longer go one by one: the documented limits are used,
# so a silent server is found after about four timeouts' time.)
SILENT_BEFORE_ANSWER = 6
SILENT_AFTER = 10
# After a 429 shows Crossref still counting timed-out requests, their slots are held this many
# times the base cool-down.
MAX_COOLDOWN_FACTOR = 8.0

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
    timed_out: bool = False


class _Retry(Transient):
    """A failed attempt worth another (for :func:`harvester.net.retry.with_retries`)."""

    def __init__(self, failure: _Failure) -> None:
        super().__init__(failure.reason, parse_retry_after(failure.retry_after))
        self.failure = failure


class _Final(Exception):
    """A failed attempt not worth another (a 400, say)."""

    def __init__(self, failure: _Failure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


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
        deadline: float | None = None,
        cooldown: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        margin: float = 0.1,
        min_margin: float = 0.02,
        shared_dir: Path | None = None,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        """``base_url``/``mailto`` as :meth:`from_env` reads them; ``transport`` or a ready
        ``http`` client for tests; ``limits`` to start from other limits than the pool's
        documented defaults (responses' headers adjust them either way); ``retry``, ``budget``,
        ``timeout`` (seconds: the configured HTTP timeout), ``sleep``, ``clock`` and ``rng`` to
        change the failure handling; ``deadline``: seconds from now after which no request
        starts and no retry waits (the enrichment run's total time; None: none); ``cooldown``:
        how long a slot stays taken after a request timed out (None: as long again as the
        read timeout, the time Crossref is given to finish what it still counts); ``margin`` /
        ``min_margin`` widen each rate window (share of the interval, at least seconds) against
        jitter between taking a slot and the request reaching Crossref; ``shared_dir``: where
        the rate windows shared with other harvester processes live (None: not shared)."""
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.mailto = mailto or None
        self.pool = "polite" if self.mailto else "public"
        if not self.mailto:
            _warn_public_pool()
        self._owns_http = http is None
        if timeout is None:
            self.timeout = DEFAULT_TIMEOUT
        elif isinstance(timeout, httpx.Timeout):
            self.timeout = timeout
        else:
            self.timeout = httpx.Timeout(timeout, connect=min(10.0, timeout))
        self.http = http or make_client(
            base_url=self.base_url, mailto=self.mailto, timeout=self.timeout, transport=transport
        )
        self._clock = clock
        self.deadline = deadline
        self.deadline_at = None if deadline is None else clock() + deadline
        self.cooldown = cooldown
        self.max_bytes = max_bytes
        self.cooldown_factor = 1.0
        start = dict(DEFAULT_LIMITS[self.pool])
        start.update(limits or {})
        self.unreachable: CrossrefUnavailable | None = None
        self.silent_in_a_row = 0  # requests timed out since the last answer of any kind
        self.answered = False  # any answer at all from this server yet
        # One in-flight budget for the pool, lookups and lists together; the first request
        # goes alone and reads the limits.
        self.pool_budget = PoolBudget(
            min(p.concurrency for p in start.values()),
            clock=clock,
            shared=SharedSlots.for_pool(shared_dir, self.base_url, self.pool)
            if shared_dir is not None
            else None,
            # A running request's shared slot is trusted to its process this long (a hung
            # process does not hold it for ever): ten read timeouts.
            lease=10 * (self.timeout.read or DEFAULT_TIMEOUT.read or 30.0),
        )
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
        self.retry = retry or CROSSREF_RETRY
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
        """GET with the pool's slot, the class's rate, retries and budget; the JSON body, or
        ``None`` for a 404 lookup. The attempts run in :func:`harvester.net.retry.with_retries`."""
        if self.mailto:
            params = {**params, "mailto": self.mailto}
        connect_failures = 0

        def attempt(_number: int) -> dict[str, Any] | None:
            nonlocal connect_failures
            outcome = self._attempt(cls, path, params)
            if not isinstance(outcome, _Failure):
                return outcome
            if outcome.unreachable:
                connect_failures += 1
                if connect_failures >= CONNECT_ATTEMPTS:
                    self._give_up_on(
                        CrossrefUnavailable(f"Crossref {outcome.reason} at {self.base_url}")
                    )
            if not outcome.retryable:
                raise _Final(outcome)
            raise _Retry(outcome)

        try:
            return with_retries(
                attempt,
                self.retry,
                sleep=self._sleep,
                deadline=self.deadline_at,
                clock=self._clock,
                rng=self._rng,
            )
        except (RetriesExhausted, _Final) as stop:
            last = stop.last if isinstance(stop, RetriesExhausted) else stop
            assert isinstance(last, _Retry | _Final)
            failure = last.failure
            # The deadline ended the waits (or Crossref went away meanwhile): say that, not the
            # last failure; a budget spent by this failure stops the next request, not this one.
            self._check_stop(budget=False)
            if isinstance(stop, RetriesExhausted) and stop.asked is not None:
                raise RateLimited(
                    f"Crossref {failure.reason} and asks to wait {stop.asked:.0f} s ({path})"
                ) from None
            if failure.rate_limited:
                raise RateLimited(
                    f"Crossref kept answering 429 Too Many Requests ({path})"
                ) from None
            if failure.bad_answer:
                raise BadResponse(f"Crossref {failure.reason} ({path})") from None
            raise RequestFailed(f"Crossref {failure.reason} ({path})") from None

    def _check_stop(self, *, budget: bool = True) -> None:
        """Raise what ends every request now: Crossref gone, the budget spent, the deadline."""
        if self.unreachable is not None:
            raise self.unreachable
        if budget and self.budget.exceeded:
            raise ErrorBudgetExceeded(
                f"Crossref errors passed 10 % ({self.budget.describe()}), stopped asking"
            )
        if self.deadline_at is not None and self._clock() >= self.deadline_at:
            assert self.deadline is not None
            raise DeadlineReached(
                f"the enrichment deadline ({self.deadline:g} s) passed, stopped asking"
            )

    def _stopping(self) -> bool:
        return self.unreachable is not None or (
            self.deadline_at is not None and self._clock() >= self.deadline_at
        )

    def _give_up_on(self, exc: CrossrefUnavailable) -> None:
        """Remember that Crossref cannot be used, wake every request waiting for a slot (so
        thousands of queued records do not each wait to learn it) and raise."""
        with self._stats_lock:
            if self.unreachable is None:
                self.unreachable = exc
        self.pool_budget.wake()
        for waiting in self.throttles.values():
            waiting.wake()
        raise self.unreachable

    def _attempt(
        self, cls: RequestClass, path: str, params: dict[str, str]
    ) -> dict[str, Any] | _Failure | None:
        """One request: a pool slot, a rate slot, the GET, the verdict."""
        self._check_stop()
        throttle = self.throttles[cls]
        started = self._clock()
        response: httpx.Response | None = None
        body: bytes | None = None
        failure: _Failure | None = None
        with self.pool_budget.slot(self._stopping, self.deadline_at) as slot:
            if slot is None:
                self._check_stop()
                raise RuntimeError("gave up waiting for a slot without a reason")  # unreachable
            with throttle.slot(self._stopping) as ok:
                if not ok:
                    self._check_stop()
                    raise RuntimeError("gave up waiting for a slot without a reason")
                # Waiting for the slots took a while: the budget, the deadline or Crossref's
                # state may have changed meanwhile, and nothing is sent that should not be.
                self._check_stop()
                timeout = self._attempt_timeout()
                throttle.sent()
                try:
                    with self.http.stream("GET", path, params=params, timeout=timeout) as response:
                        body = _read_capped(response, self.max_bytes)
                    if body is None:
                        failure = _Failure(
                            f"answered with more than {self.max_bytes // 2**20} MB",
                            retryable=False,
                            bad_answer=True,
                        )
                    if response.status_code == 429 and self.pool_budget.held:
                        # Refused for a request we no longer count (one that timed out): it
                        # still runs at Crossref. This slot stands in for it for a while, or
                        # the next request would be refused for the same reason.
                        slot.hold(self._cooldown_base(timeout) * MAX_COOLDOWN_FACTOR)
                except httpx.ConnectTimeout as exc:
                    # Packets dropped on the way (offline behind a firewall): as unreachable.
                    failure = _Failure(f"unreachable ({_short(exc)})", unreachable=True)
                except httpx.TimeoutException:
                    # Crossref may still be working on it and still counts it in flight.
                    slot.hold(self._cooldown_base(timeout) * self.cooldown_factor)
                    failure = _Failure(
                        f"did not answer within {timeout.read or 0:g} s", timed_out=True
                    )
                except httpx.ConnectError as exc:
                    failure = _Failure(f"unreachable ({_short(exc)})", unreachable=True)
                except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                    failure = _Failure(f"connection cut ({_short(exc)})")
                except httpx.TransportError as exc:
                    failure = _Failure(f"network error ({_short(exc)})")
        elapsed = self._clock() - started
        if response is not None:
            self.pool_budget.update(response.headers)
            throttle.update(response.headers)
            with self._stats_lock:
                self.silent_in_a_row = 0
                self.answered = True
            outcome = failure or self._judge(cls, path, response, body or b"")
            if not isinstance(outcome, _Failure):
                self.budget.record(True)
                with self._stats_lock:
                    stats = self.stats.of(cls)
                    stats.requests += 1
                    stats.seconds += elapsed
                return outcome
            failure = outcome
        assert failure is not None
        silent, in_a_row = False, 0
        with self._stats_lock:
            stats = self.stats.of(cls)
            stats.requests += 1
            stats.failures += 1
            if failure.timed_out:
                self.silent_in_a_row += 1
                silent = self.silent_in_a_row >= (
                    SILENT_AFTER if self.answered else SILENT_BEFORE_ANSWER
                )
                in_a_row = self.silent_in_a_row
        if failure.timed_out:
            # No answer to read the limits from: go on with the documented ones.
            self.pool_budget.assume_defaults()
            if silent:
                self._give_up_on(
                    CrossrefSilent(
                        f"Crossref did not answer ({in_a_row} requests in a row timed out"
                        f" after {self.timeout.read or 0:g} s) at {self.base_url}"
                    )
                )
        elif not failure.unreachable:
            self.budget.record(False)
        if failure.rate_limited:
            throttle.penalise()
            if self.pool_budget.held and self.cooldown_factor < MAX_COOLDOWN_FACTOR:
                # Refused after slots were held past a timeout (the one that just ended its
                # cool-down too soon included): Crossref was still counting them. Hold them,
                # and every later one, as long as ever (not step by step: each step would cost
                # another 429).
                with self._stats_lock:
                    self.cooldown_factor = MAX_COOLDOWN_FACTOR
                self.pool_budget.extend_cooling(
                    self._cooldown_base(self.timeout) * self.cooldown_factor
                )
        return failure

    def _cooldown_base(self, timeout: httpx.Timeout) -> float:
        """How long a timed-out request's slot stays taken before any 429 said more."""
        return self.cooldown if self.cooldown is not None else timeout.read or 0.0

    def _attempt_timeout(self) -> httpx.Timeout:
        """The configured timeouts, none reaching past the run's deadline."""
        if self.deadline_at is None:
            return self.timeout
        left = max(self.deadline_at - self._clock(), 0.001)

        def capped(value: float | None) -> float:
            return left if value is None else min(value, left)

        t = self.timeout
        return httpx.Timeout(
            connect=capped(t.connect),
            read=capped(t.read),
            write=capped(t.write),
            pool=capped(t.pool),
        )

    def _judge(
        self, cls: RequestClass, path: str, response: httpx.Response, content: bytes
    ) -> dict[str, Any] | _Failure | None:
        status = response.status_code
        if status == 200:
            try:
                body = json.loads(content)
            except ValueError:
                return _Failure("answered with unreadable JSON", bad_answer=True)
            if not isinstance(body, dict):
                return _Failure("answered with JSON that is not an API message", bad_answer=True)
            if body.get("status", "ok") != "ok":
                # A 200 carrying an error message (a gateway's or the API's own): not an answer.
                return _Failure(
                    f"answered 200 with an error: {_api_message(content)}", bad_answer=True
                )
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
        return _Failure(f"answered HTTP {status}: {_api_message(content)}", retryable=False)


def _filter_param(filters: Mapping[str, str | Sequence[str]]) -> str:
    parts: list[str] = []
    for name, value in filters.items():
        values = [value] if isinstance(value, str) else list(value)
        parts.extend(f"{name}:{v}" for v in values)
    return ",".join(parts)


def _is_json(response: httpx.Response) -> bool:
    return "json" in response.headers.get("content-type", "")


def _api_message(content: bytes) -> str:
    """The first message of a Crossref error body, else the start of the text (one line)."""
    try:
        body = json.loads(content)
        messages = body.get("message")
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            return _one_line(str(messages[0].get("message") or messages[0].get("type")))
        if isinstance(messages, str) and messages.strip():
            return _one_line(messages)
    except (ValueError, AttributeError):
        pass
    text = content[:2000].decode("utf-8", "replace").strip()
    return _one_line(text) if text else "no body"


def _one_line(text: str) -> str:
    return " ".join(text.split())[:120]


def _read_capped(response: httpx.Response, limit: int) -> bytes | None:
    """The whole body, or ``None`` as soon as it passes ``limit`` bytes (memory stays bounded
    whatever a server sends; the rest is never read)."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:120]
