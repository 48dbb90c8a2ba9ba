"""A library clustered under other deduplication rules says so on `harvester add` (new blocking
keys and verdicts reach its stored records only through `harvester dedupe`), and stops saying it
once `harvester dedupe` has clustered it under the current rules."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from harvester.store import Library
from harvester.store.forms import rules_version
from tests.harvester.cli_runner import run_cli

NOTICE = "clustered under earlier deduplication rules"


def _ris(rid: str, title: str) -> str:
    return f"TY  - JOUR\nID  - {rid}\nTI  - {title}\nAU  - Okafor, Chidi\nPY  - 2019\nER  - \n"


def _add(tmp_path: Path, db: Path, name: str, *flags: str):
    path = tmp_path / f"{name}.ris"
    path.write_text(_ris(name, f"Pleural effusions in {name} patients"), encoding="utf-8")
    result = run_cli("add", "--no-enrich", *flags, path, db=db)
    assert result.returncode == 0, result.stderr
    return result


def _set(db: Path, value: str | None) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM settings WHERE name = 'dedup_rules'")
        if value is not None:
            conn.execute("INSERT INTO settings VALUES ('dedup_rules', ?)", [value])


def test_a_library_made_under_these_rules_says_nothing(tmp_path):
    db = tmp_path / "lib.db"
    assert NOTICE not in _add(tmp_path, db, "first").stderr
    assert NOTICE not in _add(tmp_path, db, "second").stderr
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT value FROM settings WHERE name = 'dedup_rules'").fetchone()
    assert stored == (rules_version(),)


def test_other_rules_are_told_until_dedupe_clusters_the_library_again(tmp_path):
    db = tmp_path / "lib.db"
    _add(tmp_path, db, "first")
    for older in ("0123456789abcdef", None):  # other rules; a library from before they were kept
        _set(db, older)
        said = _add(tmp_path, db, f"more{older}")
        assert NOTICE in said.stderr and "harvester dedupe" in said.stderr
        shown = _add(tmp_path, db, f"json{older}", "--json")
        assert json.loads(shown.stdout)["rules_changed"] is True
        assert run_cli("dedupe", db=db).returncode == 0
        assert NOTICE not in _add(tmp_path, db, f"after{older}").stderr


def test_an_empty_library_has_nothing_clustered_under_other_rules(tmp_path):
    db = tmp_path / "lib.db"
    with Library(db, create=True):
        pass
    _set(db, "0123456789abcdef")
    assert NOTICE not in _add(tmp_path, db, "first").stderr
    # What it stored was clustered under these rules: nothing to say next time either.
    assert NOTICE not in _add(tmp_path, db, "second").stderr
