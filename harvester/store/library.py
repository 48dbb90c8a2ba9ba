"""The library object: every read and write of the SQLite file goes through here."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from harvester.errors import LibraryBusy, NoLibrary, StoreError
from harvester.memory import release_free_memory
from harvester.store._sqlite_utils import Database
from harvester.store.forms import Forms, rules_version
from harvester.store.fts_query import to_fts5
from harvester.store.process_identity import ProcessId, is_gone, this_process
from harvester.store.schema import migrations
from records.identity import index_rows
from records.merge import Member, MemberKind, Merged, merge
from records.model import CSLItem, Record
from records.normalize.dates import year_of

if TYPE_CHECKING:
    from harvester.store.enrichment import Enrichment
    from harvester.store.exports import AutoExports
    from harvester.store.leases import Leases
    from harvester.store.sync_state import SyncState
    from records.dedup.keys import Prepared

# What the engine raises when the file itself fails (disk full, I/O error, a lock held past
# the busy timeout): callers stop a run on these without knowing which engine it is.
ENGINE_ERRORS: tuple[type[Exception], ...] = (sqlite3.OperationalError,)
# Ids per "IN (...)" statement: well under SQLite's bound on variables (999 in old builds).
_IN_CHUNK = 500
# SQLite's busy timeout for a statement. Writers queue for each other in `Library.write`,
# which waits as long as it must (or `wait_limit`), saying so: imports commit in batches of a
# few seconds, so a waiting writer gets its turn between two batches of another.
BUSY_TIMEOUT_S = 30.0
# How long a writer tries quietly before it says it waits, and how long one try lasts.
_QUIET_WAIT_S = 2.0
_WAIT_STEP_S = 5.0
# How long a run stopped by SIGTERM or Ctrl-C waits to write its end before it goes anyway.
_INTERRUPTED_WAIT_S = 3.0
# A little longer than SQLite's longest sleep between two tries of a waiting writer (100 ms).
_YIELD_S = 0.11
# SQLite's page cache per connection, in KiB (the default is 2 MB). A fixed bound that fills
# as the library grows; HARVESTER_PAGE_CACHE_KB sets another (the memory tests take SQLite's
# default, so that what grows with a file is not hidden under the cache filling).
PAGE_CACHE_KB = 64 * 1024


# The settings row naming the deduplication rules the library was last clustered under.
RULES_SETTING = "dedup_rules"


def _page_cache_kb() -> int:
    try:
        value = int(os.environ.get("HARVESTER_PAGE_CACHE_KB", ""))
    except ValueError:
        return PAGE_CACHE_KB
    return value if value > 0 else PAGE_CACHE_KB


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def csl_hash(csl_text: str) -> str:
    """The fingerprint of a work's stored CSL text: cached export entries are keyed by it."""
    return hashlib.blake2b(csl_text.encode("utf-8"), digest_size=12).hexdigest()


def record_label(origin: str, position: int | None, source_id: str | None, format: str) -> str:
    """How `show` names a source record: "examples/radosa.txt (record 1, vufind-text)"."""
    place = f"record {position}" if position else "record"
    if source_id:
        place += f" '{source_id}'"
    return f"{origin} ({place}, {format})"


def new_member(record: Record, record_id: int) -> Member:
    """An imported record as the merge sees it, before it is read back from the store."""
    source = record.source
    return Member(
        record_id=record_id,
        kind="input",
        format=source.format,
        csl=record.csl,
        label=record_label(source.origin, source.position, source.id, source.format),
        issn_kinds=record.issn_kinds,
    )


@dataclass(frozen=True, slots=True)
class StoredRecord:
    id: int
    kind: str
    format: str
    origin: str
    source_id: str | None
    position: int | None
    line: int | None
    raw: str
    csl: CSLItem
    beside: dict[str, Any]
    work_id: int | None
    imported_at: str
    joined: dict[str, Any] | None = None  # why it joined its work (dedup evidence)

    def label(self) -> str:
        return record_label(self.origin, self.position, self.source_id, self.format)

    def as_member(self) -> Member:
        return Member(
            record_id=self.id,
            kind=cast(MemberKind, self.kind),
            format=self.format,
            csl=self.csl,
            label=self.label(),
            issn_kinds=self.beside.get("issn_kinds", {}),
        )


