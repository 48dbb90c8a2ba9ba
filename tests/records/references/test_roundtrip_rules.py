"""Rules found by reading real records back from common styles (`scripts/eval-references
--roundtrip`): each rule on the model's spans (exact, no model), the cases it must leave
alone, and the whole reader on strings written here (in no training or evaluation file)."""

from __future__ import annotations

from records.normalize.names import is_initials
from records.parsers.reference_string import parse_reference
from records.references.record import (
    _bracketed_title,
    _issue_not_date,
    _journal_before_pages,
    _locator_in_note,
    _quoted_container,
    _supplement_from_container,
    _volume_issue,
    names,
)

# --- a bracket the title opens closes in the title --------------------------------------------


def test_a_bracketed_translated_title_is_one_title_up_to_its_closing_bracket():
    spans = [
        ("author", "Okafor N, Lindqvist E."),
        ("title", "[Renal stones in desert"),
        ("container-title", "nomads: a field survey (author's transl)]. Nephrol Rev."),
        ("note", "Published online 1981."),
    ]
    assert _bracketed_title(spans) == [
        ("author", "Okafor N, Lindqvist E."),
        ("title", "[Renal stones in desert nomads: a field survey (author's transl)]."),
        ("container-title", "Nephrol Rev."),
        ("note", "Published online 1981."),
    ]


def test_a_citation_inside_the_titles_bracket_is_not_the_references_locator():
    spans = [
        ("title", "Salt and heart failure.[Correction in Heart"),
        ("date", "2004 Mar;"),
        ("volume", "12(3):"),
        ("pages", "88]."),
        ("journal", "Heart Lett."),
        ("date", "2003;"),
        ("volume", "11(9):"),
        ("pages", "401-7."),
    ]
    out = _bracketed_title(spans)
    assert out[0] == ("title", "Salt and heart failure.[Correction in Heart 2004 Mar; 12(3): 88].")
    assert out[1:] == spans[4:]


def test_a_bracket_glued_to_the_title_in_the_next_span_is_the_titles_note():
    spans = [
        ("title", "Salt and heart failure:"),
        ("journal", "a cohort.[Correction in Heart"),
        ("date", "2004;"),
        ("pages", "88]."),
        ("journal", "Heart Lett."),
    ]
    assert _bracketed_title(spans) == [
        ("title", "Salt and heart failure: a cohort.[Correction in Heart 2004; 88]."),
        ("journal", "Heart Lett."),
    ]


def test_balanced_or_unclosed_brackets_and_a_container_that_opens_with_one_are_left_alone():
    balanced = [("title", "Coughs [abstract]."), ("journal", "Chest."), ("date", "2001;")]
    unclosed = [("title", "[Coughs in winter"), ("journal", "Chest."), ("date", "2001;")]
    spaced = [("title", "Coughs in winter."), ("journal", "[Internet] Chest.]"), ("date", "2001;")]
    for spans in (balanced, unclosed, spaced):
        assert _bracketed_title(spans) == spans


# --- a quoted name after the title's sentence is the container -----------------------------------


def test_a_quoted_container_the_model_ran_into_the_title_is_the_container():
    spans = [
        ("author", "Ortiz M."),
        ("title", 'Night shifts and sleep. "Sleep science (Basel,'),
        ("location", "Switzerland:"),
        ("date", '2003)". 2015;'),
        ("volume", "8(2):"),
    ]
    assert _quoted_container(spans) == [
        ("author", "Ortiz M."),
        ("title", "Night shifts and sleep."),
        ("container-title", "Sleep science (Basel, Switzerland: 2003)"),
        ("date", "2015;"),
        ("volume", "8(2):"),
    ]


def test_a_quote_inside_a_title_is_left_alone_when_a_container_was_read_or_none_closes():
    with_container = [("title", 'Cities. "Green" roofs.'), ("journal", "Urban Stud.")]
    unclosed = [("title", 'Cities. "Green roofs'), ("date", "2015;")]
    for spans in (with_container, unclosed):
        assert _quoted_container(spans) == spans


# --- a number after an issue marker is the issue, not the date -----------------------------------


def test_a_number_after_no_is_the_issue_even_when_the_model_read_it_as_a_year():
    spans = [("volume", "vol. 31, no."), ("date", "1642, 2019.")]
    assert _issue_not_date(spans) == ([("volume", "vol. 31,"), ("date", "2019.")], "1642")


