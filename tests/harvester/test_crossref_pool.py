"""Issue 15, defect 5: one in-flight budget per Crossref pool.

Crossref counts the requests in flight per pool, lookups and list queries together, and keeps
counting a request the client stopped waiting for until it is done with it. These tests run the
fake Crossref in a child process (it counts arrivals as a remote server does, per pool) with a
share of slow answers, and prove that the server never had to refuse a request, that nothing is
lost, and, through the real ``harvester add``, that nothing is left pending.
"""

from __future__ import annotations

import json

import pytest

from harvester.crossref.limits import PoolBudget
from harvester.crossref.lookup import MemoryCache, enrich
from records.crossref import work_to_record
from tests.fakes.crossref_server import FakeCrossrefProcess, Faults, Pool, real_pools
from tests.fakes.synthetic_works import generated_work
from tests.harvester.cli_runner import run_cli
from tests.harvester.conftest import FAST, MAILTO


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def _without_doi(work: dict) -> dict:
    csl = dict(work_to_record(work).csl)
    csl.pop("DOI", None)
    csl.pop("URL", None)
    return csl


def _mixed_items(server, n_found: int, n_unknown: int, n_search: int, start: int = 0) -> list:
    """Lookups (found and unknown DOIs) and searches: both request classes at once."""
    works = [generated_work(start + i) for i in range(n_found + n_search)]
    server.add_works(works)
    items: list = [(f"w{i}", {"DOI": w["DOI"]}) for i, w in enumerate(works[:n_found])]
    items += [(f"u{i}", {"DOI": f"10.5555/unknown.{start + i}"}) for i in range(n_unknown)]
    items += [(f"s{i}", _without_doi(w)) for i, w in enumerate(works[n_found:])]
    return items


def _assert_pool_held(server, concurrency: int = 3) -> None:
    stats = server.stats
    assert stats.statuses[429] == 0, (
        f"the server refused {stats.statuses[429]} requests: rate {dict(stats.over_rate)}, "
        f"concurrency {dict(stats.over_concurrency)}"
    )
    assert sum(stats.over_limit.values()) == 0
    # Lookups and lists together never had more in flight than the pool allows.
    assert stats.max_in_flight["polite"] <= concurrency


# -- the budget itself ------------------------------------------------------------------------
def test_a_slot_held_past_a_timeout_is_free_only_after_its_cool_down():
    clock = Clock()
    budget = PoolBudget(2, probe=False, clock=clock)
    with budget.slot() as slot:
        assert slot is not None
        slot.hold(5.0)  # the request timed out; the server may still count it
    with budget.slot() as other:
        assert other is not None
        assert budget.busy() == 2
        # both slots taken: a third request cannot start now
        assert not budget.acquire(until=clock.now)
    clock.now += 4.9
    assert budget.busy() == 1 and budget.cooling() == 1
    clock.now += 0.2
    assert budget.busy() == 0 and budget.held == 1


def test_until_the_limits_are_known_one_request_goes_alone():
    clock = Clock()
    budget = PoolBudget(3, clock=clock)  # probing
    assert budget.capacity == 1
    assert budget.acquire()
    assert not budget.acquire(until=clock.now)  # the second waits for the first answer
    budget.update({"x-concurrency-limit": "2"})
    assert budget.capacity == 2
    assert budget.acquire()
    budget.release()
    budget.release()
    budget.update({})  # an answer without the header keeps what is known
    assert budget.capacity == 2


# -- against the fake, counting per pool ------------------------------------------------------
def test_slow_answers_within_the_timeout_never_break_the_pool_limit(
    crossref_process, make_process_client
):
    """30 % slow answers, lookups and lists at once: the old client ran 3 + 3 in flight."""
    items = _mixed_items(crossref_process, n_found=40, n_unknown=20, n_search=30)
    crossref_process.set_faults(Faults(seed=3, slow_rate=0.3, slow_seconds=0.3))
    client = make_process_client(timeout=5.0)

    report = enrich(items, client, MemoryCache(), mode="single")

    _assert_pool_held(crossref_process)
    counts = report.counts()
    assert (counts["enriched"], counts["not_found"], counts["matched"]) == (40, 20, 30)
    assert report.stopped is None and report.failed_requests == 0
    # Both classes did run side by side (the budget is shared, not serialised per class).
    assert crossref_process.stats.max_in_flight["polite"] > 1


