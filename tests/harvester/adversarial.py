"""The adversarial harness: real `harvester` processes, real files, killed from outside.

Shared by the reliability tests (small, in CI) and ``scripts/reliability`` (more seeds, bigger
files). Nothing here measures time: a process is awaited through its pipes (EOF comes when
the last process holding them, the parsing worker included, is gone), and a kill moment is
chosen from the clean run's duration and a seed, not asserted against a clock.

Every process started here carries a marker in its environment (inherited by the parsing
worker), so that "no harvester process left" is checked on every process of the system,
whoever its parent is now.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.synthetic import iter_library, write_bibtex, write_ris
from tests.conftest import REPO, STATE_DIR

# A guard against a test that would hang for ever, not a performance bound: a run that takes
# this long has hung (the defect this suite exists for), and is reported as such.
HANG_GUARD_S = 600.0
_POLL_S = 0.02


def environment(marker: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HARVESTER_")}
    env.update(
        PYTHONPATH=str(REPO),
        HARVESTER_CROSSREF_URL="http://127.0.0.1:9",  # never the network
        HARVESTER_CONFIG=str(REPO / "no-such-config.toml"),
        HARVESTER_STATE_DIR=str(STATE_DIR),
        HARVESTER_TEST_MARKER=marker,
    )
    env.update(extra)
    return env


def start(db: Path, *args: str | Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``harvester --db DB ARGS`` as cron or ``$(...)`` starts it: output on pipes."""
    return subprocess.Popen(
        [sys.executable, "-m", "harvester", "--db", str(db), *map(str, args)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        start_new_session=True,
    )


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


def finish(process: subprocess.Popen[bytes]) -> Finished:
    """Wait for the pipes to close (every holder gone) and for the process."""
    out, err = process.communicate(timeout=HANG_GUARD_S)
    return Finished(process.returncode, out.decode(errors="replace"), err.decode(errors="replace"))


def marked_processes(marker: str) -> list[int]:
    """Live processes (zombies are dead) whose environment carries ``marker``."""
    found = []
    needle = f"HARVESTER_TEST_MARKER={marker}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def wait_until(predicate: Callable[[], bool]) -> None:
    """Poll until ``predicate`` holds (the hang guard aside, no time limit)."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > HANG_GUARD_S:
            raise AssertionError("hung: the awaited state never came")
        time.sleep(_POLL_S)


def stored_records(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return int(conn.execute("SELECT count(*) FROM source_records").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def wal_size(db: Path) -> int:
    try:
        return Path(f"{db}-wal").stat().st_size
    except OSError:
        return 0


# -- inputs ---------------------------------------------------------------------------------


def write_inputs(folder: Path, files: int, per_file: int, seed: int, overlap: int = 0) -> None:
    """``files`` exports (RIS and BibTeX in turn) of a synthetic library with duplicates; each
    file repeats ``overlap`` records of the one before it (nothing may be stored twice)."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        first = max(0, f * per_file - overlap)
        items = [r.item for r in iter_library((f + 1) * per_file, seed=seed, start=first)]
        writer, suffix = (write_ris, "ris") if f % 2 == 0 else (write_bibtex, "bib")
        (folder / f"export-{f:02d}.{suffix}").write_text("".join(writer(items)), "utf-8")


# -- the library's state ----------------------------------------------------------------------


def with_sync_source(db: Path, name: str, folder: Path) -> Path:
    """A library with a folder sync source (set up in this process: one harvester start less)."""
    from harvester.ops.sync import add_source
    from harvester.store import Library

    with Library(db) as library:
        add_source(library, name, str(folder))
    return db


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def library_state(db: Path) -> dict[str, Any]:
    """What a user has, independent of run ids and times: every record (by content hash) with
    the key of its work and why it joined it, every work's key and merged record, and the
    pairs left for review."""
    conn = sqlite3.connect(db)
    try:
        key = dict(conn.execute("SELECT id, citation_key FROM works"))
        hash_of = dict(conn.execute("SELECT id, content_hash FROM source_records"))
        records = sorted(
            (h, origin, position, key.get(work), joined or "")
            for h, origin, position, work, joined in conn.execute(
                "SELECT content_hash, origin, position, work_id, joined FROM source_records"
            )
        )
        works = sorted(conn.execute("SELECT citation_key, csl, provenance FROM works"))
        pairs = sorted(
            (hash_of[a], hash_of[b], score)
            for a, b, score in conn.execute("SELECT a, b, score FROM candidate_pairs")
        )
        return {"records": records, "works": works, "pairs": pairs}
    finally:
        conn.close()


def counts(state: dict[str, Any]) -> tuple[int, int, int]:
    """(records, works, records merged into another record's work)."""
    records = len(state["records"])
    works = len(state["works"])
    return records, works, records - works


# -- crash consistency ------------------------------------------------------------------------


@dataclass
class KillReport:
    kills: int = 0
    by_signal: dict[str, int] = field(default_factory=dict)
    while_writing: int = 0
    seeds: list[int] = field(default_factory=list)
    records_checked: int = 0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kills": self.kills,
            "by_signal": self.by_signal,
            "while_writing": self.while_writing,
            "seeds": self.seeds,
            "records_checked": self.records_checked,
            "problems": self.problems,
        }


