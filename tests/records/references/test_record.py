"""From labelled tokens to a record: names, numbers, identifiers, types, plausibility.

The strings here are new (in no training or held-back file); each states its fields plainly,
as a reference list of that style would.
"""

from __future__ import annotations

from records.parsers import parse_text
from records.parsers.reference_string import parse_reference, read_reference
from records.references.record import names


def test_vancouver_et_al_is_a_marker_not_an_author_and_the_doi_is_whole():
    csl, _, truncated = read_reference(
        "Kowalczyk A, Nowak B, Wiśniewski C, et al. Gut microbiota in early childhood asthma. "
        "Pediatr Allergy Immunol. 2019;30(4):412-9. doi:10.1111/pai.13040."
    )
    assert [a["family"] for a in csl["author"]] == ["Kowalczyk", "Nowak", "Wiśniewski"]
    assert truncated == ["author"]
    assert (csl["volume"], csl["issue"], csl["page"]) == ("30", "4", "412-419")
    assert csl["DOI"] == "10.1111/pai.13040"
    assert csl["type"] == "article-journal"


def test_apa_chapter_has_editors_book_title_pages_and_publisher():
    csl = parse_reference(
        "Okonkwo, E. (2018). Trade networks in precolonial West Africa. In M. Adeyemi & "
        "J. Carter (Eds.), The Cambridge history of African economies (pp. 211–239). "
        "Cambridge University Press."
    )
    assert csl["type"] == "chapter"
    assert csl["editor"] == [
        {"family": "Adeyemi", "given": "M."},
        {"family": "Carter", "given": "J."},
    ]
    assert csl["container-title"] == "The Cambridge history of African economies"
    assert (csl["page"], csl["publisher"]) == ("211-239", "Cambridge University Press")


def test_german_chapter_with_hrsg_bd_and_s():
    csl = parse_reference(
        "Baumann, Ingrid: Lehrerkooperation an Gesamtschulen. In: Schulz, K. / Brandt, H. "
        "(Hrsg.): Schule im Wandel. Bd. 3. Münster: Waxmann, 2012, S. 145–167."
    )
    assert csl["author"] == [{"family": "Baumann", "given": "Ingrid"}]
    assert [e["family"] for e in csl["editor"]] == ["Schulz", "Brandt"]
    assert csl["title"] == "Lehrerkooperation an Gesamtschulen"
    assert csl["container-title"] == "Schule im Wandel"
    assert (csl["volume"], csl["page"]) == ("3", "145-167")
    assert (csl["publisher"], csl["publisher-place"]) == ("Waxmann", "Münster")
    assert csl["issued"] == {"date-parts": [[2012]]}


def test_book_with_edition_and_isbn():
    csl = parse_reference(
        "Hartley, J. M. (2012). Academic writing and publishing: a practical handbook "
        "(2nd ed.). Routledge. ISBN 978-0-415-46175-7"
    )
    assert csl["type"] == "book"
    assert (csl["edition"], csl["publisher"]) == ("2", "Routledge")
    assert csl["ISBN"] == "9780415461757"


def test_mla_seventh_edition_volume_dot_issue():
    csl = parse_reference(
        "Moreno, Julia. “Memory and Exile in Catalan Poetry.” Hispanic Review 78.2 (2010): "
        "201-22. Print."
    )
    assert csl["title"] == "Memory and Exile in Catalan Poetry"
    assert (csl["container-title"], csl["volume"], csl["issue"]) == ("Hispanic Review", "78", "2")
    assert csl["page"] == "201-222"


def test_chicago_issue_with_a_day_date():
    csl = parse_reference(
        "Schulze, F. 2021. “Alpine Permafrost Decline.” Permafrost and Periglacial Processes "
        "32 (2) (April 14): 2094–2107."
    )
    assert (csl["volume"], csl["issue"], csl["page"]) == ("32", "2", "2094-2107")
    assert csl["issued"] == {"date-parts": [[2021, 4, 14]]}


def test_a_year_out_of_range_is_no_date():
    csl = parse_reference("Lindgren P. Coastal erosion in Scania. Geogr Ann. 3024;12(1):1-9.")
    assert "issued" not in csl


