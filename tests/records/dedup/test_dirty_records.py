"""Issue 14, seventh pass: "dirty" records (Magellan's dirty DBLP-Scholar shape, a reference
copied with its venue run into the title, a catalog export with fields shifted). A venue at the
end of the title of a record that has none is read for comparison (``keys.read_title_tail``),
never into the stored record; and the cases the rule must leave alone."""

from __future__ import annotations

import pytest

from records.dedup import blocking_keys, compare, prepare
from records.dedup.fields import title_spill
from records.dedup.keys import read_title_tail, title_lead
from tests.records.dedup.test_sparse_records import rec

TITLE = "adaptive partitioning of skewed stream joins on shared-nothing clusters"
FOLDED = "adaptive partitioning of skewed stream joins on shared nothing clusters"
PEOPLE = "k lindqvist , m oduya"


@pytest.mark.parametrize(
    ("run_in", "venue"),
    [
        # A venue's name before a venue-kind word, a year after it or not.
        (" sigmod conference", "sigmod conference"),
        (" sigmod conference 2002", "sigmod conference"),
        (" vldb j.", "vldb j."),
        (" the vldb journal ,", "the vldb journal"),
        (" , ieee icde workshop , 1999.0", "ieee icde workshop"),
        # A society's transactions, abbreviated or written out.
        (" acm trans . database syst .", "acm trans . database syst ."),
        (" acm trans . database syst . 1998", "acm trans . database syst ."),
        (" ieee transactions on knowledge and data engineering", "ieee transactions on knowledge and data engineering"),
        # Proceedings, whatever follows.
        (" proceedings of the 23rd international conference on very",
         "proceedings of the 23rd international conference on very"),
        (" . in : proceedings of the 30th vldb conference , toronto , canada ,",
         "in : proceedings of the 30th vldb conference , toronto , canada"),
        (" proc . 1998 acm sigmod international conference on management",
         "proc . 1998 acm sigmod international conference on management"),
        # The singular, the plural abbreviation and the word fused by an extraction.
        (" . in : proceeding of the 21st international conference on very",
         "in : proceeding of the 21st international conference on very"),
        (" procs of the 22nd", "procs of the 22nd"),
        (" inproceedings of the verylarge database conference ( vldb ) ,",
         "inproceedings of the verylarge database conference ( vldb"),
    ],
)
def test_a_venue_at_the_end_of_a_title_is_read_when_the_record_has_none(
    run_in: str, venue: str
) -> None:
    title, names, _, read = read_title_tail(TITLE + run_in, True, True, False)
    assert (title.rstrip(" ,.;"), names, read) == (TITLE, [], venue)
    form = prepare(rec(TITLE + run_in, PEOPLE, year=2004))
    assert form.title == FOLDED
    assert form.venue_from_title and form.containers


@pytest.mark.parametrize(
    "own",
    [
        # Words that end a title: no venue-kind word, or a function word before it.
        "a patient-held medical record",
        "gaps in the fossil record",
        "teaching database design in a workshop",
        "what we learned at the conference",
        "notes from the reviewers of the journal",
        # "transactions on" without a society's name is the title's own.
        "concurrency control for nested transactions on mobile devices",
        # What is left would not be a title: too short, or ending with a function word (the
        # venue-kind word ends a phrase of the title's own).
        "report on the xml enabled wide area searches for bioinformatics workshop",
        "report on the vldb conference",
        "reading the proceedings of chi",
        "proceedings of the 1999 vldb conference",
        "the proceeding of a meeting of our group",
    ],
)
def test_a_title_s_own_words_are_not_read_as_a_venue(own: str) -> None:
    assert read_title_tail(own, True, True, False) == (own, [], None, None)


def test_a_record_with_a_venue_keeps_its_title_whole() -> None:
    kept = prepare(rec(f"{TITLE} sigmod conference", PEOPLE, "VLDB", 2004))
    assert kept.title.endswith("clusters sigmod conference") and not kept.venue_from_title
    assert read_title_tail(f"{TITLE} sigmod conference", True, True, True)[3] is None


