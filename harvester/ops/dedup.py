"""Deduplication in the store: the pure rules of :mod:`records.dedup` driven over SQLite.

* **Incremental** (every import): a new record's blocking keys are looked up in the indexed
  ``blocking_keys`` table; the works holding those candidates are compared with the record
  (:func:`records.dedup.match_work`), and the record joins the best work it is a proven
  duplicate of, or starts a new one. Undecided ("maybe") pairs go to ``candidate_pairs`` for
  review. Cost per record is bounded by the block size, not by the library size.
* **Canonical** (after every import batch, :func:`settle`): the components of the library the
  batch touched are placed again in the order of the records' content hash, as a re-run
  would, so that the works depend neither on the order of import nor on the batch size.
* **Decisions** are remembered in ``decisions`` and always win: ``merge`` (must-link),
  ``not-duplicate`` (cannot-link: never proposed again), ``split`` (a record leaves its work
  and is kept apart from it).
* **Re-run** (:func:`recluster`): the whole library clustered again under the current rules,
  with every decision applied; works keep their citation keys where their members stay.

The SQL is the store's (:mod:`harvester.store.works`); none is written here.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, Protocol
from weakref import WeakKeyDictionary

from harvester.errors import NotFound
from harvester.ops.gc_pause import paused_gc
from harvester.store import Library, StoredRecord, WorkRow
from harvester.store.library import BoundedCache, NewRecord, new_member, now
from harvester.store.works import Reclustering, Works
from records.citekeys import DEFAULT_FORMULA, KeyFormula, compile_formula, unique_key
from records.dedup import MAX_BLOCK, PairDecision, blocking_keys, compare, match_work, prepare
from records.dedup.cluster import WorkMatch, against_work, outweighed
from records.dedup.keys import Prepared, Screen, screen_of
from records.dedup.triage import Triage, passing, stands_against, triage
from records.errors import UsageError
from records.merge import Member, merge

# Records placed per step of a re-run (`harvester dedupe`).
RECLUSTER_BATCH = 2000


def index_record(library: Library, record_id: int, prepared: Prepared) -> None:
    _links(library).clear()  # its links are not known (see Links)
    Works(library).index_keys(record_id, blocking_keys(prepared))


def _cached(cache: BoundedCache, record_ids: Iterable[int]) -> tuple[dict[int, Any], list[int]]:
    """The values ``cache`` holds for ``record_ids``, and the ids it does not hold, in order."""
    found: dict[int, Any] = {}
    missing = []
    for record_id in record_ids:
        hit = cache.get(record_id)
        if hit is None:
            missing.append(record_id)
        else:
            found[record_id] = hit
    return found, missing


def _prepared_members(library: Library, record_ids: Iterable[int]) -> dict[int, Prepared]:
    """The comparison forms of stored records: from the library's cache, else as stored
    (``harvester.store.forms``), else derived from their CSL (and stored, inside a write).

    A stored source record's CSL never changes (edits and enrichment are records of their
    own), so its prepared form can be kept for as long as the library is open; the cache is
    bounded and is dropped when a write transaction rolls back (ids may then be reused).
    """
    cache = library.prepared_cache
    found, missing = _cached(cache, record_ids)
    if not missing:
        return found
    stored = library.forms.of(missing)
    for record_id, form in stored.items():
        found[record_id] = cache.put(record_id, form)
    derived = [
        (record_id, cache.put(record_id, prepare(csl)))
        for record_id, csl in Works(library).csl_of(r for r in missing if r not in stored)
    ]
    found.update(derived)
    library.forms.keep(derived)
    screens = library.screen_cache
    for record_id, form in [*stored.items(), *derived]:
        if screens.get(record_id) is None:
            screens.put(record_id, screen_of(form))
    return found


def _screens(library: Library, record_ids: Iterable[int]) -> dict[int, Screen]:
    """The screens (:class:`~records.dedup.keys.Screen`) of stored records: from the library's
    cache of them, else from their full forms (:func:`_prepared_members`, which keeps them)."""
    found, missing = _cached(library.screen_cache, record_ids)
    if missing:
        for record_id, form in _prepared_members(library, missing).items():
            found[record_id] = screen_of(form)
    return found


@dataclass(slots=True)
class Links:
    """What :func:`settle` knows of the links (candidate pairs triage does not settle as
    distinct, see :func:`_components`) of the records this process placed or examined, so that
    it does not triage them again against all their blocks for every batch. ``complete``: the
    records whose every link is in ``links`` (a record placed by an import finds its links to
    earlier records, and every later record placed here adds its own). A link whose only
    shared block grows past MAX_BLOCK is forgotten then (:meth:`drop_gone`): a component found
    too large would give the same works (components cluster independently), but its records'
    review pairs would be found again without the pairs no block counts any more.

    Valid while nothing but this process's imports wrote to the library: :func:`checked_links`
    drops it when another connection committed (SQLite's ``data_version``), when the next
    record id is not the one the last batch left (a rolled-back batch, a record stored by
    another path such as enrichment), and a re-run's re-indexing drops it."""

    links: dict[int, set[int]] = field(default_factory=dict)
    complete: set[int] = field(default_factory=set)
    state: tuple[int, int] | None = None  # (data_version, next record id) after the last batch
    # Blocking keys known to hold more than MAX_BLOCK records (not read again: see
    # Works.counted_blocks). Valid as long as the links: only a re-index shrinks a block.
    large: set[str] = field(default_factory=set)

    def clear(self) -> None:
        self.links.clear()
        self.complete.clear()
        self.large.clear()
        self.state = None

    def add(self, record_id: int, linked: Iterable[int]) -> None:
        """Every link of ``record_id`` (it is complete now), each also one of the other's."""
        mine = self.links[record_id] = set(linked)
        for other in mine:
            self.links.setdefault(other, set()).add(record_id)
        self.complete.add(record_id)

    def drop_gone(self, works: Works, blocks: Iterable[list[int]]) -> None:
        """Forget the links between records of these blocks, which have just grown past
        MAX_BLOCK, that share no other block still counted: as if found today."""
        pairs: set[tuple[int, int]] = set()
        for members in blocks:
            inside = set(members)
            for record_id in members:
                pairs.update(
                    (record_id, other)
                    for other in self.links.get(record_id, ())
                    if other in inside and record_id < other
                )
        if not pairs:
            return
        keys = works.keys_of({r for pair in pairs for r in pair})
        sizes = works.block_sizes({k for ks in keys.values() for k in ks})
        for a, b in pairs:
            shared = set(keys.get(a, ())) & set(keys.get(b, ()))
            if not any(sizes.get(k, 0) <= MAX_BLOCK for k in shared):
                self.links[a].discard(b)
                self.links[b].discard(a)


# Records whose links are kept per open library (a few dozen bytes each without links).
LINKS_LIMIT = 500_000
_LINKS: WeakKeyDictionary[Library, Links] = WeakKeyDictionary()


def _links(library: Library) -> Links:
    found = _LINKS.get(library)
    if found is None:
        found = _LINKS[library] = Links()
    return found


def checked_links(library: Library, next_id: int) -> Links:
    """The library's :class:`Links`, emptied first if anything but this process's last import
    batch may have written to the library since (see :class:`Links`). Inside the write."""
    links = _links(library)
    state = (Works(library).data_version(), next_id)
    if links.state != state or len(links.complete) > LINKS_LIMIT:
        links.clear()
    return links


def links_written(library: Library, links: Links, next_id: int) -> None:
    """The batch is written: the links hold until someone else writes (see :class:`Links`)."""
    links.state = (Works(library).data_version(), next_id)


def placed_links(links: Links, new_ids: Sequence[int], plan: BatchPlan) -> None:
    """The links of a batch's records as :func:`assign_batch` found them: until the batch is
    written (:func:`links_written`), the links are not trusted by the next one."""
    links.state = None
    for record_id, alive in zip(new_ids, plan.alive, strict=True):
        links.add(record_id, alive)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where a new record goes: ``work``, a placed work (its id), or a new work that an earlier
    record of the same batch started (minus that record's id), or ``None`` (it starts a work of
    its own); why (the best pair verdict with its evidence, kept for `harvester show`), and
    the undecided pairs seen."""

    work: int | None
    why: dict[str, Any] | None
    maybes: list[tuple[int, PairDecision]]


@dataclass(slots=True)
class BatchPlan:
    """The decisions on one batch: an assignment and the blocking keys per record, and the works
    that a record proved to be one (``absorbed``: work -> the work it joins; works named as in
    :class:`Assignment`). Placed works survive over new ones, older over newer."""

    assignments: list[Assignment]
    keys: Sequence[Sequence[str]]
    # Per record, the candidates triage did not settle as distinct; per key, how many records
    # its block held before the batch (None: skipped). What :func:`settle` starts from.
    alive: list[list[int]] = field(default_factory=list)
    block_sizes: dict[str, int | None] = field(default_factory=dict)
    absorbed: dict[int, int] = field(default_factory=dict)
    bridged_by: dict[int, int] = field(default_factory=dict)  # absorbed work -> the record

    def final(self, work: int) -> int:
        """The work ``work`` ends up in after every absorption of the batch."""
        while work in self.absorbed:
            work = self.absorbed[work]
        return work

    def work_of(self, index: int, record_id: int) -> int:
        """The final work of the batch's ``index``-th record (stored id ``record_id``)."""
        work = self.assignments[index].work
        return self.final(-record_id if work is None else work)


# The records a person said a record is not a duplicate of ("not-duplicate", "split").
Apart = Callable[[int], Collection[int]]


def _stored_decisions(library: Library) -> Apart:
    """:data:`Apart` from the library's decisions (a person's words: few, read at once)."""
    return _apart(_decisions(library)[0])


def _apart(pairs: dict[int, set[int]]) -> Apart:
    """:data:`Apart` from the not-duplicate pairs read by :func:`_decisions`."""
    empty: frozenset[int] = frozenset()
    return lambda record_id: pairs.get(record_id, empty)


class Index(Protocol):
    """What :func:`assign_batch` decides against: the records already placed, by blocking key,
    and the works (or, in a re-run, the clusters) they are in. An import decides against the
    stored works (:class:`_StoredWorks`); a re-run uses
    :class:`harvester.store.works.Reclustering`."""

    def blocks(self, keys: Iterable[str]) -> Mapping[str, list[int] | None]:
        """The placed records under each key (``None``: skip the key whatever its count)."""
        ...

    def work_ids_of(self, record_ids: Iterable[int]) -> dict[int, int]: ...

    def members_of_works(self, work_ids: Iterable[int]) -> dict[int, list[int]]: ...


class _StoredWorks:
    """The library's stored works as an :class:`Index`: blocks larger than MAX_BLOCK are
    counted, not read (they are skipped anyway)."""

    def __init__(self, library: Library, large: set[str] | None = None) -> None:
        self._library = library
        self._works = Works(library)
        self._large = large  # see Links.large

    def blocks(self, keys: Iterable[str]) -> Mapping[str, list[int] | None]:
        return self._works.counted_blocks(keys, MAX_BLOCK, self._large)

    def work_ids_of(self, record_ids: Iterable[int]) -> dict[int, int]:
        return self._library.work_ids_of(record_ids)

    def members_of_works(self, work_ids: Iterable[int]) -> dict[int, list[int]]:
        return self._library.members_of_works(work_ids)


def _candidates(
    index: Index, new: Sequence[tuple[int, Prepared]], keys: Sequence[Sequence[str]] | None
) -> tuple[list[list[int]], Sequence[Sequence[str]], Mapping[str, list[int] | None]]:
    """Per new record, the records sharing a blocking key with it (placed ones and those
    earlier in the batch; blocks of more than MAX_BLOCK records skipped: a block that large says
    nothing about identity), in id order; its keys; and the placed blocks. One query for the
    whole batch."""
    if keys is None:
        keys = [sorted(blocking_keys(p)) for _, p in new]
    placed = index.blocks({k for ks in keys for k in ks})
    earlier: dict[str, list[int]] = {}
    candidates = []
    for (record_id, _), record_keys in zip(new, keys, strict=True):
        found: set[int] = set()
        for key in record_keys:
            in_index = placed.get(key, ())
            if in_index is None:
                continue
            in_batch = earlier.setdefault(key, [])
            if len(in_index) + len(in_batch) < MAX_BLOCK:  # counting the record itself
                found.update(in_index)
                found.update(in_batch)
            in_batch.append(record_id)
        candidates.append(sorted(found))
    return candidates, keys, placed


def assign_batch(
    library: Library,
    new: Sequence[tuple[int, Prepared]],
    *,
    index: Index | None = None,
    apart: Apart | None = None,
    keys: Sequence[Sequence[str]] | None = None,
    links: Links | None = None,
) -> BatchPlan:
    """Decide, in order, which work each new record belongs to: a placed work, a work started
    by an earlier record of the batch, or a new one (see the module docstring). ``new`` gives
    the ids the records are (or will be) stored under; ``index`` is what they are decided
    against (default: the library's works); ``apart(r)``: the records a person said ``r`` is
    not a duplicate of, whose works ``r`` never joins (default: the library's decisions).
    ``links``: an import's :class:`Links`, checked (:func:`checked_links`), whose blocks known
    to be too large are not read again.

    A work is a candidate when a record sharing a blocking key with the new one may be its
    duplicate (:func:`records.dedup.triage`, which settles most candidates as surely distinct
    in C-level scans); then all of its members are compared, so that none of them is distinct
    from the new record (no chaining). Triage needs no assignment, so it runs for the whole
    batch first, and only the works it leaves are read from the store.

    A record that is a duplicate of two works (each pair found "maybe" on its own) proves them
    one work: they are joined when no pair across them stands against it, as in
    :func:`records.dedup.find_clusters`.
    """
    index = index or _StoredWorks(library, links.large if links is not None else None)
    apart = apart or _stored_decisions(library)
    candidates, keys, blocks = _candidates(index, new, keys)
    batch_ids = {record_id for record_id, _ in new}
    # Every candidate of the batch: the placed blocks that count for the first record having
    # them (a block counts for no record when it is full already), not every record's list.
    used = (b for b in blocks.values() if b is not None and len(b) < MAX_BLOCK)
    screens = _screens(library, set().union(*used) - batch_ids)
    for record_id, prepared in new:
        screens[record_id] = library.screen_cache.put(record_id, screen_of(prepared))
    # The candidates passing the screens: triage sets the others aside whatever their full
    # forms hold, so only these forms are read.
    passed = [
        passing(prepared, list(map(screens.__getitem__, found)))
        for (_, prepared), found in zip(new, candidates, strict=True)
    ]
    forms = _prepared_members(
        library,
        {found[i] for found, indexes in zip(candidates, passed, strict=True) for i in indexes}
        - batch_ids,
    )
    for record_id, prepared in new:
        forms[record_id] = library.prepared_cache.put(record_id, prepared)
    # Triage: per record, the candidates that may not be distinct from it (indexes into its
    # candidates). Which works they are in is asked afterwards, for those few only (a
    # detached Crossref record, in none, is left out there).
    alive: list[list[int]] = []
    triaged: list[Triage] = []
    for (_, prepared), found, indexes in zip(new, candidates, passed, strict=True):
        among = triage(prepared, [forms[found[i]] for i in indexes])
        settled = Triage(
            {indexes[i]: d for i, d in among.decisions.items()},
            [indexes[i] for i in among.unvetted],
        )
        alive.append([found[i] for i in sorted(settled.decisions)])
        triaged.append(settled)
    partners = {p for record_id, _ in new for p in apart(record_id)}
    work_of: dict[int, int] = index.work_ids_of(
        ({c for found in alive for c in found} | partners) - batch_ids
    )
    live = {work_of[c] for found in alive for c in found if c in work_of}
    members: dict[int, list[int]] = index.members_of_works(live)
    forms.update(
        _prepared_members(library, {m for ids in members.values() for m in ids} - forms.keys())
    )
    sizes = {k: None if b is None else len(b) for k, b in blocks.items()}
    plan = BatchPlan([], keys, alive, sizes)
    for position, ((record_id, prepared), found) in enumerate(zip(new, alive, strict=True)):
        works = list(dict.fromkeys(work_of[c] for c in found if c in work_of))
        excluded = {str(work_of[p]) for p in apart(record_id) if p in work_of}
        # Most records have no candidate left after triage: nothing to match (what match_work
        # would say after triaging no one).
        match = (
            match_work(
                prepared,
                [(str(w), [forms[m] for m in members[w]]) for w in works],
                cannot_link_works=excluded,
                found=_members_triage(
                    prepared,
                    [m for w in works for m in members[w]],
                    candidates[position],
                    triaged[position],
                    forms,
                ),
            )
            if works
            else WorkMatch(None, {})
        )
        maybes: list[tuple[int, PairDecision]] = []
        for name, decisions in match.decisions.items():
            if name in excluded or (match.work is not None and name == match.work):
                continue
            ids = members[int(name)]
            maybes.extend((ids[i], d) for i, d in decisions if d.verdict == "maybe")
        if match.work is None:
            # Works of this batch are named by their first record, negated, until stored.
            work_of[record_id] = -record_id
            members[-record_id] = [record_id]
            plan.assignments.append(Assignment(None, None, maybes))
            continue
        chosen = int(match.work)
        ids = members[chosen]
        best_index, best = max(
            ((i, d) for i, d in match.decisions[match.work] if d.verdict == "duplicate"),
            key=lambda pair: pair[1].score,
        )
        why = {
            "with": ids[best_index],
            "score": best.score,
            "for": best.evidence_for,
            "against": best.evidence_against,
        }
        given_way = _outweighed_members(prepared, ids, match.decisions[match.work], forms)
        if given_way:
            why["for"] = [*best.evidence_for, _outweighed_words(given_way)]
        ids.append(record_id)
        work_of[record_id] = chosen
        chosen = _bridge(
            record_id, prepared, match, chosen, excluded, forms, members, work_of, apart, plan
        )
        maybes = [(other, d) for other, d in maybes if work_of.get(other) != chosen]
        plan.assignments.append(Assignment(chosen, why, maybes))
    return plan


def _members_triage(
    prepared: Prepared,
    members: Sequence[int],
    candidates: Sequence[int],
    settled: Triage,
    forms: Mapping[int, Prepared],
) -> Triage:
    """``triage(prepared, members)`` (the members of the works a record may join, in order)
    from the record's triage against its ``candidates`` (ids in id order), ``settled``: a
    member that was a candidate has its verdict there already (triage decides each pair on its
    own), only the others are triaged now. The members of a candidate work are mostly the
    candidates themselves; match_work triaged them all a second time."""
    decisions: dict[int, PairDecision] = {}
    unvetted: list[int] = []
    others: list[int] = []
    count = len(candidates)
    for position, member in enumerate(members):
        i = bisect_left(candidates, member)
        if i < count and candidates[i] == member:
            decision = settled.decisions.get(i)
            if decision is not None:
                decisions[position] = decision
            else:
                j = bisect_left(settled.unvetted, i)
                if j < len(settled.unvetted) and settled.unvetted[j] == i:
                    unvetted.append(position)
        else:
            others.append(position)
    if others:
        rest = triage(prepared, [forms[members[p]] for p in others])
        for k, decision in rest.decisions.items():
            decisions[others[k]] = decision
        unvetted.extend(others[k] for k in rest.unvetted)
    return Triage(decisions, sorted(unvetted))


def _bridge(
    record_id: int,
    prepared: Prepared,
    match: WorkMatch,
    work: int,
    excluded: set[str],
    forms: dict[int, Prepared],
    members: dict[int, list[int]],
    work_of: dict[int, int],
    apart: Apart,
    plan: BatchPlan,
) -> int:
    """Join into ``work`` (which the record just joined) the other works it is a duplicate of,
    where nothing across them stands against it; returns the work the record is in now."""
    others = [
        int(w)
        for w, decisions in match.decisions.items()
        if w != match.work
        and w not in excluded
        and any(d.verdict == "duplicate" for _, d in decisions)
        and not against_work(prepared, [forms[m] for m in members[int(w)]], decisions)
    ]
    for other in others:
        if other not in members or other == work:
            continue  # already joined through an earlier one
        if not _compatible(members[work], members[other], forms, apart):
            continue
        # Placed works survive over new ones (their keys are in use), older over newer.
        keep, gone = sorted((work, other), key=lambda w: (w < 0, abs(w)))
        for m in members[gone]:
            work_of[m] = keep
        members[keep] = sorted(members[keep] + members.pop(gone))
        plan.absorbed[gone] = keep
        plan.bridged_by[gone] = record_id
        work = keep
    return work


def _outweighed_members(
    prepared: Prepared,
    ids: Sequence[int],
    decisions: Sequence[tuple[int, PairDecision]],
    forms: Mapping[int, Prepared],
) -> list[int]:
    """The members of the work a record joined that are "distinct" from it (each outweighed:
    :func:`records.dedup.cluster.outweighed`, or the record would not have joined). A member
    triage settled is "distinct" when both have a title; an untitled one is not against."""
    decided = dict(decisions)
    found = []
    for i, member in enumerate(ids):
        decision = decided.get(i)
        if decision is None:
            if prepared.title_tokens and forms[member].title_tokens:
                found.append(member)
        elif stands_against(prepared, forms[member], decision):
            found.append(member)
    return found


def _outweighed_words(members: Sequence[int]) -> str:
    records = ", ".join(str(m) for m in members)
    plural = "s" if len(members) > 1 else ""
    return (
        f"\"distinct\" from record{plural} {records} by the title alone, outweighed: a duplicate"
        " of both sits between them"
    )


def _bridged(record_id: int) -> str:
    return f"its work and this one were joined: record {record_id} is a duplicate of both"


def _compatible(a: list[int], b: list[int], forms: dict[int, Prepared], apart: Apart) -> bool:
    """Whether two works may become one: no pair across them stands against it, unless a
    third record of the two outweighs the pair (:func:`records.dedup.cluster.outweighed`)."""
    found: dict[tuple[int, int], PairDecision] = {}

    def decided(x: int, y: int) -> PairDecision:
        key = (x, y) if x < y else (y, x)
        if key not in found:
            found[key] = compare(forms[key[0]], forms[key[1]])
        return found[key]

    def duplicate(x: int, y: int) -> bool:
        return decided(x, y).verdict == "duplicate"

    both = [*a, *b]
    for x in a:
        kept_apart = apart(x)
        for y in b:
            if y in kept_apart:
                return False
            decision = decided(x, y)
            if stands_against(forms[x], forms[y], decision) and not outweighed(
                forms[x],
                forms[y],
                decision,
                (
                    (forms[z], partial(duplicate, z, y))
                    for z in both
                    if z != x and z != y and duplicate(x, z)
                ),
            ):
                return False
    return True


def remember_maybes(
    library: Library, record_id: int, maybes: list[tuple[int, PairDecision]]
) -> None:
    stamp = now()
    Works(library).remember_pairs(
        (other, record_id, d.score, {"for": d.evidence_for, "against": d.evidence_against}, stamp)
        for other, d in maybes
    )


# -- decisions ------------------------------------------------------------------------------


def _work(library: Library, key: str) -> WorkRow:
    work = library.work_by_key(key)
    if work is None:
        raise NotFound(f"no work with key {key!r}")
    return work


def _decide(library: Library, kind: str, a: int, b: int | None, note: str | None = None) -> None:
    """Record a decision; the opposite decision on the same pair, if any, is superseded
    (the person's latest word wins)."""
    Works(library).decide(kind, a, b, note, now())


def merge_works(library: Library, keys: list[str]) -> WorkRow:
    """A person's merge: the works become the first one (its key stays); remembered."""
    if len(set(k.lower() for k in keys)) < 2:
        raise UsageError("merge needs two or more different keys")
    with library.write():
        works = [_work(library, k) for k in keys]
        target = works[0]
        joined = [m.id for m in library.records_of_work(target.id)]
        for other in works[1:]:
            members = library.records_of_work(other.id)
            for member in members:
                for earlier in joined:  # every cross pair: older "not a duplicate" words go
                    _decide(library, "merge", earlier, member.id)
            joined.extend(m.id for m in members)
            library.move_tags(other.id, target.id)
            library.move_records([m.id for m in members], target.id)
            for member in members:
                library.set_joined(member.id, {"by": "merged by a person (harvester merge)"})
            library.recompute_work(other.id)  # now empty: removed
        library.recompute_work(target.id)
        _forget_pairs_within(library, target.id)
        return library.work(target.id)


def not_duplicate(library: Library, key_a: str, key_b: str) -> None:
    """A person's "these are different works": never proposed or merged again."""
    with library.write():
        a, b = _work(library, key_a), _work(library, key_b)
        if a.id == b.id:
            raise UsageError(f"{key_a} and {key_b} are the same work; use `harvester split`")
        for ra in library.records_of_work(a.id):
            for rb in library.records_of_work(b.id):
                _decide(library, "not-duplicate", ra.id, rb.id)
                Works(library).forget_pair(ra.id, rb.id)


def split(
    library: Library, key: str, record_ids: list[int] | None = None, formula: str | None = None
) -> list[WorkRow]:
    """Undo a merge: each named member (default: every member but the oldest) becomes its own
    work, and is remembered as not a duplicate of the members it left."""
    with library.write():
        work = _work(library, key)
        members = [m for m in library.records_of_work(work.id) if m.kind == "input"]
        if len(members) < 2:
            raise UsageError(f"{key} has a single source record; nothing to split")
        ids = record_ids or [m.id for m in members[1:]]
        unknown = set(ids) - {m.id for m in members}
        if unknown:
            raise UsageError(f"records {sorted(unknown)} are not members of {key}")
        if len(ids) == len(members):
            raise UsageError("a split must leave at least one record in the work")
        staying = [m for m in members if m.id not in ids]
        new_works = []
        for record_id in ids:
            for stay in staying:
                _decide(library, "not-duplicate", stay.id, record_id, note=f"split from {key}")
            for other in ids:
                if other != record_id:
                    _decide(library, "not-duplicate", record_id, other, note=f"split from {key}")
            new_works.append(new_work_for(library, record_id, formula))
        library.recompute_work(work.id)
        return [library.work(w) for w in new_works]


@lru_cache(maxsize=8)
def _formula(text: str) -> KeyFormula:
    """A key formula compiled once per process (one is needed for every new work)."""
    return compile_formula(text)


def new_work_for(library: Library, record_id: int, formula: str | None = None) -> int:
    """A new work holding one stored record, with a fresh citation key (inside a write)."""
    record = library.records([record_id])[0]
    (work_id,) = _create_works(library, [[record.as_member()]], formula)
    library.index_works([work_id])
    library.move_records([record_id], work_id)
    return work_id


def create_works_for(
    library: Library, groups: Sequence[Sequence[NewRecord]], formula: str | None = None
) -> list[int]:
    """New works for records about to be stored, one per group (its first record started it);
    sets the records' ``work_id``. They are not in the full-text index yet: see
    :meth:`Library.index_works`."""
    work_ids = _create_works(
        library,
        [[new_member(r.record, r.id) for r in rows] for rows in groups],
        formula,
        [rows[0].csl_json if len(rows) == 1 else None for rows in groups],
    )
    for rows, work_id in zip(groups, work_ids, strict=True):
        for row in rows:
            row.work_id = work_id
    return work_ids


def _create_works(
    library: Library,
    groups: Sequence[list[Member]],
    formula: str | None,
    texts: Sequence[str | None] | None = None,
) -> list[int]:
    """One new work per group of members, written in one statement, with keys checked against
    the stored ones in one query (:meth:`Library.key_test`); not full-text indexed yet.
    ``texts``: per group, the JSON of its one imported member's CSL if known: reused when the
    merge left that CSL as it was (nearly always), with the provenance written out from it
    (one member gave every field), instead of encoding both again."""
    compiled = _formula(formula or DEFAULT_FORMULA)
    works = []
    for members in groups:
        # The key comes from the first member alone, so that it does not depend on which
        # records happened to arrive in the same batch.
        first = merge(members[:1])
        merged = merge(members) if len(members) > 1 else first
        works.append((first, merged, compiled.base_key(first.csl)))
    taken = library.key_test(base for _, _, base in works)
    # Equal dicts serialize alike here: the merge keeps the member's field order and its values.
    reused = [
        (text, _one_member_provenance(members[0], merged.csl))
        if text is not None and members[0].csl == merged.csl
        else None
        for members, (_, merged, _), text in zip(
            groups, works, texts or [None] * len(groups), strict=True
        )
    ]
    return library.create_works(
        [
            (merged, taken.claim(unique_key(base, taken)), "title" not in first.csl)
            for first, merged, base in works
        ],
        reused,
    )


@lru_cache(maxsize=256)
def _json_name(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def _one_member_provenance(member: Member, csl: Mapping[str, Any]) -> str:
    """``json.dumps(merge([member]).provenance)`` for an imported member, whose merged ``csl``
    is given: every field from the one member (see :func:`records.merge.merge`), written
    without encoding the same entry once per field."""
    entry = json.dumps({"from": [member.record_id], "source": member.label}, ensure_ascii=False)
    return "{" + ", ".join(f"{_json_name(name)}: {entry}" for name in csl) + "}"


def join_works(library: Library, keep: int, gone: int, through: int) -> None:
    """Dedup's own merge: work ``gone`` joins ``keep`` (its key stays) because record
    ``through`` is a duplicate of both. Its members say so in `harvester show`; its tags move."""
    members = library.records_of_work(gone)
    library.move_records([m.id for m in members], keep)
    for member in members:
        if member.joined is None:  # the others still say which record they duplicate
            library.set_joined(member.id, {"with": through, "by": _bridged(through)})
    library.move_tags(gone, keep)
    library.recompute_work(gone)  # now empty: removed
    _forget_pairs_within(library, keep)


def _forget_pairs_within(library: Library, work_id: int) -> None:
    Works(library).forget_pairs_within(work_id)


# -- reporting ------------------------------------------------------------------------------


@dataclass(slots=True)
class DuplicateReport:
    clusters: list[dict[str, Any]] = field(default_factory=list)
    pairs: list[dict[str, Any]] = field(default_factory=list)


def _member_ref(record: StoredRecord) -> dict[str, Any]:
    return {
        "source": record.origin,
        "id": record.source_id or str(record.position),
        "position": record.position,
        "record": record.id,
        "format": record.format,
    }


def duplicates(library: Library) -> DuplicateReport:
    """Works with more than one source record, and the undecided pairs with their evidence."""
    report = DuplicateReport()
    works = Works(library)
    for work_id in works.with_several_inputs():
        work = library.work(work_id)
        members = [m for m in library.records_of_work(work_id) if m.kind == "input"]
        report.clusters.append(
            {
                "key": work.key,
                "title": work.csl.get("title"),
                "members": [_member_ref(m) for m in members],
            }
        )
    for a, b, score, evidence in works.review_pairs():
        ra, rb = library.records([a, b]) if a != b else (None, None)
        if ra is None or rb is None or ra.work_id == rb.work_id:
            continue
        report.pairs.append(
            {
                "score": score,
                "evidence": evidence,
                "a": _member_ref(ra) | {"key": library.work(ra.work_id).key},  # type: ignore[arg-type]
                "b": _member_ref(rb) | {"key": library.work(rb.work_id).key},  # type: ignore[arg-type]
            }
        )
    return report


# -- re-run ---------------------------------------------------------------------------------


def _decisions(library: Library) -> tuple[dict[int, set[int]], list[tuple[int, int]]]:
    """A person's decisions: who is apart from whom (not-duplicate, split) and the merges."""
    apart: dict[int, set[int]] = {}
    together = []
    for kind, a, b in Works(library).pair_decisions():
        if kind == "merge":
            together.append((a, b))
        elif kind == "not-duplicate":
            apart.setdefault(a, set()).add(b)
            apart.setdefault(b, set()).add(a)
    return apart, together


def _records_to_place(library: Library, batch: int) -> Iterator[list[tuple[int, Prepared]]]:
    """Imported and Crossref records (Crossref's carry the DOI and full metadata that tie a
    record known only by its DOI to the page it was found on), in the order of their content
    hash, a batch at a time: not the order they were imported in, so that the works do not depend
    on it (the same records imported in any order cluster the same)."""
    for ids in Works(library).records_by_hash(batch):
        forms = _prepared_members(library, ids)
        yield [(record_id, forms[record_id]) for record_id in ids]


def _join(index: Reclustering, a: int, b: int) -> bool:
    """A person's merge: the clusters of ``a`` and ``b`` become one (False: already one)."""
    ca, cb = (index.work_ids_of([r]).get(r) for r in (a, b))
    if ca is None or cb is None or ca == cb:
        return False
    index.merge_clusters(min(ca, cb), max(ca, cb), {"by": "merged by a person (harvester merge)"})
    return True


def recluster(
    library: Library, formula: str | None = None, *, batch: int = RECLUSTER_BATCH
) -> dict[str, int]:
    """Cluster the whole library again under the current rules, keeping every decision.

    The records are placed again in the order of their content hash (not of their import),
    exactly as an import decides
    (:func:`assign_batch`), against the clusters built so far instead of the stored works; a
    person's "not a duplicate" keeps records apart and their merges are applied last (the
    person decided). Then each new cluster keeps the work (and citation key) that most of its
    members were in, larger clusters choosing first; records of a work that the rules now split
    apart get new works. Only what changed is written.
    """
    with library.write():
        Works(library).forget_all_pairs()
        applied = _recluster(
            library,
            _records_to_place(library, batch),
            formula,
            "clustered by harvester dedupe",
            reindex=True,
        )
        # The pairs the run left, not the ones it found: a pair found while its records were
        # apart is dropped when a later record joins them.
        applied.summary["review_pairs"] = Works(library).count_review_pairs()
    library.set_rules_current()
    return applied.summary


@dataclass(slots=True)
class Applied:
    """What a re-run changed: its counts, the works it wrote to, the works it created and those
    it removed (left without records)."""

    summary: dict[str, int]
    touched: set[int]
    created: list[int]
    removed: set[int]


def _recluster(
    library: Library,
    batches: Iterable[list[tuple[int, Prepared]]],
    formula: str | None,
    by: str | None,
    *,
    reindex: bool = False,
) -> Applied:
    """Place ``batches`` (records in the order of their content hash) as :func:`recluster`
    does, against each other only, and move them to the works of their clusters. ``by`` says
    in `harvester show` who placed a record that moved (None: its evidence alone says why).
    ``reindex``: index each record under the current blocking keys as it is placed (the whole
    re-run; an import's records were indexed under them as they were stored)."""
    index = Reclustering(library, MAX_BLOCK)
    apart, together = _decisions(library)
    review = 0
    for new in batches:
        with paused_gc():
            review += _recluster_batch(library, index, new, apart, by, reindex)
    for a, b in together:
        _join(index, a, b)
    applied = _apply_clusters(library, index, formula)
    # A pair found undecided while its records were apart, then joined by a later record.
    Works(library).forget_pairs_in_one_work()
    applied.summary["review_pairs"] = review
    index.close()
    return applied


def settle(
    library: Library,
    plan: BatchPlan,
    new_ids: Sequence[int],
    formula: str | None = None,
    links: Links | None = None,
) -> Applied:
    """After a batch of an import, decided by ``plan`` and written (inside its transaction):
    place again, exactly as :func:`recluster` would, the records whose works the batch may
    have changed, so that the works do not depend on the order of import (nor on the batch
    size). ``new_ids``: the batch's records, as in ``plan``.

    :func:`recluster`'s placing of a record only ever looks at records linked to it by a chain
    of candidate pairs (a shared blocking key) that are not surely distinct: a record's
    candidates that triage settles as distinct play no part, and the works it may join are
    made of such chains. So the library falls apart into components that cluster
    independently; placing again the components the batch touched, in content-hash order,
    gives what a whole re-run would, provided the rest already is (it is after imports into an
    empty library, or after `harvester dedupe`). Touched: the new records, and the records of a
    block that the batch made too large to count which are linked to another record of that
    block (those links may be gone; a record of it linked to none loses nothing), with every
    record linked to them and every member of their works. A component of one record is its own
    work already. Works whose members stay keep their ids and keys; only records that change
    work are written. ``links``: what is known of the links already (:class:`Links`, the
    batch's own included), added to as records are examined."""
    links = links if links is not None else Links()
    works = Works(library)
    added: Counter[str] = Counter(k for keys in plan.keys for k in keys)
    crossed = [
        k
        for k, n in added.items()
        if (before := plan.block_sizes.get(k, 0)) is not None and before <= MAX_BLOCK < before + n
    ]
    # The new records' links were found by the batch (through at least the blocks that count;
    # a link to a later record of the batch is in that record's list). One without any is a
    # work of its own (nearly all of them): it starts nothing, and a linked one reaches it.
    known = dict(zip(new_ids, plan.alive, strict=True))
    start = {record_id for record_id, alive in known.items() if alive}
    grown = library.blocks(crossed)
    for members in grown.values():
        start.update(_linked_within(library, members, links))
    links.drop_gone(works, grown.values())
    component = set().union(
        *(c for c in _components(library, start, known, links) if len(c) > 1)
    )
    if not component:
        return Applied({}, set(), [], set())
    works.forget_pairs_of(component)
    ordered = [record_id for record_id, _ in works.placeable(component)]
    forms = _prepared_members(library, ordered)
    batches = (
        [(record_id, forms[record_id]) for record_id in ordered[i : i + RECLUSTER_BATCH]]
        for i in range(0, len(ordered), RECLUSTER_BATCH)
    )
    # A record that moves says why with its evidence, as when an import placed it first.
    return _recluster(library, batches, formula, None)


def _linked_within(library: Library, members: list[int], links: Links) -> set[int]:
    """The records of one block that triage links to another record of the same block (in
    either direction, as :func:`_components` finds links): the only records of a block that
    has just grown past MAX_BLOCK whose links its pairs, no longer counted, can have taken away.
    A block crossing the limit is mostly a template title ("a systematic review of ...") whose
    records are surely distinct from each other; starting from all of them re-examined
    hundreds of records, each against all its blocks, for every such crossing. Records whose
    links are known (``links``) are not triaged again."""
    inside = set(members)
    linked: set[int] = set()
    unknown = []
    for record_id in members:
        if record_id in links.complete:
            partners = links.links.get(record_id, set()) & inside
            if partners:
                linked.add(record_id)
                linked.update(partners)
        else:
            unknown.append(record_id)
    if unknown:
        forms = _prepared_members(library, members)
        for record_id in unknown:
            others = [other for other in members if other != record_id]
            settled = triage(forms[record_id], [forms[other] for other in others])
            if settled.decisions:
                linked.add(record_id)
                linked.update(others[j] for j in settled.decisions)
    return linked


def _components(
    library: Library, start: set[int], known: dict[int, list[int]], links: Links
) -> list[set[int]]:
    """The components of ``start``: each record linked by a chain of candidate pairs that
    triage does not settle as distinct (blocks of more than MAX_BLOCK records do not count),
    and every member of their works (see :func:`settle`). ``known``: records whose links were
    found already; ``links``: what is known of the links of others (:class:`Links`), added to.
    """
    works = Works(library)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def link(x: int, ys: Iterable[int]) -> None:
        for y in ys:
            rx, ry = find(x), find(y)
            if rx != ry:
                parent[ry] = rx

    seen = set(start)
    frontier = sorted(start)
    while frontier:
        found: set[int] = set()
        for members in library.members_of_works(library.work_ids_of(frontier).values()).values():
            link(members[0], members)
            found.update(members)
        placeable = [record_id for record_id, _ in works.placeable(frontier)]
        todo: dict[int, list[int]] = {}
        cached = {
            r: links.links.get(r, set())
            for r in placeable
            if r not in known and r in links.complete
        }
        asked = [r for r in placeable if r not in known and r not in cached]
        if asked:
            keys = works.keys_of(asked)
            blocks = works.blocks({k for ks in keys.values() for k in ks}, MAX_BLOCK)
            for record_id in asked:
                todo[record_id] = sorted(
                    {c for k in keys.get(record_id, ()) for c in blocks.get(k, ())} - {record_id}
                )
        for record_id in placeable:
            if record_id in known:
                link(record_id, known[record_id])
                found.update(known[record_id])
            elif record_id in cached:
                link(record_id, cached[record_id])
                found.update(cached[record_id])
            else:
                find(record_id)
        forms = _prepared_members(library, set(todo).union(*todo.values()))
        for record_id, others in todo.items():
            linked = []
            if others:
                settled = triage(forms[record_id], [forms[c] for c in others])
                linked = [others[i] for i in settled.decisions]
                link(record_id, linked)
                found.update(linked)
            links.add(record_id, linked)
        frontier = sorted(found - seen)
        seen.update(frontier)
    groups: dict[int, set[int]] = {}
    for record_id in seen:
        groups.setdefault(find(record_id), set()).add(record_id)
    return list(groups.values())


def _recluster_batch(
    library: Library,
    index: Reclustering,
    new: list[tuple[int, Prepared]],
    apart: dict[int, set[int]],
    by: str | None,
    reindex: bool,
) -> int:
    """Place one batch of :func:`recluster`; returns how many pairs went to review."""
    keys = [sorted(blocking_keys(prepared)) for _, prepared in new]
    if reindex:
        # A library imported under older blocking rules (or an older LaTeX decoding) is indexed
        # under the current keys as it is placed again, so `dedupe` sees every pair.
        _links(library).clear()
        Works(library).reindex([(r, k) for (r, _), k in zip(new, keys, strict=True)])
    plan = assign_batch(library, new, index=index, apart=_apart(apart), keys=keys)
    for gone, keep in plan.absorbed.items():
        if gone > 0:  # placed clusters proved one by a record of this batch
            index.merge_clusters(plan.final(keep), gone, {"by": _bridged(plan.bridged_by[gone])})
    rows = []
    review = 0
    for position, ((record_id, _), assignment) in enumerate(
        zip(new, plan.assignments, strict=True)
    ):
        cluster = abs(plan.work_of(position, record_id))
        why = assignment.why and ({**assignment.why, "by": by} if by else assignment.why)
        rows.append((record_id, cluster, why))
        if assignment.maybes:
            remember_maybes(library, record_id, assignment.maybes)
            review += len(assignment.maybes)
    index.place(rows)
    return review


def _apply_clusters(library: Library, index: Reclustering, formula: str | None) -> Applied:
    """Move records to the works of their new clusters (see :func:`recluster`)."""
    # Per cluster: its size, whether it holds an imported record, and its votes for old works.
    sizes = index.cluster_sizes()
    votes: dict[int, list[tuple[int, int, int]]] = {}
    for cluster, work_id, count, first in index.votes():
        votes.setdefault(cluster, []).append((-count, first, work_id))
    target: dict[int, int | None] = {}  # cluster -> the work it keeps (None: a new one)
    claimed: set[int] = set()
    for cluster in sorted(sizes, key=lambda c: (-sizes[c][0], c)):
        if not sizes[cluster][1]:
            continue  # Crossref records only: detached below
        work = next((w for _, _, w in sorted(votes.get(cluster, [])) if w not in claimed), None)
        target[cluster] = work
        if work is not None:
            claimed.add(work)
    moved = 0
    created: list[int] = []
    touched: set[int] = set()
    heirs: dict[int, Counter[int]] = {}  # old work -> where its records went
    new_work: dict[int, int] = {}
    for record_id, cluster, why, old in index.placements():
        if cluster not in target:
            if old is not None:
                # Crossref records whose imported records went elsewhere wait, detached,
                # until their DOI is enriched again.
                Works(library).detach(record_id)
                touched.add(old)
            continue
        work = target[cluster]
        if work is None:
            work = new_work.get(cluster)
            if work is None:  # the cluster's first imported record starts its new work
                work = new_work[cluster] = new_work_for(library, record_id, formula)
                library.set_joined(record_id, None)
                created.append(work)
                if old is not None:
                    touched.add(old)
                    heirs.setdefault(old, Counter())[work] += 1
                continue
        if work == old:
            continue
        library.move_records([record_id], work)
        library.set_joined(record_id, why)
        moved += 1
        touched.add(work)
        if old is not None:
            touched.add(old)
            heirs.setdefault(old, Counter())[work] += 1
    # A work that lost all its records hands its tags to where most of them went.
    for old, where in heirs.items():
        if old not in claimed:
            library.move_tags(old, where.most_common(1)[0][0])
    removed = set()
    for work_id in sorted(touched):
        if library.recompute_work(work_id) is None:
            removed.add(work_id)
    summary = {
        "records": sum(imported for _, imported in sizes.values()),
        "clusters": sum(1 for size, imported in sizes.values() if imported and size > 1),
        "moved": moved,
        "new_works": len(created),
        "works": Works(library).count(),
    }
    return Applied(summary, touched - removed, created, removed)
