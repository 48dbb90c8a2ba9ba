"""Web of Science plain-text export."""

from __future__ import annotations

from records.parsers import detect, parse_bytes, parse_text
from tests.conftest import FIXTURES

SAMPLE = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Radosa, CG
   Nebelung, H
AF Radosa, Christoph Georg
   Nebelung, Heiner
TI Radiologisch-interventionelle Moglichkeiten bei Blutungen im
   Gastrointestinaltrakt
SO RADIOLOGIE
LA German
DT Review
DE Embolisation; Blutung
AB Hintergrund: Blutungen sind haufig.
SN 2731-7048
EI 2731-7056
PD JUL
PY 2024
VL 64
IS 7
BP 575
EP 581
DI 10.1007/s00117-024-01317-y
JI Radiologie
UT WOS:001234567800001
ER

PT J
TI Without authors but fine
ER

EF
"""


def test_detected_from_content() -> None:
    assert detect(SAMPLE, "savedrecs.txt").name == "wos"


def test_fields() -> None:
    result = parse_text(SAMPLE, "savedrecs.txt")
    record = result.records[0]
    csl = record.csl
    assert record.source.id == "WOS:001234567800001" and record.source.line == 3
    assert csl["author"] == [
        {"family": "Radosa", "given": "Christoph Georg"},
        {"family": "Nebelung", "given": "Heiner"},
    ]
    assert (
        csl["title"]
        == "Radiologisch-interventionelle Moglichkeiten bei Blutungen im Gastrointestinaltrakt"
    )
    assert (csl["container-title"], csl["container-title-short"]) == ("RADIOLOGIE", "Radiologie")
    assert csl["issued"] == {"date-parts": [[2024, 7]]}
    assert csl["page"] == "575-581"
    assert record.issn_kinds == {"2731-7048": "print", "2731-7056": "electronic"}
    assert csl["keyword"] == "Embolisation, Blutung"
    assert csl["language"] == "de"
    assert result.records[1].csl["title"] == "Without authors but fine"


def test_rispy_and_jabref_samples() -> None:
    path = FIXTURES / "formats/rispy/data/example_wos.ris"  # named .ris, but WoS tagged text
    result = parse_bytes(path.read_bytes(), path.name)
    assert result.records[0].source.format == "wos"
    assert result.records[0].csl["container-title-short"] == "Biochemistry"
    isi = FIXTURES / "formats/jabref/importer-fileformat/IsiImporterTestWOS.isi"
    assert len(parse_bytes(isi.read_bytes(), isi.name).records) == 2


def test_record_without_title_or_authors_is_a_failure() -> None:
    text = (
        "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nSO JOURNAL ONLY\nER\n\n"
        + (SAMPLE.split("VR 1.0\n", 1)[1])
    )
    result = parse_text(text, "savedrecs.txt")
    assert len(result.records) == 2
    failure = result.failures[0]
    assert (failure.record, failure.line) == (1, 3) and "no TI or AU" in failure.reason
