"""iter_parse: the same records and failures as parse_bytes, in bounded batches, in input order.

Every fixture and seed file of every format is read both ways; BibTeX texts put batch
boundaries between @string definitions and their uses and between crossref children and their
parents; failures keep their record numbers and lines across batches; memory follows the batch.
"""

from __future__ import annotations

import logging
import tracemalloc
from pathlib import Path

import pytest

from bench.synthetic import iter_library, write_bibtex, write_csl_json, write_medline, write_ris
from records.decoding import decode
from records.errors import InputError
from records.model import Failure, ParseResult, Record
from records.parsers import detect, iter_parse, iter_parse_text, parse_bytes, parse_text
from records.parsers.base import StreamingParser
from tests.conftest import FIXTURES, SEEDS

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


def _files() -> list[Path]:
    paths = [p for p in sorted(FIXTURES.rglob("*")) if p.is_file()]
    paths += [p for p in sorted(SEEDS.glob("*")) if p.is_file()]
    return [p for p in paths if p.stat().st_size < 2_000_000]


def _view(records: list[Record], failures: list[Failure]) -> tuple[list, list]:
    """Everything a caller sees of a result."""
    return (
        [(r.to_csl_json(), r.raw, r.source) for r in records],
        [(f.origin, f.reason, f.record, f.line) for f in failures],
    )


def _merged(batches) -> ParseResult:
    merged = ParseResult()
    for batch in batches:
        merged.extend(batch)
    return merged


# One test per fixture (xdist spreads them; a single test reading all of them was the suite's
# longest pole); the counts check that the glob still finds what it should.
_READABLE = _files()


def test_the_fixtures_are_many_and_half_stream():
    readable = streamed = 0
    for path in _READABLE:
        data = path.read_bytes()
        try:
            parser = detect(decode(data, path.name), path.name)
        except InputError:
            continue
        readable += 1
        streamed += isinstance(parser, StreamingParser)
    assert readable > 300 and streamed > 150


@pytest.mark.parametrize("path", _READABLE, ids=lambda p: p.name)
def test_every_fixture_reads_the_same_in_batches(path):
    data = path.read_bytes()
    try:
        whole = parse_bytes(data, path.name)
    except InputError:
        return
    streaming = isinstance(detect(decode(data, path.name), path.name), StreamingParser)
    for size in (1, 3):
        batches = list(iter_parse(data, path.name, batch=size))
        assert all(b.records or b.failures for b in batches), path
        if streaming:
            assert all(len(b.records) + len(b.failures) <= size for b in batches), path
        merged = _merged(batches)
        assert _view(merged.records, merged.failures) == _view(whole.records, whole.failures), (
            path,
            size,
        )


def _positions(batches: list[ParseResult]) -> list[int]:
    out = []
    for batch in batches:
        items = [(r.source.position, r) for r in batch.records]
        items += [(f.record, f) for f in batch.failures if f.record is not None]
        out += sorted(p for p, _ in items)
    return out


# -- BibTeX: what needs the whole file ------------------------------------------------------

BIB = r"""@article{early,
  title = {Uses a macro defined below},
  journal = jn,
  year = 2020,
}

@inproceedings{child1,
  title = {A paper before its proceedings},
  crossref = {proc},
  pages = {1--10},
}

@article{broken,
  title = {An entry that is never closed},

@string{jn = "Journal of Macros"}
@string{jn = "ignored: bibtexparser reads the first of a repeated key"}

@book{series,
  title = {The Series},
  publisher = {Series Press},
}

@proceedings{proc,
  title = {Proceedings of the Meeting},
  crossref = {series},
  year = 2021,
}

@inproceedings{child2,
  title = {A paper after its proceedings},
  crossref = {PROC},
}

@article{late,
  title = {Also uses the macro},
  journal = jn # " (Online)",
}
"""


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 100])
def test_bibtex_context_across_batches(size):
    batches = list(iter_parse_text(BIB, "t.bib", batch=size))
    merged = _merged(batches)
    whole = parse_text(BIB, "t.bib")
    assert _view(merged.records, merged.failures) == _view(whole.records, whole.failures)
    by_id = {r.source.id: r.csl for r in merged.records}
    # The macro is defined after its first use, in another batch for small sizes.
    assert by_id["early"]["container-title"] == "Journal of Macros"
    assert by_id["late"]["container-title"] == "Journal of Macros (Online)"
    # Children before and after their parent inherit from it and, through it, from its parent.
    for child in ("child1", "child2"):
        assert by_id[child]["container-title"] == "Proceedings of the Meeting"
        assert by_id[child]["issued"] == {"date-parts": [[2021]]}
        assert by_id[child]["publisher"] == "Series Press"
    # The unclosed entry is one failure, at its own line and position; the others go on.
    lines = BIB.splitlines()
    (failure,) = merged.failures
    assert lines[failure.line - 1].startswith("@article{broken")
    assert failure.record == 3
    assert [r.source.id for r in merged.records] == [
        "early",
        "child1",
        "series",
        "proc",
        "child2",
        "late",
    ]
    for record in merged.records:
        assert lines[record.source.line - 1].endswith(f"{{{record.source.id},")
    assert _positions(batches) == list(range(1, 8))


