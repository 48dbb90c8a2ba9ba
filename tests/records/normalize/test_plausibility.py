"""The plausibility check: each field's value must look like what the field holds."""

from __future__ import annotations

import re

import pytest

from records.model import Record, SourceRef
from records.normalize import plausibility
from records.normalize.plausibility import Checker, doi_doubt, is_placeholder
from records.parsers.citation_line import parse_container_line

CHECK = Checker(this_year=2026)


def _record(**csl: object) -> Record:
    return Record(csl=dict(csl), source=SourceRef("test", "t.txt"), raw="")


def test_names_of_prose_are_refused_on_pages_only() -> None:
    names = [
        {"family": "Diaz-Bone", "given": "R."},
        {"family": "classifications", "given": "Here"},
        {"family": "van der Berg", "given": "Jan"},
        {"family": "results", "given": "The study shows that the. Many"},
        {"literal": "European Society of Radiology (ESR)"},
    ]
    page = _record(author=[dict(n) for n in names])
    doubts = CHECK.check(page, page=True)
    assert [d[1] for d in doubts] == [
        "classifications, Here",
        "results, The study shows that the. Many",
    ]
    assert [n.get("family", n.get("literal")) for n in page.csl["author"]] == [
        "Diaz-Bone",
        "van der Berg",
        "European Society of Radiology (ESR)",
    ]
    # an export writes names as its database holds them: lower case is no doubt there
    export = _record(author=[{"family": "smith", "given": "john"}])
    assert CHECK.check(export) == []


@pytest.mark.parametrize(
    "title",
    ["Permanenter Link", "Full description", "Book Bag: 0 items (Full)", "University Library Search",
     "Library Catalog", "Suchportal", "Home › Search: liver"],
)
def test_ui_labels_and_site_names_are_no_page_title(title: str) -> None:
    record = _record(title=title)
    assert CHECK.check(record, page=True)[0][0] == "title"
    assert "title" not in record.csl


@pytest.mark.parametrize("title", ["Language", "Print", "Library catalogs in the digital age"])
def test_a_title_that_looks_like_a_label_is_kept_in_exports(title: str) -> None:
    assert CHECK.check(_record(title=title)) == []


def test_navigation_is_no_abstract_and_a_year_must_be_in_range() -> None:
    record = _record(
        abstract="Display options Full text links Cite Similar articles Cited by",
        issued={"date-parts": [[3020]]},
    )
    reasons = dict((d[0], d[2]) for d in CHECK.check(record))
    assert reasons["abstract"] == "page navigation, not an abstract"
    assert reasons["issued"].startswith("year out of range")
    assert CHECK.check(_record(issued={"date-parts": [[2027]]})) == []  # ahead of print


def test_pages_and_volumes_have_their_shapes() -> None:
    good = _record(page="e0213978", volume="15_suppl", issue="Suppl 2")
    assert CHECK.check(good) == []
    odd_but_real = ["100-", "M-1-M-4", "I-II-III-IV", "xii, 1-20", "S12-S19"]
    assert all(CHECK.check(_record(page=p)) == [] for p in odd_but_real)
    bad = _record(page="575-581 Springer Nature Heidelberg", volume="Radiologe Vol. 64; no. 7 (2024) x")
    assert {d[0] for d in CHECK.check(bad)} == {"page", "volume"}


def test_dois_must_be_whole() -> None:
    assert doi_doubt("10.1002/(SICI)1521-3773(20000103)39:1<165::AID-ANIE165>3.0.CO;2-B") is None
    assert doi_doubt("10.1002/(SICI)1521-3773(20000103)39:1") is not None
    assert doi_doubt("10.1016/0-(88") is not None
    assert doi_doubt("10.1016/0-(88)x") is None
    assert doi_doubt("10.1007/s00117-024-01314-z") is None


@pytest.mark.parametrize("value", ["NA", "N/A", "n/a", "-", "[s.n.]", "s.n.", "Unknown", "[S.l.]"])
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)
    record = _record(publisher=value, volume="0", title="A title")
    assert CHECK.check(record) == []  # dropped without a doubt: the source said "none"
    assert record.csl == {"title": "A title"}


