"""CSL-JSON and CSL-YAML."""

from __future__ import annotations

import json

from records.parsers import detect, parse_bytes, parse_text

ITEMS = """[
  {
    "id": "radosa2024",
    "type": "article-journal",
    "title": "Radiologisch-interventionelle Möglichkeiten",
    "author": [{"family": "Radosa", "given": "Christoph Georg"}, "Nebelung, Heiner"],
    "container-title": "Radiologie",
    "issued": {"date-parts": [["2024", 7]]},
    "volume": 64,
    "page": "575-581",
    "DOI": "https://doi.org/10.1007/s00117-024-01317-y",
    "not-a-csl-field": "dropped"
  },
  "a string is no item",
  {"id": 42, "type": "Journal Article", "title": "Second", "issued": {"raw": "2019-05"},
   "ISSN": ["0033-832X", "1432-2102"], "keyword": ["a", "b"]}
]"""


def test_detected_from_content() -> None:
    assert detect(ITEMS, "export").name == "csl-json"


def test_items_ids_and_validation() -> None:
    result = parse_text(ITEMS, "items.json")
    first, second = result.records
    assert first.source.id == "radosa2024" and first.source.line == 2
    assert json.loads(first.raw)["id"] == "radosa2024"  # the verbatim item
    assert first.csl["author"] == [
        {"family": "Radosa", "given": "Christoph Georg"},
        {"family": "Nebelung", "given": "Heiner"},
    ]
    assert first.csl["issued"] == {"date-parts": [[2024, 7]]}
    assert first.csl["volume"] == "64"
    assert first.csl["DOI"] == "10.1007/s00117-024-01317-y"
    assert "not-a-csl-field" not in first.csl
    assert second.source.id == "42" and second.source.position == 3
    assert second.csl["type"] == "article-journal"
    assert second.original == {"type": "Journal Article"}
    assert second.csl["issued"] == {"date-parts": [[2019, 5]]}
    assert second.csl["ISSN"] == "0033-832X, 1432-2102"
    assert second.csl["keyword"] == "a, b"


def test_non_object_element_is_a_failure() -> None:
    failure = parse_text(ITEMS, "items.json").failures[0]
    assert (failure.record, failure.line) == (2, 14)
    assert "a string, not an object" in failure.reason


def test_single_object_and_bom() -> None:
    data = '\ufeff{"id": "x", "type": "book", "title": "Alone"}'.encode()
    result = parse_bytes(data, "one.json")
    assert [r.csl["title"] for r in result.records] == ["Alone"]


def test_invalid_json_keeps_the_items_before_the_error() -> None:
    text = '[{"id": "a", "title": "Fine"},\n {"id": "b", "title": oops}]'
    result = parse_text(text, "bad.json")
    assert [r.source.id for r in result.records] == ["a"]
    failure = result.failures[0]
    assert failure.record == 2 and failure.line == 2 and "invalid JSON" in failure.reason


def test_citation_js_core_fixture_items() -> None:
    from tests.conftest import FIXTURES

    data = json.loads((FIXTURES / "formats/citation-js/core/test/data.json").read_text("utf-8"))
    items = data["sort"]
    result = parse_text(json.dumps(items), "sort.json")
    assert [r.source.id for r in result.records] == ["b", "a"]
    assert [r.csl["author"][0]["family"] for r in result.records] == ["b", "a"]


YAML = """---
references:
- id: doe2020
  type: book
  title: A Book
  author:
    - family: Doe
      given: Jane
  issued: 2020-03-01
  publisher: Springer
- id: second
  type: chapter
  title: "Chapter: with colon"
  issued:
    date-parts: [[2019]]
- just a string
...
"""


def test_yaml_items_safe_loader() -> None:
    assert detect(YAML, "refs.yaml").name == "csl-yaml"
    result = parse_text(YAML, "refs.yaml")
    first, second = result.records
    assert first.source.id == "doe2020" and first.source.line == 3
    assert first.csl["issued"] == {"date-parts": [[2020, 3, 1]]}
    assert first.csl["author"] == [{"family": "Doe", "given": "Jane"}]
    assert second.csl["title"] == "Chapter: with colon"
    assert result.failures[0].record == 3


def test_yaml_tags_are_refused_not_constructed() -> None:
    text = "- id: x\n  title: !!python/object/apply:os.system ['echo hacked']\n"
    result = parse_text(text, "evil.yaml", "csl-yaml")
    assert not result.records
    assert "invalid YAML" in result.failures[0].reason


def test_crossref_api_response_is_not_csl_json() -> None:
    from records.parsers.csljson import CSLJSONParser

    response = (
        '{"status":"ok","message-type":"work","message":{"title":["T"],"type":"journal-article"}}'
    )
    assert CSLJSONParser().sniff(response) == 0.0
