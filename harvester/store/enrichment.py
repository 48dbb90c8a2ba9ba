"""Enrichment's tables: Crossref's cached answers (``crossref_cache``) and the list of
borderline matches a person decides (``enrichment_reviews``); the statements of
:mod:`harvester.ops.enrich`, which holds the rules (which works to ask about, what each
outcome does to a work).

What another engine needs: a key-value cache (key -> status, JSON body, fetched time) and a
review table (work, candidate DOI, JSON decision, open/accepted/rejected, times), unique on
``(work_id, doi)`` so that asking twice opens one review.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harvester.store.library import Library


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    """One stored Crossref answer: its status, its JSON body (None: none), when it came."""

    status: str
    body: Any
    fetched_at: str


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    work_id: int
    key: str
    doi: str
    decision: dict[str, Any]
    status: str
    created_at: str


class Enrichment:
    """The enrichment tables of one library."""

    def __init__(self, library: Library) -> None:
        self._library = library
        self._db = library.db

    # -- the Crossref cache -----------------------------------------------------------------

    def cached(self, key: str) -> CachedAnswer | None:
        row = self._db.execute(
            "SELECT status, body, fetched_at FROM crossref_cache WHERE key = ?", [key]
        ).fetchone()
        if row is None:
            return None
        return CachedAnswer(row[0], json.loads(row[1]) if row[1] else None, row[2])

    def cache(self, key: str, status: str, body: Any, fetched_at: str) -> None:
        """Keep (or replace) Crossref's answer for ``key``, in its own transaction."""
        with self._library.write():
            self._db.execute(
                "INSERT OR REPLACE INTO crossref_cache (key, status, body, fetched_at)"
                " VALUES (?, ?, ?, ?)",
                [key, status, json.dumps(body, ensure_ascii=False) if body else None,
                 fetched_at],
            )  # fmt: skip

    # -- which works -------------------------------------------------------------------------

    def candidates(self, work_ids: Iterable[int] | None = None) -> list[tuple[int, str, str]]:
        """``(work_id, csl JSON, enrichment status)`` of every work (or of ``work_ids``), in id
        order."""
        if work_ids is None:
            rows = self._db.execute("SELECT id, csl, enrichment FROM works ORDER BY id")
            return [(int(r[0]), r[1], r[2]) for r in rows]
        return [
            (int(r[0]), r[1], r[2])
            for r in self._library.select_in(
                "SELECT id, csl, enrichment FROM works WHERE id IN ({marks}) ORDER BY id",
                work_ids,
            )
        ]

    def rejoin(self, content_hash: str, work_id: int) -> None:
        """The stored record with this content hash (Crossref's, met before under another
        work or detached) belongs to ``work_id`` now."""
        self._db.execute(
            "UPDATE source_records SET work_id = ? WHERE content_hash = ?", [work_id, content_hash]
        )

    # -- reviews ------------------------------------------------------------------------------

    def open_review(
        self, work_id: int, doi: str, decision: dict[str, Any], created_at: str
    ) -> None:
        """A borderline candidate for a person to decide (once per work and DOI)."""
        self._db.execute(
            "INSERT OR IGNORE INTO enrichment_reviews (work_id, doi, decision, created_at)"
            " VALUES (?, ?, ?, ?)",
            [work_id, doi, json.dumps(decision, ensure_ascii=False), created_at],
        )

    def open_reviews(self) -> list[Review]:
        """The reviews nobody decided yet, oldest first."""
        return [
            self._review(row)
            for row in self._db.execute(
                "SELECT r.id, r.work_id, w.citation_key, r.doi, r.decision, r.status,"
                " r.created_at FROM enrichment_reviews r JOIN works w ON w.id = r.work_id"
                " WHERE r.status = 'open' ORDER BY r.id"
            )
        ]

    def review(self, review_id: int) -> Review | None:
        row = self._db.execute(
            "SELECT r.id, r.work_id, coalesce(w.citation_key, ''), r.doi, r.decision, r.status,"
            " r.created_at FROM enrichment_reviews r LEFT JOIN works w ON w.id = r.work_id"
            " WHERE r.id = ?",
            [review_id],
        ).fetchone()
        return None if row is None else self._review(row)

    def close_review(self, review_id: int, status: str, decided_at: str) -> None:
        """``status``: accepted or rejected."""
        self._db.execute(
            "UPDATE enrichment_reviews SET status = ?, decided_at = ? WHERE id = ?",
            [status, decided_at, review_id],
        )

    @staticmethod
    def _review(row: Any) -> Review:
        return Review(
            int(row[0]), int(row[1]), row[2], row[3], json.loads(row[4]), row[5], row[6]
        )


__all__ = ["CachedAnswer", "Enrichment", "Review"]
