"""The Crossref client against a real HTTP server on 127.0.0.1 (tests/fakes/crossref_server.py)."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import pytest

import harvester.crossref.client as client_module
from harvester import __version__
from harvester.crossref.client import CrossrefClient
from harvester.crossref.limits import ErrorBudget, PoolLimits
from harvester.errors import (
    BadResponse,
    CrossrefUnavailable,
    ErrorBudgetExceeded,
    RateLimited,
    RequestFailed,
)
from harvester.net.retry import RetryPolicy
from tests.fakes.crossref_server import (
    FakeCrossref,
    Faults,
    Pool,
    closed_port_url,
    real_pools,
)
from tests.harvester.conftest import FAST, MAILTO


def test_single_lookup_returns_the_recorded_work(make_client, crossref_server):
    client = make_client()
    work = client.get_work("10.1136/jclinpath-2020-206745")
    assert work is not None
    assert work["DOI"] == "10.1136/jclinpath-2020-206745"
    assert work["volume"] == "74"
    # Identified in both ways the reference asks for: User-Agent and mailto parameter.
    assert crossref_server.stats.user_agents == {f"harvester/{__version__} (mailto:{MAILTO})": 1}
    assert "mailto=" in crossref_server.stats.paths[0]


def test_doi_is_percent_encoded_and_case_insensitive(make_client, crossref_server):
    client = make_client()
    work = client.get_work("10.1371/JOURNAL.PONE.0033693")
    assert work is not None and work["DOI"] == "10.1371/journal.pone.0033693"
    odd = {"DOI": "10.5555/a#b?c", "title": ["Odd DOI"], "type": "journal-article"}
    crossref_server.add_work(odd)
    assert client.get_work("10.5555/a#b?c")["title"] == ["Odd DOI"]


def test_unknown_doi_is_none_and_not_a_failure(make_client, crossref_server):
    client = make_client()
    assert client.get_work("10.1371/notarealdoi") is None
    assert client.budget.failures == 0
    assert crossref_server.stats.statuses[404] == 1


def test_list_query_with_repeated_doi_filter(make_client, crossref_server):
    client = make_client()
    dois = ["10.1136/JCLINPATH-2020-206745", "10.1002/jor.1100150407", "10.9999/missing"]
    found = client.works_by_dois(dois)
    assert set(found) == {"10.1136/jclinpath-2020-206745", "10.1002/jor.1100150407"}
    assert crossref_server.stats.requests == {"list": 1}
    with pytest.raises(ValueError):
        client.works_by_dois(["10.1000/a,b"])


def test_search_returns_recorded_candidates_with_scores(make_client):
    client = make_client()
    result = client.search("Tkaczyk IJDAR 2015 18 317", rows=5)
    assert result.items[0]["DOI"] == "10.1007/s10032-015-0249-8"
    assert result.items[0]["score"] == pytest.approx(38.54594)
    assert result.total == 6337223


def test_search_with_select_and_filter(make_client):
    client = make_client()
    result = client.search(
        "Liver transarterial embolizations neuroendocrine",
        rows=3,
        filters={"issn": ["1389-9155", "0000-0000"]},
        select=["DOI", "title"],
    )
    assert [i["DOI"] for i in result.items] == ["10.1007/s11154-017-9431-2"]
    assert set(result.items[0]) == {"DOI", "title"}


def test_cursor_paging_stops_at_a_short_page(make_client, crossref_server):
    from tests.fakes.synthetic_works import generated_work

    for i in range(25):
        crossref_server.add_work(generated_work(i))
    client = make_client()
    works = list(client.iter_works({"issn": "0000-0019"}, rows=10))
    assert len({w["DOI"] for w in works}) == 25
    assert crossref_server.stats.requests["list"] == 3


def test_field_query_on_work_route_is_not_retried(make_client, crossref_server):
    client = make_client()
    with pytest.raises(RequestFailed, match="does not support field query"):
        client._request("single", "/works/10.1371/journal.pone.0033693", {"query.author": "x"})
    assert crossref_server.stats.requests["single"] == 1


def test_limits_adopted_from_headers_in_either_spelling(crossref_server, make_client):
    crossref_server.spelling = "nodash"
    crossref_server.pools = {
        "polite": {
            "single": real_pools(FAST)["polite"]["single"],
            "list": real_pools(FAST)["polite"]["list"],
        },
        "public": real_pools(FAST)["public"],
    }
    from tests.fakes.crossref_server import Pool

    crossref_server.pools["polite"]["single"] = Pool(7, 0.25, 2)
    client = make_client()
    client.get_work("10.1002/jor.1100150407")
    assert client.limits("single") == PoolLimits(7, 0.25, 2)


def test_without_mailto_public_pool_and_one_warning(crossref_server, monkeypatch, caplog):
    monkeypatch.setattr(client_module, "_warned_no_mailto", False)
    monkeypatch.delenv("HARVESTER_MAILTO", raising=False)
    caplog.set_level(logging.WARNING, logger="harvester.crossref")
    first = CrossrefClient(base_url=crossref_server.url)
    second = CrossrefClient(base_url=crossref_server.url)
    try:
        assert first.pool == "public"
        assert first.limits("single") == PoolLimits(5, 1.0, 1)
        assert first.limits("list") == PoolLimits(1, 1.0, 1)
        first.get_work("10.1002/jor.1100150407")
        assert crossref_server.stats.user_agents == {f"harvester/{__version__}": 1}
        warnings = [r for r in caplog.records if "HARVESTER_MAILTO" in r.getMessage()]
        assert len(warnings) == 1
    finally:
        first.close()
        second.close()


def test_polite_defaults():
    client = CrossrefClient(base_url="http://127.0.0.1:9", mailto=MAILTO)
    try:
        assert client.limits("single") == PoolLimits(10, 1.0, 3)
        assert client.limits("list") == PoolLimits(3, 1.0, 3)
    finally:
        client.close()


# -- failures --------------------------------------------------------------------------------
def test_429_storm_is_retried_with_backoff(make_client, crossref_server):
    crossref_server.faults = Faults(storm_next=3)
    slept: list[float] = []
    import time

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(seconds)

    client = make_client(sleep=sleep)
    assert client.get_work("10.1002/jor.1100150407") is not None
    assert crossref_server.stats.statuses[429] == 3
    assert len(slept) == 3
    # Exponential: each step's ceiling doubles (jitter keeps it within [ceiling/2, ceiling]).
    for attempt, seconds in enumerate(slept, start=1):
        ceiling = min(0.2, 0.01 * 2 ** (attempt - 1))
        assert ceiling / 2 <= seconds <= ceiling


def test_retry_after_is_honoured(make_client, crossref_server):
    crossref_server.faults = Faults(storm_next=1, retry_after="0")
    slept: list[float] = []
    client = make_client(
        sleep=slept.append, retry=RetryPolicy(attempts=5, backoff=5.0, max_wait=60.0, jitter=0.5)
    )
    assert client.get_work("10.1002/jor.1100150407") is not None
    assert slept == [0.0]


def test_429_forever_raises_rate_limited(make_client, crossref_server):
    crossref_server.faults = Faults(storm_next=100)
    client = make_client(retry=RetryPolicy(attempts=3, backoff=0.001, max_wait=0.01, jitter=0.5))
    with pytest.raises(RateLimited):
        client.get_work("10.1002/jor.1100150407")
    assert crossref_server.stats.statuses[429] == 3


def test_5xx_then_success(make_client, crossref_server):
    crossref_server.faults = Faults(error_rate=1.0)
    client = make_client(retry=RetryPolicy(attempts=2, backoff=0.001, max_wait=0.01, jitter=0.5))
    with pytest.raises(RequestFailed, match="HTTP 503"):
        client.get_work("10.1002/jor.1100150407")
    crossref_server.faults = Faults()
    assert client.get_work("10.1002/jor.1100150407") is not None


def test_timeout_is_retried(make_client, crossref_server):
    crossref_server.faults = Faults(slow_next=1, slow_seconds=0.6)
    client = make_client(timeout=0.3)
    assert client.get_work("10.1002/jor.1100150407") is not None
    assert client.stats.single.failures == 1


def test_timeouts_exhausted(make_client, crossref_server):
    client = make_client(
        timeout=0.2, retry=RetryPolicy(attempts=2, backoff=0.001, max_wait=0.01, jitter=0.5)
    )
    # A server that has answered before and now is slow: this request fails, Crossref does not
    # count as gone (that takes SILENT_AFTER timeouts in a row, or SILENT_BEFORE_ANSWER before any answer).
    assert client.get_work("10.1002/jor.1100150407") is not None
    crossref_server.faults = Faults(slow_next=2, slow_seconds=0.5)
    with pytest.raises(RequestFailed, match=r"did not answer within 0\.2 s"):
        client.get_work("10.1002/jor.1100150407")
    assert client.unreachable is None


def test_cut_connection_is_retried(make_client, crossref_server):
    crossref_server.faults = Faults(cut_next=2)
    client = make_client()
    assert client.get_work("10.1002/jor.1100150407")["volume"] == "15"
    assert client.stats.single.failures == 2


def test_bad_json_is_retried_then_reported(make_client, crossref_server):
    crossref_server.faults = Faults(bad_json_next=1)
    client = make_client()
    assert client.get_work("10.1002/jor.1100150407") is not None
    crossref_server.faults = Faults(bad_json_rate=1.0)
    client = make_client(retry=RetryPolicy(attempts=2, backoff=0.001, max_wait=0.01, jitter=0.5))
    with pytest.raises(BadResponse, match="unreadable JSON"):
        client.get_work("10.1002/jor.1100150407")


def test_error_budget_stops_asking(make_client, crossref_server):
    crossref_server.faults = Faults(error_rate=1.0)
    client = make_client(
        retry=RetryPolicy(attempts=1, backoff=0.001, max_wait=0.001, jitter=0.5),
        budget=ErrorBudget(max_share=0.10, min_requests=5),
    )
    for _ in range(5):
        with pytest.raises(RequestFailed):
            client.get_work("10.1002/jor.1100150407")
    with pytest.raises(ErrorBudgetExceeded, match="passed 10 %"):
        client.get_work("10.1002/jor.1100150407")
    assert crossref_server.stats.requests["single"] == 5  # the sixth was never sent


def test_connection_refused_is_unavailable(monkeypatch):
    url = closed_port_url()
    client = CrossrefClient(
        base_url=url,
        mailto=MAILTO,
        retry=RetryPolicy(attempts=5, backoff=0.001, max_wait=0.01, jitter=0.5),
        timeout=1.0,
    )
    try:
        with pytest.raises(CrossrefUnavailable, match="unreachable"):
            client.get_work("10.1002/jor.1100150407")
    finally:
        client.close()


def test_from_env_reads_url_and_mailto(crossref_server):
    client = CrossrefClient.from_env(
        {"HARVESTER_CROSSREF_URL": crossref_server.url, "HARVESTER_MAILTO": "x@example.org"}
    )
    try:
        assert client.base_url == crossref_server.url
        assert client.pool == "polite"
        assert (
            client.http.headers["User-Agent"] == f"harvester/{__version__} (mailto:x@example.org)"
        )
    finally:
        client.close()


def test_server_enforces_limits_when_asked_to(crossref_server):
    """The fake is not lenient: a client ignoring the limits gets 429s (so the limit tests mean
    something)."""
    import httpx

    crossref_server.pools = real_pools(1.0)  # public: 5 per second, 1 in flight
    with httpx.Client(base_url=crossref_server.url) as raw:
        statuses = [raw.get("/works/10.1002/jor.1100150407").status_code for _ in range(12)]
    assert 429 in statuses
    assert crossref_server.stats.over_limit["single"] > 0


def test_server_counts_arrivals_when_they_came_not_when_it_got_to_them(
    crossref_server, monkeypatch
):
    """A server that was not scheduled for a while (a loaded machine) must not see requests
    that came apart as a burst: the rate tests would blame a client that kept the limits. Four
    requests 0.3 s apart against 2 per 0.1 s, none read until all four have been sent."""
    import threading

    import httpx

    from tests.fakes import crossref_server as fake_module

    if sys.platform != "linux":
        pytest.skip("the kernel's receive stamps are read on Linux only")
    crossref_server.pools = {"public": {"single": Pool(2, 0.1, 10), "list": Pool(1, 0.1, 1)}}
    gate = threading.Event()
    handle = fake_module._Handler.handle_one_request

    def stalled(self: Any) -> None:
        gate.wait()  # the server "descheduled": the request waits in the socket
        handle(self)

    monkeypatch.setattr(fake_module._Handler, "handle_one_request", stalled)
    statuses: list[int] = []

    def fetch() -> None:
        with httpx.Client(base_url=crossref_server.url, timeout=10) as raw:
            statuses.append(raw.get("/works/10.1002/jor.1100150407").status_code)

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
        time.sleep(0.3)
    gate.set()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4
    assert crossref_server.stats.over_limit["single"] == 0
    assert crossref_server.stats.max_in_window["single"] == 1


def test_fake_server_starts_fresh_per_test():
    with FakeCrossref(pools=real_pools(FAST)) as server:
        assert server.url.startswith("http://127.0.0.1:")


def test_incremental_harvest_by_index_date(make_client):
    client = make_client()
    works = list(client.iter_works({"from-index-date": "2026-10-01"}, rows=20))
    dois = {w["DOI"] for w in works}
    assert {"10.1007/s11154-017-9431-2", "10.1007/s00117-024-01314-z"} <= dois
    assert all(w["indexed"]["date-time"][:10] >= "2026-10-01" for w in works)
