"""Dates: every shape parse_date documents."""

from __future__ import annotations

import pytest

from records.normalize.dates import parse_date


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2024 Jul", [[2024, 7]]),
        ("Jul2024", [[2024, 7]]),
        ("2010 Sep-Oct", [[2010, 9], [2010, 10]]),
        ("18 May 2024", [[2024, 5, 18]]),
        ("May 18, 2024", [[2024, 5, 18]]),
        ("2024 Jul 18", [[2024, 7, 18]]),
        ("(1992)", [[1992]]),
    ],
)
def test_month_shapes(text: str, parts: list[list[int]]) -> None:
    assert parse_date(text) == {"date-parts": parts}
