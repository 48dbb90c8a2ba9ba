"""A living review end to end, as a person sets it up (issue 18): `harvester sync add` lines for
a PubMed search, a Crossref query and two journal feeds, an auto-exported `.bib`, nightly runs
as real processes (killed with SIGKILL at random points, or started twice at once), and
`harvester sync log --since 7d`. Every service is a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from harvester.cli import cli
from tests.conftest import REPO, STATE_DIR
from tests.fakes.crossref_server import FakeCrossref
from tests.fakes.eutils_server import FakeEUtils, renumbered
from tests.fakes.feed_server import Entry, FeedServer, atom_feed, rss_feed
from tests.fakes.synthetic_works import generated_work, radosa_2024
from tests.harvester.conftest import MAILTO

NEJM_DOI = "10.1056/NEJMoa1715274"  # the real PubMed article 29768149 of the fixtures


def _nejm_work() -> dict:
    """Crossref's record of PubMed 29768149 (SYNTHETIC: written from the PubMed record)."""
    return {
        "x-synthetic": True,
        "DOI": NEJM_DOI,
        "type": "journal-article",
        "title": ["Inhaled Combined Budesonide–Formoterol as Needed in Mild Asthma"],
        "author": [
            {"given": "Paul M.", "family": "O’Byrne", "sequence": "first", "affiliation": []},
            {
                "given": "J. Mark",
                "family": "FitzGerald",
                "sequence": "additional",
                "affiliation": [],
            },
        ],
        "container-title": ["New England Journal of Medicine"],
        "short-container-title": ["N Engl J Med"],
        "volume": "378",
        "issue": "20",
        "page": "1865-1876",
        "issued": {"date-parts": [[2018, 5, 17]]},
        "ISSN": ["0028-4793", "1533-4406"],
        "publisher": "Massachusetts Medical Society",
        "indexed": {"date-parts": [[2026, 1, 1]], "date-time": "2026-01-01T00:00:00Z"},
    }


def _indexed(work: dict, day: str) -> dict:
    y, m, d = (int(p) for p in day.split("-"))
    return work | {"indexed": {"date-parts": [[y, m, d]], "date-time": f"{day}T08:00:00Z"}}


def _asthma(eutils: FakeEUtils, numbers: range, day: str) -> None:
    """Copies of the real NEJM article under new PMIDs, titles and DOIs, entered on ``day``."""
    model = eutils.articles["29768149"]
    for n in numbers:
        pmid = str(40_000_000 + n)
        twin = renumbered(model, pmid, f"Asthma exacerbations in cohort {n}: a follow-up")
        for node in twin.iterfind(".//ArticleIdList/ArticleId[@IdType='doi']"):
            node.text = f"10.5555/asthma.{n}"
        for node in twin.iterfind(".//ELocationID[@EIdType='doi']"):
            node.text = f"10.5555/asthma.{n}"
        eutils.articles[pmid] = twin
        eutils.entry_dates[pmid] = day


def _feeds(feeds: FeedServer, issue: int) -> None:
    radosa = radosa_2024()
    rss = [
        Entry(radosa["title"][0], "https://link.example.org/r/1", radosa["DOI"]),
        *(
            Entry(f"Perfusion imaging study {issue}.{k}", f"https://link.example.org/r/{issue}{k}",
                  None, ["Ana Souza"], f"2026-11-{10 + issue:02d}")
            for k in range(1, 3)
        ),
    ]  # fmt: skip
    atom = [
        Entry(f"Dosimetry after embolization, issue {issue}", f"https://j.example.org/a/{issue}",
              f"10.5555/atom.{issue}", ["Dana Roe"], f"2026-11-{10 + issue:02d}"),
    ]  # fmt: skip
    feeds.feeds["/a.rss"] = (rss_feed("Journal A", "2731-7048", rss), "application/rss+xml")
    feeds.feeds["/b.atom"] = (atom_feed("Journal B", atom), "application/atom+xml")


