"""Names as their sources write them (issue 12, class 6): a family name that is also a particle
word, capitals the bearer writes, multi-word family names with a middle initial, and comma-only
lists of family/given pairs."""

from __future__ import annotations

import pytest

from records.normalize.names import make_name, parse_name, parse_name_list


@pytest.mark.parametrize(
    ("text", "family", "given"),
    [
        # a particle word that is the whole family name is the family name
        ("Das, Sujit", "Das", "Sujit"),
        ("Sujit Das", "Das", "Sujit"),
        ("Da, Wei", "Da", "Wei"),
        ("Le, Thanh Binh", "Le", "Thanh Binh"),
        ("Van, Minh", "Van", "Minh"),
        ("Ten, Alexey", "Ten", "Alexey"),
        ("Del, Marco", "Del", "Marco"),
        # capitals the source wrote are kept
        ("Al Dhubaib, Bader", "Al Dhubaib", "Bader"),
        ("Le Paslier, Denis", "Le Paslier", "Denis"),
        ("De Mestier, Louis", "De Mestier", "Louis"),
        ("Louis De Mestier", "De Mestier", "Louis"),
        ("Van Dyke, Dick", "Van Dyke", "Dick"),
        ("Ludwig van Beethoven", "van Beethoven", "Ludwig"),
        ("de Mestier, Louis", "de Mestier", "Louis"),
        ("Jan van der Berg", "van der Berg", "Jan"),
        ("Dos Santos, Maria", "Dos Santos", "Maria"),
        ("El Amrani, Youssef", "El Amrani", "Youssef"),
        # written ALL CAPS the capitals carry nothing: particles lower-cased, the rest re-cased
        ("DE MESTIER, LOUIS", "de Mestier", "Louis"),
        ("VAN DER BERG, JAN", "van der Berg", "Jan"),
        ("DAS, SUJIT", "Das", "Sujit"),
        ("RADOSA, CG", "Radosa", "C. G."),
    ],
)
def test_family_names_keep_the_case_the_source_wrote(text: str, family: str, given: str) -> None:
    assert parse_name(text) == {"family": family, "given": given}


def test_make_name_from_separate_parts_keeps_written_particles() -> None:
    assert make_name("Das", "Sujit") == {"family": "Das", "given": "Sujit"}
    assert make_name("Le Paslier", "Denis") == {"family": "Le Paslier", "given": "Denis"}
    assert make_name("von Helmholtz", "Hermann") == {"family": "von Helmholtz", "given": "Hermann"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wong Kee Song, Louis M.", [("Wong Kee Song", "Louis M.")]),
        (
            "Wong Kee Song, Louis M., Garcia Marquez, Ana P.",
            [("Wong Kee Song", "Louis M."), ("Garcia Marquez", "Ana P.")],
        ),
        ("Lloyd Webber, Andrew J. R.", [("Lloyd Webber", "Andrew J. R.")]),
        # Vancouver with dots: every token ends with an initial, one name each
        ("Smith J., Jones K.", [("Smith", "J."), ("Jones", "K.")]),
        # full "Given Family" names stay one name each
        ("John Smith, Mary Jones", [("Smith", "John"), ("Jones", "Mary")]),
    ],
)
def test_multi_word_family_with_middle_initial(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(n["family"], n.get("given")) for n in parse_name_list(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kea, Bory, Hall, M. Kennedy, Wang, Ralph",
            [("Kea", "Bory"), ("Hall", "M. Kennedy"), ("Wang", "Ralph")],
        ),
        ("Müller, Hans, Schmidt, Anna", [("Müller", "Hans"), ("Schmidt", "Anna")]),
        ("Nguyen, T. Anh, Okafor, Chidi", [("Nguyen", "T. Anh"), ("Okafor", "Chidi")]),
        ("Radosa, C G, Nebelung, H", [("Radosa", "C. G."), ("Nebelung", "H.")]),
        ("O'Connor, Mary Ann", [("O'Connor", "Mary Ann")]),
    ],
)
def test_comma_only_lists_are_family_given_pairs(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(n["family"], n.get("given")) for n in parse_name_list(text)] == expected
