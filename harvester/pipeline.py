"""The import pipeline: source -> parse -> normalize -> store -> dedup/merge (-> enrich).

One input file is one write transaction: its records are all stored or, on any error, none,
so a killed run never leaves half a file behind. Re-importing an input is a no-op (each
record's content hash is unique in the store).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from harvester.dedup import assign, new_work_for, remember_maybes
from harvester.sources import iter_inputs
from harvester.store import Library
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
    failures: list[str] = field(default_factory=list)
    new_work_ids: list[int] = field(default_factory=list)
    touched_work_ids: set[int] = field(default_factory=set)

    def as_dict(self) -> dict[str, object]:
        return {
            "inputs": self.inputs,
            "parsed": self.parsed,
            "new_records": self.new_records,
            "already_stored": self.already_stored,
            "new_works": self.new_works,
            "merged": self.merged,
            "failed": len(self.failures),
            "failures": self.failures,
        }


def parse_inputs(
    sources: list[str], format: str | None = None
) -> tuple[list[Record], list[str], int]:
    """Parse every input; returns (records, failure messages, number of inputs). Stores nothing."""
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
            result = parse_bytes(item.data, item.origin, format or item.format)
        except InputError as exc:
            failures.append(str(exc))
            continue
        records.extend(result.records)
        failures.extend(str(f) for f in result.failures)
    return records, failures, count


def store_records(
    library: Library,
    records: list[Record],
    *,
    run_id: int | None,
    report: ImportReport,
    formula: str | None = None,
) -> None:
    """Store new records, each joining the work it duplicates or starting one (in the caller's
    transaction); see :mod:`harvester.dedup`."""
    for record in records:
        if library.has_record(record.content_hash()):
            report.already_stored += 1
            continue
        record_id = library.add_record(record, run_id=run_id)
        report.new_records += 1
        assignment = assign(library, record_id, record.csl)
        work_id = assignment.work_id
        if work_id is None:
            work_id = new_work_for(library, record_id, formula)
            report.new_works += 1
            report.new_work_ids.append(work_id)
        else:
            library.move_records([record_id], work_id)
            library.set_joined(record_id, assignment.why)
            library.recompute_work(work_id)
            report.merged += 1
        remember_maybes(library, record_id, assignment.maybes)
        report.touched_work_ids.add(work_id)


def import_sources(
    library: Library,
    sources: list[str],
    *,
    format: str | None = None,
    formula: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Parse every input and store it, one transaction per input (see the module docstring)."""
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
            try:
                result = parse_bytes(item.data, item.origin, format or item.format)
            except InputError as exc:
                report.failures.append(str(exc))
                continue
            report.parsed += len(result.records)
            report.failures.extend(str(f) for f in result.failures)
            with library.write():
                store_records(
                    library, result.records, run_id=run_id, report=report, formula=formula
                )
        status = "done"
    finally:
        library.finish_run(run_id, status, report.as_dict())
    return report


__all__ = ["ImportReport", "import_sources", "parse_inputs", "store_records"]
