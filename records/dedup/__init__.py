"""Deduplication, pure: CSL items in, pair verdicts and clusters out.

``prepare`` (comparison forms) -> ``blocking_keys`` (which pairs to compare) -> ``compare``
(verdict with evidence, vetoes first), or ``triage`` (one record against all its candidates,
the same verdicts, full comparisons only where a pair may not be "distinct") ->
``find_clusters`` / ``match_work`` (clusters without chaining errors, honouring remembered
decisions). The store keeps the keys and the decisions.
"""

from records.dedup.blocking import MAX_BLOCK, blocking_keys, candidate_pairs
from records.dedup.cluster import DedupResult, WorkMatch, find_clusters, match_work
from records.dedup.keys import Prepared, prepare
from records.dedup.scoring import PairDecision, compare
from records.dedup.triage import Triage, stands_against, triage

__all__ = [
    "MAX_BLOCK",
    "DedupResult",
    "PairDecision",
    "Prepared",
    "Triage",
    "WorkMatch",
    "blocking_keys",
    "candidate_pairs",
    "compare",
    "find_clusters",
    "match_work",
    "prepare",
    "stands_against",
    "triage",
]
