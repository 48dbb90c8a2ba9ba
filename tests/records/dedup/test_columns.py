"""Seventh pass (issue 14): a column's title recurs in every issue ("Book review column",
"Database principles column"), so, like "Editorial", it does not identify an instalment: two
records of one column by its editor in one year are for review unless a locator or an
identifier says which instalment each is."""

from __future__ import annotations

from records.dedup import compare, prepare
from records.dedup.fields import informative_title
from records.model import CSLItem

EDITOR = [{"family": "Okafor", "given": "Chidi"}]
COLUMN: CSLItem = {
    "type": "article-journal",
    "title": "Book review column",
    "author": EDITOR,
    "issued": {"date-parts": [[2002]]},
    "container-title": "SIGMOD Record",
}


def test_a_title_ending_with_column_is_a_recurring_heading() -> None:
    assert not informative_title(prepare(COLUMN))
    assert not informative_title(prepare({**COLUMN, "title": "The Database Principles Columns"}))
    # Left alone: "column" elsewhere in a title, and titles without it.
    assert informative_title(prepare({**COLUMN, "title": "Column stores for wide tables"}))
    assert informative_title(prepare({**COLUMN, "title": "Compressing a column store on flash"}))
    assert informative_title(prepare({**COLUMN, "title": "Book review of three data books"}))


def test_two_instalments_of_a_column_by_its_editor_in_one_year_are_for_review() -> None:
    other_venue_name = {**COLUMN, "container-title": "SIGMOD"}
    d = compare(prepare(COLUMN), prepare(other_venue_name))
    assert d.verdict == "maybe"
    # `harvester show` says why.
    assert any("a column's title recurs in every issue" in e for e in d.evidence_against)
    assert compare(prepare(COLUMN), prepare(COLUMN)).verdict == "maybe"


def test_a_locator_or_an_identifier_still_names_the_instalment() -> None:
    located = {**COLUMN, "volume": "31", "issue": "2", "page": "88-90"}
    assert compare(prepare(located), prepare(located)).verdict == "duplicate"
    assert compare(prepare(located), prepare({**located, "issue": "3", "page": "101-103"})
                   ).verdict != "duplicate"
    doi = {**COLUMN, "DOI": "10.5555/rec.2002.31.2.88"}
    assert compare(prepare(doi), prepare({**doi, "container-title": "SIGMOD"})
                   ).verdict == "duplicate"
