"""PubMed abstract pages and the "Summary (text)" display, copied as text."""

from __future__ import annotations

from records.parsers import detect
from records.parsers.pubmed_page import PubMedPageParser
from tests.conftest import SPRINGER_SEED, VUFIND_SEED
from tests.records.parsers.pagetools import families, only_record, records_of

FMT = "pubmed-text"


def test_german_article_page_with_split_citation_line():
    record = only_record("pubmed", "abstract_german_article.txt", FMT)
    csl = record.csl
    assert csl["container-title-short"] == "Radiologie (Heidelb)"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("64", "7", "575-581")
    assert csl["issued"] == {"date-parts": [[2024, 7]]}
    # the [bracketed] English translation of a German title
    assert (
        csl["title"]
        == "Interventional radiological options for the treatment of neuroendocrine tumors"
    )
    assert csl["language"] == "de" and record.original["language"] == "German"
    assert csl["author"] == [
        {"family": "Radosa", "given": "C. G."},
        {"family": "Nebelung", "given": "H."},
        {"family": "Schön", "given": "F."},
        {"family": "Hoffmann", "given": "R. T."},
    ]
    assert (csl["PMID"], csl["PMCID"]) == ("38761210", "PMC11211234")
    assert csl["DOI"] == "10.1007/s00117-024-01314-z"
    assert csl["abstract"].startswith("Background: The majority")
    assert csl["abstract"].endswith("curative therapy.")
    assert csl["keyword"] == (
        "Liver metastases, Neuroendocrine tumors, Radioembolization, Thermal ablation"
    )
    assert "Similar articles" not in csl["abstract"]


def test_one_line_citation_abbreviated_pages_and_suffix():
    record = only_record("pubmed", "abstract_english_one_line_citation.txt", FMT)
    csl = record.csl
    assert csl["page"] == "245-253"  # NLM "245-53"
    assert csl["title"].startswith("Liver-directed therapies")
    assert csl["author"] == [
        {"family": "Kennedy", "given": "Andrew S."},
        {"family": "O'Neill", "given": "Mary J."},
        {"family": "Smith", "given": "John", "suffix": "Jr."},
    ]
    assert csl["language"] == "en"
    assert "Copyright" not in csl["abstract"]
    assert "Materials and methods: Retrospective" in csl["abstract"]


def test_elocator_and_pmcid():
    record = only_record("pubmed", "abstract_no_issue_elocator.txt", FMT)
    csl = record.csl
    assert csl["page"] == "e0213978"
    assert csl["issued"] == {"date-parts": [[2019, 3, 28]]}
    assert csl["PMCID"] == "PMC6438579"
    assert csl["abstract"].endswith("40 patients.")  # stops at the conflict statement


def test_season_date_range():
    record = only_record("pubmed", "abstract_season_date.txt", FMT)
    assert record.csl["issued"] == {"date-parts": [[2010, 9], [2010, 10]]}
    assert record.csl["page"] == "225-228"
    assert record.csl["PMID"] == "20729678"


def test_french_article_with_hyphenated_initials():
    record = only_record("pubmed", "abstract_french_article.txt", FMT)
    csl = record.csl
    assert csl["language"] == "fr"
    assert csl["title"] == "Endovascular treatment of liver metastases"
    assert families(record) == ["Dupont", "Martin", "de la Fontaine"]
    assert csl["author"][0]["given"] == "J.-P."


def test_ahead_of_print_without_volume():
    record = only_record("pubmed", "abstract_ahead_of_print.txt", FMT)
    csl = record.csl
    assert "volume" not in csl and "page" not in csl
    assert csl["issued"] == {"date-parts": [[2024, 8, 2]]}
    assert csl["DOI"] == "10.1007/s00330-024-10987-1"
    assert csl["author"][2] == {"family": "García-López", "given": "Carlos"}
    assert csl["keyword"].endswith("Tomography, X-ray computed")


def test_collective_author_is_literal():
    record = only_record("pubmed", "abstract_collective_author.txt", FMT)
    assert record.csl["author"][-1] == {"literal": "SIRveNIB Trial Group"}
    assert record.csl["DOI"] == "10.1016/S1470-2045(21)00462-9"
    assert "Comment in" not in record.csl["abstract"]


def test_no_authors_listed_and_supplement_pages():
    record = only_record("pubmed", "abstract_supplement_pages.txt", FMT)
    assert "author" not in record.csl
    assert record.csl["page"] == "S1-S120"
    assert record.csl["title"] == "Abstracts of the 99th German Radiology Congress"


def test_summary_text_display_with_two_records():
    first, second = records_of("pubmed", "summary_text_two.txt", FMT)
    assert first.csl["title"] == (
        "Interventional radiological options for the treatment of neuroendocrine tumors"
    )
    assert first.csl["language"] == "de"
    assert families(first) == ["Radosa", "Nebelung", "Schön", "Hoffmann"]
    assert first.csl["author"][0]["given"] == "C. G."
    assert (first.csl["PMID"], first.csl["PMCID"]) == ("38761210", "PMC11211234")
    assert first.csl["abstract"].startswith("BACKGROUND: The majority")
    assert "Institut" not in first.csl["abstract"]  # affiliations are no abstract
    assert "©" not in first.csl["abstract"]
    assert second.csl["DOI"] == "10.1007/s11154-017-9431-2"
    assert second.csl["author"][0] == {"family": "de Mestier", "given": "L."}
    assert second.csl["author"][3] == {"family": "Vilgrain", "given": "V."}
    assert second.csl["PMID"] == "28986749"
    assert second.source.position == 2


def test_summary_text_single_record_with_two_affiliation_marks():
    record = only_record("pubmed", "summary_text_single.txt", FMT)
    assert record.csl["author"][0] == {"family": "Salem", "given": "R."}
    assert record.csl["DOI"] == "10.1007/s00270-018-2084-0"
    assert record.csl["issued"] == {"date-parts": [[2019, 1]]}


def test_seed_pages_are_not_taken_for_pubmed():
    assert detect(VUFIND_SEED.read_text("utf-8"), "x").name != FMT
    assert detect(SPRINGER_SEED.read_text("utf-8"), "x").name != FMT


def test_pasted_search_results_give_one_record_per_hit():
    first, second, third = records_of("pubmed", "search_results.txt", FMT)
    assert first.csl["title"] == (
        "Interventional radiological options for the treatment of neuroendocrine tumors"
    )
    assert first.csl["author"][0] == {"family": "Radosa", "given": "C. G."}
    assert (first.csl["PMID"], first.csl["language"]) == ("38761210", "de")
    assert second.csl["language"] == "en" and second.csl["page"] == "459-471"
    assert third.csl["title"] == "Abstracts of the 99th German Radiology Congress"
    assert "author" not in third.csl
    assert "Cite" not in first.raw and "Neuroendocrine tumors (NET) often" not in first.raw


def test_medline_and_ris_fields_are_not_page_citations():
    medline = (
        "PMID- 38761210\nTI  - [Interventional radiological options].\n"
        "SO  - Radiologie (Heidelb). 2024 Jul;64(7):575-581. doi: 10.1007/s00117-024-01314-z.\n"
    )
    assert PubMedPageParser().sniff(medline) < 0.5


def test_a_reference_list_with_pmids_is_not_a_pubmed_page():
    text = (
        "Radosa CG, Nebelung H. Radiologische Optionen. Radiologie. 2024;64(7):575-581. "
        "PMID: 38761210\n"
        "Berg L, Lind E. Quantitative CT perfusion. PLoS One. 2019;14(3):e0213978. PMID: 30921337\n"
    )
    assert detect(text, "refs.txt").name == "reference"
