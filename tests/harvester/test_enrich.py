"""Enrichment runs against the fake Crossref on 127.0.0.1: limits, faults, cache, the seeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from harvester.crossref.client import CrossrefClient
from harvester.crossref.limits import ErrorBudget
from harvester.crossref.lookup import (
    CachedResponse,
    CachePolicy,
    MemoryCache,
    choose_lookup,
    enrich,
    estimate_seconds,
    work_key,
)
from harvester.net.retry import RetryPolicy
from records.crossref import work_to_record
from records.enrich_merge import merge_crossref
from records.parsers import parse_bytes
from tests.conftest import SPRINGER_SEED, VUFIND_SEED
from tests.fakes.crossref_server import Faults, closed_port_url
from tests.fakes.synthetic_works import generated_work


def _seed(path):
    result = parse_bytes(path.read_bytes(), str(path))
    return result.records[0]


def _without_doi(work: dict) -> dict:
    record = work_to_record(work)
    csl = dict(record.csl)
    csl.pop("DOI", None)
    csl.pop("URL", None)
    return csl


def _assert_within_limits(server):
    """Every limit held, as the server counted; returns the server's stats."""
    polite = server.pools["polite"]
    stats = server.stats
    for cls in ("single", "list"):
        assert stats.over_limit[cls] == 0, (
            f"{cls}: the server had to refuse requests: rate {stats.over_rate[cls]}, "
            f"concurrency {stats.over_concurrency[cls]}"
        )
        assert stats.max_in_window[cls] <= polite[cls].limit
        assert stats.max_in_flight[cls] <= polite[cls].concurrency
    assert stats.statuses[429] == 0
    return stats


def test_thousand_records_stay_inside_every_limit(crossref_process, make_process_client):
    works = [generated_work(i) for i in range(900)]
    crossref_process.add_works(works)
    items: list = [(f"w{i}", {"DOI": w["DOI"]}) for i, w in enumerate(works[:850])]
    items += [(f"u{i}", {"DOI": f"10.5555/unknown.{i}"}) for i in range(100)]
    items += [(f"s{i}", _without_doi(w)) for i, w in enumerate(works[850:900])]
    assert len(items) == 1000
    progress: list[tuple[int, int]] = []
    # Some answers take a while (as real ones do), so several requests are in flight at once.
    crossref_process.set_faults(Faults(seed=5, slow_rate=0.3, slow_seconds=0.15))
    client = make_process_client()

    report = enrich(items, client, MemoryCache(), lambda d, t: progress.append((d, t)))

    stats = _assert_within_limits(crossref_process)
    counts = report.counts()
    assert counts["enriched"] == 850
    assert counts["not_found"] == 100
    assert counts["matched"] == 50
    assert sum(counts.values()) == 1000
    assert report.stopped is None
    assert report.lookup_mode == "list"
    # Matched by search: the DOI of the very work the record was made from.
    for (work_id, _), outcome, work in zip(
        items[950:], report.outcomes[950:], works[850:], strict=True
    ):
        assert outcome.work_id == work_id
        assert outcome.doi == work["DOI"]
    assert progress[-1] == (1000, 1000) and len(progress) == 1000
    # Concurrency was used: more than one list request was in flight at some point.
    assert stats.max_in_flight["list"] > 1


def test_singles_stay_inside_the_single_limit(crossref_process, make_process_client):
    crossref_process.add_works([generated_work(i) for i in range(150)])
    client = make_process_client()
    items = [(i, {"DOI": f"10.5555/fake.{i}"}) for i in range(150)]
    report = enrich(items, client, MemoryCache(), mode="single")
    assert report.counts()["enriched"] == 150
    stats = _assert_within_limits(crossref_process)
    assert stats.requests["single"] == 150


def _fake_items(server, n):
    for i in range(n):
        server.add_work(generated_work(i))
    return [(i, {"DOI": f"10.5555/fake.{i}"}) for i in range(n)]