def kill_at_random(
    process: subprocess.Popen[bytes],
    db: Path,
    rng: random.Random,
    clean_seconds: float,
    signum: int,
) -> bool:
    """Kill ``process`` at a random moment of its run (from the clean run's duration and the
    seed), or, one time in three, the moment its write-ahead log grows (a transaction being
    written or committed). Returns whether the kill was of the second kind."""
    if rng.random() < 1 / 3:
        wait_until(lambda: wal_size(db) > 0 or process.poll() is not None)
        seen = wal_size(db)
        skip = rng.randrange(0, 4)  # not always the first write
        for _ in range(skip + 1):
            wait_until(lambda s=seen: wal_size(db) != s or process.poll() is not None)
            seen = wal_size(db)
        process.send_signal(signum)
        return True
    time.sleep(rng.uniform(0.1, max(0.2, clean_seconds)))
    process.send_signal(signum)
    return False


def crash_chain(
    db: Path,
    args: list[str],
    clean: dict[str, Any],
    clean_seconds: float,
    seeds: list[int],
    report: KillReport,
    *,
    env_extra: dict[str, str] | None = None,
    before_each: Callable[[], None] | None = None,
) -> None:
    """Run ``harvester ARGS`` once per seed, each killed (SIGKILL or SIGTERM, by the seed) at a
    seeded random moment and each going on from what the one before left; after every kill
    the library passes ``PRAGMA integrity_check`` and no process of the run is left (worker
    included); a final run must end in exactly ``clean``."""
    for seed in seeds:
        rng = random.Random(seed)
        signum = signal.SIGKILL if seed % 2 == 0 else signal.SIGTERM
        marker = uuid.uuid4().hex
        if before_each:
            before_each()
        process = start(db, *args, env=environment(marker, **(env_extra or {})))
        writing = kill_at_random(process, db, rng, clean_seconds, signum)
        done = finish(process)  # returns once every holder of its pipes is gone
        report.kills += 1
        report.seeds.append(seed)
        report.while_writing += writing
        name = signal.Signals(signum).name
        report.by_signal[name] = report.by_signal.get(name, 0) + 1
        # Every process of the run goes by itself: a worker the kill found still starting
        # (forked, not yet tied to its parent) ends when it sees its parent gone.
        try:
            wait_until(lambda m=marker: not marked_processes(m))  # type: ignore[misc]
        except AssertionError:
            report.problems.append(
                f"seed {seed} ({name}): processes left: {marked_processes(marker)}"
            )
        if db.exists() and integrity(db) != "ok":
            report.problems.append(f"seed {seed} ({name}): integrity_check failed")
        # 143: SIGTERM handled (rolled back, one line); -15: it came while the interpreter was
        # still starting, before harvester's handler (and before anything was written).
        expected = {-signal.SIGKILL, -signal.SIGTERM, 128 + signal.SIGTERM, 0, 1}
        if done.returncode not in expected:
            report.problems.append(
                f"seed {seed} ({name}): exit {done.returncode}: {done.stderr.strip()[-300:]}"
            )
        if "Traceback" in done.stderr:
            report.problems.append(f"seed {seed} ({name}): traceback: {done.stderr[-300:]}")
        if signum == signal.SIGTERM and done.returncode == 128 + signal.SIGTERM:
            lines = [line for line in done.stderr.splitlines() if "interrupted" in line]
            if len(lines) != 1:
                report.problems.append(f"seed {seed}: SIGTERM said {done.stderr!r}")
    if before_each:
        before_each()
    final = finish(start(db, *args, env=environment(uuid.uuid4().hex, **(env_extra or {}))))
    if final.returncode not in (0, 1) or "Traceback" in final.stderr:
        report.problems.append(f"final run: exit {final.returncode}: {final.stderr[-300:]}")
    state = library_state(db)
    report.records_checked += len(state["records"])
    if state != clean:
        report.problems.append(
            f"final state differs from a clean run: {counts(state)} vs {counts(clean)}"
        )


