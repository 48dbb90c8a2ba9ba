"""A stopped `harvester add` takes its parsing worker with it, and says what it kept (issue 15,
defect 3), and big inputs are streamed (defect 13). Real processes, killed from outside.

Small inputs are parsed through the worker here (``HARVESTER_WORKER_MIN_BYTES=1``) and
stored in small batches (``HARVESTER_BATCH``), so that a kill lands while the worker is
running and between or inside commits.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import uuid
from pathlib import Path

import pytest

from tests.harvester.adversarial import (
    environment,
    finish,
    integrity,
    library_state,
    marked_processes,
    start,
    stored_records,
    wait_until,
    write_inputs,
)

TUNING = {"HARVESTER_WORKER_MIN_BYTES": "1", "HARVESTER_BATCH": "20"}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs") / "exports"
    write_inputs(folder, files=2, per_file=100, seed=7, overlap=10)
    return folder


@pytest.fixture(scope="module")
def clean(inputs, tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("clean") / "lib.db"
    done = finish(start(db, "add", "--no-enrich", inputs, env=environment("clean", **TUNING)))
    assert done.returncode == 0, done.stderr
    return library_state(db)


def _worker_of(marker: str, parent: int) -> int:
    """The parsing worker of the run marked ``marker`` (awaited until it runs)."""
    found: list[int] = []

    def running() -> bool:  # started: past the fork, the worker's own command line
        found[:] = [p for p in marked_processes(marker) if p != parent and _is_worker(p)]
        return bool(found)

    wait_until(running)
    return found[0]


def _is_worker(pid: int) -> bool:
    try:
        return b"die_with_parent" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _last_run(db: Path) -> tuple[str, str]:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT command, status FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return row[0], row[1]
    finally:
        conn.close()


def test_sigkill_of_add_ends_its_worker_and_frees_the_callers_pipes(inputs, tmp_path):
    db = tmp_path / "lib.db"
    marker = uuid.uuid4().hex
    process = start(db, "add", "--no-enrich", inputs, env=environment(marker, **TUNING))
    worker = _worker_of(marker, process.pid)
    # The worker holds none of the caller's output: stdout is its own pipe to the parent,
    # stderr is /dev/null (so `x=$(harvester add ...)` cannot wait on it).
    assert os.readlink(f"/proc/{worker}/fd/2") == "/dev/null"
    assert os.readlink(f"/proc/{worker}/fd/1") != os.readlink(f"/proc/{process.pid}/fd/1")
    process.send_signal(signal.SIGKILL)
    done = finish(process)  # as `subprocess.run(capture_output=True)`: returns, never hangs
    assert done.returncode == -signal.SIGKILL
    wait_until(lambda: not marked_processes(marker))  # the worker went with its parent
    assert integrity(db) == "ok"


def test_sigterm_rolls_back_the_open_batch_says_what_was_kept_and_exits_143(
    inputs, clean, tmp_path
):
    db = tmp_path / "lib.db"
    marker = uuid.uuid4().hex
    process = start(db, "add", "--no-enrich", inputs, env=environment(marker, **TUNING))
    _worker_of(marker, process.pid)
    wait_until(lambda: stored_records(db) >= 40 or process.poll() is not None)
    process.send_signal(signal.SIGTERM)
    done = finish(process)
    assert done.returncode == 143, done.stderr
    # (an interrupted `add` does not say it created the library: that is said when a run ends)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("harvester: interrupted; kept "), lines
    assert "run the same command again" in lines[0]
    assert "Traceback" not in done.stderr
    assert _last_run(db)[1] == "interrupted"
    wait_until(lambda: not marked_processes(marker))
    assert integrity(db) == "ok"
    # What it kept is whole batches (a multiple of the batch per file, or whole files)...
    kept = stored_records(db)
    assert 0 < kept < len(clean["records"])
    # ... and the same command again ends in exactly the library of a clean run.
    again = finish(start(db, "add", "--no-enrich", inputs, env=environment("again", **TUNING)))
    assert again.returncode == 0, again.stderr
    assert library_state(db) == clean


def test_ctrl_c_exits_130_with_one_line_not_aborted(inputs, tmp_path):
    db = tmp_path / "lib.db"
    marker = uuid.uuid4().hex
    process = start(db, "add", "--no-enrich", inputs, env=environment(marker, **TUNING))
    _worker_of(marker, process.pid)
    wait_until(lambda: stored_records(db) >= 20 or process.poll() is not None)
    os.killpg(process.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C: the group
    done = finish(process)
    assert done.returncode == 130, done.stderr
    assert "Aborted!" not in done.stderr and "Traceback" not in done.stderr
    # (an interrupted `add` does not say it created the library: that is said when a run ends)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("harvester: interrupted; kept "), lines
    assert _last_run(db)[1] == "interrupted"
    wait_until(lambda: not marked_processes(marker))
    assert integrity(db) == "ok"


def test_parse_prints_the_array_json_dumps_would():
    # `parse` writes its array piece by piece; the pieces make what json.dumps makes.
    from harvester.cli.common import json_array

    for items in ([], [{}], [{"title": "A\nB", "author": [{"family": "Ø"}]}, 2, "é", None]):
        assert "".join(json_array(iter(items))) == json.dumps(items, ensure_ascii=False, indent=2)
