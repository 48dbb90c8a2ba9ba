"""parse_name: a lone "V" after a family name is an initial, not the suffix "the Fifth"."""

from __future__ import annotations

import pytest

from records.normalize.names import parse_name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Long V", {"family": "Long", "given": "V."}),  # Vancouver / MEDLINE AU style
        ("John Smith V", {"family": "Smith", "given": "John", "suffix": "V"}),
        ("Smith Jr", {"family": "Smith", "suffix": "Jr."}),
        ("Smith, John, III", {"family": "Smith", "given": "John", "suffix": "III"}),
        ("Radosa CG", {"family": "Radosa", "given": "C. G."}),
    ],
)
def test_suffix_or_initial(text: str, name: dict) -> None:
    assert parse_name(text) == name
