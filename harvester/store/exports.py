"""Auto-exports (path, format, selection), each work's cached rendered entry per export
variant (schema m003, m011), and the layout of the file each auto-export last wrote (m013):
the SQL of :mod:`harvester.ops.autoexport`.

What another engine needs: a table of exports and a table of ``(variant, work_id)`` ->
``(fingerprint, text)``; the validity test (the cached fingerprint equals the work's CSL hash
and key) is one join, so an unchanged library is exported without reading its works.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

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
            for row in self._db.conn.execute("SELECT id FROM auto_exports WHERE path = ?", [path]):
                self._drop_layout(row[0])
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
        # The CSL's UTF-8 bytes as stored, not a str: the decoder reads UTF-8, so the text
        # would only be encoded back (a UTF-16 database, never made by harvester, gives text).
        column = "CAST(csl AS BLOB)" if self._utf8() else "csl"
        rows = self._db.conn.execute(
            f"SELECT citation_key, {column} FROM works ORDER BY citation_key"
        )
        loads = _csl_loads()
        for key, csl in rows:
            yield key, loads(csl)

    def _utf8(self) -> bool:
        return str(self._db.conn.execute("PRAGMA encoding").fetchone()[0]).upper() == "UTF-8"

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
        """Drop the cached entries of variants no auto-export uses any more. The variants
        cached are found by walking the index one variant at a time (a DELETE ... NOT IN
        read every cached entry: 10 s on three 100k exports after every change)."""
        keep = set(keep_variants)
        cached = []
        row = self._db.conn.execute(
            "SELECT variant FROM export_entries ORDER BY variant LIMIT 1"
        ).fetchone()
        while row is not None:
            cached.append(row[0])
            row = self._db.conn.execute(
                "SELECT variant FROM export_entries WHERE variant > ? ORDER BY variant LIMIT 1",
                [row[0]],
            ).fetchone()
        unused = [variant for variant in cached if variant not in keep]
        if unused:
            with self._library.write():
                self._db.conn.executemany(
                    "DELETE FROM export_entries WHERE variant = ?", [(v,) for v in unused]
                )

    def heads(self, variant: str, work_ids: Iterable[int]) -> list[ExportHead]:
        """:meth:`entries` for the works ``work_ids`` alone (those a change touched)."""
        ids = list(work_ids)
        heads: list[ExportHead] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = self._db.conn.execute(
                f"""
                SELECT w.id, w.citation_key, w.csl_hash,
                       CASE WHEN p.fingerprint = w.csl_hash || char(31) || w.citation_key
                            THEN p.text END AS cached,
                       CASE WHEN p.fingerprint = w.csl_hash || char(31) || w.citation_key
                            THEN NULL ELSE w.csl END AS csl
                FROM works w
                LEFT JOIN export_entries p ON p.variant = ? AND p.work_id = w.id
                WHERE w.id IN ({",".join("?" * len(chunk))})
                """,
                [variant, *chunk],
            )
            heads.extend(ExportHead(*row) for row in rows)
        return heads

    def forget_entries_of(self, variant: str, work_ids: Iterable[int]) -> None:
        """Drop the cached entries of works that are gone (what ``save_entries``' prune does
        for the whole table, for the works a splice saw go)."""
        with self._library.write():
            self._db.conn.executemany(
                "DELETE FROM export_entries WHERE variant = ? AND work_id = ?",
                [(variant, work_id) for work_id in work_ids],
            )

    # The layout of each auto-export's file as last written (m013): the file's state, and
    # per work its entry's key, CSL hash and length in bytes, in key order (the file's order).

    def layout(self, export_id: int) -> FileLayout | None:
        row = self._db.conn.execute(
            "SELECT written_as, size, mtime_ns, ends, entries, seq FROM export_files"
            " WHERE export_id = ?",
            [export_id],
        ).fetchone()
        return None if row is None else FileLayout(*row)

    def start_layout(self, export_id: int) -> int:
        """Before the file is written in full: its old layout forgotten (none can be trusted
        until the new one is saved) but its row kept, so that changes to the works go on
        being logged while it is written; returns the last change logged, which the works
        read next hold."""
        with self._library.write():
            self._db.conn.execute(
                "INSERT OR REPLACE INTO export_files"
                " (export_id, written_as, size, mtime_ns, ends, entries, seq)"
                " VALUES (?, '', -1, -1, '', 0, 0)",
                [export_id],
            )
            self._db.conn.execute("DELETE FROM export_spans WHERE export_id = ?", [export_id])
        return self.last_change()

    def _drop_layout(self, export_id: int) -> None:
        self._db.conn.execute("DELETE FROM export_files WHERE export_id = ?", [export_id])
        self._db.conn.execute("DELETE FROM export_spans WHERE export_id = ?", [export_id])

    def add_spans(self, export_id: int, spans: Iterable[Span]) -> None:
        """Entries of a file being written in full (its layout is saved at the end)."""
        with self._library.write():
            self._db.conn.executemany(
                "INSERT OR REPLACE INTO export_spans"
                " (export_id, work_id, citation_key, csl_hash, length) VALUES (?, ?, ?, ?, ?)",
                [(export_id, *span) for span in spans],
            )

    def save_layout(self, export_id: int, layout: FileLayout) -> None:
        with self._library.write():
            self._db.conn.execute(
                "INSERT OR REPLACE INTO export_files"
                " (export_id, written_as, size, mtime_ns, ends, entries, seq)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [export_id, *layout],
            )

    def last_change(self) -> int:
        """The number of the last change to the works logged (0: none yet)."""
        row = self._db.conn.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'work_changes'"
        ).fetchone()
        return int(row[0]) if row else 0

    def changed_since(self, seq: int) -> list[int]:
        """The works inserted, deleted or changed in key or CSL after change ``seq``."""
        rows = self._db.conn.execute(
            "SELECT DISTINCT work_id FROM work_changes WHERE seq > ?", [seq]
        )
        return [row[0] for row in rows]

    def set_seq(self, export_id: int, seq: int) -> None:
        """The file holds the works as of change ``seq`` (it was found up to date)."""
        with self._library.write():
            self._db.conn.execute(
                "UPDATE export_files SET seq = ? WHERE export_id = ?", [seq, export_id]
            )

    def prune_changes(self) -> None:
        """Forget the changes every file holds (all of them when no file has a layout)."""
        with self._library.write():
            self._db.conn.execute(
                "DELETE FROM work_changes WHERE seq <= "
                "(SELECT coalesce(min(seq), (SELECT max(seq) FROM work_changes))"
                " FROM export_files)"
            )

    def span_keys(self, export_id: int) -> list[tuple[int, str, str | None]]:
        """``(work_id, key, csl_hash)`` of every entry in the file."""
        return self._db.conn.execute(
            "SELECT work_id, citation_key, csl_hash FROM export_spans WHERE export_id = ?",
            [export_id],
        ).fetchall()

    def works_keyed(self, work_ids: Iterable[int]) -> list[tuple[int, str, str | None]]:
        """``(work_id, key, csl_hash)`` of the works ``work_ids`` that exist."""
        ids = list(work_ids)
        found: list[tuple[int, str, str | None]] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            found.extend(
                self._db.conn.execute(
                    "SELECT id, citation_key, csl_hash FROM works"
                    f" WHERE id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
            )
        return found

    def spans_of(
        self, export_id: int, work_ids: Iterable[int]
    ) -> list[tuple[int, str, str | None, int]]:
        """``(work_id, key, csl_hash, length)`` of the entries of ``work_ids`` in the file."""
        ids = list(work_ids)
        found: list[tuple[int, str, str | None, int]] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            found.extend(
                self._db.conn.execute(
                    "SELECT work_id, citation_key, csl_hash, length FROM export_spans"
                    " WHERE export_id = ?"
                    f" AND work_id IN ({','.join('?' * len(chunk))})",
                    [export_id, *chunk],
                )
            )
        return found

    def before(self, export_id: int, key: str) -> tuple[int, int]:
        """How many entries of the file sort before ``key`` (in the file's order, the works'
        NOCASE key order) and their total length in bytes: where ``key``'s entry starts."""
        count, total = self._db.conn.execute(
            "SELECT count(*), total(length) FROM export_spans"
            " WHERE export_id = ? AND citation_key < ?",
            [export_id, key],
        ).fetchone()
        return int(count), int(total)

    def replace_spans(self, export_id: int, removed: Iterable[int], added: Iterable[Span]) -> None:
        """After a splice: the entries taken out, and those put in."""
        with self._library.write():
            self._db.conn.executemany(
                "DELETE FROM export_spans WHERE export_id = ? AND work_id = ?",
                [(export_id, work_id) for work_id in removed],
            )
        self.add_spans(export_id, added)


