"""Auto-exports (path, format, selection) and each work's cached rendered entry per export
variant (schema m003, m011): the SQL of :mod:`harvester.ops.autoexport`.

What another engine needs: a table of exports and a table of ``(variant, work_id)`` ->
``(fingerprint, text)``; the validity test (the cached fingerprint equals the work's CSL hash
and key) is one join, so an unchanged library is exported without reading its works.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harvester.store.library import Library


class AutoExports:
    """The auto-exports of one library."""

    def __init__(self, library: Library) -> None:
        self._library = library
        self._db = library.db

    def register(self, path: str, format: str, selection: str, stamp: str) -> None:
        """Keep ``path`` (absolute) in sync; ``selection`` is the stored JSON."""
        with self._library.write():
            self._db.conn.execute(
                "INSERT INTO auto_exports (path, format, selection, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET"
                " format = excluded.format, selection = excluded.selection,"
                " created_at = excluded.created_at",
                [path, format, selection, stamp],
            )

    def unregister(self, path: str) -> bool:
        with self._library.write():
            cursor = self._db.conn.execute("DELETE FROM auto_exports WHERE path = ?", [path])
            return cursor.rowcount > 0

    def configured(self) -> list[dict[str, Any]]:
        """Every auto-export as a row (``id``, ``path``, ``format``, ``selection`` JSON text,
        ``created_at``, ``written_at``), by path."""
        return [dict(row) for row in self._db.query("SELECT * FROM auto_exports ORDER BY path")]

    def mark_written(self, export_id: int, stamp: str) -> None:
        with self._library.write():
            self._db.conn.execute(
                "UPDATE auto_exports SET written_at = ? WHERE id = ?", [stamp, export_id]
            )

    def keyed_csl(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every work as ``(citation key, CSL item)`` in citation-key order: what a file
        export of the whole library reads, and nothing else (a work's provenance, parsed by
        :meth:`Library.iter_works`, is as large as its CSL and was half an export's time)."""
        rows = self._db.conn.execute("SELECT citation_key, csl FROM works ORDER BY citation_key")
        loads = json.loads
        for key, csl in rows:
            yield key, loads(csl)

    # Cached entries: one rendered entry per work and variant (format + options + exporter
    # code), valid while its fingerprint (the work's CSL hash and key) holds.

    def entries(self, variant: str) -> Iterator[ExportHead]:
        """Every work in citation-key order with its cached entry for ``variant`` when that
        is still valid; the work's CSL text comes along only when it is not (it is to be
        rendered again), so an unchanged library is read without parsing a single work."""
        rows = self._db.conn.execute(
            """
            SELECT w.id, w.citation_key, w.csl_hash,
                   CASE WHEN p.fingerprint = w.csl_hash || char(31) || w.citation_key
                        THEN p.text END AS cached,
                   CASE WHEN p.fingerprint = w.csl_hash || char(31) || w.citation_key
                        THEN NULL ELSE w.csl END AS csl
            FROM works w INDEXED BY works_key_hash
            LEFT JOIN export_entries p ON p.variant = ? AND p.work_id = w.id
            ORDER BY w.citation_key
            """,
            [variant],
        )
        for work_id, key, hash_, cached, csl in rows:
            yield ExportHead(work_id, key, hash_, cached, csl)

    def save_entries(
        self, variant: str, entries: Iterable[ExportHead], *, prune: bool = True
    ) -> None:
        """Remember freshly rendered entries; with ``prune``, forget those of works that are
        gone (once per export, not per batch)."""
        rows = [
            (variant, e.work_id, f"{e.csl_hash}\x1f{e.key}", e.cached)
            for e in entries
            if e.csl_hash is not None and e.cached is not None
        ]
        with self._library.write():
            self._db.conn.executemany(
                "INSERT OR REPLACE INTO export_entries (variant, work_id, fingerprint, text)"
                " VALUES (?, ?, ?, ?)",
                rows,
            )
            if prune:
                self._db.conn.execute(
                    "DELETE FROM export_entries WHERE variant = ?"
                    " AND work_id NOT IN (SELECT id FROM works)",
                    [variant],
                )

    def forget_entries(self, keep_variants: Iterable[str]) -> None:
        """Drop the cached entries of variants no auto-export uses any more."""
        keep = list(keep_variants)
        with self._library.write():
            self._db.conn.execute(
                f"DELETE FROM export_entries WHERE variant NOT IN ({','.join('?' * len(keep))})",
                keep,
            )


@dataclass(slots=True)
class ExportHead:
    """A work as an incremental export sees it: ``cached`` is its valid rendered entry, or
    None with ``csl`` (the stored JSON text) to render it from."""

    work_id: int
    key: str
    csl_hash: str | None
    cached: str | None
    csl: str | None
