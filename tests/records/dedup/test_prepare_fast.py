"""The fast forms of prepare's steps against their plain (slow, obviously right) definitions."""

from __future__ import annotations

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from records.dedup.keys import (
    _GREEK,
    _LANGUAGE_WORDS,
    _NOT_A_NAME_RE,
    _family_key,
    _latex_to_text,
    _names,
    fold,
    repair_mojibake,
    title_language,
)
from records.normalize.names import PARTICLES
from records.normalize.text import fold_ascii
from tests.conftest import examples

# Characters fold treats specially, mixed with anything else Unicode has.
_tricky = list("aZs t9_?'’ -.éüßæØłαΩµςΣ\u0301ﬁ½²٣Ⅻ")
_text = st.one_of(
    st.lists(st.sampled_from([*_tricky, "?", "??", "'s", "'t", "don't"]), max_size=16).map("".join),
    st.text(alphabet=st.one_of(st.sampled_from(_tricky), st.characters()), max_size=60),
)

_LOST_LETTER_RE = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])")
_APOSTROPHE_RE = re.compile(r"'(?=[st]\b)")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")


def _fold_reference(text: str) -> str:
    """fold as first written: one regex or translation per step."""
    if not text:
        return ""
    if not text.isascii():
        text = repair_mojibake(text).replace("ı", "i")
    text = _LOST_LETTER_RE.sub("", text)
    if not text.isascii():
        text = fold_ascii(text.translate(_GREEK).replace("’", "'"))
    text = _APOSTROPHE_RE.sub("", text.lower())
    return _NON_ALNUM_RE.sub(" ", text).strip()


@settings(max_examples=examples(600), deadline=None)
@given(_text)
def test_fold_equals_its_definition(text: str) -> None:
    assert fold(text) == _fold_reference(text)


def test_fold_examples() -> None:
    assert fold("fran?aises d'anesthésie, don't") == "franaises d anesthesie dont"
    assert fold("TNF-α and µg? Yes?") == "tnf alpha and mu g yes"
    assert fold("??a?b? 1?2") == "ab 1 2"


def _language_reference(tokens: tuple[str, ...]) -> str | None:
    counts = {lang: sum(t in words for t in tokens) for lang, words in _LANGUAGE_WORDS.items()}
    lang, hits = max(counts.items(), key=lambda kv: kv[1])
    if hits < 2 or sum(1 for c in counts.values() if c == hits) > 1:
        return None
    return lang


_function_words = sorted({w for words in _LANGUAGE_WORDS.values() for w in words})


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.sampled_from([*_function_words, "cancer", "x"]), max_size=12))
def test_title_language_equals_its_definition(tokens: list[str]) -> None:
    assert title_language(tuple(tokens)) == _language_reference(tuple(tokens))


def _split_reference(key: str, given: str) -> str:
    """The other reading of a double surname: the given part's last word, capitalised (not all
    capitals), letters with inner hyphens or apostrophes, two letters at least, joined before
    the family name."""
    words = given.split()
    if len(words) < 2:
        return ""
    last = words[-1]
    letters = last.replace("-", "").replace("'", "").replace("’", "")
    if not (
        len(last) >= 2
        and last[0].isalpha()
        and last[-1].isalpha()
        and letters.isalpha()
        and last[0].isupper()
        and not last.isupper()
    ):
        return ""
    word = _family_key(last)
    return "" if not word or word in PARTICLES else word + key


def _names_reference(
    names: object,
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...]]:
    if not isinstance(names, list):
        return (), (), ()
    authors, given_names, splits = [], [], []
    for name in names:
        if not isinstance(name, dict):
            continue
        family = name.get("family") or name.get("literal") or ""
        if not isinstance(family, str) or not family or not _family_key(family):
            continue
        if _NOT_A_NAME_RE.search(family):  # a year or a web address, not a person
            continue
        words = fold(str(name.get("given") or "")).split()
        authors.append((_family_key(family), "".join(w[0] for w in words if w)))
        given_names.append(words[0] if words and len(words[0]) > 1 else "")
        splits.append(_split_reference(_family_key(family), str(name.get("given") or "")))
    return tuple(authors), tuple(given_names), tuple(splits) if any(splits) else ()


_name = st.dictionaries(
    st.sampled_from(["family", "given", "literal"]),
    st.one_of(_text, st.none(), st.integers(0, 9)),
    max_size=3,
)


@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(st.lists(st.one_of(_name, _text), max_size=4), _text, st.none()))
def test_names_equal_their_definition(names: object) -> None:
    assert _names(names) == _names_reference(names)


# Pieces of titles whose only markup is braces (BibTeX's case protection), with every other
# printable character that is no LaTeX markup.
_plain = [c for c in string.printable if c not in "\\$%&~`'{}-^_#"]
_pieces = [*_plain, "Bayes", "é", "α", "–", "’", "\u00a0", "{", "}", "{B}", "{0, 1}", "e-mail", "don't"]
_braced = st.lists(st.sampled_from(_pieces), max_size=12).map("".join)


@settings(max_examples=examples(500), deadline=None)
@given(_braced)
def test_latex_with_only_braces_loses_its_braces_and_nothing_else(text: str) -> None:
    assert _latex_to_text(text) == text.replace("{", "").replace("}", "")


def test_latex_examples() -> None:
    assert _latex_to_text("{0, 1}-valued {B}ayesian") == "0, 1-valued Bayesian"
    assert _latex_to_text('K{\\"u}chlin -- $\\alpha$') == "Küchlin – α"
    # pylatexenc, the decoder this replaced, read these two wrong ("", "H_2O").
    assert fold(_latex_to_text("\\LaTeX{} and \\TeX")) == "latex and tex"
    assert _latex_to_text("H$_2$O") == "H₂O"
    assert _latex_to_text("stray } brace") == "stray  brace"
