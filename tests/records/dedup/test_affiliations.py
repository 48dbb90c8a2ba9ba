"""Fifth pass of issue 14: an institution's name set off after a title ("... . University of
Maryland", "... . Digital Equipment Corp", as scrapers run a report's issuer or an affiliation
into the title) is citation matter, so the title is the same title (fields.title_spill)."""

from __future__ import annotations

from records.dedup import compare, prepare
from records.dedup.fields import NEAR_TITLE, spilled_title, title_similarity
from tests.records.dedup.test_sparse_records import rec

TITLE = "incremental maintenance of spatial joins in external memory"


def _pair(longer: str) -> tuple[float | None, bool]:
    a, b = prepare(rec(TITLE)), prepare(rec(longer))
    return title_similarity(a, b), spilled_title(a, b)


def test_an_institution_set_off_after_the_title_is_a_spill() -> None:
    for longer in (
        f"{TITLE}. University of Maryland",
        f"{TITLE}. Universiy of Wisconsin",  # as a scraper spelled it
        f"{TITLE}. Digital Equipment Corp.",
        f"{TITLE} - the University of Tromsø",
        f"{TITLE}. Rutgers University",
    ):
        assert _pair(longer) == (NEAR_TITLE, True), longer


def test_a_subtitle_that_mentions_an_institution_is_not_a_spill() -> None:
    for longer in (
        f"{TITLE}: a case study at a university",
        f"{TITLE} for the Maryland university libraries",  # not set off by punctuation
        f"{TITLE}. Lessons from five university data centres",  # more than an institution
        f"{TITLE}. Universal access",  # "universal" is no university
    ):
        similarity, spilled = _pair(longer)
        assert not spilled and similarity is not None and similarity < NEAR_TITLE, longer


def test_one_author_under_a_title_with_its_affiliation_run_in_is_one_paper() -> None:
    dblp = prepare(rec(TITLE, "k lindqvist", "vldb", 1999))
    scraped = prepare(rec(f"{TITLE}. University of Maryland", "kh lindqvist",
                          "proceedings of the 25th vldb conference"))
    assert compare(dblp, scraped).verdict == "duplicate"
    # A subtitle of another kind leaves the pair for review.
    longer = prepare(rec(f"{TITLE}: a case study at a university", "kh lindqvist",
                         "proceedings of the 25th vldb conference"))
    assert compare(dblp, longer).verdict == "maybe"
