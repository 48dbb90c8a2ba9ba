"""Fixtures for the shell's tests: a fake Crossref server on 127.0.0.1 and clients pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harvester.crossref.client import CrossrefClient
from harvester.crossref.limits import ErrorBudget, PoolLimits, RetryPolicy
from tests.fakes.crossref_server import FakeCrossref, Faults, real_pools
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
def make_client(
    crossref_server: FakeCrossref, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., CrossrefClient]]:
    """``make_client(**overrides)``: a client built from the environment the way the CLI builds
    it (``HARVESTER_CROSSREF_URL``, ``HARVESTER_MAILTO``), with short back-off for tests."""
    monkeypatch.setenv("HARVESTER_CROSSREF_URL", crossref_server.url)
    monkeypatch.setenv("HARVESTER_MAILTO", MAILTO)
    clients: list[CrossrefClient] = []

    def build(**overrides: Any) -> CrossrefClient:
        pool = "polite" if overrides.get("mailto", MAILTO) else "public"
        pools = real_pools(FAST)[pool]
        overrides.setdefault(
            "limits",
            {cls: PoolLimits(p.limit, p.interval, p.concurrency) for cls, p in pools.items()},
        )
        overrides.setdefault("retry", RetryPolicy(max_attempts=5, base=0.01, cap=0.2))
        overrides.setdefault("budget", ErrorBudget())
        overrides.setdefault("timeout", 2.0)
        # At a 0.1 s interval, thread scheduling (client and server share one interpreter, on a
        # machine other test runs share) is a large share of the window: tens of milliseconds
        # between the client taking a slot and the server seeing the request. At Crossref's 1 s
        # intervals the default margin (10 %) covers that; here the margin is widened to match.
        overrides.setdefault("min_margin", 0.1)
        client = CrossrefClient.from_env(**overrides)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()
