"""The import pipeline: source -> parse -> normalize -> store -> dedup/merge (-> enrich).

An input is stored one batch (:data:`BATCH` records) per write transaction: a batch is all
stored or none of it, and the write lock is held for a batch's few seconds, not a file's
minute, so other harvester processes (a cron sync, a second ``add``) take their turns in
between. The checkpoint of a file is its committed batches: re-importing is a no-op for every
record already stored (each record's content hash is unique in the store), so the same
command run again after a kill or an interrupt goes on where it stopped, and ends in exactly
the library an uninterrupted run gives (same records, works, keys and merges: the batches are
decided in the same order against the same stored state).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace

from harvester.errors import StoreError
from harvester.ops import interrupt
from harvester.ops.dedup import (
    assign_batch,
    checked_links,
    create_works_for,
    join_works,
    links_written,
    placed_links,
    remember_maybes,
    settle,
)
from harvester.ops.gc_pause import paused_gc
from harvester.ops.interrupt import note_kept
from harvester.ops.parse_worker import batch_size, parsed, prepared_batches
from harvester.sources.inputs import iter_inputs
from harvester.store import Library
from harvester.store.library import ENGINE_ERRORS, NewRecord
from records.errors import HarvesterError, InputError, UsageError
from records.model import Record
from records.parsers import parse_bytes

Progress = Callable[[str], None]


@dataclass(slots=True)
class ImportReport:
    """What an import did, for the summary line and ``--json``."""

    inputs: int = 0
    parsed: int = 0
    new_records: int = 0
    already_stored: int = 0
    new_works: int = 0
    merged: int = 0
    works_joined: int = 0  # stored works a new record proved to be one
    low_confidence: int = 0  # reference strings the model read with low confidence
    # The library held records clustered under other dedup rules (`harvester dedupe` helps).
    rules_changed: bool = False
    failures: list[str] = field(default_factory=list)
    # Values dropped as implausible (records.normalize.plausibility), one line each.
    warnings: list[str] = field(default_factory=list)
    new_work_ids: list[int] = field(default_factory=list)
    touched_work_ids: set[int] = field(default_factory=set)

    def snapshot(self) -> ImportReport:
        return replace(
            self,
            failures=list(self.failures),
            warnings=list(self.warnings),
            new_work_ids=list(self.new_work_ids),
            touched_work_ids=set(self.touched_work_ids),
        )

    def restore(self, earlier: ImportReport) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(earlier, name))

    def as_dict(self) -> dict[str, object]:
        return {
            "inputs": self.inputs,
            "parsed": self.parsed,
            "new_records": self.new_records,
            "already_stored": self.already_stored,
            "new_works": self.new_works,
            "merged": self.merged,
            "works_joined": self.works_joined,
            "low_confidence": self.low_confidence,
            "rules_changed": self.rules_changed,
            "failed": len(self.failures),
            "failures": self.failures,
            "warnings": self.warnings,
        }


def warnings_of(record: Record) -> list[str]:
    """The record's doubts (values dropped as implausible) as lines naming the input and the
    record: ``page.txt (record 1): dropped author "classifications, Here": not a name``."""
    if not record.doubts:  # nearly every record: no line to format
        return []
    where = f"{record.source.origin} (record {record.source.position})"
    return [f"{where}: {doubt}" for doubt in record.doubts]


def parse_inputs(
    sources: list[str], format: str | None = None, *, strict: bool = False
) -> tuple[list[Record], list[str], int]:
    """Parse every input; returns (records, failure messages, number of inputs). Stores nothing.
    ``format`` forces the format of files, standard input and web pages; DOIs, PubMed ids and
    reference strings keep the format their argument already says (:attr:`Input.format`).
    ``strict``: a record with a doubtful value fails (see :func:`warnings_of` otherwise)."""
    records: list[Record] = []
    failures: list[str] = []
    count = 0
    for item in iter_inputs(sources):
        count += 1
        if item.error:
            failures.append(str(item.error))
            continue
        assert item.data is not None
        try:
            result = parse_bytes(item.data, item.origin, item.format or format, strict=strict)
        except InputError as exc:
            failures.append(str(exc))
            continue
        except RUN_ERRORS:
            raise
        except Exception as exc:  # one input's surprise, not the run's
            failures.append(unexpected_failure(item.origin, exc))
            continue
        records.extend(result.records)
        failures.extend(str(f) for f in result.failures)
    return records, failures, count


# Errors no per-input guard catches: they are the run's, not one input's (a bad --format, a
# busy or broken library), and every later input would fail the same way; one line stops it.
RUN_ERRORS: tuple[type[Exception], ...] = (UsageError, StoreError, *ENGINE_ERRORS)


def unexpected_failure(origin: str, exc: Exception) -> str:
    """The failure line of an input that stopped on an error no reader should raise."""
    if isinstance(exc, HarvesterError):
        return str(exc)
    reason = " ".join(str(exc).split())[:200] or type(exc).__name__
    return f"{origin}: could not be imported ({type(exc).__name__}: {reason})"


def iter_parsed(
    sources: list[str], format: str | None = None, *, failures: list[str], strict: bool = False
) -> Iterator[Record]:
    """:func:`parse_inputs` as it goes: every record of every input in order, one batch in
    memory at a time (a file is read a chunk at a time; see :func:`parse_worker.parsed`
    for what is read whole); failure messages are
    appended to ``failures``. An input that fails part-way keeps the records read before.
    ``strict`` as in :func:`parse_inputs`."""
    for item in iter_inputs(sources, lazy_files=True):
        if item.error:
            failures.append(str(item.error))
            continue
        source = item.path if item.path is not None else item.data
        assert source is not None
        try:
            results = parsed(
                source, item.origin, item.format or format, batch=batch_size(), strict=strict
            )
            for result in results:
                yield from result.records
                failures.extend(str(f) for f in result.failures)
        except InputError as exc:
            failures.append(str(exc))
        except RUN_ERRORS:
            raise
        except Exception as exc:  # one input's surprise, not the run's
            failures.append(unexpected_failure(item.origin, exc))


# Records decided and written together: large enough that the SQL is a few statements per
# batch, small enough that memory does not grow with the file.
BATCH = 2000


def store_records(
    library: Library,
    records: Iterable[Record | NewRecord],
    *,
    run_id: int | None,
    report: ImportReport,
    formula: str | None = None,
    origin_path: str | None = None,
) -> None:
    """Store new records, each joining the work it duplicates or starting one (in the caller's
    transaction), in batches; see :mod:`harvester.ops.dedup`. Records may come with their derived
    forms already computed (:class:`NewRecord`, from a parsing worker). ``origin_path``: the
    absolute path of the file they came from (see :func:`local_path`)."""
    batch: list[Record | NewRecord] = []
    for record in records:
        # Every record stored by any command (add, sync) reports its doubts the same way.
        report.warnings.extend(
            warnings_of(record.record if isinstance(record, NewRecord) else record)
        )
        batch.append(record)
        if len(batch) >= BATCH:
            _prepare_and_store(
                library,
                batch,
                run_id=run_id,
                report=report,
                formula=formula,
                origin_path=origin_path,
            )
            batch = []
    if batch:
        _prepare_and_store(
            library, batch, run_id=run_id, report=report, formula=formula, origin_path=origin_path
        )


def _prepare_and_store(
    library: Library,
    batch: Sequence[Record | NewRecord],
    *,
    run_id: int | None,
    report: ImportReport,
    formula: str | None,
    origin_path: str | None,
) -> None:
    with paused_gc():
        rows = [r if isinstance(r, NewRecord) else NewRecord.of(r) for r in batch]
        if origin_path:
            for row in rows:
                row.origin_path = origin_path
        store_batch(library, rows, run_id=run_id, report=report, formula=formula)


def store_batch(
    library: Library,
    batch: Sequence[NewRecord],
    *,
    run_id: int | None,
    report: ImportReport,
    formula: str | None = None,
) -> None:
    """One batch of :func:`store_records`: decide every record's work, then write records,
    new works and changed works in a few statements."""
    seen = library.stored_hashes(row.content_hash for row in batch)
    next_id = library.next_record_id()
    links = checked_links(library, next_id)
    rows: list[NewRecord] = []
    for row in batch:
        if row.content_hash in seen:
            report.already_stored += 1
            continue
        seen.add(row.content_hash)
        row.id, row.run_id = next_id, run_id
        rows.append(row)
        next_id += 1
    if not rows:
        return
    report.new_records += len(rows)
    plan = assign_batch(
        library,
        [(row.id, row.form) for row in rows],
        keys=[row.blocking_keys for row in rows],
        links=links,
    )
    placed_links(links, [row.id for row in rows], plan)
    new_works: dict[int, list[NewRecord]] = {}  # first record -> all records of a new work
    changed: set[int] = set()
    for position, (row, assignment) in enumerate(zip(rows, plan.assignments, strict=True)):
        row.joined = assignment.why
        if assignment.work is not None:
            report.merged += 1
        work = plan.work_of(position, row.id)
        if work > 0:
            row.work_id = work
            changed.add(work)
        else:
            new_works.setdefault(-work, []).append(row)
    # A new work's key comes from its first record, the one that started it.
    assert all(members[0].id == leader for leader, members in new_works.items())
    created = create_works_for(library, list(new_works.values()), formula)
    library.index_works(created)
    report.new_works += len(created)
    report.new_work_ids.extend(created)
    report.touched_work_ids.update(created)
    library.insert_records(rows)
    for gone, keep in plan.absorbed.items():
        if gone > 0:  # stored works proved one by a record of this batch
            join_works(library, plan.final(keep), gone, plan.bridged_by[gone])
            report.works_joined += 1
            report.touched_work_ids.discard(gone)
            if gone in report.new_work_ids:
                report.new_work_ids.remove(gone)
            changed.add(plan.final(keep))
    for work_id in sorted(changed):
        library.recompute_work(work_id)
        report.touched_work_ids.add(work_id)
    for row, assignment in zip(rows, plan.assignments, strict=True):
        if assignment.maybes:
            remember_maybes(library, row.id, assignment.maybes)
    # The batch placed its records in the order it read them; the components of the library it
    # touched are placed again in the canonical order, so that the works depend neither on the
    # order of import nor on the batch size (what `harvester dedupe` would give).
    settled = settle(library, plan, [row.id for row in rows], formula, links)
    links_written(library, links, next_id)
    for work_id in settled.removed:
        report.touched_work_ids.discard(work_id)
        if work_id in report.new_work_ids:
            report.new_work_ids.remove(work_id)
            report.new_works -= 1
    report.new_works += len(settled.created)
    report.new_work_ids.extend(settled.created)
    report.touched_work_ids.update(settled.touched, settled.created)


def import_sources(
    library: Library,
    sources: list[str],
    *,
    format: str | None = None,
    formula: str | None = None,
    progress: Progress | None = None,
    parallel: bool | None = None,
    strict: bool = False,
) -> ImportReport:
    """Parse every input and store it, one transaction per batch (see the module docstring);
    ``format`` and ``strict`` as in :func:`parse_inputs`.
    Large inputs are parsed in a second process while this one stores
    (:mod:`harvester.ops.parse_worker`; ``parallel`` forces it on or off). Files are read by
    whichever process parses them, never whole by this one on the worker's behalf."""
    report = ImportReport(rules_changed=library.check_rules())
    run_id = library.start_run("add " + " ".join(sources))
    status = "failed"
    # What is committed: the report as of the last committed batch, and the input whose
    # batches were being stored with how many of its records are in (for an interrupt).
    committed = report.snapshot()
    current: tuple[str, int] | None = None
    try:
        for item in iter_inputs(sources, lazy_files=True):
            report.inputs += 1
            committed = report.snapshot()
            if progress:
                progress(item.origin)
            if item.error:
                report.failures.append(str(item.error))
                continue
            source = item.path if item.path is not None else item.data
            assert source is not None
            current = (item.origin, 0)
            try:
                # The next batch is parsed outside the transaction: the lock is held only
                # while a batch is decided and written.
                batches = prepared_batches(
                    source, item.origin, item.format or format, parallel=parallel, strict=strict
                )
                # closing: on any error the parsing worker is stopped now, not when the
                # traceback that holds this frame is dropped.
                with closing(batches):
                    for rows, failures in batches:
                        interrupt.check()  # a Ctrl-C or SIGTERM swallowed by a cleanup callback
                        with library.write():
                            report.parsed += len(rows)
                            report.low_confidence += sum(
                                1 for row in rows if row.record.original.get("low_confidence")
                            )
                            report.failures.extend(str(f) for f in failures)
                            store_records(
                                library,
                                rows,
                                run_id=run_id,
                                report=report,
                                formula=formula,
                                origin_path=item.local,
                            )
                        committed = report.snapshot()
                        current = (item.origin, current[1] + len(rows))
                        library.let_others_in()
            except InputError as exc:
                # The batch that failed rolled back; earlier ones of this input are kept.
                report.restore(committed)
                stored = f" (its first {current[1]} records were stored)" if current[1] else ""
                report.failures.append(f"{exc}{stored}")
            except RUN_ERRORS:
                raise
            except Exception as exc:
                # One input's surprise is that input's failure line; the next inputs still run.
                report.restore(committed)
                report.failures.append(unexpected_failure(item.origin, exc))
            current = None
        status = "done"
    except BaseException as exc:
        # Ctrl-C, SIGTERM, a store error: the open batch rolled back; the rest stays.
        report.restore(committed)
        if not isinstance(exc, Exception):
            status = "interrupted"
            note_kept(exc, _kept(report, current))
        raise
    finally:
        library.finish_run(run_id, status, report.as_dict())
    return report


def _kept(report: ImportReport, current: tuple[str, int] | None) -> str:
    """One line on what an interrupted import kept."""
    inputs = report.inputs - (1 if current else 0)
    text = (
        f"kept {report.new_records} new records ({inputs} input"
        f"{'' if inputs == 1 else 's'} complete"
    )
    if current and current[1]:
        text += f", the first {current[1]} records of {current[0]}"
    return text + "); run the same command again to import the rest"


__all__ = [
    "ImportReport",
    "import_sources",
    "iter_parsed",
    "parse_inputs",
    "store_records",
    "warnings_of",
]
