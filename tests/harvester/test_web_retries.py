"""harvester.sources.web.fetch trying again what may pass, within its one timeout: against the fake web
server on 127.0.0.1 (tests/fakes/web_server.py) with harvester's real HTTP client. Waits are
recorded instead of slept where the test is about which waits were asked for, and slept (with a
small backoff) where it is about the clock."""

from __future__ import annotations

import gzip
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from harvester.net.http import make_client
from harvester.net.retry import RetryPolicy
from harvester.sources.web import RETRY, fetch
from records.errors import UnreadableInput
from tests.fakes.crossref_server import closed_port_url
from tests.fakes.web_server import FakeWeb, Page

RIS = b"TY  - JOUR\nTI  - Fetched again\nAU  - Novak, Jan\nPY  - 2020\nER  - \n"
# A test hook for the backoff base: the same policy, waits a hundred times shorter.
QUICK = RetryPolicy(attempts=RETRY.attempts, backoff=0.005, max_wait=RETRY.max_wait)


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    with FakeWeb() as server:
        yield server


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client(timeout=10.0) as http:
        yield http


class Waits(list):
    """A ``sleep`` that records the waits asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def failure(call) -> str:
    with pytest.raises(UnreadableInput) as caught:
        call()
    return str(caught.value)


def test_a_503_with_retry_after_then_the_page(web, client):
    url = web.add("/refs.ris", RIS, content_type="text/plain")
    web.queue("/refs.ris", Page(b"busy", status=503, headers={"Retry-After": "2"}))
    waits = Waits()
    assert fetch(client, url, sleep=waits) == RIS
    assert waits == [2.0]
    assert web.hits("/refs.ris") == 2


def test_retry_after_as_an_http_date(web, client):
    url = web.add("/refs.ris", RIS, content_type="text/plain")
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=4), usegmt=True)
    web.queue("/refs.ris", Page(status=429, headers={"Retry-After": when}))
    waits = Waits()
    assert fetch(client, url, sleep=waits) == RIS
    (wait,) = waits
    assert 2 <= wait <= 4


def test_gateway_errors_back_off_doubling(web, client):
    url = web.add("/refs.ris", RIS, content_type="text/plain")
    web.queue("/refs.ris", Page(status=502), Page(status=504))
    waits = Waits()
    assert fetch(client, url, sleep=waits) == RIS
    assert waits == [RETRY.backoff, 2 * RETRY.backoff]
    assert web.hits("/refs.ris") == 3


def test_a_429_storm_gives_up_after_the_last_attempt(web, client):
    url = web.add("/refs.ris", status=429, headers={"Retry-After": "1"})
    waits = Waits()
    line = failure(lambda: fetch(client, url, sleep=waits))
    assert line == f"{url}: HTTP 429 Too Many Requests ({RETRY.attempts} attempts)"
    assert waits == [1.0] * (RETRY.attempts - 1)
    assert web.hits("/refs.ris") == RETRY.attempts


@pytest.mark.parametrize(
    "asked",
    ["30", format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)],
    ids=["seconds", "http-date"],
)
def test_a_longer_wait_than_the_timeout_leaves_fails_at_once(web, client, asked):
    url = web.add("/refs.ris", status=503, headers={"Retry-After": asked})
    waits = Waits()
    line = failure(lambda: fetch(client, url, timeout=5, sleep=waits))
    assert waits == [] and web.hits("/refs.ris") == 1  # failed at once: no wait, no retry
    assert re.fullmatch(
        rf"{re.escape(url)}: HTTP 503 Service Unavailable; the server asks to wait \d+ s,"
        r" more than the 5 s timeout leaves",
        line,
    ), line
    assert waits == [] and web.hits("/refs.ris") == 1


def test_a_longer_wait_than_the_policy_allows_fails_at_once(web, client):
    url = web.add("/refs.ris", status=503, headers={"Retry-After": "90"})
    line = failure(lambda: fetch(client, url, timeout=600, sleep=Waits()))
    assert line.endswith("the server asks to wait 90 s, longer than harvester waits (60 s)")
    assert web.hits("/refs.ris") == 1


def test_what_the_next_attempt_would_get_too_is_not_retried(web, client):
    pages = {
        "/missing": (Page(status=404), "HTTP 404 Not Found"),
        "/broken": (Page(status=500), "HTTP 500 Internal Server Error"),
        "/pdf": (Page(b"%PDF-1.7", content_type="application/pdf"), "served as application/pdf"),
        "/huge": (Page(content_type="text/plain", size=2048), "too large"),
        "/gzip": (
            Page(
                b"not gzip at all", content_type="text/plain", headers={"Content-Encoding": "gzip"}
            ),
            "the answer cannot be decoded",
        ),
    }
    for path, (page, _) in pages.items():
        web.pages[path] = page
    waits = Waits()
    for path, (_, reason) in pages.items():
        line = failure(lambda p=path: fetch(client, web.url(p), max_bytes=1024, sleep=waits))
        assert line.startswith(f"{web.url(path)}: {reason}"), line
        assert web.hits(path) == 1
    assert waits == []
    # a real gzip body is read as such
    web.add("/gzipped", gzip.compress(RIS), headers={"Content-Encoding": "gzip"})
    assert fetch(client, web.url("/gzipped")) == RIS


def test_a_cut_off_answer_is_asked_for_again(web, client):
    url = web.add("/refs.ris", RIS, content_type="text/plain")
    web.queue("/refs.ris", Page(RIS * 50, content_type="text/plain", cut=True))
    waits = Waits()
    assert fetch(client, url, sleep=waits) == RIS
    assert waits == [RETRY.backoff] and web.hits("/refs.ris") == 2


def test_a_refused_connection_is_tried_again_then_named(client):
    url = closed_port_url() + "/refs.ris"
    waits = Waits()
    line = failure(lambda: fetch(client, url, sleep=waits))
    assert line.startswith(f"{url}: cannot connect (")
    assert line.endswith(f" ({RETRY.attempts} attempts)")
    assert waits == [RETRY.backoff, 2 * RETRY.backoff]


def test_a_slow_answer_within_the_timeout_is_waited_for(web, client):
    # A slow catalog page: longer than a third of the timeout, shorter than all of it. It is
    # not cut short to keep time for retries.
    url = web.add("/refs.ris", RIS, content_type="text/plain", delay=1.0)
    assert fetch(client, url, timeout=2.0, retry=QUICK) == RIS
    assert web.hits("/refs.ris") == 1


def test_every_attempt_and_wait_fit_in_the_one_timeout(web, client):
    url = web.add("/slow", RIS, content_type="text/plain", delay=2.0)
    started = time.monotonic()
    line = failure(lambda: fetch(client, url, timeout=1.2, retry=QUICK))
    elapsed = time.monotonic() - started
    # The answer may take all the time there is (no attempt left for a retry after it).
    assert line == f"{url}: timed out: no complete answer within 1.2 s"
    assert elapsed > 1.0 and web.hits("/slow") == 1
    # a Retry-After that fits is waited for, really
    web.add("/busy", RIS, content_type="text/plain")
    web.queue("/busy", Page(status=503, headers={"Retry-After": "1"}))
    started = time.monotonic()
    assert fetch(client, web.url("/busy"), timeout=3, retry=QUICK) == RIS
    assert time.monotonic() - started >= 1.0 and web.hits("/busy") == 2
