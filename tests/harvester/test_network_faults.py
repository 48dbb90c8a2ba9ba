"""Issue 15's adversarial suite, network part, and defect 6 (a silent Crossref blocked `add`).

Against the fake Crossref, OAI-PMH and web servers on 127.0.0.1: 429 storms, 5xx bursts, slow
and stalled answers, cut bodies, invalid JSON, a 200 with an error body, redirect loops and huge
bodies. What every test proves is bounded: retries (counted at the server), time (by the
configured timeouts and deadlines, asserted through counts and outcomes, never by the clock),
memory (answers read with a cap), no limit broken by the client after a 429, nothing lost (every
item has an outcome; what could not be done is pending with its reason), and one clear line.

Faults injected per test are added to :data:`LEDGER`; with ``HARVESTER_RELIABILITY_REPORT`` set
to a path, the totals are written there as JSON when the module ends (for the README's
"Reliability" figures).
"""

from __future__ import annotations

import json
import os
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester.crossref.client import SILENT_BEFORE_ANSWER, CrossrefClient
from harvester.crossref.limits import ErrorBudget
from harvester.crossref.lookup import MemoryCache, enrich
from harvester.errors import BadResponse, SourceFailed
from harvester.net.http import make_client
from harvester.net.retry import RetryPolicy
from harvester.ops.sync import SyncOptions, add_source, run_sync
from harvester.sources.oaipmh import get_with_retries
from harvester.sources.web import fetch
from harvester.store import Library
from records.errors import UnreadableInput
from tests.fakes.crossref_server import Faults
from tests.fakes.oai_server import Fault, OAIServer, dc_record
from tests.fakes.silent_server import SilentServer
from tests.fakes.synthetic_works import generated_work
from tests.fakes.web_server import FakeWeb, Page
from tests.harvester.cli_runner import run_cli
from tests.harvester.conftest import MAILTO

LEDGER: Counter[str] = Counter()  # faults injected, by server and kind
QUICK = RetryPolicy(attempts=5, backoff=0.001, max_wait=0.05, jitter=0.5)


@pytest.fixture(scope="module", autouse=True)
def _reliability_figures() -> Iterator[None]:
    yield
    target = os.environ.get("HARVESTER_RELIABILITY_REPORT")
    if target:
        Path(target).write_text(json.dumps(dict(sorted(LEDGER.items())), indent=1), "utf-8")


