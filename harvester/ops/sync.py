"""``harvester sync``: configured sources harvested incrementally, for cron.

Sources live in the library (``sync_sources``), so the library file is the whole state.
Seven kinds:

* ``folder`` / ``file``: each file's size, mtime and SHA-256 are remembered
  (``sync_files``); a file whose size and mtime did not change is skipped without being read,
  one whose content hash did not change is skipped without being parsed, and a file that
  changes while it is read is left for the next run.
* ``oai-pmh``: ListRecords in explicit ``from``/``until`` windows (a calendar month each, the
  first harvest from the repository's ``earliestDatestamp``), as metha does: a window whose
  ``completeListSize`` is over :attr:`SyncOptions.oai_window_max` is split in halves; the next
  run starts at this run's ``responseDate`` (the repository's clock, from Identify) minus 48
  hours, so the last two days are looked at again; a repository that lists records outside the
  window it was asked for ignores ``from``/``until``: that is reported and remembered, and it is
  harvested as one whole list. Within a window, page by page (:mod:`harvester.sources.oaipmh`): each
  page is one transaction holding its records, the per-identifier state (``sync_oai_records``)
  and a checkpoint (the resumption token); the run's plan (the next window) is checkpointed
  when a window completes, so a killed run resumes in the window it stopped in, and a bad or
  expired token restarts only that window: storing is idempotent (content hash, and
  identifier plus datestamp), so nothing is lost or stored twice. ``harvested_until`` moves
  only when the last window is complete. Deleted records (``status="deleted"``) are
  recorded, never imported; token loops and runs of empty pages end the harvest with an error.
* ``crossref`` / ``pubmed`` / ``feed``: saved searches and tables of contents
  (:mod:`harvester.ops.sync_searches`).
* ``url``: one document fetched as ``harvester add URL`` fetches it (:mod:`harvester.sources.web`:
  charset from ``Content-Type``, size limit, content-type check, retries within a time budget)
  with ``If-None-Match`` / ``If-Modified-Since``, imported when its content hash changed.

After the sources the works they created or added records to are enriched through Crossref
(:attr:`SyncOptions.enrich`), and each source's run is logged with those works
(``sync_log``, ``harvester sync log``).

Overlap: before harvesting a source a run takes its lease (:mod:`harvester.ops.leases`) and
renews it while working. A run that finds a live lease skips the source (that is not a
failure); a lease whose holder is gone (expired, or its pid dead on this host) is taken over.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from lxml import etree

from harvester.crossref.client import CrossrefClient
from harvester.errors import LibraryBusy
from harvester.net.http import make_client
from harvester.ops import interrupt
from harvester.ops.importing import RUN_ERRORS, ImportReport, store_records, unexpected_failure
from harvester.ops.interrupt import note_kept
from harvester.ops.leases import (
    LEASE_TTL_S,
    Holder,
    Lease,
    LeaseLost,
    acquire_lease,
    release_lease,
    renew_lease,
)
from harvester.ops.parse_worker import batch_size
from harvester.sources.inputs import folder_files, local_path
from harvester.sources.oaipmh import (
    BadResumptionToken,
    OAIClient,
    Page,
    RetryPolicy,
    SourceFailed,
    format_datestamp,
)
from harvester.sources.pubmed import EUtilsClient
from harvester.sources.web import Fetched, fetch_if_changed
from harvester.store import Library
from harvester.store.library import now
from records.errors import HarvesterError, InputError, UsageError
from records.parsers import get_parser, parse_bytes, parse_text

KINDS = ("folder", "file", "oai-pmh", "url", "crossref", "pubmed", "feed")
# Kinds whose target is a search or a feed (harvester.ops.sync_searches).
SEARCH_KINDS = ("crossref", "pubmed", "feed")
# OAI-PMH metadataPrefix -> the parser that reads it.
METADATA_PREFIXES = {"oai_dc": "oai_dc", "marc21": "marcxml", "marcxml": "marcxml"}
# Names that would read as `harvester sync` subcommands.
RESERVED_NAMES = frozenset({"add", "list", "log", "remove", "run"})
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
    query: str | None = None  # JSON: a crossref/pubmed source's saved search
    checkpoint: str | None = None  # JSON: how far a run in progress got
    notes: str | None = None  # JSON: what the last run noticed about the server

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SyncSource:
        return cls(**{k: row.get(k) for k in cls.__dataclass_fields__})  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, Any]:
        return (
            {
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
            | ({"query": json.loads(self.query)} if self.query else {})
            | ({"notes": json.loads(self.notes)} if self.notes else {})
        )


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
    query: dict[str, Any] | None = None,
) -> SyncSource:
    """Configure a source; raises :class:`UsageError` for a bad name, kind or option.

    ``query``: a ``crossref`` source's saved query (:func:`harvester.ops.sync_searches.crossref_query`)
    or a ``pubmed`` source's (:func:`~harvester.ops.sync_searches.pubmed_query`); built from
    ``target`` (the query text, the term) when not given."""
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
    if query is not None and kind not in ("crossref", "pubmed"):
        raise UsageError("a saved query is for crossref and pubmed sources only")
    if kind in ("crossref", "pubmed"):
        from harvester.ops.sync_searches import crossref_query, crossref_target, pubmed_query

        if kind == "crossref":
            query = query or crossref_query(target)
            target = crossref_target(query)
        else:
            query = query or pubmed_query(target)
            target = f"pubmed:{query['term']}"
    elif kind in ("oai-pmh", "url", "feed"):
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
        library.sync.add_source(
            {
                "name": name,
                "kind": kind,
                "target": target,
                "set_spec": set_spec,
                "metadata_prefix": metadata_prefix,
                "created_at": now(),
                "query": json.dumps(query, sort_keys=True) if query is not None else None,
            }
        )
    source = get_source(library, name)
    assert source is not None
    return source


def get_source(library: Library, name: str) -> SyncSource | None:
    row = library.sync.source(name)
    return SyncSource.from_row(row) if row else None


def list_sources(library: Library) -> list[SyncSource]:
    return [SyncSource.from_row(r) for r in library.sync.sources()]


def remove_source(library: Library, name: str) -> bool:
    """Forget a source and its harvest state (the records it brought in stay)."""
    with library.write():
        return library.sync.remove_source(name)


_AGE_RE = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$", re.I)
_AGE_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def since_time(text: str, now_: datetime | None = None) -> str:
    """``7d`` / ``12h`` / ``30m`` / ``2w`` ago, or a date or time, as the library's timestamps
    are written (ISO, UTC); raises :class:`UsageError` for anything else."""
    now_ = now_ or datetime.now(UTC)
    if match := _AGE_RE.match(text):
        delta = timedelta(**{_AGE_UNITS[match[2].lower()]: int(match[1])})
        return (now_ - delta).isoformat(timespec="seconds")
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--since {text!r}: give an age (30m, 12h, 7d, 2w) or a date (YYYY-MM-DD)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


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
    windows: int = 0  # OAI-PMH date windows harvested
    splits: int = 0  # windows (OAI-PMH) or date slices (PubMed) split for being too large
    notes: list[str] = field(default_factory=list)  # worth saying, not failures
    requests_planned: list[str] = field(default_factory=list)  # --dry-run
    busy: str | None = None  # skipped: another process kept writing longer than the bound

    @property
    def failed(self) -> bool:
        return self.status == "failed" or bool(self.imported.failures)

    def messages(self) -> list[str]:
        """Every failure of this source, one line each, naming the source."""
        lines = [self.error] if self.error else []
        lines.extend(f"{self.name}: {f}" for f in self.imported.failures)
        return lines

    def warnings(self) -> list[str]:
        """Values dropped as implausible from this source's records, one line each, naming the
        source (the lines ``harvester add`` prints for its inputs)."""
        return [f"{self.name}: {w}" for w in self.imported.warnings]

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "kind": self.kind, "status": self.status}
        if self.error:
            data["error"] = self.error
        if self.held_by:
            data["held_by"] = self.held_by
        if self.busy:
            data["busy"] = self.busy
        data.update(self.imported.as_dict())
        data["failures"] = self.messages()
        data["failed"] = len(data["failures"])
        if self.kind in ("folder", "file"):
            data.update(
                files_read=self.files_read,
                files_unchanged=self.files_unchanged,
                files_changing=self.files_changing,
            )
        if self.notes:
            data["notes"] = self.notes
        if self.requests_planned:
            data["would_ask"] = self.requests_planned
        if self.kind in SEARCH_KINDS:
            data.update(
                requests=self.requests,
                pages=self.pages,
                splits=self.splits,
                resumed=self.resumed,
                harvested_from=self.harvested_from,
                harvested_until=self.harvested_until,
            )
        if self.kind == "oai-pmh":
            data.update(
                windows=self.windows,
                splits=self.splits,
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
    enrichment: Any = None  # harvester.crossref.lookup.EnrichmentReport of the works the run touched
    enrichment_error: str | None = None

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
        } | (
            {"enrichment": self.enrichment_dict()}
            if self.enrichment or self.enrichment_error
            else {}
        )

    def enrichment_dict(self) -> dict[str, Any]:
        if self.enrichment is None:
            return {"error": self.enrichment_error}
        return {
            "counts": dict(self.enrichment.counts()),
            "stopped": self.enrichment.stopped,
            "requests": self.enrichment.requests,
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
    enrich: bool = True  # new and changed works through Crossref after the sources
    dry_run: bool = False  # say what each source would ask, ask nothing
    crossref: Callable[[], CrossrefClient] = field(default=lambda: _default_crossref())
    pubmed: Callable[[], EUtilsClient] = field(default=lambda: _default_pubmed())
    today: Callable[[], date] = field(default=lambda: datetime.now(UTC).date())
    pubmed_cap: int = 10_000  # esearch's limit (sync_searches.PUBMED_CAP)
    oai_window: str = "month"  # "month", or a number of days
    oai_window_max: int = 100_000  # a window listing more records is split in two
    oai_overlap: timedelta = timedelta(hours=48)  # re-checked every run


def _default_crossref() -> CrossrefClient:
    from harvester.config import Config

    config = Config.load()
    # The rate windows are shared with every other harvester process on the machine.
    return CrossrefClient(
        base_url=config.crossref_url,
        mailto=config.mailto,
        shared_dir=config.state_dir,
        timeout=config.http_timeout,
        deadline=config.enrich_deadline,
    )


def _default_pubmed() -> EUtilsClient:
    from harvester.config import Config

    config = Config.load()
    return EUtilsClient(
        config.pubmed_url,
        api_key=config.ncbi_api_key,
        mailto=config.mailto,
        timeout=config.http_timeout,
    )


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
    if options.dry_run:
        report.sources = [_plan(library, source, options) for source in sources]
        return report
    run_id = library.start_run("sync " + " ".join(s.name for s in sources))
    status = "failed"
    try:
        for source in sources:
            interrupt.check()  # a Ctrl-C or SIGTERM swallowed by a cleanup callback
            report.sources.append(_sync_one(library, source, run_id, options))
        if options.enrich:
            _enrich(library, report, options)
        status = "done"
    except BaseException as exc:
        if not isinstance(exc, Exception):  # Ctrl-C, SIGTERM
            status = "interrupted"
            note_kept(
                exc,
                f"kept {sum(s.imported.new_records for s in report.sources)} new records of "
                f"{len(report.sources)} finished source(s); the batch in progress was rolled "
                "back and the next sync goes on from there",
            )
        raise
    finally:
        library.finish_run(run_id, status, report.as_dict())
    return report


def _enrich(library: Library, report: SyncReport, options: SyncOptions) -> None:
    """The works the sources created or added records to, and those an earlier sync left
    unenriched (Crossref unreachable, the run killed first, ``--no-enrich``), through Crossref:
    same client, same shared rate window and throttles as ``harvester enrich``."""
    from harvester.ops.enrich import enrich_works, works_to_enrich

    work_ids = sorted(report.touched_work_ids | set(library.sync.awaiting_enrichment()))
    items = works_to_enrich(library, work_ids) if work_ids else []
    if not items:
        return
    try:
        with options.crossref() as client:
            report.enrichment = enrich_works(
                library, client, work_ids, formula=options.formula, items=items
            )
    except HarvesterError as exc:  # the works stay pending: the next sync asks again
        report.enrichment_error = f"enrichment: {exc}"


def _plan(library: Library, source: SyncSource, options: SyncOptions) -> SourceReport:
    """What a run of ``source`` would ask for (``--dry-run``), asking nothing."""
    from harvester.ops import sync_searches

    report = SourceReport(source.name, source.kind, status="planned")
    if source.kind == "crossref":
        report.requests_planned = sync_searches.crossref_requests(source, options)
    elif source.kind == "pubmed":
        report.requests_planned = sync_searches.pubmed_requests(source, options)
    elif source.kind == "feed":
        report.requests_planned = sync_searches.feed_requests(source, options)
    elif source.kind == "oai-pmh":
        report.requests_planned = _oai_requests(source, options)
    elif source.kind == "url":
        report.requests_planned = [f"GET {source.target} (If-None-Match: {source.etag})"
                                   if source.etag and not options.full
                                   else f"GET {source.target}"]  # fmt: skip
    else:
        report.requests_planned = [f"read the new and changed files of {source.target}"]
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
    started_at = now()
    try:
        if source.kind in SEARCH_KINDS:
            from harvester.ops import sync_searches

            harvest = {
                "crossref": sync_searches.sync_crossref,
                "pubmed": sync_searches.sync_pubmed,
                "feed": sync_searches.sync_feed,
            }[source.kind]
            harvest(library, source, run_id, options, report, heartbeat)
        elif source.kind in ("folder", "file"):
            _sync_files(library, source, run_id, options, report, heartbeat)
        elif source.kind == "oai-pmh":
            _sync_oai(library, source, run_id, options, report, heartbeat)
        elif source.kind == "url":
            _sync_url(library, source, run_id, options, report, heartbeat)
        else:
            raise SourceFailed(f"unknown source kind {source.kind!r}")
    except LibraryBusy as exc:
        # Like a source another run holds: not a failure; what was committed is kept and
        # the next run goes on from there.
        report.status, report.busy = "skipped", str(exc)
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
        stopped = not finished and report.status not in ("failed", "skipped")
        if stopped:  # SIGTERM, Ctrl-C
            report.status, report.error = "failed", f"{source.name}: interrupted"
        # The end of a run is written whatever the wait, unless it was told to stop: then a
        # few seconds (a lease left behind is taken over, its holder's pid being gone).
        try:
            with library.patient(3.0 if stopped else None):
                try:
                    release_lease(library, lease)
                finally:
                    with library.write():
                        library.sync.record_outcome(
                            source.name, now(), report.status, report.error or report.busy
                        )
                        imported = report.imported
                        library.sync.log_run(
                            run_id=run_id,
                            source=source.name,
                            kind=source.kind,
                            started_at=started_at,
                            status=report.status,
                            summary=report.as_dict(),
                            new_work_ids=imported.new_work_ids,
                            merged_work_ids=imported.touched_work_ids,
                        )
        except LibraryBusy:
            if not stopped:
                raise
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
            raise SourceFailed(f"{source.name}: folder {target} not found")
        paths = folder_files(target)
    else:
        if not target.is_file():
            raise SourceFailed(f"{source.name}: file {target} not found")
        paths = [target]
    known = library.sync.known_files(source.name)
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
                library.sync.touch_file(source.name, key, after.st_size, after.st_mtime_ns)
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
        stored = imported.snapshot()
        try:
            # The file's records in batches of their own transactions (other writers take
            # turns in between), then its state with the last one: a run killed part-way left
            # no state, so the next run reads the file again and stores what is missing
            # (re-imports are no-ops by content hash), ending where an uninterrupted run would.
            size = batch_size()
            chunks = [records[i : i + size] for i in range(0, len(records), size)] or [[]]
            origin_path = local_path(key)
            for chunk in chunks[:-1]:
                with library.write():
                    store_records(
                        library,
                        chunk,
                        run_id=run_id,
                        report=imported,
                        formula=options.formula,
                        origin_path=origin_path,
                    )
                stored = imported.snapshot()
                library.let_others_in()
                heartbeat()
            with library.write():
                if chunks[-1]:
                    store_records(
                        library,
                        chunks[-1],
                        run_id=run_id,
                        report=imported,
                        formula=options.formula,
                        origin_path=origin_path,
                    )
                _remember_file(library, state, len(records), error)
        except RUN_ERRORS:
            raise
        except LeaseLost:
            raise
        except Exception as exc:
            # The batch that failed was not stored (earlier ones are); the file is remembered
            # as failed, so that cron does not stop at it again and again (a changed file is
            # read again).
            imported.restore(stored)
            error = unexpected_failure(key, exc)
            imported.failures.append(error)
            with library.write():
                _remember_file(library, state, 0, error)


def _remember_file(library: Library, state: list[Any], records: int, error: str | None) -> None:
    source, path, size, mtime_ns, sha256 = state
    library.sync.remember_file(
        source, path, size=size, mtime_ns=mtime_ns, sha256=sha256, records=records, error=error
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
        raise SourceFailed(f"{source.name}: unsupported metadata prefix {prefix!r}")
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
        _harvest_list(
            _OAIRun(library, source, client, prefix, format, run_id, options, report, heartbeat)
        )
    finally:
        report.requests = client.requests
        report.retries = client.retries
        client.close()


def _parse_stamp(value: str | None) -> datetime | None:
    """An OAI-PMH datestamp (either granularity) as a UTC datetime; None if unreadable."""
    if not value:
        return None
    try:
        if len(value) <= 10:
            return datetime.fromisoformat(value[:10]).replace(tzinfo=UTC)
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _step(granularity: str) -> timedelta:
    """The smallest difference the repository's datestamps can express."""
    return timedelta(seconds=1) if granularity.startswith("YYYY-MM-DDThh") else timedelta(days=1)


