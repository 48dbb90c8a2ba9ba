"""Living reviews: `harvester sync` of Crossref queries, PubMed searches and journal feeds, and
OAI-PMH in date windows, against real HTTP servers on 127.0.0.1 (issue 18)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from harvester.crossref.client import CrossrefClient
from harvester.ops.sync import SyncOptions, add_source, get_source, run_sync, since_time
from harvester.ops.sync_searches import crossref_query, pubmed_query
from harvester.sources.oaipmh import RetryPolicy
from harvester.sources.pubmed import EUtilsClient
from harvester.store import Library
from records.errors import UsageError
from tests.fakes.eutils_server import FakeEUtils, Fault, renumbered
from tests.fakes.feed_server import Answer, Entry, FeedServer, atom_feed, rss_feed
from tests.fakes.oai_server import OAIServer, dc_record
from tests.fakes.synthetic_works import de_mestier_2017, generated_work, radosa_2024
from tests.harvester.conftest import MAILTO


class Waits(list):
    """A `sleep` that records the waits asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


class Days:
    """An injectable "today" for the runs (the incremental windows are dated by it)."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def _options(**changes: Any) -> SyncOptions:
    changes.setdefault("enrich", False)
    return SyncOptions(
        retry=RetryPolicy(attempts=4, backoff=0.01, max_wait=5), sleep=Waits(), **changes
    )


def _rows(library: Library, sql: str, *params: Any) -> list[tuple]:
    return library.db.execute(sql, list(params)).fetchall()


def _indexed(work: dict[str, Any], day: str) -> dict[str, Any]:
    y, m, d = (int(p) for p in day.split("-"))
    return work | {"indexed": {"date-parts": [[y, m, d]], "date-time": f"{day}T08:00:00Z"}}


# -- crossref ---------------------------------------------------------------------------------


def test_crossref_query_pages_by_cursor_and_the_next_run_asks_from_index_date(
    db_path, crossref_server, make_client
):
    for i in range(1, 231):
        crossref_server.add_work(_indexed(generated_work(i), "2026-11-20"))
    today = Days(date(2026, 12, 1))
    query = crossref_query(
        "embolization study", filters=["type:journal-article", "issn:0000-0019"], rows=100
    )
    with Library(db_path) as library:
        add_source(library, "review", "", kind="crossref", query=query)
        options = _options(crossref=make_client, today=today)
        report = run_sync(library, options=options)
        source = report.sources[0]
        assert report.exit_code == 0, source.messages()
        paths = [p for p in crossref_server.stats.paths if p.startswith("/works?")]
        matching = source.imported.new_records
        assert matching == source.imported.new_works == 230
        # Pages of 100 until a short one (the next cursor page is asked while a page is full).
        assert len(paths) == matching // 100 + 1
        assert "cursor=%2A" in paths[0] and "rows=100" in paths[0]
        assert "cursor=DnF1ZXJ5" in paths[1]
        assert all("from-index-date" not in p for p in paths)  # the first run takes all
        formats = _rows(library, "SELECT DISTINCT format, origin FROM source_records")
        assert formats == [("crossref", get_source(library, "review").target)]
        # Their Crossref record is there: marked enriched, nothing left to ask about them.
        assert _rows(library, "SELECT DISTINCT enrichment FROM works") == [("enriched",)]
        assert get_source(library, "review").harvested_until == "2026-12-01"

        # A week later: three new works indexed, one old work re-indexed without change.
        for i in (901, 902, 903):
            crossref_server.add_work(_indexed(generated_work(i), "2026-12-05"))
        crossref_server.add_work(_indexed(generated_work(7), "2026-12-06"))
        today.day = date(2026, 12, 8)
        asked = len(crossref_server.stats.paths)
        source = run_sync(library, options=options).sources[0]
        second = [p for p in crossref_server.stats.paths[asked:] if p.startswith("/works?")]
        assert len(second) == 1 and "from-index-date%3A2026-12-01" in second[0]
        assert (source.imported.new_records, source.imported.already_stored) == (3, 1)
        assert library.counts()["works"] == matching + 3


def test_crossref_source_needs_a_query_and_sane_rows():
    with pytest.raises(UsageError, match="needs a query"):
        crossref_query(None)
    with pytest.raises(UsageError, match="between 100 and 1000"):
        crossref_query("x", rows=5000)
    with pytest.raises(UsageError, match="NAME:VALUE"):
        crossref_query("x", filters=["issn"])
    with pytest.raises(UsageError, match="set by each run"):
        crossref_query("x", filters=["from-index-date:2020-01-01"])


def test_crossref_failure_names_the_source_and_keeps_the_window(db_path):
    with Library(db_path) as library:
        add_source(library, "review", "", kind="crossref", query=crossref_query("anything"))
        options = _options(
            crossref=lambda: CrossrefClient(base_url="http://127.0.0.1:9", mailto=MAILTO)
        )
        report = run_sync(library, options=options)
        source = report.sources[0]
        assert report.exit_code == 1 and source.status == "failed"
        assert source.error.startswith("review: Crossref unreachable")
        assert get_source(library, "review").harvested_until is None


# -- pubmed -----------------------------------------------------------------------------------


class Clock:
    """A monotonic clock that only the recorded sleeps move."""

    def __init__(self, sleep: Waits) -> None:
        self.sleep = sleep

    def __call__(self) -> float:
        return 1000.0 + sum(self.sleep)


def _pubmed(eutils: FakeEUtils, sleep: Waits, api_key: str | None = None):
    def build() -> EUtilsClient:
        return EUtilsClient(
            eutils.url, api_key=api_key, mailto=MAILTO, sleep=sleep, clock=Clock(sleep)
        )

    return build


def _asthma_articles(eutils: FakeEUtils, numbers: range, day: str) -> None:
    model = eutils.articles["29768149"]  # a real PubMed article (NEJM, asthma)
    for n in numbers:
        pmid = str(40_000_000 + n)
        eutils.articles[pmid] = renumbered(model, pmid, f"Asthma cohort study number {n}")
        eutils.entry_dates[pmid] = day


def test_pubmed_search_by_history_in_batches_then_only_new_entries(db_path):
    sleep = Waits()
    with FakeEUtils() as eutils, Library(db_path) as library:
        _asthma_articles(eutils, range(1, 46), "2026/11/10")
        add_source(library, "asthma", "asthma[tiab]", kind="pubmed",
                   query=pubmed_query("asthma[tiab]", batch=20))  # fmt: skip
        today = Days(date(2026, 12, 1))
        options = _options(pubmed=_pubmed(eutils, sleep), today=today)
        source = run_sync(library, options=options).sources[0]
        assert source.status == "done", source.messages()
        searches = [r for r in eutils.requests if r.endpoint == "esearch.fcgi"]
        fetches = [r for r in eutils.requests if r.endpoint == "efetch.fcgi"]
        assert len(searches) == 1
        asked = {k: v[0] for k, v in searches[0].params.items()}
        assert asked | {"term": "asthma[tiab]"} == asked
        assert (asked["datetype"], asked["usehistory"], asked["maxdate"]) == (
            "edat", "y", "2026/12/01",
        )  # fmt: skip
        assert asked["tool"] == "harvester" and asked["email"] == MAILTO
        assert [f.params["retstart"][0] for f in fetches] == ["0", "20", "40"]
        assert all(f.params["WebEnv"] == [eutils.history and "MCID_fake_0"] for f in fetches)
        # 45 renumbered copies and the real article itself match "asthma".
        assert source.imported.new_records == 46
        # Spaced to 3 requests a second (no API key): each request after the first waits.
        assert sleep == pytest.approx([1.05 / 3] * 3)

        # Later: two new entries; the next search starts two days before the last maxdate.
        _asthma_articles(eutils, range(46, 48), "2026/12/02")
        today.day = date(2026, 12, 3)
        before = len(eutils.requests)
        source = run_sync(library, options=options).sources[0]
        search = next(r for r in eutils.requests[before:] if r.endpoint == "esearch.fcgi")
        assert (search.params["mindate"], search.params["maxdate"]) == (
            ["2026/11/29"],
            ["2026/12/03"],
        )
        assert (source.imported.new_records, source.imported.already_stored) == (2, 0)


def test_pubmed_splits_a_window_over_the_esearch_cap(db_path):
    with FakeEUtils() as eutils, Library(db_path) as library:
        eutils.cap = 30  # stands for NCBI's 10,000 (the same rule at a size a test can fetch)
        for n, day in enumerate(["2026/01/05"] * 20 + ["2026/03/10"] * 20 + ["2026/06/20"] * 25):
            _asthma_articles(eutils, range(n, n + 1), day)
        add_source(library, "asthma", "asthma", kind="pubmed",
                   query=pubmed_query("asthma", batch=20, since="2026-01-01"))  # fmt: skip
        options = _options(pubmed=_pubmed(eutils, Waits()), today=Days(date(2026, 7, 1)),
                           pubmed_cap=30)  # fmt: skip
        source = run_sync(library, options=options).sources[0]
        assert source.status == "done", source.messages()
        windows = [
            (r.params["mindate"][0], r.params["maxdate"][0])
            for r in eutils.requests
            if r.endpoint == "esearch.fcgi"
        ]
        assert windows[0] == ("2026/01/01", "2026/07/01")  # 65 > 30: split
        assert source.splits == sum(_count(eutils, w) >= 30 for w in windows) >= 1
        # Every slice fetched is under the cap, in date order, and together they cover it.
        fetched = [w for w in windows if _count(eutils, w) < 30]
        assert fetched[0][0] == "2026/01/01" and fetched[-1][1] == "2026/07/01"
        assert source.imported.new_records == 65
        assert len(_rows(library, "SELECT DISTINCT source_id FROM source_records")) == 65
        assert all(
            int(r.params["retstart"][0]) < 30 for r in eutils.requests if "WebEnv" in r.params
        )


def _count(eutils: FakeEUtils, window: tuple[str, str]) -> int:
    low, high = window
    return sum(
        low <= eutils.entry_date(p) <= high and eutils.matches("asthma", p) for p in eutils.articles
    )


def test_pubmed_429_is_waited_out(db_path):
    sleep = Waits()
    with FakeEUtils() as eutils, Library(db_path) as library:
        _asthma_articles(eutils, range(1, 4), "2026/11/10")
        add_source(library, "asthma", "asthma", kind="pubmed")
        eutils.faults.extend([Fault(429, retry_after="2"), Fault(429)])
        options = _options(
            pubmed=_pubmed(eutils, sleep, api_key="k"), today=Days(date(2026, 12, 1))
        )
        source = run_sync(library, options=options).sources[0]
        assert source.status == "done" and source.imported.new_records == 4
        assert 2.0 in sleep
        assert all(r.params.get("api_key") == ["k"] for r in eutils.requests)


# -- feeds ------------------------------------------------------------------------------------


def _toc(extra: list[Entry] | None = None) -> list[Entry]:
    mestier, radosa = de_mestier_2017(), radosa_2024()
    return [
        # Known to Crossref: stored as Crossref's record.
        Entry(mestier["title"][0], "https://link.example.org/article/1", mestier["DOI"],
              ["Louis de Mestier"], "2017-10-03"),
        Entry(radosa["title"][0], "https://link.example.org/article/2", radosa["DOI"]),
        # A DOI Crossref does not know (yet): stored as the entry says.
        Entry("Embolization outcomes in a registry of 400 patients",
              "https://link.example.org/article/3", "10.5555/not-yet-registered.3",
              ["Ana Souza", "Bo Li"], "2026-11-28", "<p>We report <b>outcomes</b>.</p>",
              "Journal of Synthetic Results", "12", "4", ("101", "109")),
        # No DOI at all.
        Entry("Editorial: the year in interventional oncology",
              "https://link.example.org/article/4", None, ["C. Editor"], "2026-11-30"),
        # Malformed: no title.
        Entry(None, "https://link.example.org/article/5", None),
        *(extra or []),
    ]  # fmt: skip


def test_feeds_rss_and_atom_dois_through_crossref_the_rest_from_the_entry(
    db_path, crossref_server, make_client
):
    with FeedServer() as feeds, Library(db_path) as library:
        feeds.feeds["/toc.rss"] = (rss_feed("J Synth Res", "0000-0019", _toc()),
                                   "application/rss+xml")  # fmt: skip
        atom_entries = [
            Entry("Hepatic perfusion imaging after embolization", "https://journal.example.org/a/9",
                  "10.5555/atom.9", ["Dana Roe", "Eli Poe"], "2026-11-29"),
        ]  # fmt: skip
        feeds.feeds["/toc.atom"] = (atom_feed("Atom TOC", atom_entries), "application/atom+xml")
        add_source(library, "toc-rss", feeds.url("/toc.rss"), kind="feed")
        add_source(library, "toc-atom", feeds.url("/toc.atom"), kind="feed")
        options = _options(crossref=make_client, today=Days(date(2026, 12, 1)))
        report = run_sync(library, options=options)
        rss, atom = sorted(report.sources, key=lambda s: s.name, reverse=True)
        assert rss.name == "toc-rss"
        # The malformed entry is one failure naming the feed and its place; the rest is stored.
        assert rss.messages() == [
            f"toc-rss: {feeds.url('/toc.rss')} (record 5): feed entry without a title"
        ]
        assert report.exit_code == 1
        assert rss.imported.new_records == 4 and atom.imported.new_records == 1
        rows = {
            json.loads(csl)["title"]: (fmt, json.loads(csl))
            for fmt, csl in _rows(library, "SELECT format, csl FROM source_records")
        }
        mestier = rows[de_mestier_2017()["title"][0]]
        assert mestier[0] == "crossref" and mestier[1]["volume"] == "18"  # Crossref's record
        registry = rows["Embolization outcomes in a registry of 400 patients"]
        assert registry[0] == "feed"
        assert (
            registry[1]
            | {
                "DOI": "10.5555/not-yet-registered.3",
                "container-title": "Journal of Synthetic Results",
                "volume": "12",
                "issue": "4",
                "page": "101-109",
                "abstract": "We report outcomes.",
                "issued": {"date-parts": [[2026, 11, 28]]},
                "ISSN": "0000-0019",
            }
            == registry[1]
        )
        assert [a["family"] for a in registry[1]["author"]] == ["Souza", "Li"]
        atom_row = rows["Hepatic perfusion imaging after embolization"][1]
        assert atom_row["DOI"] == "10.5555/atom.9" and atom_row["issued"] == {
            "date-parts": [[2026, 11, 29]]
        }
        lookups = [p for p in crossref_server.stats.paths if "filter=doi" in p]
        assert len(lookups) == 2  # one batched list query per feed with DOIs

        # Unchanged feed: a conditional request, 304, nothing parsed or asked.
        asked = len(crossref_server.stats.paths)
        source = run_sync(library, "toc-rss".split(), options).sources[0]
        assert feeds.hits("/toc.rss")[-1]["If-None-Match"].startswith('"')
        assert source.files_unchanged == 1 and source.imported.new_records == 0
        assert len(crossref_server.stats.paths) == asked

        # A new issue: only the new entry is looked up.
        feeds.feeds["/toc.rss"] = (
            rss_feed("J Synth Res", "0000-0019", _toc([Entry(
                "A new trial", "https://link.example.org/article/6", "10.5555/new.6")])),
            "application/rss+xml",
        )  # fmt: skip
        source = run_sync(library, ["toc-rss"], options).sources[0]
        assert (source.imported.new_records, source.imported.already_stored) == (1, 4)
        last = [p for p in crossref_server.stats.paths[asked:] if "filter=doi" in p]
        assert len(last) == 1 and "10.5555%2Fnew.6" in last[0] and "s11154" not in last[0]


def test_a_feed_that_is_no_feed_fails_with_one_line(db_path):
    with FeedServer() as feeds, Library(db_path) as library:
        feeds.feeds["/toc"] = (b"<html><body>Maintenance</body></html>", "text/html")
        feeds.queued.append(Answer(429, {"Retry-After": "1"}))
        add_source(library, "toc", feeds.url("/toc"), kind="feed")
        options = _options()
        source = run_sync(library, options=options).sources[0]
        assert options.sleep == [1.0]  # the 429 was waited out
        assert source.messages() == [f"toc: {feeds.url('/toc')}: not an RSS or Atom feed"]


# -- OAI-PMH windows ----------------------------------------------------------------------------


def test_oai_repository_ignoring_from_until_is_detected_and_reported(db_path):
    records = [dc_record(n, f"2024-0{1 + n % 5}-10T08:00:00Z") for n in range(1, 11)]
    with OAIServer(records, page_size=4) as server, Library(db_path) as library:
        server.ignore_dates = True
        add_source(library, "repo", server.url)
        source = run_sync(library, options=_options()).sources[0]
        assert source.status == "done" and source.imported.new_records == 10
        assert any("ignores from/until" in n for n in source.notes)
        starts = [q for q in server.list_requests() if "resumptionToken" not in q]
        assert len(starts) == 1  # detected in the first window: not asked again per window
        assert json.loads(get_source(library, "repo").notes) == {"ignores_dates": True}
        # Next run: one whole list without from/until; nothing stored again.
        asked = len(server.list_requests())
        source = run_sync(library, options=_options()).sources[0]
        again = server.list_requests()[asked]
        assert "from" not in again and "until" not in again
        assert (source.imported.new_records, source.imported.already_stored) == (0, 10)
        assert source.notes


def test_oai_window_over_the_size_limit_is_split(db_path):
    records = [dc_record(n, f"2024-01-{n:02d}T08:00:00Z") for n in range(1, 13)]
    with (
        OAIServer(records, page_size=3, now="2024-01-31T12:00:00Z") as server,
        Library(db_path) as library,
    ):
        add_source(library, "repo", server.url)
        source = run_sync(library, options=_options(oai_window_max=5)).sources[0]
        assert source.status == "done" and source.imported.new_records == 12
        assert (source.splits, source.windows) == (3, 4)
        starts = [(q["from"], q["until"]) for q in server.list_requests() if "from" in q]
        # The month lists 12 (> 5): halved, and its first half again, until a window holds
        # at most 5; then the windows follow each other to the end, one second apart.
        assert starts == [
            ("2024-01-01T08:00:00Z", "2024-01-31T12:00:00Z"),  # 12: split
            ("2024-01-01T08:00:00Z", "2024-01-16T10:00:00Z"),  # 8: split
            ("2024-01-01T08:00:00Z", "2024-01-08T21:00:00Z"),  # 6: split
            ("2024-01-01T08:00:00Z", "2024-01-05T02:30:00Z"),  # 4
            ("2024-01-05T02:30:01Z", "2024-01-08T21:00:00Z"),  # 2
            ("2024-01-08T21:00:01Z", "2024-01-16T10:00:00Z"),  # 2
            ("2024-01-16T10:00:01Z", "2024-01-31T12:00:00Z"),  # 4
        ]
        assert len(_rows(library, "SELECT id FROM source_records")) == 12


def test_oai_bad_token_restarts_only_the_current_window(db_path):
    records = [dc_record(n, "2024-01-10T08:00:00Z") for n in range(1, 5)]
    records += [dc_record(n, "2024-02-10T08:00:00Z") for n in range(5, 12)]
    with (
        OAIServer(records, page_size=3, now="2024-02-20T00:00:00Z") as server,
        Library(db_path) as library,
    ):
        add_source(library, "repo", server.url)
        from tests.fakes.oai_server import Fault as OAIFault

        # January: two pages; February: page 1, then its token "expires".
        server.inject(OAIFault("none"), OAIFault("none"), OAIFault("none"), OAIFault("badtoken"))
        source = run_sync(library, options=_options()).sources[0]
        assert source.status == "done" and source.restarts == 1
        starts = [(q["from"], q["until"]) for q in server.list_requests() if "from" in q]
        assert starts == [
            ("2024-01-10T08:00:00Z", "2024-01-31T23:59:59Z"),
            ("2024-02-01T00:00:00Z", "2024-02-20T00:00:00Z"),
            ("2024-02-01T00:00:00Z", "2024-02-20T00:00:00Z"),  # February again, not January
        ]
        assert source.imported.new_records == 11 and source.imported.already_stored == 3


# -- dry run, log ------------------------------------------------------------------------------


def test_dry_run_says_what_each_source_would_ask_without_asking(db_path):
    with (
        OAIServer([dc_record(1, "2024-01-10T08:00:00Z")]) as server,
        FakeEUtils() as eutils,
        FeedServer() as feeds,
        Library(db_path) as library,
    ):
        add_source(library, "repo", server.url)
        add_source(library, "review", "", kind="crossref",
                   query=crossref_query("embolization", filters=["type:journal-article"]))  # fmt: skip
        add_source(library, "asthma", "asthma", kind="pubmed")
        add_source(library, "toc", feeds.url("/toc.rss"), kind="feed")
        report = run_sync(
            library,
            options=_options(dry_run=True, today=Days(date(2026, 12, 1)), enrich=True),
        )
        plans = {s.name: s.requests_planned for s in report.sources}
        assert server.log == [] and eutils.requests == [] and feeds.requests == []
        assert "query.bibliographic=embolization" in plans["review"][0]
        assert "filter=type:journal-article" in plans["review"][0]
        assert "mindate=1781/01/01 maxdate=2026/12/01" in plans["asthma"][0]
        assert plans["toc"][0] == f"GET {feeds.url('/toc.rss')}"
        assert plans["repo"][0].endswith("verb=Identify")
        assert _rows(library, "SELECT count(*) FROM runs") == [(0,)]


def test_since_reads_ages_and_dates():
    from datetime import UTC, datetime

    now = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
    assert since_time("7d", now) == "2026-12-01T12:00:00+00:00"
    assert since_time("12h", now) == "2026-12-08T00:00:00+00:00"
    assert since_time("2w", now) == "2026-11-24T12:00:00+00:00"
    assert since_time("2026-12-01", now) == "2026-12-01T00:00:00+00:00"
    with pytest.raises(UsageError, match="give an age"):
        since_time("last week", now)


# -- scheduling ----------------------------------------------------------------------------------

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _unit(name: str) -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in (SCRIPTS / name).read_text().splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            current[key.strip()] = value.strip()
    return sections


def test_systemd_timer_runs_the_sync_nightly_at_0230_and_catches_up():
    timer, service = _unit("harvester-sync.timer"), _unit("harvester-sync.service")
    assert timer["Timer"]["OnCalendar"] == "*-*-* 02:30:00"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["ExecStart"].endswith("harvester sync")
    cron = [
        line
        for line in (SCRIPTS / "crontab.example").read_text().splitlines()
        if line and not line.startswith(("#", "HARVESTER_"))
    ]
    assert cron and all("/harvester sync" in line for line in cron)


def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here (no systemd)")
    for name in ("harvester-sync.service", "harvester-sync.timer"):
        shutil.copy(SCRIPTS / name, tmp_path / name)
    result = subprocess.run(
        [analyze, "verify", str(tmp_path / "harvester-sync.service"),
         str(tmp_path / "harvester-sync.timer")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if "Failed to initialize manager" in result.stderr:
        pytest.skip(f"systemd-analyze cannot run here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_crossref_field_queries_and_filters_are_sent_as_saved(
    db_path, crossref_server, make_client
):
    crossref_server.add_work(_indexed(generated_work(1), "2026-11-20"))
    query = crossref_query(
        "embolization",
        author="Author1",
        container="Journal of Synthetic Results",
        filters=["has-abstract:false", "type:journal-article", "type:review"],
    )
    with Library(db_path) as library:
        add_source(library, "review", "", kind="crossref", query=query)
        run_sync(library, options=_options(crossref=make_client, today=Days(date(2026, 12, 1))))
        (path,) = [p for p in crossref_server.stats.paths if p.startswith("/works?")]
        assert "query.author=Author1" in path
        assert "query.container-title=Journal+of+Synthetic+Results" in path
        # Repeated names are ORed by Crossref: both types are asked, beside the other filter.
        assert "filter=has-abstract%3Afalse%2Ctype%3Ajournal-article%2Ctype%3Areview" in path
        assert "rows=500" in path  # the default page size
        listed = get_source(library, "review").as_dict()
        assert listed["query"]["filters"] == {
            "has-abstract": ["false"],
            "type": ["journal-article", "review"],
        }


def test_works_a_sync_left_unenriched_are_enriched_by_the_next_sync(
    db_path, tmp_path, crossref_server, make_client
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    mestier = de_mestier_2017()
    (inbox / "one.ris").write_text(
        "TY  - JOUR\nTI  - Liver transarterial embolizations in metastatic neuroendocrine"
        f" tumors\nAU  - de Mestier, L.\nPY  - 2017\nDO  - {mestier['DOI']}\nER  - \n"
    )
    with Library(db_path) as library:
        add_source(library, "inbox", str(inbox))
        # As if killed before its enrichment (or run with --no-enrich).
        run_sync(library, options=_options(crossref=make_client))
        assert _rows(library, "SELECT enrichment FROM works") == [("none",)]
        report = run_sync(library, options=_options(crossref=make_client, enrich=True))
        assert report.sources[0].imported.new_records == 0  # nothing new: the backlog only
        assert _rows(library, "SELECT enrichment FROM works") == [("enriched",)]
        (csl,) = _rows(library, "SELECT csl FROM works")[0]
        assert json.loads(csl)["container-title"] == mestier["container-title"][0]
        assert json.loads(csl)["volume"] == "18"  # from Crossref: the RIS had no volume
