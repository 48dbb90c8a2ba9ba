"""`harvester sync` against a real OAI-PMH server on 127.0.0.1, real folders, real processes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from harvester.cli import cli
from harvester.cli import sync_commands as sync_cli
from harvester.ops import sync as sync_module
from harvester.ops.sync import (
    Holder,
    Lease,
    SyncOptions,
    acquire_lease,
    add_source,
    get_source,
    list_sources,
    release_lease,
    remove_source,
    renew_lease,
    run_sync,
)
from harvester.sources.oaipmh import RetryPolicy
from harvester.store import Library
from records.errors import UsageError
from tests.conftest import REPO, STATE_DIR
from tests.fakes.local_http import LocalHTTP, QuietHandler
from tests.fakes.oai_server import FakeRecord, Fault, OAIServer, dc_record
from tests.fakes.web_server import FakeWeb, Page
from tests.harvester.cli_runner import run_cli

T0 = "2024-06-01T12:00:00Z"


def _records(numbers: range, datestamp: str = "2024-01-15T08:00:00Z") -> list:
    return [dc_record(n, datestamp) for n in numbers]


class Waits(list):
    """A `sleep` that records the waits asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _fast(**changes: object) -> SyncOptions:
    """Options whose waits are recorded (``options.sleep`` is a :class:`Waits`)."""
    changes.setdefault("enrich", False)  # these tests are about harvesting (no Crossref)
    return SyncOptions(
        retry=RetryPolicy(attempts=6, backoff=1.0, max_wait=30), sleep=Waits(), **changes
    )


def _stored(db: Path | Library) -> list[tuple[str, str]]:
    """(source_id, content_hash) of every stored record."""
    conn = db.db.conn if isinstance(db, Library) else sqlite3.connect(db)
    rows = conn.execute(
        "SELECT source_id, content_hash FROM source_records ORDER BY source_id"
    ).fetchall()
    if not isinstance(db, Library):
        conn.close()
    return rows


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HARVESTER_")}
    env.update(
        PYTHONPATH=str(REPO),
        HARVESTER_CROSSREF_URL="http://127.0.0.1:9",
        HARVESTER_MAILTO="harvester-tests@example.org",
        HARVESTER_CONFIG=str(REPO / "no-such-config.toml"),
        HARVESTER_STATE_DIR=str(STATE_DIR),
    )
    return env


