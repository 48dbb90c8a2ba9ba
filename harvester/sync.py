"""``harvester sync``: configured sources harvested incrementally, for cron.

Sources live in the library (``sync_sources``), so the library file is the whole state.
Four kinds:

* ``folder`` / ``file``: each file's size, mtime and SHA-256 are remembered
  (``sync_files``); a file whose size and mtime did not change is skipped without being read,
  one whose content hash did not change is skipped without being parsed, and a file that
  changes while it is read is left for the next run.
* ``oai-pmh``: ListRecords with ``from`` = the ``responseDate`` of the last complete harvest
  (at the repository's granularity), page by page (:mod:`harvester.oaipmh`). Each page is
  one transaction holding its records, the per-identifier state (``sync_oai_records``) and a
  checkpoint (the resumption token), so a killed run resumes where it stopped, or restarts the
  list when the token has expired: storing is idempotent (content hash, and identifier plus
  datestamp), so nothing is lost or stored twice. ``harvested_until`` moves only in the
  transaction of the last page. Deleted records (``status="deleted"``) are recorded, never
  imported; token loops and runs of empty pages end the harvest with an error.
* ``url``: one document fetched as ``harvester add URL`` fetches it (:mod:`harvester.web`:
  charset from ``Content-Type``, size limit, content-type check, retries within a time budget)
  with ``If-None-Match`` / ``If-Modified-Since``, imported when its content hash changed.

Overlap: before harvesting a source a run takes its lease (:mod:`harvester.leases`) and
renews it while working. A run that finds a live lease skips the source (that is not a
failure); a lease whose holder is gone (expired, or its pid dead on this host) is taken over.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from harvester.http import make_client
from harvester.leases import (
    LEASE_TTL_S,
    Holder,
    Lease,
    LeaseLost,
    acquire_lease,
    release_lease,
    renew_lease,
)
from harvester.oaipmh import (
    BadResumptionToken,
    HarvestError,
    OAIClient,
    Page,
    RetryPolicy,
    format_datestamp,
)
from harvester.pipeline import RUN_ERRORS, ImportReport, store_records, unexpected_failure
from harvester.sources import folder_files, local_path
from harvester.store import Library
from harvester.store.library import now
from harvester.web import fetch_if_changed
from records.errors import HarvesterError, InputError, UsageError
from records.parsers import get_parser, parse_bytes, parse_text

KINDS = ("folder", "file", "oai-pmh", "url")
# OAI-PMH metadataPrefix -> the parser that reads it.
METADATA_PREFIXES = {"oai_dc": "oai_dc", "marc21": "marcxml", "marcxml": "marcxml"}
# Names that would read as `harvester sync` subcommands.
RESERVED_NAMES = frozenset({"add", "list", "remove", "run"})
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

MAX_EMPTY_PAGES = 10
MAX_LIST_RESTARTS = 2

Progress = Callable[[str], None]


# -- configuration ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyncSource:
    """One configured source and its harvest state."""

    name: str
    kind: str
    target: str
    set_spec: str | None = None
    metadata_prefix: str | None = None
    created_at: str = ""
    granularity: str | None = None
    harvested_until: str | None = None
    resume_token: str | None = None
    resume_from: str | None = None
    resume_until: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    last_run_at: str | None = None
    last_status: str | None = None
    last_error: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SyncSource:
        return cls(**{k: row[k] for k in cls.__dataclass_fields__})

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "target": self.target,
            "set": self.set_spec,
            "metadata_prefix": self.metadata_prefix,
            "harvested_until": self.harvested_until,
            "checkpoint": bool(self.resume_token),
            "last_run_at": self.last_run_at,
            "last_status": self.last_status,
            "last_error": self.last_error,
        }


def _guess_kind(target: str) -> str:
    if re.match(r"^https?://", target, re.I):
        return "oai-pmh"
    path = Path(target).expanduser()
    if path.is_dir():
        return "folder"
    if path.is_file():
        return "file"
    raise UsageError(f"{target}: no such file or folder (and not an http(s) URL)")


def add_source(
    library: Library,
    name: str,
    target: str,
    *,
    kind: str | None = None,
    set_spec: str | None = None,
    metadata_prefix: str | None = None,
) -> SyncSource:
    """Configure a source; raises :class:`UsageError` for a bad name, kind or option."""
    if not _NAME_RE.match(name) or name in RESERVED_NAMES:
        raise UsageError(
            f"bad source name {name!r}: use letters, digits, '.', '_' or '-'"
            + (f" (and not {', '.join(sorted(RESERVED_NAMES))})" if name in RESERVED_NAMES else "")
        )
    kind = kind or _guess_kind(target)
    if kind not in KINDS:
        raise UsageError(f"unknown source kind {kind!r}; known: {', '.join(KINDS)}")
    if kind != "oai-pmh" and (set_spec or metadata_prefix):
        raise UsageError("--set and --metadata-prefix are for oai-pmh sources only")
    if kind in ("oai-pmh", "url"):
        if not re.match(r"^https?://\S+$", target, re.I):
            raise UsageError(f"{target}: a {kind} source needs an http(s) URL")
    else:
        path = Path(target).expanduser().resolve()
        if kind == "folder" and not path.is_dir():
            raise UsageError(f"{target}: no such folder")
        if kind == "file" and not path.is_file():
            raise UsageError(f"{target}: no such file")
        target = str(path)  # cron runs elsewhere: keep the absolute path
    if kind == "oai-pmh":
        metadata_prefix = metadata_prefix or "oai_dc"
        if metadata_prefix not in METADATA_PREFIXES:
            raise UsageError(
                f"unsupported metadata prefix {metadata_prefix!r}; "
                f"supported: {', '.join(METADATA_PREFIXES)}"
            )
        try:
            get_parser(METADATA_PREFIXES[metadata_prefix])
        except UsageError:
            raise UsageError(
                f"metadata prefix {metadata_prefix!r} needs the "
                f"{METADATA_PREFIXES[metadata_prefix]} parser, which this build lacks"
            ) from None
    with library.write():
        if get_source(library, name) is not None:
            raise UsageError(f"a source named {name!r} exists (remove it first)")
        library.db.table("sync_sources").insert(
            {
                "name": name,
                "kind": kind,
                "target": target,
                "set_spec": set_spec,
                "metadata_prefix": metadata_prefix,
                "created_at": now(),
            }
        )
    source = get_source(library, name)
    assert source is not None
    return source


def get_source(library: Library, name: str) -> SyncSource | None:
    row = next(library.db.query("SELECT * FROM sync_sources WHERE name = ?", [name]), None)
    return SyncSource.from_row(row) if row else None


def list_sources(library: Library) -> list[SyncSource]:
    return [
        SyncSource.from_row(r) for r in library.db.query("SELECT * FROM sync_sources ORDER BY name")
    ]


def remove_source(library: Library, name: str) -> bool:
    """Forget a source and its harvest state (the records it brought in stay)."""
    with library.write():
        for table in ("sync_files", "sync_oai_records", "sync_leases"):
            library.db.execute(f"DELETE FROM {table} WHERE source = ?", [name])
        cursor = library.db.execute("DELETE FROM sync_sources WHERE name = ?", [name])
        return cursor.rowcount > 0


# -- reports ----------------------------------------------------------------------------------


@dataclass(slots=True)
class SourceReport:
    """What one source's harvest did."""

    name: str
    kind: str
    status: str = "done"  # done | skipped | failed
    error: str | None = None
    imported: ImportReport = field(default_factory=ImportReport)
    files_read: int = 0
    files_unchanged: int = 0
    files_changing: int = 0
    deleted: int = 0
    pages: int = 0
    requests: int = 0
    retries: int = 0
    restarts: int = 0
    resumed: bool = False
    harvested_from: str | None = None
    harvested_until: str | None = None
    held_by: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed" or bool(self.imported.failures)

    def messages(self) -> list[str]:
        """Every failure of this source, one line each, naming the source."""
        lines = [self.error] if self.error else []
        lines.extend(f"{self.name}: {f}" for f in self.imported.failures)
        return lines

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "kind": self.kind, "status": self.status}
        if self.error:
            data["error"] = self.error
        if self.held_by:
            data["held_by"] = self.held_by
        data.update(self.imported.as_dict())
        data["failures"] = self.messages()
        data["failed"] = len(data["failures"])
        if self.kind in ("folder", "file"):
            data.update(
                files_read=self.files_read,
                files_unchanged=self.files_unchanged,
                files_changing=self.files_changing,
            )
        if self.kind == "oai-pmh":
            data.update(
                deleted=self.deleted,
                pages=self.pages,
                requests=self.requests,
                retries=self.retries,
                restarts=self.restarts,
                resumed=self.resumed,
                harvested_from=self.harvested_from,
                harvested_until=self.harvested_until,
            )
        return data


