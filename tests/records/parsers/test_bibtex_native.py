"""The native BibTeX accelerator (citerra) gives the records the pure Python path gives:
identical ParseResults on every BibTeX fixture and on the synthetic library, and every piece it
reads split exactly as bibtexparser splits it (fixtures, the splitter's tricky cases, generated
entries). The pure path's half runs without citerra too."""

from __future__ import annotations

import logging
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import iter_library, write_bibtex
from records.errors import InputError
from records.model import ParseResult
from records.parsers import bibtex_native, parse_bytes
from records.parsers.bibtex_blocks import cut_points, fast_entry
from tests.conftest import FIXTURES, examples
from tests.records.parsers.test_bibtex_blocks import _ENTRY, _PLAIN_ENTRY, TEXTS, TRICKY, _whole

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

BIB_FILES = sorted((FIXTURES / "formats").rglob("*.bib"))
needs_citerra = pytest.mark.skipif(
    not bibtex_native.available(), reason="citerra (the 'native' extra) is not installed"
)


def _parse(data: bytes, name: str, native: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    """The ParseResult of ``data`` read as BibTeX with or without the accelerator (or the error
    it raises, as text, for a file that is no BibTeX at all)."""
    monkeypatch.delenv("HARVESTER_NO_NATIVE", raising=False)
    if native:
        monkeypatch.setenv("HARVESTER_NATIVE", "1")
    else:
        monkeypatch.delenv("HARVESTER_NATIVE", raising=False)
    assert bibtex_native.enabled() is (native and bibtex_native.available())
    try:
        return parse_bytes(data, name, "bibtex")
    except InputError as error:
        return f"{type(error).__name__}: {error}"


def _pieces(text: str) -> list[str]:
    cuts = [0, *cut_points(text), len(text)]
    return [text[a:b] for a, b in pairwise(cuts)]


def test_the_switch_chooses_the_reader(monkeypatch):
    monkeypatch.delenv("HARVESTER_NATIVE", raising=False)
    monkeypatch.delenv("HARVESTER_NO_NATIVE", raising=False)
    assert bibtex_native.entry_reader() is fast_entry  # off unless asked for
    monkeypatch.setenv("HARVESTER_NATIVE", "1")
    expected = bibtex_native.accelerated_entry if bibtex_native.available() else fast_entry
    assert bibtex_native.entry_reader() is expected
    monkeypatch.setenv("HARVESTER_NO_NATIVE", "1")  # wins
    assert bibtex_native.entry_reader() is fast_entry


def test_pure_path_reads_the_fixtures(monkeypatch):
    """The fallback alone (what runs without citerra) reads the fixtures' records."""
    records = 0
    for path in BIB_FILES:
        result = _parse(path.read_bytes(), path.name, False, monkeypatch)
        if isinstance(result, ParseResult):
            records += len(result.records)
    assert len(BIB_FILES) > 50 and records > 300


@needs_citerra
@pytest.mark.parametrize("path", BIB_FILES, ids=[p.name for p in BIB_FILES])
def test_fixture_results_are_identical(path, monkeypatch):
    data = path.read_bytes()
    assert _parse(data, path.name, True, monkeypatch) == _parse(data, path.name, False, monkeypatch)


@needs_citerra
def test_synthetic_library_results_are_identical(monkeypatch):
    # Every other entry writes accents as LaTeX macros, as old files do.
    text = "".join(write_bibtex(r.item for r in iter_library(400, seed=17)))
    data = text.encode()
    native = _parse(data, "syn.bib", True, monkeypatch)
    assert isinstance(native, ParseResult) and len(native.records) == 400
    assert native == _parse(data, "syn.bib", False, monkeypatch)
    # ...and the accelerator did read most of it (otherwise this proves nothing).
    accepted = sum(bibtex_native.native_entry(p, 1) is not None for p in _pieces(text))
    assert accepted > 200


@needs_citerra
def test_every_native_answer_on_the_fixtures_is_the_splitters():
    checked = 0
    for _, text in TEXTS:
        for piece in _pieces(text):
            entry = bibtex_native.native_entry(piece, 1)
            if entry is not None:
                assert [entry] == _whole(piece)
                checked += 1
    assert checked > 300


@needs_citerra
@pytest.mark.parametrize("piece", TRICKY)
def test_native_follows_the_splitters_rules(piece):
    found = bibtex_native.native_entry(piece, 1)
    assert found is None or [found] == _whole(piece)


@needs_citerra
@settings(max_examples=examples(400), deadline=None)
@given(st.one_of(_ENTRY, _PLAIN_ENTRY), st.sampled_from(["", "\n", "\n\n  "]))
def test_native_agrees_or_declines(entry, after):
    piece = entry + after
    found = bibtex_native.native_entry(piece, 7)
    if found is not None:
        assert [found._replace(line=1)] == _whole(piece)


@needs_citerra
def test_native_reads_plain_entries():
    piece = '@Article{k1,\n  title = {A {\\"u} b, c},\n  year = 2001,\n  month = jan\n}\n\n'
    entry = bibtex_native.native_entry(piece, 3)
    assert entry is not None
    assert entry.fields == [("title", '{A {\\"u} b, c}'), ("year", "2001"), ("month", "jan")]
    assert (entry.entry_type, entry.key, entry.line) == ("article", "k1", 3)
    assert [entry] == [e._replace(line=3) for e in _whole(piece)]


@needs_citerra
@pytest.mark.parametrize(
    "piece",
    [
        "@article{\u00bfkey, title = {x}}",  # citerra 0.4 panics on a non-ASCII key
        "@article{k, title = {a \\{ b}}",  # a counted brace for citerra, none for the splitter
        '@article{k, title = "a \\" b"}',  # a quote that ends the value for one of them
        "@article{k, title = {x}} trailing",
        "@string{foo = {bar}}",
        "@article(k, title = {x})",
    ],
)
def test_native_declines_where_the_grammars_differ(piece, monkeypatch):
    assert bibtex_native.native_entry(piece, 1) is None
    data = piece.encode()
    assert _parse(data, "x.bib", True, monkeypatch) == _parse(data, "x.bib", False, monkeypatch)


class _Panic(BaseException):
    """What a Rust panic is in Python (pyo3's PanicException derives from BaseException)."""


class _PanickingParser:
    def parse(self, text: str) -> None:
        raise _Panic("end byte index 10 is not a char boundary")


@needs_citerra
def test_a_panic_in_citerra_sends_the_piece_the_python_way(monkeypatch):
    monkeypatch.setattr(bibtex_native, "_parser", _PanickingParser())
    piece = "@article{k1, title = {Plain}, year = 2001}\n"
    assert bibtex_native.native_entry(piece, 1) is None
    assert bibtex_native.accelerated_entry(piece, 1) == fast_entry(piece, 1) is not None