def test_429_storm_is_survived(crossref_server, make_client):
    items = _fake_items(crossref_server, 200)
    crossref_server.faults = Faults(storm_next=8)
    report = enrich(items, make_client(), MemoryCache(), mode="single")
    # The storm's own 429s; a 429 for a rate-window overrun (a process descheduled between a
    # send and its arrival, on a loaded machine) is the subject of
    # test_thousand_records_stay_inside_every_limit.
    assert crossref_server.stats.faults["storm"] == 8
    assert crossref_server.stats.statuses[429] >= 8
    assert report.counts()["enriched"] == 200


def test_five_percent_5xx_is_survived(crossref_server, make_client):
    items = _fake_items(crossref_server, 300)
    crossref_server.faults = Faults(seed=7, error_rate=0.05)
    client = make_client()
    report = enrich(items, client, MemoryCache(), mode="single")
    assert crossref_server.stats.statuses[503] >= 5
    assert report.counts()["enriched"] == 300
    assert report.stopped is None


def test_storm_plus_5xx_loses_nothing(crossref_server, make_client):
    """Together they may pass the 10 % budget: then the rest waits, but every record is
    accounted for, in order."""
    items = _fake_items(crossref_server, 200)
    crossref_server.faults = Faults(seed=7, storm_next=6, error_rate=0.05)
    report = enrich(items, make_client(), MemoryCache(), mode="single")
    counts = report.counts()
    assert counts["enriched"] + counts["pending"] == 200
    assert [o.work_id for o in report.outcomes] == list(range(200))
    enriched = [o for o in report.outcomes if o.status == "enriched"]
    assert all(o.record.csl["DOI"] == f"10.5555/fake.{o.work_id}" for o in enriched)
    if counts["pending"]:
        assert report.stopped and "passed 10 %" in report.stopped


def test_heavy_storm_trips_the_budget_and_queues_the_rest(crossref_server, make_client):
    for i in range(100):
        crossref_server.add_work(generated_work(i))
    crossref_server.faults = Faults(storm_next=10_000)
    client = make_client(
        retry=RetryPolicy(attempts=2, backoff=0.001, max_wait=0.005, jitter=0.5),
        budget=ErrorBudget(min_requests=10),
    )
    items = [(i, {"DOI": f"10.5555/fake.{i}"}) for i in range(100)]
    report = enrich(items, client, MemoryCache(), mode="single")
    counts = report.counts()
    assert counts["pending"] == 100
    assert report.stopped is not None
    assert "passed 10 %" in report.stopped
    assert report.stopped.endswith(
        "100 records queued for enrichment; run `harvester enrich` later"
    )
    assert crossref_server.stats.requests["single"] < 100  # it stopped asking


def test_failed_request_leaves_its_records_pending_with_reason(crossref_server, make_client):
    crossref_server.faults = Faults(error_rate=1.0, only_class="list")
    client = make_client(retry=RetryPolicy(attempts=2, backoff=0.001, max_wait=0.005, jitter=0.5))
    items = [(0, {"DOI": "10.1002/jor.1100150407"}), (1, {"DOI": "10.1136/jclinpath-2020-206745"})]
    report = enrich(items, client, MemoryCache(), mode="list")
    assert [o.status for o in report.outcomes] == ["pending", "pending"]
    assert report.outcomes[0].reason == "Crossref answered HTTP 503"
    assert "pending 2 (2 Crossref answered HTTP 503)" in report.summary()


def test_timeouts_and_cut_connections_are_survived(crossref_server, make_client):
    for i in range(40):
        crossref_server.add_work(generated_work(i))
    crossref_server.faults = Faults(seed=3, slow_rate=0.05, slow_seconds=0.5, cut_rate=0.05)
    client = make_client(timeout=0.3)
    report = enrich(
        [(i, {"DOI": f"10.5555/fake.{i}"}) for i in range(40)], client, MemoryCache(), mode="single"
    )
    assert report.counts()["enriched"] == 40
    assert client.stats.single.failures > 0