def test_a_timed_out_request_keeps_its_slot_while_the_server_still_counts_it(
    crossref_process, make_process_client
):
    """Answers slower than the client's timeout: the client gives up waiting, the server goes
    on counting the request; its slot stays taken for the cool-down."""
    items = _mixed_items(crossref_process, n_found=30, n_unknown=10, n_search=20, start=500)
    crossref_process.set_faults(Faults(seed=11, slow_rate=0.3, slow_seconds=0.35))
    client = make_process_client(timeout=0.25)

    report = enrich(items, client, MemoryCache(), mode="single")

    _assert_pool_held(crossref_process)
    assert client.pool_budget.held > 0  # timeouts happened, and their slots were held
    assert report.stopped is None  # timeouts are not error answers: the budget held
    counts = report.counts()
    assert sum(counts.values()) == len(items)  # nothing lost
    # A request fails only if all 5 of its attempts were slow (0.3 ** 5): almost never.
    assert counts["pending"] <= 2
    assert counts["enriched"] + counts["pending"] >= 30


def test_a_server_slower_than_the_cool_down_teaches_a_longer_one(
    crossref_process, make_process_client
):
    """When the server still counts a request after its cool-down, the first 429 says so:
    the client holds such slots longer from then on, and retries what was refused."""
    items = _mixed_items(crossref_process, n_found=24, n_unknown=0, n_search=12, start=800)
    crossref_process.set_faults(Faults(seed=7, slow_rate=0.3, slow_seconds=0.5))
    client = make_process_client(timeout=0.15)

    report = enrich(items, client, MemoryCache(), mode="single")

    stats = crossref_process.stats
    counts = report.counts()
    assert sum(counts.values()) == len(items)
    assert report.stopped is None
    if stats.statuses[429]:
        assert client.cooldown_factor > 1
    # The first 429 lengthens every cool-down: only the requests already on their way when it
    # came (at most the pool's 3) can be refused with it.
    assert stats.statuses[429] <= 3
    assert counts["pending"] <= 2


def test_the_first_request_reads_the_limits_before_any_burst(make_process_client):
    """A pool that allows one request in flight while the client starts from three: the first
    request goes alone, its headers say 1, and the burst never happens."""
    pools = real_pools(FAST)
    pools["polite"] = {cls: Pool(p.limit, p.interval, 1) for cls, p in pools["polite"].items()}
    with FakeCrossrefProcess(pools=pools) as server:
        items = _mixed_items(server, n_found=12, n_unknown=0, n_search=6, start=900)
        server.set_faults(Faults(seed=2, slow_rate=0.5, slow_seconds=0.1))
        from harvester.crossref.client import CrossrefClient
        from harvester.net.retry import RetryPolicy

        client = CrossrefClient(
            base_url=server.url,
            mailto=MAILTO,
            retry=RetryPolicy(attempts=5, backoff=0.01, max_wait=0.2, jitter=0.5),
            timeout=5.0,
            min_margin=0.1,
        )
        try:
            assert client.pool_budget.capacity == 1 and client.limits("single").concurrency == 3
            report = enrich(items, client, MemoryCache(), mode="single")
        finally:
            client.close()
        stats = server.stats
        assert stats.statuses[429] == 0
        assert stats.max_in_flight["polite"] == 1
        assert report.counts()["enriched"] == 12 and report.counts()["matched"] == 6