@dataclass(slots=True)
class NewRecord:
    """An imported record on its way into the store, with everything derived from the record
    alone: its comparison form and blocking keys (dedup), its content hash and its JSON texts.
    Computed where the record was parsed, possibly in a worker process
    (:mod:`harvester.ops.parse_worker`); the store adds its id, work and why it joined."""

    record: Record
    form: Prepared
    content_hash: str
    blocking_keys: list[str]
    csl_json: str
    beside_json: str
    id: int = 0
    work_id: int | None = None
    run_id: int | None = None
    joined: dict[str, Any] | None = None
    origin_path: str | None = None  # the absolute path of the origin, when it is a local file

    @classmethod
    def of(cls, record: Record) -> NewRecord:
        # Imported here: commands that only read (search, show, export) never load dedup.
        from records.dedup import blocking_keys, prepare

        form = prepare(record.csl)
        return cls(
            record=record,
            form=form,
            content_hash=record.content_hash(),
            blocking_keys=sorted(blocking_keys(form)),
            csl_json=json.dumps(record.csl, ensure_ascii=False),
            beside_json=json.dumps(
                {"issn_kinds": record.issn_kinds, "original": record.original},
                ensure_ascii=False,
            ),
        )


@dataclass(frozen=True, slots=True)
class WorkRow:
    id: int
    key: str
    csl: CSLItem
    provenance: dict[str, Any]
    beside: dict[str, Any]
    enrichment: str
    enrichment_reason: str | None
    created_at: str
    updated_at: str


def _record_row(row: dict[str, Any]) -> StoredRecord:
    return StoredRecord(
        id=row["id"],
        kind=row["kind"],
        format=row["format"],
        origin=row["origin"],
        source_id=row["source_id"],
        position=row["position"],
        line=row["line"],
        raw=row["raw"],
        csl=json.loads(row["csl"]),
        beside=json.loads(row["beside"]),
        work_id=row["work_id"],
        imported_at=row["imported_at"],
        joined=json.loads(row["joined"]) if row.get("joined") else None,
    )


