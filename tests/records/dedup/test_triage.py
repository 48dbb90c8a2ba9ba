"""Triage gives exactly compare()'s verdicts, and the clustering built on it gives exactly what
comparing every candidate pair gives.

Checked on the labelled sets, on the synthetic generator (hard negatives included) and on
random pairs built to sit near every threshold and rule (hypothesis). A rule change in
scoring/vetoes/fields that breaks one of triage's shortcuts fails here.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import random
from collections.abc import Sequence
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import generate
from records.dedup import cluster as cluster_module
from records.dedup import compare, find_clusters, match_work, prepare
from records.dedup.blocking import blocking_keys, candidate_neighbours, candidate_pairs
from records.dedup.cluster import stands_against
from records.dedup.fields import (
    abstract_bound,
    abstract_similarity,
    fields_with,
    lift_title_similarity,
    title_lift_candidates,
    title_similarity,
)
from records.dedup.keys import Prepared, screen_of
from records.dedup.scoring import _RANK, could_match, verdict_of
from records.dedup.triage import Triage, _screen, passing, triage, vetoed_apart
from records.model import CSLItem
from records.normalize.record import normalize_csl
from tests.conftest import FIXTURES, REPO, examples

LABELLED = [
    "cora_1879_pyjedai",
    "bibdedupe_digital_work",
    "sra_respiratory",
    "bibdedupe_special_cases",
]


@cache
def _labelled(name: str) -> list[tuple[str, CSLItem]]:
    """A labelled set read as scripts/eval-dedup reads it."""
    loader = importlib.machinery.SourceFileLoader(
        "eval_dedup", str(REPO / "scripts" / "eval-dedup")
    )
    spec = importlib.util.spec_from_loader("eval_dedup", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    records, _gold, _how = module.load(name, FIXTURES / "dedup")
    return records


def _synthetic(seed: int, size: int = 3000) -> list[tuple[str, CSLItem]]:
    return [(rid, normalize_csl(csl)) for rid, csl in generate(size, seed=seed, duplicates="hard").records]


def assert_triage_exact(record: Prepared, candidates: Sequence[Prepared]) -> Triage:
    """triage(record, candidates) against compare(record, c) for every candidate; and triage of
    the candidates passing the screens alone (:func:`passing`) against triage of them all."""
    found = triage(record, candidates)
    unvetted = set(found.unvetted)
    assert unvetted.isdisjoint(found.decisions)
    passed = passing(record, [screen_of(c) for c in candidates])
    assert passed == sorted(set(passed))
    assert unvetted.union(found.decisions) <= set(passed)
    among = triage(record, [candidates[i] for i in passed])
    assert {passed[i]: d for i, d in among.decisions.items()} == found.decisions
    assert [passed[i] for i in among.unvetted] == found.unvetted
    for i, other in enumerate(candidates):
        decision = compare(record, other)
        if i in found.decisions:
            assert found.decisions[i] == decision, (record, other)
            continue
        assert decision.verdict == "distinct", (record, other, decision)
        if i in unvetted:
            assert not (record.title_tokens and other.title_tokens)
        else:
            assert stands_against(record, other, decision), (record, other, decision)
    assert found.standing_against(record, candidates) == [
        i
        for i, other in enumerate(candidates)
        if stands_against(record, other, compare(record, other))
    ]
    return found


def _check_library(records: Sequence[tuple[str, CSLItem]], random_pairs: int) -> int:
    """Every blocking pair of a library (and some random ones); returns how many pairs triage
    settled without compare()."""
    prepared = [prepare(csl) for _, csl in records]
    neighbours = candidate_neighbours([blocking_keys(p) for p in prepared])
    settled = 0
    for a, later in enumerate(neighbours.later):
        others = sorted(later)
        found = assert_triage_exact(prepared[a], [prepared[b] for b in others])
        settled += len(others) - len(found.decisions)
    rng = random.Random(3)
    for _ in range(random_pairs // 20):
        a = rng.randrange(len(prepared))
        assert_triage_exact(prepared[a], [rng.choice(prepared) for _ in range(20)])
    return settled


@pytest.mark.parametrize("name", LABELLED)
def test_triage_equals_compare_on_labelled_sets(name: str) -> None:
    settled = _check_library(_labelled(name), random_pairs=2000)
    if name != "bibdedupe_special_cases":
        assert settled > 0  # the shortcuts do apply


@pytest.mark.parametrize("seed", [1, 2])
def test_triage_equals_compare_on_synthetic_libraries(seed: int) -> None:
    assert _check_library(_synthetic(seed), random_pairs=2000) > 0


def test_candidate_neighbours_are_the_candidate_pairs() -> None:
    prepared = [prepare(csl) for _, csl in _synthetic(4, 1500)]
    keys = [blocking_keys(p) for p in prepared]
    for max_block in (3, 300):
        neighbours = candidate_neighbours(keys, max_block=max_block)
        pairs = candidate_pairs(keys, max_block=max_block)
        assert {(a, b) for a, later in enumerate(neighbours.later) for b in later} == pairs.pairs
        assert neighbours.pair_count == len(pairs.pairs)
        assert neighbours.oversized == pairs.oversized


# -- find_clusters and match_work against comparing everything ---------------------------------


def _compare_all(record: Prepared, candidates: Sequence[Prepared]) -> Triage:
    """What find_clusters and match_work did before triage: compare() on every pair."""
    return Triage({i: compare(record, c) for i, c in enumerate(candidates)}, [])


def _clusters_both_ways(
    monkeypatch: pytest.MonkeyPatch, records: Sequence[tuple[str, CSLItem]], **options: Any
) -> tuple[Any, Any]:
    fast = find_clusters(records, **options)
    with monkeypatch.context() as patched:
        patched.setattr(cluster_module, "triage", _compare_all)
        reference = find_clusters(records, **options)
    return fast, reference


@pytest.mark.parametrize("name", LABELLED)
def test_find_clusters_equals_comparing_every_pair(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    fast, reference = _clusters_both_ways(monkeypatch, _labelled(name))
    assert fast.clusters == reference.clusters
    assert fast.maybe_pairs == reference.maybe_pairs
    assert fast.stats == reference.stats


def test_find_clusters_equals_comparing_every_pair_with_decisions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = _synthetic(5)
    plain = find_clusters(records)
    # Undo some merges and force others: the conflict checks then meet settled pairs.
    cannot = [(c[0], c[1]) for c in plain.clusters[::3]]
    must = [(plain.clusters[i][0], plain.clusters[i + 1][0]) for i in range(1, 40, 4)]
    fast, reference = _clusters_both_ways(monkeypatch, records, cannot_link=cannot, must_link=must)
    assert fast.clusters == reference.clusters
    assert fast.maybe_pairs == reference.maybe_pairs
    assert fast.stats == reference.stats


def _match_work_reference(
    new: Prepared, works: list[tuple[str, list[Prepared]]], excluded: set[str]
) -> tuple[str | None, dict[str, list[tuple[int, Any]]]]:
    """match_work as written before triage: could_match gates a work, then compare() on all."""
    seen: dict[str, list[tuple[int, Any]]] = {}
    best: tuple[float, str] | None = None
    for work_id, members in works:
        if not any(could_match(new, m) for m in members):
            continue
        ds = [(i, compare(new, m)) for i, m in enumerate(members)]
        seen[work_id] = ds
        if work_id in excluded or any(stands_against(new, members[i], d) for i, d in ds):
            continue
        top = max((d.score for _, d in ds if d.verdict == "duplicate"), default=None)
        if top is not None and (best is None or top > best[0]):
            best = (top, work_id)
    return (best[1] if best else None), seen


@pytest.mark.parametrize("name", ["sra_respiratory", "synthetic"])
def test_match_work_equals_comparing_every_member(name: str) -> None:
    records = _synthetic(6, 1500) if name == "synthetic" else _labelled(name)
    ids = [rid for rid, _ in records]
    prepared = {rid: prepare(csl) for rid, csl in records}
    work_of = {rid: rid for rid in ids}
    for cluster in find_clusters(records).clusters:
        for rid in cluster:
            work_of[rid] = cluster[0]
    members: dict[str, list[str]] = {}
    for rid in ids:
        members.setdefault(work_of[rid], []).append(rid)
    neighbours = candidate_neighbours([blocking_keys(prepared[rid]) for rid in ids])
    paired: dict[int, set[int]] = {i: set() for i in range(len(ids))}
    for a, later in enumerate(neighbours.later):
        for b in later:
            paired[a].add(b)
            paired[b].add(a)
    rng = random.Random(11)
    joined = 0
    for i, rid in enumerate(ids):
        # The works the store would fetch for this record, without the record itself.
        candidate_works = sorted({work_of[ids[j]] for j in paired[i]})
        works = [
            (w, [prepared[m] for m in members[w] if m != rid])
            for w in candidate_works
            if [m for m in members[w] if m != rid]
        ]
        if not works:
            continue
        excluded = {w for w, _ in works if rng.random() < 0.1}
        result = match_work(prepared[rid], works, cannot_link_works=excluded)
        work, seen = _match_work_reference(prepared[rid], works, excluded)
        assert result.work == work
        joined += work is not None
        for work_id, ds in seen.items():
            kept = dict(result.decisions.get(work_id, []))
            for index, decision in ds:
                if decision.verdict != "distinct":
                    assert kept[index] == decision
            assert all(dict(ds)[index] == d for index, d in kept.items())
        assert set(result.decisions) <= set(seen)
    assert joined > 10


# -- the pieces triage relies on, on random pairs near every rule -------------------------------

_WORDS = "alpha beta cancer lung trial study of the in and model review therapy".split()
_title = st.lists(st.sampled_from(_WORDS), min_size=0, max_size=9).map(" ".join)


def _titles() -> st.SearchStrategy[str]:
    """Titles that are often prefixes, extensions, near copies or parallel titles of others."""
    return st.one_of(
        _title,
        st.tuples(_title, _title).map(lambda t: f"{t[0]}: {t[1]}"),
        st.tuples(_title, _title).map(lambda t: f"{t[0]} = {t[1]}"),
        st.tuples(st.sampled_from(["Erratum: ", "Reply: ", "", "[", "RETRACTED: "]), _title).map(
            lambda t: t[0] + t[1] + ("]" if t[0] == "[" else "")
        ),
        st.tuples(_title, st.sampled_from(["part 1", "part 2", "phase II", "5 years"])).map(
            " ".join
        ),
    )


_person = st.sampled_from(
    [
        {"family": "Smith", "given": "John"},
        {"family": "Smyth", "given": "J."},
        {"family": "Meyer", "given": "Anna"},
        {"family": "Li", "given": "Wei"},
        {"family": "Wei", "given": "Li"},
        {"family": "Garcia", "given": "Maria"},
        {"literal": "WHO"},
    ]
)


def _typo(title: str) -> st.SearchStrategy[str]:
    """The title with one character dropped or doubled: similar 0.9 and more when long."""
    if not title:
        return st.just(title)
    return st.tuples(st.integers(0, len(title) - 1), st.booleans()).map(
        lambda t: title[: t[0]] + (title[t[0]] * 2 if t[1] else "") + title[t[0] + 1 :]
    )


def _variant(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A record that shares some of ``base``'s fields and changes or drops others."""
    choices: dict[str, st.SearchStrategy[Any]] = {
        "title": st.one_of(_titles(), _typo(base["title"])),
        "author": st.lists(_person, max_size=4),
        "issued": st.sampled_from([2000, 2001, 2002, 2005, None]).map(
            lambda y: {"date-parts": [[y]]} if y else None
        ),
        "DOI": st.sampled_from(["10.1/a", "10.1/b", None]),
        "PMID": st.sampled_from(["111", "222", None]),
        "PMCID": st.sampled_from(["PMC1", None]),
        "container-title": st.sampled_from(
            ["Journal of Clinical Oncology", "J Clin Oncol", "Lancet", "Proceedings of ICIS", None]
        ),
        "volume": st.sampled_from(["18", "19", None]),
        "issue": st.sampled_from(["1", "2", "Suppl 1", None]),
        "page": st.sampled_from(["1351-1359", "1351-9", "1360-1368", "1", "e1351", None]),
        "type": st.sampled_from(["article-journal", "paper-conference", "chapter", "thesis", None]),
        "edition": st.sampled_from(["2", "3", None]),
        "abstract": st.sampled_from(
            [None, "We studied lung cancer in a trial.", "We studied lung cancer in trials."]
        ),
    }
    return st.fixed_dictionaries(
        {},
        optional={key: st.one_of(st.just(base.get(key)), value) for key, value in choices.items()},
    ).map(lambda changed: {**base, **changed})