# -- the user's view: `harvester add` --------------------------------------------------------
def test_add_with_slow_answers_leaves_nothing_pending(tmp_path, crossref_server):
    """The defect as a user met it: `add` of a library while 30 % of Crossref's answers are
    slow left 43-47 % pending after 429s tripped the error budget."""
    works = [generated_work(2000 + i) for i in range(36)]
    for work in works:
        crossref_server.add_work(work)
    csl: list[dict] = []
    for i, work in enumerate(works[:24]):
        item = dict(work_to_record(work).csl)
        item["id"] = f"found{i}"
        csl.append(item)
    for i in range(8):  # unknown DOIs: absent from a list answer, confirmed one by one
        csl.append(
            {
                "id": f"unknown{i}",
                "type": "article-journal",
                "title": f"An unregistered report number {i} on perfusion dosimetry",
                "author": [{"family": f"Nobody{i}", "given": "N."}],
                "issued": {"date-parts": [[2019]]},
                "DOI": f"10.5555/unregistered.{i}",
            }
        )
    for i, work in enumerate(works[24:]):  # no DOI: found by search (list queries)
        item = _without_doi(work)
        item["id"] = f"search{i}"
        csl.append(item)
    source = tmp_path / "library.json"
    source.write_text(json.dumps(csl), "utf-8")
    crossref_server.faults = Faults(seed=4, slow_rate=0.3, slow_seconds=0.3)

    result = run_cli(
        "add",
        "--json",
        source,
        db=tmp_path / "lib.db",
        env={"HARVESTER_CROSSREF_URL": crossref_server.url, "HARVESTER_MAILTO": MAILTO},
    )

    assert result.returncode == 0, result.stderr
    enrichment = json.loads(result.stdout)["enrichment"]
    assert enrichment["stopped"] is None
    assert enrichment["pending"] == []
    assert enrichment["counts"] == {"enriched": 24, "not_found": 8, "matched": 12}
    assert crossref_server.stats.statuses[429] == 0
    assert crossref_server.stats.max_in_flight["polite"] <= 3


# -- several harvester processes: one pool ----------------------------------------------------
def test_shared_slots_count_every_process_and_forget_dead_ones(tmp_path):
    import subprocess
    import sys

    from harvester.crossref.shared_window import SharedSlots, fcntl

    if fcntl is None:
        pytest.skip("no fcntl: the slots are not shared here")
    path = tmp_path / "pool.inflight"
    one, other = SharedSlots(path), SharedSlots(path)  # as two processes would open it
    first = one.claim(10.0, 2, lease=60)
    assert first is not None and other.claim(10.1, 2, lease=60) is not None
    assert one.claim(10.2, 2, lease=60) is None  # the pool's two are taken
    one.release(first, 10.3, hold=5.0)  # timed out: still counted until 15.3
    assert other.claim(15.0, 2, lease=60) is None
    assert other.claim(15.4, 2, lease=60) is not None
    # A process that died holding a slot does not hold it any more.
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    ghost = SharedSlots(tmp_path / "ghost.inflight")
    ghost.pid = int(dead.stdout)
    assert ghost.claim(20.0, 1, lease=60) is not None
    assert SharedSlots(tmp_path / "ghost.inflight").claim(20.1, 1, lease=60) is not None


def test_two_harvesters_at_once_share_the_pool(crossref_process, make_process_client, tmp_path):
    """Crossref counts per IP: two runs at once (a cron job and a person, or four `add`s) must
    stay within one pool's in-flight limit, not three each."""
    import threading

    first = _mixed_items(crossref_process, n_found=24, n_unknown=0, n_search=8, start=1200)
    second = _mixed_items(crossref_process, n_found=24, n_unknown=0, n_search=8, start=1300)
    crossref_process.set_faults(Faults(seed=9, slow_rate=0.3, slow_seconds=0.3))
    clients = [make_process_client(timeout=5.0, shared_dir=tmp_path) for _ in range(2)]
    reports: list = [None, None]

    def run(index: int, items: list) -> None:
        reports[index] = enrich(items, clients[index], MemoryCache(), mode="single")

    threads = [
        threading.Thread(target=run, args=(i, items)) for i, items in enumerate([first, second])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    _assert_pool_held(crossref_process)
    for report in reports:
        assert report.counts()["enriched"] == 24 and report.counts()["matched"] == 8
