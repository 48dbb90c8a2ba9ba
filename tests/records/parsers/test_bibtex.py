"""BibTeX and BibLaTeX: macros, crossref, names, LaTeX, failures, encodings."""

from __future__ import annotations

import pytest

from records.parsers import detect, parse_bytes, parse_text
from records.parsers.bibtex import split_bibtex_name, split_bibtex_names
from tests.conftest import FIXTURES

SAMPLE = r"""% A bibliography as people keep them
@string{rad = "Radiologie"}
@String{ suffix = "(Heidelberg)" }

@article{Radosa2024,
  author    = {Radosa, Christoph Georg and Nebelung, H. and Sch{\"o}n, F. and
               Hoffmann, Ralf-Thorsten and others},
  title     = {Radiologisch-interventionelle {M}{\"o}glichkeiten bei Blutungen --- ein {\"U}berblick},
  journal   = rad # " " # suffix,
  year      = 2024,
  month     = jul,
  volume    = {64},
  number    = {7},
  pages     = {575--81},
  doi       = {10.1007/s00117-024-01317-y},
  issn      = {2731-7048},
  langid    = {ngerman},
  keywords  = {Embolisation, Blutung},
}

@inproceedings{chapter1,
  author    = {Ludwig van Beethoven and de la Vall{\'e}e Poussin, Charles and {World Health Organization}},
  title     = "Proceedings paper",
  crossref  = {proc2020},
  pages     = "1--10",
}

@proceedings{proc2020,
  title     = {Proceedings of the Conference},
  editor    = {Smith, John and Doe, Jane},
  publisher = {Springer},
  address   = {Cham},
  year      = {2020},
}

@book{broken,
  title = {Missing closing brace,
  year = 2001

@misc{after, title = {Read after the broken one}, year = {1999}}
"""


@pytest.fixture(scope="module")
def result():
    return parse_text(SAMPLE, "refs.bib")


def test_detected_from_content() -> None:
    assert detect(SAMPLE, "no-extension").name == "bibtex"


def test_article_fields(result) -> None:
    record = result.records[0]
    csl = record.csl
    assert record.source.id == "Radosa2024"
    assert record.source.position == 1
    assert record.source.line == 5
    assert record.raw.startswith("@article{Radosa2024,") and record.raw.rstrip().endswith("}")
    assert csl["type"] == "article-journal"
    assert (
        csl["title"] == "Radiologisch-interventionelle Möglichkeiten bei Blutungen — ein Überblick"
    )
    assert csl["container-title"] == "Radiologie (Heidelberg)"  # @string macros and '#'
    assert csl["issued"] == {"date-parts": [[2024, 7]]}  # month macro
    assert (csl["volume"], csl["issue"], csl["page"]) == ("64", "7", "575-581")
    assert csl["DOI"] == "10.1007/s00117-024-01317-y"
    assert csl["ISSN"] == "2731-7048"
    assert csl["language"] == "de"  # babel's ngerman
    assert csl["keyword"] == "Embolisation, Blutung"


def test_names_and_others(result) -> None:
    authors = result.records[0].csl["author"]
    assert authors == [
        {"family": "Radosa", "given": "Christoph Georg"},
        {"family": "Nebelung", "given": "H."},
        {"family": "Schön", "given": "F."},
        {"family": "Hoffmann", "given": "Ralf-Thorsten"},
    ]  # "and others" dropped, nothing invented in its place


def test_crossref_inheritance(result) -> None:
    chapter = next(r for r in result.records if r.source.id == "chapter1")
    csl = chapter.csl
    assert csl["type"] == "paper-conference"
    assert csl["container-title"] == "Proceedings of the Conference"  # parent title -> booktitle
    assert csl["publisher"] == "Springer" and csl["publisher-place"] == "Cham"
    assert csl["issued"] == {"date-parts": [[2020]]}
    assert [e["family"] for e in csl["editor"]] == ["Smith", "Doe"]
    assert csl["author"] == [
        {"family": "van Beethoven", "given": "Ludwig"},
        {"family": "de la Vallée Poussin", "given": "Charles"},
        {"literal": "World Health Organization"},
    ]
    # The parent stays a record of its own.
    assert any(r.source.id == "proc2020" for r in result.records)


