"""A linear-chain CRF that labels the tokens of a reference string (author, title, journal, ...).

Why a CRF and python-crfsuite: reference strings are the textbook sequence-labelling problem
(AnyStyle, GROBID, ParsCit, CERMINE all use CRFs); per-style regular expressions do not
generalize. python-crfsuite is the thin binding to CRFsuite (C), a 100 kB model file, fast
tagging, marginals per token, and deterministic L-BFGS training. sklearn-crfsuite is a wrapper
around the same binding that adds scikit-learn (and its scipy/numpy stack) as dependencies for
conveniences we do not need (estimator API, grid search); so the binding directly.

The model ships inside the package (``data/references.crfsuite``, written by
``scripts/train-references``) and is opened only when a reference string is first read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from records.errors import ModelMissing
from records.references.features import sequence_features, tokenize

MODEL_RESOURCE = "data/references.crfsuite"

# Labels of AnyStyle's training data that the record builder reads (others are kept as
# labels but have no CSL field: "note", "source", "medium", ...).
FIELD_LABELS = (
    "author",
    "editor",
    "translator",
    "title",
    "container-title",
    "journal",
    "collection-title",
    "date",
    "volume",
    "issue",
    "pages",
    "publisher",
    "location",
    "edition",
    "genre",
    "doi",
    "url",
    "isbn",
    "citation-number",
    "note",
)


@dataclass(frozen=True, slots=True)
class Labelled:
    """One reference string labelled: its tokens, their labels and marginals, the confidence."""

    text: str
    tokens: list[str]
    labels: list[str]
    marginals: list[float]

    @property
    def confidence(self) -> float:
        """The model's confidence: the lowest marginal probability of a token's chosen label
        (one doubtful token is enough to doubt the field it decides)."""
        return min(self.marginals) if self.marginals else 0.0

    def spans(self) -> list[tuple[str, str]]:
        """Consecutive tokens of one label joined: ``[("author", "Radosa CG, ..."), ...]``."""
        out: list[tuple[str, str]] = []
        for token, label in zip(self.tokens, self.labels, strict=True):
            if out and out[-1][0] == label:
                out[-1] = (label, out[-1][1] + " " + token)
            else:
                out.append((label, token))
        return out


_lock = threading.Lock()
_taggers: dict[str, Any] = {}
_default_model: str | None = None


def _tagger(model: str | Path | None) -> Any:
    """One tagger per model path and thread (CRFsuite taggers are not thread-safe)."""
    import pycrfsuite  # imported only when a reference is read

    global _default_model
    if model is None:
        if _default_model is None:  # resolved once: the lookup costs as much as a tagging
            _default_model = str(resources.files("records.references").joinpath(MODEL_RESOURCE))
        model = _default_model
    key = f"{model}:{threading.get_ident()}"
    tagger = _taggers.get(key)
    if tagger is None:
        with _lock:
            if not Path(model).exists():
                raise ModelMissing(
                    f"reference model {model} is missing: run scripts/train-references"
                )
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model))
            _taggers[key] = tagger
    return tagger


def label(text: str, model: str | Path | None = None) -> Labelled:
    """Label one reference string (already joined onto one line)."""
    tokens = tokenize(text)
    if not tokens:
        return Labelled(text, [], [], [])
    tagger = _tagger(model)
    tagger.set(sequence_features(tokens))
    labels = tagger.tag()
    marginals = [tagger.marginal(y, i) for i, y in enumerate(labels)]
    return Labelled(text, tokens, labels, marginals)