class Waits(list):
    """A ``sleep`` that records the waits asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _lookups(server, n: int, start: int) -> list:
    works = [generated_work(start + i) for i in range(n)]
    for work in works:
        server.add_work(work)
    return [(i, {"DOI": w["DOI"]}) for i, w in enumerate(works)]


def _record(server, kind: str) -> None:
    for fault, count in server.stats.faults.items():
        LEDGER[f"crossref {kind} ({fault})"] += count


# -- Crossref ---------------------------------------------------------------------------------
def test_a_429_storm_is_waited_out_and_no_limit_is_broken(crossref_server, make_client):
    items = _lookups(crossref_server, 30, 3000)
    crossref_server.faults = Faults(storm_next=8, retry_after="0")
    client = make_client(retry=QUICK)

    report = enrich(items, client, MemoryCache(), mode="single")

    _record(crossref_server, "429 storm")
    assert report.counts() == Counter({"enriched": 30})
    stats = crossref_server.stats
    assert stats.faults["storm"] == 8
    assert stats.requests["single"] == 30 + 8  # each refused request asked once more
    # The server never had to refuse a request on its own account (rate or in flight).
    assert sum(stats.over_limit.values()) == 0


def test_a_5xx_burst_is_retried_and_nothing_is_lost(crossref_server, make_client):
    items = _lookups(crossref_server, 30, 3100)
    crossref_server.faults = Faults(error_next=10, error_status=502)
    client = make_client(retry=QUICK)

    report = enrich(items, client, MemoryCache(), mode="single")

    _record(crossref_server, "5xx burst")
    assert report.counts() == Counter({"enriched": 30})
    assert report.failed_requests == 10 and report.stopped is None


def test_a_failing_crossref_trips_the_error_budget_and_everything_waits(
    crossref_server, make_client
):
    items = _lookups(crossref_server, 40, 3200)
    crossref_server.faults = Faults(error_rate=1.0)
    client = make_client(
        retry=RetryPolicy(attempts=2, backoff=0.001, max_wait=0.01, jitter=0.5),
        budget=ErrorBudget(max_share=0.10, min_requests=20),
    )

    report = enrich(items, client, MemoryCache(), mode="single")

    _record(crossref_server, "5xx always")
    assert report.counts() == Counter({"pending": 40})  # nothing lost: all queued
    assert report.stopped and "Crossref errors passed 10 %" in report.stopped
    assert "40 records queued for enrichment" in report.stopped
    # It stopped asking: the requests that tripped the budget, plus those already on their way.
    assert crossref_server.stats.requests["single"] <= 20 + 3


def test_cut_bodies_invalid_json_and_a_200_with_an_error_are_retried(crossref_server, make_client):
    items = _lookups(crossref_server, 30, 3300)
    crossref_server.faults = Faults(cut_next=3, bad_json_next=3, error_body_next=3)
    client = make_client(retry=QUICK)

    report = enrich(items, client, MemoryCache(), mode="single")

    _record(crossref_server, "bad answers")
    assert report.counts() == Counter({"enriched": 30})
    stats = crossref_server.stats.faults
    assert (stats["cut"], stats["bad_json"], stats["error_body"]) == (3, 3, 3)
    assert report.failed_requests == 9


def test_a_200_with_an_error_body_says_what_crossref_said(crossref_server, make_client):
    crossref_server.faults = Faults(error_body_next=100)
    client = make_client(retry=RetryPolicy(attempts=2, backoff=0.001, max_wait=0.01))
    with pytest.raises(BadResponse, match=r"answered 200 with an error: java\.lang\.Exception"):
        client.get_work("10.1002/jor.1100150407")
    _record(crossref_server, "200 error body")
    assert crossref_server.stats.requests["single"] == 2


def test_a_huge_answer_is_refused_and_never_held_in_memory(crossref_server, make_client):
    crossref_server.faults = Faults(huge_next=2, huge_bytes=200 * 2**20)
    client = make_client(retry=QUICK, max_bytes=2**20)
    tracemalloc.start()
    try:
        with pytest.raises(BadResponse, match="more than 1 MB"):
            client.get_work("10.1002/jor.1100150407")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _record(crossref_server, "huge body")
    assert peak < 16 * 2**20  # a 200 MB answer, refused from its length
    assert crossref_server.stats.requests["single"] == 1  # refused, not asked again


def test_a_stalled_crossref_ends_the_run_and_queues_everything(crossref_server):
    with SilentServer() as silent:
        client = CrossrefClient(base_url=silent.url, mailto=MAILTO, timeout=0.3, retry=QUICK)
        items = [(i, {"DOI": f"10.5555/fake.{i}"}) for i in range(25)]
        try:
            report = enrich(items, client, MemoryCache(), mode="single")
        finally:
            client.close()
        LEDGER["crossref stalled (connections)"] += silent.accepted
        assert report.counts() == Counter({"pending": 25})
        assert report.stopped.startswith(
            f"Crossref did not answer ({SILENT_BEFORE_ANSWER} requests in a row timed out"
            " after 0.3 s)"
        )
        # Those, and at most the pool's other two slots' requests on their way then.
        assert silent.accepted <= SILENT_BEFORE_ANSWER + 2


def test_the_run_deadline_stops_a_slow_crossref(crossref_server, make_client):
    items = _lookups(crossref_server, 12, 3400)
    crossref_server.faults = Faults(slow_rate=1.0, slow_seconds=3.0)
    client = make_client(retry=QUICK, timeout=10.0, deadline=0.5)

    report = enrich(items, client, MemoryCache(), mode="single")

    _record(crossref_server, "slow past the deadline")
    assert report.counts()["pending"] == 12
    assert report.stopped.startswith("the enrichment deadline (0.5 s) passed")
    assert crossref_server.stats.requests["single"] <= 2


# -- Crossref through `harvester add` (defect 6) ---------------------------------------------
def _two_works(tmp_path: Path) -> Path:
    csl = [
        {
            "id": f"w{i}",
            "type": "article-journal",
            "title": f"Hepatic perfusion dosimetry in a randomized cohort, part {i}",
            "author": [{"family": f"Author{i}", "given": "Alex"}],
            "issued": {"date-parts": [[2020]]},
            "DOI": f"10.5555/fake.{4000 + i}",
        }
        for i in range(2)
    ]
    path = tmp_path / "two.json"
    path.write_text(json.dumps(csl), "utf-8")
    return path


def test_add_with_a_silent_crossref_takes_the_configured_timeout(tmp_path):
    """`harvester add` of two works against a Crossref that accepts and never answers took
    5 min 4 s, whatever HARVESTER_HTTP_TIMEOUT said. Now the import is kept, the enrichment
    gives up after a few timeouts of the configured length, and one line says so."""
    source = _two_works(tmp_path)
    db = tmp_path / "lib.db"
    with SilentServer() as silent:
        env = {
            "HARVESTER_CROSSREF_URL": silent.url,
            "HARVESTER_MAILTO": MAILTO,
            "HARVESTER_HTTP_TIMEOUT": "0.5",
        }
        result = run_cli("add", source, db=db, env=env)
        accepted, url = silent.accepted, silent.url
    LEDGER["crossref stalled via add (connections)"] += accepted
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "2 parsed, 2 new" in result.stdout
    assert (
        f"Crossref did not answer ({SILENT_BEFORE_ANSWER} requests in a row timed out after 0.5 s)"
        f" at {url}: 2 records queued for enrichment; run `harvester enrich` later"
    ) in result.stderr
    assert accepted <= SILENT_BEFORE_ANSWER + 2
    with Library(db) as library:
        statuses = library.db.execute("SELECT enrichment FROM works").fetchall()
    assert sorted(s for (s,) in statuses) == ["pending", "pending"]


def test_the_cli_builds_crossref_with_the_configured_timeout_and_deadline(tmp_path, monkeypatch):
    """The client `add` and `enrich` use, from the configuration file (the environment's
    variables are the test above): before, it was built without either."""
    from harvester.cli import State, crossref_client

    for name in ("HARVESTER_HTTP_TIMEOUT", "HARVESTER_ENRICH_DEADLINE", "HARVESTER_MAILTO"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "config.toml"
    config.write_text("[http]\ntimeout = 0.5\n[crossref]\ndeadline = 42\n", "utf-8")
    monkeypatch.setenv("HARVESTER_CONFIG", str(config))
    monkeypatch.setenv("HARVESTER_STATE_DIR", str(tmp_path / "state"))
    with crossref_client(State(str(tmp_path / "lib.db"), quiet=True)) as client:
        assert client.timeout.read == 0.5 and client.timeout.connect == 0.5
        assert client.deadline == 42.0 and client.deadline_at is not None


def test_add_stops_at_the_enrichment_deadline(tmp_path, crossref_server):
    source = _two_works(tmp_path)
    crossref_server.faults = Faults(slow_rate=1.0, slow_seconds=5.0)
    result = run_cli(
        "add",
        source,
        db=tmp_path / "lib.db",
        env={
            "HARVESTER_CROSSREF_URL": crossref_server.url,
            "HARVESTER_MAILTO": MAILTO,
            "HARVESTER_ENRICH_DEADLINE": "0.5",
        },
    )
    _record(crossref_server, "slow past the deadline via add")
    assert result.returncode == 0, result.stderr
    assert (
        "the enrichment deadline (0.5 s) passed, stopped asking: 2 records queued for "
        "enrichment; run `harvester enrich` later"
    ) in result.stderr
    assert crossref_server.stats.requests["single"] + crossref_server.stats.requests["list"] <= 2


@pytest.mark.parametrize("value", ["soon", "0", "-5"])
def test_a_bad_deadline_setting_is_a_usage_error_naming_it(tmp_path, monkeypatch, value):
    from harvester.config import Config
    from records.errors import UsageError

    monkeypatch.setenv("HARVESTER_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("HARVESTER_ENRICH_DEADLINE", value)
    with pytest.raises(UsageError, match="HARVESTER_ENRICH_DEADLINE must be a positive number"):
        Config.load()
    monkeypatch.delenv("HARVESTER_ENRICH_DEADLINE")
    (tmp_path / "bad.toml").write_text(f'[crossref]\ndeadline = "{value}"\n', "utf-8")
    monkeypatch.setenv("HARVESTER_CONFIG", str(tmp_path / "bad.toml"))
    with pytest.raises(UsageError, match=r"\[crossref\] deadline must be a positive number"):
        Config.load()


# -- OAI-PMH ----------------------------------------------------------------------------------
def _sync_options(**changes: object) -> SyncOptions:
    return SyncOptions(
        retry=RetryPolicy(attempts=6, backoff=1.0, max_wait=30), sleep=Waits(), **changes
    )


def test_an_oai_429_storm_is_bounded_and_the_next_run_completes(tmp_path):
    records = [dc_record(n, "2024-01-15T08:00:00Z") for n in range(1, 7)]
    with OAIServer(records, page_size=3) as server, Library(tmp_path / "l.db") as library:
        add_source(library, "repo", server.url)
        server.inject(*[Fault("429")] * 6)
        LEDGER["oai-pmh 429 storm"] += 6
        options = _sync_options()
        source = run_sync(library, options=options).sources[0]
        assert source.status == "failed" and "failed 6 times" in source.error
        assert len(server.list_requests()) == 6 and len(options.sleep) == 5
        again = run_sync(library, options=_sync_options()).sources[0]
        assert again.status == "done" and again.imported.new_records == 6


def test_a_stalled_oai_repository_is_given_up_on_after_bounded_attempts(tmp_path):
    records = [dc_record(n, "2024-01-15T08:00:00Z") for n in range(1, 3)]
    with OAIServer(records) as server, Library(tmp_path / "l.db") as library:
        add_source(library, "repo", server.url)
        server.inject(*[Fault("slow", seconds=1.0)] * 6)
        LEDGER["oai-pmh stalled"] += 6
        source = run_sync(library, options=_sync_options(timeout=0.2)).sources[0]
        assert source.status == "failed"
        assert "failed 6 times; last: timed out" in source.error
        assert len(server.list_requests()) == 6


def test_an_oai_5xx_burst_and_cut_pages_are_survived(tmp_path):
    records = [dc_record(n, "2024-01-15T08:00:00Z") for n in range(1, 10)]
    with OAIServer(records, page_size=3) as server, Library(tmp_path / "l.db") as library:
        add_source(library, "repo", server.url)
        server.inject(Fault("500"), Fault("503"), Fault("cut"), Fault("none"), Fault("cut"))
        LEDGER["oai-pmh 5xx and cut"] += 4
        source = run_sync(library, options=_sync_options()).sources[0]
        assert source.status == "done" and source.imported.new_records == 9
        assert source.retries == 4


def test_a_huge_oai_page_is_refused_not_read():
    with FakeWeb() as web, make_client(timeout=5) as client:
        url = web.add("/oai", size=300 * 2**20, content_type="text/xml")
        LEDGER["oai-pmh huge page"] += 1
        tracemalloc.start()
        try:
            with pytest.raises(SourceFailed, match="larger than 1 MB"):
                get_with_retries(client, url, name="repo", max_bytes=2**20)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 16 * 2**20 and web.hits("/oai") == 1


def test_sync_takes_the_configured_timeout(tmp_path):
    """`harvester sync` used its own 60 s whatever HARVESTER_HTTP_TIMEOUT said: with the
    setting at 0.5 s a page that takes 2 s is given up on and asked again."""
    records = [dc_record(n, "2024-01-15T08:00:00Z") for n in range(1, 3)]
    db = tmp_path / "lib.db"
    with OAIServer(records) as server:
        with Library(db) as library:
            add_source(library, "repo", server.url)
        server.inject(Fault("slow", seconds=2.0))
        LEDGER["oai-pmh slow via sync"] += 1
        result = run_cli("sync", "run", db=db, env={"HARVESTER_HTTP_TIMEOUT": "0.5"})
        assert result.returncode == 0, result.stderr
        # The slow answer was not waited for: its request (the first month's window) was asked
        # again; the other windows answered at once.
        requests = server.list_requests()
        assert requests.count(requests[0]) == 2
        assert all(requests.count(r) == 1 for r in requests if r != requests[0])


# -- the web ----------------------------------------------------------------------------------
def test_a_web_429_storm_is_bounded_and_one_line():
    with FakeWeb() as web, make_client(timeout=5) as client:
        url = web.add("/refs.ris", "TY  - JOUR\nER  - \n", content_type="text/plain")
        web.queue("/refs.ris", *[Page(b"slow down", status=429, headers={"Retry-After": "0"})] * 5)
        LEDGER["web 429 storm"] += 3
        waits = Waits()
        with pytest.raises(UnreadableInput) as failure:
            fetch(client, url, sleep=waits)
        assert str(failure.value).count("\n") == 0
        assert "HTTP 429" in str(failure.value) and "(3 attempts)" in str(failure.value)
        assert web.hits("/refs.ris") == 3 and waits == [0.0, 0.0]


def test_a_web_redirect_loop_is_bounded_and_one_line():
    with FakeWeb() as web, make_client(timeout=5) as client:
        loop = web.redirect("/a", web.url("/b"))
        web.redirect("/b", web.url("/a"))
        with pytest.raises(UnreadableInput) as failure:
            fetch(client, loop, sleep=Waits())
        hits = web.hits("/a") + web.hits("/b")
    LEDGER["web redirect loop"] += hits
    assert (failure.value.origin, failure.value.reason) == (loop, "too many redirects")
    assert hits == 21  # the first request and httpx's 20 redirects, never tried again
