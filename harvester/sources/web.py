"""One web address given to ``harvester add`` / ``parse``: fetched, then read like a file.

The page (or a ``.bib``/``.ris`` served as text) goes through the same detection as a file:
a record page to the page layouts and the embedded-metadata parser, an export to its parser.
What can go wrong becomes one line naming the address: an HTTP error status, a timeout, a
refused connection, content that is no text (a PDF, an image), a body over :data:`MAX_BYTES`.
What may pass (429, 502, 503, 504 with their ``Retry-After``, refused or cut connections,
timeouts) is tried again, a few times, within the same overall timeout
(:func:`fetch_if_changed`, on :mod:`harvester.net.retry`). Redirects are followed (httpx's limit
of 20). The bytes are handed on as UTF-8 when the server's ``Content-Type`` charset (or the
page's own declaration) says what they are in (:func:`records.decoding.to_utf8`). ``harvester
sync``'s ``url`` sources are fetched here too, conditionally.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from harvester.net.retry import (
    WEB_RETRY_STATUS,
    RetriesExhausted,
    RetryPolicy,
    Transient,
    retry_after,
    with_retries,
)
from records.decoding import declared_charset, to_utf8
from records.errors import UnreadableInput

# Larger than any record page and than most exports people put on the web (about 100,000
# BibTeX records); a body past it is refused, not truncated.
MAX_BYTES = 50 * 1024 * 1024
# What a browser asks for, minus images: pages first, then exports of any kind.
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
# Answers worth another try: rate-limited, or a gateway or the server busy for a moment. A
# page's own 500 (or 408) is what the next attempt gets too, and is reported at once. (The one
# set of retried statuses for pages lives beside the API one in harvester.net.retry.)
RETRY_STATUS = WEB_RETRY_STATUS
# Three attempts, 0.5 s then 1 s apart (or what Retry-After says), all within the timeout.
RETRY = RetryPolicy(attempts=3, backoff=0.5, max_wait=60.0)

# Media types that are never a bibliographic text, for a clear message before the bytes
# would be refused as binary anyway. Anything else (text/*, XML, JSON, application/x-bibtex,
# application/x-research-info-systems, application/octet-stream...) goes to detection.
_NOT_TEXT_MAJOR = {"image", "audio", "video", "font", "model"}
_NOT_TEXT = {
    "application/pdf",
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/x-tar",
    "application/x-7z-compressed",
    "application/x-rar-compressed",
    "application/vnd.rar",
    "application/x-bzip2",
    "application/msword",
    "application/epub+zip",
    "application/postscript",
    "application/x-msdownload",
    "application/wasm",
}
_NOT_TEXT_PREFIXES = (
    "application/vnd.openxmlformats",
    "application/vnd.oasis",
)


def _media_type(header: str) -> tuple[str, str | None]:
    """``text/html; charset=ISO-8859-2`` -> (``text/html``, ``ISO-8859-2``)."""
    kind, _, parameters = header.partition(";")
    charset = None
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return kind.strip().lower(), charset


def _is_text(media_type: str) -> bool:
    major = media_type.partition("/")[0]
    return not (
        major in _NOT_TEXT_MAJOR
        or media_type in _NOT_TEXT
        or media_type.startswith(_NOT_TEXT_PREFIXES)
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


@dataclass(frozen=True, slots=True)
class Fetched:
    """What an address gave: its bytes (UTF-8 when their charset is known), or ``None`` when
    the server said they did not change since ``etag`` / ``last_modified`` (HTTP 304); the
    answer's own ``ETag`` and ``Last-Modified``, to ask with next time."""

    data: bytes | None
    etag: str | None = None
    last_modified: str | None = None


