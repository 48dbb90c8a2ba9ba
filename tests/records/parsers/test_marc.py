"""MARC 21: binary (MARC-8 and UTF-8) through pymarc, MARCXML through the safe XML parser."""

from __future__ import annotations

import pytest
from pymarc import Field, Indicators, Subfield
from pymarc import Record as MarcRecord

from records.parsers import detect, parse_bytes, parse_text
from records.parsers.marc import marc_to_csl, parse_host_part
from tests.conftest import FIXTURES

PYMARC = FIXTURES / "formats/pymarc/test"


def _article() -> MarcRecord:
    record = MarcRecord()
    record.leader = "00000naa a2200000 c 4500"
    record.add_field(Field(tag="001", data="BV123"))
    record.add_field(Field(tag="008", data="240701s2024    gw |||||o|||| 00| 0 ger d"))
    record.add_field(
        Field(
            tag="100",
            indicators=Indicators("1", " "),
            subfields=[Subfield("a", "Radosa, Christoph Georg"), Subfield("e", "Verfasser")],
        )
    )
    record.add_field(
        Field(
            tag="700",
            indicators=Indicators("1", " "),
            subfields=[Subfield("a", "Hoffmann, Ralf-Thorsten,"), Subfield("4", "aut")],
        )
    )
    record.add_field(
        Field(
            tag="245",
            indicators=Indicators("1", "0"),
            subfields=[
                Subfield("a", "Radiologisch-interventionelle Möglichkeiten :"),
                Subfield("b", "ein Überblick /"),
                Subfield("c", "C. G. Radosa"),
            ],
        )
    )
    record.add_field(
        Field(
            tag="024",
            indicators=Indicators("7", " "),
            subfields=[Subfield("a", "10.1007/s00117-024-01317-y"), Subfield("2", "doi")],
        )
    )
    record.add_field(
        Field(
            tag="773",
            indicators=Indicators("0", "8"),
            subfields=[
                Subfield("t", "Radiologie"),
                Subfield("g", "Jg. 64, H. 7 (2024), S. 575-581"),
                Subfield("x", "2731-7048"),
            ],
        )
    )
    return record


def test_mapping_of_an_article_with_host_item() -> None:
    csl, _kinds, own_id = marc_to_csl(_article())
    assert own_id == "BV123"
    assert csl["type"] == "article-journal"
    assert csl["title"] == "Radiologisch-interventionelle Möglichkeiten: ein Überblick"
    assert csl["author"] == [
        {"family": "Radosa", "given": "Christoph Georg"},
        {"family": "Hoffmann", "given": "Ralf-Thorsten"},
    ]
    assert csl["container-title"] == "Radiologie"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("64", "7", "575-581")
    assert csl["issued"] == {"date-parts": [[2024]]}
    assert csl["ISSN"] == "2731-7048"
    assert csl["DOI"] == "10.1007/s00117-024-01317-y"
    assert csl["language"] == "ger"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vol. 64, no. 7 (2024), p. 575-581", {"volume": "64", "issue": "7", "page": "575-581"}),
        ("64(2024), 7, Seite 575-581", {"volume": "64", "issue": "7", "page": "575-581"}),
        ("50 (2023)", {"volume": "50"}),
        ("pages:447-473", {"page": "447-473"}),
    ],
)
def test_host_part(text: str, expected: dict) -> None:
    found = parse_host_part(text)
    assert {k: v for k, v in found.items() if k != "issued"} == expected


def test_binary_roundtrip_through_text_input() -> None:
    data = _article().as_marc()
    result = parse_bytes(data, "one.mrc")
    assert result.records[0].source.format == "marc21"
    assert result.records[0].csl["title"].startswith("Radiologisch-interventionelle Möglichkeiten")


def test_marc8_record_is_converted() -> None:
    result = parse_bytes((PYMARC / "marc8.dat").read_bytes(), "marc8.dat")
    assert result.records[0].csl["title"] == "Escape from loneliness"
    assert result.records[0].csl["author"] == [{"family": "Tournier", "given": "Paul"}]
    assert result.records[0].csl["publisher"] == "Westminster Press"


def test_marc8_diacritics() -> None:
    result = parse_bytes((PYMARC / "bad_eacc_encoding.dat").read_bytes(), "eacc.dat")
    assert "tōchi" in result.records[0].csl["title"]


def test_several_records_and_broken_ones() -> None:
    result = parse_bytes((PYMARC / "test.dat").read_bytes(), "test.dat")
    assert len(result.records) == 10 and not result.failures
    broken = parse_bytes((PYMARC / "bad_records.mrc").read_bytes(), "bad.mrc")
    # pymarc's test file: record 1 and 8 are sound, the others damaged in different ways.
    assert len(broken.records) == 2 and broken.records[0].source.position == 1
    assert broken.failures[0].record == 2
    assert all("unreadable MARC record" in f.reason for f in broken.failures)


def test_marcxml_with_namespace_and_sru_wrapper() -> None:
    assert detect((PYMARC / "batch.xml").read_text("utf-8"), "batch").name == "marcxml"
    result = parse_bytes((PYMARC / "batch.xml").read_bytes(), "batch.xml")
    assert len(result.records) == 2
    sru = FIXTURES / "formats/jabref/importer-fileformat/MarcXmlParserTestThesis.xml"
    thesis = parse_bytes(sru.read_bytes(), sru.name).records[0]
    assert thesis.csl["type"] == "thesis"
    assert thesis.source.id == "BV048992225"


def test_marcxml_hostile_input_refused() -> None:
    text = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<record xmlns="http://www.loc.gov/MARC21/slim"><datafield tag="245"><subfield code="a">&x;'
        "</subfield></datafield></record>"
    )
    result = parse_text(text, "evil.xml", "marcxml")
    assert not result.records and "refused" in result.failures[0].reason
