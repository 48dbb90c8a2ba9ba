"""Exports for writers through the CLI: formats, selections, tags, formatted bibliographies."""

from __future__ import annotations

import json

import jsonschema

from records.exporters.csl_json import SCHEMA_PATH  # the vendored CSL-JSON schema
from tests.conftest import REPO, SPRINGER_SEED, VUFIND_SEED
from tests.harvester.cli_runner import run_cli


def _library(tmp_path):
    db = tmp_path / "lib.db"
    assert run_cli("add", VUFIND_SEED, SPRINGER_SEED, db=db).returncode == 0
    return db


def test_csl_json_export_is_valid_and_keyed_by_citation_key(tmp_path):
    db = _library(tmp_path)
    result = run_cli("export", "--format", "csl-json", db=db)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    jsonschema.validate(items, json.loads(SCHEMA_PATH.read_text("utf-8")))
    assert sorted(i["id"] for i in items) == ["demestier2017liver", "radosa2024radiologisch"]


def test_ris_export_reads_back(tmp_path):
    db = _library(tmp_path)
    out = tmp_path / "refs.ris"
    assert run_cli("export", "-f", "ris", "-o", out, db=db).returncode == 0
    parsed = json.loads(run_cli("parse", out).stdout)
    assert {p["title"] for p in parsed} == {
        "Radiologisch-interventionelle Möglichkeiten zur Behandlung von neuroendokrinen Tumoren",
        "Liver transarterial embolizations in metastatic neuroendocrine tumors",
    }


def test_cite_renders_a_reference_list_in_a_style(tmp_path):
    db = _library(tmp_path)
    result = run_cli("cite", "radosa2024radiologisch", "--style", "vancouver", db=db, process=True)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Radosa CG" in text and "Radiologe" in text and "2024" in text and "64(7)" in text
    apa = run_cli("cite", "--search", "liver", "--style", "apa", "-f", "html", db=db).stdout
    assert "de Mestier, L." in apa and "<i>Reviews in Endocrine and Metabolic Disorders</i>" in apa
    assert run_cli("cite", db=db).returncode == 2  # nothing named


def test_tags_select_exports_and_survive_merges(tmp_path):
    db = tmp_path / "lib.db"
    run_cli("add", REPO / "examples" / "library.bib", db=db)
    tagged = run_cli(
        "tag", "demestier2017liver", "page2021prisma", "--add", "thesis", db=db, process=True
    )
    assert tagged.returncode == 0, tagged.stderr
    keys = {
        e["id"]
        for e in json.loads(run_cli("export", "-f", "csl-json", "--tag", "thesis", db=db).stdout)
    }
    assert keys == {"demestier2017liver", "page2021prisma"}
    # The Springer page of de Mestier joins the tagged work: the tag stays on the work.
    run_cli("add", REPO / "examples" / "springer-medizin-de-mestier-2017.txt", db=db)
    shown = json.loads(run_cli("tag", "demestier2017liver", "--json", db=db).stdout)
    assert shown == {"demestier2017liver": ["thesis"]}


def test_source_selection_picks_works_from_one_input(tmp_path):
    db = tmp_path / "lib.db"
    examples = REPO / "examples"
    run_cli("add", examples, db=db)
    result = run_cli(
        "export", "-f", "csl-json", "--source", str(examples / "search-export.ris"), db=db
    )
    keys = {e["id"] for e in json.loads(result.stdout)}
    assert keys == {"radosa2024radiologisch", "hair2023automated", "mckeown2021considerations"}
