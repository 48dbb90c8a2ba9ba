"""A plain table with a header row, including the bib-dedupe sets."""

from __future__ import annotations

import pytest

from records.parsers import detect, parse_bytes, parse_text
from tests.conftest import FIXTURES

SCOPUS_LIKE = """Authors,Author full names,Title,Year,Source title,Volume,Issue,Page start,Page end,DOI,ISSN,Language of Original Document,Document Type
"Radosa C.G.; Nebelung H.","Radosa, Christoph Georg; Nebelung, Heiner","Radiologisch-interventionelle Möglichkeiten",2024,Radiologie,64,7,575,581,10.1007/s00117-024-01317-y,27317048,German,Review
"Doe J.",,"Second, with a comma in the title",2019,Journal,1,,12,,,,English,Article
"""


def test_detected_from_content() -> None:
    assert detect(SCOPUS_LIKE, "scopus.csv").name == "csv"


def test_scopus_like_columns() -> None:
    result = parse_text(SCOPUS_LIKE, "scopus.csv")
    first, second = result.records
    csl = first.csl
    assert first.source.id == "1" and first.source.line == 2  # no id column: the row number
    assert csl["author"] == [
        {"family": "Radosa", "given": "C. G."},
        {"family": "Nebelung", "given": "H."},
    ]
    assert csl["title"] == "Radiologisch-interventionelle Möglichkeiten"
    assert csl["issued"] == {"date-parts": [[2024]]}
    assert csl["container-title"] == "Radiologie"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("64", "7", "575-581")
    assert csl["ISSN"] == "2731-7048"
    assert csl["language"] == "de"
    assert second.csl["title"] == "Second, with a comma in the title"
    assert second.csl["page"] == "12"


def test_semicolon_table_with_id_column_and_bibtex_authors() -> None:
    text = "ID;title;author;year;journal;pages\nr1;A title;Smith, John and Doe, Jane;2020;J;1--5\n"
    record = parse_text(text, "t.csv").records[0]
    assert record.source.id == "r1"
    assert [a["family"] for a in record.csl["author"]] == ["Smith", "Doe"]
    assert record.csl["page"] == "1-5"


def test_row_with_too_many_cells_is_a_failure() -> None:
    text = "title,year\nGood,2020\nBad,2020,extra\nAlso good,2021\n"
    result = parse_text(text, "t.csv", "csv")
    assert [r.csl["title"] for r in result.records] == ["Good", "Also good"]
    failure = result.failures[0]
    assert (failure.record, failure.line) == (2, 3)


def test_cp1252_table() -> None:
    data = "title;author;year\nÜber Straßen;Müller, Jörg;2001\n".encode("cp1252")
    record = parse_bytes(data, "t.csv").records[0]
    assert record.csl["title"] == "Über Straßen"
    assert record.csl["author"] == [{"family": "Müller", "given": "Jörg"}]


@pytest.mark.parametrize(
    "folder", ["bibdedupe_digital_work", "bibdedupe_special_cases", "sra_respiratory"]
)
def test_bib_dedupe_sets_import_with_their_ids(folder: str) -> None:
    path = FIXTURES / "dedup" / folder / "records_pre_merged.csv"
    result = parse_bytes(path.read_bytes(), path.name)
    assert not result.failures
    ids = [r.source.id for r in result.records]
    assert all(i.startswith("id_") for i in ids) and len(set(ids)) == len(ids)
    merged = (FIXTURES / "dedup" / folder / "merged_record_ids.csv").read_text("utf-8")
    cluster_ids = {i for line in merged.splitlines()[1:] for i in line.strip('"').split(";")}
    assert cluster_ids <= set(ids)
    assert sum("title" in r.csl for r in result.records) >= 0.95 * len(ids)