@dataclass(slots=True)
class SyncReport:
    sources: list[SourceReport] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0: all harvested or skipped; 1: some source or record failed."""
        return 1 if any(s.failed for s in self.sources) else 0

    @property
    def touched_work_ids(self) -> set[int]:
        return set().union(*(s.imported.touched_work_ids for s in self.sources))

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": [s.as_dict() for s in self.sources],
            "new_records": sum(s.imported.new_records for s in self.sources),
            "failed_sources": sum(s.status == "failed" for s in self.sources),
            "skipped_sources": sum(s.status == "skipped" for s in self.sources),
        }


@dataclass(slots=True)
class SyncOptions:
    """Knobs of a sync run; the defaults are what cron gets."""

    full: bool = False  # ignore file state and OAI `from`: look at everything again
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    lease_ttl: float = LEASE_TTL_S
    formula: str | None = None
    progress: Progress | None = None


# -- the run ----------------------------------------------------------------------------------


def run_sync(
    library: Library, names: list[str] | None = None, options: SyncOptions | None = None
) -> SyncReport:
    """Harvest the named sources (default: all), each under its lease; never raises for one
    source's failure (it is in the report), only for usage and store errors."""
    options = options or SyncOptions()
    sources = list_sources(library)
    if names:
        known = {s.name for s in sources}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise UsageError(
                f"no sync source named {', '.join(unknown)} (see `harvester sync list`)"
            )
        sources = [s for s in sources if s.name in names]
    report = SyncReport()
    run_id = library.start_run("sync " + " ".join(s.name for s in sources))
    status = "failed"
    try:
        for source in sources:
            report.sources.append(_sync_one(library, source, run_id, options))
        status = "done"
    finally:
        library.finish_run(run_id, status, report.as_dict())
    return report


