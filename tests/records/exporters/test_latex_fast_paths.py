"""The export's fast paths give what the general paths give: title protection of ASCII titles
(only words with a capital matched) and the LaTeX macros of non-ASCII characters (one
``str.translate`` instead of a regex and a call per run of characters)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from records.exporters import latex
from tests.conftest import examples

ascii_titles = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80)


@settings(max_examples=examples(1000), deadline=None)
@given(title=ascii_titles, ascii=st.booleans())
def test_ascii_titles_are_protected_as_every_word_is(title, ascii):
    """Both ASCII fast paths (the words with a capital found by one regex, and titles with
    nothing to escape braced by a template) give what testing every word gives."""
    general = latex._protect_by_words(title, ascii, latex._WORD_RE)
    assert latex.protect_title(title, ascii=ascii) == general
    assert latex._protect_by_words(title, ascii, latex._ASCII_CAPITAL_WORD_RE) == general
    if latex.escape(title, ascii=ascii) is title:
        assert latex._protect_plain_ascii(title) == general


@settings(max_examples=examples(1500), deadline=None)
@given(
    title=st.one_of(
        st.text(max_size=60),
        st.lists(
            st.sampled_from(["Über", "Möglichkeiten", "der", "NMR", "TGF-β", "α", "Ǆemal", "ǅ",
                             "x́Y", "Québec", "_", " ", "﷖", "﷗", "{", "}", "1a"])
        ).map(" ".join),
    ),
    ascii=st.booleans(),
)  # fmt: skip
def test_titles_split_into_words_are_protected_as_every_word_is(title, ascii):
    """The non-ASCII path (words and what lies between them split apart, tested in one list
    comprehension) gives what testing every word with a callback gives."""
    general = latex._protect_by_words(title, ascii, latex._WORD_RE)
    assert latex._protect_by_split(title, ascii) == general


ascii_words = st.lists(
    st.one_of(
        st.from_regex(r"\A[A-Za-z0-9]{1,8}\Z"),
        st.sampled_from([" ", "-", ":", ", ", "'", "(", ")", "/", ".", "?"]),
    ),
    max_size=12,
).map("".join)


@settings(max_examples=examples(1000), deadline=None)
@given(title=ascii_words)
def test_plain_ascii_titles_are_protected_as_every_word_is(title):
    """Titles made of words and punctuation (what the template path mostly sees)."""
    assert latex.protect_title(title) == latex._protect_by_words(title, True, latex._WORD_RE)


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


@settings(max_examples=examples(500), deadline=None)
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


@settings(max_examples=examples(500), deadline=None)
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


@settings(max_examples=examples(500), deadline=None)
@given(value=st.text(alphabet="abc/.:10{}\\ \n%", max_size=20))
def test_verbatim_fast_path_equals_the_translation(value):
    from records.exporters import bibtex

    assert bibtex.verbatim(value) == value.strip().translate(bibtex._VERBATIM_ESCAPES)


def test_a_combining_mark_without_a_letter_before_it_is_kept():
    """A value that starts with a combining mark (nothing for it to sit on) is written, the
    mark kept as it is; escaping it as a base of the next mark recursed without end."""
    assert latex.escape("\u0331x") == "\u0331x"
    assert latex.escape("\u0331\u0301q\u0303") == "\u0331\u0301{\\~{q}}"
    assert latex.protect_title("\u0301x NMR").endswith(" {NMR}")
    assert latex.escape("a\u0331b\u0301c") == "{\\b{a}}{\\'{b}}c"  # as before