def fetch(
    client: httpx.Client,
    url: str,
    *,
    timeout: float = 30.0,
    max_bytes: int = MAX_BYTES,
    retry: RetryPolicy = RETRY,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """The bytes at ``url`` (UTF-8 when their charset is known), or :class:`UnreadableInput`
    naming ``url`` and why. ``timeout`` bounds the whole answer, retries included, not only
    each read: a server that trickles bytes is given up on too. See :func:`fetch_if_changed`."""
    data = fetch_if_changed(
        client, url, timeout=timeout, max_bytes=max_bytes, retry=retry, sleep=sleep
    ).data
    assert data is not None  # nothing was asked conditionally
    return data


def fetch_if_changed(
    client: httpx.Client,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 30.0,
    max_bytes: int = MAX_BYTES,
    retry: RetryPolicy = RETRY,
    sleep: Callable[[float], None] = time.sleep,
    before_attempt: Callable[[], None] | None = None,
) -> Fetched:
    """:func:`fetch`, asking with ``If-None-Match: etag`` / ``If-Modified-Since:
    last_modified`` when given (a 304 answer is ``Fetched(None)``), and returning the answer's
    validators.

    Transient failures are tried again (:data:`RETRY_STATUS`, refused or cut connections,
    timeouts) under ``retry``, all within ``timeout`` (see :func:`_share` for how an attempt's
    waits are bounded); no wait reaches past the deadline, and a ``Retry-After`` longer
    than the time left (or than ``retry.max_wait``) ends the fetch at once, saying so.
    ``sleep`` and ``before_attempt`` are hooks (tests record the waits; a sync renews its
    lease)."""
    headers = {"Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    conditional = bool(etag or last_modified)
    deadline = time.monotonic() + timeout
    timed_out = f"timed out: no complete answer within {timeout:g} s"

    def attempt(number: int) -> Fetched:
        share = _share(client.timeout, deadline - time.monotonic(), retry.attempts - number + 1)
        try:
            with client.stream("GET", url, headers=headers, timeout=share) as response:
                return _answer(response, url, deadline, max_bytes, conditional)
        except httpx.TimeoutException:
            raise Transient(timed_out) from None
        except httpx.ConnectError as exc:
            raise Transient(f"cannot connect ({exc or 'connection refused'})") from None
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:  # reset, cut off
            raise Transient(f"connection failed ({exc or type(exc).__name__})") from None

    try:
        return with_retries(
            attempt, retry, sleep=sleep, deadline=deadline, before_attempt=before_attempt
        )
    except RetriesExhausted as stop:
        reason = stop.last.reason
        if stop.asked is not None:
            limit = (
                f"more than the {timeout:g} s timeout leaves"
                if stop.left is not None
                else f"longer than harvester waits ({retry.max_wait:g} s)"
            )
            reason += f"; the server asks to wait {stop.asked:.0f} s, {limit}"
        elif stop.attempts > 1:
            reason += f" ({stop.attempts} attempts)"
    except httpx.TooManyRedirects:
        reason = "too many redirects"
    except httpx.UnsupportedProtocol as exc:
        reason = f"redirected to an address that is not http(s) ({exc})"
    except httpx.DecodingError as exc:
        reason = f"the answer cannot be decoded ({exc or 'bad Content-Encoding'})"
    except (httpx.TransportError, httpx.InvalidURL) as exc:
        reason = f"connection failed ({exc or type(exc).__name__})"
    raise UnreadableInput(url, reason)


def _share(configured: httpx.Timeout, left: float, attempts_left: int) -> httpx.Timeout:
    """The client's timeouts for one attempt. Connecting may take this attempt's share of the
    time left (the time left over the attempts left): a lost SYN or a restarting server is
    where another quick try helps. Waiting for the answer may take all the time left: a slow
    catalog page that answers within the timeout must not be cut short to keep time for
    retries it does not need."""
    left = max(left, 0.001)
    share = max(left / max(attempts_left, 1), 0.001)

    def capped(value: float | None, limit: float) -> float:
        return limit if value is None else min(value, limit)

    return httpx.Timeout(
        connect=capped(configured.connect, share),
        read=capped(configured.read, left),
        write=capped(configured.write, left),
        pool=capped(configured.pool, left),
    )


def _answer(
    response: httpx.Response, url: str, deadline: float, max_bytes: int, conditional: bool
) -> Fetched:
    """A good answer's body and validators; :class:`Transient` for a status worth another try;
    :class:`UnreadableInput` for an error status, content that is no text, or a body over
    ``max_bytes``."""
    status = response.status_code
    etag = response.headers.get("ETag")
    last_modified = response.headers.get("Last-Modified")
    if status == 304 and conditional:
        return Fetched(None, etag, last_modified)
    if status >= 400:
        reason = f"HTTP {status} {response.reason_phrase or ''}".rstrip()
        if status in RETRY_STATUS:
            raise Transient(reason, retry_after(response))
        raise UnreadableInput(url, reason)
    media_type, charset = _media_type(response.headers.get("Content-Type", ""))
    if media_type and not _is_text(media_type):
        raise UnreadableInput(
            url,
            f"served as {media_type}, not as text: harvester reads web pages and text "
            "exports (BibTeX, RIS, ...), not documents or images",
        )
    too_large = f"too large: more than {_megabytes(max_bytes)}"
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise UnreadableInput(
            url, f"too large: {_megabytes(int(length))} (at most {_megabytes(max_bytes)})"
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise UnreadableInput(url, too_large)
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the whole answer took too long")
        chunks.append(chunk)
    data = b"".join(chunks)
    return Fetched(to_utf8(data, charset or declared_charset(data)), etag, last_modified)


__all__ = [
    "ACCEPT",
    "MAX_BYTES",
    "RETRY",
    "RETRY_STATUS",
    "Fetched",
    "fetch",
    "fetch_if_changed",
]
