"""MEDLINE / PubMed nbib tagged format."""

from __future__ import annotations

from records.parsers import detect, parse_bytes, parse_text

NBIB = """PMID- 38760522
OWN - NLM
STAT- MEDLINE
IS  - 2731-7056 (Electronic)
IS  - 2731-7048 (Print)
IS  - 2731-7048 (Linking)
VI  - 64
IP  - 7
DP  - 2024 Jul
TI  - Radiologisch-interventionelle Möglichkeiten bei Blutungen im Gastrointestinaltrakt
      und im Retroperitoneum.
PG  - 575-81
LID - 10.1007/s00117-024-01317-y [doi]
AB  - HINTERGRUND: Blutungen sind häufig. ZIEL: Übersicht über die
      Möglichkeiten.
FAU - Radosa, Christoph Georg
AU  - Radosa CG
FAU - Nebelung, Heiner
AU  - Nebelung H
CN  - Study Group Radiology
LA  - ger
PT  - English Abstract
PT  - Journal Article
PT  - Review
DEP - 20240518
TA  - Radiologie (Heidelb)
JT  - Radiologie (Heidelberg, Germany)
OT  - Embolisation
OT  - Blutung
AID - 10.1007/s00117-024-01317-y [doi]
AID - 10.1007/s00117-024-01317-y [pii]
PMC - PMC11211111

PMID- 20481061
TI  - From danger and motherhood to health and beauty.
AU  - Long V
DP  - 2010 Sep-Oct
VI  - 20
IP  - 4
PG  - 454-81
LA  - eng
JT  - Twentieth century British history
MH  - Female
MH  - History, 20th Century
"""


def test_detected_from_content() -> None:
    assert detect(NBIB, "pubmed.txt").name == "medline"


def test_first_record_field_by_field() -> None:
    result = parse_text(NBIB, "pubmed.nbib")
    record = result.records[0]
    csl = record.csl
    assert record.source.id == "38760522" and record.source.line == 1
    assert record.raw.startswith("PMID- 38760522") and "PMC - PMC11211111" in record.raw
    assert csl["title"] == (
        "Radiologisch-interventionelle Möglichkeiten bei Blutungen im Gastrointestinaltrakt "
        "und im Retroperitoneum"
    )
    assert csl["author"] == [
        {"family": "Radosa", "given": "Christoph Georg"},
        {"family": "Nebelung", "given": "Heiner"},
        {"literal": "Study Group Radiology"},
    ]
    assert csl["page"] == "575-581"
    assert csl["issued"] == {"date-parts": [[2024, 7]]}
    assert csl["language"] == "de" and record.original["language"] == "ger"
    assert csl["container-title"] == "Radiologie (Heidelberg, Germany)"
    assert csl["container-title-short"] == "Radiologie (Heidelb)"
    assert csl["ISSN"] == "2731-7056, 2731-7048"
    assert record.issn_kinds == {"2731-7056": "electronic", "2731-7048": "print"}
    assert csl["DOI"] == "10.1007/s00117-024-01317-y"
    assert csl["PMID"] == "38760522" and csl["PMCID"] == "PMC11211111"
    assert csl["type"] == "article-journal"
    assert csl["abstract"].startswith("HINTERGRUND: Blutungen sind häufig. ZIEL: Übersicht")
    assert csl["keyword"] == "Embolisation, Blutung"


def test_second_record_au_fallback_season_and_mesh() -> None:
    csl = parse_text(NBIB, "pubmed.nbib").records[1].csl
    assert csl["author"] == [{"family": "Long", "given": "V."}]
    assert csl["issued"] == {"date-parts": [[2010, 9], [2010, 10]]}
    assert csl["page"] == "454-481"
    assert csl["keyword"] == "Female, History, 20th Century"


def test_record_without_identification_is_a_failure() -> None:
    text = "PMID- 1\nTI  - Fine\n\nOWN - NLM\nSTAT- MEDLINE\n\nPMID- 2\nTI  - Also fine\n"
    result = parse_text(text, "x.nbib")
    assert [r.source.id for r in result.records] == ["1", "2"]
    assert len(result.failures) == 1
    assert (result.failures[0].record, result.failures[0].line) == (2, 4)
    assert "OWN, STAT" in result.failures[0].reason


def test_au_initials_are_never_a_suffix() -> None:
    from records.parsers.medline import au_name

    assert au_name("Long V") == {"family": "Long", "given": "V."}
    assert au_name("Radosa CG") == {"family": "Radosa", "given": "C. G."}
    assert au_name("Smith JA Jr") == {"family": "Smith", "given": "J. A.", "suffix": "Jr."}
    assert au_name("de Mestier L") == {"family": "de Mestier", "given": "L."}


def test_crlf_and_bom() -> None:
    data = ("\ufeff" + NBIB.replace("\n", "\r\n")).encode("utf-8")
    result = parse_bytes(data, "x.nbib")
    assert len(result.records) == 2
    assert result.records[0].csl["title"].endswith("im Retroperitoneum")