def _sync_one(
    library: Library, source: SyncSource, run_id: int, options: SyncOptions
) -> SourceReport:
    report = SourceReport(source.name, source.kind)
    lease = acquire_lease(library, source.name, options.lease_ttl)
    if isinstance(lease, Holder):
        report.status = "skipped"
        report.held_by = lease.describe()
        return report
    heartbeat = _Heartbeat(library, lease, options.lease_ttl)
    finished = False
    try:
        if source.kind in ("folder", "file"):
            _sync_files(library, source, run_id, options, report, heartbeat)
        elif source.kind == "oai-pmh":
            _sync_oai(library, source, run_id, options, report, heartbeat)
        elif source.kind == "url":
            _sync_url(library, source, run_id, options, report, heartbeat)
        else:
            raise HarvestError(f"unknown source kind {source.kind!r}")
    except Exception as exc:  # one source's failure, whatever it is: the next sources still run
        if isinstance(exc, HarvesterError):
            message = str(exc)
        elif isinstance(exc, OSError):
            message = f"{exc.strerror or exc}"
        else:
            message = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        if not message.startswith(f"{source.name}:"):
            message = f"{source.name}: {message}"
        report.status = "failed"
        report.error = message
    else:
        finished = True
    finally:
        if not finished and report.status != "failed":  # interrupted (SIGTERM, Ctrl-C)
            report.status, report.error = "failed", f"{source.name}: interrupted"
        try:
            release_lease(library, lease)
        finally:
            with library.write():
                library.db.execute(
                    "UPDATE sync_sources SET last_run_at = ?, last_status = ?, last_error = ?"
                    " WHERE name = ?",
                    [now(), report.status, report.error, source.name],
                )
    return report


class _Heartbeat:
    """Renews a lease when a tenth of its time has passed (cheap to call before every step)."""

    def __init__(self, library: Library, lease: Lease, ttl: float) -> None:
        self.library, self.lease, self.ttl = library, lease, ttl
        self.last = time.monotonic()

    def __call__(self, *, force: bool = False) -> None:
        if force or time.monotonic() - self.last > self.ttl / 10:
            renew_lease(self.library, self.lease, self.ttl)
            self.last = time.monotonic()


