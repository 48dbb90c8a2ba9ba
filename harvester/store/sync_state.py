"""Sync's tables: the configured sources, their harvest state (files seen, OAI-PMH records and
list checkpoints, searches' and feeds' items, HTTP validators) and the per-source run log
(``harvester sync log``).

Every statement the sync sources and the sync log need lives here, named for what it means; :mod:`harvester.ops.sync` and :mod:`harvester.ops.sync_searches` call
these inside their own transactions (``library.write()``), so a page of records, the items it
brought and the checkpoint are committed together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from harvester.store.library import Library, now


@dataclass(frozen=True, slots=True)
class StoredItem:
    """What a source last stored for one of its items."""

    version: str
    record_id: int | None


@dataclass(frozen=True, slots=True)
class StoredOaiRecord:
    """What an OAI-PMH source last harvested under one identifier."""

    datestamp: str
    deleted: bool
    record_id: int | None


class SyncState:
    """The sync tables of one library."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.db = library.db

    # -- sources ----------------------------------------------------------------------------

    def add_source(self, columns: dict[str, Any]) -> None:
        """Configure a source: ``columns`` are ``sync_sources``'s (name, kind, target, ...)."""
        self.db.table("sync_sources").insert(columns)

    def source(self, name: str) -> dict[str, Any] | None:
        """The source's row (configuration and harvest state), None: no such source."""
        return next(self.db.query("SELECT * FROM sync_sources WHERE name = ?", [name]), None)

    def sources(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM sync_sources ORDER BY name"))

    def remove_source(self, name: str) -> bool:
        """Forget a source and all its harvest state (its records stay); False: no such
        source."""
        for table in ("sync_files", "sync_oai_records", "sync_leases", "sync_items"):
            self.db.execute(f"DELETE FROM {table} WHERE source = ?", [name])
        cursor = self.db.execute("DELETE FROM sync_sources WHERE name = ?", [name])
        return cursor.rowcount > 0

    def record_outcome(self, source: str, at: str, status: str, error: str | None) -> None:
        """How the source's last run ended (``harvester sync list``)."""
        self.db.execute(
            "UPDATE sync_sources SET last_run_at = ?, last_status = ?, last_error = ?"
            " WHERE name = ?",
            [at, status, error, source],
        )

    # -- files of folder and file sources ---------------------------------------------------

    def known_files(self, source: str) -> dict[str, dict[str, Any]]:
        """What the source's last runs saw of each file: ``{path: {size, mtime_ns, sha256,
        records, error, imported_at}}``."""
        return {
            row["path"]: row
            for row in self.db.query("SELECT * FROM sync_files WHERE source = ?", [source])
        }

    def touch_file(self, source: str, path: str, size: int, mtime_ns: int) -> None:
        """A file whose content did not change got a new size or time stamp (copied, touched)."""
        self.db.execute(
            "UPDATE sync_files SET size = ?, mtime_ns = ? WHERE source = ? AND path = ?",
            [size, mtime_ns, source, path],
        )

    def remember_file(
        self,
        source: str,
        path: str,
        *,
        size: int,
        mtime_ns: int,
        sha256: str,
        records: int,
        error: str | None,
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sync_files (source, path, size, mtime_ns, sha256,"
            " records, error, imported_at) VALUES (?,?,?,?,?,?,?,?)",
            [source, path, size, mtime_ns, sha256, records, error, now()],
        )

    # -- OAI-PMH records --------------------------------------------------------------------

    def oai_record(self, source: str, identifier: str) -> StoredOaiRecord | None:
        """What the source last harvested under this OAI identifier."""
        row = self.db.execute(
            "SELECT datestamp, deleted, record_id FROM sync_oai_records"
            " WHERE source = ? AND identifier = ?",
            [source, identifier],
        ).fetchone()
        return None if row is None else StoredOaiRecord(row[0], bool(row[1]), row[2])

    def remember_oai_record(
        self, source: str, identifier: str, datestamp: str, deleted: bool, record_id: int | None
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sync_oai_records (source, identifier, datestamp, deleted,"
            " record_id, seen_at) VALUES (?,?,?,?,?,?)",
            [source, identifier, datestamp, int(deleted), record_id, now()],
        )

    # -- harvest state ----------------------------------------------------------------------

    def checkpoint(self, source: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT checkpoint FROM sync_sources WHERE name = ?", [source]
        ).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def save_checkpoint(self, source: str, checkpoint: dict[str, Any] | None) -> None:
        self.db.execute(
            "UPDATE sync_sources SET checkpoint = ? WHERE name = ?",
            [json.dumps(checkpoint, sort_keys=True) if checkpoint is not None else None, source],
        )

    def save_list_checkpoint(
        self, source: str, token: str | None, from_: str | None, until: str | None
    ) -> None:
        """Where an OAI-PMH list stands: the resumption token for the next page of the window
        ``from_``..``until`` (all None: no list in progress)."""
        self.db.execute(
            "UPDATE sync_sources SET resume_token = ?, resume_from = ?, resume_until = ?"
            " WHERE name = ?",
            [token, from_, until, source],
        )

    def complete_harvest(self, source: str, harvested_until: str) -> None:
        """A run went through to the end: the next one starts from ``harvested_until``."""
        self.db.execute(
            "UPDATE sync_sources SET harvested_until = ?, checkpoint = NULL,"
            " resume_token = NULL, resume_from = NULL, resume_until = NULL WHERE name = ?",
            [harvested_until, source],
        )

    def save_notes(self, source: str, notes: dict[str, Any]) -> None:
        self.db.execute(
            "UPDATE sync_sources SET notes = ? WHERE name = ?",
            [json.dumps(notes, sort_keys=True) if notes else None, source],
        )

    def set_granularity(self, source: str, granularity: str) -> None:
        self.db.execute(
            "UPDATE sync_sources SET granularity = ? WHERE name = ?", [granularity, source]
        )

    def save_validators(
        self, source: str, etag: str | None, last_modified: str | None, content_hash: str
    ) -> None:
        """What to ask a feed with next time (``If-None-Match`` / ``If-Modified-Since``)."""
        self.db.execute(
            "UPDATE sync_sources SET etag = ?, last_modified = ?, content_hash = ? WHERE name = ?",
            [etag, last_modified, content_hash, source],
        )

    def forget_items(self, source: str) -> None:
        self.db.execute("DELETE FROM sync_items WHERE source = ?", [source])

    # -- items ------------------------------------------------------------------------------

    def stored_items(self, source: str, items: Iterable[str]) -> dict[str, StoredItem]:
        """The items of ``items`` this source has stored before, with their versions."""
        wanted = list(dict.fromkeys(items))
        found: dict[str, StoredItem] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for item, version, record_id in self.db.execute(
                f"SELECT item, version, record_id FROM sync_items WHERE source = ?"
                f" AND item IN ({marks})",
                [source, *chunk],
            ):
                found[item] = StoredItem(version, record_id)
        return found

    def remember_item(self, source: str, item: str, version: str, record_id: int | None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sync_items (source, item, version, record_id, seen_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [source, item, version, record_id, now()],
        )

    def record_id_of(self, content_hash: str) -> tuple[int, int | None] | None:
        """(record id, work id) of the stored record with this content hash."""
        row = self.db.execute(
            "SELECT id, work_id FROM source_records WHERE content_hash = ?", [content_hash]
        ).fetchone()
        return (int(row[0]), row[1]) if row else None

    def item_count(self, source: str) -> int:
        return int(
            self.db.execute(
                "SELECT count(*) FROM sync_items WHERE source = ?", [source]
            ).fetchone()[0]
        )

    def awaiting_enrichment(self) -> list[int]:
        """Works an earlier enrichment could not finish (Crossref unreachable, budget spent),
        and works a sync brought that were never asked about (that run was killed before its
        enrichment, or ran with ``--no-enrich``). Works imported by ``add --no-enrich`` are
        left alone: a person asked for that."""
        return [
            int(r[0])
            for r in self.db.execute(
                "SELECT id FROM works WHERE enrichment = 'pending'"
                " UNION SELECT DISTINCT w.id FROM works w"
                " JOIN source_records s ON s.work_id = w.id"
                " JOIN runs r ON r.id = s.run_id"
                " WHERE w.enrichment = 'none' AND s.kind = 'input' AND r.command LIKE 'sync%'"
            )
        ]

    # -- the log ----------------------------------------------------------------------------

    def log_run(
        self,
        *,
        run_id: int | None,
        source: str,
        kind: str,
        started_at: str,
        status: str,
        summary: dict[str, Any],
        new_work_ids: Iterable[int],
        merged_work_ids: Iterable[int],
    ) -> int:
        """One source's run, with the works it created and the ones it added records to."""
        failed = len(summary.get("failures") or [])
        cursor = self.db.execute(
            "INSERT INTO sync_log (run_id, source, kind, started_at, finished_at, status,"
            " new_records, merged, failed, summary) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                run_id,
                source,
                kind,
                started_at,
                now(),
                status,
                int(summary.get("new_records") or 0),
                int(summary.get("merged") or 0),
                failed,
                json.dumps(summary, ensure_ascii=False, sort_keys=True),
            ],
        )
        log_id = int(cursor.lastrowid or 0)
        changes = [(w, "new") for w in sorted(set(new_work_ids))]
        new = {w for w, _ in changes}
        changes += [(w, "merged") for w in sorted(set(merged_work_ids) - new)]
        for work_id, change in changes:
            row = self.db.execute(
                "SELECT citation_key FROM works WHERE id = ?", [work_id]
            ).fetchone()
            if row is None:  # joined into another work in the same run
                continue
            self.db.execute(
                "INSERT OR IGNORE INTO sync_log_works (log_id, work_id, change, key)"
                " VALUES (?,?,?,?)",
                [log_id, work_id, change, row[0]],
            )
        return log_id

    def log_since(self, since: str | None, source: str | None = None) -> list[dict[str, Any]]:
        """Every logged source run that finished at or after ``since`` (ISO time), oldest first,
        with its works: their citation keys as they are now (enrichment may have given a
        provisional key its real one), else as they were."""
        sql = "SELECT * FROM sync_log WHERE finished_at >= ?"
        params: list[Any] = [since or ""]
        if source:
            sql += " AND source = ?"
            params.append(source)
        entries = []
        for row in self.db.query(sql + " ORDER BY id", params):
            works = [
                {"work": w, "change": change, "key": current or key, "title": title}
                for w, change, key, current, title in self.db.execute(
                    "SELECT l.work_id, l.change, l.key, w.citation_key, w.title"
                    " FROM sync_log_works l LEFT JOIN works w ON w.id = l.work_id"
                    " WHERE l.log_id = ? ORDER BY l.change DESC, l.key",
                    [row["id"]],
                )
            ]
            entries.append(dict(row) | {"summary": json.loads(row["summary"]), "works": works})
        return entries

    def last_logs(self) -> dict[str, dict[str, Any]]:
        """The latest run of every source that harvested (a run that found the source busy
        and skipped it brought nothing and says nothing about the source)."""
        return {
            row["source"]: dict(row)
            for row in self.db.query(
                "SELECT * FROM sync_log WHERE id IN (SELECT max(id) FROM sync_log"
                " WHERE status != 'skipped' GROUP BY source)"
            )
        }

    def forget_source(self, source: str) -> None:
        self.db.execute("DELETE FROM sync_items WHERE source = ?", [source])


__all__ = ["StoredItem", "StoredOaiRecord", "SyncState"]
