"""Name-list shapes the page parsers rely on (records.normalize.names)."""

from __future__ import annotations

import pytest

from records.normalize.names import (
    is_role,
    parse_name,
    parse_name_list,
    role_field,
    split_names_with_roles,
    strip_honorifics,
)


@pytest.mark.parametrize(
    ("text", "families"),
    [
        ("Radosa, C G, Nebelung, H, Schön, F", ["Radosa", "Nebelung", "Schön"]),
        ("de Mestier, Louis, Zappa, Magaly", ["de Mestier", "Zappa"]),
        ("Müller-Schimpfle, Markus, Vogl, Thomas J.", ["Müller-Schimpfle", "Vogl"]),
        ("O'Connor, Mary Ann", ["O'Connor"]),
        ("John Smith, Mary Jones", ["Smith", "Jones"]),
        ("Riad Salem, Robert J. Lewandowski and Ahmed Gabr", ["Salem", "Lewandowski", "Gabr"]),
    ],
)
def test_name_lists(text, families):
    assert [n["family"] for n in parse_name_list(text)] == families


def test_single_letter_is_an_initial_not_a_roman_suffix():
    assert parse_name("Vilgrain V") == {"family": "Vilgrain", "given": "V."}
    assert parse_name("Henry Ford II") == {"family": "Ford", "given": "Henry", "suffix": "II"}
    assert parse_name("Andrew S Kennedy") == {"family": "Kennedy", "given": "Andrew S."}


def test_honorifics_and_degrees():
    assert strip_honorifics("Prof. Dr. med. Anna Weber") == "Anna Weber"
    assert strip_honorifics("John Smith, MD, PhD") == "John Smith"
    assert parse_name("O'Connor MA") == {"family": "O'Connor", "given": "M. A."}
    assert parse_name("Ing Li") == {"family": "Li", "given": "Ing"}


def test_roles():
    pairs = split_names_with_roles("García López, María (autora), Pérez Ruiz, Juan (editor)")
    assert pairs == [("García López, María", "autora"), ("Pérez Ruiz, Juan", "editor")]
    assert [role_field(r) for _, r in pairs] == ["author", "editor"]
    assert role_field("Hrsg.") == "editor"
    assert is_role("VerfasserIn") and not is_role("ESR")


def test_life_dates_of_catalog_headings_are_dropped():
    assert parse_name("Müller, Hans, 1950-") == {"family": "Müller", "given": "Hans"}
    pairs = split_names_with_roles(
        "Müller, Hans, 1950-2010 (VerfasserIn), Vogl, Thomas J., 1961- (HerausgeberIn)"
    )
    assert pairs == [("Müller, Hans", "VerfasserIn"), ("Vogl, Thomas J.", "HerausgeberIn")]
