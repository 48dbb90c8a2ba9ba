"""Auto-export: rewritten after changes, atomically, and only when the content changed."""

from __future__ import annotations

import bibtexparser

from harvester.ops.atomic import write_if_changed
from tests.conftest import SPRINGER_SEED, VUFIND_SEED
from tests.harvester.cli_runner import run_cli


def test_write_if_changed_leaves_an_unchanged_file_alone(tmp_path):
    path = tmp_path / "refs.bib"
    assert write_if_changed(path, "@misc{a,}\n") is True
    before = path.stat().st_mtime_ns, path.stat().st_ino
    assert write_if_changed(path, "@misc{a,}\n") is False
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before
    assert write_if_changed(path, "@misc{b,}\n") is True
    assert path.read_text() == "@misc{b,}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]  # no temporary file left


def test_auto_export_follows_imports_and_merges(tmp_path):
    db, out = tmp_path / "lib.db", tmp_path / "paper" / "refs.bib"
    assert run_cli("add", VUFIND_SEED, db=db).returncode == 0
    result = run_cli("export", "--format", "bibtex", "--output", out, "--auto", db=db)
    assert result.returncode == 0, result.stderr
    keys = [e.key for e in bibtexparser.parse_string(out.read_text()).entries]
    assert keys == ["radosa2024radiologisch"]
    stamp = out.stat().st_mtime_ns
    # Re-importing the same record changes nothing: the file is not touched.
    assert run_cli("add", VUFIND_SEED, db=db).returncode == 0
    assert out.stat().st_mtime_ns == stamp
    added = run_cli("add", SPRINGER_SEED, db=db)
    assert "auto-export updated" in added.stderr
    keys = sorted(e.key for e in bibtexparser.parse_string(out.read_text()).entries)
    assert keys == ["demestier2017liver", "radosa2024radiologisch"]
    listed = run_cli("auto-export", "list", "--json", db=db, process=True)
    assert '"format": "bibtex"' in listed.stdout
    assert run_cli("auto-export", "remove", out, db=db).returncode == 0
    assert "no auto-exports" in run_cli("auto-export", "list", db=db).stdout


def test_auto_export_selection_by_search(tmp_path):
    db, out = tmp_path / "lib.db", tmp_path / "liver.bib"
    run_cli("add", VUFIND_SEED, db=db)
    run_cli("export", "-f", "bibtex", "-o", out, "--auto", "--search", "liver", db=db)
    assert out.read_text() == ""
    run_cli("add", SPRINGER_SEED, db=db)
    assert [e.key for e in bibtexparser.parse_string(out.read_text()).entries] == [
        "demestier2017liver"
    ]
