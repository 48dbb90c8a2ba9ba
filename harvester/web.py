"""One web address given to ``harvester add`` / ``parse``: fetched, then read like a file.

The page (or a ``.bib``/``.ris`` served as text) goes through the same detection as a file:
a record page to the page layouts and the embedded-metadata parser, an export to its parser.
What can go wrong becomes one line naming the address: an HTTP error status, a timeout, a
refused connection, content that is no text (a PDF, an image), a body over :data:`MAX_BYTES`.
Redirects are followed (httpx's limit of 20). The bytes are handed on as UTF-8 when the
server's ``Content-Type`` charset (or the page's own declaration) says what they are in
(:func:`records.decoding.to_utf8`).
"""

from __future__ import annotations

import time

import httpx

from records.decoding import declared_charset, to_utf8
from records.errors import UnreadableInput

# Larger than any record page and than most exports people put on the web (about 100,000
# BibTeX records); a body past it is refused, not truncated.
MAX_BYTES = 50 * 1024 * 1024
# What a browser asks for, minus images: pages first, then exports of any kind.
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"

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


def fetch(
    client: httpx.Client, url: str, *, timeout: float = 30.0, max_bytes: int = MAX_BYTES
) -> bytes:
    """The bytes at ``url`` (UTF-8 when their charset is known), or :class:`UnreadableInput`
    naming ``url`` and why. ``timeout`` bounds the whole answer, not only each read: a server
    that trickles bytes is given up on too."""
    deadline = time.monotonic() + timeout
    try:
        with client.stream("GET", url, headers={"Accept": ACCEPT}) as response:
            data, charset = _body(response, url, deadline, max_bytes)
    except httpx.TimeoutException:
        reason = f"timed out: no complete answer within {timeout:g} s"
    except httpx.TooManyRedirects:
        reason = "too many redirects"
    except httpx.UnsupportedProtocol as exc:
        reason = f"redirected to an address that is not http(s) ({exc})"
    except httpx.ConnectError as exc:
        reason = f"cannot connect ({exc or 'connection refused'})"
    except (httpx.TransportError, httpx.InvalidURL) as exc:
        reason = f"connection failed ({exc or type(exc).__name__})"
    else:
        return to_utf8(data, charset or declared_charset(data))
    raise UnreadableInput(url, reason)


def _body(
    response: httpx.Response, url: str, deadline: float, max_bytes: int
) -> tuple[bytes, str | None]:
    """The body of a good answer and its declared charset; :class:`UnreadableInput` for an
    error status, content that is no text, or a body over ``max_bytes``."""
    if response.status_code >= 400:
        phrase = response.reason_phrase or ""
        raise UnreadableInput(url, f"HTTP {response.status_code} {phrase}".rstrip())
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
    return b"".join(chunks), charset


__all__ = ["ACCEPT", "MAX_BYTES", "fetch"]
