"""Two runs at once, and a run killed half-way: the library stays whole (real processes)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from harvester.store import Library
from tests.conftest import REPO
from tests.harvester.cli_runner import run_cli

PAGE = """{title}

Saved in:
Bibliographic Details
Published in:Journal of Synthetic Results Vol. {volume}; no. 2; pp. {first} - {last}
Main Authors: Author{n}, A B, Second, C
Format: Journal Article
Language:English
Published: Berlin Springer 2020
"""


def _write_pages(folder: Path, files: int, per_file: int) -> None:
    folder.mkdir()
    n = 0
    for f in range(files):
        pages = []
        for _ in range(per_file):
            n += 1
            pages.append(
                PAGE.format(
                    title=f"Synthetic study number {n} of kidney function in "
                    f"cohort {n * 7919 % 10007}",
                    volume=n % 50 + 1,
                    first=n,
                    last=n + 9,
                    n=n,
                )
            )
        (folder / f"batch-{f:03d}.txt").write_text("\n".join(pages), "utf-8")


def _consistent(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    orphans = conn.execute(
        "SELECT count(*) FROM source_records WHERE kind = 'input' AND work_id IS NULL"
    ).fetchone()
    empty = conn.execute(
        "SELECT count(*) FROM works w WHERE NOT EXISTS (SELECT 1 FROM "
        "source_records s WHERE s.work_id = w.id)"
    ).fetchone()
    assert orphans[0] == 0 and empty[0] == 0
    records = conn.execute("SELECT count(*) FROM source_records").fetchone()[0]
    works = conn.execute("SELECT count(*) FROM works").fetchone()[0]
    conn.close()
    return records, works


def test_two_overlapping_imports_of_the_same_inputs(tmp_path):
    folder = tmp_path / "pages"
    _write_pages(folder, files=4, per_file=25)
    db = tmp_path / "lib.db"
    Library(db).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HARVESTER_")}
    env.update(PYTHONPATH=str(REPO), HARVESTER_CROSSREF_URL="http://127.0.0.1:9")
    command = [sys.executable, "-m", "harvester", "--db", str(db), "add", str(folder)]
    runs = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    assert _consistent(db) == (100, 100)


def test_a_killed_import_leaves_whole_files_and_resumes(tmp_path):
    folder = tmp_path / "pages"
    _write_pages(folder, files=30, per_file=40)
    db = tmp_path / "lib.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HARVESTER_")}
    env.update(PYTHONPATH=str(REPO), HARVESTER_CROSSREF_URL="http://127.0.0.1:9")
    run = subprocess.Popen(
        [sys.executable, "-m", "harvester", "--db", str(db), "add", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    # Kill it once some files are in, not all: poll the store from outside.
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if db.exists():
            try:
                conn = sqlite3.connect(db, timeout=0.1)
                stored = conn.execute("SELECT count(*) FROM source_records").fetchone()[0]
                conn.close()
            except sqlite3.OperationalError:
                continue
            if stored >= 80:
                break
    run.send_signal(signal.SIGKILL)
    run.wait()
    records, works = _consistent(db)
    assert works == records  # distinct synthetic studies: one work each
    assert records % 40 == 0, "a file was stored in part"
    assert 0 < records < 1200, "the kill did not land mid-run; make the input larger"
    result = run_cli("add", folder, db=db)
    assert result.returncode == 0, result.stderr
    assert _consistent(db) == (1200, 1200)