_base = st.fixed_dictionaries(
    {
        "title": st.one_of(
            _titles(), st.lists(st.sampled_from(_WORDS), min_size=8, max_size=16).map(" ".join)
        ),
        "author": st.lists(_person, max_size=4),
        "issued": st.sampled_from([{"date-parts": [[2001]]}, None]),
        "DOI": st.sampled_from(["10.1/a", None]),
        "PMID": st.sampled_from(["111", None]),
        "container-title": st.sampled_from(["Journal of Clinical Oncology", None]),
        "volume": st.sampled_from(["18", None]),
        "page": st.sampled_from(["1351-1359", None]),
        "type": st.sampled_from(["article-journal", None]),
        "abstract": st.sampled_from([None, "We studied lung cancer in a trial."]),
    }
)


@st.composite
def _groups(draw: st.DrawFn) -> tuple[Prepared, list[Prepared]]:
    base = draw(_base)
    record = draw(_variant(base))
    others = draw(st.lists(_variant(base), min_size=1, max_size=8))
    clean = [{k: v for k, v in item.items() if v is not None} for item in (record, *others)]
    forms = [prepare(normalize_csl(item)) for item in clean]
    return forms[0], forms[1:]


@settings(max_examples=examples(800), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_groups())
def test_triage_equals_compare_on_random_groups(group: tuple[Prepared, list[Prepared]]) -> None:
    record, others = group
    assert_triage_exact(record, others)
    for other in others:
        if vetoed_apart(record, other):
            decision = compare(record, other)
            assert decision.verdict == "distinct" and decision.vetoed


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_groups())
def test_screen_is_vetoed_apart_in_a_batch(group: tuple[Prepared, list[Prepared]]) -> None:
    record, others = group
    _shared, kept = _screen(record, others)
    assert kept == [i for i, other in enumerate(others) if not vetoed_apart(record, other)]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_groups(), st.floats(0, 1))
