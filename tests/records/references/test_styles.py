"""Pasted reference lists in nine styles, from works the model never saw in training.

records/references/training/heldback/<style>.txt are the lists scripts/render-reference-styles
wrote for every fifth work of works.txt (decided before any training; none of them is in
styles.xml); <style>.json holds what each reference states. Done when at least 19 of 20
references per style are right in authors, title, container, year, volume, issue and pages.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from records.parsers import detect, parse_text
from records.references.dataset import read_dataset

HELDBACK = Path(__file__).resolve().parents[3] / "records" / "references" / "training" / "heldback"
TRAINING = HELDBACK.parent / "styles.xml"
STYLES = ["apa", "vancouver", "ama", "ieee", "chicago", "harvard", "mla", "nature", "german"]


def fields(csl: dict) -> dict:
    got = {
        "authors": [a.get("family") or a.get("literal") for a in csl.get("author", [])],
        "title": csl.get("title"),
        "year": csl.get("issued", {}).get("date-parts", [[None]])[0][0],
        "container": csl.get("container-title"),
        "volume": csl.get("volume"),
        "issue": csl.get("issue"),
        "pages": csl.get("page"),
    }
    return got


@pytest.mark.parametrize("style", STYLES)
def test_a_pasted_list_reads_19_of_20_right(style):
    text = (HELDBACK / f"{style}.txt").read_text(encoding="utf-8")
    truth = json.loads((HELDBACK / f"{style}.json").read_text(encoding="utf-8"))
    assert detect(text, f"{style}.txt").name == "reference"
    records = parse_text(text, f"{style}.txt").records
    assert len(records) == len(truth) >= 20
    wrong = []
    for record, want in zip(records, truth, strict=True):
        expected = {key: want.get(key) for key in fields({})}
        got = fields(record.csl)
        if got != expected:
            wrong.append(
                (record.raw, {k: (expected[k], got[k]) for k in got if got[k] != expected[k]})
            )
    assert len(truth) - len(wrong) >= math.ceil(0.95 * len(truth)), wrong


def test_the_heldback_works_are_not_in_the_training_strings():
    training = TRAINING.read_text(encoding="utf-8")
    titles = {
        w["title"]
        for style in STYLES
        for w in json.loads((HELDBACK / f"{style}.json").read_text(encoding="utf-8"))
    }
    sequences = read_dataset(training, "styles.xml")
    trained = {" ".join(t for label, t in s if label == "title") for s in sequences}
    assert titles and not any(title in t for title in titles for t in trained)