def _work_row(row: dict[str, Any]) -> WorkRow:
    return WorkRow(
        id=row["id"],
        key=row["citation_key"],
        csl=json.loads(row["csl"]),
        provenance=json.loads(row["provenance"]),
        beside=json.loads(row["beside"]),
        enrichment=row["enrichment"],
        enrichment_reason=row["enrichment_reason"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class BoundedCache:
    """A small map (record id -> derived value) with a fixed number of entries, so that memory
    stays bounded however large the library is. Once full it keeps what it holds. An import's
    batch looks up the form of every record in the blocks it touches, tens of millions of
    lookups over a large import: a least-recently-used cache hit a little more often (6 % fewer
    forms read at 100k records) but its bookkeeping on every lookup cost more than those reads
    (docs/dedup-speed.md, third pass)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: dict[int, Any] = {}

    def get(self, key: int) -> Any:
        return self._items.get(key)

    def put(self, key: int, value: Any) -> Any:
        if len(self._items) < self.size or key in self._items:
            self._items[key] = value
        return value

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


# Comparison forms kept per open library (see harvester.ops.dedup): 3.7 KB each, so some 75 MB
# however large the library. Candidates come from anywhere in the library: a form not here is
# read from the store (harvester.store.forms: ~45 us, against ~200 us to derive it from the
# CSL), which made a cache of every form (100k, 370 MB) a cost in memory more than a saving.
PREPARED_CACHE_SIZE = 20_000
# Screens (records.dedup.keys.Screen: the values triage's first steps read) kept per open
# library, ~0.33 KB each (measured, strings and the cache's entry included): up to ~85 MB.
# With them an import's batch reads the full forms of the few candidates passing the screens
# only (harvester.ops.dedup, docs/dedup-speed.md, fourth pass).
SCREEN_CACHE_SIZE = 250_000


_NO_ISSN_KINDS = json.dumps({"issn_kinds": {}})


def _authors_text(csl: CSLItem) -> str:
    names = []
    for name in csl.get("author") or []:
        family, given = name.get("family"), name.get("given")
        names.append(
            name.get("literal")
            or (f"{family} {given}" if family and given else family or given or "")
        )
    return "; ".join(names)


class KeyTest:
    """``taken(key)`` for the citation keys of one batch of new works: the stored keys were
    asked once (``taken``/``free``: lower-cased keys known to be in use or not), keys given
    out in the batch are claimed (:meth:`claim`), and anything else (a suffixed variant) is asked."""

    def __init__(self, library: Library, taken: set[str], free: set[str]) -> None:
        self._library, self._taken, self._free = library, taken, free

    def __call__(self, key: str) -> bool:
        lowered = key.lower()
        if lowered in self._taken:
            return True
        if lowered in self._free:
            return False
        return self._library.key_taken(key)

    def claim(self, key: str) -> str:
        lowered = key.lower()
        self._taken.add(lowered)
        self._free.discard(lowered)
        return key


class Library:
    """One SQLite library file. Use as a context manager, or call :meth:`close`."""

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = True,
        on_wait: Callable[[str], None] | None = None,
        wait_limit: float | None = None,
    ) -> None:
        """Open the library at ``path``; a missing file is created (with its folders) only
        when ``create`` (commands that add records), else :class:`NoLibrary` is raised."""
        self.path = Path(path)
        # Whether this opening made the file (`add` says so: a typo in --db shows at once).
        self.created = not self.path.exists()
        if self.created and not create:
            raise NoLibrary(self.path)
        # Told once per wait that another process is writing (the CLI prints it); a wait past
        # `wait_limit` seconds raises LibraryBusy (cron runs skip then), None: wait as long
        # as it takes.
        self.on_wait = on_wait
        self.wait_limit = wait_limit
        self._said_waiting = False  # once per process is enough: batches wait again and again
        self._held_s = 0.0  # how long the last write transaction held the lock
        # Derived values of stored source records (their dedup comparison forms), valid while
        # the file is open: source records are immutable once stored.
        self.prepared_cache = BoundedCache(PREPARED_CACHE_SIZE)
        self.screen_cache = BoundedCache(SCREEN_CACHE_SIZE)
        # The folders this opening makes, deepest first: removed again with an empty library
        # this process created (`remove_files`), so a failed command leaves nothing behind.
        self._made_dirs = [d for d in (self.path.parent, *self.path.parent.parents) if not d.exists()]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are explicit (see `write`), so a read never holds
            # a lock and a write takes the write lock up front instead of failing half-way.
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            # A larger page cache than the default 2 MB: dedup reads and inserts blocking keys
            # all over their index, which at 100k records is some 30 MB.
            conn.execute(f"PRAGMA cache_size = -{_page_cache_kb()}")
            self.db = Database(conn)
            if migrations.pending(self.db):
                with self.write():
                    migrations.apply(self.db)
                    if self.created:  # clustered under these rules from its first record
                        self._put_setting(RULES_SETTING, rules_version())
            self.forms = Forms(self.db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a harvester library ({exc})") from exc
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the library: {exc.strerror}") from exc

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def write(self) -> Iterator[Library]:
        """One write transaction: all of it is stored, or (on any error) none of it."""
        conn = self.db.conn
        if conn.in_transaction:  # nested: a savepoint inside the outer transaction
            try:
                with self.db.atomic():
                    yield self
            except BaseException:
                self.prepared_cache.clear()
                self.screen_cache.clear()
                raise
            return
        self._begin()
        locked_at = time.monotonic()
        try:
            yield self
        except BaseException as exc:
            conn.execute("ROLLBACK")
            # Rolled-back records' ids may be handed out again: forget what was derived.
            self.prepared_cache.clear()
            self.screen_cache.clear()
            if isinstance(exc, sqlite3.OperationalError):  # disk full, I/O error: the shell's
                raise StoreError(f"{self.path}: cannot write the library ({exc})") from exc
            raise
        else:
            conn.execute("COMMIT")
        finally:
            self._held_s = time.monotonic() - locked_at

    def let_others_in(self) -> None:
        """Between two transactions of one long job (the batches of an import): pause long
        enough that a writer waiting in SQLite's busy handler, which tries again every 100 ms
        at most, takes the lock, so writers interleave instead of one waiting for the whole
        job. The pause is a twentieth of the last transaction's hold, at most 110 ms: at most
        5 % of a long import, nothing for short transactions. The pause also gives the heap
        the batch freed back to the system (:mod:`harvester.memory`), so that a long job's
        memory stays that of one batch."""
        pause = min(_YIELD_S, self._held_s / 20)
        started = time.monotonic()
        release_free_memory()
        time.sleep(max(0.0, pause - (time.monotonic() - started)))

    def _begin(self) -> None:
        """``BEGIN IMMEDIATE``, waiting for other writers as long as they write (see
        :data:`BUSY_TIMEOUT_S`); one line through ``on_wait`` the first time a wait is
        noticeable."""
        conn = self.db.conn
        started = time.monotonic()
        told = False
        try:
            while True:
                waited = time.monotonic() - started
                step = _QUIET_WAIT_S if not told else _WAIT_STEP_S
                if self.wait_limit is not None:
                    if waited >= self.wait_limit:
                        raise LibraryBusy(
                            f"{self.path}: another harvester process kept writing for more "
                            f"than {self.wait_limit:g} s"
                        )
                    step = max(0.05, min(step, self.wait_limit - waited))
                conn.execute(f"PRAGMA busy_timeout = {int(step * 1000)}")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise StoreError(f"{self.path}: cannot write the library ({exc})") from exc
                if not told and not self._said_waiting and self.on_wait is not None:
                    self._said_waiting = True
                    self.on_wait(
                        f"waiting for another harvester process to finish writing {self.path} ..."
                    )
                told = True
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

    @contextmanager
    def patient(self, limit: float | None = None) -> Iterator[Library]:
        """Writes inside wait without ``wait_limit`` (or at most ``limit`` seconds): what ends a
        run (its log line, releasing a lease) is small and must be written, however long
        another writer takes; unless the run was told to stop (SIGTERM, Ctrl-C), which must
        not keep it waiting."""
        previous, self.wait_limit = self.wait_limit, limit
        try:
            yield self
        finally:
            self.wait_limit = previous

    # -- runs -------------------------------------------------------------------------------

    def start_run(self, command: str) -> int:
        """Log a run as ``running`` under this process; runs left ``running`` by processes
        that are gone (killed, or the machine rebooted) are marked ``interrupted`` first."""
        me = this_process()
        with self.write():
            self._mark_interrupted()
            return int(
                self.db.table("runs")
                .insert(
                    {
                        "command": command,
                        "started_at": now(),
                        "status": "running",
                        "pid": me.pid,
                        "host": me.host,
                        "boot_id": me.boot_id,
                        "process_started": me.started,
                    }
                )
                .last_pk
                or 0
            )

    def _mark_interrupted(self) -> None:
        rows = self.db.execute(
            "SELECT id, pid, host, boot_id, process_started FROM runs WHERE status = 'running'"
        ).fetchall()
        gone = [
            run_id
            for run_id, pid, host, boot, started in rows
            # Runs logged before hosts were recorded are judged on this host: the pid alone.
            if pid is not None
            and is_gone(ProcessId(pid, host or this_process().host, boot, started))
        ]
        self.db.conn.executemany(
            "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ?",
            [(now(), run_id) for run_id in gone],
        )

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest runs, newest first."""
        return list(self.db.query("SELECT * FROM runs ORDER BY id DESC LIMIT ?", [limit]))

    def finish_run(self, run_id: int, status: str, summary: dict[str, Any]) -> None:
        """Record how a run ended. An interrupted run waits for another writer a few seconds
        at most, then leaves its line as it is (a later run marks it: its pid is gone)."""
        interrupted = status == "interrupted"
        try:
            with self.patient(_INTERRUPTED_WAIT_S if interrupted else None), self.write():
                self.db.table("runs").update(
                    run_id,
                    {"finished_at": now(), "status": status, "summary": json.dumps(summary)},
                )
        except LibraryBusy:
            if not interrupted:
                raise

    # -- source records ---------------------------------------------------------------------

    def has_record(self, content_hash: str) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM source_records WHERE content_hash = ?", [content_hash]
            ).fetchone()
            is not None
        )

    def stored_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Which of these content hashes are stored already (re-imports are no-ops)."""
        return {
            row[0]
            for row in self.rows_in(
                "SELECT content_hash FROM source_records WHERE content_hash IN ({marks})", hashes
            )
        }

    def next_record_id(self) -> int:
        """The id the next stored record gets. Only meaningful inside :meth:`write`, which holds
        the write lock, so that a batch can name its records before inserting them."""
        return int(
            self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM source_records").fetchone()[0]
        )

    def insert_records(self, rows: list[NewRecord]) -> None:
        """Store imported records verbatim under the ids they were given, with their
        identifiers and blocking keys, in a few statements (one batch of an import)."""
        stamp = now()
        self.db.conn.executemany(
            "INSERT INTO source_records (id, content_hash, kind, format, origin, source_id,"
            " position, line, raw, csl, beside, work_id, run_id, imported_at, joined,"
            " origin_path) VALUES (?,?,'input',?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    row.id,
                    row.content_hash,
                    row.record.source.format,
                    row.record.source.origin,
                    row.record.source.id,
                    row.record.source.position,
                    row.record.source.line,
                    row.record.raw,
                    row.csl_json,
                    row.beside_json,
                    row.work_id,
                    row.run_id,
                    stamp,
                    json.dumps(row.joined, ensure_ascii=False) if row.joined else None,
                    row.origin_path,
                )
                for row in rows
            ],
        )
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO identifiers (kind, value, record_id) VALUES (?,?,?)",
            [(k, v, row.id) for row in rows for k, v in index_rows(row.record.csl)],
        )
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO blocking_keys (key, record_id) VALUES (?, ?)",
            [(key, row.id) for row in rows for key in row.blocking_keys],
        )
        self.forms.put((row.id, row.form) for row in rows)

    def blocks(self, keys: Iterable[str]) -> dict[str, list[int]]:
        """The stored records under each blocking key (record ids in id order)."""
        return self.grouped_in(
            "SELECT key, record_id FROM blocking_keys WHERE key IN ({marks})"
            " ORDER BY key, record_id",
            keys,
        )

    def work_ids_of(self, record_ids: Iterable[int]) -> dict[int, int]:
        """The work of each record that is in one (detached Crossref records are not)."""
        return dict(
            self.rows_in(
                "SELECT id, work_id FROM source_records WHERE id IN ({marks})"
                " AND work_id IS NOT NULL",
                record_ids,
            )
        )

    def members_of_works(self, work_ids: Iterable[int]) -> dict[int, list[int]]:
        """The record ids of each work, in id order."""
        return self.grouped_in(
            "SELECT work_id, id FROM source_records WHERE work_id IN ({marks}) ORDER BY id",
            work_ids,
        )

    def add_record(
        self,
        record: Record,
        *,
        kind: str = "input",
        run_id: int | None = None,
        work_id: int | None = None,
    ) -> int:
        """Store one source record verbatim with its identifiers; returns its id."""
        beside = {"issn_kinds": record.issn_kinds, "original": record.original}
        cursor = self.db.execute(
            "INSERT INTO source_records (content_hash, kind, format, origin, source_id, position,"
            " line, raw, csl, beside, work_id, run_id, imported_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                record.content_hash(),
                kind,
                record.source.format,
                record.source.origin,
                record.source.id,
                record.source.position,
                record.source.line,
                record.raw,
                json.dumps(record.csl, ensure_ascii=False),
                json.dumps(beside, ensure_ascii=False),
                work_id,
                run_id,
                now(),
            ],
        )
        record_id = int(cursor.lastrowid or 0)
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO identifiers (kind, value, record_id) VALUES (?,?,?)",
            [(k, v, record_id) for k, v in index_rows(record.csl)],
        )
        return record_id

    def select_in(
        self, sql: str, ids: Iterable[int] | Iterable[str], *, dicts: bool = False
    ) -> Iterator[Any]:
        """Rows of ``sql`` (with ``{marks}`` where the ``IN (...)`` list goes) for any number
        of ids (or other values), asked in chunks: SQLite bounds the variables of one
        statement. The values are sorted, so ``ORDER BY`` the same column gives one global
        order. Tuples, or dicts."""
        ordered: list[Any] = sorted(set(ids))
        for chunk in _chunks(ordered, _IN_CHUNK):
            statement = sql.format(marks=",".join("?" * len(chunk)))
            if dicts:
                yield from self.db.query(statement, chunk)
            else:
                yield from self.db.execute(statement, chunk)

    def rows_in(self, sql: str, ids: Iterable[int] | Iterable[str]) -> list[tuple[Any, ...]]:
        """:meth:`select_in` as one list of tuples: for the hot paths of dedup, which read
        hundreds of thousands of small rows per batch."""
        rows: list[tuple[Any, ...]] = []
        conn = self.db.conn
        ordered: list[Any] = sorted(set(ids))
        for chunk in _chunks(ordered, _IN_CHUNK):
            rows.extend(conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk))
        return rows

    def grouped_in(self, sql: str, values: Iterable[int] | Iterable[str]) -> dict[Any, list[Any]]:
        """:meth:`rows_in` of ``(group, item)`` rows as ``{group: [item, ...]}``, in row order."""
        groups: dict[Any, list[Any]] = {}
        for group, item in self.rows_in(sql, values):
            groups.setdefault(group, []).append(item)
        return groups

    def doubtful_references(self, work_ids: Iterable[int]) -> dict[int, str]:
        """The verbatim reference of each of these works whose every input record is a
        reference string the model read with low confidence (``original["low_confidence"]``)."""
        found: dict[int, str] = {}
        trusted: set[int] = set()
        for work_id, raw, beside in self.rows_in(
            "SELECT work_id, raw, beside FROM source_records"
            " WHERE kind = 'input' AND work_id IN ({marks}) ORDER BY work_id, id",
            work_ids,
        ):
            if raw and json.loads(beside).get("original", {}).get("low_confidence"):
                found.setdefault(work_id, raw)
            else:
                trusted.add(work_id)
        return {work_id: raw for work_id, raw in found.items() if work_id not in trusted}

    def records(self, ids: Iterable[int]) -> list[StoredRecord]:
        """The records with these ids, in id order (any number of ids)."""
        return [
            _record_row(row)
            for row in self.select_in(
                "SELECT * FROM source_records WHERE id IN ({marks}) ORDER BY id", ids, dicts=True
            )
        ]

    def iter_records(self, kind: str = "input") -> Iterator[StoredRecord]:
        """Every record of a kind, in id order, streamed."""
        for row in self.db.query("SELECT * FROM source_records WHERE kind = ? ORDER BY id", [kind]):
            yield _record_row(row)

    def records_of_work(self, work_id: int) -> list[StoredRecord]:
        return [
            _record_row(r)
            for r in self.db.query(
                "SELECT * FROM source_records WHERE work_id = ? ORDER BY id", [work_id]
            )
        ]

    def set_joined(self, record_id: int, why: dict[str, Any] | None) -> None:
        """Remember why a record joined its work (the dedup verdict and evidence)."""
        self.db.execute(
            "UPDATE source_records SET joined = ? WHERE id = ?",
            [json.dumps(why, ensure_ascii=False) if why else None, record_id],
        )

    def move_records(self, record_ids: Iterable[int], work_id: int) -> None:
        self.db.conn.executemany(
            "UPDATE source_records SET work_id = ? WHERE id = ?", [(work_id, r) for r in record_ids]
        )

    # -- works ------------------------------------------------------------------------------

    def key_taken(self, key: str) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM works WHERE citation_key = ? COLLATE NOCASE", [key]
            ).fetchone()
            is not None
        )

    def _work_columns(
        self, merged: Merged, stamp: str | None = None, texts: tuple[str, str] | None = None
    ) -> dict[str, Any]:
        """``texts``: ``merged.csl`` and ``merged.provenance`` as JSON when the caller has them
        already."""
        csl = merged.csl
        csl_text, provenance = texts or (
            json.dumps(csl, ensure_ascii=False),
            json.dumps(merged.provenance, ensure_ascii=False),
        )
        return {
            "csl": csl_text,
            "csl_hash": csl_hash(csl_text),
            "provenance": provenance,
            "beside": (
                json.dumps({"issn_kinds": merged.issn_kinds}, ensure_ascii=False)
                if merged.issn_kinds
                else _NO_ISSN_KINDS
            ),
            "type": csl.get("type"),
            "title": csl.get("title"),
            "authors": _authors_text(csl),
            "container": csl.get("container-title"),
            "year": year_of(csl.get("issued")),
            "abstract": csl.get("abstract"),
            "updated_at": stamp or now(),
        }

    def create_works(
        self,
        works: Sequence[tuple[Merged, str, bool]],
        known: Sequence[tuple[str, str] | None] | None = None,
    ) -> list[int]:
        """New works (``(merged, key, provisional)`` each), in one statement; returns their ids
        in order. ``provisional``: the key was made without a title (a bare DOI) and is replaced
        once, when enrichment first gives the work one. ``known``: per work, its merged CSL and
        provenance as JSON when the caller has them (a work of one record: see
        :func:`harvester.ops.dedup.create_works_for`). The caller adds them to the full-text
        index with :meth:`index_works` before anything updates them. Only inside :meth:`write`,
        which holds the write lock, so that the ids can be given out here."""
        if not works:
            return []
        first_id = int(self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM works").fetchone()[0])
        stamp = now()
        texts = known or [None] * len(works)
        rows = [
            {"id": first_id + i}
            | self._work_columns(merged, stamp, text)
            | {"citation_key": key, "created_at": stamp, "key_provisional": int(provisional)}
            for i, ((merged, key, provisional), text) in enumerate(zip(works, texts, strict=True))
        ]
        columns = list(rows[0])
        self.db.conn.executemany(
            f"INSERT INTO works ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [[row[c] for c in columns] for row in rows],
        )
        return [row["id"] for row in rows]

    def key_test(self, keys: Iterable[str]) -> KeyTest:
        """A case-insensitive ``taken`` test for new citation keys (see
        :func:`records.citekeys.unique_key`) that asks the store once for all of ``keys``,
        and again only for suffixed variants of a key that is taken."""
        found = {
            row[0].lower()
            for row in self.rows_in(
                "SELECT citation_key FROM works WHERE citation_key IN ({marks})",
                {k.lower() for k in keys},
            )
        }
        return KeyTest(self, found, {k.lower() for k in keys} - found)

    def index_works(self, work_ids: Iterable[int]) -> None:
        """Add new works to the full-text index (schema m009), in one statement per chunk."""
        for chunk in _chunks(sorted(work_ids), _IN_CHUNK):
            self.db.conn.execute(
                "INSERT INTO works_fts (rowid, title, authors, container, abstract)"
                " SELECT id, title, authors, container, abstract FROM works"
                f" WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )

    def recompute_work(self, work_id: int) -> Merged | None:
        """Recompute a work from its members; a work left without imported records is removed
        (its enrichment records are detached: they rejoin when their DOI is seen again)."""
        members = self._members_of_work(work_id)
        if not any(m.kind in ("input", "edit") for m in members):
            self.db.execute("UPDATE source_records SET work_id = NULL WHERE work_id = ?", [work_id])
            self.db.execute("DELETE FROM tags WHERE work_id = ?", [work_id])
            self.db.execute("DELETE FROM works WHERE id = ?", [work_id])
            return None
        merged = merge(members)
        self._update_work(work_id, self._work_columns(merged))
        return merged

    def _members_of_work(self, work_id: int) -> list[Member]:
        """``[r.as_member() for r in self.records_of_work(work_id)]``, reading only what the
        merge needs: a work is recomputed whenever a record joins it, and its members' raw
        text, ``joined`` evidence and the rest of each row were read and decoded for nothing."""
        return [
            Member(
                record_id=record_id,
                kind=kind,
                format=format,
                csl=json.loads(csl),
                label=record_label(origin, position, source_id, format),
                issn_kinds=json.loads(beside).get("issn_kinds", {}),
            )
            for record_id, kind, format, origin, source_id, position, csl, beside in (
                self.db.conn.execute(
                    "SELECT id, kind, format, origin, source_id, position, csl, beside"
                    " FROM source_records WHERE work_id = ? ORDER BY id",
                    [work_id],
                )
            )
        ]

    def _update_work(self, work_id: int, columns: dict[str, Any]) -> None:
        self.db.conn.execute(
            f"UPDATE works SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
            [*columns.values(), work_id],
        )

    def work(self, work_id: int) -> WorkRow:
        return _work_row(self.db.table("works").get(work_id))

    def work_by_key(self, key: str) -> WorkRow | None:
        row = next(
            self.db.query("SELECT * FROM works WHERE citation_key = ? COLLATE NOCASE", [key]), None
        )
        return _work_row(row) if row else None

    def iter_works(
        self,
        *,
        keys: Iterable[str] | None = None,
        query: str | None = None,
        ids: Iterable[int] | None = None,
    ) -> Iterator[WorkRow]:
        """Works in citation-key order, all or selected by keys, a search query or ids."""
        if query is not None:
            yield from self.search(query, limit=None)
            return
        if keys is not None:
            for key in keys:
                work = self.work_by_key(key)
                if work is not None:
                    yield work
            return
        if ids is not None:
            id_list = list(ids)
            marks = ",".join("?" * len(id_list))
            rows = (
                self.db.query(
                    f"SELECT * FROM works WHERE id IN ({marks}) ORDER BY citation_key", id_list
                )
                if id_list
                else []
            )
        else:
            rows = self.db.query("SELECT * FROM works ORDER BY citation_key")
        for row in rows:
            yield _work_row(row)

    def search(self, query: str, *, limit: int | None = 50) -> list[WorkRow]:
        """Full-text search over title, authors, container and abstract, best first; the
        query language is :mod:`harvester.store.fts_query`'s (any text is a valid query)."""
        sql = (
            "SELECT works.* FROM works JOIN works_fts ON works.rowid = works_fts.rowid"
            " WHERE works_fts MATCH ? ORDER BY works_fts.rank"
        )
        params: list[Any] = [to_fts5(query)]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_work_row(r) for r in self.db.query(sql, params)]

    def set_enrichment(self, work_id: int, status: str, reason: str | None = None) -> None:
        self._update_work(work_id, {"enrichment": status, "enrichment_reason": reason})

    # -- tags and selections ------------------------------------------------------------------

    def tag(self, work_id: int, tags: Iterable[str], *, remove: bool = False) -> None:
        sql = (
            "DELETE FROM tags WHERE work_id = ? AND tag = ?"
            if remove
            else "INSERT OR IGNORE INTO tags (work_id, tag) VALUES (?, ?)"
        )
        self.db.conn.executemany(sql, [(work_id, t) for t in tags])

    def tags_of(self, work_id: int) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT tag FROM tags WHERE work_id = ? ORDER BY tag", [work_id]
            ).fetchall()
        ]

    def move_tags(self, from_work: int, to_work: int) -> None:
        """A work merged into another hands over its tags (a person's data is never lost)."""
        self.db.execute(
            "INSERT OR IGNORE INTO tags (work_id, tag) SELECT ?, tag FROM tags WHERE work_id = ?",
            [to_work, from_work],
        )
        self.db.execute("DELETE FROM tags WHERE work_id = ?", [from_work])

    def work_ids_tagged(self, tag: str) -> list[int]:
        return [
            r[0]
            for r in self.db.execute("SELECT work_id FROM tags WHERE tag = ?", [tag]).fetchall()
        ]

    def work_ids_from_origin(self, origin: str, path: str | None = None) -> list[int]:
        """Works with a record that came from ``origin`` as it was typed (a file, URL, or
        anything under a folder or endpoint of that name), or from the absolute ``path``
        (a file, or anything under a folder) however the import named it."""
        sql = (
            "SELECT DISTINCT work_id FROM source_records WHERE work_id IS NOT NULL"
            " AND (origin = ? OR substr(origin, 1, length(?) + 1) = ? || '/'"
        )
        params: list[Any] = [origin, origin, origin]
        if path:
            # A range, not substr(): the index on origin_path serves it. '0' follows '/'.
            folder = path.rstrip("/")
            sql += " OR origin_path = ? OR (origin_path > ? AND origin_path < ?)"
            params += [path, folder + "/", folder + "0"]
        return [r[0] for r in self.db.execute(sql + ")", params).fetchall()]

    def setting(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE name = ?", [name]).fetchone()
        return row[0] if row else None

    def set_setting(self, name: str, value: str) -> None:
        with self.write():
            self._put_setting(name, value)

    def _put_setting(self, name: str, value: str) -> None:
        """Inside the caller's write transaction."""
        self.db.execute("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)", [name, value])

    def check_rules(self) -> bool:
        """Whether the library holds records clustered under other deduplication rules than
        this code's (:func:`~harvester.store.forms.rules_version`; a library made before the
        rules were recorded counts as other): new blocking keys and verdicts reach them only
        through ``harvester dedupe``. A library without records takes this code's rules (they
        are recorded): what is stored next is clustered under them."""
        if self.setting(RULES_SETTING) == rules_version():
            return False
        if self.db.execute("SELECT 1 FROM source_records LIMIT 1").fetchone() is not None:
            return True
        self.set_rules_current()
        return False

    def set_rules_current(self) -> None:
        """Record that the library is clustered under this code's rules (after a re-run)."""
        self.set_setting(RULES_SETTING, rules_version())

    def key_is_provisional(self, work_id: int) -> bool:
        row = self.db.execute("SELECT key_provisional FROM works WHERE id = ?", [work_id])
        return bool(row.fetchone()[0])

    def set_key(self, work_id: int, key: str) -> None:
        self.db.execute(
            "UPDATE works SET citation_key = ?, key_provisional = 0, updated_at = ? WHERE id = ?",
            [key, now(), work_id],
        )

    def holds_nothing(self) -> bool:
        """No work, no stored record, no configured sync source: a library nobody used."""
        row = self.db.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM works) AND NOT EXISTS (SELECT 1 FROM"
            " source_records) AND NOT EXISTS (SELECT 1 FROM sync_sources)"
        ).fetchone()
        return bool(row[0])

    def remove_files(self) -> None:
        """Delete the library file (and its WAL and shared-memory files, and the folders made
        for it when they are empty); only for a library that this process created and left
        empty."""
        self.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        for folder in self._made_dirs:
            try:
                folder.rmdir()  # only if empty: something else may have been put there
            except OSError:
                break

    def is_empty(self) -> bool:
        """Whether the library holds no work."""
        return self.db.execute("SELECT 1 FROM works LIMIT 1").fetchone() is None

    def counts(self) -> dict[str, int]:
        def one(sql: str) -> int:
            return int(self.db.execute(sql).fetchone()[0])

        return {
            "works": one("SELECT count(*) FROM works"),
            "records": one("SELECT count(*) FROM source_records WHERE kind = 'input'"),
            "pending_enrichment": one("SELECT count(*) FROM works WHERE enrichment = 'pending'"),
        }

    @property
    def exports(self) -> AutoExports:
        """The auto-exports and their cached entries (:mod:`harvester.store.exports`)."""
        from harvester.store.exports import AutoExports

        return AutoExports(self)

    # The other concerns' statements, one module each (docs/architecture.md lists them).
    @property
    def sync(self) -> SyncState:
        """Sync sources, their harvest state and the run log (:mod:`harvester.store.sync_state`)."""
        from harvester.store.sync_state import SyncState

        return SyncState(self)

    @property
    def leases(self) -> Leases:
        """Which run harvests which source (:mod:`harvester.store.leases`)."""
        from harvester.store.leases import Leases

        return Leases(self)

    @property
    def enrichment(self) -> Enrichment:
        """Crossref's cached answers and the review list (:mod:`harvester.store.enrichment`)."""
        from harvester.store.enrichment import Enrichment

        return Enrichment(self)

    def sync_source_target(self, name: str) -> str | None:
        """The folder, file or endpoint of the sync source ``name`` (None: no such source)."""
        row = self.db.execute("SELECT target FROM sync_sources WHERE name = ?", [name]).fetchone()
        return None if row is None else str(row[0])
