"""The piecewise BibTeX splitting and its fast path give exactly what bibtexparser gives for the
whole text: the fixtures of three projects and generated texts full of the splitter's corner
cases (escaped braces, quotes, unclosed entries, ``@`` inside values, comments, ``@string``)."""

from __future__ import annotations

import logging
from itertools import pairwise

import pytest
from bibtexparser.splitter import Splitter
from hypothesis import given, settings
from hypothesis import strategies as st

from records.decoding import decode
from records.errors import InputError
from records.parsers.bibtex_blocks import (
    MAX_DEPTH,
    RawEntry,
    converted,
    cut_points,
    fast_entry,
    read_blocks,
)
from tests.conftest import FIXTURES, examples

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

BIB_FILES = sorted((FIXTURES / "formats").rglob("*.bib"))


def _texts() -> list[tuple[str, str]]:
    texts = []
    for path in BIB_FILES:
        try:
            texts.append((path.name, decode(path.read_bytes(), path.name)))
        except InputError:
            continue
    return texts


TEXTS = _texts()


def _whole(text: str) -> list:
    """What bibtexparser gives for the whole text, in the same shape."""
    return list(converted(Splitter(text).split().blocks, 0))


def _pieces(text: str) -> list[str]:
    cuts = [0, *cut_points(text), len(text)]
    return [text[a:b] for a, b in pairwise(cuts)]


def test_there_are_fixtures_of_both_kinds():
    pieces = [p for _, text in TEXTS for p in _pieces(text)]
    fast = sum(1 for p in pieces if fast_entry(p, 1) is not None)
    assert len(BIB_FILES) > 50
    assert fast > 100 and len(pieces) - fast > 100  # both paths are exercised below


@pytest.mark.parametrize("name,text", TEXTS, ids=[name for name, _ in TEXTS])
def test_fixture_files_split_as_a_whole(name, text):
    assert list(read_blocks(text)) == _whole(text)


def test_every_fast_answer_is_the_splitters():
    checked = 0
    for _, text in TEXTS:
        for piece in _pieces(text):
            entry = fast_entry(piece, 1)
            if entry is not None:
                assert [entry] == _whole(piece)
                checked += 1
    assert checked > 100


# Generated texts: entries built from pieces that trip the splitter, joined by what people put
# between entries. Lines start with "@" often, so that cuts fall everywhere.
_VALUE_BITS = st.sampled_from(
    [
        "word",
        " ",
        "\n",
        "\n  ",
        ",",
        "=",
        '"',
        "{",
        "}",
        "\\",
        '\\"',
        "\\{",
        "\\}",
        "\\\\",
        "{\\'e}",
        "{{x}}",
        "@",
        "a@b",
        "@x{",
        "\n@misc{",
        "#",
        "(",
        ")",
        "\\\n",
        '{"}',
        '{"}"',
        '\\"',
        '""',
    ]
)
_VALUES = st.one_of(
    st.lists(_VALUE_BITS, max_size=8).map(lambda bits: "{" + "".join(bits) + "}"),
    st.lists(_VALUE_BITS, max_size=6).map(lambda bits: '"' + "".join(bits) + '"'),
    st.sampled_from(["2024", "jul", "macro # {x}", "", "{" * (MAX_DEPTH + 2) + "x"]),
    st.lists(_VALUE_BITS, max_size=5).map("".join),
)
_FIELD = st.tuples(st.sampled_from(["title", "author", " year ", "Note", "", "a b"]), _VALUES).map(
    lambda kv: f"  {kv[0]} = {kv[1]}"
)
_ENTRY = st.builds(
    lambda kind, key, fields, sep, end: f"@{kind}{{{key},\n" + sep.join(fields) + end,
    st.sampled_from(["article", "Book", "misc ", "string", "comment", "preamble", ""]),
    st.sampled_from(["key1", " key2 ", "k,ey", "", "a\nb"]),
    st.lists(_FIELD, max_size=4),
    st.sampled_from([",\n", ",", "\n"]),
    st.sampled_from(["\n}", ",\n}", "}", "", "\n", ")"]),
)
# Entries of the shape the fast path reads, with the escapes that make it tricky, so that
# generated texts exercise the fast path as much as the fallback.
_PLAIN_BITS = st.sampled_from(
    ["word", " ", "\n  ", ",", "=", "{\\'e}", "{{x}}", "a@b", "\\{", "\\}", "#", "(", ")"]
)
_PLAIN_VALUES = st.one_of(
    st.lists(_PLAIN_BITS, max_size=6).map(lambda bits: "{" + "".join(bits) + "}"),
    st.lists(st.one_of(_PLAIN_BITS, st.sampled_from(['{"}', '\\"', "{", "}"])), max_size=6).map(
        lambda bits: '"' + "".join(bits) + '"'
    ),
    st.sampled_from(["2024", "jul", 'jan # "-" # feb']),
)
_PLAIN_ENTRY = st.builds(
    lambda kind, key, fields, end: f"@{kind}{{{key},\n" + ",\n".join(fields) + end,
    st.sampled_from(["article", "Book", "inproceedings"]),
    st.sampled_from(["key1", " key2 "]),
    st.lists(
        st.tuples(st.sampled_from(["title", "author", "Year"]), _PLAIN_VALUES).map(
            lambda kv: f"  {kv[0]} = {kv[1]}"
        ),
        max_size=4,
    ),
    st.sampled_from(["\n}", ",\n}"]),
)
_BETWEEN = st.sampled_from(["\n\n", "\n", " ", "% comment\n", "text @misc{x, a={b}}\n", "\n  "])


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.tuples(_BETWEEN, st.one_of(_ENTRY, _PLAIN_ENTRY)), max_size=6))
def test_generated_texts_split_as_a_whole(parts):
    text = "".join(between + entry for between, entry in parts)
    assert list(read_blocks(text)) == _whole(text)


