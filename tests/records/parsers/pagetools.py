"""Helpers shared by the page-layout tests: read a sample, parse it, compare fields."""

from __future__ import annotations

from pathlib import Path

from records.model import Record
from records.parsers import detect, parse_text

PAGES = Path(__file__).resolve().parents[2] / "data" / "pages"


def sample(layout: str, name: str) -> str:
    return (PAGES / layout / name).read_text("utf-8")


def records_of(layout: str, name: str, expected_format: str) -> list[Record]:
    """Parse a sample by content detection, checking the layout that was detected."""
    text = sample(layout, name)
    assert detect(text, name).name == expected_format
    result = parse_text(text, name)
    assert result.failures == []
    return result.records


def only_record(layout: str, name: str, expected_format: str) -> Record:
    records = records_of(layout, name, expected_format)
    assert len(records) == 1
    return records[0]


def year(record: Record) -> int:
    return record.csl["issued"]["date-parts"][0][0]


def families(record: Record, variable: str = "author") -> list[str]:
    return [n.get("family") or n.get("literal") for n in record.csl.get(variable, [])]
