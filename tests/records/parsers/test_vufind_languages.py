"""A VuFind record page in each of the 21 UI languages, built from VuFind's own label files.

The page is assembled from shared/fixtures/formats/vufind-labels (the translations VuFind
prints) with the localized container abbreviations, so every language's labels, caption,
chrome and citation abbreviations go through the parser.
"""

from __future__ import annotations

import json

import pytest

from records.parsers import detect, parse_text
from tests.conftest import FIXTURES

LABELS = json.loads(
    (FIXTURES / "formats" / "vufind-labels" / "vufind_labels.json").read_text("utf-8")
)["labels"]
ABBREV = json.loads(
    (FIXTURES / "formats" / "vufind-labels" / "label_synonyms.json").read_text("utf-8")
)["citation_abbrev"]
LANGUAGES = sorted(LABELS["Published in"])


def _label(key: str, lang: str) -> str:
    return LABELS[key].get(lang) or LABELS[key]["en"]


def _abbrev(key: str, lang: str) -> str:
    return ABBREV[key].get(lang) or ABBREV[key]["en"]


def _page(lang: str) -> str:
    container = (
        f"Radiologe {_abbrev('citation_volume_abbrev', lang)} 64; "
        f"{_abbrev('citation_issue_abbrev', lang)} 7; "
        f"{_abbrev('citation_multipage_abbrev', lang)} 575 - 581"
    )
    return "\n".join(
        [
            "Radiologisch-interventionelle Möglichkeiten zur Behandlung von neuroendokrinen Tumoren",
            "",
            f"{_label('Saved in', lang)}:",
            _label("Bibliographic Details", lang),
            f"{_label('Published in', lang)}:{container}",
            f"{_label('Main Authors', lang)}: Radosa, C G, Nebelung, H",
            f"{_label('Format', lang)}: Journal Article",
            f"{_label('Language', lang)}:German",
            f"{_label('Published', lang)}: Heidelberg Springer Nature B.V 2024",
            f"{_label('Tags', lang)}: {_label('Add Tag', lang)}",
            f"{_label('No Tags', lang)}, {_label('Be the first to tag this record', lang)}!",
            _label("Description", lang),
            "ISSN:0033-832X",
            "1432-2102",
            "DOI:10.1007/s00117-024-01314-z",
        ]
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_record_page_in_every_ui_language(lang):
    text = _page(lang)
    assert detect(text, lang).name == "vufind-text"
    (record,) = parse_text(text, lang).records
    csl = record.csl
    assert csl["title"].startswith("Radiologisch-interventionelle")
    assert (csl["container-title"], csl["volume"], csl["issue"], csl["page"]) == (
        "Radiologe",
        "64",
        "7",
        "575-581",
    )
    assert [a["family"] for a in csl["author"]] == ["Radosa", "Nebelung"]
    assert (csl.get("publisher-place"), csl.get("publisher")) == (
        "Heidelberg",
        "Springer Nature B.V",
    )
    assert csl["issued"] == {"date-parts": [[2024]]}
    assert csl["language"] == "de"
    assert record.issn_kinds == {"0033-832X": "print", "1432-2102": "electronic"}
    assert csl["DOI"] == "10.1007/s00117-024-01314-z"
    assert "abstract" not in csl
