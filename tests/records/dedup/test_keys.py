"""Comparison forms: what two writings of one record must share."""

from __future__ import annotations

import pytest

from records.dedup.fields import pages_overlap
from records.dedup.keys import Prepared, containers_match, prepare, title_numbers


def _title(text: str) -> str:
    return prepare({"title": text}).title


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("TNF-α levels in sepsis", "TNF-alpha levels in sepsis"),
        ("Schön's <i>in vivo</i> results.", "Schons in vivo results"),
        ('K{\\"u}chlin and the {LaTeX} title', "Küchlin and the LaTeX title"),
        ("[A study of pleurisy]", "A study of pleurisy"),
        ("A study of pleurisy [Article in German]", "A study of pleurisy"),
        ('"Quoted title of a study"', "Quoted title of a study"),
        ("RETRACTED: A study of pleurisy", "A study of pleurisy"),
        ("Title &amp; more", "Title & more"),
    ],
)
def test_title_forms_agree(a: str, b: str) -> None:
    assert _title(a) == _title(b)


def test_title_forms_keep_differences() -> None:
    assert _title("Lung cancer in men") != _title("Lung cancer in women")


def test_parallel_titles_become_variants() -> None:
    p = prepare(
        {"title": "Utilidad de los antimicrobianos en trauma; Are antimicrobials useful in trauma"}
    )
    assert "are antimicrobials useful in trauma" in p.title_variants
    assert p.translated


@pytest.mark.parametrize(
    ("title", "marker"),
    [
        ("Erratum: A study of pleurisy", "erratum"),
        ("Correction to: A study of pleurisy", "correction" and "erratum"),
        ("Retraction notice to: A study", "retraction"),
        ("Comment on: A study of pleurisy", "comment"),
        ('A commentary on - "A study of pleurisy"', "comment"),
        ("Reply to the letter by Smith", "reply"),
        ("Authors' reply", "reply"),
    ],
)
def test_markers(title: str, marker: str) -> None:
    assert marker in prepare({"title": title}).markers


@pytest.mark.parametrize(
    "title",
    [
        "Correction of pectus excavatum in adults",
        "Response of tumours to radiotherapy",
        "A commentary approach to teaching anatomy",
        "A study of pleurisy.[Erratum appears in N Engl J Med 2005;352:2146]",
    ],
)
def test_no_marker_on_ordinary_titles(title: str) -> None:
    assert prepare({"title": title}).markers == frozenset()


@pytest.mark.parametrize(
    ("page", "first", "last"),
    [
        ("575-81", "575", "581"),
        ("pp. 575–581", "575", "581"),
        ("21-Apr", "21", "24"),  # a spreadsheet's date for "21-4"
        ("395-9; discussion 399-400", "395", "399"),
        ("233-238+230-235", "230", "235"),
        ("01-Jun", "1", "6"),
        ("author reply 12-13", None, None),
    ],
)
def test_pages(page: str, first: str | None, last: str | None) -> None:
    p = prepare({"page": page})
    assert (p.first_page, p.last_page) == (first, last)


def test_authors_fold_particles_accents_and_initials() -> None:
    a = prepare(
        {
            "author": [
                {"family": "von Pawel", "given": "Joachim"},
                {"family": "Müller", "given": "Hans Peter"},
            ]
        }
    )
    b = prepare(
        {"author": [{"family": "Pawel", "given": "J."}, {"family": "Muller", "given": "H. P."}]}
    )
    assert a.authors == b.authors == (("pawel", "j"), ("muller", "hp"))


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("J Clin Pathol", "Journal of Clinical Pathology", True),
        (
            "Am J Respir Crit Care Med",
            "American journal of respiratory and critical care medicine",
            True,
        ),
        ("Lung cancer (Amsterdam, Netherlands)", "Lung Cancer", True),
        ("PLoS ONE [Electronic Resource]", "PLoS One", True),
        ("Natl Med J India", "National Medical Journal of India", True),
        ("Jthoraccardiovascsurg", "Journal of Thoracic and Cardiovascular Surgery", True),
        ("BMJ", "British Medical Journal", True),
        ("Cancer", "Cancer Research", False),
        ("Journal of Clinical Oncology", "Journal of Clinical Pathology", False),
    ],
)
def test_container_abbreviations(a: str, b: str, same: bool) -> None:
    assert (
        containers_match(prepare({"container-title": a}), prepare({"container-title": b})) is same
    )


def test_conference_series_names() -> None:
    def conf(name: str):
        return prepare({"container-title": name, "type": "paper-conference"})

    assert containers_match(
        conf("Amcis 2017 Proceedings"), conf("Americas Conference on Information Systems")
    )
    assert containers_match(
        conf("ICIS - Thirty First International Conference on Information Systems"),
        conf("International Conference on Information Systems"),
    )
    assert not containers_match(
        conf("International Conference on Information Systems"),
        conf("Proceedings of the 51st Hawaii International Conference on System Sciences"),
    )


def test_shared_issn_is_same_container() -> None:
    a = prepare({"container-title": "Lancet", "ISSN": "0140-6736"})
    b = prepare({"container-title": "The Lancet (London)", "ISSN": "0140-6736"})
    assert containers_match(a, b)


def test_title_numbers() -> None:
    assert title_numbers(tuple("five year follow up".split())) == {5}
    assert title_numbers(tuple("phase i ii trial".split())) == {1, 2}
    assert title_numbers(tuple("integrin alphavbeta3".split())) == {3}


def test_identifiers_and_part_edition() -> None:
    p = prepare(
        {
            "title": "Foo bar. Part II: baz",
            "DOI": "https://doi.org/10.1000/ABC",
            "PMID": "PMID: 123",
            "edition": "2nd ed.",
            "ISSN": "0140-6736, 1474-547X",
        }
    )
    assert (p.doi, p.pmid, p.part, p.edition) == ("10.1000/abc", "123", 2, 2)
    assert p.issns == {"0140-6736", "1474-547X"}
    # superscripts are digits to str.isdigit() but no number
    assert prepare({"title": "Foo. Part ¹", "edition": "² ed."}).edition is None


def test_fold_apostrophes_and_lost_letters() -> None:
    from records.dedup.keys import fold

    assert fold("Schön's don't") == "schons dont"
    assert fold("d'anesthésie l'Académie") == "d anesthesie l academie"  # elisions split
    assert fold("fran?aises") == fold("franaises")  # a letter lost in a charset conversion
    assert fold("Are they useful? Yes") == "are they useful yes"


def test_pages_overlap() -> None:
    def pages(value: str) -> Prepared:
        return prepare({"title": "x", "page": value})

    assert pages_overlap(pages("678-684"), pages("676-682"))
    assert pages_overlap(pages("100-110"), pages("100-108"))
    assert not pages_overlap(pages("100-110"), pages("100-110"))  # equal: no disagreement
    assert not pages_overlap(pages("676-680"), pages("680-684"))  # one boundary page
    assert not pages_overlap(pages("100-200"), pages("150-151"))  # a sliver of a long range
    assert not pages_overlap(pages("12"), pages("12-15"))  # not two ranges
    assert not pages_overlap(pages("e1234"), pages("e1235"))