class Services:
    def __init__(self, crossref: FakeCrossref, eutils: FakeEUtils, feeds: FeedServer) -> None:
        self.crossref, self.eutils, self.feeds = crossref, eutils, feeds

    @property
    def env(self) -> dict[str, str]:
        return {
            "HARVESTER_CROSSREF_URL": self.crossref.url,
            "HARVESTER_PUBMED_URL": self.eutils.url,
            "HARVESTER_MAILTO": MAILTO,
        }


@pytest.fixture
def services(crossref_server: FakeCrossref) -> Iterator[Services]:
    crossref_server.add_work(_nejm_work())
    for i in range(1, 8):
        crossref_server.add_work(_indexed(generated_work(i), "2026-11-20"))
    with FakeEUtils() as eutils, FeedServer() as feeds:
        _asthma(eutils, range(1, 4), "2026/11/10")
        _feeds(feeds, 1)
        yield Services(crossref_server, eutils, feeds)


def _cli(db: Path, services: Services | None, *args: str | Path):
    """The CLI in-process (click's runner, same code path as the console script): quick;
    the nightly runs themselves are real processes (:class:`Run`)."""
    env = dict(services.env) if services else {}
    env.update(
        HARVESTER_CONFIG=str(REPO / "no-such-config.toml"),
        HARVESTER_STATE_DIR=str(STATE_DIR),
    )
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], env=env)


def _set_up(db: Path, services: Services) -> None:
    lines = [
        ("asthma", "asthma[tiab]", "--kind", "pubmed", "--batch", "20"),
        ("review", "embolization study", "--kind", "crossref", "--filter",
         "type:journal-article", "--filter", "issn:0000-0019", "--rows", "100"),
        ("journal-a", services.feeds.url("/a.rss"), "--kind", "feed"),
        ("journal-b", services.feeds.url("/b.atom"), "--kind", "feed"),
    ]  # fmt: skip
    for line in lines:
        result = _cli(db, services, "sync", "add", *line)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"added {line[0]}: ")


def _state(db: Path) -> tuple[list, list]:
    """Every stored record (origin, source id, content hash) and every work's DOI, sorted."""
    conn = sqlite3.connect(db)
    try:
        records = conn.execute(
            "SELECT origin, source_id, content_hash, kind FROM source_records ORDER BY 1, 2, 3"
        ).fetchall()
        works = sorted(
            json.loads(csl).get("DOI") or json.loads(csl)["title"]
            for (csl,) in conn.execute("SELECT csl FROM works")
        )
    finally:
        conn.close()
    return records, works


