"""Clusters of duplicate records, without chaining errors, honouring people's decisions.

Transitive closure of "duplicate" edges (what ASySD does) lets A~B and B~C merge A and C even
when A and C clearly differ. Here duplicate edges are applied best-first, and two clusters are
joined only if no pair across them is "distinct", vetoed, or marked "not a duplicate" by a
person. Manual merges (``must_link``) are applied first and always hold.

Two ways in:

* :func:`find_clusters` for a whole library in memory (tests, evaluation, ``harvester dedupe``);
* the incremental pieces for a store: :func:`~records.dedup.keys.prepare`,
  :func:`~records.dedup.blocking.blocking_keys`, :func:`~records.dedup.scoring.compare` and
  :func:`match_work`, which picks the stored work (if any) that a new record joins, given the
  candidate works the store fetched by blocking key.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from records.dedup.blocking import MAX_BLOCK, blocking_keys, candidate_pairs
from records.dedup.keys import Prepared, prepare
from records.dedup.scoring import PairDecision, compare, could_match
from records.model import CSLItem

Pair = tuple[str, str]


@dataclass
class DedupResult:
    """Clusters (lists of record ids, two or more members each; singletons are omitted),
    undecided pairs for review (one per pair of clusters, best first) and counts."""

    clusters: list[list[str]]
    maybe_pairs: list[tuple[str, str, PairDecision]]
    stats: dict[str, Any] = field(default_factory=dict)


def stands_against(p1: Prepared, p2: Prepared, decision: PairDecision) -> bool:
    """Whether a pair keeps the clusters holding it apart: a veto always does; "distinct" does
    when both records can be compared at all. A record without a title (a bare DOI or PMID
    waiting for enrichment) is no evidence against anything it is not vetoed from."""
    if decision.vetoed:
        return True
    return decision.verdict == "distinct" and bool(p1.title_tokens) and bool(p2.title_tokens)


def _key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


class _Clusters:
    """Union-find with member lists and a pairwise-compatibility check before each union."""

    def __init__(
        self,
        prepared: Sequence[Prepared],
        decisions: dict[tuple[int, int], PairDecision],
        cannot: set[tuple[int, int]],
    ) -> None:
        self.prepared = prepared
        self.decisions = decisions
        self.cannot = cannot
        self.parent = list(range(len(prepared)))
        self.members: dict[int, list[int]] = {}
        self.extra_comparisons = 0

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def members_of(self, root: int) -> list[int]:
        return self.members.get(root) or [root]

    def decision(self, a: int, b: int) -> PairDecision:
        key = _key(a, b)
        found = self.decisions.get(key)
        if found is None:
            found = compare(self.prepared[key[0]], self.prepared[key[1]])
            self.decisions[key] = found
            self.extra_comparisons += 1
        return found

    def conflict(self, ra: int, rb: int) -> tuple[int, int] | None:
        """A pair across two clusters that must not end up together, if any."""
        for a in self.members_of(ra):
            for b in self.members_of(rb):
                if _key(a, b) in self.cannot:
                    return (a, b)
                if stands_against(self.prepared[a], self.prepared[b], self.decision(a, b)):
                    return (a, b)
        return None

    def union(self, ra: int, rb: int) -> None:
        if len(self.members_of(ra)) < len(self.members_of(rb)):
            ra, rb = rb, ra
        merged = self.members_of(ra) + self.members_of(rb)
        self.parent[rb] = ra
        self.members[ra] = merged
        self.members.pop(rb, None)


def find_clusters(
    records: Sequence[tuple[str, CSLItem]],
    *,
    must_link: Iterable[Pair] = (),
    cannot_link: Iterable[Pair] = (),
    max_block: int = MAX_BLOCK,
) -> DedupResult:
    """Cluster ``(id, csl)`` records into works (see the module docstring).

    ``must_link`` pairs (manual merges) are joined whatever the rules say; ``cannot_link`` pairs
    ("not a duplicate") are never joined, directly or through other members, and never proposed
    for review again. Ids unknown to ``records`` in either are ignored.
    """
    ids = [rid for rid, _ in records]
    index = {rid: i for i, rid in enumerate(ids)}
    with _no_cyclic_gc():
        return _find_clusters(ids, index, records, must_link, cannot_link, max_block)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Dedup allocates millions of small tuples, strings and decisions without reference
    cycles; the cyclic collector would rescan them again and again (half the run time at 100k
    records). Reference counting still frees everything."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _find_clusters(
    ids: list[str],
    index: dict[str, int],
    records: Sequence[tuple[str, CSLItem]],
    must_link: Iterable[Pair],
    cannot_link: Iterable[Pair],
    max_block: int,
) -> DedupResult:
    prepared = [prepare(csl) for _, csl in records]
    candidates = candidate_pairs((blocking_keys(p) for p in prepared), max_block=max_block)
    decisions: dict[tuple[int, int], PairDecision] = {}
    for a, b in candidates.pairs:
        decisions[(a, b)] = compare(prepared[a], prepared[b])

    cannot = {_key(index[a], index[b]) for a, b in cannot_link if a in index and b in index}
    state = _Clusters(prepared, decisions, cannot)
    conflicting_decisions = 0
    for a, b in must_link:
        if a in index and b in index:
            ra, rb = state.find(index[a]), state.find(index[b])
            if ra != rb:
                state.union(ra, rb)
    for a, b in cannot:
        if state.find(a) == state.find(b):
            conflicting_decisions += 1  # a manual merge joined them; the person decided last

    edges = sorted(
        (key for key, d in decisions.items() if d.verdict == "duplicate"),
        key=lambda k: (-decisions[k].score, k),
    )
    blocked: dict[tuple[int, int], PairDecision] = {}
    for a, b in edges:
        ra, rb = state.find(a), state.find(b)
        if ra == rb:
            continue
        clash = state.conflict(ra, rb)
        if clash is None:
            state.union(ra, rb)
        elif (a, b) not in cannot:
            d = decisions[(a, b)]
            x, y = clash
            blocked[(a, b)] = PairDecision(
                "maybe",
                d.score,
                d.evidence_for,
                [f"joining would put {ids[x]} with {ids[y]}", *d.evidence_against],
                d.vetoed,
            )

    # Review list: undecided pairs between different clusters, the best pair per cluster pair.
    best: dict[tuple[int, int], tuple[int, int, PairDecision]] = {}
    undecided = [(k, d) for k, d in decisions.items() if d.verdict == "maybe"]
    undecided += list(blocked.items())
    for (a, b), d in undecided:
        if (a, b) in cannot:
            continue
        ra, rb = state.find(a), state.find(b)
        if ra == rb:
            continue
        group = _key(ra, rb)
        current = best.get(group)
        # The best-scored pair; among equals the first by record order (not dict order).
        if current is None or (-d.score, a, b) < (-current[2].score, current[0], current[1]):
            best[group] = (a, b, d)
    maybe_pairs = sorted(
        ((ids[a], ids[b], d) for a, b, d in best.values()), key=lambda t: (-t[2].score, t[0], t[1])
    )

    groups: dict[int, list[str]] = {}
    for i in range(len(ids)):
        groups.setdefault(state.find(i), []).append(ids[i])
    clusters = sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])
    n = len(ids)
    return DedupResult(
        clusters=clusters,
        maybe_pairs=maybe_pairs,
        stats={
            "records": n,
            "all_pairs": n * (n - 1) // 2,
            "candidate_pairs": len(candidates.pairs),
            "comparisons": len(candidates.pairs) + state.extra_comparisons,
            "oversized_blocks": len(candidates.oversized),
            "oversized_block_keys": dict(
                sorted(candidates.oversized.items(), key=lambda kv: -kv[1])[:20]
            ),
            "duplicate_pairs": len(edges),
            "blocked_merges": len(blocked),
            "conflicting_decisions": conflicting_decisions,
        },
    )


@dataclass
class WorkMatch:
    """Which stored work a new record joins (``None``: a new work) and the decisions seen."""

    work: str | None
    decisions: dict[str, list[tuple[int, PairDecision]]]  # work -> [(member index, decision)]


def match_work(
    new: Prepared,
    works: Iterable[tuple[str, Sequence[Prepared]]],
    *,
    cannot_link_works: Iterable[str] = (),
) -> WorkMatch:
    """The incremental step: the work a new record belongs to, among candidate works.

    ``works`` are the stored works that share a blocking key with ``new`` (fetched by the store
    in batches), each with its members' prepared forms. The record joins the work with the best
    "duplicate" verdict whose members are none of them "distinct" from it or vetoed, and that
    a person did not mark as not a duplicate (``cannot_link_works``).
    """
    excluded = set(cannot_link_works)
    seen: dict[str, list[tuple[int, PairDecision]]] = {}
    best: tuple[float, str] | None = None
    for work_id, members in works:
        if not any(could_match(new, m) for m in members):
            continue  # every comparison would say "distinct": none is needed
        ds = [(i, compare(new, m)) for i, m in enumerate(members)]
        seen[work_id] = ds
        if work_id in excluded:
            continue
        if any(stands_against(new, members[i], d) for i, d in ds):
            continue
        top = max((d.score for _, d in ds if d.verdict == "duplicate"), default=None)
        if top is not None and (best is None or top > best[0]):
            best = (top, work_id)
    return WorkMatch(best[1] if best else None, seen)