def _windows(
    start: datetime | None, end: datetime, granularity: str, size: str
) -> list[tuple[datetime | None, datetime]]:
    """Consecutive inclusive [from, until] windows from ``start`` to ``end``: calendar months
    (``size="month"``) or ``size`` days; one open window when there is no start."""
    if start is None or start > end:
        return [(start, end)]
    step = _step(granularity)
    windows: list[tuple[datetime | None, datetime]] = []
    low = start
    while low <= end:
        if size == "month":
            first = low.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
            following = (first + timedelta(days=32)).replace(day=1)
        else:
            day = low.replace(hour=0, minute=0, second=0, microsecond=0)
            following = day + timedelta(days=int(size))
        high = min(following - step, end)
        windows.append((low, high))
        low = high + step
    return windows


def _oai_plan(
    source: SyncSource, options: SyncOptions, earliest: str | None, now_stamp: datetime
) -> tuple[datetime | None, datetime]:
    """(start, end) of a fresh run: from the last complete harvest's ``responseDate`` minus
    the overlap (the last 48 hours are looked at again: records a repository dated late or
    indexed slowly), else from the repository's earliest datestamp."""
    last = None if options.full else _parse_stamp(source.harvested_until)
    if last is not None:
        return last - options.oai_overlap, now_stamp
    return _parse_stamp(earliest), now_stamp


