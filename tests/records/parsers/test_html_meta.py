"""HTML pages: embedded metadata vocabularies merged per field, visible text as fallback.

Conformance: the raw JSON-LD, Dublin Core and OpenGraph extraction is checked against
extruct's expected outputs (shared/fixtures/formats/extruct). extruct reads *all* JSON-LD,
DC and OG statements; we compare the statements, not extruct's RDF expansions (w3crdfa,
expanded OG), which harvester does not produce.
"""

from __future__ import annotations

import json

import lxml.html
import pytest

from records.parsers import detect, parse_text
from records.parsers.html_meta import HtmlPageParser, json_ld, merge, meta_tags, visible_text
from tests.conftest import FIXTURES
from tests.records.parsers.pagetools import families, only_record, records_of, sample, year

FMT = "html"
EXTRUCT = FIXTURES / "formats" / "extruct"


def test_highwire_wins_over_other_vocabularies_per_field():
    record = only_record("html", "springerlink_all_vocabularies.html", FMT)
    csl = record.csl
    # Highwire beats DC, OpenGraph and JSON-LD titles and authors ...
    assert csl["title"] == "Liver transarterial embolizations in metastatic neuroendocrine tumors"
    assert families(record) == ["de Mestier", "Zappa", "Hentic"]
    assert (csl["volume"], csl["issue"], csl["page"]) == ("18", "4", "459-471")
    assert csl["container-title-short"] == "Rev Endocr Metab Disord"
    assert csl["DOI"] == "10.1007/s11154-017-9431-2"
    assert csl["keyword"] == "Neuroendocrine tumor, Liver metastases"
    # ... while fields Highwire lacks come from lower sources (OpenGraph description and URL)
    assert csl["abstract"].startswith("The management of patients")
    assert csl["URL"].endswith("s11154-017-9431-2")
    # ISSN kinds from PRISM (citation_issn order is not trusted)
    assert record.issn_kinds == {"1389-9155": "print", "1573-2606": "electronic"}
    assert csl["language"] == "en"


def test_vufind_record_page_field_table_and_coins():
    record = only_record("html", "vufind_record_table.html", FMT)
    csl = record.csl
    assert csl["title"].startswith("Radiologisch-interventionelle Möglichkeiten")
    # COinS carries the first authors only; the field table's fuller list wins
    assert families(record) == ["Radosa", "Nebelung", "Schön", "Hoffmann"]
    assert (csl["container-title"], csl["volume"], csl["issue"], csl["page"]) == (
        "Radiologe",
        "64",
        "7",
        "575-581",
    )
    assert (csl["publisher-place"], csl["publisher"]) == ("Heidelberg", "Springer Nature B.V")
    assert record.issn_kinds == {"0033-832X": "print", "1432-2102": "electronic"}
    assert csl["language"] == "de"
    assert "Tag hinzufügen" not in str(csl)


def test_saved_result_list_yields_one_record_per_coins_span():
    first, book, third = records_of("html", "vufind_results_coins.html", FMT)
    assert first.csl["container-title"] == "Journal of Vascular and Interventional Radiology"
    assert families(first) == ["Kennedy", "O'Neill"]
    assert (book.csl["type"], book.csl["ISBN"], book.csl["publisher-place"]) == (
        "book",
        "9788491101420",
        "Madrid",
    )
    assert third.csl["author"] == [{"family": "Nowak", "given": "A."}]
    assert (third.csl["page"], third.csl["PMID"]) == ("101-109", "32322327")


def test_ojs_dublin_core():
    record = only_record("html", "ojs_dublin_core.html", FMT)
    csl = record.csl
    assert csl["title"] == "Embolización hepática: revisión"
    assert csl["author"] == [
        {"family": "García", "given": "María"},
        {"family": "Pérez", "given": "Juan"},
    ]
    assert (csl["container-title"], csl["volume"], csl["issue"], csl["page"]) == (
        "Revista de Radiología",
        "61",
        "2",
        "45-52",
    )
    assert csl["issued"] == {"date-parts": [[2019, 6, 15]]}
    assert (csl["DOI"], csl["ISSN"], csl["language"]) == ("10.5555/rr.2019.1234", "0033-8338", "es")
    assert csl["keyword"] == "embolización, hígado"


