"""RIS in the flavours exporters write: Scopus, Web of Science, EndNote, PubMed, Zotero."""

from __future__ import annotations

import pytest

from records.parsers import detect, parse_bytes, parse_text

SCOPUS = """TY  - JOUR
TI  - A transversely isotropic composite with a statistical distribution of spheroidal inclusions
T2  - Journal of the Mechanics and Physics of Solids
J2  - J. Mech. Phys. Solids
VL  - 52
IS  - 10
SP  - 2309
EP  - 2327
PY  - 2004
DO  - 10.1016/j.jmps.2004.03.010
AU  - Federico, S.
AU  - Grillo, A.
KW  - Composite
KW  - Inclusions
N1  - Cited By :44; Export Date: 1 April 2016
M3  - Article
DB  - Scopus
UR  - http://www.scopus.com/inward/record.url?eid=2-s2.0-4544289390
ER  -
"""

ENDNOTE = """\ufeffTY  - JOUR
ID  - 1289
AU  - Radosa, C. G.
AU  - Nebelung, H.
A1  - Schön, F.
TI  - Radiologisch-interventionelle Möglichkeiten
JO  - Radiologie (Heidelberg)
JA  - Radiologie
Y1  - 2024/07//
SP  - 575-581
VL  - 64
IS  - 7
SN  - 2731-7048 (Print); 2731-7056 (Electronic)
M3  - doi: 10.1007/s00117-024-01317-y
LA  - German
AB  - Hintergrund: Blutungen sind häufig.
  Fortsetzung auf der nächsten Zeile.
ER  -
"""

PUBMED = """TY  - JOUR
DB  - PubMed
AU  - Jung, Sang In
T1  - The effect of smartphone usage time on posture
LA  - eng
SN  - 0915-5287
SN  - 2187-5626
Y1  - 2016/01/
ET  - 2016/01/30
SP  - 186
EP  - 9
VL  - 28
IS  - 1
AN  - 26957754
U2  - PMC4756000[pmcid]
J2  - J Phys Ther Sci
JF  - Journal of physical therapy science
ER  -
"""

BOOK = """TY  - BOOK
AU  - Berkman, Robert I.
A2  - Editor, Some
TI  - Find It Fast
T2  - How-To Series
PY  - 1994
DA  - 1994/03/15/
PB  - HarperPerennial
CY  - New York
SN  - 0-06-273287-0
ET  - 3rd
UR  - https://doi.org/10.5555/12345678
ER  -
"""


def test_detected_from_content() -> None:
    assert detect(SCOPUS, "download").name == "ris"
    assert detect(ENDNOTE.lstrip("\ufeff"), "x").name == "ris"


def test_scopus_flavour() -> None:
    record = parse_text(SCOPUS, "scopus.ris").records[0]
    csl = record.csl
    assert csl["type"] == "article-journal"
    assert csl["container-title"] == "Journal of the Mechanics and Physics of Solids"
    assert csl["container-title-short"] == "J. Mech. Phys. Solids"
    assert csl["page"] == "2309-2327"
    assert csl["DOI"] == "10.1016/j.jmps.2004.03.010"  # not "Article" from M3
    assert csl["issued"] == {"date-parts": [[2004]]}
    assert csl["keyword"] == "Composite, Inclusions"
    assert record.source.id is None and record.source.line == 1
    assert record.raw.startswith("TY  - JOUR") and record.raw.rstrip().endswith("ER  -")


