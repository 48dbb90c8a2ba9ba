"""EndNote XML, including the SRA respiratory deduplication set."""

from __future__ import annotations

import csv

from records.parsers import detect, parse_bytes, parse_text
from tests.conftest import FIXTURES

SAMPLE = """<?xml version="1.0" encoding="UTF-8" ?><xml><records>
<record><database name="My.enl">My.enl</database><rec-number>17</rec-number>
<ref-type name="Journal Article">17</ref-type>
<contributors><authors><author><style face="normal" size="100%">Radosa, C. G.</style></author>
<author><style face="normal">Nebelung, H.</style></author></authors></contributors>
<titles><title><style face="normal">Radiologisch-interventionelle </style><style face="italic">Möglichkeiten</style></title>
<secondary-title><style>Radiologie</style></secondary-title><alt-title>Radiologe</alt-title></titles>
<periodical><full-title>Radiologie</full-title><abbr-1>Radiologe</abbr-1></periodical>
<pages>575-81</pages><volume>64</volume><number>7</number>
<keywords><keyword>Embolisation</keyword><keyword>Blutung</keyword></keywords>
<dates><year>2024</year><pub-dates><date>Jul</date></pub-dates></dates>
<isbn>2731-7048 (Print)&#xD;2731-7056 (Electronic)</isbn>
<accession-num>38760522</accession-num>
<electronic-resource-num>10.1007/s00117-024-01317-y</electronic-resource-num>
<remote-database-name>MEDLINE</remote-database-name>
<urls><related-urls><url>https://doi.org/10.1007/s00117-024-01317-y</url>
<url>https://pubmed.ncbi.nlm.nih.gov/38760522</url></related-urls></urls>
<language>ger</language></record>
<record><rec-number>18</rec-number><ref-type name="Book Section">5</ref-type>
<titles><title>A chapter</title><secondary-title>The Book</secondary-title></titles>
<contributors><secondary-authors><author>Editor, Ed</author></secondary-authors></contributors>
<isbn>978-3-16-148410-0</isbn><dates><year>2001</year></dates></record>
<record><rec-number>19</rec-number><ref-type name="Journal Article">17</ref-type></record>
</records></xml>"""


def test_detected_from_content() -> None:
    assert detect(SAMPLE, "library.xml").name == "endnote-xml"


def test_fields() -> None:
    result = parse_text(SAMPLE, "library.xml")
    article, chapter = result.records
    assert article.source.id == "17" and article.source.position == 1
    assert article.raw.startswith("<record>") and "<rec-number>17</rec-number>" in article.raw
    csl = article.csl
    assert csl["title"] == "Radiologisch-interventionelle Möglichkeiten"
    assert csl["author"] == [
        {"family": "Radosa", "given": "C. G."},
        {"family": "Nebelung", "given": "H."},
    ]
    assert (csl["container-title"], csl["container-title-short"]) == ("Radiologie", "Radiologe")
    assert (csl["volume"], csl["issue"], csl["page"]) == ("64", "7", "575-581")
    assert csl["issued"] == {"date-parts": [[2024, 7]]}
    assert csl["ISSN"] == "2731-7048, 2731-7056"
    assert article.issn_kinds == {"2731-7048": "print", "2731-7056": "electronic"}
    assert csl["DOI"] == "10.1007/s00117-024-01317-y"
    assert csl["URL"] == "https://pubmed.ncbi.nlm.nih.gov/38760522"
    assert csl["PMID"] == "38760522"
    assert csl["language"] == "de"
    assert chapter.csl["type"] == "chapter"
    assert chapter.csl["container-title"] == "The Book"
    assert chapter.csl["editor"] == [{"family": "Editor", "given": "Ed"}]
    assert chapter.csl["ISBN"] == "9783161484100"


def test_empty_record_is_a_failure() -> None:
    failure = parse_text(SAMPLE, "library.xml").failures[0]
    assert failure.record == 3 and "neither title nor authors" in failure.reason


def test_broken_xml_is_a_failure_with_its_line() -> None:
    result = parse_text(SAMPLE.replace("</records>", ""), "cut.xml", "endnote-xml")
    assert not result.records and result.failures[0].line is not None


def test_sra_respiratory_set() -> None:
    folder = FIXTURES / "dedup/sra_respiratory"
    result = parse_bytes((folder / "Respiratory.xml").read_bytes(), "Respiratory.xml")
    assert not result.failures
    assert len(result.records) == 1988
    # The record keeps EndNote's number; the set's CSV numbers records by position.
    assert result.records[0].source.id == "2" and result.records[0].source.position == 1
    with (folder / "records_pre_merged.csv").open(encoding="utf-8") as handle:
        rows = {row["ID"]: row for row in csv.DictReader(handle)}
    for record in result.records[::97]:
        row = rows[f"id_{record.source.position:07d}"]
        assert record.csl["title"].rstrip(".") == row["title"].rstrip(".")
        assert record.csl["issued"]["date-parts"][0][0] == int(row["year"])
