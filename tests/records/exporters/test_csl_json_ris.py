"""CSL-JSON (schema-valid, lossless) and RIS (the tags Zotero/EndNote/Mendeley read) exports."""

from __future__ import annotations

import json

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from records.exporters.csl_json import SCHEMA_PATH, csl_json_item, write_csl_json
from records.exporters.ris import write_ris
from records.parsers import parse_text
from tests.records.exporters.samples import EXTRA, seeds

SCHEMA = json.loads(SCHEMA_PATH.read_text("utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
ENTRIES = [*seeds(), *EXTRA]


def test_the_vendored_schema_is_a_valid_draft7_schema():
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["items"]["additionalProperties"] is False  # so validation is strict


def test_csl_json_export_of_the_seeds_is_schema_valid_and_lossless():
    data = json.loads(write_csl_json(ENTRIES))
    VALIDATOR.validate(data)
    assert [item["id"] for item in data] == [key for key, _ in ENTRIES]
    for item, (key, csl) in zip(data, ENTRIES, strict=True):
        assert item["citation-key"] == key
        assert {k: v for k, v in item.items() if k not in ("id", "citation-key")} == csl


def test_csl_json_reads_back_through_our_parser_to_the_same_items():
    result = parse_text(write_csl_json(seeds()), "export.json")
    assert result.failures == []
    for record, (key, csl) in zip(result.records, seeds(), strict=True):
        assert record.source.id == key
        assert {k: v for k, v in record.csl.items() if k != "citation-key"} == csl


def test_what_csl_lacks_goes_under_custom_and_keeps_the_file_valid():
    item = csl_json_item(
        "k",
        {"type": "journal-article", "title": "T", "x-unknown": 1, "author": [{"name": "Bad"}]},
        beside={"issn": {"print": "0033-832X"}},
    )
    VALIDATOR.validate([item])
    assert item["type"] == "document"
    fields = item["custom"]["harvester"]["fields"]
    assert fields == {"type": "journal-article", "x-unknown": 1, "author": [{"name": "Bad"}]}
    assert item["custom"]["harvester"]["issn"] == {"print": "0033-832X"}


def test_empty_export_is_an_empty_array():
    assert json.loads(write_csl_json([])) == []


_csl = st.fixed_dictionaries(
    {"type": st.sampled_from(["article-journal", "book", "chapter", "webpage"])},
    optional={
        "title": st.text(),
        "author": st.lists(
            st.one_of(
                st.fixed_dictionaries({"family": st.text(), "given": st.text()}),
                st.fixed_dictionaries({"literal": st.text()}),
            ),
            max_size=3,
        ),
        "issued": st.fixed_dictionaries(
            {
                "date-parts": st.lists(
                    st.lists(st.integers(1, 3000), min_size=1, max_size=3), min_size=1, max_size=2
                )
            }
        ),
        "volume": st.one_of(st.text(), st.integers(0, 999)),
        "custom": st.fixed_dictionaries({"note": st.text()}),
    },
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_csl, max_size=4))
def test_any_record_model_item_exports_valid_and_round_trips(items):
    entries = [(f"k{i}", csl) for i, csl in enumerate(items)]
    data = json.loads(write_csl_json(entries))
    VALIDATOR.validate(data)
    assert [{k: v for k, v in d.items() if k not in ("id", "citation-key")} for d in data] == items


# --- RIS -------------------------------------------------------------------------------------


def test_ris_of_the_seeds_has_the_standard_tags_and_crlf():
    text = write_ris(seeds())
    assert "\n" not in text.replace("\r\n", "")
    records = text.split("\r\n\r\n")
    assert len(records) == 2
    lines = records[1].split("\r\n")
    assert lines[0] == "TY  - JOUR"
    assert lines[-2] == "ER  - " and lines[-1] == ""
    tags = [line[:2] for line in lines if line]
    assert tags.count("AU") == 5
    assert "AU  - de Mestier, Louis" in lines
    assert "TI  - Liver transarterial embolizations in metastatic neuroendocrine tumors" in lines
    assert "T2  - Reviews in Endocrine and Metabolic Disorders" in lines
    for line in (
        "VL  - 18",
        "IS  - 4",
        "SP  - 459",
        "EP  - 471",
        "PY  - 2017",
        "DA  - 2017/10/03/",
    ):
        assert line in lines
    assert "DO  - 10.1007/s11154-017-9431-2" in lines
    assert "LA  - en" in lines
    first = records[0].split("\r\n")
    assert "SN  - 0033-832X" in first and "SN  - 1432-2102" in first
    assert "PB  - Springer Nature B.V" in first and "CY  - Heidelberg" in first


def test_ris_reads_back_through_our_parser():
    entries = [*seeds(), *EXTRA]
    result = parse_text(write_ris(entries), "export.ris")
    assert result.failures == []
    assert len(result.records) == len(entries)
    for record, (key, csl) in zip(result.records, entries, strict=True):
        back = record.csl
        assert record.source.id == key
        for field in (
            "type",
            "title",
            "container-title",
            "volume",
            "issue",
            "DOI",
            "issued",
            "ISBN",
        ):
            assert back.get(field) == csl.get(field), field
        assert back.get("author") == csl.get("author")
        if "page" in csl:
            assert back["page"].replace("–", "-") == csl["page"].replace("–", "-")
        if "abstract" in csl:
            assert back["abstract"] == " ".join(csl["abstract"].split())


def test_ris_values_never_span_lines():
    text = write_ris([("k", {"type": "book", "title": "A\nB", "abstract": "x\r\ny\n\nz"})])
    assert "TI  - A B\r\n" in text and "AB  - x y z\r\n" in text