def _oai_requests(source: SyncSource, options: SyncOptions) -> list[str]:
    """The windows a run would list (``--dry-run``): known only up to the repository's clock,
    which is not asked, so the plan runs to now."""
    granularity = source.granularity or "YYYY-MM-DD"
    prefix = source.metadata_prefix or "oai_dc"
    now_stamp = datetime.now(UTC).replace(microsecond=0)
    notes = json.loads(source.notes) if source.notes else {}
    if notes.get("ignores_dates"):
        return [f"GET {source.target}?verb=ListRecords&metadataPrefix={prefix} (the whole list:"
                " the repository ignores from/until)"]  # fmt: skip
    start, end = _oai_plan(source, options, None, now_stamp)
    lines = [f"GET {source.target}?verb=Identify"]
    for low, high in _windows(start, end, granularity, options.oai_window):
        window = f"&from={format_datestamp(_iso(low), granularity)}" if low else ""
        lines.append(
            f"GET {source.target}?verb=ListRecords&metadataPrefix={prefix}{window}"
            f"&until={format_datestamp(_iso(high), granularity)}"
            + (f"&set={source.set_spec}" if source.set_spec else "")
        )
    if start is None:
        lines.append("(first harvest: from the repository's earliestDatestamp, month by month)")
    return lines


