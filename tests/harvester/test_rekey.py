"""Citation keys: assigned once, never moved by imports, changed only by `rekey`."""

from __future__ import annotations

import json

from tests.harvester.cli_runner import run_cli

CHEN = """TY  - JOUR
ID  - {id}
AU  - Chen, {given}
TI  - {title}
T2  - Journal of Examples
PY  - 2014
VL  - {volume}
SP  - {page}
ER  -
"""


def _ris(tmp_path, name, **fields):
    path = tmp_path / name
    path.write_text(CHEN.format(**fields))
    return path


def test_a_second_chen_2014_does_not_rename_the_first(tmp_path):
    db = tmp_path / "lib.db"
    first = _ris(
        tmp_path,
        "a.ris",
        id="1",
        given="Wei",
        title="Kidney outcomes in cohort A",
        volume="3",
        page="10",
    )
    second = _ris(
        tmp_path,
        "b.ris",
        id="2",
        given="Li",
        title="Kidney outcomes in cohort B",
        volume="4",
        page="99",
    )
    run_cli("add", first, db=db)
    run_cli("add", second, db=db)
    keys = [w["key"] for w in json.loads(run_cli("search", "--json", "kidney", db=db).stdout)]
    assert sorted(keys) == ["chen2014kidney", "chen2014kidneya"]
    shown = json.loads(run_cli("show", "--json", "chen2014kidney", db=db).stdout)
    assert shown["csl"]["title"] == "Kidney outcomes in cohort A"


def test_rekey_reports_changes_and_keeps_keys_unique(tmp_path):
    db = tmp_path / "lib.db"
    for n, given in enumerate(("Wei", "Li", "Min"), start=1):
        run_cli(
            "add",
            _ris(
                tmp_path,
                f"{n}.ris",
                id=str(n),
                given=given,
                title=f"Study {n} of kidney outcomes",
                volume=str(n),
                page="1",
            ),
            db=db,
        )
    dry = run_cli(
        "rekey", "--json", "--dry-run", "--formula", "auth.lower + year", db=db, process=True
    )
    assert dry.returncode == 0, dry.stderr
    planned = json.loads(dry.stdout)
    assert sorted(c["new"] for c in planned) == ["chen2014", "chen2014a", "chen2014b"]
    unchanged = json.loads(run_cli("search", "--json", "kidney", db=db).stdout)
    assert sorted(w["key"] for w in unchanged) == [
        "chen2014study",
        "chen2014studya",
        "chen2014studyb",
    ]
    done = json.loads(
        run_cli("rekey", "--json", "--formula", "auth.lower + year", "--save", db=db).stdout
    )
    assert done == planned
    # The saved formula is the library's: a new work gets a key from it.
    run_cli(
        "add",
        _ris(
            tmp_path, "4.ris", id="4", given="Yu", title="Study 4 of livers", volume="9", page="5"
        ),
        db=db,
    )
    keys = sorted(w["key"] for w in json.loads(run_cli("search", "--json", "study", db=db).stdout))
    assert keys == ["chen2014", "chen2014a", "chen2014b", "chen2014c"]
    bad = run_cli("rekey", "--formula", "((", db=db)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
