"""Issue 14, class 8: the works an import gives do not depend on the order of import, of the
records inside a file, or on the batch size; and they are those `harvester dedupe` gives.

Through the real ``harvester add`` (subprocess, real SQLite file) with records written here in
which the order decided before: two chains whose middle record is a duplicate of both ends
while a veto keeps the ends apart (other first pages in one volume; other volumes of one
journal), a bridge (a record that proves two records one work), a plain pair and a loner.
Works are compared as sets of source ids, never by id or key.
"""

from __future__ import annotations

import itertools
import json
import random
import sqlite3
from pathlib import Path

from tests.harvester.cli_runner import run_cli
from tests.harvester.test_dedup_classes import ris

_T1 = "Ambulatory blood pressure variability and silent cerebral infarcts"
_P1 = ["Haugen, Siri", "Oduya, Kwame", "Rossi, Marta"]
_T2 = "Tenecteplase versus alteplase before endovascular thrombectomy in basilar occlusion"
_P2 = ["Nakamura, Yui", "Ferreira, Ana"]
_T3 = "Gut microbiota composition in infants born by caesarean section"
_P3 = ["Lindqvist, Per", "Adeyemi, Tolu"]
RECORDS = [
    # Chain 1: "mid" lacks volume and pages; the ends differ in first page, same volume.
    ris("left", _T1, _P1, T2="Hypertension", VL="61", SP="1120", PY="2013"),
    ris("mid", _T1, _P1, T2="Hypertension", PY="2013"),
    ris("right", _T1, _P1, T2="Hypertension", VL="61", SP="1404", PY="2013"),
    # Chain 2: "vnone" lacks a volume; the ends are other volumes of one journal.
    ris("v12", _T2, _P2, T2="Stroke", VL="12", SP="301", PY="2020"),
    ris("vnone", _T2, _P2, T2="Stroke", SP="301", PY="2020"),
    ris("v13", _T2, _P2, T2="Stroke", VL="13", SP="301", PY="2020"),
    # A bridge: the DOI record and the paginated one meet through the full one.
    ris("doi", _T3, _P3, DO="10.5555/gut.2018.77", PY="2018"),
    ris("full", _T3, _P3, DO="10.5555/gut.2018.77", T2="Pediatrics", VL="141", SP="77", PY="2018"),
    ris("pages", _T3, _P3, T2="Pediatrics", VL="141", SP="77", EP="85", PY="2018"),
    # A plain pair and a loner.
    ris("x1", "Salt intake and nocturnal dipping in adolescents", ["Berg, Ola"],
        T2="J Hypertens", VL="30", SP="55", EP="61", PY="2012", DO="10.5555/jh.2012.55"),
    ris("x2", "Salt intake and nocturnal dipping in adolescents.", ["Berg, O"],
        T2="Journal of Hypertension", VL="30", SP="55-61", PY="2012", DO="10.5555/JH.2012.55"),
    ris("lone", "Renal denervation outcomes in resistant hypertension", ["Abe, Ken"],
        T2="Hypertension", VL="61", SP="900", PY="2013"),
]  # fmt: skip
CHAIN_1, CHAIN_2 = (0, 1, 2), (3, 4, 5)
BATCH_SIZES = ("1", "2", "2000")

Works = frozenset[frozenset[str]]


def _add(db: Path, path: Path, records: list[str], batch: str) -> None:
    path.write_text("\n".join(records), encoding="utf-8")
    result = run_cli("add", "--no-enrich", path, db=db, env={"HARVESTER_BATCH": batch})
    assert result.returncode == 0, result.stderr


def _works(db: Path) -> Works:
    result = run_cli("duplicates", "--json", db=db)
    assert result.returncode == 0, result.stderr
    clusters = json.loads(result.stdout)["clusters"]
    return frozenset(frozenset(m["id"] for m in c["members"]) for c in clusters)


def _dedupe_changes_nothing(db: Path, works: Works) -> None:
    result = run_cli("dedupe", "--json", db=db)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["moved"] == 0
    assert _works(db) == works
    # The count dedupe reports is the review list it leaves (pairs it found and dropped when
    # a later record joined their records are not counted).
    pairs = json.loads(run_cli("duplicates", "--json", db=db).stdout)["pairs"]
    assert summary["review_pairs"] == len(pairs)


def _check(works: Works) -> None:
    """What any order must give (whichever end a chain's middle joins, the same one always)."""
    for left, mid, right in (("left", "mid", "right"), ("v12", "vnone", "v13")):
        assert not any({left, right} <= w for w in works)  # the veto holds
        assert sum(1 for w in works if mid in w) == 1  # the middle joins one of them
    assert frozenset({"x1", "x2"}) in works
    assert frozenset({"doi", "full", "pages"}) in works
    assert not any("lone" in w for w in works)


