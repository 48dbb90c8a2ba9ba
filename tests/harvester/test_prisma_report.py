"""``harvester report``: PRISMA 2020 identification counts per source, as text, JSON and SVG."""

from __future__ import annotations

import json

from lxml import etree

from tests.harvester.cli_runner import run_cli
from tests.harvester.test_dedup_classes import ris


def test_report_counts_identified_removed_left_and_review_per_source(tmp_path):
    db = tmp_path / "lib.db"
    people = ["Mwangi, Grace", "Holm, Erik"]
    shared = "Early mobilisation after hip fracture surgery in care homes"
    pubmed = tmp_path / "pubmed.ris"
    pubmed.write_text(
        ris("p1", shared, people, T2="Age and Ageing", VL="48", SP="210", EP="217", PY="2019",
            DO="10.5555/aa.2019.210")
        + ris("p2", "Vitamin D and falls in long-term care", ["Ito, Yui"], T2="Age and Ageing",
              VL="48", SP="300", EP="305", PY="2019")
        # Same title and authors, another year, another journal: a pair for review, not a merge.
        + ris("p3", "Hearing aids and cognitive decline in older adults", ["Sousa, Rui"],
              T2="Ear and Hearing", PY="2018"),
        encoding="utf-8",
    )
    embase = tmp_path / "embase.ris"
    embase.write_text(
        ris("e1", shared, people, T2="Age Ageing", VL="48", SP="210-7", PY="2019",
            DO="10.5555/AA.2019.210")
        + ris("e2", "Hearing aids and cognitive decline in older adults", ["Sousa, Rui"],
              T2="Journal of Audiology Research", PY="2019"),
        encoding="utf-8",
    )
    for path in (pubmed, embase):
        assert run_cli("add", "--no-enrich", path, db=db).returncode == 0

    svg = tmp_path / "prisma.svg"
    text = run_cli("report", "--svg", svg, db=db, process=True)
    assert text.returncode == 0, text.stderr
    assert "Records identified from: databases (n = 5)" in text.stdout
    assert "Records removed before screening: duplicate records removed (n = 1)" in text.stdout
    assert "Records screened (n = 4)" in text.stdout
    assert "pairs (n = 1)" in text.stdout

    data = json.loads(run_cli("report", "--json", db=db).stdout)
    assert (data["records_identified"], data["duplicates_removed"], data["records_screened"],
            data["review_pairs"]) == (5, 1, 4, 1)
    by_name = {s["source"].rsplit("/", 1)[-1]: s for s in data["sources"]}
    assert by_name["pubmed.ris"] | {"source": None} == {
        "source": None, "format": "ris", "identified": 3, "duplicates_removed": 0,
        "records_left": 3, "review_pairs": 1}
    assert by_name["embase.ris"]["duplicates_removed"] == 1
    assert by_name["embase.ris"]["records_left"] == 1

    root = etree.parse(str(svg)).getroot()
    words = " ".join(root.itertext())
    assert "Databases (n = 5)" in words and "Duplicate records removed (n = 1)" in words
    assert "Records screened (n = 4)" in words and "pubmed.ris (n = 3)" in words


def test_deduplicated_ris_export_has_one_record_per_work_with_all_identifiers(tmp_path):
    db = tmp_path / "lib.db"
    title = "Early mobilisation after hip fracture surgery in care homes"
    people = ["Mwangi, Grace", "Holm, Erik"]
    source = tmp_path / "both.ris"
    source.write_text(
        ris("a", title, people, T2="Age and Ageing", VL="48", SP="210", EP="217", PY="2019",
            DO="10.5555/aa.2019.210")
        + ris("b", title, people, T2="Age Ageing", VL="48", SP="210-7", PY="2019",
              AN="31234567", DB="MEDLINE", C2="PMC6543210"),
        encoding="utf-8",
    )
    assert run_cli("add", "--no-enrich", source, db=db).returncode == 0
    out = tmp_path / "screening.ris"
    result = run_cli("export", "-f", "ris", "-o", out, db=db)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("TY  - ") == 1
    assert "10.5555/aa.2019.210" in text.lower()
    assert "31234567" in text
