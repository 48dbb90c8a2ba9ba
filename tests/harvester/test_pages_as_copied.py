"""Pages as people really copy them (issue 12, classes 1-5 and 8), through the real CLI.

Each sample below was written for these tests (whole-page copies with the site around the
record, container lines in other shapes, Springer Medizin variants, PubMed navigation, Primo
source lines, SICI DOIs) and has its expected fields beside it (``<name>.expected.json``).
A value the plausibility check refuses is a warning on stderr and in the JSON, never stored;
``--strict`` fails the record instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.harvester.cli_runner import run_cli

PAGES = Path(__file__).resolve().parents[1] / "data" / "pages"
# (sample, the classes of the issue it exercises)
SAMPLES = [
    ("vufind/de_whole_page_chrome.txt", "1 chrome in German; 2 Jg./H./S. on its own line"),
    ("vufind/en_whole_page_sici.txt", "1 chrome in English; 2 Vol., no. (year), pp.; 8 SICI"),
    ("vufind/fr_whole_page.txt", "1 chrome in French; 2 vol./n°/p., a journal with ' - '"),
    ("vufind/it_whole_page_chrome.txt", "1 chrome in Italian, no breadcrumb"),
    ("vufind/es_whole_page_chrome.txt", "1 chrome in Spanish; 2 volume line on its own line"),
    ("springer/medizin_author_label_glued.txt", "3 label on its own line, glued abstract"),
    ("springer/medizin_english_authors_line.txt", "3 English UI, 'AbstractThe ...'"),
    ("springer/medizin_autoren_label_cme.txt", "3 'Autoren:' alone, 'ZusammenfassungDie ...'"),
    ("pubmed/abstract_page_navigation_first.txt", "4 navigation and display options"),
    ("primo/en_source_line_elocator.txt", "5 Science advances, 2022, Vol.8(1), p.eabj8030"),
    ("primo/de_book_chapter_source_year.txt", "5 Cancer Syndromes, 2009"),
    ("primo/en_source_line_issue_number.txt", "5 Nature, 2018, Vol.556(7702), p.492-496"),
    ("ebsco/en_sici_doi_chrome.txt", "8 SICI DOI; EBSCO's bar above the record"),
]


def _fields(item: dict) -> dict:
    return {k: v for k, v in item.items() if k not in ("id", "custom")}


@pytest.mark.parametrize("name", [s for s, _ in SAMPLES])
def test_parse_reads_the_expected_fields(name: str) -> None:
    path = PAGES / name
    expected = json.loads(path.with_name(path.name + ".expected.json").read_text("utf-8"))
    result = run_cli("parse", path)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr  # nothing of the page was taken and refused
    got = [_fields(item) for item in json.loads(result.stdout)]
    assert len(got) == len(expected)
    for want, have in zip(expected, got, strict=True):
        assert {k: have.get(k) for k in want} == want


def test_add_stores_the_page_record_without_chrome(tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    page = PAGES / "vufind/de_whole_page_chrome.txt"
    result = run_cli("add", "--no-enrich", "--json", page, db=db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["warnings"] == []
    (work,) = json.loads(run_cli("export", "-f", "csl-json", db=db).stdout)
    assert work["title"].startswith("Sirtuin-Aktivatoren in der Alterungsforschung")
    assert (work["volume"], work["issue"], work["page"]) == ("8", "1", "eabj8030")
    chrome = ("Katalog plus", "Permanenter Link", "Merkliste", "Ähnliche", "Keller", "Impressum")
    assert not any(word in json.dumps(work, ensure_ascii=False) for word in chrome)


# A VuFind page whose author row runs on into a line of prose: the prose is no author.
PROSE_AUTHOR = """Stiftungen im Wandel
Bibliographic Details
Main Authors: Weber, Anna
classifications, Here
Format: Book
Language: German
Published: Berlin Duncker & Humblot 2015
"""


def test_an_implausible_value_is_a_warning_not_a_value(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PROSE_AUTHOR, "utf-8")
    result = run_cli("parse", page.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = 'harvester: warning: page.txt (record 1): dropped author "classifications, Here": not a name'
    assert line in result.stderr.splitlines()
    (item,) = json.loads(result.stdout)
    assert item["author"] == [{"family": "Weber", "given": "Anna"}]
    assert item["custom"]["harvester"]["warnings"] == [
        'dropped author "classifications, Here": not a name'
    ]


def test_strict_turns_the_doubt_into_a_failure_of_the_record(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PROSE_AUTHOR, "utf-8")
    result = run_cli("parse", "--strict", page.name, cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout) == []
    assert result.stderr.startswith("harvester: failed: page.txt (record 1, line 1): doubtful")
    db = tmp_path / "lib.db"
    added = run_cli("add", "--no-enrich", "--strict", "--json", page.name, db=db, cwd=tmp_path)
    assert added.returncode == 1
    assert json.loads(added.stdout)["new_records"] == 0
    # without --strict the record is stored, without the refused value, and the warning is
    # in the JSON report
    added = run_cli("add", "--no-enrich", "--json", page.name, db=db, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    report = json.loads(added.stdout)
    assert report["new_records"] == 1
    assert report["warnings"] == [
        'page.txt (record 1): dropped author "classifications, Here": not a name'
    ]
    (work,) = json.loads(run_cli("export", "-f", "csl-json", db=db).stdout)
    assert [a["family"] for a in work["author"]] == ["Weber"]


def test_a_page_whose_only_title_is_a_ui_label_fails_and_stores_nothing(tmp_path: Path) -> None:
    page = tmp_path / "label.txt"
    page.write_text(
        "Permanenter Link\n\nBibliographische Detailangaben\nVeröffentlicht in: Radiologe "
        "Jg. 64; H. 7; S. 575 - 581\n1. Verfasser: Radosa, C G\nFormat: Aufsatz\n",
        "utf-8",
    )
    db = tmp_path / "lib.db"
    result = run_cli("add", "--no-enrich", "--json", page.name, db=db, cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["new_records"] == 0
    # the reader skips the label as chrome: the page has no title, so no record
    assert "label.txt (record 1, line 1): no title found" in result.stderr


def test_springer_header_disagreeing_with_the_article_details_is_warned(tmp_path: Path) -> None:
    text = (PAGES / "springer/medizin_english_authors_line.txt").read_text("utf-8")
    # The header's title as a sloppy copy gives it; the "About this article" block stays right.
    page = tmp_path / "springer.txt"
    page.write_text(
        text.replace(
            "Gait variability in early Parkinson's disease measured with wearable sensors\n\n"
            "Journal of Neural",
            "Gait variability in early Parkinson's disease\n\nJournal of Neural",
            1,
        ),
        "utf-8",
    )
    result = run_cli("parse", page.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert item["title"] == (
        "Gait variability in early Parkinson's disease measured with wearable sensors"
    )
    assert (
        "harvester: warning: springer.txt (record 1): dropped title \"Gait variability in early "
        "Parkinson's disease\": disagrees with the page's article details"
    ) in result.stderr.splitlines()


SICI = "10.1002/(SICI)1521-3773(20000103)39:1<165::AID-ANIE165>3.0.CO;2-B"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("r.ris", f"TY  - JOUR\nTI  - Host-guest complexes\nDO  - {SICI}\nER  - \n"),
        ("r.bib", f"@article{{k, title={{Host-guest complexes}}, doi={{{SICI}}}}}\n"),
        ("r.json", json.dumps([{"type": "article-journal", "title": "Host-guest complexes",
                                "DOI": SICI}])),
        ("refs.txt", f"Okonkwo I. Host-guest complexes. Angew Chem. 2000;39:165-8. doi:{SICI}\n"),
    ],
)
def test_sici_dois_are_read_whole_in_every_format(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    result = run_cli("parse", path.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert item["DOI"] == SICI


def test_placeholders_are_dropped_silently(tmp_path: Path) -> None:
    path = tmp_path / "p.ris"
    path.write_text(
        "TY  - JOUR\nTI  - A real title\nAU  - Unknown\nAU  - Smith, John\nPB  - [s.n.]\n"
        "CY  - s.l.\nVL  - 0\nIS  - NA\nSP  - n/a\nER  - \n",
        "utf-8",
    )
    result = run_cli("parse", path.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert item["author"] == [{"family": "Smith", "given": "John"}]
    for key in ("publisher", "publisher-place", "volume", "issue", "page"):
        assert key not in item
    assert "warning" not in result.stderr


def test_a_breadcrumb_naming_another_title_is_warned(tmp_path: Path) -> None:
    page = tmp_path / "crumb.txt"
    page.write_text(
        "Skip to content\nLibrary Catalog\nLogin\n"
        "Home › Search: liver › Hepatic metastases of neuroendocrine tum...\n"
        "Cite this\nPermanent link\nRadioembolization outcomes in colorectal cancer\n\n"
        "Bibliographic Details\nPublished in: Radiology Vol. 12; no. 3; pp. 1 - 9\n"
        "Main Authors: Smith, J\nFormat: Journal Article\n",
        "utf-8",
    )
    result = run_cli("parse", page.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert item["title"] == "Radioembolization outcomes in colorectal cancer"
    assert result.stderr.splitlines() == [
        'harvester: warning: crumb.txt (record 1): dropped title "Hepatic metastases of '
        "neuroendocrine tum...\": the breadcrumb disagrees with the page's heading"
    ]