def test_malformed_entry_is_a_failure_and_the_rest_imports(result) -> None:
    assert len(result.failures) == 1
    failure = result.failures[0]
    assert failure.origin == "refs.bib"
    assert failure.record == 4 and failure.line == 36
    assert "malformed BibTeX entry" in failure.reason
    after = next(r for r in result.records if r.source.id == "after")
    assert after.csl["title"] == "Read after the broken one"
    assert after.source.position == 5


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Knuth, Donald E.", {"family": "Knuth", "given": "Donald E."}),
        ("Donald E. Knuth", {"family": "Knuth", "given": "Donald E."}),
        (
            "Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin",
            {"family": "de la Vallée Poussin", "given": "Charles Louis Xavier Joseph"},
        ),
        ("von Neumann, Jr., John", {"family": "von Neumann", "given": "John", "suffix": "Jr."}),
        ("{Barnes and Noble, Inc.}", {"literal": "Barnes and Noble, Inc."}),
        ('{\\"O}zt{\\"u}rk, Ay{\\c{s}}e', {"family": "Öztürk", "given": "Ayşe"}),
        ("Aristotle", {"family": "Aristotle"}),
        (
            "family=Vallée Poussin, given=Charles, prefix=de",
            {"family": "de Vallée Poussin", "given": "Charles"},
        ),
    ],
)
def test_bibtex_name_forms(raw: str, name: dict) -> None:
    assert split_bibtex_name(raw) == name


def test_name_list_keeps_braced_and() -> None:
    names = split_bibtex_names("{Barnes and Noble} and Smith, J. AND Doe, Jane")
    assert names == [
        {"literal": "Barnes and Noble"},
        {"family": "Smith", "given": "J."},
        {"family": "Doe", "given": "Jane"},
    ]


def test_biblatex_date_and_fields() -> None:
    text = """@online{web1,
      author = {Doe, Jane}, title = {A page}, date = {2021-03-04/2021-03-05},
      urldate = {2024-01-02}, url = {https://example.org/a_b?c=d}, eprinttype = {pubmed},
      eprint = {12345678}, journaltitle = {Ignored for online}
    }"""
    csl = parse_text(text, "x.bib").records[0].csl
    assert csl["type"] == "webpage"
    assert csl["issued"] == {"date-parts": [[2021, 3, 4], [2021, 3, 5]]}
    assert csl["accessed"] == {"date-parts": [[2024, 1, 2]]}
    assert csl["URL"] == "https://example.org/a_b?c=d"
    assert csl["PMID"] == "12345678"


def test_duplicate_keys_are_both_kept() -> None:
    text = "@article{k, title={One}}\n@article{k, title={Two}}\n"
    result = parse_text(text, "dup.bib")
    assert [r.csl["title"] for r in result.records] == ["One", "Two"]
    assert [r.source.id for r in result.records] == ["k", "k"]


def test_entry_without_fields_is_a_failure() -> None:
    result = parse_text("@misc{lonely}\n@misc{ok, title={Fine}}\n", "x.bib")
    assert [r.source.id for r in result.records] == ["ok"]
    assert result.failures[0].record == 1 and "no fields" in result.failures[0].reason


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_encodings(encoding: str) -> None:
    text = "@article{a, author = {Schön, François}, title = {Über Straße}, year = 2020}\n"
    result = parse_bytes(text.encode(encoding), "enc.bib")
    csl = result.records[0].csl
    assert csl["author"] == [{"family": "Schön", "given": "François"}]
    assert csl["title"] == "Über Straße"


def test_gbk_fixture_does_not_crash() -> None:
    path = FIXTURES / "formats/bibtexparser/v2-tests-resources/gbk_test.bib"
    result = parse_bytes(path.read_bytes(), path.name)
    assert result.records


def test_biber_examples_all_read() -> None:
    path = FIXTURES / "formats/bibtexparser/v1.4.4-tests-data/biber-examples.bib"
    result = parse_bytes(path.read_bytes(), path.name)
    text = path.read_text("utf-8")
    entries = sum(
        1
        for line in text.splitlines()
        if line.lstrip().startswith("@")
        and not line.lstrip().lower().startswith(("@string", "@comment", "@preamble"))
    )
    assert len(result.records) + len(result.failures) == entries
    # Every entry yields something beyond its type (some of biber's test entries hold only
    # a PAGES or LOCATION field).
    assert all(len(r.csl) > 1 for r in result.records)
