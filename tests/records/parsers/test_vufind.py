"""VuFind record pages copied as text, in several UI languages and label/value layouts."""

from __future__ import annotations

import pytest

from records.errors import UnknownFormat
from records.normalize.names import role_field, split_names_with_roles
from records.parsers import detect, parse_text
from records.parsers.fieldtable import FieldTable
from tests.records.parsers.pagetools import families, only_record, records_of, sample, year

FMT = "vufind-text"


def test_english_tab_separated_summon_page():
    record = only_record("vufind", "en_summon_tabs.txt", FMT)
    csl = record.csl
    assert csl["title"] == "Liver-directed therapies for neuroendocrine neoplasms: a review"
    assert csl["container-title"] == "Journal of Vascular and Interventional Radiology"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("31", "2", "245-253")
    assert csl["author"][1] == {"family": "O'Neill", "given": "M. J."}
    assert families(record) == ["Kennedy", "O'Neill", "Smith"]
    assert (csl["publisher-place"], csl["publisher"], year(record)) == (
        "New York",
        "Elsevier Inc",
        2020,
    )
    assert csl["language"] == "en"
    assert csl["keyword"].startswith("Neuroendocrine Tumors, Liver Neoplasms - therapy")
    # no full Summary on the page: the truncated one is kept, ellipsis and all
    assert csl["abstract"].startswith("Neuroendocrine neoplasms frequently")
    assert "Get full text" not in str(csl) and "Add Tag" not in str(csl)


def test_german_marc_page_with_values_on_the_next_line_and_roles():
    record = only_record("vufind", "de_marc_nextline.txt", FMT)
    csl = record.csl
    assert csl["title"] == "Radiologisch gesteuerte Interventionen bei Lebermetastasen"
    # MARC 773 display: "In: Der Radiologe. - Berlin : Springer, 1961, 59(2019), 8, Seite 712-719"
    assert csl["container-title"] == "Der Radiologe"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("59", "8", "712-719")
    assert csl["author"] == [
        {"family": "Müller-Schimpfle", "given": "Markus"},
        {"family": "Vogl", "given": "Thomas J."},
    ]
    assert csl["editor"] == [{"family": "Schmidt", "given": "Anna"}]
    assert csl["type"] == "article-journal"
    assert csl["language"] == "de" and record.original["language"] == "Deutsch"
    assert year(record) == 2019
    assert csl["keyword"] == "Lebermetastase, Chemoembolisation"


def test_german_summon_page_with_glued_labels_prefers_full_summary():
    record = only_record("vufind", "de_summon_glued.txt", FMT)
    csl = record.csl
    assert csl["container-title"] == "Der Onkologe"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("27", "3", "233-241")
    assert families(record) == ["Combs", "Habermehl", "Debus"]
    assert csl["publisher-place"] == "Berlin/Heidelberg"
    assert csl["publisher"] == "Springer Medizin"
    assert csl["abstract"].startswith("Hintergrund: Das Pankreaskarzinom")
    assert csl["abstract"].endswith("multimodalen Therapie.")
    assert "..." not in csl["abstract"]
    assert record.issn_kinds == {"0947-8965": "print", "1433-0415": "electronic"}
    assert csl["DOI"] == "10.1007/s00761-021-00901-2"


def test_french_page_with_particles_and_hyphenated_initials():
    record = only_record("vufind", "fr_summon.txt", FMT)
    csl = record.csl
    assert csl["title"] == "Traitement endovasculaire des métastases hépatiques"
    assert csl["issue"] == "4" and csl["page"] == "233-240"
    assert csl["author"] == [
        {"family": "Dupont", "given": "J.-P."},
        {"family": "Martin", "given": "C."},
        {"family": "de la Fontaine", "given": "A."},
    ]
    assert csl["publisher-place"] == "Issy-les-Moulineaux"
    assert csl["language"] == "fr"
    assert csl["DOI"] == "10.1016/j.jradio.2019.11.004"


