"""Files read a chunk at a time (``iter_parse_stream``) give exactly what the whole text gives:
the same records, failures, places and doubts, whatever the chunk boundaries, the encoding or
where the ``@string`` and ``crossref`` places are; and the text is not held whole while the
records come (issue 15, defect 13)."""

from __future__ import annotations

import codecs
import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from records.decoding import decode, decode_stream
from records.errors import BinaryInput, EmptyInput, InputError
from records.model import ParseResult
from records.parsers import detect, iter_parse_stream, parse_bytes
from records.parsers.base import piece_lines, without_bom
from tests.conftest import FIXTURES

STREAMED = ("bibtex", "ris", "medline", "csl-json")


def _chunks(data: bytes, rng: random.Random, low: int, high: int) -> Callable[[], Iterator[bytes]]:
    sizes: list[int] = []
    while sum(sizes) < len(data):
        sizes.append(rng.randint(low, high))

    def chunks() -> Iterator[bytes]:
        at = 0
        for size in sizes:
            yield data[at : at + size]
            at += size

    return chunks


def _merged(results: Iterator[ParseResult]) -> ParseResult:
    merged = ParseResult()
    for result in results:
        merged.extend(result)
    return merged


def _seen(result: ParseResult) -> tuple[list[Any], list[Any], list[Any]]:
    records = [(r.csl, r.source, r.raw, r.issn_kinds, r.original, r.doubts) for r in result.records]
    failures = [(f.origin, f.reason, f.record, f.line) for f in result.failures]
    return records, failures, result.doubts


def _streamed_fixtures() -> list[tuple[Path, str]]:
    found = []
    for path in sorted((FIXTURES / "formats").rglob("*")):
        if path.suffix not in (".bib", ".ris", ".nbib", ".txt", ".json") or not path.is_file():
            continue
        data = path.read_bytes()
        try:
            name = detect(decode(data, str(path)), str(path)).name
        except InputError:
            continue
        if name in STREAMED:
            found.append((path, name))
    return found


FIXTURE_FILES = _streamed_fixtures()


def test_the_fixtures_hold_every_streamed_format() -> None:
    names = {name for _, name in FIXTURE_FILES}
    assert names == set(STREAMED), names
    assert len(FIXTURE_FILES) > 200


def _csl_array(rng: random.Random) -> str:
    """A CSL-JSON array as exports write them, and as they break: items with nested names and
    dates, numbers (cut anywhere they may be: "1.", "1e", "-"), non-object elements, blanks,
    CRLF lines, a BOM, and sometimes an error or a missing "]" at a random place."""
    items = []
    for i in range(rng.randint(0, 25)):
        kind = rng.random()
        if kind < 0.7:
            item = {
                "id": f"k{i}",
                "type": rng.choice(["article-journal", "book", "paper_conference"]),
                "title": rng.choice(["Zöe's {title}", 'a "quoted" one', "line\nbreak"]) + str(i),
                "author": [{"family": "Åberg", "given": "Ö."}, "Smith, J."][: rng.randint(0, 2)],
                "issued": {"date-parts": [[2000 + i, 1 + i % 12]]},
                "volume": rng.choice([12, 1.5, -3, 1e21, "7"]),
            }
            items.append(
                json.dumps(item, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 1]))
            )
        else:
            items.append(
                rng.choice(
                    [
                        "1.25",
                        "-0.5e-3",
                        "12345678901234567890",
                        "true",
                        "null",
                        '"text"',
                        "[1, [2, 3]]",
                    ]
                )
            )
    sep = rng.choice([",", ",\n", " ,\r\n  "])
    text = (
        rng.choice(["", "\ufeff", "  \n"]) + "[" + sep.join(items) + rng.choice(["]", "\n]\n", ""])
    )
    if rng.random() < 0.3 and text:
        at = rng.randrange(len(text))
        text = text[:at] + rng.choice(["}", "{", ":", '"', "x", ""]) + text[at:]
    return text