def test_offline_gives_one_clear_line():
    client = CrossrefClient(
        base_url=closed_port_url(),
        mailto="x@example.org",
        retry=RetryPolicy(attempts=5, backoff=0.001, max_wait=0.01, jitter=0.5),
        timeout=1.0,
    )
    items = [(i, {"DOI": f"10.5555/fake.{i}"}) for i in range(10)]
    items += [(i, {"title": f"A title {i}"}) for i in range(10, 12)]
    try:
        report = enrich(items, client, MemoryCache())
    finally:
        client.close()
    assert report.stopped == (
        "Crossref unreachable: 12 records queued for enrichment; run `harvester enrich` later"
    )
    assert {o.status for o in report.outcomes} == {"pending"}
    assert {o.reason for o in report.outcomes} == {"Crossref unreachable"}


def test_cache_is_used_and_404s_are_remembered(crossref_server, make_client):
    cache = MemoryCache()
    items = [(1, {"DOI": "10.1002/jor.1100150407"}), (2, {"DOI": "10.1371/notarealdoi"})]
    first = enrich(items, make_client(), cache)
    assert [o.status for o in first.outcomes] == ["enriched", "not_found"]
    asked = sum(crossref_server.stats.requests.values())
    assert cache.get(work_key("10.1371/NOTAREALDOI")).status == "not_found"

    second = enrich(items, make_client(), cache)
    assert [o.status for o in second.outcomes] == ["enriched", "not_found"]
    assert all(o.from_cache for o in second.outcomes)
    assert sum(crossref_server.stats.requests.values()) == asked

    # After the not-found TTL the unknown DOI is asked again; the found work is still reused.
    later = datetime.now(UTC) + timedelta(days=31)
    third = enrich(items, make_client(), cache, now=lambda: later)
    assert third.outcomes[0].from_cache and not third.outcomes[1].from_cache
    assert sum(crossref_server.stats.requests.values()) == asked + 1


def test_cached_entry_with_fetched_at_and_refresh(crossref_server, make_client):
    cache = MemoryCache()
    stale = CachedResponse(
        work_key("10.1002/jor.1100150407"),
        "found",
        {"DOI": "10.1002/jor.1100150407", "title": ["Old"]},
        datetime(2020, 1, 1, tzinfo=UTC),
    )
    cache.put(stale)
    items = [(1, {"DOI": "10.1002/jor.1100150407"})]
    kept = enrich(items, make_client(), cache)
    assert kept.outcomes[0].record.csl["title"] == "Old"
    fresh = enrich(items, make_client(), cache, policy=CachePolicy(max_age=timedelta(0)))
    assert fresh.outcomes[0].record.csl["title"].startswith("Growth hormone")
    assert cache.get(work_key("10.1002/jor.1100150407")).fetched_at > stale.fetched_at


def test_duplicate_dois_are_asked_once(crossref_server, make_client):
    items = [(1, {"DOI": "10.1002/jor.1100150407"}), (2, {"DOI": "10.1002/JOR.1100150407"})]
    report = enrich(items, make_client(), MemoryCache(), mode="single")
    assert [o.status for o in report.outcomes] == ["enriched", "enriched"]
    assert crossref_server.stats.requests["single"] == 1


def test_nothing_to_look_up_is_skipped(make_client):
    report = enrich([(1, {"type": "book"})], make_client(), MemoryCache())
    assert report.outcomes[0].status == "skipped"


def test_springer_seed_is_matched_by_search(crossref_server, make_client):
    record = _seed(SPRINGER_SEED)
    assert "DOI" not in record.csl
    report = enrich([("seed-003", record.csl)], make_client(), MemoryCache())
    outcome = report.outcomes[0]
    assert outcome.status == "matched", outcome.reason
    assert outcome.doi == "10.1007/s11154-017-9431-2"
    crossref = outcome.record
    assert crossref.csl["volume"] == "18"
    assert crossref.csl["page"] == "459-471"
    assert crossref.issn_kinds == {"1389-9155": "print", "1573-2606": "electronic"}
    merged = merge_crossref(record.csl, crossref.csl)
    assert merged.csl["DOI"] == "10.1007/s11154-017-9431-2"
    assert merged.csl["volume"] == "18"
    assert merged.csl["page"] == "459-471"
    assert merged.csl["ISSN"] == "1389-9155, 1573-2606"
    assert merged.csl["title"] == record.csl["title"]


