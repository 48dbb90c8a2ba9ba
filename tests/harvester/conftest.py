"""Fixtures for the shell's tests: a fake Crossref server on 127.0.0.1 and clients pointed at it.

``crossref_server`` runs the fake in the test's process (fast to start; tests may change its
works, faults and pools directly). ``crossref_process`` runs it in a child process, for the tests
that prove the client stays inside the limits as the server counts them (see
:class:`tests.fakes.crossref_server.FakeCrossrefProcess`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harvester.crossref.client import CrossrefClient
from harvester.crossref.limits import ErrorBudget, PoolLimits
from harvester.net.retry import RetryPolicy
from tests.fakes.crossref_server import FakeCrossref, FakeCrossrefProcess, Faults, real_pools
from tests.fakes.synthetic_works import de_mestier_2017, radosa_2024

# The real limits, every interval shortened to this many seconds so the suite stays fast.
FAST = 0.1
MAILTO = "harvester-tests@example.org"


@pytest.fixture
def crossref_server() -> Iterator[FakeCrossref]:
    """A started fake Crossref with the real pools' limits at ``FAST`` intervals, the recorded
    fixtures and the two seed works; tests may add works or set ``server.faults``."""
    server = FakeCrossref(pools=real_pools(FAST), faults=Faults())
    server.add_work(de_mestier_2017())
    server.add_work(radosa_2024())
    with server:
        yield server


@pytest.fixture
def crossref_process() -> Iterator[FakeCrossrefProcess]:
    """The fake Crossref in a child process, with the real pools' limits at ``FAST``."""
    with FakeCrossrefProcess(pools=real_pools(FAST)) as server:
        yield server


def _factory(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[Callable[..., CrossrefClient], list]:
    monkeypatch.setenv("HARVESTER_CROSSREF_URL", url)
    monkeypatch.setenv("HARVESTER_MAILTO", MAILTO)
    clients: list[CrossrefClient] = []

    def build(**overrides: Any) -> CrossrefClient:
        pool = "polite" if overrides.get("mailto", MAILTO) else "public"
        pools = real_pools(FAST)[pool]
        overrides.setdefault(
            "limits",
            {cls: PoolLimits(p.limit, p.interval, p.concurrency) for cls, p in pools.items()},
        )
        overrides.setdefault(
            "retry", RetryPolicy(attempts=5, backoff=0.01, max_wait=0.2, jitter=0.5)
        )
        overrides.setdefault("budget", ErrorBudget())
        overrides.setdefault("timeout", 2.0)
        # At a 0.1 s interval, scheduling noise on a busy machine is a larger share of the
        # window than at Crossref's 1 s: the safety margin is widened to match.
        overrides.setdefault("min_margin", 0.1)
        client = CrossrefClient.from_env(**overrides)
        clients.append(client)
        return client

    return build, clients


@pytest.fixture
def make_client(
    crossref_server: FakeCrossref, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., CrossrefClient]]:
    """``make_client(**overrides)``: a client built from the environment the way the CLI builds
    it (``HARVESTER_CROSSREF_URL``, ``HARVESTER_MAILTO``), with short back-off for tests."""
    build, clients = _factory(crossref_server.url, monkeypatch)
    yield build
    for client in clients:
        client.close()


@pytest.fixture
def make_process_client(
    crossref_process: FakeCrossrefProcess, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., CrossrefClient]]:
    """Like ``make_client``, pointed at ``crossref_process``."""
    build, clients = _factory(crossref_process.url, monkeypatch)
    yield build
    for client in clients:
        client.close()