@pytest.mark.parametrize("seed", range(40))
def test_csl_json_arrays_read_the_same_in_pieces_as_whole(seed: int) -> None:
    rng = random.Random(seed)
    data = _csl_array(rng).encode("utf-8")
    whole = parse_bytes(data, "c.json", "csl-json")
    for low, high in ((1, 3), (5, 60)):
        chunks = _chunks(data, random.Random(seed * 7 + low), low, high)
        got = _merged(iter_parse_stream(chunks, "c.json", "csl-json", batch=4, head_bytes=8))
        assert _seen(got) == _seen(whole)


def test_a_number_cut_by_a_piece_is_read_whole() -> None:
    data = b'[{"id": "a", "title": "T"}, 1.5, 2e+10, -7, {"id": "b", "title": "U"}]'
    whole = parse_bytes(data, "n.json", "csl-json")
    assert [f.reason for f in whole.failures] == ["CSL item is a number, not an object"] * 3
    for cut in range(1, len(data)):
        pieces = [data[:cut], data[cut:]]
        got = _merged(
            iter_parse_stream(lambda p=pieces: iter(p), "n.json", "csl-json", head_bytes=1)
        )
        assert _seen(got) == _seen(whole), cut


@pytest.mark.parametrize("low, high", [(1, 7), (40, 400)])
def test_every_fixture_reads_the_same_in_chunks_as_whole(low: int, high: int) -> None:
    rng = random.Random(low)
    differ = []
    for path, name in FIXTURE_FILES:
        data = path.read_bytes()
        whole = parse_bytes(data, str(path))
        # A head of 16 bytes: every input is streamed, however small.
        got = _merged(
            iter_parse_stream(
                _chunks(data, rng, low, high), str(path), name, batch=3, head_bytes=16
            )
        )
        if _seen(got) != _seen(whole):
            differ.append(path.name)
    assert not differ


def _synthetic_bibtex() -> str:
    """Entries using a macro defined at the end, children before their crossref parents, a
    malformed entry and a failed @string in the middle, CRLF lines, accents."""
    entries = []
    for i in range(60):
        crossref = f"  crossref = {{proc{i % 3}}},\n" if i % 7 == 0 else ""
        entries.append(
            f"@inproceedings{{e{i},\r\n  author = {{M{'ü' if i % 2 else 'u'}ller, Anna and "
            f'Smith, J.}},\n  title = {{Title {i} on \\"{{o}}ne thing}},\n'
            f"  booktitle = jnl # {{ vol {i}}},\n{crossref}  year = {2000 + i % 20}\n}}\n"
        )
        if i == 25:
            entries.append("@article{broken, title = {no end\n\n")
        if i == 40:
            entries.append('@string{bad = "unterminated }\n')
    parents = [
        f"@proceedings{{proc{j},\n  title = {{Proceedings {j}}},\n  publisher = {{ACM}},\n"
        f"  year = 1999\n}}\n"
        for j in range(3)
    ]
    return "".join(entries) + "".join(parents) + '@string{jnl = "Journal of Things"}\n'


@pytest.mark.parametrize("seed", range(4))
def test_strings_and_crossref_parents_after_their_use_stream_the_same(seed: int) -> None:
    data = _synthetic_bibtex().encode("utf-8")
    whole = parse_bytes(data, "s.bib")
    assert whole.failures and any(r.csl.get("publisher") == "ACM" for r in whole.records)
    assert any("Journal of Things" in str(r.csl.get("container-title")) for r in whole.records)
    chunks = _chunks(data, random.Random(seed), 1, 90)
    got = _merged(iter_parse_stream(chunks, "s.bib", batch=7, head_bytes=64))
    assert _seen(got) == _seen(whole)


