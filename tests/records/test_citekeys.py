"""Citation key formulas: the default on the seeds, the language, safety and collision suffixes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from records.citekeys import (
    DEFAULT_FORMULA,
    compile_formula,
    make_key_safe,
    taken_in,
    unique_key,
)
from records.errors import UsageError
from records.parsers import parse_bytes
from tests.conftest import SPRINGER_SEED, VUFIND_SEED

SAFE_KEY = re.compile(r"^[A-Za-z0-9_:.\-]+$")


def _seed(path):
    return parse_bytes(path.read_bytes(), str(path)).records[0].csl


def test_default_formula_on_the_seeds():
    formula = compile_formula(DEFAULT_FORMULA)
    assert formula.base_key(_seed(VUFIND_SEED)) == "radosa2024radiologisch"
    # Particle kept in the family name; "de" is not dropped.
    assert formula.base_key(_seed(SPRINGER_SEED)) == "demestier2017liver"


def test_default_skips_function_words_in_each_language():
    formula = compile_formula(DEFAULT_FORMULA)
    base = {"author": [{"family": "Müller", "given": "A."}], "issued": {"date-parts": [[1999]]}}
    for title, word in [
        ("The role of embolization", "role"),
        ("Über die Behandlung der Lebermetastasen", "behandlung"),
        ("L'embolisation des métastases", "embolisation"),
        ("La embolización de las metástasis", "embolizacion"),
        ("Ein neuer Ansatz", "neuer"),
    ]:
        assert formula.base_key({**base, "title": title}) == f"muller1999{word}"


def test_default_without_authors_or_year_still_gives_a_key():
    formula = compile_formula(DEFAULT_FORMULA)
    assert formula.base_key({"title": "Guidelines for NET"}) == "guidelines"
    assert formula.base_key({"title": "Guidelines", "issued": {"date-parts": [[2020]]}}) == (
        "guidelines2020"
    )
    assert formula.base_key({}) == "ref"


def test_functions_and_transforms():
    csl = {
        "author": [
            {"family": "de Mestier", "given": "Louis"},
            {"family": "Zappa", "given": "Magaly"},
            {"family": "Hentic", "given": "Olivia"},
        ],
        "title": "Liver transarterial embolizations in metastatic neuroendocrine tumors",
        "container-title": "Reviews in Endocrine and Metabolic Disorders",
        "issued": {"date-parts": [[2017, 10, 3]]},
        "page": "459-471",
        "volume": "18",
        "DOI": "10.1007/s11154-017-9431-2",
    }

    def key(text: str) -> str:
        return compile_formula(text).base_key(csl)

    assert key("auth") == "deMestier"
    assert key("auth(4)") == "deMe"
    assert key("auth(0, 2).upper") == "ZAPPA"
    assert key("authors") == "deMestierZappaHentic"
    assert key("authors(2)") == "deMestierZappaEtAl"
    assert key("authEtAl") == "deMestierEtAl"
    assert key("shorttitle") == "Livertransarterialembolizations"
    assert key("shorttitle(2, 2)") == "LiverTransarterial"
    assert key("veryshorttitle.upper") == "LIVER"
    assert key("title.truncate(12)") == "LiverTransar"
    assert key("journal.truncate(7)") == "Reviews"
    assert key("journalabbrev") == "REMD"
    assert key("journalabbrev") == key("journalabbrev.upper")
    assert key("firstpage + '-' + lastpage") == "459-471"
    assert key("year.substring(3, 2)") == "17"
    assert key("auth.lower + '_' + year") == "demestier_2017"
    assert key("volume + ':' + firstpage") == "18:459"
    assert key("doi.clean") == "s1115401794312"
    assert compile_formula("journalabbrev").base_key(
        {"container-title": "X", "container-title-short": "Rev Endocr Metab Disord"}
    ) == ("RevEndocrMetabDisord")


def test_fallbacks_take_the_first_complete_alternative():
    formula = compile_formula("auth + year | title.truncate(8) + year || 'anon'")
    kim = {"author": [{"family": "Kim"}], "title": "T", "issued": {"date-parts": [[1990]]}}
    assert formula.base_key(kim) == "Kim1990"
    untitled = {"title": "Anonymous works", "issued": {"date-parts": [[2001]]}}
    assert formula.base_key(untitled) == "Anonymou2001"
    # Kim without a year: no function-complete alternative but the quoted one.
    assert formula.base_key({"author": [{"family": "Kim"}]}) == "anon"


def test_when_no_alternative_is_complete_the_first_partial_key_is_used():
    formula = compile_formula("auth + year | title + year")
    assert formula.base_key({"author": [{"family": "Kim"}], "title": "Tea"}) == "Kim"
    assert formula.base_key({"title": "Tea"}) == "Tea"
    assert formula.base_key({}) == "ref"


def test_ascii_fold_and_corporate_authors():
    formula = compile_formula("auth.ascii + shorttitle(1,1).ascii")
    csl = {"author": [{"family": "Schön"}], "title": "Größere Ärzte"}
    assert formula.base_key(csl) == "SchonGrossere"
    corporate = {"author": [{"literal": "World Health Organization"}], "title": "Report"}
    assert compile_formula("auth").base_key(corporate) == "WHO"


def test_editors_stand_in_for_missing_authors():
    csl = {"editor": [{"family": "Lee", "given": "A."}], "title": "Handbook"}
    assert compile_formula("auth.lower").base_key(csl) == "lee"


@pytest.mark.parametrize(
    ("formula", "fragment"),
    [
        ("", "empty"),
        ("auth +", "the end"),
        ("foo + year", "unknown function 'foo'"),
        ("auth.bar", "unknown transform 'bar'"),
        ("auth(1,2,3)", "at most 2"),
        ("auth(x)", "whole numbers"),
        ("auth.truncate", "needs 1"),
        ("auth(1", "unclosed"),
        ("auth year", "expected '+' or '|'"),
        ("auth + 'x", "unexpected"),
    ],
)
def test_bad_formulas_are_usage_errors_naming_the_problem(formula, fragment):
    with pytest.raises(UsageError) as caught:
        compile_formula(formula)
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


_names = st.lists(
    st.one_of(
        st.fixed_dictionaries({"family": st.text(min_size=1), "given": st.text()}),
        st.fixed_dictionaries({"literal": st.text(min_size=1)}),
    ),
    max_size=4,
)
_csl = st.fixed_dictionaries(
    {},
    optional={
        "author": _names,
        "title": st.text(),
        "container-title": st.text(),
        "page": st.text(),
        "issued": st.fixed_dictionaries(
            {
                "date-parts": st.lists(
                    st.lists(st.integers(1, 2100), min_size=1, max_size=3), min_size=1, max_size=1
                )
            }
        ),
    },
)


@given(_csl)
def test_any_record_gets_a_safe_non_empty_key(csl):
    for text in (DEFAULT_FORMULA, "authors(2) + title + journal + firstpage", "auth.upper"):
        key = compile_formula(text).base_key(csl)
        assert SAFE_KEY.match(key), key


@given(st.text())
def test_make_key_safe_keeps_only_safe_characters(text):
    safe = make_key_safe(text)
    assert safe == "" or SAFE_KEY.match(safe)


def test_unique_key_suffixes_in_order_and_case_insensitively():
    assert unique_key("chen2014", taken_in([])) == "chen2014"
    assert unique_key("chen2014", taken_in(["Chen2014"])) == "chen2014a"
    assert unique_key("chen2014", taken_in(["chen2014", "CHEN2014A"])) == "chen2014b"
    many = ["x"] + [f"x{c}" for c in "abcdefghijklmnopqrstuvwxyz"]
    assert unique_key("x", taken_in(many)) == "xaa"
    assert unique_key("x", taken_in([*many, "xaa"])) == "xab"


@given(st.lists(st.sampled_from(["chen2014", "Chen2014", "lee2020", "chen2014a"]), max_size=40))
def test_assigning_keys_one_by_one_never_renames_and_never_collides(bases):
    assigned: list[str] = []
    for base in bases:
        before = list(assigned)
        key = unique_key(base, taken_in(assigned))
        assigned.append(key)
        assert assigned[:-1] == before  # earlier keys untouched
        assert key.lower().startswith(base.lower())
    assert len({k.lower() for k in assigned}) == len(assigned)
