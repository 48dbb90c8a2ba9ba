"""The container line grammar (VuFind/Summon, MARC 773, Primo) and publication statements."""

from __future__ import annotations

import pytest

from records.parsers.citation_line import parse_container_line
from records.parsers.publication import split_publication_statement


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Radiologe Vol. 64; no. 7; pp. 575 - 581", ("Radiologe", "64", "7", "575-581")),
        ("Radiologe Jg. 64; H. 7; S. 575 - 581", ("Radiologe", "64", "7", "575-581")),
        ("Radiologe Vol. 64; n°  7; pp. 575 - 581", ("Radiologe", "64", "7", "575-581")),
        ("Radiologe Vol. 64; nr 7; ss. 575 - 581", ("Radiologe", "64", "7", "575-581")),
        ("Radiologe Ročník 64; číslo 7; s. 575 - 581", ("Radiologe", "64", "7", "575-581")),
        ("Radiologe том. 64; № 7; стр. 575 - 581", ("Radiologe", "64", "7", "575-581")),
        ("Radiologe Vol. 64; n. 7; p. 12", ("Radiologe", "64", "7", "12")),
        ("Der Radiologe 50 (2023), 7, Seite 447-473", ("Der Radiologe", "50", "7", "447-473")),
        (
            "In: Radiologie. - Berlin : Springer, 2024, 64(2024), 7, Seite 575-581",
            ("Radiologie", "64", "7", "575-581"),
        ),
        (
            "Accounts of chemical research, 17 January 2012, Vol.45(1), pp.1-2",
            ("Accounts of chemical research", "45", "1", "1-2"),
        ),
        (
            "Journal of Physics: Conference Series Vol. 1; no. 2; p. e0213978",
            ("Journal of Physics: Conference Series", "1", "2", "e0213978"),
        ),
    ],
)
def test_container_lines(line, expected):
    out = parse_container_line(line)
    assert (out["container-title"], out["volume"], out["issue"], out["page"]) == expected


def test_a_bare_title_is_all_container():
    assert parse_container_line("Radiologe") == {"container-title": "Radiologe"}


def test_year_of_marc_and_primo_forms():
    assert parse_container_line("Der Radiologe 50 (2023), 7, Seite 447-473")["year"] == "2023"
    assert parse_container_line("Information Systems, 2020-11-21, p.370-379")["year"] == "2020"


@pytest.mark.parametrize(
    ("statement", "place", "publisher", "year"),
    [
        ("Heidelberg Springer Nature B.V 2024", "Heidelberg", "Springer Nature B.V", 2024),
        ("Berlin/Heidelberg Springer Medizin 2021", "Berlin/Heidelberg", "Springer Medizin", 2021),
        ("Stuttgart ; New York Thieme 2019", "Stuttgart ; New York", "Thieme", 2019),
        (
            "Madrid : Editorial Médica Panamericana, 2018",
            "Madrid",
            "Editorial Médica Panamericana",
            2018,
        ),
        # "[S.l.]" is the cataloguer's "place not known": no place, not the place "S.l."
        ("[S.l.] : Elsevier, c2003.", None, "Elsevier", 2003),
        ("Springer 2020", None, "Springer", 2020),
    ],
)
def test_publication_statements(statement, place, publisher, year):
    out = split_publication_statement(statement)
    assert out.get("publisher-place") == place
    assert out["publisher"] == publisher
    assert out["issued"] == {"date-parts": [[year]]}


@pytest.mark.parametrize(
    ("statement", "place", "publisher", "year"),
    [
        # a place qualified by its country or state, then the publisher (VuFind's joined subfields)
        (
            "New York, USA Cambridge University Press 1990",
            "New York, USA",
            "Cambridge University Press",
            1990,
        ),
        ("Cham, Switzerland Springer 2020", "Cham, Switzerland", "Springer", 2020),
        ("Boca Raton, FL : CRC Press, 2010", "Boca Raton, FL", "CRC Press", 2010),
        ("Cambridge, MA : MIT Press, 1999", "Cambridge, MA", "MIT Press", 1999),
        # "Publisher, Place": the place closes the statement
        ("Wiley-VCH, Weinheim, 2004", "Weinheim", "Wiley-VCH", 2004),
        (
            "Cambridge University Press, Cambridge, 2005",
            "Cambridge",
            "Cambridge University Press",
            2005,
        ),
        ("Oxford University Press, Oxford 2001", "Oxford", "Oxford University Press", 2001),
        # a city that opens the publisher's name is no place
        ("Oxford University Press 2001", None, "Oxford University Press", 2001),
        ("Berlin Verlag 2003", None, "Berlin Verlag", 2003),
        # German ISBD with several places
        ("Berlin ; Heidelberg : Springer, 2011", "Berlin ; Heidelberg", "Springer", 2011),
        ("Berlin [u.a.] : de Gruyter, 2001", "Berlin [u.a.]", "de Gruyter", 2001),
        ("[Berlin] : Merve, 1978", "Berlin", "Merve", 1978),
        # the cataloguer's "not known" is no value
        ("[Erscheinungsort nicht ermittelbar] : Verlag X, 2012", None, "Verlag X", 2012),
        ("[Place of publication not identified] : Lulu, 2014", None, "Lulu", 2014),
        ("[Lieu de publication non identifié] : Éditions Y, 2016", None, "Éditions Y", 2016),
    ],
)
def test_publication_statement_shapes(statement, place, publisher, year):
    out = split_publication_statement(statement)
    assert out.get("publisher-place") == place
    assert out.get("publisher") == publisher
    assert out["issued"] == {"date-parts": [[year]]}


def test_unknown_publisher_is_no_publisher():
    out = split_publication_statement("Berlin : [Verlag nicht ermittelbar], 2019")
    assert out == {"publisher-place": "Berlin", "issued": {"date-parts": [[2019]]}}
    assert "publisher" not in split_publication_statement("[S.l.] : [s.n.], 1999")