def test_vufind_seed_is_enriched_by_doi_and_the_rename_kept(crossref_server, make_client):
    record = _seed(VUFIND_SEED)
    report = enrich([("seed-000", record.csl)], make_client(), MemoryCache())
    outcome = report.outcomes[0]
    assert outcome.status == "enriched"
    assert outcome.record.csl["container-title"] == "Die Radiologie"
    merged = merge_crossref(record.csl, outcome.record.csl)
    assert merged.csl["container-title"] == "Die Radiologie"
    conflict = merged.choices["container-title"]
    assert conflict.conflict and conflict.current == "Radiologe"
    assert merged.choices["ISSN"].conflict
    assert merged.csl["title"] == record.csl["title"]  # the German title stays
    assert merged.csl["author"][3]["given"] == "Ralf-Thorsten"  # R. T. -> full given name


def test_borderline_match_goes_to_review_not_applied(crossref_server, make_client):
    record = _seed(SPRINGER_SEED)
    csl = dict(record.csl)
    csl["volume"] = "19"  # the catalog disagrees on the volume
    report = enrich([("x", csl)], make_client(), MemoryCache())
    outcome = report.outcomes[0]
    assert outcome.status == "review"
    assert outcome.record is None and outcome.doi is None
    assert outcome.decision.candidate.doi == "10.1007/s11154-017-9431-2"
    volume = next(e for e in outcome.decision.candidate.evidence if e.field == "volume")
    assert volume.verdict == "mismatch" and volume.contradiction
    assert "sent to review 1" in report.summary()


def test_lookup_mode_is_chosen_from_limits_and_measurements(crossref_server, make_client):
    client = make_client()
    assert choose_lookup(1, client) == "single"
    assert choose_lookup(200, client) == "list"
    estimate = estimate_seconds(200, client)
    assert estimate["list"] < estimate["single"]
    # Measured: once list queries are seen to be slow per record, small sets go single.
    client.stats.list.requests, client.stats.list.records, client.stats.list.seconds = 4, 8, 40.0
    assert choose_lookup(3, client) == "single"


@pytest.mark.parametrize("mode", ["list", "single"])
def test_both_modes_give_the_same_records(crossref_server, make_client, mode):
    items = [(1, {"DOI": "10.1002/jor.1100150407"}), (2, {"DOI": "10.1136/jclinpath-2020-206745"})]
    report = enrich(items, make_client(), MemoryCache(), mode=mode)
    assert [o.record.csl["volume"] for o in report.outcomes] == ["15", "74"]


def test_unreadable_answers_leave_records_pending(crossref_server, make_client):
    crossref_server.faults = Faults(bad_json_rate=1.0)
    client = make_client(retry=RetryPolicy(attempts=2, backoff=0.001, max_wait=0.005, jitter=0.5))
    report = enrich([(1, {"DOI": "10.1002/jor.1100150407"})], client, MemoryCache(), mode="single")
    assert report.outcomes[0].status == "pending"
    assert report.outcomes[0].reason == "Crossref answered with unreadable JSON"


def test_an_unreachable_crossref_is_asked_a_handful_of_times_not_once_per_batch():
    """Once one request finds nobody answering, the requests queued behind the throttles give
    up at once: 2,000 DOIs (40 list queries) must not each wait a rate window to fail."""
    client = CrossrefClient(
        base_url=closed_port_url(),
        mailto="x@example.org",
        retry=RetryPolicy(attempts=5, backoff=0.001, max_wait=0.01, jitter=0.5),
        timeout=1.0,
    )
    items = [(i, {"DOI": f"10.5555/fake.{i}"}) for i in range(2000)]
    try:
        report = enrich(items, client, MemoryCache())
    finally:
        client.close()
    assert report.counts() == {"pending": 2000}
    assert report.requests <= 2 * 6  # two tries each for at most the requests already running