def timed_run(db: Path, args: list[str], env_extra: dict[str, str] | None = None) -> float:
    """A clean run's wall time (to spread the kill moments over), and the run checked."""
    started = time.monotonic()
    done = finish(start(db, *args, env=environment(uuid.uuid4().hex, **(env_extra or {}))))
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def dump(report: KillReport) -> str:
    return json.dumps(report.as_dict())


# -- concurrent writers -----------------------------------------------------------------------

# What a writer may say on stderr while others write: that it waits, and what it wrote.
_ALLOWED = re.compile(
    r"^(harvester: waiting for another harvester process to finish writing |"
    r"auto-export updated: |\d+ works? written to )"
)


def partition(state: dict[str, Any]) -> set[frozenset[str]]:
    """The works as sets of their records' content hashes (keys and ids aside)."""
    works: dict[str, set[str]] = {}
    for content_hash, _origin, _position, key, _joined in state["records"]:
        works.setdefault(key, set()).add(content_hash)
    return {frozenset(members) for members in works.values()}


def concurrent_round(
    adds: list[Path], synced: Path, folder: Path, env_extra: dict[str, str]
) -> tuple[list[str], int]:
    """One `add` per file of ``adds``, a `sync` of ``synced`` and an `export`, started at once
    on a new library in ``folder``; then the same inputs imported alone, one after another.
    Returns the problems found (a failed run, a line that is neither waiting nor a result, a
    record lost or stored twice, other works than alone) and the records checked."""
    problems: list[str] = []
    db = with_sync_source(folder / "together.db", "folder", synced)
    env = environment(uuid.uuid4().hex, **env_extra)
    processes = [start(db, "add", "--no-enrich", path, env=env) for path in adds]
    processes.append(start(db, "sync", "--no-enrich", env=env))
    processes.append(start(db, "export", "-f", "bibtex", "-o", folder / "refs.bib", env=env))
    for process in processes:
        done = finish(process)
        command = " ".join(map(str, process.args[4:]))  # type: ignore[index]
        if done.returncode != 0:
            problems.append(f"{command}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
        problems += [
            f"{command}: said {line!r}"
            for line in done.stderr.splitlines()
            if not _ALLOWED.match(line)
        ]
    if integrity(db) != "ok":
        problems.append("integrity_check failed")
    alone = folder / "alone.db"
    every = [*adds, *sorted(synced.iterdir())]
    done = finish(start(alone, "add", "--no-enrich", *every, env=environment("a", **env_extra)))
    if done.returncode != 0:
        problems.append(f"alone: exit {done.returncode}: {done.stderr.strip()[-300:]}")
    together, apart = library_state(db), library_state(alone)
    hashes = [r[0] for r in together["records"]]
    if len(hashes) != len(set(hashes)):
        problems.append(f"{len(hashes) - len(set(hashes))} records stored twice")
    missing = {r[0] for r in apart["records"]} - set(hashes)
    if missing:
        problems.append(f"{len(missing)} records lost")
    if not problems and partition(together) != partition(apart):
        problems.append("other works than the same inputs imported one after another")
    return problems, len(hashes)