def test_records_in_every_order_inside_a_file_and_any_batch_size_give_the_same_works(tmp_path):
    outcomes: dict[Works, list[str]] = {}
    # Every order of each chain's records (paired with the other chain's orders turned by
    # three, the other records shuffled along), each batch size in turn.
    twos = list(itertools.permutations(CHAIN_2))
    for n, one in enumerate(itertools.permutations(CHAIN_1)):
        two = twos[(n + 3) % len(twos)]
        rest = [i for i in range(len(RECORDS)) if i not in CHAIN_1 + CHAIN_2]
        random.Random(n).shuffle(rest)
        order = [*one, rest[0], *two, *rest[1:]]
        batch = BATCH_SIZES[n % len(BATCH_SIZES)]
        db = tmp_path / f"{n}.db"
        _add(db, tmp_path / f"{n}.ris", [RECORDS[i] for i in order], batch)
        works = _works(db)
        outcomes.setdefault(works, []).append(f"order {order}, batch {batch}")
        if n in (0, 4):
            _dedupe_changes_nothing(db, works)
    assert len(outcomes) == 1, outcomes
    _check(next(iter(outcomes)))


def test_files_imported_in_every_order_give_the_same_works_and_dedupe_changes_nothing(tmp_path):
    # Each chain spread over the files, so that which end a middle meets first depends on them.
    files = [[0, 5, 6, 9], [1, 4, 10], [2, 3, 7, 8, 11]]
    outcomes: dict[Works, list[str]] = {}
    for n, order in enumerate(itertools.permutations(range(len(files)))):
        db = tmp_path / f"lib{n}.db"
        batch = BATCH_SIZES[n % len(BATCH_SIZES)]
        for i in order:
            _add(db, tmp_path / f"f{n}-{i}.ris", [RECORDS[r] for r in files[i]], batch)
        works = _works(db)
        outcomes.setdefault(works, []).append(f"files {order}, batch {batch}")
        if n in (1, 5):
            _dedupe_changes_nothing(db, works)
    assert len(outcomes) == 1, outcomes
    _check(next(iter(outcomes)))


def test_an_import_gives_the_works_of_dedupe_on_the_same_records_in_one_file(tmp_path):
    # The reference: every record in one file, then `harvester dedupe`; an import in pieces,
    # in another order, must give exactly that.
    whole = tmp_path / "whole.db"
    _add(whole, tmp_path / "all.ris", RECORDS, "2000")
    assert run_cli("dedupe", db=whole).returncode == 0
    expected = _works(whole)
    _check(expected)
    pieces = tmp_path / "pieces.db"
    backwards = RECORDS[::-1]
    for start in range(0, len(backwards), 5):
        _add(pieces, tmp_path / f"p{start}.ris", backwards[start : start + 5], "2")
    assert _works(pieces) == expected


def test_stable_works_keep_their_keys_when_a_later_import_rearranges_a_chain(tmp_path):
    # "x1"/"x2" are untouched by the second import: their work keeps its key; the chain's
    # works are placed again as dedupe would.
    db = tmp_path / "lib.db"
    _add(db, tmp_path / "a.ris", [RECORDS[i] for i in (0, 1, 9, 10)], "2000")
    before = json.loads(run_cli("duplicates", "--json", db=db).stdout)["clusters"]
    pair_key = next(c["key"] for c in before if {m["id"] for m in c["members"]} == {"x1", "x2"})
    _add(db, tmp_path / "b.ris", [RECORDS[2]], "2000")
    after = json.loads(run_cli("duplicates", "--json", db=db).stdout)["clusters"]
    assert any(
        c["key"] == pair_key and {m["id"] for m in c["members"]} == {"x1", "x2"} for c in after
    )
    reference = tmp_path / "ref.db"
    _add(reference, tmp_path / "r.ris", [RECORDS[i] for i in (2, 1, 0, 9, 10)], "2000")
    assert _works(db) == _works(reference)


def test_dedupe_reindexes_a_library_imported_under_older_blocking_rules(tmp_path):
    # A library whose records were indexed by older rules: here, as if they had no keys at all
    # (the blocking table emptied behind the store's back). `harvester dedupe` indexes every
    # record under the current rules as it places it, so the pairs are found again (without
    # that, the re-run finds no candidates and splits every work into its records).
    db = tmp_path / "lib.db"
    _add(db, tmp_path / "a.ris", [RECORDS[i] for i in (9, 10, 11)], "2000")
    expected = _works(db)
    assert frozenset({"x1", "x2"}) in expected
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM blocking_keys")
    result = run_cli("dedupe", "--json", db=db)
    assert result.returncode == 0, result.stderr
    assert _works(db) == expected
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM blocking_keys").fetchone()[0] > 0
