"""The one HTTP client factory."""

from __future__ import annotations

import httpx

from harvester import __version__
from harvester.net.http import make_client, user_agent


def test_user_agent_names_version_and_contact():
    assert user_agent() == f"harvester/{__version__}"
    assert user_agent("me@example.org") == f"harvester/{__version__} (mailto:me@example.org)"


def test_transport_is_injectable_and_headers_set():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    with make_client(
        base_url="http://example.invalid",
        mailto="me@example.org",
        transport=httpx.MockTransport(handler),
        timeout=3.0,
    ) as client:
        assert client.get("/works").json() == {"ok": True}
        assert client.timeout.read == 3.0
    assert seen[0].headers["User-Agent"] == f"harvester/{__version__} (mailto:me@example.org)"
    assert seen[0].url.host == "example.invalid"