@dataclass(frozen=True)
class _OAIRun:
    """What every step of one source's OAI-PMH harvest works with."""

    library: Library
    source: SyncSource
    client: OAIClient
    prefix: str
    format: str
    run_id: int
    options: SyncOptions
    report: SourceReport
    heartbeat: _Heartbeat


def _harvest_list(run: _OAIRun) -> None:
    """ListRecords window by window (see :func:`_windows`), each window's pages committed one
    by one with a checkpoint, and the run's plan (its windows' end, the next window's start)
    in ``sync_sources.checkpoint`` so that a killed run resumes in the window it was in."""
    library, source, client, options, report = (
        run.library, run.source, run.client, run.options, run.report
    )  # fmt: skip
    identity = client.identify()
    granularity = identity.granularity
    state = library.sync
    notes = json.loads(source.notes) if source.notes else {}
    checkpoint = None if options.full else state.checkpoint(source.name)
    if checkpoint and checkpoint.get("kind") == "oai-pmh":
        start = _parse_stamp(checkpoint.get("next"))
        end = _parse_stamp(checkpoint["until"]) or datetime.now(UTC)
        response_date = checkpoint["until"]
        report.resumed = True
    else:
        response = _parse_stamp(identity.response_date) or datetime.now(UTC).replace(microsecond=0)
        start, end = _oai_plan(source, options, identity.earliest_datestamp, response)
        response_date = _iso(end)
        with library.write():
            state.set_granularity(source.name, granularity)
            state.save_checkpoint(
                source.name,
                {"kind": "oai-pmh", "next": _iso(start) if start else None, "until": response_date},
            )
    ignores = bool(notes.get("ignores_dates"))
    pending: list[tuple[datetime | None, datetime]] = (
        [(None, end)] if ignores else _windows(start, end, granularity, options.oai_window)
    )
    pending.reverse()  # a stack: the earliest window on top
    report.harvested_from = format_datestamp(_iso(start), granularity) if start else None
    step = _step(granularity)
    while pending:
        low, high = pending.pop()
        from_ = None if ignores or low is None else format_datestamp(_iso(low), granularity)
        until = None if ignores else format_datestamp(_iso(high), granularity)
        following = {
            "kind": "oai-pmh",
            "next": _iso(high + step) if pending else None,
            "until": response_date,
        }
        outcome = _harvest_window(
            run,
            window=(from_, until), done=following,
            last=not pending, harvested_until=response_date,
            may_split=low is not None and high - low >= step * 2 and not ignores,
        )  # fmt: skip
        if outcome == "split":
            assert low is not None
            report.splits += 1
            middle = low + (high - low) / 2
            middle = middle.replace(microsecond=0)
            if step == timedelta(days=1):
                middle = middle.replace(hour=0, minute=0, second=0)
            pending += [(middle + step, high), (low, middle)]
            continue
        if outcome == "ignores" and not ignores:
            ignores = True
            notes["ignores_dates"] = True
            report.notes.append(
                "the repository ignores from/until (it listed records outside the window):"
                " the whole list is harvested each run; unchanged records are skipped"
            )
            with library.write():
                state.save_notes(source.name, notes)
                if pending:  # the list just harvested was the whole list: nothing is left
                    state.complete_harvest(source.name, response_date)
            pending = []
        report.windows += 1
    if ignores and not report.notes:
        report.notes.append("the repository ignores from/until: the whole list was harvested")
    report.harvested_until = format_datestamp(response_date, granularity)