def test_pmid_and_url_are_read_by_their_syntax():
    csl = parse_reference(
        "Ito K, Mori T. Sarcopenia in dialysis patients. Kidney Int. 2018;94(2):311-8. "
        "PMID: 29752155. Available from: https://www.example.org/articles/ito2018"
    )
    assert csl["PMID"] == "29752155"
    assert csl["URL"] == "https://www.example.org/articles/ito2018"


def test_name_lists_of_every_shape():
    assert names("Radosa, C. G., Nebelung, H., & Hoffmann, R. T.")[0] == [
        {"family": "Radosa", "given": "C. G."},
        {"family": "Nebelung", "given": "H."},
        {"family": "Hoffmann", "given": "R. T."},
    ]
    assert names("de Mestier, Louis, Magaly Zappa, and Olivia Hentic.")[0] == [
        {"family": "de Mestier", "given": "Louis"},
        {"family": "Zappa", "given": "Magaly"},
        {"family": "Hentic", "given": "Olivia"},
    ]
    assert names("J. Smith, M. van der Berg, and K. Lee,")[0] == [
        {"family": "Smith", "given": "J."},
        {"family": "van der Berg", "given": "M."},
        {"family": "Lee", "given": "K."},
    ]
    assert names("Müller, H.-P. / Weiß, J. u. a. (Hrsg.)") == (
        [{"family": "Müller", "given": "H.-P."}, {"family": "Weiß", "given": "J."}],
        True,
    )


def test_records_keep_raw_string_confidence_and_et_al_marker():
    text = (
        "[1] W. Chen et al., “Deep residual learning for hyperspectral image classification,” "
        "IEEE Trans. Geosci. Remote Sens., vol. 59, no. 6, pp. 5137–5150, Jun. 2021.\n"
    )
    record = parse_text(text, "refs.txt", format="reference").records[0]
    assert record.raw == text.strip()[4:]
    assert record.original["reference"] == record.raw
    assert 0.0 < float(record.original["reference_confidence"]) <= 1.0
    assert record.original["et_al"] == "author"
    assert [a["family"] for a in record.csl["author"]] == ["Chen"]
    assert (record.csl["volume"], record.csl["issue"]) == ("59", "6")


def test_corporate_authors_are_one_literal_name():
    assert names("World Health Organization.")[0] == [{"literal": "World Health Organization"}]
    assert names("National Institute for Health and Care Excellence (NICE).")[0] == [
        {"literal": "National Institute for Health and Care Excellence (NICE)"}
    ]
    assert names("Centers for Disease Control and Prevention.")[0] == [
        {"literal": "Centers for Disease Control and Prevention"}
    ]
    assert names("Statistisches Bundesamt (Hrsg.)")[0] == [{"literal": "Statistisches Bundesamt"}]
    assert names("WHO.")[0] == [{"literal": "WHO"}]


def test_people_whose_names_are_words_of_organisations_stay_people():
    assert names("Bank A, Court J.")[0] == [
        {"family": "Bank", "given": "A."},
        {"family": "Court", "given": "J."},
    ]
    assert names("Van Der Berg A")[0] == [{"family": "Van Der Berg", "given": "A."}]
    assert names("Smith, John and Mary Jones")[0] == [
        {"family": "Smith", "given": "John"},
        {"family": "Jones", "given": "Mary"},
    ]


def test_a_corporate_author_is_read_as_the_author_not_the_title():
    csl = parse_reference(
        "World Health Organization. Global report on infection prevention and control. "
        "Geneva: World Health Organization; 2022."
    )
    assert csl["author"] == [{"literal": "World Health Organization"}]
    assert csl["title"] == "Global report on infection prevention and control"
    assert csl["issued"] == {"date-parts": [[2022]]}
    csl = parse_reference(
        "National Institute for Health and Care Excellence (NICE). Hypertension in adults: "
        "diagnosis and management. NICE guideline NG136. London: NICE; 2019."
    )
    assert csl["author"] == [
        {"literal": "National Institute for Health and Care Excellence (NICE)"}
    ]
    assert csl["title"].startswith("Hypertension in adults")


