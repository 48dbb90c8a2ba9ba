"""The BibTeX/BibLaTeX entry fast path (``bibtex._entry_text``: the field mapping inlined,
lines written at once) gives byte for byte what the general path gives
(``_entry_text_general``: ``_raw_fields``' tuples, then written), for every flavour, with
and without abstracts, on the test records and on generated CSL items with odd values
(numbers, empty strings, lists where text is expected, two-part dates, literal dates)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from records.errors import UsageError
from records.exporters import bibtex
from tests.conftest import examples
from tests.records.exporters.samples import EXTRA, seeds

FLAVOURS = ("bibtex", "biblatex")

TYPES = [
    "article-journal", "article-magazine", "article-newspaper", "book", "pamphlet", "chapter",
    "entry-encyclopedia", "entry-dictionary", "paper-conference", "thesis", "report", "speech",
    "manuscript", "dataset", "webpage", "post-weblog", "article", "patent", "software",
    "periodical", "review", "legal_case", "standard", "motion_picture", "", None, 3,
]  # fmt: skip

TEXT_KEYS = [
    "container-title", "container-title-short", "event-title", "collection-title", "edition",
    "volume", "number-of-volumes", "number", "issue", "collection-number", "page", "publisher",
    "publisher-place", "genre", "event-place", "DOI", "URL", "ISBN", "ISSN", "PMID", "PMCID",
    "language", "keyword", "note", "abstract", "title", "title-short",
]  # fmt: skip

texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "Annals of X & Y", "Über Möglichkeiten der NMR", "12-19", "978-3, 123-4",
         "10.1/a b{c}", "master's thesis", "de-DE", "en", "The mRNA of NET", "e1--e5"]
    ),
)  # fmt: skip
values = st.one_of(texts, st.integers(-5, 3000), st.just(0), st.booleans(), st.just([]))
name = st.one_of(
    st.fixed_dictionaries({"family": texts, "given": texts}),
    st.fixed_dictionaries(
        {"family": texts},
        optional={
            "given": texts,
            "suffix": texts,
            "non-dropping-particle": st.sampled_from(["van", "de", ""]),
            "dropping-particle": st.sampled_from(["von", ""]),
            "literal": st.sampled_from(["et al.", "World Health Organization", "others"]),
        },
    ),
    st.fixed_dictionaries({"literal": texts}),
)
names = st.lists(name, max_size=4)
date_part = st.lists(st.one_of(st.integers(-50, 2100), st.just(""), st.none()), max_size=3)
date = st.one_of(
    st.fixed_dictionaries({"date-parts": st.lists(date_part, max_size=3)}),
    st.fixed_dictionaries({"literal": texts}),
    st.fixed_dictionaries({"raw": st.sampled_from(["Spring 1999", "c. 12", ""])}),
    texts,
)


@st.composite
def csl_items(draw: Any) -> dict[str, Any]:
    item: dict[str, Any] = {}
    kind = draw(st.sampled_from(TYPES))
    if kind is not None:
        item["type"] = kind
    for key in draw(st.lists(st.sampled_from(TEXT_KEYS), max_size=12, unique=True)):
        item[key] = draw(st.one_of(values, st.none()) if key != "page" else texts)
    for key in draw(
        st.lists(
            st.sampled_from(["author", "editor", "translator", "container-author"]),
            max_size=3,
            unique=True,
        )
    ):
        item[key] = draw(names)
    for key in draw(st.lists(st.sampled_from(["issued", "accessed"]), max_size=2, unique=True)):
        item[key] = draw(date)
    return item


def _both(key: str, csl: dict[str, Any], flavour: Any, abstract: bool) -> None:
    assert bibtex._entry_text(key, csl, flavour, abstract) == bibtex._entry_text_general(
        key, csl, flavour, abstract
    )


@settings(max_examples=examples(1500), deadline=None)
@given(csl=csl_items(), flavour=st.sampled_from(FLAVOURS), abstract=st.booleans())
def test_generated_items_are_written_as_the_general_path_writes_them(csl, flavour, abstract):
    _both("key2024x", csl, flavour, abstract)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("abstract", [False, True])
def test_test_records_are_written_as_the_general_path_writes_them(flavour, abstract):
    for key, csl in [*seeds(), *EXTRA]:
        _both(key, csl, flavour, abstract)


def test_typical_article_entry():
    csl = {
        "type": "article-journal",
        "title": "The mRNA of NET in Poland",
        "author": [{"family": "Smith", "given": "Ann"}],
        "container-title": "Annals of X & Y",
        "issued": {"date-parts": [[2017, 7]]},
        "volume": "18",
        "page": "459-471",
        "publisher": "Springer",
        "DOI": "10.1007/x",
        "PMID": "123",
    }
    assert bibtex._entry_text("smith2017", csl, "bibtex", False) == (
        "@article{smith2017,\n  author = {Smith, Ann},\n"
        "  title = {The {mRNA} of {NET} in {Poland}},\n  journal = {Annals of X \\& Y},\n"
        "  volume = {18},\n  pages = {459--471},\n  year = {2017},\n  month = jul,\n"
        "  doi = {10.1007/x},\n  pmid = {123}\n}\n"
    )


@pytest.mark.parametrize("key", ["", "a b", "mü2020", "x{y}", "a,b"])
def test_unsafe_keys_are_refused_as_before(key):
    for render in (bibtex._entry_text, bibtex._entry_text_general):
        with pytest.raises(UsageError):
            render(key, {"title": "x"}, "bibtex", False)


def test_names_of_equal_but_different_values_are_not_mixed_up():
    """The names cache keeps strings alone: 1 and True are equal keys, not equal names."""
    assert bibtex.format_names([{"family": 1, "given": "A"}]) == "1, A"
    assert bibtex.format_names([{"family": True, "given": "A"}]) == "True, A"
    assert bibtex.format_names([{"family": "Smith", "given": "A"}] * 2) == "Smith, A and Smith, A"


def test_a_container_is_written_for_each_entry_type_as_its_field_needs():
    """Container titles are cached per mode and field kind: a journal's name escaped, a book
    title of a chapter also protected, BibLaTeX's in UTF-8."""
    container = "Proceedings of NMR & Über"
    article = {"type": "article-journal", "container-title": container}
    chapter = {"type": "chapter", "container-title": container}
    for _ in range(2):  # the second time from the cache
        assert "  journal = {Proceedings of NMR \\& {\\\"U}ber}" in bibtex._entry_text(
            "a", article, "bibtex", False
        )
        assert "  booktitle = {Proceedings of {NMR} \\& {{\\\"U}ber}}" in bibtex._entry_text(
            "a", chapter, "bibtex", False
        )
        assert "  journaltitle = {Proceedings of NMR \\& Über}" in bibtex._entry_text(
            "a", article, "biblatex", False
        )
        for csl in (article, chapter):
            for flavour in FLAVOURS:
                _both("a", csl, flavour, False)
