"""Deduplication, pure: CSL items in, pair verdicts and clusters out.

``prepare`` (comparison forms) -> ``blocking_keys`` (which pairs to compare) -> ``compare``
(verdict with evidence, vetoes first) -> ``find_clusters`` / ``match_work`` (clusters without
chaining errors, honouring remembered decisions). The store keeps the keys and the decisions.
"""

from records.dedup.blocking import MAX_BLOCK, blocking_keys, candidate_pairs
from records.dedup.cluster import DedupResult, WorkMatch, find_clusters, match_work
from records.dedup.keys import Prepared, prepare
from records.dedup.scoring import PairDecision, compare

__all__ = [
    "MAX_BLOCK",
    "DedupResult",
    "PairDecision",
    "Prepared",
    "WorkMatch",
    "blocking_keys",
    "candidate_pairs",
    "compare",
    "find_clusters",
    "match_work",
    "prepare",
]
