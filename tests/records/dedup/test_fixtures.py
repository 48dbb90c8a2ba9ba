"""bib-dedupe's special cases (shared fixtures), and the synthetic library's known duplicates."""

from __future__ import annotations

import csv
from itertools import combinations

from bench.synthetic import generate
from records.dedup import find_clusters
from records.model import CSLItem
from records.normalize.dates import parse_date
from records.normalize.names import parse_name
from records.normalize.record import normalize_csl
from tests.conftest import FIXTURES

SPECIAL = FIXTURES / "dedup" / "bibdedupe_special_cases"


def _csl(row: dict[str, str]) -> CSLItem:
    item: CSLItem = {
        "type": "paper-conference" if row["ENTRYTYPE"] == "inproceedings" else "article-journal",
        "title": row["title"],
        "author": [parse_name(n) for n in row["author"].split(" and ") if n.strip()],
        "issued": parse_date(row["year"]),
        "container-title": row["journal"] or row["booktitle"],
        "volume": row["volume"],
        "issue": row["issue"],
        "page": row["pages"],
        "DOI": row["doi"],
        "abstract": row["abstract"],
    }
    return normalize_csl(item)


def test_bibdedupe_special_cases() -> None:
    with (SPECIAL / "records_pre_merged.csv").open(encoding="utf-8") as f:
        records = [(row["ID"], _csl(row)) for row in csv.DictReader(f)]
    with (SPECIAL / "merged_record_ids.csv").open(encoding="utf-8") as f:
        gold = sorted(sorted(row["merged_ids"].split(";")) for row in csv.DictReader(f))
    result = find_clusters(records)
    assert sorted(result.clusters) == gold
    # The Minitrack introductions of 2021 and 2022 (same title, different DOIs) stay apart.
    assert all({"id_0000003", "id_0000004"} - set(c) for c in result.clusters)


def _pairs(clusters: list[list[str]]) -> set[tuple[str, str]]:
    return {p for c in clusters for p in combinations(sorted(c), 2)}


def test_synthetic_library_is_deterministic_and_deduplicated() -> None:
    library = generate(1500, seed=7, duplicates="hard")
    assert generate(1500, seed=7, duplicates="hard").records == library.records
    assert len(library.records) == 1500 and library.clusters
    records = [(rid, normalize_csl(csl)) for rid, csl in library.records]
    result = find_clusters(records)
    gold, predicted = _pairs(library.clusters), _pairs(result.clusters)
    assert predicted <= gold  # no false merge, hard negatives included
    assert len(predicted & gold) / len(gold) >= 0.98
    assert result.stats["candidate_pairs"] < result.stats["all_pairs"] / 100
