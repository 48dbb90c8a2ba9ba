"""Enrichment: look works up in Crossref by DOI (batched), or find their DOI by search.

:func:`enrich` takes ``(work_id, csl)`` pairs (or ``(work_id, reference_string)``), a
:class:`~harvester.crossref.client.CrossrefClient` and a :class:`ResponseCache`, and returns an
:class:`EnrichmentReport` with one :class:`ItemOutcome` per item, in order:

* ``enriched``: the work's DOI was looked up; ``record`` is Crossref's record of it;
* ``matched``: no DOI, but a search found one and validation accepted it (``decision``);
* ``review``: a plausible candidate that a person must confirm (never applied automatically);
* ``no_match``: searched, nothing holds up;
* ``not_found``: Crossref does not know the DOI (remembered in the cache, not asked again for
  :attr:`CachePolicy.not_found_ttl`);
* ``pending``: not done now (Crossref unreachable, error budget spent, a request that failed
  after its retries); ``reason`` says why; run ``harvester enrich`` later;
* ``skipped``: nothing to look up (no DOI, no title).

DOIs are looked up through list queries (``filter=doi:A,doi:B,…``) or single lookups, whichever
:func:`choose_lookup` estimates to finish sooner from the limits in force and the latencies the
client has measured so far. A DOI missing from a list answer is confirmed with a single lookup
before it is remembered as unknown.

Threads: HTTP requests run on a small pool (the client's throttles decide how many are really in
flight); the cache is only ever called from the thread that called :func:`enrich`, so a SQLite
store can implement it with one connection. Matching (:mod:`records.matching`) and the Crossref
-> record mapping (:mod:`records.crossref`) are pure and also run on the calling thread.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import zip_longest
from typing import Any, Literal, Protocol

import httpx

from harvester.crossref.client import MAX_DOIS_PER_QUERY, CrossrefClient
from harvester.errors import (
    CrossrefSilent,
    CrossrefUnavailable,
    DeadlineReached,
    ErrorBudgetExceeded,
    RequestFailed,
)
from records.crossref import work_to_record
from records.identifiers import doi_key, normalize_doi
from records.matching import DEFAULT_THRESHOLDS, MatchDecision, Thresholds, build_query, match
from records.model import CSLItem, Record

log = logging.getLogger("harvester.crossref.lookup")

Status = Literal["enriched", "matched", "review", "no_match", "not_found", "pending", "skipped"]
LookupMode = Literal["auto", "list", "single"]
EnrichItem = tuple[Any, "CSLItem | str"]


# -- the cache the store implements ---------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CachedResponse:
    """One remembered Crossref answer.

    ``key`` is :func:`work_key` (a DOI lookup) or :func:`search_key` (a search). ``status`` is
    ``"found"`` (``body`` holds the work JSON, or for a search ``{"items": [...]}``) or
    ``"not_found"`` (a 404: ``body`` is ``None``).
    """

    key: str
    status: Literal["found", "not_found"]
    body: dict[str, Any] | None
    fetched_at: datetime


class ResponseCache(Protocol):
    """Where Crossref answers are kept between runs (the SQLite store implements this)."""

    def get(self, key: str) -> CachedResponse | None:
        """The remembered answer for ``key``, or ``None``."""
        ...

    def put(self, response: CachedResponse) -> None:
        """Remember an answer (replacing any older one for the same key)."""
        ...


class MemoryCache:
    """A :class:`ResponseCache` in a dict: for tests and runs that store nothing."""

    def __init__(self) -> None:
        self.entries: dict[str, CachedResponse] = {}

    def get(self, key: str) -> CachedResponse | None:
        return self.entries.get(key)

    def put(self, response: CachedResponse) -> None:
        self.entries[response.key] = response


def work_key(doi: str) -> str:
    return "work:" + doi_key(doi)


def search_key(query: str, rows: int) -> str:
    digest = hashlib.sha256(f"{rows}\n{query}".encode()).hexdigest()[:32]
    return f"search:{digest}"


@dataclass(frozen=True, slots=True)
class CachePolicy:
    """How long answers are trusted: found works by default forever (``enrich --all`` passes
    ``max_age=timedelta(0)``), unknown DOIs for 30 days, searches for 30 days."""

    max_age: timedelta | None = None
    not_found_ttl: timedelta = timedelta(days=30)
    search_ttl: timedelta = timedelta(days=30)

    def fresh(self, entry: CachedResponse, now: datetime, *, search: bool = False) -> bool:
        age = now - entry.fetched_at
        if search:
            return age <= self.search_ttl
        if entry.status == "not_found":
            return age <= self.not_found_ttl
        return self.max_age is None or age <= self.max_age


# -- the report -----------------------------------------------------------------------------
@dataclass(slots=True)
class ItemOutcome:
    work_id: Any
    status: Status
    reason: str = ""
    record: Record | None = None
    decision: MatchDecision | None = None
    doi: str | None = None
    from_cache: bool = False


@dataclass(slots=True)
class EnrichmentReport:
    outcomes: list[ItemOutcome] = field(default_factory=list)
    stopped: str | None = None  # the one line to print when Crossref could not be used
    requests: int = 0
    failed_requests: int = 0
    seconds: float = 0.0
    lookup_mode: str = ""

    def counts(self) -> Counter[str]:
        return Counter(o.status for o in self.outcomes)

    def pending_reasons(self) -> Counter[str]:
        return Counter(o.reason for o in self.outcomes if o.status == "pending")

    def summary(self) -> str:
        """``enriched 10, matched by search 2, sent to review 1, not found 1, pending 3 (…)``."""
        c = self.counts()
        parts = [
            f"enriched {c['enriched']}",
            f"matched by search {c['matched']}",
            f"sent to review {c['review']}",
            f"no match {c['no_match']}",
            f"not found {c['not_found']}",
        ]
        pending = f"pending {c['pending']}"
        if c["pending"]:
            reasons = "; ".join(f"{n} {r}" for r, n in self.pending_reasons().most_common(3))
            pending += f" ({reasons})"
        parts.append(pending)
        if c["skipped"]:
            parts.append(f"skipped {c['skipped']}")
        return ", ".join(parts)


# -- choosing how to look DOIs up ------------------------------------------------------------
# Before anything is measured: a lookup answers in about 0.3 s; a list query costs a little
# more per DOI it carries.
GUESS_SINGLE_LATENCY = 0.3
GUESS_LIST_LATENCY = 0.3
GUESS_LIST_PER_RECORD = 0.01


def _batch_sizes(n: int, limit: int = MAX_DOIS_PER_QUERY) -> list[int]:
    batches = math.ceil(n / limit) if n else 0
    return [n // batches + (1 if i < n % batches else 0) for i in range(batches)]


def estimate_seconds(n: int, client: CrossrefClient) -> dict[str, float]:
    """Seconds to look ``n`` DOIs up by single lookups and by list queries, from the limits in
    force and the latencies measured so far."""
    single = client.limits("single")
    lists = client.limits("list")
    s_stats, l_stats = client.stats.single, client.stats.list
    s_latency = s_stats.latency or GUESS_SINGLE_LATENCY
    sizes = _batch_sizes(n)
    if l_stats.latency is not None and l_stats.records and l_stats.requests:
        per_record = l_stats.latency / max(l_stats.records / l_stats.requests, 1)
        l_latency = max(per_record * (sizes[0] if sizes else 1), l_stats.latency * 0.5)
    else:
        l_latency = GUESS_LIST_LATENCY + GUESS_LIST_PER_RECORD * (sizes[0] if sizes else 1)
    per_single = max(single.interval / single.limit, s_latency / single.concurrency)
    per_list = max(lists.interval / lists.limit, l_latency / lists.concurrency)
    return {"single": n * per_single, "list": len(sizes) * per_list}


def choose_lookup(n: int, client: CrossrefClient) -> Literal["list", "single"]:
    estimate = estimate_seconds(n, client)
    return "list" if estimate["list"] < estimate["single"] else "single"


# -- the orchestrator -------------------------------------------------------------------------
def _utcnow() -> datetime:
    return datetime.now(UTC)


class _Run:
    """The state of one :func:`enrich` call (main thread only, except the submitted calls)."""

    def __init__(
        self,
        items: Sequence[EnrichItem],
        client: CrossrefClient,
        cache: ResponseCache,
        progress: Callable[[int, int], None] | None,
        policy: CachePolicy,
        thresholds: Thresholds,
        now: Callable[[], datetime],
        mode: LookupMode,
        workers: int,
    ) -> None:
        self.items = list(items)
        self.client = client
        self.cache = cache
        self.progress = progress
        self.policy = policy
        self.thresholds = thresholds
        self.now = now
        self.mode = mode
        self.workers = workers
        self.outcomes: list[ItemOutcome | None] = [None] * len(self.items)
        self.done = 0
        self.stopped: str | None = None
        self.stopped_exc: CrossrefUnavailable | None = None
        self.by_doi: dict[str, list[int]] = {}
        self.lookup_mode = ""

    # outcomes ------------------------------------------------------------------------------
    def finish(self, index: int, outcome: ItemOutcome) -> None:
        if self.outcomes[index] is None:
            self.outcomes[index] = outcome
            self.done += 1
            if self.progress:
                self.progress(self.done, len(self.items))

    def finish_doi(self, key: str, status: Status, **kwargs: Any) -> None:
        for index in self.by_doi.get(key, []):
            self.finish(index, ItemOutcome(self.items[index][0], status, **kwargs))

    def found_work(self, key: str, work: dict[str, Any], *, cached: bool) -> None:
        record = work_to_record(work)
        self.finish_doi(
            key, "enriched", record=record, doi=record.csl.get("DOI"), from_cache=cached
        )

    # the run -------------------------------------------------------------------------------
    def run(self) -> EnrichmentReport:
        to_fetch: list[str] = []
        searches: dict[str, list[int]] = {}
        queries: dict[str, tuple[CSLItem | str, str]] = {}
        rows: dict[str, int] = {}
        now = self.now()
        for index, (work_id, item) in enumerate(self.items):
            doi = normalize_doi(item.get("DOI")) if isinstance(item, dict) else None
            if doi:
                key = doi_key(doi)
                first_time = key not in self.by_doi
                self.by_doi.setdefault(key, []).append(index)
                if not first_time:
                    continue
                entry = self.cache.get(work_key(doi))
                if entry and self.policy.fresh(entry, now):
                    if entry.status == "not_found":
                        self.finish_doi(
                            key, "not_found", reason="unknown to Crossref", doi=doi, from_cache=True
                        )
                        continue
                    if entry.body:
                        self.found_work(key, entry.body, cached=True)
                        continue
                to_fetch.append(doi)
                continue
            query = build_query(item) if isinstance(item, dict) else str(item).strip()
            has_title = isinstance(item, str) or bool(item.get("title"))
            if not query or not has_title:
                self.finish(
                    index, ItemOutcome(work_id, "skipped", "no DOI and no title to search by")
                )
                continue
            n_rows = (
                self.thresholds.rows_structured
                if isinstance(item, dict)
                else self.thresholds.rows_unstructured
            )
            key = search_key(query, n_rows)
            entry = self.cache.get(key)
            if entry and entry.body is not None and self.policy.fresh(entry, now, search=True):
                self.decide(index, item, query, entry.body.get("items") or [], cached=True)
                continue
            searches.setdefault(key, []).append(index)
            queries[key] = (item, query)
            rows[key] = n_rows

        before = self.client.stats.single.requests + self.client.stats.list.requests
        failed_before = self.client.stats.single.failures + self.client.stats.list.failures
        self.fetch(to_fetch, searches, queries, rows)
        report = EnrichmentReport(stopped=self.stopped, lookup_mode=self.lookup_mode)
        for index, outcome in enumerate(self.outcomes):
            if outcome is None:  # cannot happen; never lose a record
                outcome = ItemOutcome(self.items[index][0], "pending", "not attempted")
            report.outcomes.append(outcome)
        stats = self.client.stats
        report.requests = stats.single.requests + stats.list.requests - before
        report.failed_requests = stats.single.failures + stats.list.failures - failed_before
        return report

    def decide(
        self,
        index: int,
        item: CSLItem | str,
        query: str,
        items: list[dict[str, Any]],
        *,
        cached: bool,
    ) -> MatchDecision:
        decision = match(item, items, query=query, thresholds=self.thresholds)
        work_id = self.items[index][0]
        if decision.verdict == "accept" and decision.candidate:
            record = work_to_record(decision.candidate.work)
            self.finish(
                index,
                ItemOutcome(
                    work_id,
                    "matched",
                    decision.reason,
                    record,
                    decision,
                    record.csl.get("DOI"),
                    cached,
                ),
            )
        elif decision.verdict == "review":
            self.finish(
                index, ItemOutcome(work_id, "review", decision.reason, None, decision, None, cached)
            )
        else:
            self.finish(
                index,
                ItemOutcome(work_id, "no_match", decision.reason, None, decision, None, cached),
            )
        return decision

    def stop(self, exc: CrossrefUnavailable) -> None:
        if self.stopped is None:
            self.stopped_exc = exc
            # Budget, silence, deadline and refusal messages say what happened; a lost
            # connection says "unreachable".
            known = isinstance(
                exc, ErrorBudgetExceeded | CrossrefSilent | DeadlineReached
            ) or "refused access" in str(exc)
            self.stopped = str(exc) if known else "Crossref unreachable"

    def fetch(
        self,
        dois: list[str],
        searches: dict[str, list[int]],
        queries: dict[str, tuple[CSLItem | str, str]],
        rows: dict[str, int],
    ) -> None:
        mode = (
            self.mode
            if self.mode != "auto"
            else (choose_lookup(len(dois), self.client) if dois else "single")
        )
        self.lookup_mode = mode
        # DOIs with a comma cannot go into a filter.
        singles = [d for d in dois if mode == "single" or "," in d]
        listed = [d for d in dois if mode == "list" and "," not in d]
        batches: list[list[str]] = []
        start = 0
        for size in _batch_sizes(len(listed)):
            batches.append(listed[start : start + size])
            start += size

        # Lookups and list queries (searches are list queries) draw on separate throttles:
        # interleave them so both classes work at once. Only a few tasks are handed to the pool
        # at a time, so 100,000 records do not become 100,000 futures.
        list_tasks: list[tuple[str, Any]] = [("list", b) for b in batches]
        list_tasks += [("search", key) for key in searches]
        single_tasks: list[tuple[str, Any]] = [("single", d) for d in singles]
        tasks: deque[tuple[str, Any]] = deque(
            task
            for pair in zip_longest(list_tasks, single_tasks)
            for task in pair
            if task is not None
        )
        pending: dict[Future[Any], tuple[str, Any]] = {}
        window = self.workers * 2
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="crossref") as pool:

            def submit(kind: str, arg: Any) -> None:
                fut: Future[Any]
                if kind == "single":
                    fut = pool.submit(self.client.get_work, arg)
                elif kind == "list":
                    fut = pool.submit(self.client.works_by_dois, arg)
                else:
                    fut = pool.submit(self.client.search, queries[arg][1], rows[arg])
                pending[fut] = (kind, arg)

            def follow_up(kind: str, arg: Any) -> None:
                tasks.appendleft((kind, arg))

            while (tasks or pending) and not self.stopped:
                while tasks and len(pending) < window:
                    submit(*tasks.popleft())
                finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for fut in finished:
                    kind, arg = pending.pop(fut)
                    self.collect(kind, arg, fut, follow_up, searches)
            # Stopped: let the requests already running end, record what they brought.
            for fut in list(pending):
                kind, arg = pending.pop(fut)
                if not fut.cancel():
                    self.collect(kind, arg, fut, follow_up, searches)

        # Whatever was not done is queued for later, with the reason.
        short = _short_reason(self.stopped or "not attempted")
        for index, outcome in enumerate(self.outcomes):
            if outcome is None:
                item = self.items[index][1]
                doi = normalize_doi(item.get("DOI")) if isinstance(item, dict) else None
                self.finish(index, ItemOutcome(self.items[index][0], "pending", short, doi=doi))

    def collect(
        self,
        kind: str,
        arg: Any,
        fut: Future[Any],
        submit: Callable[[str, Any], None],
        searches: dict[str, list[int]],
    ) -> None:
        try:
            result = fut.result()
        except CrossrefUnavailable as exc:
            self.stop(exc)
            return
        except (RequestFailed, ValueError, httpx.HTTPError) as exc:
            # One request's failure (or an input the API cannot take) costs only its records.
            if not isinstance(exc, RequestFailed):
                log.warning("Crossref request failed: %s", exc)
            reason = _short_reason(str(exc)) if isinstance(exc, RequestFailed) else "request failed"
            if kind == "list":
                for doi in arg:
                    self.finish_doi(doi_key(doi), "pending", reason=reason, doi=doi)
            elif kind == "single":
                self.finish_doi(doi_key(arg), "pending", reason=reason, doi=arg)
            else:
                for index in searches[arg]:
                    self.finish(index, ItemOutcome(self.items[index][0], "pending", reason))
            return
        now = self.now()
        if kind == "single":
            key = doi_key(arg)
            if result is None:
                self.cache.put(CachedResponse(work_key(arg), "not_found", None, now))
                self.finish_doi(key, "not_found", reason="unknown to Crossref", doi=arg)
            else:
                self.cache.put(CachedResponse(work_key(arg), "found", result, now))
                self.found_work(key, result, cached=False)
        elif kind == "list":
            for doi in arg:
                key = doi_key(doi)
                work = result.get(key)
                if work is None:
                    submit("single", doi)  # absent from the list: confirm before remembering
                    continue
                self.cache.put(CachedResponse(work_key(doi), "found", work, now))
                self.found_work(key, work, cached=False)
        else:
            items = result.items
            self.cache.put(CachedResponse(arg, "found", {"items": items}, now))
            for index in searches[arg]:
                item = self.items[index][1]
                query = build_query(item) if isinstance(item, dict) else str(item).strip()
                decision = self.decide(index, item, query, items, cached=False)
                if decision.verdict == "accept" and decision.candidate:
                    # The accepted work is a full record: remember it under its DOI too.
                    work = decision.candidate.work
                    self.cache.put(CachedResponse(work_key(work["DOI"]), "found", work, now))


def _short_reason(message: str) -> str:
    """``Crossref answered HTTP 503 (/works)`` -> ``Crossref answered HTTP 503``."""
    return message.split(" (/works", 1)[0].strip()


def enrich(
    items: Iterable[EnrichItem],
    client: CrossrefClient,
    cache: ResponseCache,
    progress: Callable[[int, int], None] | None = None,
    *,
    policy: CachePolicy | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    now: Callable[[], datetime] = _utcnow,
    mode: LookupMode = "auto",
    workers: int = 6,
) -> EnrichmentReport:
    """Enrich ``(work_id, csl)`` items through Crossref; see the module docstring.

    Never raises for Crossref's state: an unreachable Crossref or a spent error budget ends the
    run with every unfinished item ``pending`` and :attr:`EnrichmentReport.stopped` set.
    ``progress(done, total)`` is called on the calling thread as items finish.
    """
    run = _Run(
        list(items),
        client,
        cache,
        progress,
        policy or CachePolicy(),
        thresholds,
        now,
        mode,
        workers,
    )
    started = datetime.now(UTC)
    report = run.run()
    report.seconds = (datetime.now(UTC) - started).total_seconds()
    if report.stopped:
        n = report.counts()["pending"]
        report.stopped = (
            f"{report.stopped}: {n} records queued for enrichment; run `harvester enrich` later"
        )
    return report


__all__ = [
    "CachePolicy",
    "CachedResponse",
    "EnrichmentReport",
    "ItemOutcome",
    "MemoryCache",
    "ResponseCache",
    "choose_lookup",
    "enrich",
    "estimate_seconds",
    "search_key",
    "work_key",
]