def _harvest_window(
    run: _OAIRun,
    *,
    window: tuple[str | None, str | None],
    done: dict[str, Any],
    last: bool,
    harvested_until: str,
    may_split: bool,
) -> str:
    """One window's list, to its end: ``"done"``, ``"split"`` (too large: nothing stored,
    harvest its halves) or ``"ignores"`` (records outside the window came back)."""
    library, source, client, options, report = (
        run.library, run.source, run.client, run.options, run.report
    )  # fmt: skip
    from_, until = window
    fresh = get_source(library, source.name)
    assert fresh is not None
    page: Page | None = None
    if (
        fresh.resume_token
        and fresh.resume_from == (from_ or "")
        and (fresh.resume_until == (until or ""))
    ):
        try:
            page = client.resume(fresh.resume_token)
            report.resumed = True
        except BadResumptionToken:
            page = None  # expired while we were away: restart this window (idempotent)
    seen_tokens: set[str] = set()
    empty_pages = 0
    position = 0
    restarts = 0
    outside = False
    first = page is None
    while True:
        if page is None:
            page = client.list_records(run.prefix, from_=from_, until=until, set_spec=source.set_spec)
            seen_tokens.clear()
            empty_pages = 0
            first = True
        if first and may_split and (page.complete_list_size or 0) > options.oai_window_max:
            return "split"
        first = False
        if from_ is not None or until is not None:
            outside = outside or _outside(page, from_, until)
        report.pages += 1
        report.imported.inputs += 1
        position = _store_page(
            run, page,
            checkpoint=(from_ or "", until or ""), position=position,
            done=done, harvested_until=harvested_until if last or outside else None,
        )  # fmt: skip
        token = page.token
        if token is None:
            return "ignores" if outside else "done"
        if token in seen_tokens:
            raise SourceFailed(
                f"{source.name}: the repository sent resumption token {token!r} twice;"
                " the list cannot be finished (the records harvested so far are kept)"
            )
        seen_tokens.add(token)
        empty_pages = 0 if page.records else empty_pages + 1
        if empty_pages > MAX_EMPTY_PAGES:
            raise SourceFailed(
                f"{source.name}: {empty_pages} empty pages in a row; giving up on this list"
            )
        try:
            page = client.resume(token)
        except BadResumptionToken:
            # Only this window is listed again (the ones before it are committed).
            if restarts >= MAX_LIST_RESTARTS:
                raise
            restarts += 1
            report.restarts += 1
            page = None


