"""Free-text references: one record per line, only the fields a grammar reads with confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from records.errors import UnknownFormat
from records.parsers import detect, parse_text
from records.parsers.reference_string import ReferenceStringParser, parse_reference
from records.references.paste import NUMBERING
from tests.records.parsers.pagetools import sample

SEED_REFERENCE = (
    "Radosa CG, Nebelung H, Schön F, Hoffmann RT. Radiologisch-interventionelle Möglichkeiten "
    "zur Behandlung von neuroendokrinen Tumoren. Radiologie. 2024;64(7):575-581."
)
SEED_AUTHORS = [
    {"family": "Radosa", "given": "C. G."},
    {"family": "Nebelung", "given": "H."},
    {"family": "Schön", "given": "F."},
    {"family": "Hoffmann", "given": "R. T."},
]


def test_the_issue_example():
    csl = parse_reference(SEED_REFERENCE)
    assert csl["author"] == SEED_AUTHORS
    assert csl["title"] == (
        "Radiologisch-interventionelle Möglichkeiten zur Behandlung von neuroendokrinen Tumoren"
    )
    assert csl["container-title"] == "Radiologie"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("64", "7", "575-581")
    assert csl["issued"] == {"date-parts": [[2024]]}
    assert "DOI" not in csl


def test_a_file_of_references_gives_one_record_per_line_with_the_verbatim_string():
    text = sample("reference", "mixed_styles.txt")
    result = parse_text(text, "refs.txt")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(result.records) == len(lines) == 10
    for record, line in zip(result.records, lines, strict=True):
        # the list number ("1.", "[2]") is the list's, not the reference's
        assert record.raw == NUMBERING.sub("", line.strip())
        assert record.original["reference"] == record.raw
    assert [r.source.line for r in result.records] == list(range(1, 11))


def test_vancouver_with_doi_month_and_nlm_pages():
    records = parse_text(sample("reference", "mixed_styles.txt"), "refs.txt").records
    first, second, third = (r.csl for r in records[:3])
    assert first["DOI"] == "10.1007/s00117-024-01314-z"
    assert second["author"][0] == {"family": "de Mestier", "given": "L."}
    assert second["issued"] == {"date-parts": [[2017, 12]]}
    assert second["page"] == "459-471"
    assert third["author"][2] == {"family": "Smith", "given": "J.", "suffix": "Jr."}
    assert third["PMID"] == "31864825"
    assert third["title"].endswith("a comparison of outcomes")


def test_apa_style():
    csl = parse_text(sample("reference", "mixed_styles.txt"), "r").records[3].csl
    assert csl["author"] == SEED_AUTHORS
    assert (csl["container-title"], csl["volume"], csl["issue"], csl["page"]) == (
        "Radiologie",
        "64",
        "7",
        "575-581",
    )
    assert csl["DOI"] == "10.1007/s00117-024-01314-z"


def test_springer_reference_list_style_with_et_al():
    records = parse_text(sample("reference", "mixed_styles.txt"), "r").records
    dasari, helmberger = records[4].csl, records[7].csl
    assert [a["family"] for a in dasari["author"]] == ["Dasari", "Shen", "Halperin"]
    assert (dasari["container-title"], dasari["volume"], dasari["page"]) == (
        "JAMA Oncol",
        "3",
        "1335-1342",
    )
    assert helmberger["author"][2] == {"family": "O'Connor", "given": "M. A."}
    assert helmberger["issue"] == "3"


def test_numbering_elocator_and_dotted_journal_abbreviation():
    records = parse_text(sample("reference", "mixed_styles.txt"), "r").records
    assert records[5].csl["page"] == "e0213978"
    assert records[5].csl["author"][0] == {"family": "Berg", "given": "L."}
    assert records[6].csl["container-title"] == "J. Vasc. Interv. Radiol"
    assert records[6].csl["title"].startswith("Yttrium-90")


def test_prose_yields_only_what_it_states():
    csl = parse_text(sample("reference", "mixed_styles.txt"), "r").records[9].csl
    assert csl == {"DOI": "10.5555/guideline.2019.1"}  # "the 2019 guideline" is no date


def test_a_line_with_nothing_readable_is_a_failure_with_its_line():
    result = ReferenceStringParser().parse(SEED_REFERENCE + "\n\nsee the poster downstairs\n", "r")
    assert len(result.records) == 1
    assert len(result.failures) == 1 and result.failures[0].line == 3


@pytest.mark.parametrize(
    "text",
    [
        "@article{radosa2024,\n  title = {Radiologisch},\n  year = {2024}\n}\n",
        "TY  - JOUR\nTI  - Radiologisch\nPY  - 2024\nER  - \n",
        "PMID- 38761210\nTI  - Radiologisch\n",
        '[{"id": "x", "title": "Radiologisch"}]',
        "title,author,year,journal\nRadiologisch,Radosa CG,2024,Radiologie\n",
    ],
)
def test_structured_formats_are_not_taken_for_references(text):
    assert ReferenceStringParser().sniff(text) == 0.0


def test_pages_of_other_layouts_are_not_taken_for_references():
    for layout, name in [
        ("vufind", "en_summon_tabs.txt"),
        ("pubmed", "summary_text_two.txt"),
        ("ebsco", "en_classic_tabs.txt"),
    ]:
        assert detect(sample(layout, name), name).name != "reference"


def test_unrecognised_text_keeps_every_layout_tried_but_prints_one_short_line():
    with pytest.raises(UnknownFormat) as error:
        parse_text("shopping list: milk, eggs\nbread", "list.txt")
    tried = " ".join(error.value.tried)
    for label in ("VuFind", "Springer", "PubMed", "EBSCO", "Primo", "HTML", "free-text"):
        assert label in tried
    message = str(error.value)
    assert message.startswith("list.txt: format not recognised") and len(message) < 200


def test_chicago_author_date():
    csl = parse_reference(
        "Radosa, C. G., H. Nebelung, F. Schön, and R. T. Hoffmann. 2024. "
        '"Radiologisch-interventionelle Möglichkeiten." Radiologie 64 (7): 575–81. '
        "https://doi.org/10.1007/s00117-024-01314-z."
    )
    assert csl["author"] == SEED_AUTHORS
    assert (csl["container-title"], csl["volume"], csl["issue"], csl["page"]) == (
        "Radiologie",
        "64",
        "7",
        "575-581",
    )
    assert csl["DOI"] == "10.1007/s00117-024-01314-z"


def test_mla():
    csl = parse_reference(
        'de Mestier, Louis, and Magaly Zappa. "Liver Embolizations." Reviews in Endocrine and '
        "Metabolic Disorders, vol. 18, no. 4, Dec. 2017, pp. 459–71."
    )
    assert csl["author"] == [
        {"family": "de Mestier", "given": "Louis"},
        {"family": "Zappa", "given": "Magaly"},
    ]
    assert csl["title"] == "Liver Embolizations"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("18", "4", "459-471")
    assert csl["issued"] == {"date-parts": [[2017, 12]]}  # "Dec. 2017"


def test_no_page_or_result_list_of_another_layout_looks_like_references_to_the_sniffer():
    pages = Path(__file__).resolve().parents[2] / "data" / "pages"
    sniffed = {
        path.relative_to(pages).as_posix(): ReferenceStringParser().sniff(
            path.read_text(encoding="utf-8", errors="replace")
        )
        for path in sorted(pages.glob("*/*.txt"))
        if path.parent.name != "reference"
    }
    assert len(sniffed) > 50 and "vufind/result_list_en.txt" in sniffed
    assert {name: score for name, score in sniffed.items() if score > 0} == {}
