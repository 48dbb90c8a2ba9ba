"""Names and titles garbled by a character-set confusion are read back before comparison
(``keys.repair_mojibake``), and text that only looks unusual is left alone."""

from __future__ import annotations

import pytest

from records.dedup import compare, prepare
from records.dedup.keys import fold, repair_mojibake
from tests.records.dedup.test_sparse_records import rec


@pytest.mark.parametrize(
    ("garbled", "folded"),
    [
        # Latin-1 bytes read as ISO 8859-5: one Cyrillic letter inside a Latin word.
        ("Hernсndez", "hernandez"),
        ("Bіhm", "bohm"),
        ("Deпloch", "dessloch"),
        ("жzden", "ozden"),
        ("Gќting", "guting"),
        # UTF-8 read as Latin-1 / Windows-1252, as written and lower-cased by a source.
        ("HernÃ¡ndez", "hernandez"),
        ("tã¼rker", "turker"),
        ("Saygä±n", "saygin"),
        # A UTF-8 letter whose second byte was lost: one letter missing, as for a lone "?".
        ("Kieã?ling", "kieling"),
    ],
)
def test_garbled_letters_are_read_back(garbled: str, folded: str) -> None:
    assert fold(garbled) == folded


@pytest.mark.parametrize(
    "text",
    [
        "Москва и область",  # a Cyrillic word has no Latin letter: not mojibake
        "São Paulo",  # "ã" before a letter is Portuguese
        "Ångström units",
        "Ärzte ± Pflege",  # a sign after a space is not a garbled byte
    ],
)
def test_text_that_is_not_garbled_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == text


def test_a_name_garbled_on_one_side_still_agrees() -> None:
    title = "realm based spatial data types for moving regions"
    clean = prepare(rec(title, "r böhm", "vldb j.", 1995))
    garbled = prepare(rec(title, "r bіhm", "vldb j.", 1995))
    assert compare(clean, garbled).verdict == "duplicate"
    # Another person of a short name is still another person.
    other = prepare(rec(title, "r bahr", "vldb j.", 1995))
    assert compare(clean, other).verdict != "duplicate"