def test_eprints_repository():
    record = only_record("html", "eprints_repository.html", FMT)
    csl = record.csl
    assert families(record) == ["Vogel", "Larsen"]
    assert csl["issued"] == {"date-parts": [[2021, 11]]}
    assert (csl["container-title"], csl["page"]) == ("Acta Radiologica", "1450-1458")
    assert csl["DOI"] == "10.1177/0284185120968562"
    assert csl["type"] == "article-journal"


def test_bepress_commons():
    record = only_record("html", "bepress_commons.html", FMT)
    csl = record.csl
    assert csl["title"] == "Imaging after ablation"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("16", "5", "1-9")
    assert year(record) == 2022
    assert csl["abstract"] == "Case series of imaging findings."  # <meta name=description>


def test_json_ld_graph_with_comments_and_trailing_commas():
    record = only_record("html", "jsonld_graph_broken.html", FMT)
    csl = record.csl
    assert csl["title"] == "Deep learning for liver lesion detection on CT"
    assert csl["author"] == [
        {"family": "Zhang", "given": "Wei"},
        {"family": "Müller", "given": "Anna"},
        {"literal": "LiverNet Consortium"},
    ]
    assert (csl["container-title"], csl["volume"], csl["issue"], csl["page"]) == (
        "European Radiology",
        "34",
        "8",
        "5012-5021",
    )
    assert csl["issued"] == {"date-parts": [[2024, 8, 2]]}
    assert csl["ISSN"] == "0938-7994, 1432-1084"
    assert csl["DOI"] == "10.1007/s00330-024-10987-1"


def test_opengraph_news_page():
    record = only_record("html", "opengraph_news.html", FMT)
    csl = record.csl
    assert csl["type"] == "webpage"
    assert csl["author"] == [{"family": "Reporter", "given": "Sam"}]
    assert csl["issued"] == {"date-parts": [[2023, 5, 4]]}
    assert csl["keyword"] == "cancer, radiology"
    assert "container-title" not in csl  # og:site_name is no journal


def test_pubmed_highwire_single_authors_tag_and_bracketed_title():
    record = only_record("html", "pubmed_highwire_authors.html", FMT)
    csl = record.csl
    assert csl["title"] == (
        "Interventional radiological options for the treatment of neuroendocrine tumors"
    )
    assert csl["author"][0] == {"family": "Radosa", "given": "C. G."}
    assert len(csl["author"]) == 4
    assert (csl["PMID"], csl["language"]) == ("38761210", "de")
    assert csl["issued"] == {"date-parts": [[2024, 7]]}


def test_page_without_metadata_falls_back_to_the_text_parsers():
    record = only_record("html", "springer_medizin_text_only.html", FMT)
    csl = record.csl
    assert csl["title"] == "Neuroendokrine Neoplasien des Gastrointestinaltrakts"
    assert (csl["container-title"], csl["issue"]) == ("Der Internist", "3")
    assert families(record) == ["Auernhammer", "Pape"]


def test_title_and_description_as_the_last_resort():
    record = only_record("html", "title_only.html", FMT)
    assert record.csl["title"] == "Guidelines for liver imaging"
    assert record.csl["type"] == "webpage"
    assert record.csl["URL"] == "https://example.org/guidelines/liver"


def test_page_without_any_title_is_a_failure_not_a_crash():
    result = parse_text("<html><body><p></p></body></html>", "empty.html")
    assert result.records == [] and len(result.failures) == 1
    assert "empty.html" in str(result.failures[0])


def test_visible_text_renders_table_rows_as_label_tab_value():
    doc = lxml.html.document_fromstring(sample("html", "vufind_record_table.html"))
    text = visible_text(doc)
    assert "Veröffentlicht in:\tRadiologe Jg. 64; H. 7; S. 575 - 581" in text
    assert "Zum Inhalt springen" not in text  # header/nav are no content


