"""Springer Medizin and SpringerLink article pages copied as text (German and English UIs)."""

from __future__ import annotations

from records.parsers import detect
from tests.conftest import VUFIND_SEED
from tests.records.parsers.pagetools import families, only_record, sample

FMT = "springer-text"


def test_medizin_footer_metadata_block_is_authoritative():
    record = only_record("springer", "medizin_footer_de.txt", FMT)
    csl = record.csl
    assert csl["title"] == (
        "Radiologisch-interventionelle Möglichkeiten zur Behandlung von neuroendokrinen Tumoren"
    )
    # "Dr. med. C. G. Radosa": the academic title is no part of the name
    assert csl["author"][0] == {"family": "Radosa", "given": "C. G."}
    assert families(record) == ["Radosa", "Nebelung", "Schön", "Hoffmann"]
    assert csl["issued"] == {"date-parts": [[2024, 5, 18]]}
    assert csl["publisher"] == "Springer Medizin"
    assert (csl["container-title"], csl["issue"]) == ("Die Radiologie", "7")
    assert record.issn_kinds == {"2731-7048": "print", "2731-7056": "electronic"}
    assert csl["DOI"] == "10.1007/s00117-024-01314-z"
    # sub-headings on their own lines become "Heading: text"
    assert csl["abstract"].startswith("Hintergrund: Die Mehrzahl")
    assert "Schlussfolgerung: Die Thermoablation" in csl["abstract"]
    assert "Dasari" not in csl["abstract"]  # the reference list is not the abstract


def test_medizin_english_ui_footer():
    record = only_record("springer", "medizin_english_ui.txt", FMT)
    csl = record.csl
    assert csl["container-title"] == "CardioVascular and Interventional Radiology"
    assert csl["issue"] == "3"
    assert csl["author"][2] == {"family": "O'Connor", "given": "Mary Ann"}
    assert csl["publisher"] == "Springer US"
    assert record.issn_kinds == {"0174-1551": "print", "1432-086X": "electronic"}
    assert csl["DOI"] == "10.1007/s00270-022-03183-5"
    assert csl["abstract"].startswith("Purpose: To compare")
    assert csl["language"] == "en"


def test_medizin_open_access_date_line_with_category():
    record = only_record("springer", "medizin_open_access_de.txt", FMT)
    csl = record.csl
    assert csl["issued"] == {"date-parts": [[2023, 1, 12]]}
    assert (csl["container-title"], csl["issue"]) == ("Der Chirurg", "2")
    assert (
        csl["title"] == "Ergebnisse der laparoskopischen Leberresektion: eine retrospektive Analyse"
    )
    assert csl["author"][1] == {"family": "van der Linden", "given": "Peter"}
    assert csl["abstract"].endswith("lag bei 12 %.")
    assert "Download" not in csl["abstract"]


def test_medizin_plain_abstract_ends_at_the_ads():
    record = only_record("springer", "medizin_no_crumb_date.txt", FMT)
    csl = record.csl
    assert csl["title"] == "Neuroendokrine Neoplasien des Gastrointestinaltrakts"
    assert families(record) == ["Auernhammer", "Pape"]
    assert csl["abstract"].endswith("Diagnostik und Therapie.")
    assert "volume" not in csl and "DOI" not in csl


def test_medizin_abstract_heading_on_its_own_line_is_dropped():
    record = only_record("springer", "medizin_two_line_title.txt", FMT)
    csl = record.csl
    assert csl["abstract"].startswith("Die Leber ist")
    assert "Newsletter" not in csl["abstract"] and "Anzeige" not in csl["abstract"]
    assert csl["issued"] == {"date-parts": [[2020, 11, 2]]}


def test_springerlink_english_page():
    record = only_record("springer", "link_article_en.txt", FMT)
    csl = record.csl
    assert csl["title"] == "Liver transarterial embolizations in metastatic neuroendocrine tumors"
    assert csl["container-title"] == "Reviews in Endocrine and Metabolic Disorders"
    assert (csl["volume"], csl["page"]) == ("18", "459-471")
    assert csl["issued"] == {"date-parts": [[2017, 10, 3]]}
    assert families(record) == ["de Mestier", "Zappa", "Hentic", "Vilgrain", "Ruszniewski"]
    assert csl["DOI"] == "10.1007/s11154-017-9431-2"
    assert csl["keyword"] == "Neuroendocrine tumor, Liver metastases, Transarterial embolization"
    assert csl["abstract"].endswith("are ongoing.")
    assert "Accesses" not in str(csl)