def test_a_living_review_from_sync_add_to_the_weeks_new_records_in_the_bib(tmp_path, services):
    db = tmp_path / "review.db"
    bib = tmp_path / "review.bib"
    _set_up(db, services)
    exported = _cli(db, services, "export", "--output", bib, "--auto")
    assert exported.exit_code == 0, exported.output

    night = Run(db, services, "sync")
    stdout, stderr = night.communicate()
    assert night.returncode == 0, stderr
    assert stderr == ""  # off a terminal: no progress display, nothing failed
    lines = stdout.splitlines()
    summary = {line.split(":")[0]: line for line in lines}
    assert summary["asthma"].startswith("asthma: 4 new, 0 merged into existing works")
    assert summary["review"].startswith("review: 7 new")
    assert summary["journal-a"].startswith("journal-a: 3 new")
    assert summary["journal-b"].startswith("journal-b: 1 new")
    assert summary["enrichment"].startswith("enrichment: ")
    assert summary["auto-export updated"] == f"auto-export updated: {bib}"

    conn = sqlite3.connect(db)
    # The PubMed record whose DOI Crossref knows was enriched: Crossref's record joined it.
    enriched = conn.execute(
        "SELECT w.citation_key, w.enrichment, w.csl FROM works w JOIN source_records s"
        " ON s.work_id = w.id WHERE s.kind = 'enrichment'"
    ).fetchall()
    conn.close()
    keys = {key for key, _, csl in enriched if json.loads(csl).get("DOI") == NEJM_DOI}
    assert len(keys) == 1 and enriched[0][1] == "enriched"
    (nejm_key,) = keys
    text = bib.read_text()
    entry = text[text.index(f"{{{nejm_key},") :].split("\n}\n")[0]
    # Crossref's values in the exported entry (PubMed says "The New England journal of
    # medicine" and gives only the electronic ISSN).
    assert "journal = {New England Journal of Medicine}" in entry and "0028-4793" in entry
    assert "Perfusion imaging study 1.1" in text and "Dosimetry after embolization" in text

    # A week later: one new PubMed entry, a new issue of each journal, a new Crossref work.
    _asthma(services.eutils, range(4, 5), "2026/12/05")
    _feeds(services.feeds, 2)
    services.crossref.add_work(_indexed(generated_work(99), "2099-01-01"))
    second = Run(db, services, "sync")
    stdout, stderr = second.communicate()
    assert second.returncode == 0, stderr
    summary = {line.split(":")[0]: line for line in stdout.splitlines()}
    assert summary["asthma"].startswith("asthma: 1 new")
    assert summary["review"].startswith("review: 1 new")
    assert summary["journal-a"].startswith("journal-a: 2 new")  # the Radosa entry was known
    assert summary["journal-b"].startswith("journal-b: 1 new")

    log = _cli(db, services, "sync", "log", "--since", "7d", "--json")
    assert log.exit_code == 0, log.output
    runs = json.loads(log.stdout)
    assert [r["source"] for r in runs] == ["asthma", "journal-a", "journal-b", "review"] * 2
    latest = {r["source"]: r for r in runs[4:]}
    assert len(latest["asthma"]["new"]) == 1 and latest["asthma"]["new_records"] == 1
    week_keys = [k for r in runs for k in r["new"]]
    assert nejm_key in week_keys
    text = bib.read_text()
    assert all(f"{{{key}," in text for key in week_keys)  # every new work is in the .bib

    # What one search brought, exported on its own (records name their source).
    by_source = _cli(db, services, "export", "--source", "asthma", "--format", "csl-json")
    assert by_source.exit_code == 0, by_source.output
    exported_titles = sorted(item["title"] for item in json.loads(by_source.stdout))
    assert len(exported_titles) == 5 and all("sthma" in t for t in exported_titles)

    readable = _cli(db, services, "sync", "log", "--since", "7d")
    assert f"new    {nejm_key}" in readable.stdout
    listing = _cli(db, services, "sync", "list")
    assert "brought 1 new records (0 merged into existing works), 0 failed" in listing.stdout

    plan = _cli(db, services, "sync", "--dry-run")
    assert plan.exit_code == 0, plan.output
    assert "asthma (pubmed) would ask:" in plan.stdout
    assert "from-index-date:" in plan.stdout and "If-None-Match" in plan.stdout


def test_bad_sync_add_lines_are_one_line_usage_errors(tmp_path):
    db = tmp_path / "lib.db"
    cases = [
        (("q", "--kind", "crossref"), "needs a query"),
        (("q", "x", "--kind", "crossref", "--rows", "5"), "between 100 and 1000"),
        (("q", "x", "--kind", "pubmed", "--filter", "issn:1"), "for crossref sources only"),
        (("q", "not-a-url", "--kind", "feed"), "needs an http(s) URL"),
        (("q", "asthma", "--kind", "pubmed", "--since", "last year"), "is not a date"),
    ]
    for args, message in cases:
        result = _cli(db, None, "sync", "add", *args)
        assert result.exit_code == 2, (args, result.output)
        assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, args
    assert _cli(db, None, "sync", "log", "--since", "soon").exit_code == 2


# -- kill -9 and overlap ----------------------------------------------------------------------


