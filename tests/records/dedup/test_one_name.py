"""A single "name" against a list under the same specific title is reviewed, not called another
work: a scraped citation's author field cut to one (often garbled) name says too little. Two
full lists that differ still keep a title apart."""

from __future__ import annotations

from records.dedup import compare, find_clusters, prepare
from tests.records.dedup.test_sparse_records import rec

TITLE = "garbage collection in object stores using transactional cyclic reference counting"
PEOPLE = "k lindqvist , m oduya , t haverkamp"


def test_one_garbled_name_against_a_list_is_reviewed() -> None:
    listed = prepare(rec(TITLE, PEOPLE, "vldb", 1997))
    garbled = prepare(rec(TITLE, "tzrrm brandauer"))
    decision = compare(listed, garbled)
    assert decision.verdict == "maybe"
    assert not decision.vetoed
    assert "different authors" in decision.evidence_against
    assert "one name against a list under the same title: for review" in (
        decision.evidence_against
    )


def test_two_lists_that_differ_still_keep_a_title_apart() -> None:
    listed = prepare(rec(TITLE, PEOPLE, "vldb", 1997))
    others = prepare(rec(TITLE, "j marsh , p okonkwo", "vldb", 1997))
    assert compare(listed, others).verdict == "distinct"


def test_one_name_under_a_short_title_is_still_another_work() -> None:
    # Four significant words or fewer ("book review column", "data cube operators") do not
    # say which paper on their own.
    for title in ("book review column", "efficient data cube operators"):
        listed = prepare(rec(title, PEOPLE, year=1997))
        single = prepare(rec(title, "j marsh", year=1997))
        assert compare(listed, single).verdict == "distinct", title


def test_a_cut_list_and_a_single_name_of_one_paper_join_its_record() -> None:
    records = [
        ("clean", rec(TITLE, PEOPLE, "vldb", 1997)),
        ("cut", rec(TITLE, "k lindqvist , m oduya", "vldb", 1997)),
        # Only the last author, as a scraped citation may keep: it agrees with the clean record
        # and meets nobody of the cut list.
        ("last", rec(TITLE, "t haverkamp")),
        # Other people under the same title in the same venue and year: another paper.
        ("others", rec(TITLE, "j marsh , p okonkwo", "vldb", 1997)),
    ]
    assert compare(prepare(records[1][1]), prepare(records[2][1])).verdict == "maybe"
    assert find_clusters(records).clusters == [["clean", "cut", "last"]]