def test_springerlink_article_number_and_structured_abstract():
    record = only_record("springer", "link_open_access_article_number.txt", FMT)
    csl = record.csl
    assert (csl["container-title"], csl["volume"], csl["page"]) == ("BMC Cancer", "21", "264")
    assert csl["DOI"] == "10.1186/s12885-021-07978-3"
    assert csl["abstract"] == (
        "Background: Radiofrequency ablation is used for small liver metastases. "
        "Methods: We analysed 120 patients. Results: Local control was 88%."
    )
    assert families(record) == ["Svensson", "Berg", "Lind"]


def test_springerlink_volume_line_without_journal_and_doi_on_one_line():
    record = only_record("springer", "link_volume_caps.txt", FMT)
    csl = record.csl
    assert csl["container-title"] == "Cardiovascular and Interventional Radiology"
    assert (csl["volume"], csl["page"]) == ("42", "58-66")
    assert csl["author"][1] == {"family": "Lewandowski", "given": "Robert J."}
    assert csl["DOI"] == "10.1007/s00270-018-2084-0"


def test_springerlink_german_ui():
    record = only_record("springer", "link_german_ui.txt", FMT)
    csl = record.csl
    assert csl["issued"] == {"date-parts": [[2024, 5, 18]]}
    assert (csl["container-title"], csl["volume"], csl["page"]) == (
        "Die Radiologie",
        "64",
        "575-581",
    )
    assert families(record) == ["Radosa", "Nebelung", "Schön", "Hoffmann"]
    assert csl["keyword"] == "Neuroendokrine Tumoren, Lebermetastasen"
    assert csl["language"] == "de"


def test_springerlink_article_type_lines_are_not_the_title():
    record = only_record("springer", "link_chapter_like_article.txt", FMT)
    csl = record.csl
    assert csl["title"] == "Imaging of hepatic metastases after locoregional therapy"
    assert csl["container-title"] == "Abdominal Radiology"
    assert csl["DOI"] == "10.1007/s00261-023-03850-1"


def test_vufind_page_is_not_taken_for_springer():
    assert detect(VUFIND_SEED.read_text("utf-8"), "x").name == "vufind-text"
    assert detect(sample("vufind", "de_summon_glued.txt"), "x").name == "vufind-text"


def test_the_metadata_block_alone_is_a_springer_record():
    record = only_record("springer", "medizin_metadata_block_only.txt", FMT)
    csl = record.csl
    assert csl["title"] == "Strahlentherapie des Pankreaskarzinoms: aktuelle Konzepte"
    assert csl["author"][0] == {"family": "Combs", "given": "Stephanie E."}
    assert csl["issued"] == {"date-parts": [[2021, 2, 15]]}
    assert (csl["container-title"], csl["issue"]) == ("Der Onkologe", "3")
    assert record.issn_kinds == {"0947-8965": "print", "1433-0415": "electronic"}
    assert csl["DOI"] == "10.1007/s00761-021-00901-2"


def test_a_long_line_of_spaces_is_sniffed_in_linear_time():
    # Binary MARC holds lines of hundreds of spaces. The page patterns once let a leading
    # ``\s*`` and a lazy name group split the spaces every way (cubic): 13 s of sniffing for
    # pymarc's 2 KB bad_indicator.dat, and hours for these 5,000 spaces. Now they take no time.
    from records.parsers.springer import SpringerPageParser

    spaces = " " * 5000 + "\n" + "\t " * 2500 + "\n"
    assert SpringerPageParser().sniff("Title of a record\n" + spaces) == 0.0
    # A real page with such lines is still a Springer page.
    page = sample("springer", "link_article_en.txt")
    assert SpringerPageParser().sniff(page + spaces) == SpringerPageParser().sniff(page) > 0.5
