"""A pasted list cut back into references: numbering, wrapped lines, indents, blank lines."""

from __future__ import annotations

from records.references.paste import split_references

A = "Radosa CG, Nebelung H. Radiologische Verfahren. Radiologie. 2024;64(7):575-81."
B = "de Mestier L, Zappa M. Liver embolizations. Rev Endocr Metab Disord. 2017;18(4):459-71."


def refs(text: str) -> list[str]:
    return [r for _, r in split_references(text)]


def test_numbered_lists_in_every_form_lose_their_numbers():
    for one, two in [("1.", "2."), ("[1]", "[2]"), ("1)", "2)"), ("(1)", "(2)")]:
        assert refs(f"{one} {A}\n{two} {B}\n") == [A, B]


def test_numbered_entries_wrapped_over_lines_are_joined():
    text = (
        "1. Radosa CG, Nebelung H. Radiologische\n   Verfahren. Radiologie. 2024;64(7):575-81.\n2. "
        + B
    )
    assert split_references(text) == [(1, A), (3, B)]


def test_hanging_indent_continues_the_reference():
    text = (
        "Radosa CG, Nebelung H. Radiologische Verfahren.\n    Radiologie. 2024;64(7):575-81.\n" + B
    )
    assert refs(text) == [A, B]


def test_blank_lines_separate_references_that_span_lines():
    text = (
        "Radosa CG, Nebelung H. Radiologische Verfahren.\nRadiologie. 2024;64(7):575-81.\n\n"
        + B
        + "\n"
    )
    assert refs(text) == [A, B]


def test_one_reference_a_line_without_blank_lines():
    assert refs(f"{A}\n{B}\n") == [A, B]
    assert refs(f"{A}\n\n{B}\n") == [A, B]


def test_a_wrapped_doi_url_and_hyphenated_word_are_rejoined():
    text = (
        "Radosa CG. Radiologische Ver-\nfahren. Radiologie. 2024;64(7):575-81. https://doi.org/10.1007/s00117-\n"
        "024-01314-z\n" + B
    )
    assert refs(text) == [
        "Radosa CG. Radiologische Verfahren. Radiologie. 2024;64(7):575-81. "
        "https://doi.org/10.1007/s00117-024-01314-z",
        B,
    ]


def test_a_trailing_doi_on_its_own_line_stays_with_its_reference():
    assert refs(f"{A}\ndoi:10.1007/s00117-024-01314-z\n{B}") == [
        A + " doi:10.1007/s00117-024-01314-z",
        B,
    ]


def test_a_double_barrelled_name_broken_at_its_hyphen_keeps_the_hyphen():
    text = "1. Müller H-\n   Peter. Title. J Test. 2020;1:1-2.\n2. " + B
    assert refs(text)[0] == "Müller H-Peter. Title. J Test. 2020;1:1-2."


def test_lines_that_each_state_a_year_are_one_reference_each_whatever_their_ending():
    lines = [
        "Han SE, Chen G. Nano Lett. 2010, 10, 1012,",
        "Yang P, Chern JH. Design for reliability. In: Proc. DAC 1996, pp. 12-15, Berlin/",
        "Fenner M (2013) Letter from the editor. PLoS Biol 11(3): e1001500",
    ]
    assert refs("\n".join(lines)) == lines


def test_wrapped_lines_without_years_are_joined_to_their_reference():
    text = (
        "Kowalczyk A, Nowak B, Wiśniewski C. Gut microbiota in early childhood asthma and\n"
        "wheeze. Pediatr Allergy Immunol. 2019;30(4):412-9.\n"
        "Ito K, Mori T. Sarcopenia in dialysis patients. Kidney Int. 2018;94(2):311-8.\n"
    )
    assert refs(text) == [
        "Kowalczyk A, Nowak B, Wiśniewski C. Gut microbiota in early childhood asthma and "
        "wheeze. Pediatr Allergy Immunol. 2019;30(4):412-9.",
        "Ito K, Mori T. Sarcopenia in dialysis patients. Kidney Int. 2018;94(2):311-8.",
    ]
