"""An OAI-PMH 2.0 client for incremental harvesting: Identify and ListRecords, one page at a time.

What it takes care of (the failure modes other harvesters' users report, see
``shared/reference/peers.md`` §1b and §3.14):

* retries with exponential backoff on 503 (``Retry-After`` honoured, in seconds or as an
  HTTP date), 429, other 5xx, timeouts and cut-off responses (the loop and the policy are
  :mod:`harvester.net.retry`'s); a server asking for a longer wait than the policy allows ends
  the attempt instead of holding a cron slot for an hour;
* OAI-PMH ``<error>``: ``noRecordsMatch`` is an empty, complete list; ``badResumptionToken``
  is :class:`BadResumptionToken` (the caller restarts the list); the others are
  :class:`OAIError` naming the code;
* XML parsed safely (no DTD, no entities, no network, no huge trees), from pages of at most
  :data:`MAX_PAGE_BYTES`;

Paging is left to the caller (:mod:`harvester.ops.sync`), which commits each page before asking
for the next and so can checkpoint, detect token loops and bound empty pages.
Hand-written on httpx + lxml rather than Sickle: Sickle uses requests, retries only on
configured status codes with a fixed fallback wait, and iterates records, hiding the pages
that must be committed one by one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from lxml import etree

from harvester.errors import SourceFailed
from harvester.net.http import make_client
from harvester.net.retry import (
    RETRY_STATUS,
    RetriesExhausted,
    RetryPolicy,
    Transient,
    retry_after,
    with_retries,
)
from records.errors import InputError
from records.xmlsafe import parse_xml_bytes

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
# The largest page read: repositories send tens to hundreds of records a page (a few MB); a page
# past this is refused rather than held in memory.
MAX_PAGE_BYTES = 64 * 2**20
_NS = f"{{{OAI_NS}}}"


class OAIError(SourceFailed):
    """The repository answered with an OAI-PMH ``<error code="...">``."""

    def __init__(self, origin: str, code: str, message: str) -> None:
        self.code = code
        super().__init__(f"{origin}: OAI-PMH error {code}: {message or 'no message'}")


class BadResumptionToken(OAIError):
    """The resumption token expired or was never valid."""


@dataclass(frozen=True, slots=True)
class Identity:
    repository_name: str
    granularity: str  # "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ssZ"
    earliest_datestamp: str | None
    response_date: str | None = None  # the repository's clock when it answered


@dataclass(slots=True)
class OAIRecord:
    identifier: str
    datestamp: str
    deleted: bool
    metadata: etree._Element | None  # the one element inside <metadata>


@dataclass(slots=True)
class Page:
    records: list[OAIRecord] = field(default_factory=list)
    token: str | None = None  # None: the list is complete
    response_date: str | None = None
    complete_list_size: int | None = None


def format_datestamp(value: str, granularity: str) -> str:
    """A UTC datestamp (either granularity) written at the repository's granularity."""
    day = value[:10]
    if granularity.startswith("YYYY-MM-DDThh"):
        if len(value) > 10:
            return value if value.endswith("Z") else value + "Z"
        return f"{day}T00:00:00Z"
    return day


def get_with_retries(
    client: httpx.Client,
    url: str,
    *,
    name: str,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    before_request: Callable[[], None] | None = None,
    on_retry: Callable[[], None] | None = None,
    accept: frozenset[int] = frozenset({200}),
    max_bytes: int = MAX_PAGE_BYTES,
) -> httpx.Response:
    """GET ``url`` until a status in ``accept`` comes back, retrying what is worth retrying
    (see the module docstring); raises :class:`SourceFailed` naming ``name`` otherwise, and for
    an accepted answer over ``max_bytes`` (read no further: memory stays bounded)."""
    policy = policy or RetryPolicy()

    def attempt(_number: int) -> httpx.Response:
        try:
            with client.stream("GET", url, params=params, headers=headers) as streamed:
                response = streamed
                if streamed.status_code in accept:  # (an error's body is never read)
                    response = httpx.Response(
                        streamed.status_code,
                        headers=streamed.headers,
                        content=_read_capped(streamed, name, url, max_bytes),
                        request=streamed.request,
                    )
        except httpx.TimeoutException:
            raise Transient("timed out") from None
        except httpx.TransportError as exc:  # refused, reset, cut off mid-body
            raise Transient(f"connection failed ({exc or type(exc).__name__})") from None
        status = response.status_code
        if status in accept:
            return response
        if status not in RETRY_STATUS:
            raise SourceFailed(f"{name}: HTTP {status} from {url}")
        raise Transient(f"HTTP {status}", retry_after(response))

    try:
        return with_retries(
            attempt, policy, sleep=sleep, before_attempt=before_request, on_retry=on_retry
        )
    except RetriesExhausted as stop:
        if stop.asked is not None:
            raise SourceFailed(
                f"{name}: {url} asks to wait {stop.asked:.0f} s ({stop.last.reason});"
                " giving up until the next run"
            ) from None
        raise SourceFailed(
            f"{name}: {url} failed {stop.attempts} times; last: {stop.last.reason}"
        ) from None


