"""Enrichment through the real CLI against the fake Crossref on 127.0.0.1."""

from __future__ import annotations

import json

from tests.conftest import SPRINGER_SEED, VUFIND_SEED
from tests.harvester.cli_runner import run_cli

MAILTO = "harvester-tests@example.org"


def _env(server) -> dict[str, str]:
    return {"HARVESTER_CROSSREF_URL": server.url, "HARVESTER_MAILTO": MAILTO}


def _show(key, db, env=None):
    result = run_cli("show", "--json", key, db=db, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_add_enriches_the_seeds_by_doi_and_by_validated_search(tmp_path, crossref_server):
    db = tmp_path / "lib.db"
    result = run_cli("add", "--json", VUFIND_SEED, SPRINGER_SEED, db=db, env=_env(crossref_server))
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)["enrichment"]["counts"]
    assert counts == {"enriched": 1, "matched": 1}
    # The Springer Medizin page had no DOI, volume or pages: the validated match supplies them.
    de_mestier = _show("demestier2017liver", db)
    csl = de_mestier["csl"]
    assert csl["DOI"] == "10.1007/s11154-017-9431-2"
    assert (csl["volume"], csl["page"]) == ("18", "459-471")
    assert set(csl["ISSN"].split(", ")) == {"1389-9155", "1573-2606"}
    assert de_mestier["enrichment"]["status"] == "matched"
    assert {r["format"] for r in de_mestier["records"]} == {"springer-text", "crossref"}
    # The catalog says "Radiologe", Crossref "Die Radiologie": the documented policy shows
    # Crossref's journal name and keeps the catalog's, with its source, as provenance.
    radosa = _show("radosa2024radiologisch", db)
    assert radosa["csl"]["container-title"] == "Die Radiologie"
    alternatives = radosa["provenance"]["container-title"]["alternatives"]
    assert any(a["value"] == "Radiologe" and "vufind-text" in a["source"] for a in alternatives)
    assert radosa["csl"]["title"].startswith("Radiologisch-interventionelle")  # German title kept


def test_offline_import_succeeds_and_queues_then_enrich_catches_up(tmp_path, crossref_server):
    db = tmp_path / "lib.db"
    offline = run_cli(
        "add",
        VUFIND_SEED,
        SPRINGER_SEED,
        db=db,
        env={"HARVESTER_CROSSREF_URL": "http://127.0.0.1:9", "HARVESTER_MAILTO": MAILTO},
    )
    assert offline.returncode == 0, offline.stderr
    assert (
        "Crossref unreachable: 2 records queued for enrichment; run `harvester enrich` later"
    ) in offline.stderr
    assert "Traceback" not in offline.stderr
    assert _show("demestier2017liver", db)["enrichment"]["status"] == "pending"
    later = run_cli("enrich", "--json", db=db, env=_env(crossref_server), process=True)
    assert later.returncode == 0, later.stderr
    assert json.loads(later.stdout)["counts"] == {"enriched": 1, "matched": 1}
    again = run_cli("enrich", db=db, env=_env(crossref_server))
    assert "nothing to enrich" in again.stdout


def test_a_doi_argument_becomes_a_work_with_its_real_key(tmp_path, crossref_server):
    db = tmp_path / "lib.db"
    result = run_cli(
        "add",
        "--json",
        "https://doi.org/10.1007/s11154-017-9431-2",
        db=db,
        env=_env(crossref_server),
    )
    assert result.returncode == 0, result.stderr
    keys = [
        w["key"] for w in json.loads(run_cli("search", "--json", "embolizations", db=db).stdout)
    ]
    assert keys == ["demestier2017liver"]
    # The Springer page of the same article joins the work through its DOI-less match.
    run_cli("add", SPRINGER_SEED, db=db, env=_env(crossref_server))
    shown = _show("demestier2017liver", db)
    assert sorted(r["format"] for r in shown["records"]) == ["crossref", "doi", "springer-text"]
    # Re-clustering the whole library keeps them together.
    assert run_cli("dedupe", db=db).returncode == 0
    shown = _show("demestier2017liver", db)
    assert sorted(r["format"] for r in shown["records"]) == ["crossref", "doi", "springer-text"]


def test_borderline_match_waits_for_a_person(tmp_path, crossref_server):
    db = tmp_path / "lib.db"
    ris = tmp_path / "one.ris"
    ris.write_text(
        "TY  - JOUR\nID  - x1\nAU  - de Mestier, Louis\nAU  - Zappa, Magaly\n"
        "TI  - Liver transarterial embolizations in metastatic neuroendocrine tumors\n"
        "T2  - Reviews in Endocrine and Metabolic Disorders\nPY  - 2017\nVL  - 19\nIS  - 4\n"
        "ER  -\n"
    )
    result = run_cli("add", "--json", ris, db=db, env=_env(crossref_server))
    assert json.loads(result.stdout)["enrichment"]["counts"] == {"review": 1}
    shown = _show("demestier2017liver", db)
    assert "DOI" not in shown["csl"]  # never applied on its own
    reviews = json.loads(run_cli("enrich", "--review", "--json", db=db).stdout)
    assert [r["doi"] for r in reviews] == ["10.1007/s11154-017-9431-2"]
    listing = run_cli("enrich", "--review", db=db, env={"COLUMNS": "200"}).stdout
    assert "volume" in listing and "mismatch" in listing
    accepted = run_cli("enrich", "--accept", str(reviews[0]["review"]), db=db)
    assert accepted.returncode == 0, accepted.stderr
    shown = _show("demestier2017liver", db)
    assert shown["csl"]["DOI"] == "10.1007/s11154-017-9431-2"
    assert shown["enrichment"]["reason"] == "accepted by a person"
    assert json.loads(run_cli("enrich", "--review", "--json", db=db).stdout) == []
    twice = run_cli("enrich", "--accept", str(reviews[0]["review"]), db=db)
    assert twice.returncode == 2 and "already accepted" in twice.stderr


def test_a_persons_edit_wins_over_sources_and_crossref_and_can_be_corrected(
    tmp_path, crossref_server
):
    db = tmp_path / "lib.db"
    run_cli("add", "--no-enrich", VUFIND_SEED, db=db)
    edited = run_cli(
        "edit",
        "radosa2024radiologisch",
        "--set",
        "container-title=Der Radiologe",
        "--set",
        "author=Radosa, Christoph G.; Nebelung, Heiner",
        db=db,
    )
    assert edited.returncode == 0, edited.stderr
    run_cli("enrich", db=db, env=_env(crossref_server))
    shown = _show("radosa2024radiologisch", db)
    assert shown["csl"]["container-title"] == "Der Radiologe"  # Crossref says Die Radiologie
    assert shown["csl"]["author"][0] == {"family": "Radosa", "given": "Christoph G."}
    assert shown["csl"]["volume"] == "64"
    alternatives = {a["value"] for a in shown["provenance"]["container-title"]["alternatives"]}
    assert {"Radiologe", "Die Radiologie"} <= alternatives
    assert {r["kind"] for r in shown["records"]} == {"input", "edit", "enrichment"}
    # A correction of the correction: the latest edit wins.
    run_cli(
        "edit", "radosa2024radiologisch", "--set", "container-title=Radiologie", db=db, process=True
    )
    assert _show("radosa2024radiologisch", db)["csl"]["container-title"] == "Radiologie"
    bad = run_cli("edit", "radosa2024radiologisch", "--set", "colour=blue", db=db)
    assert bad.returncode == 2 and "not an editable CSL field" in bad.stderr