def test_title_lift_only_where_announced(
    group: tuple[Prepared, list[Prepared]], similarity: float
) -> None:
    record, others = group
    titled = [o for o in others if o.title and o.title != record.title]
    if not record.title or not titled:
        return
    may_lift = title_lift_candidates(record, titled, [o.title for o in titled])
    for i, other in enumerate(titled):
        if i not in may_lift:
            assert lift_title_similarity(record, other, similarity) == similarity
        assert lift_title_similarity(record, other, similarity) >= similarity


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_groups())
def test_verdict_only_rises_with_the_abstract_similarity(
    group: tuple[Prepared, list[Prepared]],
) -> None:
    """abstract_bound stands for the best abstract: that is only sound if no verdict falls as
    the abstracts grow more alike, and if the bound is what abstract_similarity can reach."""
    record, others = group
    for other in others:
        bound = abstract_bound(record, other)
        real = abstract_similarity(record, other)
        assert (bound is None) == (real is None)
        if bound is None:
            continue
        assert real is not None and real <= bound
        title = title_similarity(record, other)
        ranks = [
            _RANK[verdict_of(record, other, fields_with(record, other, title, x))[0]]
            for x in (0.0, 0.3, 0.49, 0.5, 0.7, 0.89, 0.9, 1.0)
        ]
        assert ranks == sorted(ranks)
