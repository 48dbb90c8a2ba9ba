"""`harvester add URL` and `harvester parse URL` through the real CLI, against a web server on
127.0.0.1 started by the test (tests/fakes/web_server.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from harvester.sources.web import MAX_BYTES
from harvester.store import Library
from tests.conftest import SPRINGER_SEED, VUFIND_SEED
from tests.fakes.crossref_server import closed_port_url
from tests.fakes.web_server import FakeWeb, Page
from tests.harvester.cli_runner import run_cli

BIB = """@article{demestier2017,
  author = {de Mestier, Louis and Zappa, Magaly},
  title = {Liver transarterial embolizations in metastatic neuroendocrine tumors},
  journal = {Reviews in Endocrine and Metabolic Disorders},
  year = {2017}, volume = {18}, number = {4}, pages = {459--471},
}
@book{gray1918,
  author = {Gray, Henry}, title = {Anatomy of the Human Body}, year = {1918},
  publisher = {Lea \\& Febiger},
}
"""


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    with FakeWeb() as server:
        yield server


def failures(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("harvester: failed:")]


def test_parse_pages_and_an_export_from_the_web(web):
    vufind = web.add("/Record/1234", VUFIND_SEED.read_bytes(), content_type="text/plain")
    springer = web.add(
        "/artikel/10.1007/s11154-017-9431-2",
        SPRINGER_SEED.read_bytes(),
        content_type="text/plain; charset=utf-8",
    )
    bib = web.add("/exports/refs.bib", BIB, content_type="application/x-bibtex")
    result = run_cli("parse", vufind, springer, bib)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    # the same records as from the files, each named by the address it came from
    from_files = json.loads(run_cli("parse", VUFIND_SEED, SPRINGER_SEED).stdout)
    assert [i["title"] for i in items[:2]] == [i["title"] for i in from_files]
    assert [i["author"] for i in items[:2]] == [i["author"] for i in from_files]
    assert [i["custom"]["harvester"]["source"]["origin"] for i in items] == [
        vufind,
        springer,
        bib,
        bib,
    ]
    # a record page's address is its URL; the records of an export get none from it
    assert [i.get("URL") for i in items] == [vufind, springer, None, None]
    assert [i["custom"]["harvester"]["source"]["format"] for i in items[2:]] == ["bibtex"] * 2
    assert items[2]["author"][0] == {"family": "de Mestier", "given": "Louis"}
    # asked like a browser, and with harvester's own User-Agent
    _path, headers = web.requests[0]
    assert headers["User-Agent"].startswith("harvester/")
    assert "text/html" in headers["Accept"]


def test_add_a_page_and_its_redirect_then_nothing_new(web, tmp_path):
    db = tmp_path / "lib.db"
    page = web.add("/Record/1234", VUFIND_SEED.read_bytes(), content_type="text/plain")
    moved = web.redirect("/old/1234", page, status=301)
    first = run_cli("add", "--json", "--no-enrich", moved, db=db)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert (report["parsed"], report["new_works"], report["failed"]) == (1, 1, 0)
    assert [path for path, _ in web.requests] == ["/old/1234", "/Record/1234"]
    again = run_cli("add", "--json", "--no-enrich", page, db=db)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["already_stored"] == 1
    with Library(db) as library:
        assert library.counts()["works"] == 1


def test_the_charset_of_the_content_type_header_and_of_the_page(web):
    czech = (
        "<html><head>{meta}<title>x</title>"
        '<meta name="citation_title" content="Symfonie č. 9 Z Nového světa">'
        '<meta name="citation_author" content="Dvořák, Antonín">'
        '<meta name="citation_journal_title" content="Hudební rozhledy">'
        "</head><body></body></html>"
    )
    header = web.add(
        "/header",
        czech.format(meta="").encode("iso-8859-2"),
        content_type="text/html; charset=ISO-8859-2",
    )
    declared = web.add(
        "/declared",
        czech.format(meta='<meta charset="windows-1250">').encode("cp1250"),
        content_type="text/html",
    )
    result = run_cli("parse", header, declared)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [i["author"][0] for i in items] == [{"family": "Dvořák", "given": "Antonín"}] * 2
    assert [i["title"] for i in items] == ["Symfonie č. 9 Z Nového světa"] * 2


def test_each_bad_address_is_one_line_and_the_good_ones_are_imported(web, tmp_path):
    db = tmp_path / "lib.db"
    good = web.add("/Record/1234", VUFIND_SEED.read_bytes(), content_type="text/plain")
    pdf = web.add(
        "/paper.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8, content_type="application/pdf"
    )
    image = web.add("/cover.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 100, content_type="image/jpeg")
    gone = web.add("/gone", "<h1>Gone</h1>", status=410)
    broken = web.add("/broken", "<h1>Internal error</h1>", status=500)
    refused = closed_port_url() + "/refs.bib"
    result = run_cli(
        "add",
        "--json",
        "--no-enrich",
        pdf,
        image,
        good,
        web.url("/no/such/page"),
        gone,
        broken,
        refused,
        db=db,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = failures(result.stderr)
    assert len(lines) == 6, result.stderr
    expected = {
        pdf: "served as application/pdf, not as text",
        image: "served as image/jpeg, not as text",
        web.url("/no/such/page"): "HTTP 404 Not Found",
        gone: "HTTP 410 Gone",
        broken: "HTTP 500 Internal Server Error",
        refused: "cannot connect",
    }
    for address, reason in expected.items():
        (line,) = [line for line in lines if f" {address}: " in line]
        assert reason in line
    report = json.loads(result.stdout)
    assert (report["inputs"], report["new_works"], report["failed"]) == (7, 1, 6)


def test_a_busy_server_is_asked_again_when_it_says(web, tmp_path):
    db = tmp_path / "lib.db"
    busy = web.add("/Record/1234", VUFIND_SEED.read_bytes(), content_type="text/plain")
    web.queue("/Record/1234", Page(b"busy", status=503, headers={"Retry-After": "1"}))
    storm = web.add("/storm", status=429, headers={"Retry-After": "3600"})
    result = run_cli("add", "--json", "--no-enrich", busy, storm, db=db)
    assert result.returncode == 1
    (line,) = failures(result.stderr)
    assert line == (
        f"harvester: failed: {storm}: HTTP 429 Too Many Requests; the server asks to wait"
        " 3600 s, more than the 30 s timeout leaves"
    )
    report = json.loads(result.stdout)
    assert (report["parsed"], report["new_works"], report["failed"]) == (1, 1, 1)
    # asked again after the one second it was told to wait; the hour was not waited for
    assert (web.hits("/Record/1234"), web.hits("/storm")) == (2, 1)


def test_a_slow_server_is_given_up_on(web, tmp_path):
    silent = web.add("/silent", "<h1>late</h1>", delay=5.0)
    # each piece comes within the timeout, the whole answer does not
    trickling = web.add("/trickling", "x" * 8 * 1024, content_type="text/plain", trickle=0.3)
    good = web.add("/Record/1234", VUFIND_SEED.read_bytes(), content_type="text/plain")
    result = run_cli("parse", silent, trickling, good, env={"HARVESTER_HTTP_TIMEOUT": "1"})
    assert result.returncode == 1
    lines = failures(result.stderr)
    assert len(lines) == 2, result.stderr
    for address in (silent, trickling):
        (line,) = [line for line in lines if f" {address}: " in line]
        assert "timed out: no complete answer within 1 s" in line
    # neither was waited for to the end: each gave up at the 1 s timeout, and was not retried
    assert [i["title"][:14] for i in json.loads(result.stdout)] == ["Radiologisch-i"]
    assert (web.hits("/silent"), web.hits("/trickling")) == (1, 1)


@pytest.mark.parametrize("announce_length", [True, False])
def test_a_huge_body_is_refused_not_truncated(web, announce_length):
    huge = web.add(
        "/all.bib",
        content_type="text/plain",
        size=MAX_BYTES + 100_000,
        announce_length=announce_length,
    )
    result = run_cli("parse", huge)
    assert result.returncode == 1
    (line,) = failures(result.stderr)
    assert f" {huge}: too large" in line
    assert json.loads(result.stdout) == []


def test_a_redirect_loop_and_a_bad_timeout_setting(web):
    loop = web.redirect("/a", web.url("/b"))
    web.redirect("/b", web.url("/a"))
    result = run_cli("parse", loop)
    assert result.returncode == 1
    (line,) = failures(result.stderr)
    assert f" {loop}: too many redirects" in line
    bad = run_cli("parse", loop, env={"HARVESTER_HTTP_TIMEOUT": "soon"})
    assert bad.returncode == 2
    assert "HARVESTER_HTTP_TIMEOUT must be a positive number of seconds" in bad.stderr
    assert "Traceback" not in bad.stderr
