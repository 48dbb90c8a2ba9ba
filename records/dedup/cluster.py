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

Both compare a record with its candidates through :func:`~records.dedup.triage.triage`, which
gives compare()'s verdicts but runs the full comparison only on pairs that may not be
"distinct"; pairs it settles are not kept (a few million at 100k records), and are rebuilt
from the candidate lists when a conflict check meets them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from records.dedup.blocking import MAX_BLOCK, blocking_keys, candidate_neighbours
from records.dedup.keys import Prepared, prepare
from records.dedup.scoring import PairDecision, compare
from records.dedup.triage import Triage, stands_against, triage
from records.model import CSLItem

Pair = tuple[str, str]


@dataclass
class DedupResult:
    """Clusters (lists of record ids, two or more members each; singletons are omitted),
    undecided pairs for review (one per pair of clusters, best first) and counts."""

    clusters: list[list[str]]
    maybe_pairs: list[tuple[str, str, PairDecision]]
    stats: dict[str, Any] = field(default_factory=dict)


def _key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


class _Clusters:
    """Union-find with member lists and a pairwise-compatibility check before each union."""

    def __init__(
        self,
        prepared: Sequence[Prepared],
        decisions: dict[tuple[int, int], PairDecision],
        cannot: set[tuple[int, int]],
        later: Sequence[AbstractSet[int]],
    ) -> None:
        self.prepared = prepared
        self.decisions = decisions
        self.cannot = cannot
        self.later = later  # candidate pairs: decisions holds all that triage did not settle
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

    def apart(self, a: int, b: int) -> bool:
        """Whether the pair stands against joining (:func:`stands_against`)."""
        key = _key(a, b)
        first, second = self.prepared[key[0]], self.prepared[key[1]]
        found = self.decisions.get(key)
        if found is None:
            candidate = key[1] in self.later[key[0]]
            if candidate and first.title_tokens and second.title_tokens:
                return True  # triage found the pair surely "distinct"
            found = compare(first, second)
            self.decisions[key] = found
            if not candidate:
                self.extra_comparisons += 1
        return stands_against(first, second, found)

    def conflict(self, ra: int, rb: int) -> tuple[int, int] | None:
        """A pair across two clusters that must not end up together, if any."""
        for a in self.members_of(ra):
            for b in self.members_of(rb):
                if _key(a, b) in self.cannot or self.apart(a, b):
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
    candidates = candidate_neighbours(map(blocking_keys, prepared), max_block=max_block)
    # Only the pairs triage does not settle as "distinct" are kept (the others are rebuilt as
    # needed from candidates.later): "maybe" and "duplicate" pairs are all among them.
    decisions: dict[tuple[int, int], PairDecision] = {}
    for a, later in enumerate(candidates.later):
        if later:
            others = sorted(later)
            found = triage(prepared[a], [prepared[b] for b in others])
            for i, decision in found.decisions.items():
                decisions[(a, others[i])] = decision

    cannot = {_key(index[x], index[y]) for x, y in cannot_link if x in index and y in index}
    state = _Clusters(prepared, decisions, cannot, candidates.later)
    conflicting_decisions = 0
    for id_a, id_b in must_link:
        if id_a in index and id_b in index:
            ra, rb = state.find(index[id_a]), state.find(index[id_b])
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
            "candidate_pairs": candidates.pair_count,
            "comparisons": candidates.pair_count + state.extra_comparisons,
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
    """Which stored work a new record joins (``None``: a new work) and the decisions seen.

    ``decisions`` holds, per work, :func:`compare`'s decision for each member that
    :func:`~records.dedup.triage.triage` could not settle as "distinct": every "maybe" and
    "duplicate" member is there, surely distinct members are left out, and so are works with
    no member left.
    """

    work: str | None
    decisions: dict[str, list[tuple[int, PairDecision]]]  # work -> [(member index, decision)]


def match_work(
    new: Prepared,
    works: Iterable[tuple[str, Sequence[Prepared]]],
    *,
    cannot_link_works: Iterable[str] = (),
    found: Triage | None = None,
) -> WorkMatch:
    """The incremental step: the work a new record belongs to, among candidate works.

    ``works`` are the stored works that share a blocking key with ``new`` (fetched by the store
    in batches), each with its members' prepared forms. The record joins the work with the best
    "duplicate" verdict whose members are none of them "distinct" from it or vetoed, and that
    a person did not mark as not a duplicate (``cannot_link_works``). All members of all works
    are triaged in one batch. ``found``: that triage (of ``new`` against every member, in
    order), when the caller has it already (a pure speed argument: the same verdicts).
    """
    excluded = set(cannot_link_works)
    works = [(work_id, list(members)) for work_id, members in works]
    if found is None:
        found = triage(new, [m for _, members in works for m in members])
    unvetted = set(found.unvetted)
    seen: dict[str, list[tuple[int, PairDecision]]] = {}
    best: tuple[float, str] | None = None
    start = 0
    for work_id, members in works:
        offset, start = start, start + len(members)
        ds = [
            (i - offset, found.decisions[i]) for i in range(offset, start) if i in found.decisions
        ]
        if not ds:
            continue  # every member surely "distinct": nothing to join, nothing to review
        seen[work_id] = ds
        if work_id in excluded or any(stands_against(new, members[i], d) for i, d in ds):
            continue
        if len(ds) < len(members) and _settled_against(new, members, offset, found, unvetted):
            continue
        top = max((d.score for _, d in ds if d.verdict == "duplicate"), default=None)
        if top is not None and (best is None or top > best[0]):
            best = (top, work_id)
    return WorkMatch(best[1] if best else None, seen)


def _settled_against(
    new: Prepared, members: Sequence[Prepared], offset: int, found: Triage, unvetted: set[int]
) -> bool:
    """Whether a member triage settled as "distinct" stands against joining its work: any
    titled one does; an untitled one only when vetoed (compared now)."""
    for i in range(offset, offset + len(members)):
        if i in found.decisions:
            continue
        if i not in unvetted:
            return True
        member = members[i - offset]
        if stands_against(new, member, compare(new, member)):
            return True
    return False