_CHUNK = 500  # ids per IN (...): well under SQLite's variable limit


@cache
def _csl_loads() -> Callable[[bytes | str], Any]:
    """``json.loads`` of a work's CSL as the store writes it (UTF-8 JSON text), by msgspec's
    decoder: a quarter less CPU than the standard library's scanner, and it takes the bytes
    as stored, so no str of the whole text is made first. Where it takes a text, its value is
    ``json.loads``' (integers of any size included: the tests compare them); what it refuses
    (NaN, Infinity, numbers past a float's range, escaped lone surrogates, malformed text)
    goes through ``json.loads`` itself, which takes the first four and raises on the last.
    Imported here, not with the store: only an export needs it (10-20 ms of start-up)."""
    import msgspec

    decode = msgspec.json.Decoder().decode
    refused = msgspec.DecodeError

    def loads(data: bytes | str) -> Any:
        try:
            return decode(data)
        except refused:
            return json.loads(data if isinstance(data, str) else data.decode("utf-8"))

    return loads


def _loads(data: bytes | str) -> Any:
    """One CSL text decoded as :meth:`AutoExports.keyed_csl` decodes it."""
    return _csl_loads()(data)


class Span(NamedTuple):
    """One entry in an auto-export's file: whose, rendered from what, how many bytes."""

    work_id: int
    key: str
    csl_hash: str | None
    length: int


class FileLayout(NamedTuple):
    """An auto-export's file as harvester last wrote it (m013 ``export_files``)."""

    written_as: str  # the entry variant, format and selection it was written as
    size: int
    mtime_ns: int
    ends: str  # hash of the first and last 64 KiB
    entries: int
    seq: int  # the last change to the works (m013 work_changes) the file holds


@dataclass(slots=True)
class ExportHead:
    """A work as an incremental export sees it: ``cached`` is its valid rendered entry, or
    None with ``csl`` (the stored JSON text) to render it from."""

    work_id: int
    key: str
    csl_hash: str | None
    cached: str | None
    csl: str | None