def _sync_process(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "harvester", "--db", str(db), "sync", *args],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(query: str, db: Path, predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = sqlite3.connect(db, timeout=5)
            value = conn.execute(query).fetchone()[0]
            conn.close()
            if predicate(value):
                return
        except sqlite3.OperationalError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {query}")


# -- OAI-PMH: first and incremental harvests ---------------------------------------------------


def test_first_harvest_imports_everything_across_pages(db_path):
    with OAIServer(_records(range(1, 11)), page_size=3) as server, Library(db_path) as library:
        add_source(library, "repo", server.url)
        report = run_sync(library, options=_fast())
        source = report.sources[0]
        assert report.exit_code == 0
        # Month by month from the earliest datestamp to the repository's clock: the first
        # window holds the ten records (four pages), the five others are empty.
        assert (source.status, source.windows, source.imported.new_records) == ("done", 6, 10)
        assert source.pages == 4 + 5
        starts = [q for q in server.list_requests() if "resumptionToken" not in q]
        assert [(q["from"], q["until"]) for q in starts] == [
            ("2024-01-15T08:00:00Z", "2024-01-31T23:59:59Z"),
            ("2024-02-01T00:00:00Z", "2024-02-29T23:59:59Z"),
            ("2024-03-01T00:00:00Z", "2024-03-31T23:59:59Z"),
            ("2024-04-01T00:00:00Z", "2024-04-30T23:59:59Z"),
            ("2024-05-01T00:00:00Z", "2024-05-31T23:59:59Z"),
            ("2024-06-01T00:00:00Z", T0),
        ]
        assert sum("resumptionToken" in q for q in server.list_requests()) == 3
        stored = _stored(library)
        assert sorted(s for s, _ in stored) == sorted(
            f"oai:fake.example.org:{n}" for n in range(1, 11)
        )
        state = get_source(library, "repo")
        assert state.harvested_until == T0 and state.resume_token is None
        assert library.counts()["works"] == 10


def test_second_harvest_asks_from_and_imports_only_new_records(db_path):
    with OAIServer(_records(range(1, 8)), page_size=3) as server, Library(db_path) as library:
        add_source(library, "repo", server.url)
        run_sync(library, options=_fast())
        first = len(server.list_requests())
        # Later: two new records, one changed, one deleted; the repository's clock moved on.
        server.records += _records(range(8, 10), "2024-06-02T09:00:00Z")
        # Record 1 is corrected beyond what dedup would match (title and DOI): still one item.
        server.records[0] = dc_record(
            1,
            "2024-06-03T10:00:00Z",
            title=["A corrected title for the first harvested item"],
            identifier=["https://doi.org/10.5555/corrected.1"],
        )
        deleted = server.records[1]
        deleted.deleted, deleted.datestamp = True, "2024-06-03T11:00:00Z"
        server.now = "2024-06-04T00:00:00Z"
        report = run_sync(library, options=_fast())
        source = report.sources[0]
        second = server.list_requests()[first:]
        # From the last responseDate minus 48 hours, in the repository's own windows.
        assert (second[0]["from"], second[0]["until"]) == (
            "2024-05-30T12:00:00Z",
            "2024-05-31T23:59:59Z",
        )
        assert (second[1]["from"], second[1]["until"]) == (
            "2024-06-01T00:00:00Z",
            "2024-06-04T00:00:00Z",
        )
        assert (source.imported.new_records, source.deleted, source.pages) == (3, 1, 1 + 2)
        assert source.imported.already_stored == 0  # the server filtered: nothing old came back
        ids = [s for s, _ in _stored(library)]
        assert len(ids) == 7 + 3 and ids.count("oai:fake.example.org:1") == 2  # both versions
        assert "oai:fake.example.org:2" in ids  # a deletion forgets nothing already stored
        versions = library.db.execute(
            "SELECT DISTINCT work_id FROM source_records WHERE source_id = ?",
            ["oai:fake.example.org:1"],
        ).fetchall()
        assert len(versions) == 1 and library.counts()["works"] == 9
        row = library.db.execute(
            "SELECT deleted, datestamp FROM sync_oai_records WHERE identifier = ?",
            ["oai:fake.example.org:2"],
        ).fetchone()
        assert row == (1, "2024-06-03T11:00:00Z")
        assert get_source(library, "repo").harvested_until == "2024-06-04T00:00:00Z"
        # A third run finds nothing new: an empty list (noRecordsMatch) is a success.
        report = run_sync(library, options=_fast())
        assert report.exit_code == 0 and report.sources[0].imported.new_records == 0


def test_day_granularity_is_respected_in_from(db_path):
    server = OAIServer(_records(range(1, 4)), granularity="YYYY-MM-DD")
    with server, Library(db_path) as library:
        add_source(library, "repo", server.url)
        run_sync(library, options=_fast())
        asked = len(server.list_requests())
        run_sync(library, options=_fast())
        assert server.list_requests()[asked]["from"] == "2024-05-30"  # T0's day minus 48 hours
        # The boundary day is looked at again (from is inclusive); nothing is stored twice.
        assert len(_stored(library)) == 3


def test_deleted_record_is_recorded_not_imported(db_path):
    records = _records(range(1, 4))
    records[1].deleted = True
    with OAIServer(records) as server, Library(db_path) as library:
        add_source(library, "repo", server.url)
        source = run_sync(library, options=_fast()).sources[0]
        assert (source.imported.new_records, source.deleted) == (2, 1)
        assert "oai:fake.example.org:2" not in {s for s, _ in _stored(library)}


# -- OAI-PMH: faults ---------------------------------------------------------------------------


def test_503_storm_is_survived_honouring_retry_after(db_path):
    with OAIServer(_records(range(1, 7)), page_size=3) as server, Library(db_path) as library:
        add_source(library, "repo", server.url)
        # Faults hit requests in turn: page 1 is refused four times, page 2 twice.
        server.inject(*[Fault("503", retry_after="7")] * 4, Fault("none"))
        server.inject(Fault("429"), Fault("500"))  # no Retry-After: backoff
        options = _fast()
        report = run_sync(library, options=options)
        source = report.sources[0]
        assert report.exit_code == 0 and source.imported.new_records == 6
        assert options.sleep == [7, 7, 7, 7, 1.0, 2.0]  # Retry-After, then doubling backoff
        # Identify, the first window's two pages, the five empty monthly windows.
        assert source.retries == 6 and source.requests == 1 + 5 + 3 + 5


def test_retries_are_bounded_and_a_failed_harvest_keeps_its_state(db_path):
    with OAIServer(_records(range(1, 7)), page_size=3) as server, Library(db_path) as library:
        add_source(library, "repo", server.url)
        server.inject(Fault("503", retry_after="1"), Fault("none"))  # page 1: once, then fine
        server.inject(*[Fault("503", retry_after="1")] * 6)  # page 2: all 6 attempts
        options = _fast()
        report = run_sync(library, options=options)
        source = report.sources[0]
        assert report.exit_code == 1 and source.status == "failed"
        assert source.error.startswith("repo: ") and "failed 6 times" in source.error
        assert len(options.sleep) == 1 + 5
        state = get_source(library, "repo")
        assert state.harvested_until is None and state.resume_token  # checkpoint after page 1
        assert len(_stored(library)) == 3
        # The next run resumes at page 2 and completes.
        report = run_sync(library, options=_fast())
        assert report.exit_code == 0 and report.sources[0].resumed
        assert len(_stored(library)) == 6 and get_source(library, "repo").harvested_until == T0


def test_a_retry_after_beyond_the_policy_ends_the_attempt(db_path):
    with OAIServer(_records(range(1, 3))) as server, Library(db_path) as library:
        add_source(library, "repo", server.url)
        server.inject(Fault("503", retry_after="3600"))
        options = _fast()
        source = run_sync(library, options=options).sources[0]
        assert source.status == "failed" and "3600" in source.error and options.sleep == []


def test_slow_and_cut_off_responses_are_retried(db_path):
    with OAIServer(_records(range(1, 7)), page_size=3) as server, Library(db_path) as library:
        add_source(library, "repo", server.url)
        server.inject(Fault("cut"), Fault("slow", seconds=1.5))
        report = run_sync(library, options=_fast(timeout=0.5))
        assert report.exit_code == 0, report.sources[0].error
        assert report.sources[0].retries == 2 and len(_stored(library)) == 6


def test_bad_resumption_token_restarts_the_list_without_duplicates(db_path):
    with OAIServer(_records(range(1, 10)), page_size=3) as server, Library(db_path) as library:
        add_source(library, "repo", server.url)
        server.inject(Fault("none"), Fault("badtoken"))  # page 2's token "expires"
        source = run_sync(library, options=_fast()).sources[0]
        assert source.status == "done" and source.restarts == 1
        assert source.imported.new_records == 9 and source.imported.already_stored == 3
        assert len(_stored(library)) == 9


def test_token_loop_is_detected(db_path):
    with OAIServer(_records(range(1, 10)), page_size=3) as server, Library(db_path) as library:
        add_source(library, "repo", server.url)
        server.inject(Fault("none"), Fault("loop"), Fault("loop"))
        source = run_sync(library, options=_fast()).sources[0]
        assert source.status == "failed" and "twice" in source.error
        assert get_source(library, "repo").harvested_until is None


def test_an_expired_checkpoint_restarts_the_list(db_path):
    with OAIServer(_records(range(1, 10)), page_size=3) as server, Library(db_path) as library:
        add_source(library, "repo", server.url)
        server.inject(Fault("none"), *[Fault("500")] * 6)
        assert run_sync(library, options=_fast()).exit_code == 1
        server.generation += 1  # the repository restarted: every token is void
        asked = len(server.list_requests())
        source = run_sync(library, options=_fast()).sources[0]
        assert source.status == "done" and source.resumed  # in the window it stopped in
        refused, restart = server.list_requests()[asked : asked + 2]
        assert "resumptionToken" in refused
        assert (restart["from"], restart["until"]) == (
            "2024-01-15T08:00:00Z",
            "2024-01-31T23:59:59Z",
        )
        assert len(_stored(library)) == 9


# -- leases --------------------------------------------------------------------------------


def test_lease_is_exclusive_renewable_and_released(db_path):
    with Library(db_path) as library:
        lease = acquire_lease(library, "repo", ttl=60)
        assert isinstance(lease, Lease)
        other = acquire_lease(library, "repo", ttl=60)
        assert isinstance(other, Holder) and other.pid == os.getpid()
        renew_lease(library, lease, ttl=60)
        release_lease(library, lease)
        assert isinstance(acquire_lease(library, "repo", ttl=60), Lease)


def test_expired_lease_is_taken_over_and_the_old_owner_notices(db_path):
    with Library(db_path) as library:
        old = acquire_lease(library, "repo", ttl=-1)  # already expired
        new = acquire_lease(library, "repo", ttl=60)
        assert isinstance(old, Lease) and isinstance(new, Lease)
        with pytest.raises(sync_module.LeaseLost):
            renew_lease(library, old)


def test_lease_of_a_dead_process_is_taken_over(db_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with Library(db_path) as library:
        lease = acquire_lease(library, "repo", ttl=600)
        library.db.execute("UPDATE sync_leases SET pid = ?", [gone.pid])
        assert isinstance(acquire_lease(library, "repo", ttl=600), Lease)
        assert isinstance(lease, Lease)


def test_a_source_held_by_another_run_is_skipped(db_path):
    with OAIServer(_records(range(1, 3))) as server, Library(db_path) as library:
        add_source(library, "repo", server.url)
        lease = acquire_lease(library, "repo")
        report = run_sync(library, options=_fast())
        assert report.exit_code == 0 and report.sources[0].status == "skipped"
        assert server.list_requests() == [] and _stored(library) == []
        release_lease(library, lease)


# -- real processes: kill -9, overlap ----------------------------------------------------------


def test_killed_harvest_resumes_without_loss_or_duplicates(tmp_path):
    db = tmp_path / "lib.db"
    with OAIServer(_records(range(1, 31)), page_size=3) as server:
        with Library(db) as library:
            add_source(library, "repo", server.url)
        server.delay = 0.15
        process = _sync_process(db)
        _wait_for("SELECT count(*) FROM sync_oai_records", db, lambda n: n >= 9)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        with Library(db) as library:
            partial = len(_stored(library))
            assert 9 <= partial < 30
            assert library.db.execute("SELECT pid FROM sync_leases").fetchone()[0] == process.pid
        server.delay = 0
        before = len(server.list_requests())
        result = run_cli("sync", "--json", db=db, env={"HARVESTER_MAILTO": "tests@example.org"})
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""  # quiet: no progress display off a terminal
        summary = json.loads(result.stdout)["sources"][0]
        assert summary["resumed"] is True
        assert "resumptionToken" in server.list_requests()[before]  # not from the start
        stored = _stored(db)
        assert sorted(s for s, _ in stored) == sorted(
            f"oai:fake.example.org:{n}" for n in range(1, 31)
        )
        assert len({h for _, h in stored}) == 30
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT count(*) FROM sync_leases").fetchone()[0] == 0
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()


def test_sigterm_rolls_back_releases_the_lease_and_says_so(tmp_path):
    db = tmp_path / "lib.db"
    with OAIServer(_records(range(1, 31)), page_size=3) as server:
        with Library(db) as library:
            add_source(library, "repo", server.url)
        server.delay = 0.15
        process = _sync_process(db)
        _wait_for("SELECT count(*) FROM sync_oai_records", db, lambda n: n >= 6)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        assert process.returncode == 128 + signal.SIGTERM
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM sync_leases").fetchone()[0] == 0
    assert conn.execute("SELECT last_status, last_error FROM sync_sources").fetchone() == (
        "failed",
        "repo: interrupted",
    )
    # SIGTERM is an interrupt, as Ctrl-C is: the run is marked so, not as a failure.
    assert conn.execute("SELECT status FROM runs WHERE command LIKE 'sync%'").fetchone() == (
        "interrupted",
    )
    # Every committed record has its OAI state beside it (whole pages or nothing).
    assert conn.execute(
        "SELECT count(*) FROM source_records s LEFT JOIN sync_oai_records o"
        " ON o.record_id = s.id WHERE o.identifier IS NULL"
    ).fetchone() == (0,)
    conn.close()


def test_two_overlapping_syncs_do_not_harvest_the_same_source(tmp_path):
    db = tmp_path / "lib.db"
    with OAIServer(_records(range(1, 16)), page_size=3) as server:
        with Library(db) as library:
            add_source(library, "repo", server.url)
        server.delay = 0.3  # five pages: the harvest lasts well over a second
        runs = [_sync_process(db), _sync_process(db)]  # started together, as two crons would
        outputs = [run.communicate(timeout=60) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        skipped = [out for out, _ in outputs if "repo: skipped, being harvested by pid" in out]
        harvested = [out for out, _ in outputs if "repo: 15 new" in out]
        assert len(skipped) == 1 and len(harvested) == 1, outputs
        starts = [q for q in server.list_requests() if "resumptionToken" not in q]
        windows = [(q["from"], q["until"]) for q in starts]
        assert len(windows) == len(set(windows)) == 6  # each monthly window listed once
        assert len(_stored(db)) == 15


# -- folders and files ---------------------------------------------------------------------

RIS = """TY  - JOUR
TI  - {title}
AU  - Author{n}, Anna
PY  - 2020
JO  - Journal of Synthetic Results
VL  - {n}
DO  - 10.5555/ris.{n}
ER  -
"""


def test_folder_source_skips_unchanged_files_without_parsing(tmp_path, monkeypatch):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for n in (1, 2):
        (folder / f"f{n}.ris").write_text(RIS.format(title=f"Folder study {n}", n=n))
    parsed: list[str] = []
    real_parse = sync_module.parse_bytes
    monkeypatch.setattr(
        sync_module,
        "parse_bytes",
        lambda data, origin: parsed.append(origin) or real_parse(data, origin),
    )
    with Library(tmp_path / "lib.db") as library:
        add_source(library, "inbox", str(folder))
        first = run_sync(library).sources[0]
        assert (first.files_read, first.imported.new_records) == (2, 2)
        parsed.clear()
        second = run_sync(library).sources[0]
        assert (second.files_read, second.files_unchanged, parsed) == (0, 2, [])
        # Touched but unchanged: read and hashed, not parsed.
        os.utime(folder / "f1.ris", ns=(time.time_ns(), time.time_ns() + 10**9))
        third = run_sync(library).sources[0]
        assert (third.files_read, third.files_unchanged, parsed) == (0, 2, [])
        # Changed and new files are imported.
        (folder / "f2.ris").write_text(RIS.format(title="Folder study 2, revised", n=2))
        (folder / "f3.ris").write_text(RIS.format(title="Folder study 3", n=3))
        fourth = run_sync(library).sources[0]
        assert fourth.files_read == 2 and sorted(Path(p).name for p in parsed) == [
            "f2.ris",
            "f3.ris",
        ]
        assert fourth.imported.new_records == 2
        # --full looks at everything again; storing stays idempotent.
        full = run_sync(library, options=SyncOptions(full=True)).sources[0]
        assert full.files_read == 3 and full.imported.new_records == 0


def test_file_source_and_a_bad_file_is_reported_once(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("nothing bibliographic here at all\n")
    with Library(tmp_path / "lib.db") as library:
        add_source(library, "one", str(bad))
        report = run_sync(library)
        assert report.exit_code == 1
        assert report.sources[0].messages()[0].startswith(f"one: {bad}")
        assert run_sync(library).exit_code == 0  # unchanged: not read again


class _RISHandler(QuietHandler):
    """One RIS document with an ETag; answers 304 to a matching If-None-Match."""

    body = b""
    seen: ClassVar[list[str | None]] = []

    def do_GET(self) -> None:
        etag = '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'
        type(self).seen.append(self.headers.get("If-None-Match"))
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


def test_url_source_uses_etags_and_imports_changes(db_path):
    _RISHandler.body = RIS.format(title="Fetched study 1", n=1).encode()
    _RISHandler.seen = []
    server = LocalHTTP(_RISHandler)
    server.start()
    url = server.root + "/refs.ris"
    try:
        with Library(db_path) as library:
            add_source(library, "web", url, kind="url")
            assert run_sync(library).sources[0].imported.new_records == 1
            again = run_sync(library).sources[0]
            assert (again.files_unchanged, again.imported.new_records) == (1, 0)
            assert _RISHandler.seen[0] is None and _RISHandler.seen[1] is not None  # 304
            _RISHandler.body += RIS.format(title="Fetched study 2", n=2).encode()
            changed = run_sync(library).sources[0]
            assert (changed.imported.new_records, changed.imported.already_stored) == (1, 1)
    finally:
        server.stop()


def test_url_source_reads_the_charset_the_server_declares(db_path):
    latin = (
        "TY  - JOUR\nTI  - Über die Größe der Öffnung\nAU  - Müller, Jürgen\nPY  - 2019\nER  - \n"
    )
    # cp1250 bytes read as the cp1252 a file without a declaration is taken to be would give
    # "Dvoøák": only the header says what they are.
    czech = "TY  - JOUR\nTI  - Symfonie č. 9 Z Nového světa\nAU  - Dvořák, Antonín\nPY  - 1893\nER  - \n"
    with FakeWeb() as web, Library(db_path) as library:
        add_source(
            library,
            "latin",
            web.add(
                "/latin.ris",
                latin.encode("latin-1"),
                content_type="application/x-research-info-systems; charset=ISO-8859-1",
            ),
            kind="url",
        )
        add_source(
            library,
            "czech",
            web.add(
                "/czech.ris",
                czech.encode("cp1250"),
                content_type="text/plain; charset=windows-1250",
            ),
            kind="url",
        )
        report = run_sync(library, options=_fast())
        assert report.exit_code == 0, [s.messages() for s in report.sources]
        stored = {r.origin: r.csl for r in library.iter_records()}
    assert stored[web.url("/latin.ris")]["title"] == "Über die Größe der Öffnung"
    assert stored[web.url("/latin.ris")]["author"] == [{"family": "Müller", "given": "Jürgen"}]
    assert stored[web.url("/czech.ris")]["title"] == "Symfonie č. 9 Z Nového světa"
    assert stored[web.url("/czech.ris")]["author"] == [{"family": "Dvořák", "given": "Antonín"}]


def test_url_source_is_checked_and_retried_as_add_url_is(db_path):
    with FakeWeb() as web, Library(db_path) as library:
        pdf = web.add(
            "/paper.pdf", b"%PDF-1.7\n" + bytes(range(256)), content_type="application/pdf"
        )
        busy = web.add("/refs.ris", RIS.format(title="Busy study", n=1), content_type="text/plain")
        web.queue("/refs.ris", Page(b"busy", status=503, headers={"Retry-After": "7"}))
        add_source(library, "busy", busy, kind="url")
        add_source(library, "paper", pdf, kind="url")
        options = _fast()
        report = run_sync(library, options=options)
        done, refused = report.sources
        assert (done.name, done.status, done.imported.new_records) == ("busy", "done", 1)
        assert options.sleep == [7] and web.hits("/refs.ris") == 2
        assert refused.status == "failed" and refused.error == (
            f"paper: {pdf}: served as application/pdf, not as text: harvester reads web pages"
            " and text exports (BibTeX, RIS, ...), not documents or images"
        )
        assert get_source(library, "paper").content_hash is None  # tried again next run


# -- the command line ------------------------------------------------------------------------


def test_bad_xml_names_the_source_and_the_run_goes_on(tmp_path):
    db = tmp_path / "lib.db"
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.ris").write_text(RIS.format(title="Still imported", n=1))
    with OAIServer(_records(range(1, 4))) as server:
        server.always_bad_xml = True
        with Library(db) as library:
            add_source(library, "a-broken", server.url)
            add_source(library, "b-inbox", str(folder))
        result = run_cli("sync", db=db, env={"HARVESTER_MAILTO": "tests@example.org"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("harvester: failed: a-broken: ")
    assert "invalid XML" in lines[0]
    assert "b-inbox: 1 new" in result.stdout
    listing = json.loads(_invoke(db, "sync", "list", "--json").stdout)
    assert [(s["name"], s["last_status"]) for s in listing] == [
        ("a-broken", "failed"),
        ("b-inbox", "done"),
    ]


def _invoke(db: Path, *args: str):
    """The CLI in-process (click's runner): fast, same code path as the console script."""
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_cli_add_list_remove_and_usage_errors(tmp_path):
    db = tmp_path / "lib.db"
    folder = tmp_path / "inbox"
    folder.mkdir()
    added = _invoke(db, "sync", "add", "repo", "http://127.0.0.1:9/oai", "--set", "med")
    assert added.exit_code == 0 and "oai-pmh, oai_dc" in added.stdout
    assert _invoke(db, "sync", "add", "inbox", str(folder)).exit_code == 0
    listing = json.loads(_invoke(db, "sync", "list", "--json").stdout)
    assert [(s["name"], s["kind"], s["set"]) for s in listing] == [
        ("inbox", "folder", None),
        ("repo", "oai-pmh", "med"),
    ]
    for args in (
        ("sync", "add", "repo", str(folder)),  # exists
        ("sync", "add", "list", str(folder)),  # reserved
        ("sync", "add", "log", str(folder)),  # reserved: `harvester sync log` is a command
        ("sync", "add", "x", str(tmp_path / "missing")),
        ("sync", "add", "y", str(folder), "--set", "s"),
        ("sync", "add", "z", str(folder), "--kind", "ftp"),
        ("sync", "no-such-source"),
    ):
        result = _invoke(db, *args)
        assert result.exit_code == 2, args
        assert isinstance(result.exception, SystemExit)  # reported, not a traceback
        assert result.stderr.startswith("harvester: error: ") or "Error: " in result.stderr
    assert _invoke(db, "sync", "remove", "repo").exit_code == 0
    assert _invoke(db, "sync", "remove", "repo").exit_code == 1
    only = _invoke(db, "sync", "inbox", "--json")
    assert only.exit_code == 0 and json.loads(only.stdout)["sources"][0]["name"] == "inbox"
    plain = _invoke(db, "sync")  # no arguments at all: every source
    assert plain.exit_code == 0 and plain.stdout.startswith("inbox: 0 new")


def test_cli_choices_match_the_library():
    assert set(sync_cli.KINDS) == set(sync_module.KINDS)
    assert set(sync_cli.METADATA_PREFIXES) == set(sync_module.METADATA_PREFIXES)


def test_library_api_mirrors_the_cli(db_path):
    with Library(db_path) as library:
        with pytest.raises(UsageError):
            add_source(library, "bad name", "http://127.0.0.1:9/")
        with pytest.raises(UsageError):
            add_source(library, "m", "http://127.0.0.1:9/", metadata_prefix="mods")
        add_source(library, "u", "http://127.0.0.1:9/refs.bib", kind="url")
        assert [s.name for s in list_sources(library)] == ["u"]
        with pytest.raises(UsageError):
            run_sync(library, ["nope"])
        assert remove_source(library, "u") and not list_sources(library)


# -- OAI-PMH with MARCXML ------------------------------------------------------------------------


def _marc_records() -> list:
    """The real MARCXML records of pymarc's test batch, one repository item each."""
    from lxml import etree

    from tests.conftest import FIXTURES

    tree = etree.parse(str(FIXTURES / "formats" / "pymarc" / "test" / "batch.xml"))
    records = tree.getroot().findall("{http://www.loc.gov/MARC21/slim}record")
    assert len(records) >= 2
    return [
        FakeRecord(
            f"oai:fake.example.org:marc{n}",
            "2024-01-15T08:00:00Z",
            marc=etree.tostring(record, encoding="unicode"),
        )
        for n, record in enumerate(records, 1)
    ]


def test_marc21_harvest_parses_marcxml_records_like_a_marcxml_file(db_path):
    from records.parsers import parse_bytes
    from tests.conftest import FIXTURES

    items = _marc_records()
    expected = parse_bytes(
        (FIXTURES / "formats" / "pymarc" / "test" / "batch.xml").read_bytes(), "batch.xml"
    ).records
    with OAIServer(items, page_size=1) as server, Library(db_path) as library:
        add_source(library, "catalog", server.url, metadata_prefix="marc21")
        report = run_sync(library, options=_fast())
        source = report.sources[0]
        assert report.exit_code == 0 and source.status == "done"
        assert source.imported.new_records == len(items) == len(expected)
        assert {q.get("metadataPrefix") for q in server.list_requests()} == {"marc21", None}
        rows = library.db.execute(
            "SELECT source_id, format, csl FROM source_records ORDER BY id"
        ).fetchall()
        assert [r[0] for r in rows] == [i.identifier for i in items]
        assert {r[1] for r in rows} == {"marcxml"}
        assert [json.loads(r[2])["title"] for r in rows] == [e.csl["title"] for e in expected]
        # Incremental: one new record later, one deleted; the next harvest asks from the mark.
        title = expected[0].csl["title"].split(" ")[0]  # a word of the first record's 245
        corrected = items[0].marc.replace(title, "Corrected", 1)
        assert corrected != items[0].marc
        server.records.append(
            FakeRecord("oai:fake.example.org:marc9", "2024-06-02T09:00:00Z", marc=corrected)
        )
        server.records[1] = FakeRecord(items[1].identifier, "2024-06-02T10:00:00Z", deleted=True)
        server.now = "2024-06-03T00:00:00Z"
        asked = len(server.list_requests())
        report = run_sync(library, options=_fast())
        source = report.sources[0]
        assert server.list_requests()[asked]["from"] == "2024-05-30T12:00:00Z"  # T0 - 48 h
        assert (source.imported.new_records, source.deleted) == (1, 1)
        (newest,) = library.db.execute(
            "SELECT csl FROM source_records WHERE source_id = 'oai:fake.example.org:marc9'"
        ).fetchone()
        assert json.loads(newest)["title"].startswith("Corrected")
