"""Two versions of a work (a conference paper and its journal version: another year, another
venue) are not chained together through a record that matches both (a bare citation).

`scoring.two_versions`, used by `triage.stands_against` (so by `find_clusters`, `match_work`
and the store's bridging check alike)."""

from __future__ import annotations

from records.dedup import compare, find_clusters, prepare
from records.dedup.fields import compare_fields
from records.dedup.scoring import two_versions
from records.dedup.triage import stands_against
from records.model import CSLItem

PEOPLE = [("Lindqvist", "Kirsi"), ("Oduya", "Marta"), ("Haverkamp", "Tobias")]
TITLE = "Adaptive replication of mobile sensor network logs"
PROCEEDINGS = "Proceedings of the International Conference on Very Large Data Bases"


def rec(
    title: str = TITLE,
    year: int | None = None,
    venue: str | None = None,
    people: list[tuple[str, str]] = PEOPLE,
    **extra: str,
) -> CSLItem:
    """A record of a source that types every record alike (a scraped catalog, a CSV)."""
    csl: CSLItem = {
        "type": "paper-conference",
        "title": title,
        "author": [{"family": f, "given": g} for f, g in people],
    }
    if year:
        csl["issued"] = {"date-parts": [[year]]}
    if venue:
        csl["container-title"] = venue
    csl.update(extra)  # type: ignore[typeddict-item]
    return csl


def _two_versions(a: CSLItem, b: CSLItem) -> bool:
    p1, p2 = prepare(a), prepare(b)
    return two_versions(p1, p2, compare_fields(p1, p2))


def works(*records: tuple[str, CSLItem]) -> list[list[str]]:
    return find_clusters(list(records)).clusters


CONFERENCE = rec(year=2002, venue=PROCEEDINGS)
JOURNAL = rec(year=2003, venue="The VLDB Journal")
BARE = rec()  # a citation: title and authors, no year, no venue


def test_a_conference_paper_and_its_journal_version_are_two_dated_venues() -> None:
    p1, p2 = prepare(CONFERENCE), prepare(JOURNAL)
    decision = compare(p1, p2)
    assert decision.verdict == "maybe"
    assert _two_versions(CONFERENCE, JOURNAL)
    assert stands_against(p1, p2, decision)
    assert any("another year and another venue" in r for r in decision.evidence_against)


def test_a_bare_citation_of_both_versions_joins_one_of_them_not_both() -> None:
    # Each a "duplicate" of the bare citation: without the rule, A~B and B~C made one work.
    assert compare(prepare(BARE), prepare(CONFERENCE)).verdict == "duplicate"
    assert compare(prepare(BARE), prepare(JOURNAL)).verdict == "duplicate"
    for order in (
        [("conf", CONFERENCE), ("jour", JOURNAL), ("bare", BARE)],
        [("bare", BARE), ("jour", JOURNAL), ("conf", CONFERENCE)],
        [("jour", JOURNAL), ("bare", BARE), ("conf", CONFERENCE)],
    ):
        found = works(*order)
        assert len(found) == 1 and "bare" in found[0] and len(found[0]) == 2, found


def test_left_alone_the_same_venue_a_year_apart_and_two_names_in_one_year() -> None:
    # An ahead-of-print record and its issue, or a citation's year off by one: one venue.
    early = rec(year=2002, venue="The VLDB Journal")
    assert not _two_versions(early, JOURNAL)
    assert works(("early", early), ("jour", JOURNAL), ("bare", BARE)) == [
        ["bare", "early", "jour"]
    ]
    # Another name of one venue in the same year is no second version.
    sigmod = rec(year=2002, venue="SIGMOD Conference")
    other_name = rec(year=2002, venue="VLDB")
    assert not _two_versions(sigmod, other_name)
    assert works(("a", sigmod), ("b", other_name), ("bare", BARE)) == [["a", "b", "bare"]]


def test_left_alone_a_venue_or_a_year_missing() -> None:
    # A venue missing on one side: nothing says which version the record is.
    assert not _two_versions(rec(year=2002), JOURNAL)
    # A year missing on one side.
    assert not _two_versions(rec(venue=PROCEEDINGS), JOURNAL)
    # A year read from the end of a title counts for agreement only: it dates nothing here.
    assert not _two_versions(rec(title=TITLE + " 2002", venue=PROCEEDINGS), JOURNAL)


def test_left_alone_one_journal_under_two_names_on_the_same_locator() -> None:
    # The same volume and page range excuse a second journal name (translated, former).
    a = rec(year=2002, venue="Gan to Kagaku Ryoho", volume="29", page="101-108")
    b = rec(year=2003, venue="Japanese Journal of Cancer and Chemotherapy", volume="29",
            page="101-108")
    assert not _two_versions(a, b)


def test_the_rule_only_keeps_apart_what_the_rules_left_for_review() -> None:
    # A pair the rules call a duplicate (here: a shared DOI) is joined whatever its dates.
    a = rec(year=2002, venue=PROCEEDINGS, DOI="10.5555/adaptive.2002")
    b = rec(year=2003, venue="The VLDB Journal", DOI="10.5555/adaptive.2002")
    p1, p2 = prepare(a), prepare(b)
    decision = compare(p1, p2)
    assert decision.verdict == "duplicate"
    assert not stands_against(p1, p2, decision)
    assert works(("a", a), ("b", b), ("bare", BARE)) == [["a", "b", "bare"]]