def test_merge_takes_lists_whole_and_collects_issns():
    merged, kinds, provenance = merge(
        [
            ("a", {"author": [{"family": "A"}], "ISSN": "1234-5679"}, {}),
            ("b", {"author": [{"family": "B"}, {"family": "C"}], "title": "T"}, {}),
            ("c", {"ISSN": "0033-832X", "title": "U"}, {"0033-832X": "electronic"}),
        ]
    )
    assert merged["author"] == [{"family": "A"}]
    assert merged["title"] == "T" and provenance["title"] == "b"
    assert merged["ISSN"] == "1234-5679, 0033-832X"
    assert kinds == {"0033-832X": "electronic", "1234-5679": "print"}


def test_html_is_detected_before_text_layouts():
    assert detect(sample("html", "pubmed_highwire_authors.html"), "x").name == FMT
    assert detect(sample("vufind", "en_summon_tabs.txt"), "x").name != FMT


# ---------------------------------------------------------------- extruct conformance

JSONLD_CASES = [
    "custom.invalid/JSONLD_with_JS_comment",
    "custom.invalid/JSONLD_with_control_characters",
    "custom.invalid/JSONLD_with_control_characters_comment",
    "custom.invalid/AllocateAction.001",
    "custom.invalid/JoinAction.001",
    "misc/null_ld_mock",
    "schema.org/CreativeWork.001",
]


@pytest.mark.parametrize("case", JSONLD_CASES)
def test_extruct_json_ld(case):
    doc = lxml.html.document_fromstring((EXTRUCT / f"{case}.html").read_text("utf-8"))
    expected = json.loads((EXTRUCT / f"{case}.jsonld").read_text("utf-8"))
    assert json_ld(doc) == expected


def test_extruct_dublin_core():
    doc = lxml.html.document_fromstring((EXTRUCT / "misc/dublincore_test.html").read_text("utf-8"))
    expected = json.loads((EXTRUCT / "misc/dublincore_test.json").read_text("utf-8"))[0]
    statements = expected["elements"] + expected["terms"]
    wanted = sorted((s["name"], s["content"]) for s in statements if "content" in s)
    got = sorted((k, v) for k, v in meta_tags(doc) if k.casefold().startswith(("dc.", "dcterms.")))
    # extruct keeps the attribute's line breaks; meta_tags strips only the ends
    assert got == [(k, v.strip()) for k, v in wanted]


def test_extruct_opengraph():
    doc = lxml.html.document_fromstring((EXTRUCT / "misc/opengraph_test.html").read_text("utf-8"))
    expected = json.loads((EXTRUCT / "misc/opengraph_test.json").read_text("utf-8"))[0]
    got = [(k, v) for k, v in meta_tags(doc) if k.startswith(("og:", "article:"))]
    assert got == [tuple(p) for p in expected["properties"]]


def test_xml_exports_with_title_elements_are_not_html():
    endnote = "<xml><records>" + "<record><titles><title>T</title></titles></record>" * 5
    assert HtmlPageParser().sniff(endnote + "</records></xml>") == 0.0


def test_ebsco_detail_page_definition_list_read_through_the_ebsco_layout():
    record = only_record("html", "ebsco_detail_dl.html", FMT)
    csl = record.csl
    assert csl["title"] == "Liver-directed therapies for neuroendocrine neoplasms"
    assert families(record) == ["Kennedy", "O'Neill"]
    assert (csl["volume"], csl["issue"], csl["page"]) == ("31", "2", "245-253")
    assert csl["DOI"] == "10.1016/j.jvir.2019.09.008"


def test_pubmed_page_without_meta_tags_read_through_the_pubmed_layout():
    record = only_record("html", "pubmed_abstract_page.html", FMT)
    csl = record.csl
    assert csl["container-title"] == "Rev Endocr Metab Disord"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("18", "4", "459-471")
    # affiliation numbers in <sup> are no part of the names
    assert csl["author"] == [
        {"family": "de Mestier", "given": "Louis"},
        {"family": "Zappa", "given": "Magaly"},
    ]
    assert csl["PMID"] == "28986749"
    assert csl["keyword"] == "Embolization, Liver metastases"


@pytest.mark.parametrize("name", ["pubmed_abstract_page.html", "ebsco_detail_dl.html"])
def test_html_source_is_never_read_as_page_text(name):
    assert detect(sample("html", name), name).name == FMT