def test_spanish_book_with_roles_edition_series_and_isbn():
    record = only_record("vufind", "es_book.txt", FMT)
    csl = record.csl
    assert csl["type"] == "book"
    assert csl["author"] == [{"family": "García López", "given": "María"}]
    assert csl["editor"] == [{"family": "Pérez Ruiz", "given": "Juan"}]
    assert (csl["publisher-place"], csl["publisher"]) == ("Madrid", "Editorial Médica Panamericana")
    assert csl["edition"] == "2a edición"
    assert csl["collection-title"] == "Monografías SERAM"
    assert csl["ISBN"] == "9788491101420"
    assert csl["language"] == "es"
    assert "container-title" not in csl


def test_italian_page():
    record = only_record("vufind", "it_article.txt", FMT)
    csl = record.csl
    assert csl["container-title"] == "La Radiologia Medica"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("125", "9", "861-869")
    assert csl["language"] == "it"
    assert (csl["publisher-place"], csl["publisher"]) == ("Milano", "Springer Milan")
    assert record.issn_kinds == {"0033-8362": "print", "1826-6983": "electronic"}


def test_dutch_gepubliceerd_in_is_told_apart_by_value_shape():
    record = only_record("vufind", "nl_gepubliceerd.txt", FMT)
    csl = record.csl
    assert csl["container-title"] == "Nederlands Tijdschrift voor Geneeskunde"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("164", "12", "45-52")
    assert csl["publisher"] == "Bohn Stafleu van Loghum"
    assert year(record) == 2020
    assert families(record) == ["de Vries", "van der Berg"]
    assert csl["language"] == "nl"


def test_swedish_page():
    record = only_record("vufind", "sv_article.txt", FMT)
    csl = record.csl
    assert csl["container-title"] == "Läkartidningen"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("117", "4", "12-17")
    assert csl["language"] == "sv"
    assert csl["publisher"] == "Läkartidningen förlag"
    assert csl["ISSN"] == "0023-7205, 1652-7518"


def test_polish_page():
    record = only_record("vufind", "pl_article.txt", FMT)
    csl = record.csl
    assert (csl["volume"], csl["issue"], csl["page"]) == ("85", "3", "101-109")
    assert csl["publisher-place"] == "Warszawa"
    assert csl["language"] == "pl"


def test_corporate_author_single_page_and_doi_url():
    record = only_record("vufind", "en_corporate_single_page.txt", FMT)
    csl = record.csl
    assert csl["author"] == [
        {"literal": "European Society of Radiology (ESR)"},
        {"family": "Smith", "given": "John"},
    ]
    assert csl["page"] == "12"
    assert csl["DOI"] == "10.1007/s00330-019-06400-1"
    assert csl["URL"] == "https://example.org/record/12345"
    assert csl["type"] == "article-journal"


def test_several_record_pages_in_one_file_become_several_records():
    first, second = records_of("vufind", "result_pages_two.txt", FMT)
    assert first.csl["container-title"] == "Radiologe"
    assert first.csl["DOI"] == "10.1007/s00117-024-01314-z"
    assert first.issn_kinds == {"0033-832X": "print", "1432-2102": "electronic"}
    assert second.csl["title"].startswith("Liver transarterial embolizations")
    assert second.csl["author"][0] == {"family": "de Mestier", "given": "Louis"}
    assert second.csl["ISSN"] == "1389-9155, 1573-2606"
    assert (first.source.position, second.source.position) == (1, 2)
    assert second.source.line > first.source.line


@pytest.mark.parametrize(
    "line",
    [
        "Published in:Radiologe Vol. 64",
        "Published in: Radiologe Vol. 64",
        "Published in:\tRadiologe Vol. 64",
        "Published in\tRadiologe Vol. 64",
    ],
)
def test_label_layouts(line):
    table = FieldTable({"container": ["Published in"], "publication": ["Published"]})
    assert table.match(line) == ("container", "published in", "Radiologe Vol. 64")


def test_label_alone_with_value_on_the_next_line():
    table = FieldTable({"container": ["Published in"], "language": ["Language"]})
    entries, _ = table.read(["Title", "Published in:", "Radiologe", "Language:", "German"])
    assert [(e.field, e.first_line()) for e in entries] == [
        ("container", "Radiologe"),
        ("language", "German"),
    ]


