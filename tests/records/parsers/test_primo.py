"""Primo full display ("Details") copied as text, English and German UI."""

from __future__ import annotations

from records.parsers import detect
from tests.records.parsers.pagetools import families, only_record, records_of, sample, year

FMT = "primo-text"


def test_english_details_with_labels_alone_on_their_lines():
    record = only_record("primo", "en_details_bare.txt", FMT)
    csl = record.csl
    assert csl["title"].startswith("Radiologisch-interventionelle Möglichkeiten")
    assert families(record) == ["Radosa", "Nebelung", "Schön", "Hoffmann"]
    assert (csl["container-title"], csl["volume"], csl["issue"], csl["page"]) == (
        "Die Radiologie",
        "64",
        "7",
        "575-581",
    )
    assert year(record) == 2024
    assert record.issn_kinds == {"2731-7048": "print", "2731-7056": "electronic"}
    assert (csl["DOI"], csl["PMID"]) == ("10.1007/s00117-024-01314-z", "38761210")
    assert (csl["publisher-place"], csl["publisher"]) == ("Berlin/Heidelberg", "Springer Medizin")
    assert csl["language"] == "de"
    assert csl["keyword"] == "Neuroendocrine tumors, Liver metastases"
    assert "Send to" not in str(csl) and "SpringerLink" not in str(csl)


def test_german_ui():
    record = only_record("primo", "de_details_bare.txt", FMT)
    csl = record.csl
    assert csl["container-title"] == "Reviews in endocrine & metabolic disorders"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("18", "4", "459-471")
    assert csl["language"] == "en" and record.original["language"] == "Englisch"
    assert record.issn_kinds == {"1389-9155": "print", "1573-2606": "electronic"}
    assert csl["author"][0] == {"family": "de Mestier", "given": "Louis"}


def test_tab_layout_with_full_date_and_eissn_only():
    record = only_record("primo", "en_tabs.txt", FMT)
    csl = record.csl
    assert (csl["volume"], csl["issue"], csl["page"]) == ("45", "1", "1-2")
    assert record.issn_kinds == {"1520-4898": "electronic"}
    assert csl["PMID"] == "22248448"
    assert csl["DOI"] == "10.1021/ar2003286"


def test_colon_layout_with_roles():
    record = only_record("primo", "en_colon.txt", FMT)
    csl = record.csl
    assert csl["author"] == [{"family": "Müller", "given": "Anna"}]
    assert csl["editor"] == [{"family": "Weber", "given": "Klaus"}]
    assert csl["page"] == "370-379" and "volume" not in csl


def test_book_with_isbn():
    record = only_record("primo", "en_book.txt", FMT)
    csl = record.csl
    assert csl["type"] == "book"
    assert csl["ISBN"] == "9788491101420"
    assert csl["author"] == [{"family": "García López", "given": "María"}]
    assert csl["publisher"] == "Editorial Médica Panamericana"


def test_one_author_per_line():
    record = only_record("primo", "en_one_author_per_line.txt", FMT)
    assert record.csl["author"][2] == {"family": "O'Connor", "given": "Mary Ann"}
    assert record.csl["ISSN"] == "0174-1551, 1432-086X"


def test_german_year_label():
    record = only_record("primo", "de_erstellungsdatum.txt", FMT)
    assert year(record) == 2021
    assert record.csl["language"] == "de"
    assert record.csl["author"][0] == {"family": "Combs", "given": "S. E."}


def test_part_of_without_volume():
    record = only_record("primo", "en_no_volume.txt", FMT)
    assert record.csl["container-title"] == "Abdominal radiology (New York)"
    assert record.csl["page"] == "1201-1215"
    assert year(record) == 2023


def test_two_records_in_one_file():
    first, second = records_of("primo", "two_records.txt", FMT)
    assert first.csl["page"] == "12"
    assert second.csl["author"] == [{"family": "Kemeny", "given": "Nancy E."}]
    assert second.csl["issue"] == "15_suppl"
    assert second.source.position == 2


def test_contributor_editor_and_description():
    record = only_record("primo", "en_subjects_description.txt", FMT)
    assert record.csl["editor"] == [{"family": "Svensson", "given": "Anna"}]
    assert record.csl["abstract"].startswith("CT perfusion measures")
    assert record.csl["page"] == "e0213978"


def test_ebsco_record_is_not_taken_for_primo():
    assert detect(sample("ebsco", "eds_bare_labels.txt"), "x").name == "ebsco-text"