# -- folders and files ------------------------------------------------------------------------


def _sync_files(
    library: Library,
    source: SyncSource,
    run_id: int,
    options: SyncOptions,
    report: SourceReport,
    heartbeat: _Heartbeat,
) -> None:
    target = Path(source.target)
    if source.kind == "folder":
        if not target.is_dir():
            raise HarvestError(f"{source.name}: folder {target} not found")
        paths = folder_files(target)
    else:
        if not target.is_file():
            raise HarvestError(f"{source.name}: file {target} not found")
        paths = [target]
    known = {
        row["path"]: row
        for row in library.db.query("SELECT * FROM sync_files WHERE source = ?", [source.name])
    }
    imported = report.imported
    for path in paths:
        key = str(path)
        if options.progress:
            options.progress(key)
        heartbeat()
        try:
            before = path.stat()
        except OSError as exc:
            imported.failures.append(f"{key}: cannot read: {exc.strerror}")
            continue
        row = known.get(key)
        if (
            not options.full
            and row is not None
            and (row["size"], row["mtime_ns"]) == (before.st_size, before.st_mtime_ns)
        ):
            report.files_unchanged += 1
            continue
        try:
            data = path.read_bytes()
            after = path.stat()
        except OSError as exc:
            imported.failures.append(f"{key}: cannot read: {exc.strerror}")
            continue
        if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or len(
            data
        ) != after.st_size:
            report.files_changing += 1  # being written: the next run reads the finished file
            continue
        digest = hashlib.sha256(data).hexdigest()
        if not options.full and row is not None and row["sha256"] == digest:
            with library.write():
                library.db.execute(
                    "UPDATE sync_files SET size = ?, mtime_ns = ? WHERE source = ? AND path = ?",
                    [after.st_size, after.st_mtime_ns, source.name, key],
                )
            report.files_unchanged += 1
            continue
        report.files_read += 1
        imported.inputs += 1
        records = []
        error = None
        try:
            result = parse_bytes(data, key)
            records = result.records
            imported.parsed += len(records)
            imported.failures.extend(str(f) for f in result.failures)
        except InputError as exc:
            error = str(exc)
            imported.failures.append(error)
        except Exception as exc:  # one file's surprise: its failure line, the next files run
            error = unexpected_failure(key, exc)
            imported.failures.append(error)
            records = []
        state = [source.name, key, after.st_size, after.st_mtime_ns, digest]
        before_store = imported.snapshot()
        try:
            # The file's records and its state in one transaction: a killed run did both or none.
            with library.write():
                if records:
                    store_records(
                        library,
                        records,
                        run_id=run_id,
                        report=imported,
                        formula=options.formula,
                        origin_path=local_path(key),
                    )
                _remember_file(library, state, len(records), error)
        except RUN_ERRORS:
            raise
        except LeaseLost:
            raise
        except Exception as exc:
            # Nothing of the file was stored; it is remembered as failed, so that cron does not
            # stop at it again and again (a changed file is read again).
            imported.restore(before_store)
            error = unexpected_failure(key, exc)
            imported.failures.append(error)
            with library.write():
                _remember_file(library, state, 0, error)


def _remember_file(library: Library, state: list[Any], records: int, error: str | None) -> None:
    library.db.execute(
        "INSERT OR REPLACE INTO sync_files (source, path, size, mtime_ns, sha256,"
        " records, error, imported_at) VALUES (?,?,?,?,?,?,?,?)",
        [*state, records, error, now()],
    )


# -- OAI-PMH ----------------------------------------------------------------------------------


def _sync_oai(
    library: Library,
    source: SyncSource,
    run_id: int,
    options: SyncOptions,
    report: SourceReport,
    heartbeat: _Heartbeat,
) -> None:
    prefix = source.metadata_prefix or "oai_dc"
    format = METADATA_PREFIXES.get(prefix)
    if format is None:
        raise HarvestError(f"{source.name}: unsupported metadata prefix {prefix!r}")
    get_parser(format)
    client = OAIClient(
        source.target,
        name=source.name,
        retry=options.retry,
        timeout=options.timeout,
        sleep=options.sleep,
        before_request=heartbeat,
    )
    try:
        _harvest_list(library, source, client, prefix, format, run_id, options, report, heartbeat)
    finally:
        report.requests = client.requests
        report.retries = client.retries
        client.close()


