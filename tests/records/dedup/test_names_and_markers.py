"""Names and markers: a double surname written given name first, and a title's abstract marker.

Names and titles written here (none copied from the labelled sets)."""

from __future__ import annotations

import pytest

from records.dedup import compare, prepare
from records.model import CSLItem


# -- the title's abstract marker ----------------------------------------------------------------
@pytest.mark.parametrize(
    "title",
    [
        "Talc slurry in trapped lung [Abstract]",
        "Talc slurry in trapped lung [abstract].",
        "Talc slurry in trapped lung [abstract no: 1667]",
        "Abstract: Talc slurry in trapped lung",
        "ABSTRACT: Talc slurry in trapped lung",
    ],
)
def test_a_title_marked_as_an_abstract_is_a_conference_abstract(title: str) -> None:
    p = prepare({"title": title, "type": "article-journal", "container-title": "Chest"})
    assert p.conference_abstract
    plain = prepare({"title": "Talc slurry in trapped lung"})
    assert p.title == plain.title or title.endswith("1667]")


@pytest.mark.parametrize(
    "title",
    [
        "Abstract algebra for chemists",
        "Abstracts in the age of preprints: a survey",
        "Writing the abstract: a guide",
        "Pleural infection in children [Abstract in English]",
        "Pleural infection in children [Review]",
    ],
)
def test_a_title_that_only_uses_the_word_is_no_marker(title: str) -> None:
    assert not prepare({"title": title, "type": "article-journal"}).conference_abstract


_T = "Indwelling pleural catheter versus talc in trapped lung: a pilot study"
_AU = [{"family": "Okonkwo", "given": "Adaeze"}, {"family": "Lindqvist", "given": "Per"}]


def _rec(title: str, year: int, **fields: str) -> CSLItem:
    return {"type": "article-journal", "title": title, "author": _AU,
            "issued": {"date-parts": [[year]]}, **fields}


def test_a_marked_abstract_and_the_later_article_are_reviewed_not_merged() -> None:
    article = _rec(_T, 2011, **{"container-title": "Chest", "volume": "140", "page": "812-818"})
    for abstract in (
        _rec(_T + " [Abstract]", 2010, **{"container-title": "Chest"}),
        _rec("Abstract: " + _T, 2010, **{"container-title": "Chest"}),
    ):
        assert compare(prepare(article), prepare(abstract)).verdict == "maybe"
        # The same records without the marker: one work (the veto is the marker's doing).
        unmarked = dict(abstract, title=_T)
        assert compare(prepare(article), prepare(unmarked)).verdict == "duplicate"


def test_one_printed_abstract_marked_by_one_source_only_is_one_work() -> None:
    # Same journal, volume, year and first page (or none on one side): one item, whatever the
    # marker says; an abstract and its article are never printed at one place.
    marked = _rec(_T + " [Abstract]", 2010, **{"container-title": "Chest", "volume": "138",
                                               "page": "811a"})
    for other in (
        _rec(_T, 2010, **{"container-title": "Chest", "volume": "138", "page": "811a"}),
        _rec(_T, 2010, **{"container-title": "Chest", "volume": "138"}),
    ):
        assert compare(prepare(marked), prepare(other)).verdict == "duplicate"
