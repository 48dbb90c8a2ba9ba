"""The CRF labeller: loaded lazily, labels every token, a confidence from its marginals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from records.errors import ModelMissing
from records.references.features import tokenize
from records.references.labeller import label

REPO = Path(__file__).resolve().parents[3]
MODEL = REPO / "records" / "references" / "data" / "references.crfsuite"


def test_the_model_ships_small():
    assert 0 < MODEL.stat().st_size < 5_000_000


def test_the_model_is_loaded_only_when_a_reference_is_read():
    code = (
        "import sys, records.parsers, records.parsers.reference_string;"
        "from records.parsers import parse_text;"
        "parse_text('TY  - JOUR\\nTI  - A title\\nER  - \\n', 'x.ris');"
        "assert 'pycrfsuite' not in sys.modules, 'loaded early';"
        "parse_text('Smith J. A title. J Test. 2020;1(2):3-4.', 'r', format='reference');"
        "assert 'pycrfsuite' in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_token_gets_a_label_and_a_marginal():
    text = "Radosa CG, Nebelung H. Radiologische Verfahren. Radiologie. 2024;64(7):575-81."
    labelled = label(text)
    assert labelled.tokens == tokenize(text)
    assert labelled.tokens[-3:] == ["2024;", "64(7):", "575-81."]
    assert labelled.labels[:4] == ["author"] * 4
    assert labelled.labels[-3:] == ["date", "volume", "pages"]
    assert all(0.0 < m <= 1.0 for m in labelled.marginals)
    assert labelled.confidence == min(labelled.marginals)
    assert [span[0] for span in labelled.spans()] == [
        "author",
        "title",
        "journal",
        "date",
        "volume",
        "pages",
    ]


def test_a_missing_model_is_one_clear_error(tmp_path):
    with pytest.raises(ModelMissing, match="scripts/train-references"):
        label("Smith J. Title. 2020.", model=tmp_path / "none.crfsuite")


def test_tokens_survive_the_spacing_of_pdf_text():
    # lost spaces after punctuation, stray spaces before it, split ranges, ligatures
    assert tokenize("Smith,J.,Jones,K. (2011).Title") == [
        "Smith,",
        "J.,",
        "Jones,",
        "K.",
        "(2011).",
        "Title",
    ]
    assert tokenize("Smith , J . ( 2011 ) . pp. 12 - 15 ; 557- 566.") == [
        "Smith,",
        "J.",
        "(2011).",
        "pp.",
        "12-15;",
        "557-566.",
    ]
    assert tokenize("A ﬁnite eﬀect") == ["A", "finite", "effect"]
    assert tokenize("Vol.50,No.3, pp.112-9") == ["Vol.", "50,", "No.", "3,", "pp.", "112-9"]
    # acronyms, decimals, identifiers and addresses stay whole
    assert tokenize("U.S.A. 1,234 doi:10.1000/x.Y https://a.org/b,c") == [
        "U.S.A.",
        "1,234",
        "doi:10.1000/x.Y",
        "https://a.org/b,c",
    ]


def test_compact_locators_split_into_date_volume_and_pages():
    assert tokenize("Cochrane Database Syst Rev. 2013;(6):CD001877.")[-3:] == [
        "2013;",
        "(6):",
        "CD001877.",
    ]


def test_training_labels_follow_one_convention_for_compact_locators():
    from records.references.dataset import tokens_and_labels

    # AnyStyle's data puts some Vancouver years and pages inside the volume span
    assert tokens_and_labels([("volume", "2012;30(15):")]) == (
        ["2012;", "30(15):"],
        ["date", "volume"],
    )
    assert tokens_and_labels([("volume", "128(1):183–269,")])[1] == ["volume", "pages"]
    assert tokens_and_labels([("volume", "51:197–204.")])[1] == ["volume", "pages"]
    assert tokens_and_labels([("volume", "50: 3")])[1] == ["volume", "volume"]


def test_a_reference_in_capitals_is_read_by_its_words_not_as_title_case() -> None:
    from records.references.features import sequence_features

    text = "SMITH, J. AND JONES, K. A STUDY OF RIVER DELTAS. JOURNAL OF HYDROLOGY 12 (1990) 3-9."
    usual = "Smith, J. and Jones, K. A study of river deltas. Journal of Hydrology 12 (1990) 3-9."
    shouted, normal = sequence_features(tokenize(text)), sequence_features(tokenize(usual))
    # the words and the initials are read as in the usual case ...
    assert [f[0] for f in shouted] == [f[0] for f in normal]
    assert "caps=single" in shouted[1] and "initials" in shouted[1]
    # ... but no word and no sentence of it claims to be in Title Case (every word starts
    # with a capital there, which says nothing about title or journal)
    claims = [x for f in shouted for x in f if x.endswith(("caps=title", "case=title"))]
    assert claims == []
    assert "caps=shout" in shouted[9] and "s:case=shout" in shouted[9]
    assert "caps=lower" in normal[9] and "s:case=upper" not in normal[9]


def test_a_sentence_in_capitals_is_not_title_case() -> None:
    from records.references.features import sequence_features

    text = "Smith J, Jones K. DEEP LEARNING FOR RIVER DELTAS. J Hydrol. 1990;12:3-9."
    feats = sequence_features(tokenize(text))
    assert "s:case=upper" in feats[4] and "c:case=upper" in feats[4]  # "DEEP"
    assert "s:case=title" not in feats[0]  # "Smith J, Jones K." is no sentence in capitals


def test_a_trailing_url_or_doi_leaves_the_positions_of_the_fields_before_it() -> None:
    from records.references.features import sequence_features

    plain = "Smith J, Jones K. A study of river deltas. J Hydrol. 1990;12:3-9."
    tokens = tokenize(plain)
    for tail in (
        " Available from: https://www.example.org/paper/12.pdf",
        " doi:10.1016/j.jhydrol.2019.12.003",
        " [Online]. Available: https://example.org/2019/12/3",
    ):
        longer = sequence_features(tokenize(plain + tail))
        for i, feats in enumerate(sequence_features(tokens)):
            # position in the string, "last", distance to the next number: as without the tail
            assert _placed(longer[i]) == _placed(feats), (tail, tokens[i])
        assert "tail" in longer[-1] and "last" not in longer[-1]
    assert "last" in sequence_features(tokens)[-1]


def _placed(feats: list[str]) -> list[str]:
    return [f for f in feats if f.startswith(("pos=", "year=", "todigit=", "last", "tail"))]
