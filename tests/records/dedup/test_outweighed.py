"""A "distinct" pair without a veto gives way to two "duplicate" verdicts through a third record
that sits between its two records (records.dedup.cluster.outweighed): broken copies of one
paper, each a duplicate of its clean record, are "distinct" from each other by their titles.
A veto, a difference beyond the title, and a third record that is not between them still keep
two clusters apart."""

from __future__ import annotations

from records.dedup import compare, find_clusters, match_work, prepare
from records.dedup.cluster import outweighed
from records.model import CSLItem
from tests.records.dedup.test_sparse_records import rec

PEOPLE = "kirsi lindqvist , marta oduya , tobias haverkamp"
TITLE = "adaptive replication of mobile sensor network logs"
CUT_TITLE = "oduya , m. , and haverkamp , t. " + TITLE


def clean() -> CSLItem:
    return rec(TITLE, PEOPLE, "vldb", 2001)


def typo() -> CSLItem:
    """A copy with its last word garbled, in a venue written otherwise, undated."""
    return rec("adaptive replication of mobile sensor network locks", PEOPLE, "proc . of vldb")


def cut() -> CSLItem:
    """A scraped copy with the authors it cut from its list run into the start of its title."""
    return rec(CUT_TITLE, "kirsi lindqvist")


def test_the_pattern_the_rule_is_for() -> None:
    c, t, k = prepare(clean()), prepare(typo()), prepare(cut())
    assert compare(c, t).verdict == "duplicate"
    assert compare(c, k).verdict == "duplicate"
    apart = compare(t, k)
    assert apart.verdict == "distinct" and not apart.vetoed
    assert outweighed(t, k, apart, [(c, lambda: True)])


def test_broken_copies_of_one_paper_join_their_clean_record() -> None:
    records = [("clean", clean()), ("typo", typo()), ("cut", cut())]
    assert find_clusters(records).clusters == [["clean", "cut", "typo"]]
    # In any order, and record by record as a store places them.
    assert find_clusters(records[::-1]).clusters == [["clean", "cut", "typo"]]
    forms = {rid: prepare(csl) for rid, csl in records}
    work = [forms["clean"], forms["typo"]]
    assert match_work(forms["cut"], [("w1", work)]).work == "w1"


def test_no_third_record_no_join() -> None:
    # The two copies alone: "distinct", and nothing outweighs that.
    assert find_clusters([("typo", typo()), ("cut", cut())]).clusters == []
    t, k = prepare(typo()), prepare(cut())
    assert not outweighed(t, k, compare(t, k), [])


def test_a_third_record_that_is_not_between_them_does_not_outweigh() -> None:
    t, k = prepare(typo()), prepare(cut())
    apart = compare(t, k)
    # The third record has the typo copy's very title: no closer to the cut copy than the
    # typo copy is, so it explains nothing (two papers of one group and a copy of one).
    same_as_typo = prepare(rec(typo()["title"], PEOPLE, "vldb", 2001))
    assert not outweighed(t, k, apart, [(same_as_typo, lambda: True)])
    # And a third record between them that is no duplicate of the second.
    assert not outweighed(t, k, apart, [(prepare(clean()), lambda: False)])


def test_a_veto_always_holds() -> None:
    # Two years apart: a veto, whatever a third record says.
    early = prepare(rec("adaptive replication of mobile sensor network locks", PEOPLE, "vldb",
                        1999))
    k = prepare(cut())
    late = prepare(rec(TITLE, PEOPLE, "vldb", 2001))
    vetoed = compare(early, prepare(rec(k.title, PEOPLE, "vldb", 2001)))
    assert vetoed.vetoed
    assert not outweighed(early, k, vetoed, [(late, lambda: True)])


def test_a_difference_beyond_the_title_holds() -> None:
    c = prepare(clean())
    locks = "adaptive replication of mobile sensor network locks"
    journal = {"type": "article-journal"}
    pairs = {
        # Other people.
        "authors": (rec(locks, "jonas marsh , pita okonkwo", "proc . of vldb"), cut()),
        # Half the authors only.
        "half": (rec(locks, "jonas marsh , kirsi lindqvist", "proc . of vldb"),
                 rec(CUT_TITLE, "kirsi lindqvist , tobias haverkamp")),
        # A year apart.
        "year": (rec(locks, PEOPLE, "proc . of vldb", 2002),
                 rec(CUT_TITLE, "kirsi lindqvist", year=2001)),
        # Two journals.
        "journals": (rec(locks, PEOPLE, "journal of sensor networks", **journal),
                     rec(CUT_TITLE, "kirsi lindqvist", "acta informatica", **journal)),
        # A demo abstract on one side only.
        "kind": (rec(locks + " ( demo abstract )", PEOPLE, "proc . of vldb"), cut()),
        # Titles too far apart.
        "title": (rec("adaptive logging for mobile sensor networks", PEOPLE, "proc . of vldb"), cut()),
    }
    for name, (first, second) in pairs.items():
        p1, p2 = prepare(first), prepare(second)
        decision = compare(p1, p2)
        assert decision.verdict == "distinct", name
        assert not outweighed(p1, p2, decision, [(c, lambda: True)]), name