RIS = (
    "".join(
        f"TY  - JOUR\r\nAU  - Åberg, Ö.\nTI  - Title {i} — “quoted”\n  continued\n"
        "PY  - 2001\nER  - \n\n"
        for i in range(80)
    )
    + "TY  - JOUR\nER  - \n"
)


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),  # with its BOM
        lambda t: t.encode("utf-16-le"),  # none: told by the NUL pattern
        lambda t: t.encode("utf-16-be"),
        lambda t: t.replace("—", "-").replace("“", '"').replace("”", '"').encode("cp1252"),
        # \x81 is no cp1252: latin-1, as decode() reads it; placed far past the head
        lambda t: (
            t.replace("—", "-").replace("“", '"').replace("”", '"').encode("latin-1")
            + b"TY  - JOUR\nTI  - \x81\nER  - \n"
        ),
        # valid UTF-8 up to one byte at the very end: the whole file is cp1252
        lambda t: t.encode("utf-8") + b"TY  - JOUR\nTI  - caf\xe9\nER  - \n",
    ],
)
def test_encodings_are_chosen_as_decode_chooses_them(encode: Callable[[str], bytes]) -> None:
    data = encode(RIS)
    whole = parse_bytes(data, "e.ris")
    assert len(whole.records) >= 80 and whole.failures
    for low, high in ((1, 5), (100, 700)):
        chunks = _chunks(data, random.Random(high), low, high)
        stream = decode_stream(chunks, "e.ris", head_bytes=64)
        assert not stream.complete
        assert "".join(stream.pieces()) == decode(data, "e.ris")
        got = _merged(iter_parse_stream(chunks, "e.ris", batch=9, head_bytes=64))
        assert _seen(got) == _seen(whole)


def test_a_large_file_with_no_records_or_binary_bytes_is_refused_as_whole() -> None:
    blank = b" \n\t" * 100
    with pytest.raises(EmptyInput):
        decode_stream(_chunks(blank, random.Random(0), 3, 9), "blank.bib", head_bytes=16)
    binary = bytes(range(256)) * 4
    with pytest.raises(BinaryInput):
        decode_stream(_chunks(binary, random.Random(0), 3, 9), "b.bin", head_bytes=16)


def test_detection_from_the_head_and_what_is_read_whole() -> None:
    # Detected from the head: the same format as the whole text.
    data = RIS.encode("utf-8")
    got = _merged(iter_parse_stream(_chunks(data, random.Random(1), 50, 60), "x", head_bytes=64))
    assert _seen(got) == _seen(parse_bytes(data, "x"))
    # A format that is read whole (CSL-JSON) gives what the whole text gives.
    items = [{"type": "book", "title": f"Book {i}", "id": str(i)} for i in range(30)]
    data = json.dumps(items).encode("utf-8")
    got = _merged(iter_parse_stream(_chunks(data, random.Random(2), 50, 60), "x", head_bytes=64))
    assert _seen(got) == _seen(parse_bytes(data, "x"))
    assert len(got.records) == 30


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json"])
def test_records_come_before_the_text_is_read(fmt: str) -> None:
    # The pass that yields the records has read a few chunks, not the file, when the first
    # batch comes (a reader that joined the text would have read every chunk first).
    if fmt == "ris":
        text = RIS * 20
    elif fmt == "csl-json":
        items = [{"id": str(i), "type": "book", "title": f"Book {i} — Ö"} for i in range(2000)]
        text = json.dumps(items, ensure_ascii=False, indent=1)
    else:
        text = _synthetic_bibtex().replace("@string{jnl", "@comment{jnl") * 20
    data = text.encode("utf-8")
    size = 512
    total = -(-len(data) // size)
    passes: list[int] = []

    def chunks() -> Iterator[bytes]:
        passes.append(0)
        for at in range(0, len(data), size):
            passes[-1] += 1
            yield data[at : at + size]

    results = iter_parse_stream(chunks, "big", fmt, batch=5, head_bytes=1024)
    first = next(results)
    assert first.records
    assert total > 100 and passes[-1] <= 4, (passes, total)
    assert sum(len(r.records) for r in results) + len(first.records) > 100


def test_lines_of_pieces_are_the_lines_of_the_text() -> None:
    rng = random.Random(5)
    alphabet = ["a", "b", "\n", "\r", "\r\n", "\x85", "\u2028", "\x1c", " "]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, rng.randint(0, 6))))
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        assert list(piece_lines(pieces)) == text.splitlines()
    assert "".join(without_bom(["", "\ufeff\ufeffa", "\ufeffb"])) == "\ufeffa\ufeffb"
    assert "".join(without_bom(["\ufeff", "\ufeffa"], strip_all=True)) == "a"