# A record this far outside the window it was listed in means the repository ignored the
# window (nearer, it may be a repository comparing at another granularity or time zone).
OUTSIDE_TOLERANCE = timedelta(days=1)


def _outside(page: Page, from_: str | None, until: str | None) -> bool:
    """Whether a page lists a record dated well outside the window it was asked for."""
    low = _parse_stamp(from_)
    high = _parse_stamp(until)
    if high is not None and until is not None and len(until) <= 10:
        high += timedelta(days=1)  # a day's `until` covers the whole day
    for record in page.records:
        stamp = _parse_stamp(record.datestamp)
        if stamp is None:
            continue
        if (low and stamp < low - OUTSIDE_TOLERANCE) or (high and stamp > high + OUTSIDE_TOLERANCE):
            return True
    return False


def _store_page(
    run: _OAIRun,
    page: Page,
    *,
    checkpoint: tuple[str, str],
    position: int,
    done: dict[str, Any],
    harvested_until: str | None,
) -> int:
    """Store one page's records and the checkpoint in one transaction; returns the position
    of the last record."""
    library, source, options, report = run.library, run.source, run.options, run.report
    format, run_id, heartbeat = run.format, run.run_id, run.heartbeat
    imported = report.imported
    state = library.sync
    with library.write():
        for record in page.records:
            position += 1
            if options.progress:
                options.progress(record.identifier)
            previous = state.oai_record(source.name, record.identifier)
            if record.deleted:
                if (
                    previous is None
                    or not previous.deleted
                    or previous.datestamp != record.datestamp
                ):
                    report.deleted += 1
                state.remember_oai_record(source.name, record.identifier, record.datestamp, True,
                                          previous.record_id if previous else None)  # fmt: skip
                continue
            if (
                previous
                and previous.datestamp == record.datestamp
                and not previous.deleted
                and previous.record_id
            ):
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
            stored = state.record_id_of(parsed.content_hash())
            assert stored is not None  # store_records stored it, or had it already
            record_id, work_id = stored
            if (
                previous
                and previous.record_id
                and work_id is not None
                and imported.new_works > works_before
            ):
                _join_previous_version(library, imported, record_id, work_id, previous.record_id)
            state.remember_oai_record(
                source.name, record.identifier, record.datestamp, False, record_id
            )
        resume_from, resume_until = checkpoint
        if page.token is None:
            # The window is complete: the run's plan moves to the next window; after the last
            # one the next harvest starts from this run's responseDate (minus the overlap).
            if harvested_until is not None:
                state.complete_harvest(source.name, harvested_until)
            else:
                state.save_list_checkpoint(source.name, None, None, None)
                state.save_checkpoint(source.name, done)
        else:
            state.save_list_checkpoint(source.name, page.token, resume_from, resume_until)
        heartbeat(force=True)  # in the same transaction: a lost lease undoes the page
    return position


