"""Clusters of duplicate records, without chaining errors, honouring people's decisions.

Transitive closure of "duplicate" edges (what ASySD does) lets A~B and B~C merge A and C even
when A and C clearly differ. Here duplicate edges are applied best-first, and two clusters are
joined only if no pair across them is "distinct", vetoed, or marked "not a duplicate" by a
person. Manual merges (``must_link``) are applied first and always hold. A "distinct" pair
with no veto behind it gives way where a third record of the two clusters, a "duplicate" of
both, sits between them (:func:`outweighed`): broken copies of one paper each matching its
clean record.

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
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from functools import partial
from typing import Any

from records.dedup.blocking import MAX_BLOCK, blocking_keys, candidate_neighbours
from records.dedup.fields import compare_fields, title_similarity
from records.dedup.keys import Prepared, prepare
from records.dedup.scoring import PairDecision, compare, kind_words
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
        members_a, members_b = self.members_of(ra), self.members_of(rb)
        for a in members_a:
            for b in members_b:
                if _key(a, b) in self.cannot:
                    return (a, b)
                if self.apart(a, b) and not self.outweighed(a, b, (*members_a, *members_b)):
                    return (a, b)
        return None

    def duplicate(self, a: int, b: int) -> bool:
        """Whether compare() calls the pair "duplicate" (a pair triage settled is not)."""
        key = _key(a, b)
        found = self.decisions.get(key)
        if found is None:
            if key[1] in self.later[key[0]]:
                return False  # triage found it surely "distinct"
            found = compare(self.prepared[key[0]], self.prepared[key[1]])
            self.decisions[key] = found
            self.extra_comparisons += 1
        return found.verdict == "duplicate"

    def outweighed(self, a: int, b: int, members: Sequence[int]) -> bool:
        """Whether a pair that stands against joining gives way (:func:`outweighed`), the third
        record taken among ``members`` (those of both clusters)."""
        thirds = [z for z in members if z != a and z != b and self.duplicate(a, z)]
        if not thirds:
            return False
        key = _key(a, b)
        decision = self.decisions.get(key) or compare(self.prepared[key[0]], self.prepared[key[1]])
        first, second = self.prepared[a], self.prepared[b]
        return outweighed(
            first,
            second,
            decision,
            ((self.prepared[z], partial(self.duplicate, z, b)) for z in thirds),
        )

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

    # Best first; among equals, a pair whose venues name another kind (a citation naming
    # proceedings against a journal) after the others (:func:`venue_kinds_differ`).
    edges = sorted(
        (key for key, d in decisions.items() if d.verdict == "duplicate"),
        key=lambda k: (
            -decisions[k].score,
            venue_kinds_differ(prepared[k[0]], prepared[k[1]]),
            k,
        ),
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


#: A title at least this close between the two records of a "distinct" pair that a third
#: record may outweigh (:func:`outweighed`): broken copies of one title are 0.7-0.85 apart.
OUTWEIGHED_TITLE = 0.7


def outweighed(
    p1: Prepared,
    p2: Prepared,
    decision: PairDecision,
    thirds: Iterable[tuple[Prepared, Callable[[], bool]]],
) -> bool:
    """Whether a pair that stands against joining the clusters holding it gives way.

    ``thirds``: records of those clusters that are each a "duplicate" of ``p1``, with a call
    saying whether the record is a "duplicate" of ``p2`` as well. Two "duplicate" verdicts
    outweigh one "distinct" (broken copies of a paper, each a duplicate of its clean record,
    are "distinct" from each other by their titles) when

    * no veto stands behind the pair (a veto always holds), and the pair differs by its title
      alone: titles at least :data:`OUTWEIGHED_TITLE` alike, the authors agreeing (80 % of
      the shorter list at least), no year apart, no two journals, the same "kind" words
      ("demo", "poster", ...);
    * the third record is a "duplicate" of both and its title is closer to each of the two
      than theirs to each other: it sits between them, as a clean record does between two
      copies broken in two ways. Two papers of one group under titles a few words apart (the
      guard's reason: false merges are worse than misses) have no record between them unless
      a source garbled one into the other.
    """
    if decision.vetoed or decision.verdict != "distinct":
        return False
    f = compare_fields(p1, p2)
    authors = f.authors
    if (
        f.title is None
        or f.title < OUTWEIGHED_TITLE
        or authors is None
        or not authors.agree
        or authors.fraction < 0.8
        or f.year_gap
        or f.container_clash
        or kind_words(p1) != kind_words(p2)
    ):
        return False
    apart = title_similarity(p1, p2) or 0.0
    for third, duplicate_of_second in thirds:
        if (
            (title_similarity(p1, third) or 0.0) > apart
            and (title_similarity(third, p2) or 0.0) > apart
            and duplicate_of_second()
        ):
            return True
    return False


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
    best_members: list[Prepared] = []
    start = 0
    for work_id, members in works:
        offset, start = start, start + len(members)
        ds = [
            (i - offset, found.decisions[i]) for i in range(offset, start) if i in found.decisions
        ]
        if not ds:
            continue  # every member surely "distinct": nothing to join, nothing to review
        seen[work_id] = ds
        if work_id in excluded or against_work(new, members, ds):
            continue
        if len(ds) < len(members) and _settled_against(new, members, offset, found, unvetted):
            continue
        top = max((d.score for _, d in ds if d.verdict == "duplicate"), default=None)
        if top is None:
            continue
        if best is None or top > best[0]:
            best = (top, work_id)
            best_members = [members[i] for i, d in ds if d.verdict == "duplicate" and d.score == top]
        elif top == best[0]:
            # Two works as good as each other, which the record cannot both join (else they
            # are joined after: bridging), such as a conference paper and its journal version
            # matched by a citation. The one whose venue is of the record's kind (a citation
            # naming proceedings cites the conference paper: :func:`venue_kinds_differ`), then,
            # so that it does not depend on the order the works come in (their ids follow the
            # import order: issue 14's class 8), the one whose best member's comparison form
            # sorts first.
            tied = [members[i] for i, d in ds if d.verdict == "duplicate" and d.score == top]
            if _tie_key(new, tied) < _tie_key(new, best_members):
                best = (top, work_id)
                best_members = tied
    return WorkMatch(best[1] if best else None, seen)


#: Words naming a journal or proceedings in a venue name (tokens of ``Prepared.containers``).
_JOURNAL_WORDS = frozenset({"journal", "j", "transactions", "trans", "letters", "magazine"})
_PROCEEDINGS_WORDS = frozenset(
    {"proceedings", "proc", "procs", "conference", "conf", "symposium", "symp", "workshop"}
)


def _venue_kind(p: Prepared) -> str | None:
    """"journal" or "proceedings" when the record's venue names one kind only, else None."""
    words = {w for name in p.containers for w in name}
    journal, proceedings = bool(words & _JOURNAL_WORDS), bool(words & _PROCEEDINGS_WORDS)
    if journal == proceedings:
        return None
    return "journal" if journal else "proceedings"


def venue_kinds_differ(p1: Prepared, p2: Prepared) -> bool:
    """Whether one venue names a journal and the other proceedings ("vldb j" / "proc . of
    vldb"). Only a tie-break between pairs scored alike: the venue rules may call two such
    names one venue (an acronym matches both), but where a record matches a conference paper
    and its journal version equally, its venue's kind says which one it cites."""
    k1 = _venue_kind(p1)
    return k1 is not None and (k2 := _venue_kind(p2)) is not None and k1 != k2


def _tie_key(new: Prepared, members: Sequence[Prepared]) -> tuple[bool, str]:
    """The order of two works a record matches equally well (:func:`match_work`)."""
    return (
        all(venue_kinds_differ(new, m) for m in members),
        min(map(_content_key, members)),
    )


def _content_key(p: Prepared) -> str:
    """A record's comparison form as text that depends on its content alone (sets sorted, so
    not on the process's string hashing either): a tie-break independent of any order."""
    return repr(
        tuple(
            sorted(value) if isinstance(value, frozenset) else value
            for value in (getattr(p, f.name) for f in fields(p))
        )
    )


def against_work(
    new: Prepared, members: Sequence[Prepared], decisions: Sequence[tuple[int, PairDecision]]
) -> bool:
    """Whether a member of a work with a decision (``(member index, compare(new, member))``)
    stands against ``new`` joining it, where no other member outweighs that
    (:func:`outweighed`, the third record taken among the members ``new`` is a duplicate of)."""
    duplicates = [i for i, d in decisions if d.verdict == "duplicate"]
    return any(
        stands_against(new, members[i], d) and not _outweighed_in(new, members, i, d, duplicates)
        for i, d in decisions
    )


def _outweighed_in(
    new: Prepared,
    members: Sequence[Prepared],
    i: int,
    decision: PairDecision,
    duplicates: list[int],
) -> bool:
    """:func:`outweighed` for ``new`` against member ``i`` of a work, the third record taken
    among the ``duplicates`` (member indexes ``new`` is a "duplicate" of)."""
    thirds = [j for j in duplicates if j != i]
    if not thirds:
        return False
    member = members[i]
    return outweighed(
        new,
        member,
        decision,
        ((members[j], partial(_is_duplicate, members[j], member)) for j in thirds),
    )


def _is_duplicate(p1: Prepared, p2: Prepared) -> bool:
    return compare(p1, p2).verdict == "duplicate"


def _settled_against(
    new: Prepared, members: Sequence[Prepared], offset: int, found: Triage, unvetted: set[int]
) -> bool:
    """Whether a member triage settled as "distinct" stands against joining its work: any
    titled one does, unless outweighed (:func:`outweighed`; compared now); an untitled one
    only when vetoed (compared now)."""
    duplicates = [
        i - offset
        for i in range(offset, offset + len(members))
        if i in found.decisions and found.decisions[i].verdict == "duplicate"
    ]
    for i in range(offset, offset + len(members)):
        if i in found.decisions:
            continue
        member = members[i - offset]
        if i not in unvetted:
            if not duplicates or not _outweighed_in(
                new, members, i - offset, compare(new, member), duplicates
            ):
                return True
            continue
        if stands_against(new, member, compare(new, member)):
            return True
    return False
