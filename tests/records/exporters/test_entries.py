"""One entry per work plus a frame gives exactly the bytes of the streaming writers."""

from __future__ import annotations

import pytest

from bench.synthetic import iter_library
from records.exporters.bibtex import iter_bibtex
from records.exporters.csl_json import iter_csl_json
from records.exporters.entries import ENTRY_FORMATS, frame, render_entry
from records.exporters.ris import iter_ris
from tests.records.exporters.samples import EXTRA, seeds

STREAMING = {
    "bibtex": lambda items: iter_bibtex(items, flavour="bibtex"),
    "biblatex": lambda items: iter_bibtex(items, flavour="biblatex"),
    "csl-json": iter_csl_json,
    "ris": iter_ris,
}


def _items() -> list[tuple[str, dict]]:
    synthetic = [(f"work{i}", r.item) for i, r in enumerate(iter_library(300, seed=7))]
    return [*seeds(), *EXTRA, *synthetic]


@pytest.mark.parametrize("fmt", ENTRY_FORMATS)
@pytest.mark.parametrize("count", [0, 1, 2, None])
def test_framed_entries_are_the_streamed_file(fmt, count):
    items = _items()[:count]
    entries = [render_entry(fmt, key, csl) for key, csl in items]
    assert "".join(frame(fmt, entries)) == "".join(STREAMING[fmt](items))


def test_an_entry_depends_on_its_own_work_only():
    items = _items()[:50]
    alone = render_entry("bibtex", *items[10])
    framed = "".join(frame("bibtex", [render_entry("bibtex", k, c) for k, c in items]))
    assert alone in framed


def test_formatted_bibliographies_have_no_entries_of_their_own():
    with pytest.raises(ValueError):
        render_entry("text", "a", {"type": "book", "title": "T"})  # type: ignore[arg-type]


@pytest.mark.parametrize("flavour", ["bibtex", "biblatex"])
def test_the_direct_bibtex_writer_is_bibtexparsers_byte_for_byte(flavour):
    from records.exporters.bibtex import _write, _write_with_bibtexparser, to_entry

    entries = [to_entry(key, csl, flavour=flavour) for key, csl in _items()]
    entries.append(to_entry("empty", {"type": "book"}, flavour=flavour))
    assert _write(entries) == _write_with_bibtexparser(entries)


@pytest.mark.parametrize("flavour", ["bibtex", "biblatex"])
def test_the_streaming_writer_is_the_entry_writer_byte_for_byte(flavour):
    """iter_bibtex writes its entries without bibtexparser objects: the same bytes as the
    bibtexparser entries written by _write (itself checked against bibtexparser above)."""
    from records.exporters.bibtex import _write, to_entry

    items = [*_items(), ("empty", {"type": "book"})]
    for abstract in (False, True):
        entries = [to_entry(key, csl, flavour=flavour, abstract=abstract) for key, csl in items]
        streamed = "".join(iter_bibtex(items, flavour=flavour, abstract=abstract, chunk=7))
        assert streamed == _write(entries)
