"""Names and markers: a double surname written given name first, and a title's abstract marker.

Names and titles written here (none copied from the labelled sets)."""

from __future__ import annotations

import pytest

from records.dedup import compare, prepare
from records.dedup.fields import compare_authors
from records.model import CSLItem
from records.normalize.names import parse_name


def _people(*names: str) -> CSLItem:
    return {"title": "x", "author": [parse_name(n) for n in names]}


def _agree(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[bool, float]:
    found = compare_authors(prepare(_people(*a)), prepare(_people(*b)))
    back = compare_authors(prepare(_people(*b)), prepare(_people(*a)))
    assert found is not None and back is not None
    assert (found.first_match, found.fraction) == (back.first_match, back.fraction)
    return found.first_match, found.fraction


# -- double surnames ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given_first", "inverted"),
    [
        # Initials, then two capitalised words: the stored reading is family "Rial".
        (("M. Botana Rial", "L. Valdés Cuadrado"), ("Botana Rial, M.", "Valdés Cuadrado, L.")),
        # A full given name, then two capitalised words.
        (("Maria Botana Rial", "Luis Valdés Cuadrado"), ("Botana Rial, Maria", "Valdés Cuadrado, L")),
        # Particles dropped on both sides ("de la Fuente Ruiz" folds to "fuenteruiz").
        (("Ana de la Fuente Ruiz",), ("de la Fuente Ruiz, Ana",)),
        # Hyphenated on the other side: the folded words are the same.
        (("J. M. Alvarez Dobaño", "P. Sá Gomes"), ("Alvarez-Dobaño, J. M.", "Sá-Gomes, P.")),
    ],
)
def test_a_double_surname_written_given_name_first_agrees_with_it_inverted(
    given_first: tuple[str, ...], inverted: tuple[str, ...]
) -> None:
    assert _agree(given_first, inverted) == (True, 1.0)


def test_the_stored_name_is_left_as_read() -> None:
    # The comparison accepts either reading; the record keeps what the reader made of it.
    assert parse_name("M. Botana Rial") == {"family": "Rial", "given": "M. Botana"}
    p = prepare(_people("M. Botana Rial", "Smith, J."))
    assert p.authors == (("rial", "mb"), ("smith", "j"))
    assert p.family_splits == ("botanarial", "")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A middle initial is no surname: "J. B. Son" is not "Benson".
        (("J. B. Son",), ("Benson, J.",)),
        # The middle name alone is not the family name ("Michael" is not "Michael Smith").
        (("John Michael Smith",), ("Michael, J.",)),
        # Other people whose joined words differ.
        (("M. Botana Rial",), ("Botana Riel, M.",)),
        (("Maria Botana Rial",), ("Rial Botana, M.",)),
    ],
)
def test_other_people_stay_other_people(a: tuple[str, ...], b: tuple[str, ...]) -> None:
    assert _agree(a, b) == (False, 0.0)


def test_no_other_reading_without_a_capitalised_word_before_the_family_name() -> None:
    for name in ("J. B. Son", "Smith, J.", "M. J. Pérez-Gómez", "Radosa CG", "Jan van Berg"):
        assert prepare(_people(name)).family_splits == ()


def test_the_single_family_still_agrees_when_the_other_side_has_it() -> None:
    # Both written given name first: compared as read, nothing re-split.
    assert _agree(("M. Botana Rial", "Luis Rial"), ("Maria Botana Rial", "L. Rial")) == (True, 1.0)
    # The other side has the single word as family: that reading stands.
    assert _agree(("Maria Botana Rial",), ("Rial, Maria",)) == (True, 1.0)


# -- the title's abstract marker ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "compared_alike"),
    [
        ("Talc slurry in trapped lung [Abstract]", True),
        ("Talc slurry in trapped lung [abstract].", True),
        ("Talc slurry in trapped lung <i>[Abstract]</i> .", True),
        ("Talc slurry in trapped lung [Abstract] [Review] [12 refs]", True),
        ("Abstract: Talc slurry in trapped lung", True),
        ("ABSTRACT: Talc slurry in trapped lung", True),
        ("Talc slurry in trapped lung [abstract no: 1667]", True),
        # a quote before a decoration keeps the decoration in the title compared
        ('"Talc slurry in trapped lung [abstract]" (author\'s transl)', False),
    ],
)
def test_a_title_marked_as_an_abstract_is_a_conference_abstract(
    title: str, compared_alike: bool
) -> None:
    p = prepare({"title": title, "type": "article-journal", "container-title": "Chest"})
    assert p.conference_abstract
    plain = prepare({"title": "Talc slurry in trapped lung"})
    assert (p.title == plain.title) == compared_alike


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
