"""scripts/train-references is deterministic: the same data gives the same model bytes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _train(out: Path) -> bytes:
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "train-references"),
            "--subset",
            "30",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


def test_training_twice_on_a_small_subset_writes_the_same_model(tmp_path):
    first = _train(tmp_path / "a.crfsuite")
    second = _train(tmp_path / "b.crfsuite")
    assert first and first == second
