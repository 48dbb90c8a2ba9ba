"""Dedup in the library: decisions are remembered, merges are explained and undone."""

from __future__ import annotations

import json

from tests.conftest import REPO
from tests.harvester.cli_runner import run_cli

EXAMPLES = REPO / "examples"


def _clusters(db, *, process=False):
    report = json.loads(run_cli("duplicates", "--json", db=db, process=process).stdout)
    return {c["key"]: len(c["members"]) for c in report["clusters"]}, report["pairs"]


def test_split_is_remembered_by_dedupe_and_merge_restores(tmp_path):
    db = tmp_path / "lib.db"
    assert run_cli("add", EXAMPLES, db=db).returncode == 0
    clusters, _ = _clusters(db, process=True)
    assert clusters["radosa2024radiologisch"] == 3
    shown = json.loads(run_cli("show", "--json", "radosa2024radiologisch", db=db).stdout)
    springer = next(r["id"] for r in shown["records"] if r["format"] == "springer-text")
    split = run_cli(
        "split", "radosa2024radiologisch", "--record", str(springer), db=db, process=True
    )
    assert split.returncode == 0, split.stderr
    new_key = split.stdout.split(":")[1].strip()
    assert new_key != "radosa2024radiologisch"
    # Re-clustering under the same rules would merge them again; the decision wins.
    assert run_cli("dedupe", db=db, process=True).returncode == 0
    clusters, _ = _clusters(db)
    assert clusters["radosa2024radiologisch"] == 2
    assert new_key not in clusters
    # The key of the work that stayed never moved; a manual merge brings the record back.
    assert run_cli("merge", "radosa2024radiologisch", new_key, db=db, process=True).returncode == 0
    assert run_cli("dedupe", db=db).returncode == 0
    clusters, _ = _clusters(db)
    assert clusters["radosa2024radiologisch"] == 3
    assert run_cli("show", new_key, db=db).returncode == 1  # merged away


def test_not_duplicate_is_never_proposed_again(tmp_path):
    db = tmp_path / "lib.db"
    # Same title and authors, different year by one and no identifiers: a candidate pair.
    ris = tmp_path / "refs.ris"
    ris.write_text(
        "TY  - JOUR\nID  - a\nAU  - Chen, Wei\nAU  - Park, Min\n"
        "TI  - Kidney outcomes after contrast exposure in adults\nT2  - Nephrology\n"
        "PY  - 2014\nER  -\n\n"
        "TY  - JOUR\nID  - b\nAU  - Chen, Wei\nAU  - Park, Min\n"
        "TI  - Kidney outcomes after contrast exposure in adults\nT2  - Nephrology Letters\n"
        "PY  - 2015\nER  -\n"
    )
    assert run_cli("add", ris, db=db).returncode == 0
    clusters, pairs = _clusters(db)
    # Not proven the same work (another year, another journal name): proposed for review.
    assert clusters == {}
    assert len(pairs) == 1
    assert "same title" in pairs[0]["evidence"]["for"]
    assert "different container" in pairs[0]["evidence"]["against"]
    keys = [pairs[0]["a"]["key"], pairs[0]["b"]["key"]]
    assert sorted(keys) == ["chen2014kidney", "chen2015kidney"]
    assert run_cli("not-duplicate", *keys, db=db, process=True).returncode == 0
    assert run_cli("dedupe", db=db).returncode == 0
    clusters, pairs = _clusters(db)
    assert clusters == {} and pairs == []
    again = run_cli("add", ris, db=db)  # re-import: nothing new, nothing merged
    assert again.returncode == 0
    assert _clusters(db) == ({}, [])


def test_duplicates_json_names_members_by_source_and_own_id(tmp_path):
    db = tmp_path / "lib.db"
    run_cli("add", EXAMPLES, db=db)
    report = json.loads(run_cli("duplicates", "--json", db=db).stdout)
    members = {
        (m["source"].rsplit("/", 1)[-1], m["id"]) for c in report["clusters"] for m in c["members"]
    }
    assert ("library.bib", "demestier2017") in members
    assert ("search-export.ris", "2") in members