def test_a_thesis_names_its_university_as_publisher_never_as_container():
    csl = parse_reference(
        "Lindqvist, M. (2017). Soil carbon dynamics under boreal forest management "
        "(Doctoral dissertation). University of Helsinki."
    )
    assert csl["type"] == "thesis"
    assert csl["publisher"] == "University of Helsinki"
    assert "container-title" not in csl
    csl = parse_reference(
        "Okafor C. Microfinance and rural household welfare in Nigeria. PhD thesis, "
        "University of Reading; 2015."
    )
    assert csl["type"] == "thesis"
    assert csl["publisher"] == "University of Reading"
    assert "container-title" not in csl
    assert csl["title"] == "Microfinance and rural household welfare in Nigeria"


def test_an_issue_without_a_volume_stays_an_issue():
    csl = parse_reference(
        "Higgins JP, Thomas J. Exercise for depression in adolescents. Cochrane Database Syst "
        "Rev. 2014;(11):CD004691."
    )
    assert csl.get("issue") == "11"
    assert "volume" not in csl
    assert csl["issued"] == {"date-parts": [[2014]]}


def test_a_place_before_the_publisher_is_never_a_journal():
    csl = parse_reference(
        "Habermas J. Theorie des kommunikativen Handelns. Frankfurt am Main: Suhrkamp; 1981."
    )
    assert csl["publisher-place"] == "Frankfurt am Main"
    assert csl["publisher"] == "Suhrkamp"
    assert "container-title" not in csl
    assert csl["type"] == "book"


def test_portuguese_and_spanish_locator_markers():
    csl = parse_reference(
        "SILVA, J.; SOUZA, M. Estudo das bacias hidrográficas. Revista Brasileira de "
        "Geografia, v. 12, n. 3, p. 45-67, 2019."
    )
    assert (csl.get("volume"), csl.get("issue"), csl.get("page")) == ("12", "3", "45-67")


def test_a_count_of_volumes_is_no_volume():
    from records.references.record import _volume_issue

    assert _volume_issue("2 vols.") == (None, None)
    assert _volume_issue("Vol. 2,") == ("2", None)


def test_a_roman_numeral_alone_is_the_volume():
    from records.references.record import _volume_issue

    assert _volume_issue("II,") == ("II", None)
    assert _volume_issue("(LVIII).") == ("LVIII", None)
    assert _volume_issue("Vol. XIV, no. 3") == ("XIV", "3")
    # capitals that only look like numerals ("MIX", "DIM") or a lone word stay out
    assert _volume_issue("MIX") == (None, None)
    assert _volume_issue("DIM") == (None, None)
    assert _volume_issue("Supplement,") == (None, None)


def test_the_date_before_a_vancouver_locators_semicolon_is_not_the_volume():
    from records.references.record import _volume_issue

    assert _volume_issue("5; 134(1):") == ("134", "1")
    assert _volume_issue("2012; 30(15):") == ("30", "15")
    assert _volume_issue("12;") == ("12", None)  # nothing after the ";": the number is all there is


def test_a_second_title_after_the_editors_is_the_chapters_book():
    from records.references.record import _settle

    spans = [
        ("author", "Baumann, Ingrid:"),
        ("title", "Lehrerkooperation an Gesamtschulen."),
        ("editor", "In: Schulz, K. / Brandt, H. (Hrsg.):"),
        ("title", "Schule im Wandel."),
        ("volume", "Bd. 3."),
    ]
    assert _settle(spans)[3] == ("container-title", "Schule im Wandel.")
    # a journal already read: the second title stays what the model said
    with_journal = [*spans, ("journal", "Z. Päd.")]
    assert _settle(with_journal)[3] == ("title", "Schule im Wandel.")
    # an edited book's only title, after its editors, stays the title
    book = [("editor", "Smith, J. (Ed.)."), ("date", "(2010)."), ("title", "A Book.")]
    assert _settle(book) == book
    # two title spans with nothing marking a chapter between them stay titles
    plain = [("author", "Smith, J."), ("title", "One."), ("date", "2010."), ("title", "Two.")]
    assert _settle(plain) == plain