def _harvest_list(
    library: Library,
    source: SyncSource,
    client: OAIClient,
    prefix: str,
    format: str,
    run_id: int,
    options: SyncOptions,
    report: SourceReport,
    heartbeat: _Heartbeat,
) -> None:
    identity = client.identify()
    granularity = identity.granularity
    from_ = None
    if source.harvested_until and not options.full:
        from_ = format_datestamp(source.harvested_until, granularity)
    report.harvested_from = from_

    page: Page | None = None
    until_mark: str | None = None
    if source.resume_token and not options.full and source.resume_from == (from_ or ""):
        try:
            page = client.resume(source.resume_token)
            until_mark = source.resume_until
            report.resumed = True
        except BadResumptionToken:
            page = None  # expired while we were away: restart the list (idempotent)
    seen_tokens: set[str] = set()
    empty_pages = 0
    position = 0
    while True:
        if page is None:
            page = client.list_records(prefix, from_=from_, set_spec=source.set_spec)
            until_mark = page.response_date
            seen_tokens.clear()
            empty_pages = 0
        report.pages += 1
        report.imported.inputs += 1
        position = _store_page(
            library,
            source,
            page,
            format,
            run_id,
            options,
            report,
            heartbeat,
            checkpoint=(from_ or "", until_mark),
            position=position,
        )
        token = page.token
        if token is None:
            break
        if token in seen_tokens:
            raise HarvestError(
                f"{source.name}: the repository sent resumption token {token!r} twice;"
                " the list cannot be finished (the records harvested so far are kept)"
            )
        seen_tokens.add(token)
        empty_pages = 0 if page.records else empty_pages + 1
        if empty_pages > MAX_EMPTY_PAGES:
            raise HarvestError(
                f"{source.name}: {empty_pages} empty pages in a row; giving up on this list"
            )
        try:
            page = client.resume(token)
        except BadResumptionToken:
            if report.restarts >= MAX_LIST_RESTARTS:
                raise
            report.restarts += 1
            page = None
    report.harvested_until = until_mark
    with library.write():
        library.db.execute(
            "UPDATE sync_sources SET granularity = ? WHERE name = ?", [granularity, source.name]
        )


def _store_page(
    library: Library,
    source: SyncSource,
    page: Page,
    format: str,
    run_id: int,
    options: SyncOptions,
    report: SourceReport,
    heartbeat: _Heartbeat,
    *,
    checkpoint: tuple[str, str | None],
    position: int,
) -> int:
    """Store one page's records and the checkpoint in one transaction; returns the position
    of the last record."""
    imported = report.imported
    db = library.db
    latest = max((r.datestamp for r in page.records if r.datestamp), default=None)
    with library.write():
        for record in page.records:
            position += 1
            if options.progress:
                options.progress(record.identifier)
            previous = db.execute(
                "SELECT datestamp, deleted, record_id FROM sync_oai_records"
                " WHERE source = ? AND identifier = ?",
                [source.name, record.identifier],
            ).fetchone()
            if record.deleted:
                if previous is None or not previous[1] or previous[0] != record.datestamp:
                    report.deleted += 1
                _remember(library, source.name, record.identifier, record.datestamp, True,
                          previous[2] if previous else None)  # fmt: skip
                continue
            if previous and previous[0] == record.datestamp and not previous[1] and previous[2]:
                imported.already_stored += 1
                continue
            if record.metadata is None:
                imported.failures.append(f"{record.identifier}: record without metadata")
                continue
            raw = etree.tostring(record.metadata, encoding="unicode", with_tail=False)
            result = parse_text(raw, source.target, format)
            for failure in result.failures:
                imported.failures.append(f"{record.identifier}: {failure.reason}")
            if not result.records:
                continue
            parsed = result.records[0]
            parsed.source = replace(parsed.source, id=record.identifier, position=position)
            imported.parsed += 1
            works_before = imported.new_works
            store_records(
                library, [parsed], run_id=run_id, report=imported, formula=options.formula
            )
            row = db.execute(
                "SELECT id, work_id FROM source_records WHERE content_hash = ?",
                [parsed.content_hash()],
            ).fetchone()
            if previous and previous[2] and imported.new_works > works_before:
                _join_previous_version(library, imported, row[0], row[1], previous[2])
            _remember(library, source.name, record.identifier, record.datestamp, False, row[0])
        resume_from, until_mark = checkpoint
        if page.token is None:
            # The list is complete: the next harvest starts where this one's first response
            # was dated (inclusive `from`: the boundary records are looked at again, no-ops).
            until = until_mark or latest
            db.execute(
                "UPDATE sync_sources SET harvested_until = coalesce(?, harvested_until),"
                " resume_token = NULL, resume_from = NULL, resume_until = NULL WHERE name = ?",
                [until, source.name],
            )
        else:
            db.execute(
                "UPDATE sync_sources SET resume_token = ?, resume_from = ?, resume_until = ?"
                " WHERE name = ?",
                [page.token, resume_from, until_mark, source.name],
            )
        heartbeat(force=True)  # in the same transaction: a lost lease undoes the page
    return position


