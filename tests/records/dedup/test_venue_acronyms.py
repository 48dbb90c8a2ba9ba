"""Issue 14, eighth pass: a venue named by its acronym alone at the end of a title ("... query
processing icde", "... histograms vldb 1997", "... sigmod record") is read for comparison when
the acronym is one known to name a venue (``records.dedup.venues``); a title's own last word,
acronym or not, stays in the title."""

from __future__ import annotations

import pytest

from records.dedup import compare, prepare
from records.dedup.keys import read_title_tail
from records.dedup.venues import VENUE_ACRONYMS
from tests.records.dedup.test_sparse_records import rec

TITLE = "adaptive partitioning of skewed stream joins on shared-nothing clusters"
FOLDED = "adaptive partitioning of skewed stream joins on shared nothing clusters"
PEOPLE = "k lindqvist , m oduya"


@pytest.mark.parametrize(
    ("run_in", "venue"),
    [
        (" icde", "icde"),
        (" vldb 1997", "vldb"),
        (" , vldb , 1998.0", "vldb"),
        (" vldb '98", "vldb '98"),
        (" kdd", "kdd"),
        (" neurips 2019", "neurips"),
        # A society before the acronym, a series word after it.
        (" acm sigmod record", "acm sigmod record"),
        (" sigmod record , 1999.0", "sigmod record"),
        (" sigmod rec ,", "sigmod rec"),
        (" ieee infocom", "ieee infocom"),
    ],
)
def test_a_known_venue_acronym_at_the_end_of_a_title_is_read(run_in: str, venue: str) -> None:
    title, names, _, read = read_title_tail(TITLE + run_in, True, True, False)
    assert (title.rstrip(" ,.;"), names, read) == (TITLE, [], venue)
    form = prepare(rec(TITLE + run_in, PEOPLE, year=2004))
    assert form.title == FOLDED
    assert form.venue_from_title and form.containers


def test_in_a_title_written_with_capitals_the_acronym_is_in_capitals() -> None:
    cased = "Adaptive Partitioning of Skewed Stream Joins on Shared-Nothing Clusters"
    assert read_title_tail(f"{cased} VLDB", True, True, False)[3] == "VLDB"
    assert read_title_tail(f"{cased} (ICDE 2004)", True, True, False)[3] is None
    # A lowercase word at the end of a cased title is a word, whatever it spells.
    assert read_title_tail(f"{cased} kdd", True, True, False)[3] is None


@pytest.mark.parametrize(
    "own",
    [
        # A title that simply goes on: its last word is the title's, acronym or not.
        "efficient evaluation of recursive queries in sql",
        "a compact binary encoding for xml",
        "exception-safe resource management in c++",
        "inhaled corticosteroid adherence in children with asthma",
        "long-term outcomes after cabg",
        "zero-copy message passing with mpi",
        # A listed acronym that is the title's subject: after a function word, in parentheses,
        # or with too little title before it.
        "ten years of vldb",
        "a look back at the history of the vldb",
        "the proceedings database of the very large data bases ( vldb )",
        "report on vldb",
        "reflections on kdd",
        # Words that spell an acronym of a venue are not on the list ("pods", "chi").
        "nutrient content of immature pea pods",
        "balance training with tai chi",
    ],
)
def test_a_title_s_own_last_word_is_not_read_as_a_venue(own: str) -> None:
    assert read_title_tail(own, True, True, False) == (own, [], None, None)


def test_the_list_holds_no_title_words() -> None:
    # Acronyms that are words, or a title's subject as often as a venue, are left out on purpose.
    assert VENUE_ACRONYMS.isdisjoint({"chi", "soda", "fast", "date", "pods", "nips", "acl", "er"})
    assert all(a.isalpha() and a == a.lower() for a in VENUE_ACRONYMS)


def test_a_venue_acronym_read_from_a_title_makes_two_copies_one_work() -> None:
    # A typo in one copy, so no spill rule finds the acronym; read off, the titles are one and
    # the acronym meets the venue written out on the other side.
    dirty = prepare(rec(f"{TITLE} icde", PEOPLE, year=2004))
    other = prepare(rec(TITLE.replace("skewed", "skewd"), PEOPLE,
                        "proceedings of the international conference on data engineering"))
    decision = compare(dirty, other)
    assert decision.verdict == "duplicate"
    assert "venue read from the end of a title" in decision.evidence_for
    # Other people under the same dirty title: another paper.
    others = prepare(rec(f"{TITLE} icde", "j marsh , p okonkwo", year=2004))
    assert compare(others, other).verdict == "distinct"


@pytest.mark.parametrize(
    ("run_in", "venue"),
    [
        # A conference written out as "international conference ...", whatever follows.
        (" int . conf . on the management of data ,", "int . conf . on the management of data"),
        (" , international conference on very large data bases , hong kong ,",
         "international conference on very large data bases , hong kong"),
        # A venue in two parts: what is left after the last part ends with the first.
        (" acm sigmod int . conf ,", "acm sigmod int . conf"),
        (" the vldb journal the international journal on very large & hellip ; ,",
         "the vldb journal the international journal on very large & hellip"),
        (" , vldb '98 proceedings of 24th international conference on very large",
         "vldb '98 proceedings of 24th international conference on very large"),
    ],
)
def test_a_conference_written_out_and_a_venue_in_two_parts_are_read(
    run_in: str, venue: str
) -> None:
    title, names, _, read = read_title_tail(TITLE + run_in, True, True, False)
    assert (title.rstrip(" ,.;"), names, read) == (TITLE, [], venue)


@pytest.mark.parametrize(
    "own",
    [
        # A title about a meeting: an ordinal, a year or an article before its name.
        "report on the fourth international conference on flexible query answering systems",
        "highlights of the 1995 international workshop on temporal databases",
        "asthma management guidelines : report of an international workshop",
        "lessons learned at the international conference on cancer",
        "summary of the fifth annual international conference on rural health",
    ],
)
def test_a_title_about_a_meeting_keeps_the_meeting_s_name(own: str) -> None:
    assert read_title_tail(own, True, True, False) == (own, [], None, None)


def test_a_journal_written_in_two_parts_after_one_title_meets_its_abbreviation() -> None:
    people = "k lindqvist , m oduya , t haverkamp"
    dirty = prepare(rec(f"{TITLE} the vldb journal the international journal on very large"
                        " & hellip ; ,", people, year=1999))
    other = prepare(rec(TITLE.replace("skewed", "skewd"), people, "vldb j", 1999))
    assert dirty.title == FOLDED
    assert compare(dirty, other).verdict == "duplicate"


def test_one_name_read_at_a_title_s_end_is_the_last_reading_that_fits() -> None:
    # ": a read-mostly" reads as one name ("a" an initial) with a long "venue" after it; the
    # later reading keeps the subtitle in the title and finds the real name and venue.
    title = "red brick warehouse : a read-mostly rdbms for open smp platforms"
    read, names, year, venue = read_title_tail(
        f"{title} p fernandez sigmod conference 1994", False, False, False
    )
    assert (read, names, year, venue) == (title, [{"family": "fernandez", "given": "p"}], 1994,
                                          "sigmod conference")
    # A list of two names or more is read from its first name, as before.
    assert read_title_tail(f"{TITLE} k lindqvist , m oduya vldb", False, True, False)[0] == TITLE
