"""EBSCO detailed records copied as text (English and German UI, classic and EDS layouts)."""

from __future__ import annotations

import pytest

from records.parsers import detect
from records.parsers.ebsco import parse_source
from tests.records.parsers.pagetools import families, only_record, records_of, sample, year

FMT = "ebsco-text"


def test_classic_english_record():
    record = only_record("ebsco", "en_classic_tabs.txt", FMT)
    csl = record.csl
    assert csl["title"] == (
        "Radiologisch-interventionelle Möglichkeiten zur Behandlung von neuroendokrinen Tumoren"
    )
    assert csl["author"][0] == {"family": "Radosa", "given": "C. G."}
    assert families(record) == ["Radosa", "Nebelung", "Schön", "Hoffmann"]
    assert csl["container-title"] == "Radiologe"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("64", "7", "575-581")
    assert csl["issued"] == {"date-parts": [[2024, 7]]}
    assert csl["language"] == "de"
    assert csl["keyword"] == "NEUROENDOCRINE tumors, LIVER metastasis, CHEMOEMBOLIZATION"
    assert csl["DOI"] == "10.1007/s00117-024-01314-z"
    assert record.source.id == "178012345"  # the accession number
    assert "Result List" not in str(csl)


def test_german_ui_labels():
    record = only_record("ebsco", "de_ui_tabs.txt", FMT)
    csl = record.csl
    assert csl["container-title"] == "Reviews in Endocrine & Metabolic Disorders"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("18", "4", "459-471")
    assert csl["author"][0] == {"family": "de Mestier", "given": "Louis"}
    assert csl["language"] == "en"
    assert record.source.id == "126543210"


def test_eds_labels_alone_on_their_lines_with_author_marks_and_emails():
    record = only_record("ebsco", "eds_bare_labels.txt", FMT)
    csl = record.csl
    assert csl["author"] == [
        {"family": "Salem", "given": "Riad"},
        {"family": "Lewandowski", "given": "Robert J."},
        {"family": "Gabr", "given": "Ahmed"},
    ]
    assert (csl["volume"], csl["issue"], csl["page"]) == ("42", "1", "58-66")
    assert csl["type"] == "article-journal"
    assert csl["ISSN"] == "0174-1551"


def test_full_date_semicolon_authors_and_pmid():
    record = only_record("ebsco", "en_full_date.txt", FMT)
    csl = record.csl
    assert csl["issued"] == {"date-parts": [[2024, 8, 2]]}
    assert families(record) == ["Zhang", "Müller", "García-López"]
    assert csl["PMID"] == "39093412"
    assert csl["keyword"] == "Artificial intelligence, Liver, Computed tomography"


def test_single_page_and_season():
    record = only_record("ebsco", "en_single_page.txt", FMT)
    assert record.csl["page"] == "12"
    assert year(record) == 2021


def test_source_without_issue():
    record = only_record("ebsco", "en_no_issue.txt", FMT)
    assert record.csl["volume"] == "38" and "issue" not in record.csl
    assert record.csl["page"] == "4126-4134"


def test_folder_with_two_records():
    first, second = records_of("ebsco", "folder_two_records.txt", FMT)
    assert first.csl["container-title"] == "Journal of Vascular & Interventional Radiology"
    assert second.csl["title"] == "Simulation in nursing education: a review"
    assert year(second) == 2010
    assert (second.source.position, second.source.id) == (2, "53222222")
    assert "Kennedy" not in second.raw


def test_review_document_type_in_german_ui():
    record = only_record("ebsco", "de_review_type.txt", FMT)
    assert record.csl["type"] == "article-journal"
    assert record.csl["language"] == "de"
    assert record.csl["author"][0] == {"family": "Combs", "given": "Stephanie E."}


def test_book_chapter():
    record = only_record("ebsco", "en_book_chapter.txt", FMT)
    assert record.csl["type"] == "chapter"
    assert record.csl["ISBN"] == "9783642131264"
    assert record.csl["page"] == "211-240"


def test_affiliation_numbers_are_not_names():
    record = only_record("ebsco", "en_affiliations_keywords.txt", FMT)
    assert families(record) == ["Svensson", "Berg", "Lind"]
    assert record.csl["issued"] == {"date-parts": [[2021, 3, 12]]}
    assert "Uppsala" not in str(record.csl.get("author"))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Radiologe. Jul2024, Vol. 64 Issue 7, p575-581. 7p.",
            ("Radiologe", "64", "7", "575-581"),
        ),
        ("Nature. 5/18/2024, Vol. 629 Issue 8012, p45. 1p.", ("Nature", "629", "8012", "45")),
        ("Radiologe. Jul2024, Bd. 64 Heft 7, S575-581. 7S.", ("Radiologe", "64", "7", "575-581")),
    ],
)
def test_source_line(source, expected):
    out = parse_source(source)
    assert (out["container-title"], out["volume"], out["issue"], out["page"]) == expected


def test_vufind_and_primo_pages_are_not_taken_for_ebsco():
    assert detect(sample("vufind", "en_summon_tabs.txt"), "x").name == "vufind-text"
    assert detect(sample("primo", "en_details_bare.txt"), "x").name == "primo-text"
