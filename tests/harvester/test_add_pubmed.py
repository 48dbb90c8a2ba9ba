"""`harvester add PMID…` / `parse PMID…` through the real CLI, against a fake E-utilities on
127.0.0.1 serving real PubMed XML (tests/fakes/eutils_server.py); and the E-utilities client's
batching, rate and retries in process."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

import pytest

from harvester.sources.oaipmh import RetryPolicy
from harvester.sources.pubmed import BATCH, EUtilsClient, pubmed_inputs
from harvester.store import Library
from records.parsers import parse_bytes
from tests.fakes.crossref_server import closed_port_url
from tests.fakes.eutils_server import FakeEUtils, Fault, renumbered
from tests.harvester.cli_runner import run_cli

MAILTO = "harvester-tests@example.org"


@pytest.fixture
def eutils() -> Iterator[FakeEUtils]:
    with FakeEUtils() as server:
        yield server


def env_for(server: FakeEUtils, **extra: str) -> dict[str, str]:
    return {"HARVESTER_PUBMED_URL": server.url, "HARVESTER_MAILTO": MAILTO, **extra}


def failures(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("harvester: failed:")]


def test_add_pmids_in_every_spelling_and_a_pmcid(eutils, tmp_path):
    db = tmp_path / "lib.db"
    result = run_cli(
        "add",
        "--json",
        "--no-enrich",
        "PMID:29768149",
        "pmid 26711635",
        "https://pubmed.ncbi.nlm.nih.gov/23633646/",
        "PMID:",  # `PMID: 21413195` as the shell splits it
        "21413195",
        "PMC5973862",
        "99999999",
        db=db,
        env=env_for(eutils),
        cwd=tmp_path,  # no file named 99999999 here
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = failures(result.stderr)
    assert line == "harvester: failed: pmid:99999999: PubMed has no record with this PMID"
    report = json.loads(result.stdout)
    assert (report["inputs"], report["parsed"], report["new_works"]) == (6, 5, 5)
    # one elink for the PMCID, then one efetch for all PMIDs, identified as NCBI asks
    assert [r.endpoint for r in eutils.requests] == ["elink.fcgi", "efetch.fcgi"]
    assert eutils.requests[0].params["id"] == ["5973862"]
    fetch = eutils.requests[1]
    assert fetch.ids() == ["29768149", "26711635", "23633646", "21413195", "29872490", "99999999"]
    assert (fetch.params["db"], fetch.params["retmode"]) == (["pubmed"], ["xml"])
    assert (fetch.params["tool"], fetch.params["email"]) == (["harvester"], [MAILTO])
    assert "api_key" not in fetch.params
    with Library(db) as library:
        stored = {r.csl.get("PMID"): r.origin for r in library.iter_records()}
    assert stored == {
        "29768149": "pmid:29768149",
        "26711635": "pmid:26711635",
        "23633646": "pmid:23633646",
        "21413195": "pmid:21413195",
        "29872490": "pmcid:PMC5973862",
    }


def test_parse_gives_what_the_pubmed_xml_parser_gives(eutils, tmp_path):
    result = run_cli("parse", "pmid", "29768149", env=env_for(eutils), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)
    (expected,) = parse_bytes(eutils.efetch(["29768149"]), "pmid:29768149").records
    assert (
        item["title"]
        == expected.csl["title"]
        == ("Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma")
    )
    assert {k: v for k, v in item.items() if k not in ("id", "custom")} == expected.csl
    assert item["custom"]["harvester"]["source"]["origin"] == "pmid:29768149"


def test_a_bare_number_is_a_pmid_only_when_no_such_file_exists(eutils, tmp_path):
    (tmp_path / "29768149").write_text(
        "TY  - JOUR\nTI  - A file that happens to be called 29768149\nER  - \n"
    )
    result = run_cli("parse", "29768149", "26711635", env=env_for(eutils), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [i["custom"]["harvester"]["source"]["origin"] for i in items] == [
        "29768149",
        "pmid:26711635",
    ]
    assert items[0]["title"] == "A file that happens to be called 29768149"
    assert [r.ids() for r in eutils.requests] == [["26711635"]]


def test_a_rate_limit_answer_is_retried(eutils, tmp_path):
    eutils.faults.append(Fault(429, retry_after="0"))
    result = run_cli("parse", "PMID:29768149", env=env_for(eutils), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 1
    assert [r.endpoint for r in eutils.requests] == ["efetch.fcgi"] * 2


def test_pubmed_failing_is_one_line_for_the_pmids_and_nothing_is_stored(eutils, tmp_path):
    db = tmp_path / "lib.db"
    eutils.faults.extend(Fault(503, retry_after="0") for _ in range(4))
    ids = ["PMID:29768149", "PMC5973862", "26711635"]
    result = run_cli("add", "--no-enrich", *ids, db=db, env=env_for(eutils), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = failures(result.stderr)
    assert line.startswith(
        "harvester: failed: pmid:29768149, pmcid:PMC5973862, pmid:26711635: not fetched: "
        "PubMed failed 4 times"
    )
    assert "HTTP 503: API rate limit exceeded" in line
    assert len(eutils.requests) == 4
    with Library(db) as library:
        assert library.counts()["records"] == 0


def test_pubmed_unreachable_is_one_line(tmp_path):
    result = run_cli(
        "add",
        "--no-enrich",
        "PMID:29768149",
        "PMID:26711635",
        db=tmp_path / "lib.db",
        env={"HARVESTER_PUBMED_URL": closed_port_url()},
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = failures(result.stderr)
    assert "pmid:29768149, pmid:26711635: not fetched: PubMed cannot be reached" in line


def test_an_answer_that_is_no_pubmed_xml_is_one_line(eutils, tmp_path):
    eutils.faults.append(Fault(200, body=b"<html><body>Maintenance", content_type="text/html"))
    result = run_cli("parse", "PMID:29768149", env=env_for(eutils), cwd=tmp_path)
    assert result.returncode == 1
    (line,) = failures(result.stderr)
    assert "pmid:29768149: not fetched: PubMed answered efetch with" in line


def test_hundreds_of_pmids_go_in_batches_at_the_allowed_rate(eutils, tmp_path):
    template = eutils.articles["29768149"]
    pmids = [str(40_000_000 + n) for n in range(2 * BATCH + 50)]
    for n, pmid in enumerate(pmids):
        eutils.articles[pmid] = renumbered(template, pmid, f"Synthetic article number {n}")
    result = run_cli("parse", *pmids, env=env_for(eutils), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [i["PMID"] for i in items] == pmids
    assert [i["title"] for i in items[:2]] == [
        "Synthetic article number 0",
        "Synthetic article number 1",
    ]
    assert [len(r.ids()) for r in eutils.requests] == [BATCH, BATCH, 50]
    starts = [r.at for r in eutils.requests]
    # without an API key NCBI allows 3 requests a second
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 1 / 3 - 0.02


def test_an_api_key_is_sent_and_allows_a_faster_rate(eutils):
    waits: list[float] = []
    now = [0.0]
    client = EUtilsClient(
        eutils.url,
        api_key="k3y",
        mailto=MAILTO,
        sleep=waits.append,
        clock=lambda: now[0],
    )
    with client:
        client.efetch(["29768149"])
        client.efetch(["26711635"])
    assert all(r.params["api_key"] == ["k3y"] for r in eutils.requests)
    assert waits == [pytest.approx(1.05 / 10)]
    keyless = EUtilsClient(eutils.url, sleep=waits.append, clock=lambda: now[0])
    with keyless:
        keyless.efetch(["29768149"])
        keyless.efetch(["26711635"])
    assert waits[1:] == [pytest.approx(1.05 / 3)]


def test_retries_wait_longer_each_time_and_then_give_up(eutils):
    waits: list[float] = []
    eutils.faults.extend(Fault(500, body=b"oops", content_type="text/plain") for _ in range(3))
    client = EUtilsClient(
        eutils.url,
        retry=RetryPolicy(attempts=4, backoff=1.0, max_wait=60.0),
        sleep=waits.append,
        clock=lambda: 1000.0 + len(waits) * 100,  # never throttled
    )
    with client:
        (item,) = pubmed_inputs(client, ["29768149"])
    assert item.error is None and item.format == "pubmed-xml"
    assert waits == [1.0, 2.0, 4.0]
    eutils.faults.append(Fault(429, retry_after="3600"))
    with EUtilsClient(eutils.url, sleep=waits.append) as client:
        (item,) = pubmed_inputs(client, ["26711635"])
    assert "PubMed asks to wait 3600 s" in str(item.error)


def test_a_pmc_article_without_a_pubmed_record_is_named(eutils):
    with EUtilsClient(eutils.url) as client:
        items = list(pubmed_inputs(client, ["PMC1", "PMC7756617", "32759406", "PMC7756617"]))
    assert [(i.origin, i.error is None) for i in items] == [
        ("pmcid:PMC1", False),
        ("pmcid:PMC7756617", True),
    ]
    assert str(items[0].error) == "pmcid:PMC1: no PubMed record for this PMC article"
    # the PMID of PMC7756617 was asked for too: its article is given once
    assert eutils.requests[-1].ids() == ["32759406"]
