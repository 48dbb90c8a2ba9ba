"""The one place harvester creates an HTTP client.

Every request harvester makes goes through an :class:`httpx.Client` made here, so timeouts,
the User-Agent (``harvester/<version> (mailto:<address>)``, which is how Crossref's polite pool
recognises a caller) and connection reuse are set once. Tests pass a ``transport`` (or point
``base_url`` at a server on 127.0.0.1); nothing else should construct ``httpx.Client``.
"""

from __future__ import annotations

import httpx

from harvester import __version__

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
# A few keep-alive connections are enough: Crossref allows at most 3 requests in flight.
DEFAULT_LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=10)


def user_agent(mailto: str | None = None) -> str:
    """``harvester/0.1.0 (mailto:me@example.org)``, or without the parenthesis if no address."""
    agent = f"harvester/{__version__}"
    return f"{agent} (mailto:{mailto})" if mailto else agent


def make_client(
    *,
    base_url: str = "",
    mailto: str | None = None,
    timeout: httpx.Timeout | float | None = None,
    transport: httpx.BaseTransport | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Client:
    """A configured client; close it (or use it as a context manager) when done."""
    all_headers = {"User-Agent": user_agent(mailto), "Accept": "application/json"}
    all_headers.update(headers or {})
    return httpx.Client(
        base_url=base_url,
        headers=all_headers,
        timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
        limits=DEFAULT_LIMITS,
        transport=transport,
        follow_redirects=True,
    )
