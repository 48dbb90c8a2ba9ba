"""Fifth pass of issue 14: a conference named by its acronym on one side and by the words it
abbreviates on the other is one venue; a given "name" short enough to be initials run together
("phillip bg" for Phillip B. Gibbons) is read as initials where names are read crossed."""

from __future__ import annotations

from records.dedup import compare, find_clusters, prepare
from records.dedup.fields import compare_authors
from records.dedup.keys import containers_match
from tests.records.dedup.test_sparse_records import rec

TITLE = "adaptive partitioning of skewed stream joins on shared-nothing clusters"
REWORDED = "partitioning skewed stream joins adaptively on shared-nothing clusters"
PEOPLE = "k lindqvist , m oduya , t haverkamp"


def _venues(a: str, b: str) -> bool | None:
    return containers_match(prepare(rec(TITLE, venue=a)), prepare(rec(TITLE, venue=b)))


def test_an_acronym_matches_the_words_it_abbreviates_in_a_proceedings_name() -> None:
    assert _venues("vldb", "proc . of very large data bases")
    assert _venues("vldb", "27 thinternational conference on very large data bases")
    assert _venues("icde", "proceedings of the 18th international conference on data engineering")
    # Either side.
    assert _venues("conf . on very large data-bases", "VLDB")


def test_an_acronym_matches_a_conference_name_cut_short_after_its_first_words() -> None:
    # The initials of the words after "conference", "proc", ... begin the acronym (half its
    # letters at least): "very large data" for "vldb".
    assert _venues("vldb", "proc . of the 21st int ' l conf . on very large data")
    assert _venues("vldb", "proceedings of the international conference on very large &hellip;")
    # One word is too little, and the initials must begin the acronym.
    assert not _venues("vldb", "proceedings of the 21st international conference on very")
    assert not _venues("icde", "proc . of the conf . on data engineering")


def test_other_words_or_a_run_broken_by_a_number_do_not_spell_the_acronym() -> None:
    assert not _venues("vldb", "proc . of very large knowledge bases")
    # The initials must be of consecutive words: a number between them breaks the run.
    assert not _venues("vldb", "proc . very large 2004 data bases")
    # Two letters are no acronym; and a name that is no proceedings is left to the journal
    # abbreviation rules.
    assert not _venues("db", "proc . of data bases")
    assert not _venues("vldb", "journal of very large data bases research")


def test_a_reworded_title_by_the_same_authors_under_both_names_of_a_conference_is_one_paper() -> (
    None
):
    dblp = prepare(rec(TITLE, PEOPLE, "vldb", 2004))
    scholar = prepare(rec(REWORDED, PEOPLE, "proc . of very large data bases"))
    assert compare(dblp, scholar).verdict == "duplicate"
    # Another conference: the reworded title alone does not make one paper.
    elsewhere = prepare(rec(REWORDED, PEOPLE, "proc . of very large knowledge bases"))
    assert compare(dblp, elsewhere).verdict == "distinct"


def test_given_names_run_together_as_initials_cross_with_the_family_names() -> None:
    listed = prepare(rec(TITLE, "m garofalakis , p gibbons", "sigmod conference", 2002))
    # Scholar wrote "Minos Garofalakis, Phillip B. Gibbons" as family "minos", given "g" and
    # family "phillip", given "bg": the family's initial is the last letter.
    swapped = prepare(rec(TITLE, "g minos , bg phillip"))
    authors = compare_authors(listed, swapped)
    assert authors is not None and authors.agree
    assert compare(listed, swapped).verdict == "duplicate"


def test_a_long_given_name_or_other_letters_do_not_cross() -> None:
    listed = prepare(rec(TITLE, "m garofalakis , p gibbons", "sigmod conference", 2002))
    # "barbara" is a name, not initials; "bx" holds no "g".
    for names in ("g minos , barbara phillip", "g minos , bx phillip"):
        authors = compare_authors(listed, prepare(rec(TITLE, names)))
        assert authors is not None and not authors.agree, names


def test_copies_with_crossed_names_join_and_other_people_stay_apart() -> None:
    records = [
        ("dblp", rec(TITLE, "m garofalakis , p gibbons", "sigmod conference", 2002)),
        ("scholar", rec(TITLE, "g minos , bg phillip", "proceedings of acm sigmod 2002")),
        ("others", rec(TITLE, "j marsh , p okonkwo", "sigmod conference", 2002)),
    ]
    assert find_clusters(records).clusters == [["dblp", "scholar"]]