def test_colons_in_text_are_not_labels():
    table = FieldTable({"abstract": ["Summary"]})
    assert table.match("Hintergrund: Die Mehrzahl der Patienten") is None


def test_names_with_roles():
    pairs = split_names_with_roles("Vogl, Thomas J. (VerfasserIn), Schmidt, Anna (HerausgeberIn)")
    assert pairs == [("Vogl, Thomas J.", "VerfasserIn"), ("Schmidt, Anna", "HerausgeberIn")]
    assert [role_field(r) for _, r in pairs] == ["author", "editor"]
    assert role_field("Übersetzer") == "translator"


def test_springer_page_is_not_taken_for_vufind():
    text = (
        "03.10.2017 | Ausgabe 4/2017\n\nJ Foo 4/2017\n\nA title\n\nJ Foo > Ausgabe 4/2017\n"
        "Anna Bell, Carl Dorn\n\nSome abstract text about a study.\n"
    )
    assert detect(text, "x").name != FMT


def test_plain_prose_is_unknown_and_says_so_in_one_line():
    text = "Dear colleague,\nthank you for the meeting: we will send the slides.\nBest wishes"
    with pytest.raises(UnknownFormat) as error:
        parse_text(text, "note.txt")
    assert "VuFind record page (text)" in error.value.tried
    assert str(error.value).startswith("note.txt: format not recognised")
    assert "\n" not in str(error.value)


def test_pasted_result_list_gives_one_record_per_hit():
    records = records_of("vufind", "result_list_en.txt", "vufind-results")
    assert [r.csl["title"][:20] for r in records] == [
        "Radiologisch-interve",
        "Liver transarterial ",
        "Manual de radiología",
    ]
    first, second, book = (r.csl for r in records)
    assert first["author"][0] == {"family": "Radosa", "given": "C. G."}
    assert (first["container-title"], first["issued"]) == ("Radiologe", {"date-parts": [[2024]]})
    assert second["author"][0] == {"family": "de Mestier", "given": "Louis"}
    assert (book["type"], book["issued"]) == ("book", {"date-parts": [[2018]]})
    assert "Save to List" not in str([r.csl for r in records])


def test_german_result_list_with_container_reference():
    first, second = records_of("vufind", "result_list_de.txt", "vufind-results")
    assert first.csl["author"] == [
        {"family": "Müller-Schimpfle", "given": "Markus"},
        {"family": "Vogl", "given": "Thomas J."},
    ]
    assert (first.csl["volume"], first.csl["issue"], first.csl["page"]) == ("59", "8", "712-719")
    assert second.csl["container-title"] == "Der Onkologe"
    assert second.source.line > first.source.line


def test_a_record_page_is_not_taken_for_a_result_list():
    assert detect(sample("vufind", "de_summon_glued.txt"), "x").name == FMT


def test_issn_list_on_one_line_and_labelled_kinds():
    text = (
        "Ein Titel\n\nBibliographische Detailangaben\nVeröffentlicht in:Radiologe Jg. 64\n"
        "Sprache:Deutsch\nISSN:0033-832X 1432-2102\n"
    )
    record = parse_text(text, "x").records[0]
    assert record.issn_kinds == {"0033-832X": "print", "1432-2102": "electronic"}
    text = text.replace("ISSN:0033-832X 1432-2102", "E-ISSN: 1432-2102\nPrint ISSN: 0033-832X")
    record = parse_text(text, "x").records[0]
    assert record.issn_kinds == {"1432-2102": "electronic", "0033-832X": "print"}


def test_a_short_summary_shown_whole_is_the_abstract():
    record = only_record("vufind", "en_short_summary.txt", FMT)
    assert record.csl["abstract"].startswith("Hepatic arterial infusion delivers")
    assert record.csl["title"] == "Hepatic arterial infusion for colorectal liver metastases"
    assert record.csl["author"] == [{"family": "Kemeny", "given": "Nancy E."}]
    assert (record.csl["issue"], record.csl["page"]) == ("15_suppl", "4126")