@settings(max_examples=examples(400), deadline=None)
@given(st.one_of(_ENTRY, _PLAIN_ENTRY), st.sampled_from(["", "\n", "\n\n  "]))
def test_fast_path_agrees_or_declines(entry, after):
    piece = entry + after
    found = fast_entry(piece, 7)
    if found is not None:
        whole = _whole(piece)
        assert [found._replace(line=1)] == whole


# The splitter's own rules, one at a time: a brace after a backslash is no mark, also after a
# doubled backslash; a quote inside braces is text; a newline after a backslash is not counted.
TRICKY = [
    r"@x{k, t = {a\\{b}}}",
    r"@x{k, t = {a\{b}}",
    r"@x{k, t = {a\}b}}",
    "@x{k, t = {a\\\nb}}",
    r"@x{k, t = {a\\}, u = {c}}",
    '@x{k, t = {say "hi", ok}}',
    "@x{k, t = {a}\n  # {b}}",
    "@x{k, t = 12 # jul}",
    "@x{k, t = {a}} trailing",
    "@x{k,\n title\n = {a}\n,\n}",
    "@x{k, t = {a}, t = {b}}",
    '@x{k, t = "a {"} b", u = "c"}',
    '@x{k, t = "a {"}"}',
    '@x{k, t = "a \\" b"}',
    '@x{k, t = "a \\\\" b"}',
    '@x{k, t = "{a" # "b}"}',
    '@x{k, t = "a" "b"}',
]


@pytest.mark.parametrize("piece", TRICKY)
def test_fast_path_follows_the_splitters_rules(piece):
    found = fast_entry(piece, 1)
    assert found is None or [found] == _whole(piece)


def test_fast_path_reads_plain_entries():
    piece = "@Article{ k1 ,\n  title = {A {B} \\{c},\n  year = 2024,\n  note={x@y.org}}\n\n"
    entry = fast_entry(piece, 3)
    assert entry == RawEntry(
        "article",
        "k1",
        [("title", "{A {B} \\{c}"), ("year", "2024"), ("note", "{x@y.org}")],
        piece.strip(),
        3,
    )
    quoted = '@article{k, title = "A {"} \\" {b" # {c}, year = 2024}'
    assert fast_entry(quoted, 1) == RawEntry(
        "article", "k", [("title", '"A {"} \\" {b" # {c}'), ("year", "2024")], quoted, 1
    )
    # A block mark inside a value, or a backslash outside braces and quotes, is left to
    # bibtexparser.
    assert fast_entry("@article{k, title = {see @misc{x}}}", 1) is None
    assert fast_entry('@article{k, title = Sch\\"on}', 1) is None


# Shapes the fast path must read itself (and, as everywhere, as the splitter does).
FAST = [
    '@x{k, t = "a \\\\" b", u = "c"}',
    '@x{k, t = "a {"}',
    '@x{k, t = "a {"} b"}',
    "@x{k, t = {a \\\\{ b}}",
    "@x{k, t = {a \\} b}}",
    '@x{k, t = {"}, u = "}"}',
]


@pytest.mark.parametrize("piece", FAST)
def test_fast_path_reads_the_splitters_escapes(piece):
    found = fast_entry(piece, 1)
    assert found is not None
    assert [found] == _whole(piece)
