"""The export's fast paths give what the general paths give: title protection of ASCII titles
(only words with a capital matched) and the LaTeX macros of non-ASCII characters (one
``str.translate`` instead of a regex and a call per run of characters)."""

from __future__ import annotations

import re
from contextlib import contextmanager

from hypothesis import given, settings
from hypothesis import strategies as st

from records.exporters import latex

ascii_titles = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80)


@contextmanager
def every_word():
    """The general path: every word matched and tested (what non-ASCII titles get)."""
    fast = latex._ASCII_CAPITAL_WORD_RE
    latex._ASCII_CAPITAL_WORD_RE = latex._WORD_RE
    try:
        yield
    finally:
        latex._ASCII_CAPITAL_WORD_RE = fast


@settings(max_examples=500, deadline=None)
@given(title=ascii_titles)
def test_ascii_titles_are_protected_as_every_word_is(title):
    fast = latex.protect_title(title)
    with every_word():
        general = latex.protect_title(title)
    assert fast == general


def test_known_titles_keep_their_protection():
    assert latex.protect_title("The mRNA of NET and TACE in Poland") == (
        "The {mRNA} of {NET} and {TACE} in {Poland}"
    )
    assert latex.protect_title("iPhone sales: a 2nd look at X1") == (
        "{iPhone} sales: a 2nd look at {X1}"
    )
    assert (
        latex.protect_title("Über Möglichkeiten der NMR")
        == '{\\"U}ber {M{\\"o}glichkeiten} der {NMR}'
    )


def _by_runs(table: dict[int, str | None], pattern: str, text: str) -> str:
    """The earlier way: a regex over runs of characters, each looked up."""
    return re.sub(pattern, lambda m: "".join(table.get(ord(c), c) or "" for c in m.group()), text)


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=60))
def test_non_ascii_macros_by_translate_equal_the_runs(text):
    assert text.translate(latex._ASCII_NON_ASCII) == _by_runs(
        latex.ASCII_TABLE, "[^\x00-\x7f]+", text
    )
    not_pdflatex = (
        "[^\x00-\x7f\xa0-\u017f\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2026\u2039"
        "\u203a\u20ac]+"
    )
    assert text.translate(latex._UTF8_NON_ASCII) == _by_runs(latex.UTF8_TABLE, not_pdflatex, text)


@settings(max_examples=500, deadline=None)
@given(
    page=st.one_of(
        st.from_regex(r"\A[0-9]{1,5}(-[0-9]{1,5})?\Z"),
        st.text(alphabet="0123456789-–— ,e\\{}١", max_size=12),
    )
)
def test_pages_fast_path_equals_the_split(page):
    from records.exporters import bibtex

    general = "--".join(latex.escape(p) for p in bibtex._RANGE_RE.split(page.strip()) if p)
    assert bibtex._pages(page, True) == general


@settings(max_examples=500, deadline=None)
@given(value=st.text(alphabet="abc/.:10{}\\ \n%", max_size=20))
def test_verbatim_fast_path_equals_the_translation(value):
    from records.exporters import bibtex

    assert bibtex.verbatim(value) == value.strip().translate(bibtex._VERBATIM_ESCAPES)