def test_a_parenthesised_number_after_the_volume_is_the_issue_when_another_year_is_read():
    spans = [("date", "2019."), ("journal", "Soil Biol"), ("volume", "31"), ("date", "(1642):")]
    assert _issue_not_date(spans) == (spans[:3], "1642")
    alone = [("journal", "Soil Biol"), ("volume", "31"), ("date", "(1998):")]
    assert _issue_not_date(alone) == (alone, None)  # no other year: which one is it?


# --- a journal stated without its volume ---------------------------------------------------------


def test_a_publisher_followed_by_a_page_range_alone_is_a_journal():
    spans = [("date", "(2019)."), ("title", "Rust on bridges."), ("publisher", "Corros Rev,")]
    assert _journal_before_pages([*spans, ("pages", "55–61.")])[2] == ("journal", "Corros Rev,")


def test_a_books_publisher_with_a_place_or_no_page_range_stays_the_publisher():
    book = [("location", "Oslo:"), ("publisher", "Fjord Press,"), ("pages", "1–320.")]
    no_range = [("title", "Rust."), ("publisher", "Fjord Press,"), ("pages", "320 pp.")]
    for spans in (book, no_range):
        assert _journal_before_pages(spans) == spans


# --- supplements and parts belong to the volume --------------------------------------------------


def test_a_supplement_or_part_is_part_of_the_volume():
    assert _volume_issue("17 Suppl 4(302):") == ("17 Suppl 4", "302")
    assert _volume_issue("8 Supplement 1") == ("8 Supplement 1", None)
    assert _volume_issue("Volume 6 Suppl 2(77).") == ("6 Suppl 2", "77")
    assert _volume_issue("44 ( Pt 2)(812):") == ("44 Pt 2", "812")
    assert _volume_issue("44(812):") == ("44", "812")  # left alone
    assert _volume_issue("12 pts") == ("12", None)  # no part marker


def test_a_supplement_the_model_put_at_the_journals_end_moves_to_the_volume():
    spans = [("journal", "Blood Rev, 21 Suppl"), ("volume", "3(90),"), ("pages", "S1–S9.")]
    assert _supplement_from_container(spans) == [
        ("journal", "Blood Rev"),
        ("volume", "21 Suppl 3(90),"),
        ("pages", "S1–S9."),
    ]
    plain = [("journal", "Blood Rev,"), ("volume", "3(90),")]
    assert _supplement_from_container(plain) == plain


# --- the whole reader ---------------------------------------------------------------------------


def test_the_vancouver_locator_year_is_the_date_not_a_year_in_the_journals_name():
    csl = parse_reference(
        'Ortiz M, Haddad L. Night shifts and sleep in nurses. "Sleep science (Basel, '
        'Switzerland : 2003)". 2015;8(2):66–72.'
    )
    assert csl["issued"] == {"date-parts": [[2015]]}
    assert csl["title"] == "Night shifts and sleep in nurses"
    assert csl["container-title"] == "Sleep science (Basel, Switzerland: 2003)"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("8", "2", "66-72")


def test_published_online_states_the_date_when_no_date_was_read():
    csl = parse_reference(
        "Okafor N, Lindqvist E. [Renal stones in desert nomads and in farmers of the oases "
        "(author's transl)]. Nephrology Reviews. Published online 1981."
    )
    assert csl["issued"] == {"date-parts": [[1981]]}
    assert csl["title"].startswith("[Renal stones") and csl["title"].endswith("transl)]")
    assert csl["type"] == "article-journal"


def test_an_ieee_issue_number_that_looks_like_a_year_is_the_issue():
    csl = parse_reference(
        "[4] P. Dufresne and K. Amara, “Corrosion of steel bridges in coastal air”, "
        "Corrosion Reviews, vol. 31, no. 1642, pp. 55–61, 2019."
    )
    assert csl["issued"] == {"date-parts": [[2019]]}
    assert (csl["volume"], csl["issue"]) == ("31", "1642")


def test_a_supplement_in_a_vancouver_locator_is_kept_with_the_volume():
    csl = parse_reference(
        "Haddad L, Ortiz M. Sleep after heart surgery. Heart Lung Suppl. 2012;17 Suppl 4(302):S12."
    )
    assert (csl["volume"], csl["issue"], csl["page"]) == ("17 Suppl 4", "302", "S12")
    assert csl["issued"] == {"date-parts": [[2012]]}


