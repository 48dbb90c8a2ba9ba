"""RIS read as Zotero's RIS translator reads it (issue 12): every reference type, DA before
PY/Y1, page text that keeps a leading capital "P"."""

from __future__ import annotations

import pytest

from records.parsers import parse_text
from records.parsers.ris import TYPES

# Zotero's RIS import map (RIS.js importTypeMap + exportTypeMap), as Zotero item types.
ZOTERO_TYPES = {
    "ABST": "journalArticle", "ADVS": "film", "AGGR": "document", "ANCIENT": "document",
    "ART": "artwork", "BILL": "bill", "BLOG": "blogPost", "BOOK": "book", "CASE": "case",
    "CHAP": "bookSection", "CHART": "artwork", "CLSWK": "book", "COMP": "computerProgram",
    "CONF": "conferencePaper", "CPAPER": "conferencePaper", "CTLG": "magazineArticle",
    "DATA": "document", "DBASE": "document", "DICT": "dictionaryEntry", "EBOOK": "book",
    "ECHAP": "bookSection", "EDBOOK": "book", "EJOUR": "journalArticle", "ELEC": "webpage",
    "ENCYC": "encyclopediaArticle", "EQUA": "document", "FIGURE": "artwork",
    "GEN": "journalArticle", "GOVDOC": "report", "GRNT": "document", "HEAR": "hearing",
    "ICOMM": "email", "INPR": "manuscript", "JFULL": "journalArticle", "JOUR": "journalArticle",
    "LEGAL": "case", "MANSCPT": "manuscript", "MAP": "map", "MGZN": "magazineArticle",
    "MPCT": "film", "MULTI": "videoRecording", "MUSIC": "audioRecording", "NEWS": "newspaperArticle",
    "PAMP": "manuscript", "PAT": "patent", "PCOMM": "letter", "RPRT": "report", "SER": "book",
    "SLIDE": "presentation", "SOUND": "audioRecording", "STAND": "report", "STAT": "statute",
    "THES": "thesis", "UNBILL": "manuscript", "UNPD": "manuscript", "VIDEO": "videoRecording",
}  # fmt: skip
# Zotero item type -> CSL type, as Zotero's own CSL mapping writes it.
ZOTERO_TO_CSL = {
    "journalArticle": "article-journal", "film": "motion_picture", "document": "document",
    "artwork": "graphic", "bill": "bill", "blogPost": "post-weblog", "book": "book",
    "case": "legal_case", "bookSection": "chapter", "computerProgram": "software",
    "conferencePaper": "paper-conference", "magazineArticle": "article-magazine",
    "dictionaryEntry": "entry-dictionary", "webpage": "webpage",
    "encyclopediaArticle": "entry-encyclopedia", "report": "report", "hearing": "hearing",
    "email": "personal_communication", "manuscript": "manuscript", "map": "map",
    "videoRecording": "motion_picture", "audioRecording": "song",
    "newspaperArticle": "article-newspaper", "patent": "patent",
    "letter": "personal_communication", "presentation": "speech", "statute": "legislation",
    "thesis": "thesis",
}  # fmt: skip
# Where the CSL type says more than Zotero's item type (docs/conformance.md, "RIS types").
CONVENTION = {
    "INPR": "article-journal", "PAMP": "pamphlet", "STAND": "standard", "DATA": "dataset",
    "DBASE": "dataset", "AGGR": "dataset", "CTLG": "book", "UNBILL": "bill",
    "GEN": "document", "MUSIC": "musical_score", "JFULL": "periodical", "FIGURE": "figure",
}  # fmt: skip


@pytest.mark.parametrize("code", sorted(ZOTERO_TYPES))
def test_every_ris_type_is_read_as_zotero_reads_it_or_by_the_named_convention(code: str) -> None:
    expected = CONVENTION.get(code) or ZOTERO_TO_CSL[ZOTERO_TYPES[code]]
    assert TYPES[code] == expected
    [record] = parse_text(f"TY  - {code}\nTI  - A title\nER  - \n", "a.ris").records
    assert record.csl["type"] == expected


def test_conventions_are_only_where_zotero_says_less():
    for code, kept in CONVENTION.items():
        assert ZOTERO_TO_CSL[ZOTERO_TYPES[code]] != kept


def _read(lines: str) -> dict:
    [record] = parse_text(f"TY  - JOUR\nTI  - A title\n{lines}ER  - \n", "a.ris").records
    return record.csl


def test_da_is_the_date_and_py_y1_only_the_backup():
    assert _read("Y1  - 2019\nDA  - 2020/03/15\n")["issued"] == {"date-parts": [[2020, 3, 15]]}
    assert _read("PY  - 2019\nDA  - 2019/05\n")["issued"] == {"date-parts": [[2019, 5]]}
    assert _read("PY  - 2018///\n")["issued"] == {"date-parts": [[2018]]}
    assert _read("DA  - 2017/01/02\nY2  - 2023/01/01\n")["issued"] == {"date-parts": [[2017, 1, 2]]}


@pytest.mark.parametrize(
    ("lines", "page"),
    [
        ("SP  - P1\nEP  - P5\n", "P1-P5"),
        ("SP  - P123\n", "P123"),
        ("SP  - P1-P5\n", "P1-P5"),
        ("SP  - pp. 12-15\n", "12-15"),
        ("SP  - p575\nEP  - 581\n", "575-581"),
        ("SP  - S12\nEP  - S15\n", "S12-S15"),
    ],
)
def test_page_text_keeps_a_leading_capital_p(lines: str, page: str) -> None:
    assert _read(lines)["page"] == page
