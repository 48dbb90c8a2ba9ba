"""Concurrent writers (issue 15, defect 4): four `add`, a `sync` and an `export` started at once
on one library. No "database is locked" or "busy" reaches the user, no run reports a failure,
nothing is lost or stored twice. A writer that has to wait says so and waits as long as it
must; a cron `sync` that would wait longer than its bound skips with exit 0 and a line.
"""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest

from harvester.store import Library
from tests.harvester.adversarial import (
    concurrent_round,
    environment,
    finish,
    library_state,
    start,
    with_sync_source,
    write_inputs,
)

# Small batches: the writers' transactions interleave many times.
TUNING = {"HARVESTER_BATCH": "10"}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("writers")
    # Four exports for `add` and two for the synced folder; neighbours share records, and the
    # synced folder repeats records of the first exports.
    write_inputs(root / "adds", files=4, per_file=30, seed=21, overlap=5)
    write_inputs(root / "synced", files=2, per_file=30, seed=21, overlap=10)
    return root


def _records_in(*folders: Path) -> int:
    """Distinct records (content hashes: the same export twice is stored once)."""
    from records.parsers import parse_bytes

    return len(
        {
            record.content_hash()
            for folder in folders
            for f in folder.iterdir()
            for record in parse_bytes(f.read_bytes(), str(f)).records
        }
    )


def test_four_adds_a_sync_and_an_export_at_once(inputs, tmp_path):
    # Every run exits 0 and says nothing but that it waits and what it wrote (no "locked",
    # no "busy", no traceback); nothing lost or stored twice; the works are those of the same
    # inputs imported one after another.
    adds = sorted((inputs / "adds").iterdir())
    problems, records = concurrent_round(adds, inputs / "synced", tmp_path, TUNING)
    assert problems == []
    assert records == _records_in(inputs / "adds", inputs / "synced")


def test_a_waiting_add_says_so_and_finishes_when_the_other_writer_is_done(inputs, tmp_path):
    db = tmp_path / "lib.db"
    Library(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing, for as long as it likes
    process = start(db, "add", "--no-enrich", inputs / "adds", env=environment("w"))
    assert process.stderr is not None
    line = process.stderr.readline().decode()  # waits for the event, however long it takes
    assert line.startswith("harvester: waiting for another harvester process to finish"), line
    assert str(db) in line
    holder.execute("COMMIT")
    holder.close()
    done = finish(process)
    assert done.returncode == 0, done.stderr
    assert "locked" not in done.stderr and "busy" not in done.stderr
    assert len(library_state(db)["records"]) == _records_in(inputs / "adds")


def test_a_sync_that_would_wait_past_its_bound_skips_with_exit_0(inputs, tmp_path):
    db = with_sync_source(tmp_path / "lib.db", "folder", inputs / "synced")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        done = finish(start(db, "sync", "--no-enrich", env=environment("b", HARVESTER_SYNC_MAX_WAIT="0.5")))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 0, done.stderr
    assert "harvester: sync skipped:" in done.stderr and "more than 0.5 s" in done.stderr
    assert "Traceback" not in done.stderr
    assert library_state(db)["records"] == []
    # Its next turn, with the library free, does the work.
    again = finish(start(db, "sync", "--no-enrich", env=environment("c", HARVESTER_SYNC_MAX_WAIT="0.5")))
    assert again.returncode == 0, again.stderr
    assert len(library_state(db)["records"]) == _records_in(inputs / "synced")


def test_sigterm_to_a_waiting_add_stops_it_without_waiting_for_the_writer(inputs, tmp_path):
    db = tmp_path / "lib.db"
    Library(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # held until the stopped add is gone
    try:
        process = start(db, "add", "--no-enrich", inputs / "adds", env=environment("t"))
        assert process.stderr is not None
        line = process.stderr.readline().decode()
        assert line.startswith("harvester: waiting for another harvester process"), line
        process.send_signal(signal.SIGTERM)
        done = finish(process)  # returns while the other writer still holds the library
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 143, done.stderr
    (line,) = done.stderr.splitlines()  # after the waiting line read above: one line
    assert line.startswith("harvester: interrupted; "), line
    assert library_state(db)["records"] == []
