"""A whole-library export decodes each work's CSL (the UTF-8 bytes as stored) with msgspec's
decoder, and with ``json.loads`` what that refuses: the value is always ``json.loads``' of the
same text (compared by ``repr``, so ``1`` is not ``1.0`` and NaN is NaN), and what
``json.loads`` refuses is refused alike."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.store.exports import _loads
from tests.conftest import examples

# Texts where a fast decoder may part from json.loads: numbers past 64 bits (orjson makes
# them floats), NaN and infinities (refused by the fast decoders, taken by json.loads), numbers
# past a float's range, escaped lone surrogates, duplicate keys, negative zero, floats needing
# correct rounding, every escape.
EDGES = [
    '{"title": "Caf\\u00e9", "author": [{"family": "D\\"o", "given": "J"}]}',
    ' {"a": 1}',  # space before: json.loads takes it
    '{"a": 1}\n',
    "[1, 2.5, null, true]",
    '"x"',
    '{"volume": 123456789012345678901234567890}',
    '{"a": 18446744073709551615, "b": 18446744073709551616, "c": -9223372036854775809}',
    '{"a": -9223372036854775808, "b": 9223372036854775807, "c": -0}',
    '{"a": NaN, "b": Infinity, "c": -Infinity}',
    '{"a": 1e400, "b": -1e400, "c": 1.7976931348623159e308, "d": 123.456e-789}',
    '{"a": -0.0, "b": 5e-324, "c": 2.2250738585072011e-308, "d": 0.30000000000000004}',
    '{"a": 1.00000000000000011102230246251565404236316680908203125, "b": 1E2, "c": 9007199254740993}',
    '{"title": "\\ud800"}',
    '{"title": "x\\udc00y", "\\udfff": 1}',
    '{"title": "\\ud83d\\ude00 \\u0000 \\b\\f\\n\\r\\t\\/\\\\"}',
    '{"a": 1, "a": 2}',
    '{"title": "\x7f \u00e9 \u4e2d \U0001f600"}',
    "[" * 200 + "]" * 200,
]


def same(a: Any, b: Any) -> bool:
    return repr(a) == repr(b) and type(a) is type(b)


@pytest.mark.parametrize("text", EDGES)
def test_what_json_loads_takes(text):
    expected = json.loads(text)
    assert same(_loads(text), expected)
    assert same(_loads(text.encode("utf-8")), expected)  # as the store hands it over


def test_big_integers_stay_exact():
    value = _loads(b'{"volume": 123456789012345678901234567890, "issue": -18446744073709551617}')
    assert value == {"volume": 123456789012345678901234567890, "issue": -18446744073709551617}
    assert all(type(v) is int for v in value.values())
    assert math.isnan(_loads(b'{"a": NaN}')["a"])


@pytest.mark.parametrize(
    "text",
    ['{"a": 1} x', "", " ", '{"a": ', "NaN x", '{"a": "\x01"}', '{"a":1,}', "[01]", "[1.]",
     '{"a": "\\x"}', "\ufeff{}", '{"a": 1}\x00', "[True]"],
)  # fmt: skip
def test_what_json_loads_refuses(text):
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        _loads(text)
    with pytest.raises(ValueError):
        _loads(text.encode("utf-8"))


def test_invalid_utf8_is_refused():
    with pytest.raises(ValueError):
        _loads(b'{"title": "\xff"}')


# Any JSON value json.dumps writes (the store's writer), numbers of every size and kind.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=examples(400), deadline=None)
@given(values, st.booleans())
def test_the_stores_texts_decode_as_json_loads_decodes_them(value, ascii_only):
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert same(_loads(text.encode("utf-8")), json.loads(text))


@settings(max_examples=examples(300), deadline=None)
@given(values, st.integers(min_value=0), st.sampled_from([*'"\\,:}]1 e-.', "\\u", "\x01"]))
def test_damaged_texts_decode_or_fail_as_json_loads_does(value, where, char):
    text = json.dumps(value)
    where %= len(text)
    text = text[:where] + char + text[where + 1 :]
    try:
        expected = json.loads(text)
    except ValueError:
        with pytest.raises(ValueError):
            _loads(text.encode("utf-8"))
        return
    assert same(_loads(text.encode("utf-8")), expected)
