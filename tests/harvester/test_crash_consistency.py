"""Crash consistency (issue 15): `harvester add` and `harvester sync` killed with SIGKILL and
SIGTERM at seeded random moments, one time in three the moment the library's write-ahead log
grows (a batch being written or committed). After every kill: ``PRAGMA integrity_check`` is
ok and no process of the run is left, the parsing worker included; each run goes on from what
the killed one left, and the last one ends in exactly the library of a clean run (records,
works, keys, merged records, review pairs).

Small inputs in small batches (``HARVESTER_BATCH``) keep this to a few seconds a seed in CI;
``scripts/reliability`` runs more seeds on bigger files (``HARVESTER_RELIABILITY_SEEDS``).
"""

from __future__ import annotations

import os

import pytest

from tests.harvester.adversarial import (
    KillReport,
    crash_chain,
    library_state,
    timed_run,
    with_sync_source,
    write_inputs,
)

SEEDS = int(os.environ.get("HARVESTER_RELIABILITY_SEEDS", "5"))
# Every other file goes through the parsing worker, so that kills find one running.
TUNING = {"HARVESTER_BATCH": "8", "HARVESTER_WORKER_MIN_BYTES": "20000"}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash") / "exports"
    write_inputs(folder, files=2, per_file=30, seed=11, overlap=6)
    return folder


def _check(report: KillReport) -> None:
    assert report.problems == [], report.problems
    # Seeds alternate the signal: as many of each.
    assert report.by_signal == {"SIGKILL": (SEEDS + 1) // 2, "SIGTERM": SEEDS // 2}
    assert report.records_checked > 0


def test_add_killed_at_random_moments_resumes_to_the_clean_library(inputs, tmp_path):
    args = ["add", "--no-enrich", str(inputs)]
    seconds = timed_run(tmp_path / "clean.db", args, TUNING)
    clean = library_state(tmp_path / "clean.db")
    report = KillReport()
    crash_chain(
        tmp_path / "lib.db", args, clean, seconds, list(range(SEEDS)), report, env_extra=TUNING
    )
    _check(report)


def test_sync_killed_at_random_moments_resumes_to_the_clean_library(inputs, tmp_path):
    def configured(db):
        return with_sync_source(db, "exports", inputs)

    clean_db = configured(tmp_path / "clean.db")
    seconds = timed_run(clean_db, ["sync", "--no-enrich"], TUNING)
    clean = library_state(clean_db)
    report = KillReport()
    crash_chain(
        configured(tmp_path / "lib.db"),
        ["sync", "--no-enrich"],
        clean,
        seconds,
        list(range(100, 100 + SEEDS)),
        report,
        env_extra=TUNING,
    )
    _check(report)