def test_endnote_flavour_doi_in_m3_issn_kinds_and_continuation() -> None:
    record = parse_text(ENDNOTE, "endnote.ris").records[0]
    csl = record.csl
    assert record.source.id == "1289"
    assert [a["family"] for a in csl["author"]] == ["Radosa", "Nebelung", "Schön"]
    assert csl["container-title"] == "Radiologie (Heidelberg)"
    assert csl["container-title-short"] == "Radiologie"
    assert csl["issued"] == {"date-parts": [[2024, 7]]}
    assert csl["DOI"] == "10.1007/s00117-024-01317-y"
    assert csl["ISSN"] == "2731-7048, 2731-7056"
    assert record.issn_kinds == {"2731-7048": "print", "2731-7056": "electronic"}
    assert csl["language"] == "de"
    assert (
        csl["abstract"] == "Hintergrund: Blutungen sind häufig. Fortsetzung auf der nächsten Zeile."
    )


def test_pubmed_flavour() -> None:
    csl = parse_text(PUBMED, "pubmed.ris").records[0].csl
    assert csl["PMID"] == "26957754" and csl["PMCID"] == "PMC4756000"
    assert csl["page"] == "186-189"  # NLM-style abbreviated end page
    assert csl["issued"] == {"date-parts": [[2016, 1]]}
    assert "edition" not in csl  # ET holds the e-pub date in PubMed's RIS
    assert csl["language"] == "en"
    assert csl["container-title"] == "Journal of physical therapy science"


def test_book_isbn_and_doi_url() -> None:
    csl = parse_text(BOOK, "book.ris").records[0].csl
    assert csl["type"] == "book"
    assert csl["ISBN"] == "9780062732873"  # ISBN-10 from SN, as ISBN-13
    assert "ISSN" not in csl
    assert csl["collection-title"] == "How-To Series"
    assert csl["issued"] == {"date-parts": [[1994, 3, 15]]}  # DA refines PY
    assert csl["editor"] == [{"family": "Editor", "given": "Some"}]
    assert csl["DOI"] == "10.5555/12345678"
    assert (csl["publisher"], csl["publisher-place"], csl["edition"]) == (
        "HarperPerennial",
        "New York",
        "3rd",
    )


def test_several_records_missing_er_and_extraneous_text() -> None:
    text = (
        "Record #1 of 3\nProvider: Somewhere\n\n"
        + SCOPUS
        + "\nsome footer text\n\nTY  - JOUR\nTI  - No ER here\nAU  - Doe, J.\n"
        + "TY  - CHAP\nTI  - Third\nBT  - The Book\nER  - \n"
    )
    result = parse_text(text, "mixed.ris")
    assert [r.csl["title"] for r in result.records] == [
        "A transversely isotropic composite with a statistical distribution of spheroidal inclusions",
        "No ER here",
        "Third",
    ]
    assert [r.source.position for r in result.records] == [1, 2, 3]
    starts = [i for i, line in enumerate(text.splitlines(), start=1) if line.startswith("TY  -")]
    assert [r.source.line for r in result.records] == starts
    assert result.records[2].csl["type"] == "chapter"
    assert result.records[2].csl["container-title"] == "The Book"
    assert not result.failures


def test_empty_record_is_a_failure_naming_its_place() -> None:
    text = "TY  - JOUR\nER  - \n\n" + SCOPUS
    result = parse_text(text, "empty.ris")
    assert len(result.records) == 1
    failure = result.failures[0]
    assert (failure.origin, failure.record, failure.line) == ("empty.ris", 1, 1)
    assert "empty RIS record" in failure.reason


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le", "utf-16", "cp1252"])
def test_encodings_and_crlf(encoding: str) -> None:
    text = ENDNOTE.lstrip("\ufeff").replace("\n", "\r\n")
    data = text.encode(encoding)  # utf-16-le: no BOM, detected from the NUL pattern
    csl = parse_bytes(data, "enc.ris").records[0].csl
    assert csl["author"][2] == {"family": "Schön", "given": "F."}
    assert csl["title"] == "Radiologisch-interventionelle Möglichkeiten"


def test_type_written_as_a_name() -> None:
    text = "TY  - Journal Article\nTI  - T\nER  - \n"
    assert parse_text(text, "x.ris", "ris").records[0].csl["type"] == "article-journal"
