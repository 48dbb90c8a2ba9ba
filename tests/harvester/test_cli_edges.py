"""Edges of the real `harvester` command: who creates a library, what a failure leaves behind,
where sync's warnings go, and how a work without authors is listed."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, STATE_DIR
from tests.harvester.cli_runner import run_cli
from tests.harvester.test_pages_as_copied import PROSE_AUTHOR  # its author row runs on into prose

DROPPED = 'dropped author "classifications, Here": not a name'


def _inbox_with_prose_page(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A library with a folder source ``inbox`` holding one page whose author row runs on into
    prose (a warning when read): (inbox, page, library)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    page = inbox / "page.txt"
    page.write_text(PROSE_AUTHOR, "utf-8")
    db = tmp_path / "lib.db"
    assert run_cli("sync", "add", "inbox", inbox, db=db).returncode == 0
    return inbox, page, db


def test_plain_sync_creates_the_library_and_says_so_once(tmp_path: Path) -> None:
    db = tmp_path / "state" / "lib.db"
    first = run_cli("sync", db=db, process=True)
    assert first.returncode == 0, first.stderr
    assert db.is_file()
    assert first.stderr.count(f"created a new library at {db}") == 1
    assert "no sync sources configured" in first.stderr
    again = run_cli("sync", db=db)
    assert again.returncode == 0 and "created" not in again.stderr


def test_a_dry_run_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "state" / "lib.db"
    result = run_cli("sync", "--dry-run", db=db)
    assert result.returncode == 2
    assert result.stderr == f"harvester: no library at {db}\n"
    assert not (tmp_path / "state").exists()


def test_a_failing_sync_add_leaves_no_file_and_no_folder(tmp_path: Path) -> None:
    db = tmp_path / "new" / "deeper" / "lib.db"
    result = run_cli("sync", "add", "inbox", tmp_path / "no-such-folder", db=db)
    assert result.returncode == 2
    assert result.stderr.startswith("harvester: ") and "no such file or folder" in result.stderr
    assert list(tmp_path.iterdir()) == []
    # A folder that was there before stays (and so does whatever else is in it).
    (tmp_path / "mine").mkdir()
    db = tmp_path / "mine" / "lib.db"
    assert run_cli("sync", "add", "bad name!", tmp_path, db=db).returncode == 2
    assert (tmp_path / "mine").is_dir() and not db.exists()


def test_a_successful_sync_add_keeps_its_new_folder(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "new" / "lib.db"
    result = run_cli("sync", "add", "inbox", inbox, db=db)
    assert result.returncode == 0, result.stderr
    assert db.is_file()


def test_sync_prints_the_warnings_add_prints(tmp_path: Path) -> None:
    _, page, db = _inbox_with_prose_page(tmp_path)
    result = run_cli("sync", "--no-enrich", db=db)
    assert result.returncode == 0, result.stderr
    # Under cron (no terminal) stderr is for failures only: the warning follows the summary.
    summary, *rest = result.stdout.splitlines()
    assert summary.startswith("inbox: 1 new")
    assert f"harvester: warning: inbox: {page} (record 1): {DROPPED}" in rest
    assert "warning" not in result.stderr
    # `add` says the same, once, on stderr.
    added = run_cli("add", "--no-enrich", page, db=tmp_path / "other.db")
    assert added.stderr.splitlines().count(f"harvester: warning: {page} (record 1): {DROPPED}") == 1


def test_sync_json_keeps_the_warnings_in_the_json(tmp_path: Path) -> None:
    inbox, _, db = _inbox_with_prose_page(tmp_path)
    result = run_cli("sync", "--no-enrich", "--json", db=db)
    assert result.returncode == 0, result.stderr
    (source,) = json.loads(result.stdout)["sources"]
    assert source["warnings"] == [f"{inbox / 'page.txt'} (record 1): {DROPPED}"]
    assert "warning" not in result.stderr


def test_search_lists_a_work_without_authors_without_brackets(tmp_path: Path) -> None:
    works = [
        {"type": "book", "title": "Anonymous chronicle of Zwickau", "issued": {"date-parts": [[1890]]}},
        {"type": "book", "title": "Chronicle of the guilds", "editor": [{"family": "Meyer", "given": "Ina"}]},
        {"type": "book", "title": "A chronicle with an author", "author": [{"family": "Roth"}]},
    ]  # fmt: skip
    data = tmp_path / "works.json"
    data.write_text(json.dumps(works), "utf-8")
    db = tmp_path / "lib.db"
    assert run_cli("add", "--no-enrich", data, db=db).returncode == 0
    result = run_cli("search", "chronicle", db=db, env={"COLUMNS": "160"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "[]" not in result.stdout and "null" not in result.stdout
    (anonymous,) = [line for line in lines if "Zwickau" in line]
    assert "1890" in anonymous
    (edited,) = [line for line in lines if "guilds" in line]
    assert "Meyer, Ina (ed.)" in edited
    (authored,) = [line for line in lines if "with an author" in line]
    assert "Roth" in authored


def test_at_a_terminal_sync_warnings_go_to_stderr(tmp_path: Path) -> None:
    _, page, db = _inbox_with_prose_page(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HARVESTER_")}
    env |= {
        "PYTHONPATH": str(REPO),
        "HARVESTER_CONFIG": str(tmp_path / "no-config.toml"),
        "HARVESTER_STATE_DIR": str(STATE_DIR),
    }
    terminal, stderr = pty.openpty()  # stderr a terminal, stdout a pipe
    with subprocess.Popen(
        [sys.executable, "-m", "harvester", "--db", str(db), "sync", "--no-enrich"],
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=env,
        cwd=REPO,
        text=True,
    ) as process:
        os.close(stderr)
        seen = b""
        while True:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            seen += chunk
        out = process.stdout.read() if process.stdout else ""
    os.close(terminal)
    assert process.returncode == 0
    assert out.startswith("inbox: 1 new") and "warning" not in out
    assert f"harvester: warning: inbox: {page} (record 1): {DROPPED}" in seen.decode()