def _join_previous_version(
    library: Library, imported: ImportReport, record_id: int, new_work: int, previous_id: int
) -> None:
    """A new version of an OAI record belongs with its previous version (same identifier, same
    item), even when its changes (a corrected title or DOI) kept dedup from seeing that."""
    row = library.db.execute(
        "SELECT work_id FROM source_records WHERE id = ?", [previous_id]
    ).fetchone()
    if row is None or row[0] is None or row[0] == new_work:
        return
    library.move_records([record_id], row[0])
    library.recompute_work(row[0])
    library.recompute_work(new_work)  # now empty: removed
    imported.new_works -= 1
    imported.merged += 1
    if new_work in imported.new_work_ids:
        imported.new_work_ids.remove(new_work)
    imported.touched_work_ids.discard(new_work)
    imported.touched_work_ids.add(row[0])


def _remember(
    library: Library,
    source: str,
    identifier: str,
    datestamp: str,
    deleted: bool,
    record_id: int | None,
) -> None:
    library.db.execute(
        "INSERT OR REPLACE INTO sync_oai_records (source, identifier, datestamp, deleted,"
        " record_id, seen_at) VALUES (?,?,?,?,?,?)",
        [source, identifier, datestamp, int(deleted), record_id, now()],
    )


# -- one URL ----------------------------------------------------------------------------------


def _sync_url(
    library: Library,
    source: SyncSource,
    run_id: int,
    options: SyncOptions,
    report: SourceReport,
    heartbeat: _Heartbeat,
) -> None:
    # The fetch of `harvester add URL` (charset, size and content-type checks, retries), with
    # each attempt given the time an OAI-PMH request gets.
    with make_client(timeout=options.timeout) as client:
        fetched = fetch_if_changed(
            client,
            source.target,
            etag=None if options.full else source.etag,
            last_modified=None if options.full else source.last_modified,
            timeout=options.timeout * options.retry.attempts,
            retry=options.retry,
            sleep=options.sleep,
            before_attempt=heartbeat,
        )
    if fetched.data is None:  # 304 Not Modified
        report.files_unchanged += 1
        return
    data = fetched.data
    digest = hashlib.sha256(data).hexdigest()
    state = [fetched.etag, fetched.last_modified, digest, source.name]
    update = "UPDATE sync_sources SET etag = ?, last_modified = ?, content_hash = ? WHERE name = ?"
    if digest == source.content_hash and not options.full:
        report.files_unchanged += 1
        with library.write():
            library.db.execute(update, state)
        return
    report.files_read += 1
    imported = report.imported
    imported.inputs += 1
    records = []
    try:
        result = parse_bytes(data, source.target)
        records = result.records
        imported.parsed += len(records)
        imported.failures.extend(str(f) for f in result.failures)
    except InputError as exc:
        imported.failures.append(str(exc))
    except Exception as exc:  # the page's surprise is its failure line, not the run's
        imported.failures.append(unexpected_failure(source.target, exc))
    with library.write():
        if records:
            store_records(library, records, run_id=run_id, report=imported, formula=options.formula)
        library.db.execute(update, state)


__all__ = [
    "KINDS",
    "METADATA_PREFIXES",
    "Holder",
    "Lease",
    "LeaseLost",
    "SourceReport",
    "SyncOptions",
    "SyncReport",
    "SyncSource",
    "acquire_lease",
    "add_source",
    "get_source",
    "list_sources",
    "release_lease",
    "remove_source",
    "renew_lease",
    "run_sync",
]
