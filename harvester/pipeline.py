"""The import pipeline: source -> parse -> normalize -> store -> dedup/merge (-> enrich).

One input file is one write transaction: its records are all stored or, on any error, none,
so a killed run never leaves half a file behind. Re-importing an input is a no-op (each
record's content hash is unique in the store).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from harvester.dedup import assign_batch, create_works_for, join_works, remember_maybes
from harvester.gc_pause import paused_gc
from harvester.parse_worker import prepared_batches
from harvester.sources import iter_inputs
from harvester.store import Library
from harvester.store.library import NewRecord
from records.errors import InputError
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
    failures: list[str] = field(default_factory=list)
    new_work_ids: list[int] = field(default_factory=list)
    touched_work_ids: set[int] = field(default_factory=set)

    def snapshot(self) -> ImportReport:
        return replace(
            self,
            failures=list(self.failures),
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
            "failed": len(self.failures),
            "failures": self.failures,
        }


def parse_inputs(
    sources: list[str], format: str | None = None
) -> tuple[list[Record], list[str], int]:
    """Parse every input; returns (records, failure messages, number of inputs). Stores nothing.
    ``format`` forces the format of files, standard input and web pages; DOIs, PubMed ids and
    reference strings keep the format their argument already says (:attr:`Input.format`)."""
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
            result = parse_bytes(item.data, item.origin, item.format or format)
        except InputError as exc:
            failures.append(str(exc))
            continue
        records.extend(result.records)
        failures.extend(str(f) for f in result.failures)
    return records, failures, count


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
) -> None:
    """Store new records, each joining the work it duplicates or starting one (in the caller's
    transaction), in batches; see :mod:`harvester.dedup`. Records may come with their derived
    forms already computed (:class:`NewRecord`, from a parsing worker)."""
    batch: list[Record | NewRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) >= BATCH:
            _prepare_and_store(library, batch, run_id=run_id, report=report, formula=formula)
            batch = []
    if batch:
        _prepare_and_store(library, batch, run_id=run_id, report=report, formula=formula)


def _prepare_and_store(
    library: Library,
    batch: Sequence[Record | NewRecord],
    *,
    run_id: int | None,
    report: ImportReport,
    formula: str | None,
) -> None:
    with paused_gc():
        rows = [r if isinstance(r, NewRecord) else NewRecord.of(r) for r in batch]
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
        library, [(row.id, row.form) for row in rows], keys=[row.blocking_keys for row in rows]
    )
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


def import_sources(
    library: Library,
    sources: list[str],
    *,
    format: str | None = None,
    formula: str | None = None,
    progress: Progress | None = None,
    parallel: bool | None = None,
) -> ImportReport:
    """Parse every input and store it, one transaction per input (see the module docstring);
    ``format`` as in :func:`parse_inputs`.
    Large inputs are parsed in a second process while this one stores
    (:mod:`harvester.parse_worker`; ``parallel`` forces it on or off)."""
    report = ImportReport()
    run_id = library.start_run("add " + " ".join(sources))
    status = "failed"
    try:
        for item in iter_inputs(sources):
            report.inputs += 1
            if progress:
                progress(item.origin)
            if item.error:
                report.failures.append(str(item.error))
                continue
            assert item.data is not None
            before = report.snapshot()
            try:
                with library.write():
                    for rows, failures in prepared_batches(
                        item.data, item.origin, item.format or format, parallel=parallel
                    ):
                        report.parsed += len(rows)
                        report.failures.extend(str(f) for f in failures)
                        store_records(
                            library,
                            rows,
                            run_id=run_id,
                            report=report,
                            formula=formula,
                        )
            except InputError as exc:
                # Nothing of this input was stored (its transaction rolled back).
                report.restore(before)
                report.failures.append(str(exc))
        status = "done"
    finally:
        library.finish_run(run_id, status, report.as_dict())
    return report


__all__ = ["ImportReport", "import_sources", "parse_inputs", "store_records"]
