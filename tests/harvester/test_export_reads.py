"""A whole-library export decodes each work's CSL through the JSON scanner directly; what
``json.loads`` would take or refuse, it takes or refuses alike."""

from __future__ import annotations

import json

import pytest

from harvester.store.exports import _loads


@pytest.mark.parametrize(
    "text",
    [
        '{"title": "Caf\\u00e9", "author": [{"family": "D\\"o", "given": "J"}]}',
        ' {"a": 1}',  # space before: json.loads takes it
        '{"a": 1}\n',
        "[1, 2.5, null, true]",
        '"x"',
    ],
)
def test_what_json_loads_takes(text):
    assert _loads(text) == json.loads(text)


@pytest.mark.parametrize("text", ['{"a": 1} x', "", '{"a": ', "NaN x"])
def test_what_json_loads_refuses(text):
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        _loads(text)
