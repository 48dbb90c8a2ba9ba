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