def _join_previous_version(
    library: Library, imported: ImportReport, record_id: int, new_work: int, previous_id: int
) -> None:
    """A new version of an OAI record belongs with its previous version (same identifier, same
    item), even when its changes (a corrected title or DOI) kept dedup from seeing that."""
    work_id = library.work_ids_of([previous_id]).get(previous_id)
    if work_id is None or work_id == new_work:
        return
    library.move_records([record_id], work_id)
    library.recompute_work(work_id)
    library.recompute_work(new_work)  # now empty: removed
    imported.new_works -= 1
    imported.merged += 1
    if new_work in imported.new_work_ids:
        imported.new_work_ids.remove(new_work)
    imported.touched_work_ids.discard(new_work)
    imported.touched_work_ids.add(work_id)


# -- one URL ----------------------------------------------------------------------------------


def fetch_source(
    source: SyncSource, options: SyncOptions, heartbeat: Callable[..., None]
) -> Fetched:
    """A ``url`` or ``feed`` source's document, asked for only if it changed (ETag and
    Last-Modified, unless ``--full``): the fetch of `harvester add URL` (charset, size and
    content-type checks, retries), each attempt given the time an OAI-PMH request gets."""
    with make_client(timeout=options.timeout) as client:
        return fetch_if_changed(
            client,
            source.target,
            etag=None if options.full else source.etag,
            last_modified=None if options.full else source.last_modified,
            timeout=options.timeout * options.retry.attempts,
            retry=options.retry,
            sleep=options.sleep,
            before_attempt=heartbeat,
        )


def _sync_url(
    library: Library,
    source: SyncSource,
    run_id: int,
    options: SyncOptions,
    report: SourceReport,
    heartbeat: _Heartbeat,
) -> None:
    fetched = fetch_source(source, options, heartbeat)
    if fetched.data is None:  # 304 Not Modified
        report.files_unchanged += 1
        return
    data = fetched.data
    digest = hashlib.sha256(data).hexdigest()
    if digest == source.content_hash and not options.full:
        report.files_unchanged += 1
        with library.write():
            library.sync.save_validators(
                source.name, fetched.etag, fetched.last_modified, digest
            )
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
        library.sync.save_validators(source.name, fetched.etag, fetched.last_modified, digest)


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
