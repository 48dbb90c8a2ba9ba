"""The command line end to end: the real entry point, a real SQLite file in a temp dir."""

from __future__ import annotations

import json

from harvester.store import Library
from tests.conftest import SPRINGER_SEED, VUFIND_SEED
from tests.harvester.cli_runner import run_cli


def test_parse_prints_csl_json_and_stores_nothing(tmp_path):
    db = tmp_path / "never.db"
    result = run_cli("parse", VUFIND_SEED, SPRINGER_SEED, db=db)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [i["title"] for i in items] == [
        "Radiologisch-interventionelle Möglichkeiten zur Behandlung von neuroendokrinen Tumoren",
        "Liver transarterial embolizations in metastatic neuroendocrine tumors",
    ]
    assert items[0]["DOI"] == "10.1007/s00117-024-01314-z"
    assert items[0]["custom"]["harvester"]["issn"] == {
        "print": "0033-832X",
        "electronic": "1432-2102",
    }
    assert items[1]["author"][0] == {"family": "de Mestier", "given": "Louis"}
    assert not db.exists()


def test_add_twice_leaves_two_works(tmp_path):
    db = tmp_path / "lib.db"
    first = run_cli("add", "--json", VUFIND_SEED, SPRINGER_SEED, db=db)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["new_works"] == 2
    second = run_cli("add", "--json", VUFIND_SEED, SPRINGER_SEED, db=db)
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert (report["new_records"], report["already_stored"], report["new_works"]) == (0, 2, 0)
    assert report["library"]["works"] == 2
    with Library(db) as library:
        assert library.counts()["records"] == 2


def test_bad_inputs_each_get_one_line_and_the_rest_is_imported(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    unknown = tmp_path / "notes.txt"
    unknown.write_text("Buy milk.\nCall the library about the interlibrary loan.\n")
    missing = tmp_path / "missing.ris"
    db = tmp_path / "lib.db"
    result = run_cli("add", empty, binary, VUFIND_SEED, unknown, missing, db=db)
    assert result.returncode == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("harvester: failed:")]
    assert len(lines) == 4, result.stderr
    assert "Traceback" not in result.stderr
    for path, reason in (
        (empty, "empty"),
        (binary, "binary"),
        (unknown, "not recognised"),
        (missing, "no such file"),
    ):
        line = next(line for line in lines if str(path) in line)
        assert reason in line
    assert "tried: VuFind record page" in next(line for line in lines if str(unknown) in line)
    with Library(db) as library:
        assert library.counts()["works"] == 1


def test_unknown_format_option_is_a_usage_error(tmp_path):
    result = run_cli("add", "--format", "nonsense", VUFIND_SEED, db=tmp_path / "x.db")
    assert result.returncode == 2
    assert "unknown format 'nonsense'" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_explains_where_each_field_came_from(tmp_path):
    db = tmp_path / "lib.db"
    assert run_cli("add", VUFIND_SEED, db=db).returncode == 0
    result = run_cli("show", "radosa2024radiologisch", "--json", db=db)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["csl"]["container-title"] == "Radiologe"
    assert shown["provenance"]["container-title"]["from"] == [shown["records"][0]["id"]]
    assert shown["records"][0]["origin"] == str(VUFIND_SEED)
    human = run_cli("show", "radosa2024radiologisch", db=db, env={"COLUMNS": "200"})
    assert "vufind-text" in human.stdout and "container-title" in human.stdout
    missing = run_cli("show", "nobody1999", db=db)
    assert missing.returncode == 1 and "no work with key 'nobody1999'" in missing.stderr


def test_search_uses_full_text_index(tmp_path):
    db = tmp_path / "lib.db"
    run_cli("add", VUFIND_SEED, SPRINGER_SEED, db=db)
    result = run_cli("search", "--json", "neuroendokrinen", db=db)
    assert [w["key"] for w in json.loads(result.stdout)] == ["radosa2024radiologisch"]


def test_db_from_environment(tmp_path):
    db = tmp_path / "env.db"
    result = run_cli("add", VUFIND_SEED, env={"HARVESTER_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_stdin_is_an_input(tmp_path):
    db = tmp_path / "lib.db"
    result = run_cli("add", "-", db=db, stdin=SPRINGER_SEED.read_bytes())
    assert result.returncode == 0, result.stderr
    with Library(db) as library:
        assert library.records([1])[0].origin == "<stdin>"


def test_a_reference_string_argument_is_an_input_and_joins_its_work(tmp_path):
    db = tmp_path / "lib.db"
    run_cli("add", VUFIND_SEED, db=db)
    reference = (
        "Radosa CG, Nebelung H, Schön F, Hoffmann RT. Radiologisch-interventionelle "
        "Möglichkeiten zur Behandlung von neuroendokrinen Tumoren. Radiologie. "
        "2024;64(7):575-581."
    )
    result = run_cli("add", "--json", reference, db=db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["merged"] == 1
    shown = json.loads(run_cli("show", "--json", "radosa2024radiologisch", db=db).stdout)
    formats = sorted(r["format"] for r in shown["records"])
    assert formats == ["reference", "vufind-text"]
    # A short word that is no file is still "no such file", not a reference.
    missing = run_cli("add", "nonexistent.ris", db=db)
    assert missing.returncode == 1 and "no such file" in missing.stderr