# --- a note after the title that ends in a locator is the container and its locator ------------


def test_a_note_after_the_title_ending_in_a_locator_is_the_journal_volume_and_pages():
    head = [("author", "Okafor, N., and E. Lindqvist."), ("date", "2014."),
            ("title", "“Renal Stones in Desert Nomads”.")]
    assert _locator_in_note([*head, ("note", "Kidney Review Letters 12 (3): 44–51.")]) == [
        *head,
        ("journal", "Kidney Review Letters"),
        ("volume", "12 (3)"),
        ("pages", "44–51"),
    ]
    # a journal name with a parenthesis or abbreviation periods, an article number as pages
    assert _locator_in_note([*head, ("note", "Nephrol. Rev. (Lond) 7 (12): CD004411.")])[3:] == [
        ("journal", "Nephrol. Rev. (Lond)"),
        ("volume", "7 (12)"),
        ("pages", "CD004411"),
    ]


def test_a_note_without_a_locator_or_beside_a_read_container_is_left_alone():
    head = [("author", "Okafor, N."), ("date", "2014."), ("title", "“Renal Stones”.")]
    for note in (
        "Kidney Review Letters, no. 1425.",  # no volume(issue): pages
        "Kidney Review Letters 12: 44–51.",  # no issue in parentheses
        "Paper read at the Desert Medicine Meeting, Tucson, 12 March.",
        "12 (3): 44–51.",  # no words before the locator
    ):
        spans = [*head, ("note", note)]
        assert _locator_in_note(spans) == spans
    # a container, volume or pages read elsewhere: the note is not the locator
    for read in (("journal", "Kidney Rev."), ("volume", "12"), ("pages", "44-51.")):
        spans = [*head, read, ("note", "Kidney Review Letters 12 (3): 44–51.")]
        assert _locator_in_note(spans) == spans
    # a note that does not follow the title
    spans = [("author", "Okafor, N."), ("note", "Kidney Review Letters 12 (3): 44–51."),
             ("title", "Renal Stones.")]
    assert _locator_in_note(spans) == spans


def test_chicago_with_the_period_after_the_closing_quote_reads_its_journal():
    # the model reads this one's locator as a note to the end (a "document" without it)
    csl = parse_reference(
        "Okafor, Nkem, and Elin Lindqvist. 2014. “Renal Stones in Desert Nomads and Their"
        " Prevention with Water Intake in Hot Climates”. Database of Kidney Reviews 9 (1204):"
        " CD004411."
    )
    assert csl is not None
    assert (csl.get("type"), csl.get("container-title"), csl.get("volume"), csl.get("issue"),
            csl.get("page")) == (
        "article-journal", "Database of Kidney Reviews", "9", "1204", "CD004411"
    )


# --- names: hyphenated initials and words run on after "et al." --------------------------------


def test_hyphenated_initials_pair_with_the_family_name_before_them():
    found, etal = names("Okafor, N.-K., Lindqvist, E., & Haddad, J.-P.")
    assert (found, etal) == (
        [
            {"family": "Okafor", "given": "N.-K."},
            {"family": "Lindqvist", "given": "E."},
            {"family": "Haddad", "given": "J.-P."},
        ],
        False,
    )
    assert is_initials("J.-P.") and is_initials("J-P") and is_initials("J.P.")
    # a hyphenated given name is a name, not initials
    assert not is_initials("Jean-Paul") and not is_initials("Ju.-Li")
    assert names("Jean-Paul Okafor, Elin Lindqvist")[0] == [
        {"family": "Okafor", "given": "Jean-Paul"},
        {"family": "Lindqvist", "given": "Elin"},
    ]


def test_words_after_et_al_in_an_author_span_are_no_name():
    found, etal = names("Okafor NK, Lindqvist E, Haddad J, et al. U.S. Renal")
    assert etal and found == [
        {"family": "Okafor", "given": "N. K."},
        {"family": "Lindqvist", "given": "E."},
        {"family": "Haddad", "given": "J."},
    ]
    # "et al." closing the span, and a family name containing the letters, are left alone
    assert names("Okafor NK, Haddad J, et al.") == (found[::2], True)
    assert names("Etalon P, Alvarez M.")[0] == [
        {"family": "Etalon", "given": "P."},
        {"family": "Alvarez", "given": "M."},
    ]