class Run:
    """``harvester sync ARGS`` in a real child process, forked from this one so that it starts
    at once (a fresh interpreter spends seconds importing on a busy machine); it can be killed
    with SIGKILL like any cron job. The child only talks to the fakes over HTTP; its standard
    streams are files, not a terminal (as under cron)."""

    def __init__(self, db: Path, services: Services, *args: str) -> None:
        self.out = db.with_name(f"{db.name}.{os.urandom(4).hex()}.out")
        self.err = self.out.with_suffix(".err")
        env = services.env | {
            "HARVESTER_CONFIG": str(REPO / "no-such-config.toml"),
            "HARVESTER_STATE_DIR": str(STATE_DIR),
        }
        context = multiprocessing.get_context("fork")
        command = ["--db", str(db), *args]
        self.process = context.Process(
            target=_child, args=(command, env, str(self.out), str(self.err))
        )
        self.process.start()
        assert self.process.pid is not None
        self.pid: int = self.process.pid

    def poll(self) -> int | None:
        return self.process.exitcode

    def wait(self) -> int:
        self.process.join()
        return int(self.process.exitcode or 0)

    @property
    def returncode(self) -> int | None:
        return self.process.exitcode

    def communicate(self) -> tuple[str, str]:
        self.wait()
        return self.out.read_text(), self.err.read_text()


def _child(command: list[str], env: dict[str, str], out: str, err: str) -> None:
    for name in [k for k in os.environ if k.startswith("HARVESTER_")]:
        del os.environ[name]
    os.environ.update(env)
    for fd, path in ((1, out), (2, err)):
        os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), fd)
    # (pytest's capture replaced sys.stdout/stderr with its own objects: back to the fds.)
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    code = 0
    try:
        cli.main(command, prog_name="harvester")
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _sync(db: Path, services: Services) -> Run:
    return Run(db, services, "sync", "--no-enrich")


def _bigger(services: Services) -> None:
    """Enough pages and batches that a kill lands in the middle of something."""
    _asthma(services.eutils, range(10, 50), "2026/11/12")
    for i in range(100, 250):
        services.crossref.add_work(_indexed(generated_work(i), "2026-11-21"))


def _count(db: Path) -> int:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return int(conn.execute("SELECT count(*) FROM source_records").fetchone()[0])
    finally:
        conn.close()


def test_killed_runs_and_runs_started_together_end_with_the_records_of_a_clean_run(
    tmp_path, services
):
    _bigger(services)
    clean = tmp_path / "clean.db"
    _set_up(clean, services)
    done = _sync(clean, services)
    _, err = done.communicate()
    assert done.returncode == 0, err
    expected = _state(clean)
    assert len(expected[0]) > 150

    # SIGKILL at random points (seeded), three times, then a run to the end: each run is
    # killed once the library holds a random number of records (waited for, not timed), a
    # random moment later, so the kill lands inside a request, a parse or a transaction.
    killed = tmp_path / "killed.db"
    _set_up(killed, services)
    rng = random.Random(18)
    total = len(expected[0])
    partial = []
    for point in sorted(rng.sample(range(1, total), 3)):
        process = _sync(killed, services)
        while _count(killed) < point and process.poll() is None:
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.3))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        partial.append(_count(killed))
    assert any(0 < n < total for n in partial), partial  # killed in the middle of a harvest
    final = _sync(killed, services)
    _, err = final.communicate()
    assert final.returncode == 0, err
    assert _state(killed) == expected
    conn = sqlite3.connect(killed)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM sync_leases").fetchone()[0] == 0
    unfinished = conn.execute("SELECT count(*) FROM sync_sources WHERE checkpoint IS NOT NULL")
    assert unfinished.fetchone()[0] == 0
    conn.close()

    # Two runs started together, as two crons would.
    together = tmp_path / "together.db"
    _set_up(together, services)
    runs = [_sync(together, services), _sync(together, services)]
    outputs = [r.communicate() for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outputs
    assert _state(together) == expected
    # Each source was harvested by one run at a time: the other skipped it, or came after
    # and found nothing new.
    for name in ("asthma", "review", "journal-a", "journal-b"):
        lines = [line for out, _ in outputs for line in out.splitlines() if line.startswith(name)]
        assert len(lines) == 2
        assert any("skipped, being harvested by pid" in x or " 0 new" in x for x in lines), lines