def test_bibtex_crossref_parent_is_read_once_per_batch_size():
    # A parent cited by many children before it: every child inherits, whatever the batches.
    children = "".join(
        f"@inproceedings{{c{i},\n  title = {{Paper {i}}},\n  crossref = {{p}},\n}}\n\n"
        for i in range(25)
    )
    text = children + "@proceedings{p,\n  title = {The Proceedings},\n  year = 1999,\n}\n"
    for size in (1, 7, 1000):
        merged = _merged(iter_parse_text(text, "c.bib", batch=size))
        assert len(merged.records) == 26
        assert all(
            r.csl.get("container-title") == "The Proceedings"
            for r in merged.records
            if r.source.id != "p"
        )


# -- failures keep their place ---------------------------------------------------------------

RIS = """TY  - JOUR
TI  - First
ER  -

TY  - JOUR
ER  -

TY  - JOUR
TI  - Third
ER  -

TY  - JOUR
ER  -

TY  - BOOK
TI  - Fifth
ER  -
"""

MEDLINE = """PMID- 1
TI  - First

XX  - no PMID, title, author or journal

PMID- 3
TI  - Third

XX  - again nothing

PMID- 5
TI  - Fifth
"""

CSL_JSON = """[
{"id": "a", "title": "First"},
"a string",
{"id": "c", "title": "Third"},
42,
{"id": "e", "title": "Fifth"},
{"id": "f", "title": "cut off"
"""


@pytest.mark.parametrize(
    "text,fmt,bad",
    [
        (RIS, "ris", [2, 4]),
        (MEDLINE, "medline", [2, 4]),
        (CSL_JSON, "csl-json", [2, 4, 6]),
        (BIB, "bibtex", [3]),
    ],
)
@pytest.mark.parametrize("size", [1, 2, 3])
def test_failures_keep_record_and_line_across_batches(text, fmt, bad, size):
    batches = list(iter_parse_text(text, "f", fmt, batch=size))
    merged = _merged(batches)
    assert [f.record for f in merged.failures] == bad
    lines = text.splitlines()
    starts = _record_starts(lines, fmt)
    for failure in merged.failures:
        if failure.reason.startswith("invalid JSON"):  # where the JSON stops being readable
            assert failure.line >= starts[failure.record - 1]
        else:
            assert failure.line == starts[failure.record - 1]
    for record in merged.records:
        assert record.source.line == starts[record.source.position - 1]
    whole = parse_text(text, "f", fmt)
    assert _view(merged.records, merged.failures) == _view(whole.records, whole.failures)


def _record_starts(lines: list[str], fmt: str) -> list[int]:
    """1-based lines where the records of the texts above start, found the obvious way."""
    if fmt == "ris":
        return [i for i, line in enumerate(lines, 1) if line.startswith("TY  -")]
    if fmt == "medline":
        return [
            i
            for i, line in enumerate(lines, 1)
            if line.strip() and (i == 1 or not lines[i - 2].strip())
        ]
    if fmt == "csl-json":
        return [i for i, line in enumerate(lines, 1) if line not in ("[", "")]
    return [
        i
        for i, line in enumerate(lines, 1)
        if line.startswith("@") and not line.startswith("@string")
    ]


# -- memory follows the batch ------------------------------------------------------------------

WRITERS = {
    "ris": write_ris,
    "medline": write_medline,
    "bibtex": write_bibtex,
    "csl-json": write_csl_json,
}


def _peak(read) -> int:
    tracemalloc.start()
    try:
        read()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_memory_follows_the_batch(fmt):
    # 50 batches of 30 against 17 (1,500 and 500 records): the same proportions of file to batch
    # as 3,000 records in batches of 60, at half the cost (tracemalloc slows parsing severalfold);
    # scripts/bench measures peak memory on files of a gigabyte.
    items = [r.item for r in iter_library(1500, seed=3)]
    small, big = "".join(WRITERS[fmt](items[:500])), "".join(WRITERS[fmt](items))

    def streamed(text: str) -> None:
        for batch in iter_parse_text(text, "m", fmt, batch=30):
            assert len(batch.records) <= 30

    def whole(text: str) -> None:
        assert parse_text(text, "m", fmt).records

    streamed(big)  # the caches of names, ISSNs, languages fill once, outside the measurements
    # The texts are made before anything is measured: what is measured is what reading holds.
    small_streamed, big_streamed = _peak(lambda: streamed(small)), _peak(lambda: streamed(big))
    big_whole = _peak(lambda: whole(big))
    assert big_streamed < 1.5 * small_streamed  # three times the records, about the same memory
    assert big_streamed < big_whole / 4