@pytest.mark.parametrize("value", ["Nature", "NASA", "Na", "0-7", "Unknown Pleasures"])
def test_values_that_are_no_placeholders(value: str) -> None:
    assert not is_placeholder(value)


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        (
            "Angewandte Chemie International Edition Vol. 39, no. 1 (2000), pp. 165-168",
            ("Angewandte Chemie International Edition", "39", "1", "165-168", "2000"),
        ),
        ("Science advances Jg. 8; H. 1; S. eabj8030", ("Science advances", "8", "1", "eabj8030", None)),
        ("Der Radiologe Bd. 59; Heft 8; S. 712-719", ("Der Radiologe", "59", "8", "712-719", None)),
        ("Journal de Radiologie vol. 85, n° 4, p. 459-465", ("Journal de Radiologie", "85", "4", "459-465", None)),
        (
            "Zeitschrift für Kristallographie - New Crystal Structures Vol. 235; no. 4; pp. 789 - 791",
            ("Zeitschrift für Kristallographie - New Crystal Structures", "235", "4", "789-791", None),
        ),
        ("Science advances, 2022, Vol.8(1), p.eabj8030", ("Science advances", "8", "1", "eabj8030", "2022")),
        ("Cancer Syndromes, 2009", ("Cancer Syndromes", None, None, None, "2009")),
        ("Radiologe Vol. 64; nro 7; s. 575 - 581", ("Radiologe", "64", "7", "575-581", None)),
    ],
)
def test_container_lines_in_other_shapes(line: str, parts: tuple) -> None:
    got = parse_container_line(line)
    assert tuple(got.get(k) for k in ("container-title", "volume", "issue", "page", "year")) == parts


# The alternatives of the navigation expression that are not plain text, with what they match.
_NAVIGATION_SHAPES = {
    r"format:\s*abstract": ["format:abstract", "format: abstract", "format:\n\tabstract"],
    "skip to (?:main )?content": ["skip to content", "skip to main content"],
    "log ?in": ["login", "log in"],
}


def test_every_navigation_phrase_holds_a_text_the_quick_test_looks_for() -> None:
    """An abstract is only scanned with the navigation expression when it holds one of
    ``_NAVIGATION_TEXTS``: every string an alternative matches must hold one, or a navigation
    page would pass as an abstract."""
    pattern = plausibility._NAVIGATION.pattern
    assert pattern.startswith(r"\b(?:") and pattern.endswith(r")\b")
    alternatives = pattern[len(r"\b(?:") : -len(r")\b")].split("|")
    assert len(alternatives) > 30
    for alternative in alternatives:
        if not re.search(r"[\\()?*+.\[\]{}^$]", alternative):  # plain text: matches itself
            matches = [alternative]
        else:
            assert alternative in _NAVIGATION_SHAPES, f"list what {alternative!r} matches"
            matches = _NAVIGATION_SHAPES[alternative]
        for text in matches:
            assert re.fullmatch(alternative, text)
            assert any(part in text for part in plausibility._NAVIGATION_TEXTS), text
    # and so the check finds what the expression alone found
    abstract = "Format: Abstract Send to Log in. Results: we measured it."
    reasons = [d[2] for d in CHECK.check(_record(abstract=abstract))]
    assert reasons == ["page navigation, not an abstract"]


def test_a_name_gets_the_same_verdict_every_time_and_whatever_its_values() -> None:
    """Verdicts on names are cached (the same authors recur): a name's verdict is the same the
    second time, a name with values that are no strings is still checked, and 1 and 1.0 or True
    (written differently) are not taken for each other."""
    prose = {"family": "results", "given": "The study shows that the. Many"}
    for _ in range(2):
        assert CHECK.name_doubt(dict(prose)) == "not a name"
        assert CHECK.name_doubt({"family": "Smith", "given": "J."}) is None
    assert CHECK.name_doubt({"family": ["Smith"], "given": "J."}) is None  # a list: uncached
    # 1 == True and hash alike, but are written "1" (a digit: no name) and "True"
    assert CHECK.name_doubt({"family": "Smith", "given": 1}) == "not a name"
    assert CHECK.name_doubt({"family": "Smith", "given": True}) is None
    assert CHECK.name_doubt({"family": "Smith", "given": 1}) == "not a name"
    assert CHECK.name_doubt({"literal": "NA"}) == ""  # a placeholder
    assert CHECK.name_doubt({"family": "classifications", "given": "Here"}, page=True) == (
        "not a name"
    )
    assert CHECK.name_doubt({"family": "classifications", "given": "Here"}) is None
