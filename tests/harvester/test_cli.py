"""The command line end to end: the real entry point, a real SQLite file in a temp dir."""

from __future__ import annotations

import json

from harvester.store import Library
from tests.conftest import SPRINGER_SEED, VUFIND_SEED
from tests.fakes.eutils_server import FakeEUtils
from tests.fakes.web_server import FakeWeb
from tests.harvester.cli_runner import run_cli


def test_parse_prints_csl_json_and_stores_nothing(tmp_path):
    db = tmp_path / "never.db"
    result = run_cli("parse", VUFIND_SEED, SPRINGER_SEED, db=db, process=True)
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
    first = run_cli("add", "--json", VUFIND_SEED, SPRINGER_SEED, db=db, process=True)
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
    # one short line: no reader came close to a shopping list, and --format is offered
    assert "--format" in next(line for line in lines if str(unknown) in line)
    with Library(db) as library:
        assert library.counts()["works"] == 1


def test_unknown_format_option_is_a_usage_error(tmp_path):
    result = run_cli("add", "--format", "nonsense", VUFIND_SEED, db=tmp_path / "x.db")
    assert result.returncode == 2
    assert "unknown format 'nonsense'" in result.stderr
    assert "Traceback" not in result.stderr


# Tagged lines that detection reads as RIS and that MEDLINE's parser reads as well.
TAGGED = "TI  - {title}\nAU  - Novak, Jan\nPY  - 2019\nER  - \n"
DOI = "10.1007/s11154-017-9431-2"
PMID = "PMID:29768149"  # served by the fake E-utilities
REFERENCE = (
    "Radosa CG, Nebelung H. Radiologisch-interventionelle Therapie. Radiologie. 2024;64:575-581."
)


def _formats(result) -> list[tuple[str, str]]:
    assert result.returncode == 0, result.stderr
    return [
        (i["custom"]["harvester"]["source"]["format"], i.get("title") or i.get("DOI"))
        for i in json.loads(result.stdout)
    ]


def test_format_is_forced_on_files_stdin_and_pages_not_on_identifiers(tmp_path):
    export = tmp_path / "export.txt"
    export.write_text(TAGGED.format(title="From a file"))
    stdin = TAGGED.format(title="From standard input").encode()
    with FakeWeb() as web, FakeEUtils() as eutils:
        page = web.add(
            "/export.txt", TAGGED.format(title="From the web"), content_type="text/plain"
        )
        arguments = (export, "-", page, DOI, PMID, REFERENCE)
        env = {"HARVESTER_PUBMED_URL": eutils.url}
        detected = _formats(run_cli("parse", *arguments, stdin=stdin, env=env, cwd=tmp_path))
        forced = _formats(
            run_cli("parse", "--format", "medline", *arguments, stdin=stdin, env=env, cwd=tmp_path)
        )
    assert [f for f, _ in detected] == ["ris", "ris", "ris", "doi", "pubmed-xml", "reference"]
    assert [f for f, _ in forced] == ["medline"] * 3 + ["doi", "pubmed-xml", "reference"]
    assert [t for _, t in forced] == [t for _, t in detected]
    assert [t for _, t in forced][:4] == [
        "From a file",
        "From standard input",
        "From the web",
        DOI,
    ]


def test_add_a_doi_and_a_pmid_with_a_forced_format(tmp_path):
    # --format ris used to be applied to the DOI and to PubMed's XML: nothing was read, and
    # nothing was said either (exit 0, "0 parsed, 0 failed").
    db = tmp_path / "lib.db"
    with FakeEUtils() as eutils:
        result = run_cli(
            "add",
            "--json",
            "--no-enrich",
            "--format",
            "ris",
            DOI,
            PMID,
            db=db,
            env={"HARVESTER_PUBMED_URL": eutils.url},
        )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["parsed"], report["new_works"], report["failed"]) == (2, 2, 0)
    with Library(db) as library:
        stored = sorted((r.format, r.origin) for r in library.iter_records())
    assert stored == [("doi", f"doi:{DOI}"), ("pubmed-xml", "pmid:29768149")]


def test_show_explains_where_each_field_came_from(tmp_path):
    db = tmp_path / "lib.db"
    assert run_cli("add", VUFIND_SEED, db=db).returncode == 0
    result = run_cli("show", "radosa2024radiologisch", "--json", db=db, process=True)
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
    result = run_cli("search", "--json", "neuroendokrinen", db=db, process=True)
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
