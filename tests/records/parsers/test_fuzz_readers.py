"""Every reader, fed whatever bytes: the result is records and failures (or the one-line
refusal of a whole input, an :class:`InputError`), never another exception.

Hypothesis drives random bytes, truncations and byte flips of real fixtures (one or two per
format), control characters anywhere (also past the first 8 KB), wrong encodings, and every
parser forced onto text that is not its format. Deep nesting and giant fields are fixed cases.

The suite runs a modest number of examples per property; ``HARVESTER_FUZZ=heavy`` (the
reliability bench, ``scripts/fuzz-readers``) runs many more. No wall-clock limits: hypothesis' deadline is off.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from records.errors import InputError
from records.model import ParseResult
from records.parsers import iter_parse, parse_bytes, parser_names
from tests.conftest import FIXTURES, SEEDS

HEAVY = os.environ.get("HARVESTER_FUZZ") == "heavy"
# Examples per property: HARVESTER_FUZZ_EXAMPLES, else 500 for the bench, 40 in the suite.
EXAMPLES = int(os.environ.get("HARVESTER_FUZZ_EXAMPLES") or (500 if HEAVY else 40))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not HEAVY,  # the suite is reproducible; the bench explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_J = FIXTURES / "formats" / "jabref" / "importer-fileformat"
# One or two small real files per format (each folder's README gives source and licence).
CORPUS: dict[str, list[Path]] = {
    "bibtex": [FIXTURES / "formats" / "citation-js" / "plugin-bibtex" / "test" / "input"],
    "ris": [FIXTURES / "formats" / "rispy" / "data" / "example_bom.ris"],
    "medline": [_J / "MedlinePlainImporterTestDOI.txt"],
    "wos": [_J / "IsiImporterTest1.isi"],
    "ebsco-text": [_J / "OvidImporterTest1.txt"],
    "endnote-xml": [_J / "EndnoteXmlImporterTestReport.xml"],
    "pubmed-xml": [_J / "MedlineImporterTestMinimalEntry.xml"],
    "marc21": [FIXTURES / "formats" / "pymarc" / "test" / "one.dat"],
    "marcxml": [FIXTURES / "formats" / "pymarc" / "test" / "utf8.xml"],
    "csv": [FIXTURES / "dedup" / "bibdedupe_special_cases" / "records_pre_merged.csv"],
    "vufind-text": [SEEDS / "000_44e92aaf5ee263d6.txt"],
    "springer-text": [SEEDS / "003_2909be21334751a0.txt"],
    "html": [FIXTURES / "formats" / "extruct" / "w3crdfa" / "w3c.rdfaprimer.example005.html"],
}
# Formats without a fixture file of their own: small samples written here.
INLINE: dict[str, bytes] = {
    "csl-json": (
        b'[{"id": "a1", "type": "article-journal", "title": "Liver surgery outcomes",'
        b' "author": [{"family": "Smith", "given": "Jane"}], "issued": {"date-parts": [[2020]]},'
        b' "DOI": "10.1000/xyz123"}, {"id": "b2", "title": "Second", "author": ["Doe, J."]}]'
    ),
    "csl-yaml": (
        b"---\nreferences:\n- id: a1\n  type: article-journal\n  title: Liver surgery\n"
        b"  author:\n  - family: Smith\n    given: Jane\n  issued:\n  - year: 2020\n"
        b"- id: b2\n  title: Second\n...\n"
    ),
    "doi-list": b"10.1000/xyz123\nhttps://doi.org/10.1007/s00117-024-01311-4\n",
    "oai-dc": (
        b'<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        b"<ListRecords><record><header><identifier>oai:x:1</identifier>"
        b"<datestamp>2020-01-01</datestamp></header><metadata>"
        b'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Liver</dc:title>'
        b"<dc:creator>Smith, Jane</dc:creator><dc:date>2020</dc:date></oai_dc:dc>"
        b"</metadata></record></ListRecords></OAI-PMH>"
    ),
}


def _samples() -> list[tuple[str, bytes]]:
    samples = list(INLINE.items())
    for name, paths in CORPUS.items():
        for path in paths:
            files = (
                sorted(p for p in path.iterdir() if p.is_file())[:2] if path.is_dir() else [path]
            )
            samples.extend((name, f.read_bytes()) for f in files)
    return samples


SAMPLES = _samples()
FORMATS = parser_names()
# What no value may hold once parsed: control characters but tab, line feed, carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


def _values(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _values(v)]
    if isinstance(value, list):
        return [s for v in value for s in _values(v)]
    return []


def read(data: bytes, format: str | None = None) -> ParseResult | None:
    """``parse_bytes`` as a user gets it: a result, or None for a refused input (an
    :class:`InputError`, the CLI's one line). Any other exception fails the test. The result
    is checked as data: failures name the input, and no value carries a control character."""
    try:
        result = parse_bytes(data, "fuzzed.input", format)
    except InputError as exc:
        assert str(exc).startswith("fuzzed.input"), str(exc)
        assert "\n" not in str(exc)
        return None
    for failure in result.failures:
        assert failure.origin == "fuzzed.input"
        assert failure.reason.strip()
    for record in result.records:
        bad = [v for v in _values(record.csl) if _CONTROL.search(v)]
        assert not bad, f"control characters in {bad[:3]!r}"
    return result


@FUZZ
@given(st.binary(max_size=4096), st.sampled_from([None, *FORMATS]))
def test_random_bytes(data: bytes, format: str | None) -> None:
    read(data, format)


@FUZZ
@given(st.sampled_from(SAMPLES), st.data())
def test_truncated_fixtures(sample: tuple[str, bytes], data: st.DataObject) -> None:
    _, content = sample
    offset = data.draw(st.integers(0, len(content)), label="offset")
    read(content[:offset])


@FUZZ
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=12),
    st.sampled_from([None, *FORMATS]),
)
def test_flipped_bytes(
    sample: tuple[str, bytes], flips: list[tuple[float, int]], format: str | None
) -> None:
    content = bytearray(sample[1])
    for where, byte in flips:
        content[min(int(where * len(content)), len(content) - 1)] = byte
    read(bytes(content), format)


@FUZZ
@given(
    st.sampled_from(SAMPLES),
    st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from([0, 1, 7, 8, 11, 12, 27, 127, 0x85, 0x9B])),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)
def test_control_characters_never_reach_a_value(
    sample: tuple[str, bytes], controls: list[tuple[float, int]], far: bool
) -> None:
    """Controls at random places, and with ``far`` after 8 KB of padding (the binary sniff
    looks at the first 8 KB only): the records read never hold one."""
    name, content = sample
    text = content.decode("utf-8", errors="replace")
    if far and name in ("ris", "bibtex", "medline", "csl-json", "csv", "wos"):
        text = _padded(name, text)
    chars = list(text)
    for where, code in controls:
        chars.insert(int(where * len(chars)), chr(code))
    read("".join(chars).encode("utf-8"))


def _padded(name: str, text: str) -> str:
    """``text`` with 8 KB of blank lines (or, for JSON, spaces) in front of its second half."""
    half = len(text) // 2
    cut = text.rfind("\n", 0, half) + 1 if name != "csl-json" else text.find(",", half) + 1
    pad = " " * 9000 if name == "csl-json" else "\n" * 9000
    return text[:cut] + pad + text[cut:] if cut > 0 else text + pad


@FUZZ
@given(
    st.sampled_from(SAMPLES),
    st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "utf-8-sig"]),
    st.sampled_from([None, *FORMATS]),
)
def test_wrong_and_other_encodings(
    sample: tuple[str, bytes], encoding: str, format: str | None
) -> None:
    text = sample[1].decode("utf-8", errors="replace")
    read(text.encode(encoding, errors="replace"), format)


@FUZZ
@given(st.sampled_from(SAMPLES), st.integers(1, 7))
def test_streamed_batches_agree_with_the_whole(sample: tuple[str, bytes], batch: int) -> None:
    """The streaming path (``iter_parse``) reads what ``parse_bytes`` reads, also on input cut
    at an odd place."""
    content = sample[1][: max(1, len(sample[1]) * 3 // 4)]
    whole = read(content)
    if whole is None:
        return
    streamed = ParseResult()
    for part in iter_parse(content, "fuzzed.input", batch=batch):
        streamed.extend(part)
    assert [r.csl for r in streamed.records] == [r.csl for r in whole.records]
    assert [str(f) for f in streamed.failures] == [str(f) for f in whole.failures]


DEEP = 100_000
NESTED = {
    "csl-json array": b'[{"title": ' + b"[" * DEEP + b"]" * DEEP + b"}]",
    "csl-json object": b'[{"title": "T", "note": ' + b'{"a": ' * DEEP + b"1" + b"}" * DEEP + b"}]",
    "csl-json unclosed": b'[{"id": "a", "title": "Kept"},\n' + b"[" * DEEP,
    "csl-yaml flow": b"- id: a\n  title: " + b"[" * DEEP + b"\n",
    "csl-yaml mapping": b"- id: a\n  title: " + b"{a: " * DEEP + b"\n",
    "xml": b'<?xml version="1.0"?><records>' + b"<a>" * DEEP + b"</a>" * DEEP + b"</records>",
    "html": b"<html><head><title>T</title></head><body>" + b"<div>" * DEEP + b"</body></html>",
    "bibtex braces": b"@article{k, title={" + b"{" * DEEP + b"}" * DEEP + b"}}",
    "bibtex unclosed": b"@article{k, title={" + b"{" * DEEP,
}


@pytest.mark.parametrize("format", [None, "csl-json", "csl-yaml", "bibtex", "html"])
@pytest.mark.parametrize("name", list(NESTED))
def test_deep_nesting(name: str, format: str | None) -> None:
    read(NESTED[name], format)


def test_deep_csl_json_is_a_failure_at_its_place_after_the_records_before_it() -> None:
    result = read(NESTED["csl-json unclosed"])
    assert result is not None
    assert [r.csl["title"] for r in result.records] == ["Kept"]
    [failure] = result.failures
    assert (failure.record, failure.line) == (2, 2)
    assert "nested too deeply" in failure.reason


def test_csl_yaml_control_character_is_a_failure_with_its_line() -> None:
    # U+FFFF is no control character decoding strips, and YAML refuses it.
    result = read("- id: a\n  title: x\uffffy\n".encode())
    assert result is not None and not result.records
    [failure] = result.failures
    assert failure.line == 2 and "U+FFFF" in failure.reason


GIANT = 1_000_000


@pytest.mark.parametrize(
    "data",
    [
        b'title,author,year\nFirst,Smith,2001\n"' + b"x" * GIANT + b'",Jones,2002\nLast,Doe,2003\n',
        b"TY  - JOUR\nTI  - " + b"x" * GIANT + b"\nER  - \nTY  - JOUR\nTI  - Last\nER  - \n",
        b"@article{a, title={" + b"x" * GIANT + b"}}\n@article{b, title={Last}}\n",
        b'[{"title": "' + b"x" * GIANT + b'"}, {"title": "Last"}]',
    ],
    ids=["csv", "ris", "bibtex", "csl-json"],
)
def test_giant_fields_do_not_hide_the_records_after_them(data: bytes) -> None:
    result = read(data)
    assert result is not None
    titles = [r.csl.get("title", "") for r in result.records]
    assert titles[-1] == "Last", titles[-1][:40]
    assert any(len(t) >= GIANT for t in titles)
