"""Titles that name different items of a series ("... record b" / "... record c", "Part A" /
"Part B", "I" / "II", "Hepatitis B" / "Hepatitis C") are different works, whatever else agrees;
and the cases the rule must leave alone (a typo in a word, debris after one title, a shared DOI).
"""

from __future__ import annotations

import pytest

from records.dedup import compare, find_clusters, prepare
from records.dedup.keys import title_designators
from records.model import CSLItem

PEOPLE = [{"family": "Okafor", "given": "Chidi"}, {"family": "Lindgren", "given": "Maja"}]


def item(title: str, **extra: object) -> CSLItem:
    """A full journal record: same authors, year and journal on every record of these tests."""
    csl: CSLItem = {
        "title": title,
        "author": PEOPLE,
        "issued": {"date-parts": [[2021]]},
        "container-title": "Journal of Hepatology",
        "type": "article-journal",
    }
    csl.update(extra)  # type: ignore[typeddict-item]
    return csl


SERIES = [
    ("Portal hypertension outcomes in a test import record b",
     "Portal hypertension outcomes in a test import record c"),
    ("Imaging of the biliary tree, Part A", "Imaging of the biliary tree, Part B"),
    ("Imaging of the biliary tree I", "Imaging of the biliary tree II"),
    ("Imaging of the biliary tree II", "Imaging of the biliary tree III"),
    ("Imaging of the biliary tree 1", "Imaging of the biliary tree 2"),
    ("Imaging of the biliary tree, volume 3a", "Imaging of the biliary tree, volume 3b"),
    ("Hepatitis B in pregnancy: a cohort", "Hepatitis C in pregnancy: a cohort"),
]


@pytest.mark.parametrize(("one", "two"), SERIES)
def test_titles_naming_different_items_of_a_series_are_different_works(one: str, two: str) -> None:
    p1, p2 = prepare(item(one)), prepare(item(two))
    decision = compare(p1, p2)
    assert decision.verdict == "distinct"
    assert decision.vetoed
    assert any("different items of a series" in e for e in decision.evidence_against)
    assert find_clusters([("a", item(one)), ("b", item(two))]).clusters == []


def test_the_designators_are_named() -> None:
    one = prepare(item("Portal hypertension outcomes in a test import record b"))
    two = prepare(item("Portal hypertension outcomes in a test import record c"))
    assert title_designators(one.title_tokens, two.title_tokens) == ("b", "c")
    assert title_designators(two.title_tokens, one.title_tokens) == ("c", "b")


@pytest.mark.parametrize(
    ("one", "two"),
    [
        # A typo in a word is not a designator.
        ("Imaging of the biliary tree in adults", "Imaging of the biliary tree in adult"),
        # Two places differ: not one title naming two items.
        ("Hepatitis B in pregnancy: a cohort", "Hepatitis C in pregnancy: a trial"),
        # Debris after one title (a scraped "... c", a footnote mark "1"): not a series item.
        ("Imaging of the biliary tree in adults", "Imaging of the biliary tree in adults c"),
        ("Imaging of the biliary tree in adults", "Imaging of the biliary tree in adults 1"),
        # The same designator on both sides.
        ("Imaging of the biliary tree, Part A", "Imaging of the biliary tree. Part A"),
    ],
)
def test_titles_that_are_not_two_items_of_a_series_are_left_alone(one: str, two: str) -> None:
    p1, p2 = prepare(item(one)), prepare(item(two))
    assert title_designators(p1.title_tokens, p2.title_tokens) is None
    decision = compare(p1, p2)
    assert not any("items of a series" in e for e in decision.evidence_against)


def test_the_same_title_is_still_one_work() -> None:
    title = "Portal hypertension outcomes in a test import record b"
    assert compare(prepare(item(title)), prepare(item(title.upper()))).verdict == "duplicate"


def test_a_shared_doi_sends_two_items_to_review_not_apart() -> None:
    # One source garbled the letter: the identifier says which work, a person decides.
    doi = "10.5555/hep.2021.0417"
    one = prepare(item("Imaging of the biliary tree, Part A", DOI=doi, page="11-19"))
    two = prepare(item("Imaging of the biliary tree, Part B", DOI=doi, page="11-19"))
    assert compare(one, two).verdict == "maybe"
