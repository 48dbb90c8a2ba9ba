"""Issue 15 ("Trust"), part A: each defect reproduced through the real ``harvester`` command.

Nothing a user has is lost or emptied by a mistake; bad bytes are failure lines that name the
file, never a traceback, and never stop the files after them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from harvester.store import Library
from tests.harvester.cli_runner import run_cli

RIS = "TY  - JOUR\nTI  - {title}\nAU  - {author}\nPY  - {year}\nER  - \n"


def ris(title: str, author: str = "Smith, Jane", year: int = 2001) -> str:
    return RIS.format(title=title, author=author, year=year)


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-2000:]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A library with two works: one tagged 'toread' from refs/a.ris, one from b.ris."""
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "a.ris").write_text(ris("Liver surgery outcomes"))
    (tmp_path / "b.ris").write_text(ris("Kidney transplant survival", "Doe, John", 2010))
    db = tmp_path / "lib.db"
    added = run_cli("add", "--no-enrich", "refs/a.ris", "b.ris", db=db, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert f"created a new library at {db}" in added.stderr
    key = run_cli("search", "liver", "--json", db=db).stdout.split('"key": "')[1].split('"')[0]
    assert run_cli("tag", key, "--add", "toread", db=db).returncode == 0
    return db


# -- 1. a mistyped library path ----------------------------------------------------------------


def test_a_mistyped_library_never_empties_the_users_bib(library: Path, tmp_path: Path) -> None:
    refs = tmp_path / "refs.bib"
    assert run_cli("export", "-o", refs, db=library).returncode == 0
    before = refs.read_bytes()
    assert b"Liver surgery" in before
    typo = tmp_path / "typo" / "lib.db"
    for command in (
        ["export", "-f", "bibtex", "-o", str(refs)],
        ["search", "liver"],
        ["show", "smith2001liver"],
        ["sync", "list"],
    ):
        result = run_cli(*command, db=typo)
        no_traceback(result)
        assert result.returncode == 2, command
        assert result.stderr.strip() == f"harvester: no library at {typo}", command
    assert not typo.parent.exists()  # neither the file nor its folder
    assert refs.read_bytes() == before


def test_an_export_of_nothing_never_replaces_a_file_that_holds_data(tmp_path: Path) -> None:
    db, refs = tmp_path / "empty.db", tmp_path / "refs.bib"
    with Library(db, create=True) as library:
        assert library.counts()["works"] == 0
    refs.write_text("@article{mine, title={Kept}}\n")
    refused = run_cli("export", "-o", refs, db=db)
    no_traceback(refused)
    assert refused.returncode == 1
    assert "refs.bib: not replaced" in refused.stderr and "--force" in refused.stderr
    assert refs.read_text() == "@article{mine, title={Kept}}\n"
    forced = run_cli("export", "-o", refs, "--force", db=db)
    assert forced.returncode == 0 and refs.read_text() == ""


def test_an_add_whose_inputs_all_fail_leaves_no_empty_library(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    (tmp_path / "bad.ris").write_bytes(b"\x00" * 100)
    failed = run_cli("add", "--no-enrich", tmp_path / "bad.ris", tmp_path / "gone.bib", db=db)
    no_traceback(failed)
    assert failed.returncode == 1
    assert f"no library created at {db}: nothing could be stored" in failed.stderr
    assert "created a new library" not in failed.stderr
    assert "2 failed (no library created)" in failed.stdout
    assert not db.exists() and list(tmp_path.iterdir()) == [tmp_path / "bad.ris"]
    # One good input among bad ones: the library is made and keeps what could be stored.
    (tmp_path / "good.ris").write_text("TY  - JOUR\nTI  - Kept\nAU  - Doe, Jane\nPY  - 2020\nER  - \n")
    partly = run_cli("add", "--no-enrich", tmp_path / "bad.ris", tmp_path / "good.ris", db=db)
    assert partly.returncode == 1 and f"created a new library at {db}" in partly.stderr
    with Library(db) as library:
        assert library.counts()["works"] == 1
    # An existing library is never removed, even when it holds nothing and every input fails.
    empty = tmp_path / "empty.db"
    with Library(empty, create=True):
        pass
    assert run_cli("add", "--no-enrich", tmp_path / "bad.ris", db=empty).returncode == 1
    assert empty.exists()


def test_auto_exports_never_empty_a_file(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "toread.bib"
    made = run_cli("export", "-o", out, "--auto", "--tag", "toread", db=library)
    assert made.returncode == 0, made.stderr
    assert "Liver surgery" in out.read_text()
    key = run_cli("search", "liver", "--json", db=library).stdout.split('"key": "')[1]
    key = key.split('"')[0]
    untagged = run_cli("tag", key, "--remove", "toread", db=library)
    no_traceback(untagged)
    assert "not updated" in untagged.stderr and "toread" in untagged.stderr
    assert "Liver surgery" in out.read_text()


# -- 2. malformed CSL-JSON / CSL-YAML: failures, and the next files still run ------------------


def test_malformed_csl_files_are_failure_lines_and_later_files_import(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "1-deep.json").write_text('[{"title": ' + "[" * 100_000 + "]" * 100_000 + "}]")
    (folder / "2-deep.yaml").write_text("- id: a\n  title: " + "[" * 100_000 + "\n")
    (folder / "3-control.yaml").write_text("- id: a\n  title: x\uffffy\n")
    (folder / "4-good.ris").write_text(ris("Imported after the bad ones"))
    db = tmp_path / "lib.db"
    added = run_cli("add", "--no-enrich", folder, db=db)
    no_traceback(added)
    assert added.returncode == 1
    failed = [line for line in added.stderr.splitlines() if line.startswith("harvester: failed:")]
    assert len(failed) == 3
    assert "1-deep.json (record 1, line 1): invalid JSON: nested too deeply" in failed[0]
    assert "2-deep.yaml: invalid YAML: nested too deeply" in failed[1]
    assert "3-control.yaml (line 2): invalid YAML: character U+FFFF" in failed[2]
    assert "1 new works" in added.stdout
    # sync goes on past them too, and the next run does not stop at them again.
    assert run_cli("sync", "add", "inbox", folder, db=db).returncode == 0
    (folder / "5-later.ris").write_text(ris("Synced after the bad ones", "Roe, R.", 2020))
    synced = run_cli("sync", db=db)
    no_traceback(synced)
    assert synced.returncode == 1
    assert "1 new" in synced.stdout
    assert len(run_cli("search", "after bad ones", "--json", db=db).stdout.split('"key"')) == 3


# -- 7. odd search text ---------------------------------------------------------------------


SEARCHES: list[tuple[str, list[str] | None]] = [
    ('"', None),
    ("", None),
    ("*", None),
    ("-liver", None),
    ('"liver surgery"', ["Liver surgery outcomes"]),
    ("liv*", ["Liver surgery outcomes"]),
    ("liver OR kidney", ["Kidney transplant survival", "Liver surgery outcomes"]),
    ("surgery -liver", []),
    ("NOT AND NEAR( : ^", []),
    ('"unclosed liver', []),
]


def test_any_search_text_is_a_query_or_a_usage_error(library: Path) -> None:
    for query, found in SEARCHES:
        result = run_cli("search", "--json", "--", query, db=library)
        no_traceback(result)
        if found is None:
            assert result.returncode == 2, query
            assert result.stderr.startswith("harvester: error:") and "search" in result.stderr
        else:
            assert result.returncode == 0, (query, result.stderr)
            titles = sorted(w["csl"]["title"] for w in json.loads(result.stdout))
            assert titles == found, query


# -- 8. a giant CSV cell --------------------------------------------------------------------


def test_a_giant_csv_cell_keeps_the_rows_after_it(tmp_path: Path) -> None:
    table = tmp_path / "refs.csv"
    abstract = "word " * 40_000  # 200,000 characters, over the csv module's 131,072
    table.write_text(
        "title,author,year,abstract\n"
        'First row,"Smith, J",2001,short\n'
        f'Second row,"Doe, J",2002,"{abstract}"\n'
        'Third row,"Roe, R",2003,short\n'
    )
    added = run_cli("add", "--no-enrich", table, db=tmp_path / "lib.db")
    no_traceback(added)
    assert added.returncode == 0, added.stderr
    assert "3 parsed" in added.stdout and "3 new works" in added.stdout


# -- 9. file names that would forge lines -----------------------------------------------------


def test_a_newline_in_a_file_name_cannot_forge_a_line(tmp_path: Path) -> None:
    name = "thesis.bib\nharvester: failed: other.bib (record 3, line 7): spoofed"
    (tmp_path / name).write_bytes(b"\x00\x01\x02" * 4000)  # binary: a failure naming the file
    added = run_cli("add", "--no-enrich", name, db=tmp_path / "lib.db", cwd=tmp_path)
    no_traceback(added)
    assert added.returncode == 1
    lines = added.stderr.splitlines()
    failed = [line for line in lines if line.startswith("harvester: failed:")]
    assert failed == [
        "harvester: failed: thesis.bib\\nharvester: failed: other.bib (record 3, line 7): "
        "spoofed: binary file, not a bibliographic text format"
    ]


# -- 10. control characters anywhere in a file ----------------------------------------------


def test_control_characters_past_8kb_reach_neither_store_nor_ris_nor_terminal(
    tmp_path: Path,
) -> None:
    filler = "".join(ris(f"Filler record {i}") for i in range(120))  # well past 8 KB
    hostile = ris("Evil\x00 title\x1b[31m red\x07", "Nul\x00, Bell\x07")
    (tmp_path / "refs.ris").write_text(filler + hostile)
    db = tmp_path / "lib.db"
    added = run_cli("add", "--no-enrich", tmp_path / "refs.ris", db=db)
    assert added.returncode == 0, added.stderr
    stored = sqlite3.connect(db).execute("SELECT group_concat(csl) FROM works").fetchone()[0]
    assert "Evil title[31m red" in stored
    assert not any(c in stored for c in "\x00\x1b\x07")
    assert "\\u0000" not in stored and "\\u001b" not in stored
    exported = run_cli("export", "-f", "ris", "--search", "evil", db=db)
    assert "TI  - Evil title[31m red" in exported.stdout
    shown = run_cli("search", "evil", db=db)
    assert not any(c in exported.stdout + shown.stdout for c in "\x00\x1b\x07")


# -- 11. killed runs ------------------------------------------------------------------------


def test_runs_whose_process_is_gone_are_marked_interrupted(library: Path, tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    conn = sqlite3.connect(library)
    host, boot = conn.execute("SELECT host, boot_id FROM runs ORDER BY id LIMIT 1").fetchone()
    rows = [
        # killed: no process has that pid any more
        ("add killed", dead_pid, host, boot, None),
        # the pid was given out again: this test's own pid, but another start time
        ("add reused pid", os.getpid(), host, boot, 1),
        # logged before hosts were recorded (an old library): the pid alone decides
        ("add old row", dead_pid, None, None, None),
        # another machine's run: cannot be judged from here, stays as it is
        ("add elsewhere", dead_pid, "another-host", boot, None),
    ]
    conn.executemany(
        "INSERT INTO runs (command, started_at, status, pid, host, boot_id, process_started)"
        " VALUES (?, '2026-01-01T00:00:00+00:00', 'running', ?, ?, ?, ?)",
        rows,
    )
    conn.commit()
    (tmp_path / "c.ris").write_text(ris("A later run"))
    assert run_cli("add", "--no-enrich", tmp_path / "c.ris", db=library).returncode == 0
    status = dict(conn.execute("SELECT command, status FROM runs").fetchall())
    assert status["add killed"] == "interrupted"
    assert status["add reused pid"] == "interrupted"
    assert status["add old row"] == "interrupted"
    assert status["add elsewhere"] == "running"
    real = conn.execute("SELECT status FROM runs WHERE host IS NOT NULL AND process_started > 1")
    assert [row[0] for row in real] == ["done", "done"]  # the fixture's add and the later one


# -- 12. selections that match nothing ------------------------------------------------------


def test_source_matches_the_path_however_it_is_written(library: Path, tmp_path: Path) -> None:
    absolute = tmp_path / "refs" / "a.ris"
    for source, cwd in (
        (absolute, None),
        (absolute.parent, None),
        ("./refs/../refs/a.ris", tmp_path),
    ):
        result = run_cli("export", "-f", "ris", "--source", source, db=library, cwd=cwd)
        assert result.returncode == 0, (source, result.stderr)
        assert "TI  - Liver surgery outcomes" in result.stdout
        assert "Kidney" not in result.stdout
    typed = run_cli("export", "-f", "ris", "--source", "b.ris", db=library, cwd=tmp_path)
    assert "TI  - Kidney transplant survival" in typed.stdout


def test_a_selection_that_matches_nothing_says_so_and_writes_nothing(
    library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "sel.bib"
    for selection in (
        ["--tag", "no-such-tag"],
        ["--source", "/no/such/file.ris"],
        ["--search", "zebra"],
    ):
        result = run_cli("export", "-o", out, *selection, db=library)
        no_traceback(result)
        assert result.returncode == 1, selection
        assert "no works match" in result.stderr and selection[1] in result.stderr
        assert not out.exists()


def test_old_libraries_keep_working_and_match_as_typed(library: Path, tmp_path: Path) -> None:
    """A library imported before origins were stored absolute: its rows have no origin_path
    and are still found by the origin as typed."""
    conn = sqlite3.connect(library)
    conn.execute("UPDATE source_records SET origin_path = NULL")
    conn.commit()
    typed = run_cli("export", "-f", "ris", "--source", "refs/a.ris", db=library)
    assert typed.returncode == 0 and "Liver surgery" in typed.stdout


def test_markup_in_titles_and_file_names_prints_as_text(tmp_path: Path) -> None:
    """rich reads "[...]" as markup: a title with "[/i]" stopped `search` and `show` with a
    traceback, and a file name "[red]" was coloured instead of shown."""
    (tmp_path / "mk[red].ris").write_text(ris("Markup [/i] in a [bold]title"))
    db = tmp_path / "lib.db"
    assert run_cli("add", "--no-enrich", "mk[red].ris", db=db, cwd=tmp_path).returncode == 0
    found = run_cli("search", "markup", db=db)
    no_traceback(found)
    assert "Markup [/i] in a [bold]title" in found.stdout
    [work] = json.loads(run_cli("search", "markup", "--json", db=db).stdout)
    key = work["key"]
    shown = run_cli("show", key, db=db)
    no_traceback(shown)
    assert shown.returncode == 0
    assert "mk[red].ris (record 1, ris)" in shown.stdout


def test_a_bad_sync_add_line_leaves_no_library_behind(tmp_path):
    # Only commands that add may create a library; one that fails before storing anything
    # (a bad source line) leaves nothing behind, and says nothing about a library.
    db = tmp_path / "new" / "lib.db"
    result = run_cli("sync", "add", "q", "not-a-url", "--kind", "feed", db=db)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "harvester: error: not-a-url: a feed source needs an http(s) URL"
    ]
    assert not db.exists() and not Path(f"{db}-wal").exists()
    added = run_cli("sync", "add", "inbox", tmp_path, db=db)
    assert added.returncode == 0, added.stderr
    assert f"created a new library at {db}" in added.stderr and db.exists()
