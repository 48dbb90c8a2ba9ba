"""Seventh pass (issue 14): a title's specificity is evidence. The Fellegi-Sunter weights count
the agreement of two titles sharing six significant words or more apart from that of shorter
titles ("query optimization", "guest editor's introduction"), so a sparse pair that the rules
leave for review becomes one work when its specific title, several agreeing authors and nothing
in conflict weigh enough; a short title with the same evidence stays for review."""

from __future__ import annotations

from typing import Any

from records.dedup import compare, prepare
from records.dedup.fields import compare_fields
from records.dedup.weights import (
    DUPLICATE_WEIGHT,
    SPECIFIC_TITLE_WORDS,
    evidence_weight,
    levels,
    shared_title_words,
    specific_title,
)
from records.model import CSLItem

PEOPLE = [{"family": "Lindqvist", "given": "Kirsi"}, {"family": "Oduya", "given": "Marta"}]
INITIALS = [{"family": "Lindqvist", "given": "K."}, {"family": "Oduya", "given": "M."}]

# A full record (year, venue) and a bare citation of it (no year, no venue) whose title one
# source reworded in two places (0.92 similar: neither near-identical nor a subtitle cut).
FULL: CSLItem = {
    "type": "paper-conference",
    "title": "Incremental maintenance of spatial join indexes for moving sensor streams",
    "author": PEOPLE,
    "issued": {"date-parts": [[2003]]},
    "container-title": "Proceedings of the Workshop on Sensor Data",
}
CITED: CSLItem = {
    "type": "paper-conference",
    "title": "Incremental maintenance of spatial join indices for moving sensor data",
    "author": INITIALS,
}


def with_(item: CSLItem, **changes: Any) -> CSLItem:
    return {**item, **{k.replace("_", "-"): v for k, v in changes.items()}}


def test_shared_significant_words_leave_out_stop_words_single_letters_and_repeats() -> None:
    a = prepare({"title": "The design of a B-tree for the disk and the cache"})
    b = prepare({"title": "Design of the B tree: disk, cache and design"})
    # design, tree, disk, cache ("b" is a single letter, "the", "of", "for", "and" stop words).
    assert shared_title_words(a, b) == 4
    assert not specific_title(a, b)
    assert specific_title(prepare(FULL), prepare(CITED))
    assert shared_title_words(prepare(FULL), prepare(CITED)) == SPECIFIC_TITLE_WORDS


def test_a_specific_title_weighs_more_than_a_short_one_at_the_same_agreement() -> None:
    f = compare_fields(prepare(FULL), prepare(CITED))
    assert levels(f, True)[0] != levels(f, False)[0]
    assert evidence_weight(f, True) > evidence_weight(f, False)
    # The short title's weight stays below the threshold (the rules' "maybe" stands).
    assert evidence_weight(f, False) < DUPLICATE_WEIGHT <= evidence_weight(f, True)


def test_a_bare_citation_of_a_specific_title_by_the_same_authors_is_the_paper() -> None:
    d = compare(prepare(FULL), prepare(CITED))
    assert d.verdict == "duplicate"
    # `harvester show` says what decided it: the specificity and the weight.
    assert "a specific title (6 significant words shared)" in d.evidence_for
    assert any(e.startswith("weighed evidence") for e in d.evidence_for)


def test_a_short_title_with_the_same_evidence_stays_for_review() -> None:
    # Five significant words shared: a group's two papers often differ by one word of such a
    # title ("a parallel / fast index for ..."), so the same evidence is not enough.
    full = with_(FULL, title="Mining quantitative rules in large relational tables")
    cited = with_(CITED, title="Mining quantitative rules in large tables")
    p1, p2 = prepare(full), prepare(cited)
    assert shared_title_words(p1, p2) == 5
    d = compare(p1, p2)
    assert d.verdict == "maybe"
    assert not any("specific title" in e for e in d.evidence_for)


def test_a_specific_title_does_not_outweigh_a_conflict() -> None:
    full, cited = prepare(FULL), prepare(CITED)
    # A year apart (a later version), other people, one author only, another venue with a year.
    later = prepare(with_(CITED, issued={"date-parts": [[2004]]}))
    others = prepare(with_(CITED, author=[{"family": "Marsh", "given": "J."},
                                          {"family": "Okonkwo", "given": "P."}]))
    one = prepare(with_(CITED, author=INITIALS[:1]))
    elsewhere = prepare(with_(CITED, issued={"date-parts": [[2003]]},
                              **{"container-title": "Journal of Spatial Databases"}))
    assert compare(full, later).verdict == "maybe"
    assert compare(full, others).verdict == "distinct"
    assert compare(full, one).verdict == "maybe"
    assert compare(full, elsewhere).verdict != "duplicate"
    # And a veto holds whatever the weight: the titles name different numbers.
    part = prepare(with_(FULL, title=FULL["title"] + " 2"))
    assert compare(part, prepare(with_(CITED, title=CITED["title"] + " 3"))).verdict != "duplicate"
    assert compare(full, cited).verdict == "duplicate"