def _read_capped(response: httpx.Response, name: str, url: str, limit: int) -> bytes:
    """The body, unless it passes ``limit`` bytes (then not read further)."""
    length = response.headers.get("Content-Length", "")
    too_large = f"{name}: the answer from {url} is larger than {limit // 2**20} MB; not read"
    if length.isdigit() and int(length) > limit:
        raise SourceFailed(too_large)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise SourceFailed(too_large)
        chunks.append(chunk)
    return b"".join(chunks)


class OAIClient:
    """One repository's OAI-PMH endpoint. ``name`` labels every message (the source's name).

    ``sleep`` and ``before_request`` are hooks: tests record the waits instead of sleeping,
    and the sync renews its lease before each request.
    """

    def __init__(
        self,
        base_url: str,
        *,
        name: str | None = None,
        client: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        before_request: Callable[[], None] | None = None,
    ) -> None:
        self.base_url = base_url
        self.name = name or base_url
        self._own_client = client is None
        self.client = client or make_client(
            timeout=timeout, headers={"Accept": "text/xml, application/xml"}
        )
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.before_request = before_request
        self.requests = 0
        self.retries = 0

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> OAIClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests ---------------------------------------------------------------------------

    def _fetch(self, params: dict[str, str]) -> bytes:
        """The body of a successful response, after bounded retries."""
        response = get_with_retries(
            self.client,
            self.base_url,
            params=params,
            name=self.name,
            policy=self.retry,
            sleep=self.sleep,
            before_request=self._before_request,
            on_retry=self._count_retry,
        )
        return response.content

    def _before_request(self) -> None:
        self.requests += 1
        if self.before_request:
            self.before_request()

    def _count_retry(self) -> None:
        self.retries += 1

    def _request(self, params: dict[str, str]) -> etree._Element:
        data = self._fetch(params)
        try:
            root = parse_xml_bytes(data, self.name)
        except InputError as exc:
            raise SourceFailed(f"{self.name}: bad OAI-PMH response: {exc.reason}") from None
        if root.tag != f"{_NS}OAI-PMH":
            raise SourceFailed(f"{self.name}: not an OAI-PMH response (root <{root.tag!s}>)")
        for error in root.iterchildren(f"{_NS}error"):
            code = error.get("code", "unknown")
            message = " ".join((error.text or "").split())
            if code == "badResumptionToken":
                raise BadResumptionToken(self.name, code, message)
            if code == "noRecordsMatch":
                continue  # handled by the caller as an empty list
            raise OAIError(self.name, code, message)
        return root

    # -- verbs ------------------------------------------------------------------------------

    def identify(self) -> Identity:
        root = self._request({"verb": "Identify"})
        identify = root.find(f"{_NS}Identify")
        if identify is None:
            raise SourceFailed(f"{self.name}: Identify response without <Identify>")
        granularity = (identify.findtext(f"{_NS}granularity") or "YYYY-MM-DD").strip()
        return Identity(
            repository_name=(identify.findtext(f"{_NS}repositoryName") or "").strip(),
            granularity=granularity,
            earliest_datestamp=(identify.findtext(f"{_NS}earliestDatestamp") or "").strip() or None,
            response_date=(root.findtext(f"{_NS}responseDate") or "").strip() or None,
        )

    def list_records(
        self,
        metadata_prefix: str,
        *,
        from_: str | None = None,
        until: str | None = None,
        set_spec: str | None = None,
    ) -> Page:
        """The first page of a ListRecords list."""
        params = {"verb": "ListRecords", "metadataPrefix": metadata_prefix}
        if from_:
            params["from"] = from_
        if until:
            params["until"] = until
        if set_spec:
            params["set"] = set_spec
        return self._page(self._request(params))

    def resume(self, token: str) -> Page:
        """The page after the one that gave ``token``."""
        return self._page(self._request({"verb": "ListRecords", "resumptionToken": token}))

    def _page(self, root: etree._Element) -> Page:
        page = Page(response_date=(root.findtext(f"{_NS}responseDate") or "").strip() or None)
        listing = root.find(f"{_NS}ListRecords")
        if listing is None:  # noRecordsMatch: an empty, complete list
            return page
        for record in listing.iterchildren(f"{_NS}record"):
            header = record.find(f"{_NS}header")
            if header is None:
                continue
            identifier = (header.findtext(f"{_NS}identifier") or "").strip()
            if not identifier:
                continue
            metadata = record.find(f"{_NS}metadata")
            payload = None
            if metadata is not None:
                payload = next(metadata.iterchildren(etree.Element), None)
            page.records.append(
                OAIRecord(
                    identifier=identifier,
                    datestamp=(header.findtext(f"{_NS}datestamp") or "").strip(),
                    deleted=header.get("status") == "deleted",
                    metadata=payload,
                )
            )
        token = listing.find(f"{_NS}resumptionToken")
        if token is not None:
            page.token = (token.text or "").strip() or None  # empty token: the last page
            size = token.get("completeListSize")
            page.complete_list_size = int(size) if size and size.isdigit() else None
        return page


__all__ = [
    "BadResumptionToken",
    "Identity",
    "OAIClient",
    "OAIError",
    "OAIRecord",
    "Page",
    "RetryPolicy",
    "SourceFailed",
    "format_datestamp",
    "get_with_retries",
]
