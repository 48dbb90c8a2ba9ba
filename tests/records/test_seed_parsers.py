"""The two canonical inputs, field by field (Foundation issue, item 5)."""

from __future__ import annotations

from records.parsers import detect, parse_bytes
from tests.conftest import SPRINGER_SEED, VUFIND_SEED

CHROME = (
    "Saved in",
    "Tags",
    "Add Tag",
    "Online Access",
    "Get full text",
    "Full description",
    "Bibliographic Details",
    "Bitte loggen",
    "Newsletter",
    "e.Med",
    "Produktempfehlungen",
)


def _only_record(path):
    result = parse_bytes(path.read_bytes(), str(path))
    assert result.failures == []
    assert len(result.records) == 1
    return result.records[0]


def _assert_no_chrome(csl):
    for key, value in csl.items():
        text = str(value)
        for chrome in CHROME:
            assert chrome not in text, f"page chrome {chrome!r} leaked into {key}"


def test_vufind_seed_detected_by_content():
    assert detect(VUFIND_SEED.read_text("utf-8"), "x").name == "vufind-text"
    assert detect(SPRINGER_SEED.read_text("utf-8"), "x").name == "springer-text"


def test_vufind_seed_fields():
    record = _only_record(VUFIND_SEED)
    csl = record.csl
    assert csl["type"] == "article-journal"
    assert csl["title"] == (
        "Radiologisch-interventionelle Möglichkeiten zur Behandlung von neuroendokrinen Tumoren"
    )
    assert csl["author"] == [
        {"family": "Radosa", "given": "C. G."},
        {"family": "Nebelung", "given": "H."},
        {"family": "Schön", "given": "F."},
        {"family": "Hoffmann", "given": "R. T."},
    ]
    assert csl["container-title"] == "Radiologe"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("64", "7", "575-581")
    assert csl["issued"] == {"date-parts": [[2024]]}
    assert csl["publisher"] == "Springer Nature B.V"
    assert csl["publisher-place"] == "Heidelberg"
    assert csl["ISSN"] == "0033-832X, 1432-2102"
    assert record.issn_kinds == {"0033-832X": "print", "1432-2102": "electronic"}
    assert csl["DOI"] == "10.1007/s00117-024-01314-z"
    assert csl["language"] == "de"
    assert record.original["language"] == "German"
    _assert_no_chrome(csl)


def test_vufind_seed_abstract_is_the_full_summary_with_readable_headings():
    abstract = _only_record(VUFIND_SEED).csl["abstract"]
    assert abstract.startswith("Hintergrund: Die Mehrzahl der Patient*innen")
    assert "verschlechtern. Klinisches Problem: Radiologisch-interventionelle" in abstract
    assert "spielen. Datenlage: Aufgrund" in abstract
    assert "werden. Schlussfolgerung: Die Thermoablation" in abstract
    assert abstract.endswith("durchgeführt werden.")
    assert "Zusammenfassung" not in abstract
    assert "..." not in abstract


def test_springer_seed_fields():
    record = _only_record(SPRINGER_SEED)
    csl = record.csl
    assert csl["type"] == "article-journal"
    assert csl["title"] == "Liver transarterial embolizations in metastatic neuroendocrine tumors"
    assert csl["container-title"] == "Reviews in Endocrine and Metabolic Disorders"
    assert csl["issue"] == "4"
    assert csl["issued"] == {"date-parts": [[2017, 10, 3]]}
    assert "volume" not in csl and "DOI" not in csl
    assert csl["author"] == [
        {"family": "de Mestier", "given": "Louis"},
        {"family": "Zappa", "given": "Magaly"},
        {"family": "Hentic", "given": "Olivia"},
        {"family": "Vilgrain", "given": "Valérie"},
        {"family": "Ruszniewski", "given": "Philippe"},
    ]
    assert csl["abstract"].startswith("The management of patients")
    assert csl["abstract"].endswith("are ongoing.")
    assert csl["language"] == "en"
    _assert_no_chrome(csl)