def test_a_venue_read_from_a_title_makes_two_copies_one_title() -> None:
    # A typo in one copy: the two titles neither contain each other nor share their end, so no
    # spill is found; with the venue read off, they are one title in one venue.
    dirty = prepare(rec(f"{TITLE} sigmod conference", PEOPLE, year=2004))
    other = prepare(rec(TITLE.replace("skewed", "skewd"), PEOPLE,
                        "proceedings of the acm sigmod international conference"))
    decision = compare(dirty, other)
    assert decision.verdict == "duplicate"
    assert "venue read from the end of a title" in decision.evidence_for
    # Other people under the same dirty title: another paper.
    others = prepare(rec(f"{TITLE} sigmod conference", "j marsh , p okonkwo", year=2004))
    assert compare(others, other).verdict == "distinct"


def test_a_year_read_from_the_title_keeps_the_venue_clash_of_an_undated_copy() -> None:
    # A journal version (year in its field) against a conference copy whose year was run into
    # its title: the venues differ and so do the years, so the undated-citation excuse for a
    # mangled venue does not apply.
    journal = prepare(rec(TITLE.replace("skewed", "skewd"), "k lindqvist , m oduya , t haverkamp",
                          "vldb j.", 1997))
    conference = prepare(
        rec(f"{TITLE} k lindqvist , m oduya , t haverkamp proceedings of the 25th international "
            "conference on very large , 1995.0")
    )
    assert conference.title_year == 1995 and conference.year is None
    assert compare(journal, conference).verdict != "duplicate"


def test_initials_written_together_before_a_known_name_are_citation_matter() -> None:
    # "hm jamil" after the title of a record with authors: the initials of its author.
    clean = prepare(rec("belief reasoning in multilevel secure deductive databases", "h jamil",
                        year=1999))
    dirty = prepare(rec("belief reasoning in multilevel secure deductive databases hm jamil",
                        "", "sigmod conference", 1999))
    assert title_spill(clean, dirty) is not None
    # A short word before a word that is no author's name is not.
    other = prepare(rec("belief reasoning in multilevel secure deductive databases of xy data",
                        "", "sigmod conference", 1999))
    assert title_spill(clean, other) is None


# -- names run into the start of a title before a full stop: blocking keys of the title after them
LEAD_TITLE = "replicated logging of mobile sensor network transactions"


def test_a_title_after_names_and_a_full_stop_gets_the_first_words_keys_of_its_record() -> None:
    clean = prepare(rec(LEAD_TITLE, "m oduya , k lindqvist", "vldb", 2001))
    scraped = prepare(rec(f"marta oduya . {LEAD_TITLE} k lindqvist"))
    assert scraped.title_lead == 2
    shared = blocking_keys(clean) & blocking_keys(scraped)
    assert shared and all(k.startswith(("t:", "tl:")) for k in shared), shared
    assert compare(clean, scraped).verdict == "duplicate"
    # Several names, initials and "and" before the stops.
    assert title_lead(f"d. kossmann . el wimmers . and j. yang . {LEAD_TITLE}") == 7


@pytest.mark.parametrize(
    "title",
    [
        # A title's own sentences: function words before the stop, or too little after it.
        "effects of inhaled budesonide. a randomized trial in children with asthma",
        "a study of the effects of x. results from a trial",
        "marta oduya . the reply",
        # No stop at all, or one after more words than a lead of names has.
        LEAD_TITLE,
        "mining quantitative association rules in large relational tables . technical report",
    ],
)
def test_a_title_s_own_sentences_are_no_lead_of_names(title: str) -> None:
    assert title_lead(title) == 0
    assert prepare(rec(title)).title_lead == 0


def test_a_reworded_title_in_a_venue_read_from_a_title_is_for_review_not_a_merge() -> None:
    # The sparse rule merges a reworded title (0.75-0.93) by the same several authors, all of
    # them, in the same venue. A venue read from the end of a title is not enough for it: two
    # papers of one group in one venue series, each a garbled citation, would be one work.
    people = "k lindqvist , m oduya , t haverkamp"
    one = prepare(rec("xsb as a deductive database sigmod conference", people))
    two = prepare(rec("xsb as an efficient deductive database engine", people,
                      "acm sigmod symposium on management of data"))
    assert one.venue_from_title and compare(one, two).verdict != "duplicate"
    # Given as a venue on both sides, the rule applies as before.
    given = prepare(rec("xsb as a deductive database", people, "sigmod conference"))
    assert compare(given, two).verdict == "duplicate"
