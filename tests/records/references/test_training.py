"""scripts/train-references is deterministic (the same data gives the same model bytes) and its
cross-validation folds hold whole works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

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


def _script() -> Any:
    import importlib.machinery
    import importlib.util

    loader = importlib.machinery.SourceFileLoader(
        "train_references_script", str(REPO / "scripts" / "train-references")
    )
    spec = importlib.util.spec_from_loader("train_references_script", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    loader.exec_module(module)
    return module


def test_cross_validation_folds_never_split_the_renderings_of_one_work() -> None:
    train = _script()
    groups = train.load_groups(with_heldout=False)
    sequences = train.load(with_heldout=False)
    assert len(groups) == len(sequences)
    works = [g for g in groups if g.startswith("work:")]
    # every rendered string is matched to its work: nine styles, two variants each
    assert len(works) == len(
        train.read_dataset(
            (train.TRAINING / "styles.xml").read_text(encoding="utf-8"), "styles.xml"
        )
    )
    assert len(set(works)) * 18 == len(works)
    for k in (5, 10):
        folds = train.folds_of(groups, k)
        fold_of_work: dict[str, set[int]] = {}
        for group, fold in zip(groups, folds, strict=True):
            fold_of_work.setdefault(group, set()).add(fold)
        assert all(len(f) == 1 for f in fold_of_work.values())
        # AnyStyle's strings keep their positional folds; the folds are about even
        core = [f for g, f in zip(groups, folds, strict=True) if g.startswith("core:")]
        assert core == [i % k for i in range(len(core))]
        sizes = [folds.count(f) for f in range(k)]
        assert max(sizes) - min(sizes) <= 18
        assert train.folds_of(groups, k) == folds  # deterministic


def test_a_string_that_renders_no_training_work_is_refused() -> None:
    train = _script()
    with pytest.raises(SystemExit, match="string 2: not a rendering"):
        train.style_groups(
            [
                train.read_dataset(
                    (train.TRAINING / "styles.xml").read_text(encoding="utf-8"), "styles.xml"
                )[0],
                [("title", "A work nobody wrote.")],
            ]
        )
