"""Fifth pass of issue 14: a venue run into the end of a title ("... sigmod conference 1997",
"... vldb j") is citation matter even when its name is no known word: the word before a word
that says what kind of venue it is ("conference", "journal", "j", "workshop", ...) names it.
Only after a title: words before one, or a long venue string two titles end with, are left to
the rules as before (two papers of one proceedings stay apart)."""

from __future__ import annotations

from records.dedup import compare, find_clusters, prepare
from records.dedup.fields import NEAR_TITLE, spilled_title, title_similarity
from tests.records.dedup.test_sparse_records import rec

TITLE = "temporal aggregation in active database rules"


def test_a_venue_named_before_its_kind_after_a_title_is_a_spill() -> None:
    clean = prepare(rec(TITLE, "k lindqvist , m oduya"))
    for longer in (f"{TITLE} sigmod conference 1997", f"{TITLE} vldb j", f"{TITLE} kdd workshop"):
        # A record with a venue field of its own (here one that names no venue) keeps its
        # title whole: the spill is read in comparison.
        dirty = prepare(rec(longer, "k lindqvist , m oduya", "proc . of acm"))
        assert spilled_title(clean, dirty), longer
        assert title_similarity(clean, dirty) == NEAR_TITLE
        # Without one, the venue is read off the title (keys.read_title_tail): one title.
        assert prepare(rec(longer, "k lindqvist , m oduya")).title == clean.title, longer


def test_words_of_another_kind_after_a_title_are_not_a_spill() -> None:
    clean = prepare(rec(TITLE, "k lindqvist , m oduya"))
    for longer in (f"{TITLE} for stream processing", f"{TITLE} over sliding window joins"):
        dirty = prepare(rec(longer, "k lindqvist , m oduya"))
        assert not spilled_title(clean, dirty), longer


def test_one_author_with_the_venue_in_the_title_is_the_paper() -> None:
    dblp = prepare(rec(f"{TITLE} sigmod conference", "k lindqvist", year=1998))
    scholar = prepare(rec(TITLE, "k lindqvist"))
    assert compare(dblp, scholar).verdict == "duplicate"


def test_two_papers_ending_with_one_proceedings_string_stay_apart() -> None:
    # The rule reads only what follows a title: read in the words before a shared end, it made
    # "... management system proceedings ..." citation matter, and these two one paper.
    tail = " proceedings of the 1997 acm sigmod international conference & hellip ; ,"
    records = [
        ("a", rec("index selection in a self-adaptive data base management system" + tail,
                  "m hammer , a chan")),
        ("b", rec("template-based wrappers in the tsimmis system" + tail,
                  "j hammer , h garcia-molina")),
    ]
    assert compare(prepare(records[0][1]), prepare(records[1][1])).verdict == "distinct"
    assert find_clusters(records).clusters == []


def test_titles_that_share_only_a_venue_string_are_not_one_title() -> None:
    # Two scraped records of one proceedings, neither with an author field: their titles end
    # with the same venue words, which are no title (fields._spilled_before's shared end).
    tail = " proceedings of the {} acm sigmod international conference & hellip ; ,"
    first = prepare(rec("global query optimization" + tail.format(1986)))
    second = prepare(rec("equi-depth multidimensional histograms" + tail.format(1988)))
    assert not spilled_title(first, second)
    assert compare(first, second).verdict == "distinct"


def test_a_venue_by_its_acronym_and_by_its_words_after_one_title_is_a_spill() -> None:
    title = "a system for keyword proximity search on xml databases"
    # The record has a venue field, so the acronym stays in its title (without one, the eighth
    # pass reads a listed acronym off as the venue: tests/records/dedup/test_venue_acronyms.py).
    acronym = prepare(rec(f"{title} vldb 2003", "k lindqvist , m oduya", "vldb"))
    words = prepare(rec(f"{title} proceedings of the international conference on very large"
                        " & hellip ; ,", "k lindqvist , m oduya"))
    assert acronym.title.endswith("databases vldb")
    assert spilled_title(acronym, words)
    # Title words that happen to begin with the acronym's letters are no venue.
    longer = prepare(rec(f"{title} for very large document collections", "k lindqvist"))
    assert not spilled_title(acronym, longer)
