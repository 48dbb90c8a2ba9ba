"""Enrichment in the library: Crossref answers cached in the store, outcomes applied to works.

:func:`enrich_works` picks the works that need Crossref (no Crossref record yet, or pending),
runs :func:`harvester.crossref.lookup.enrich` over them with the store as its cache, and applies each
outcome in one transaction:

* enriched / matched: Crossref's record joins the work as an ``enrichment`` source record
  (kept verbatim, like every source), and the work is recomputed (:mod:`records.merge`:
  gaps filled, weaker values upgraded, disagreements kept as provenance). A work known only by
  its DOI gets its real citation key now (its key was provisional).
* review: the candidate and its evidence go to ``enrichment_reviews``; a person accepts or
  rejects it (``harvester enrich --review``); it is never applied on its own.
* not found, no match, pending: the work's ``enrichment`` status and reason say so; pending
  works are retried by the next ``harvester enrich``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from harvester.crossref.client import CrossrefClient
from harvester.crossref.lookup import (
    CachedResponse,
    CachePolicy,
    EnrichmentReport,
    ItemOutcome,
    enrich,
)
from harvester.errors import NotFound
from harvester.ops.dedup import index_record
from harvester.store import Library
from harvester.store.library import now
from records.citekeys import DEFAULT_FORMULA, compile_formula, unique_key
from records.crossref import work_to_record
from records.dedup import prepare
from records.errors import UsageError

# Works whose last enrichment settled them; `enrich --all` asks again anyway.
SETTLED = ("enriched", "matched", "not-found", "no-match", "review")
# works.enrichment values
STATUS = {
    "enriched": "enriched",
    "matched": "matched",
    "review": "review",
    "no_match": "no-match",
    "not_found": "not-found",
    "pending": "pending",
}


class StoreCache:
    """The :class:`harvester.crossref.lookup.ResponseCache` kept in the library's ``crossref_cache``."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def get(self, key: str) -> CachedResponse | None:
        answer = self.library.enrichment.cached(key)
        if answer is None:
            return None
        # The store keeps the status as text; only this cache's put wrote it.
        status = cast(Any, answer.status)
        return CachedResponse(key, status, answer.body, datetime.fromisoformat(answer.fetched_at))

    def put(self, response: CachedResponse) -> None:
        self.library.enrichment.cache(
            response.key, response.status, response.body, response.fetched_at.isoformat()
        )


def works_to_enrich(
    library: Library, work_ids: Iterable[int] | None = None, *, everything: bool = False
) -> list[tuple[int, dict[str, Any] | str]]:
    """``(work_id, csl)`` of the works that need Crossref: those without a Crossref record
    whose last attempt did not settle it (``everything``: all selected works); for a work known
    only from a doubtful reference string, ``(work_id, reference)``."""
    rows = library.enrichment.candidates(work_ids)
    items: list[tuple[int, dict[str, Any] | str]] = [
        (work_id, json.loads(csl))
        for work_id, csl, status in rows
        if everything or status not in SETTLED
    ]
    # A work known only from a reference string the model read with low confidence is looked
    # up by that string (search, then validation against it), not by fields that may be wrong.
    doubtful = library.doubtful_references(work_id for work_id, _ in items)
    return [(work_id, doubtful.get(work_id, item)) for work_id, item in items]


def enrich_works(
    library: Library,
    client: CrossrefClient,
    work_ids: Iterable[int] | None = None,
    *,
    everything: bool = False,
    formula: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    items: list[tuple[int, dict[str, Any] | str]] | None = None,
) -> EnrichmentReport:
    """Enrich the selected works (default: all that need it); see the module docstring.
    ``items``: :func:`works_to_enrich` for the same selection, when the caller has it."""
    if items is None:
        items = works_to_enrich(library, work_ids, everything=everything)
    policy = CachePolicy(max_age=timedelta(0)) if everything else CachePolicy()
    report = enrich(items, client, StoreCache(library), progress, policy=policy)
    keys = compile_formula(formula or DEFAULT_FORMULA)
    # All outcomes in one transaction: thousands of tiny commits cost more than the work.
    with library.write():
        for outcome in report.outcomes:
            apply_outcome(library, outcome, keys)
    return report


def apply_outcome(library: Library, outcome: ItemOutcome, keys: Any) -> None:
    work_id = int(outcome.work_id)
    if outcome.status in ("enriched", "matched") and outcome.record is not None:
        attach(library, work_id, outcome.record, keys)
        reason = outcome.decision.reason if outcome.decision is not None else None
        library.set_enrichment(work_id, STATUS[outcome.status], reason)
    elif outcome.status == "review" and outcome.decision is not None:
        decision = outcome.decision.to_dict() | {
            "evidence_lines": outcome.decision.evidence_lines()
        }
        library.enrichment.open_review(work_id, decision["candidate"], decision, now())
        library.set_enrichment(work_id, "review", outcome.decision.reason)
    elif outcome.status in STATUS:
        library.set_enrichment(work_id, STATUS[outcome.status], outcome.reason or None)


def attach(library: Library, work_id: int, record: Any, keys: Any) -> None:
    """Crossref's record joins the work (once: its content hash is unique)."""
    if not library.has_record(record.content_hash()):
        record_id = library.add_record(record, kind="enrichment", work_id=work_id)
        # Indexed for dedup: a record found later by title alone meets the work through it.
        index_record(library, record_id, prepare(record.csl))
    else:
        library.enrichment.rejoin(record.content_hash(), work_id)
    merged = library.recompute_work(work_id)
    if merged is not None and library.key_is_provisional(work_id) and "title" in merged.csl:
        old = library.work(work_id).key.lower()

        def taken(key: str) -> bool:
            return key.lower() != old and library.key_taken(key)

        library.set_key(work_id, unique_key(keys.base_key(merged.csl), taken))


# -- the review list ------------------------------------------------------------------------


def open_reviews(library: Library) -> list[dict[str, Any]]:
    return [
        {"review": r.id, "key": r.key, "doi": r.doi, "decision": r.decision,
         "created_at": r.created_at}
        for r in library.enrichment.open_reviews()
    ]  # fmt: skip


def decide_review(
    library: Library, review_id: int, accept: bool, formula: str | None = None
) -> str:
    """A person's answer to a borderline match; returns the work's key."""
    with library.write():
        review = library.enrichment.review(review_id)
        if review is None:
            raise NotFound(f"no review {review_id} (see `harvester enrich --review`)")
        work_id, decision, status = review.work_id, review.decision, review.status
        if status != "open":
            raise UsageError(f"review {review_id} was already {status}")
        if accept:
            record = work_to_record(decision["work"])
            attach(library, work_id, record, compile_formula(formula or DEFAULT_FORMULA))
            library.set_enrichment(work_id, "matched", "accepted by a person")
        else:
            library.set_enrichment(work_id, "no-match", "candidate rejected by a person")
        library.enrichment.close_review(
            review_id, "accepted" if accept else "rejected", datetime.now(UTC).isoformat()
        )
        return library.work(work_id).key
