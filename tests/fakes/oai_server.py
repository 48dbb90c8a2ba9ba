"""A real OAI-PMH 2.0 repository on 127.0.0.1 for the tests: a threaded ``http.server`` on port 0.

It serves ``Identify`` and ``ListRecords`` (oai_dc, and marc21 for records that carry MARCXML)
from records the test constructs, with
``from``/``until``/``set`` filtering at the declared granularity, resumption tokens (stateless:
they encode the offset and the request, and a *generation* so the test can expire them all),
``noRecordsMatch``, and deleted records; ``ignore_dates`` makes it a repository that ignores
``from``/``until`` (some do) and lists everything. Faults are injected for the next ListRecords requests,
one per request: HTTP 503 with ``Retry-After``, 429, 500, a slow response, a response cut off
mid-body, malformed XML, ``badResumptionToken``, and a token that repeats itself.

Its clock (``now``, used for ``responseDate``) is set by the test, so "what is new since the last
harvest" does not depend on the wall clock.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from tests.fakes.local_http import LocalHTTP, QuietHandler

OAI_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ '
    'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n'
)


@dataclass
class FakeRecord:
    """One repository item; ``dc`` maps Dublin Core element names to lists of values."""

    identifier: str
    datestamp: str
    dc: dict[str, list[str]] = field(default_factory=dict)
    deleted: bool = False
    sets: tuple[str, ...] = ()
    marc: str | None = None  # a MARCXML <record> (served for metadataPrefix=marc21)

    def xml(self, prefix: str = "oai_dc") -> str:
        status = ' status="deleted"' if self.deleted else ""
        sets = "".join(f"<setSpec>{escape(s)}</setSpec>" for s in self.sets)
        header = (
            f"<header{status}><identifier>{escape(self.identifier)}</identifier>"
            f"<datestamp>{self.datestamp}</datestamp>{sets}</header>"
        )
        if self.deleted:
            return f"<record>{header}</record>"
        if prefix == "marc21":
            return f"<record>{header}<metadata>{self.marc}</metadata></record>"
        elements = "".join(
            f"<dc:{name}>{escape(value)}</dc:{name}>"
            for name, values in self.dc.items()
            for value in values
        )
        metadata = (
            '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"{elements}</oai_dc:dc>"
        )
        return f"<record>{header}<metadata>{metadata}</metadata></record>"


@dataclass
class Fault:
    """What to do to one ListRecords request instead of answering it normally.

    kind: ``503`` / ``429`` / ``500`` (with ``retry_after`` if given), ``slow`` (sleep ``seconds``
    first), ``cut`` (announce the whole body, send half, close), ``badxml``, ``badtoken``,
    ``loop`` (answer normally but hand back the request's own token).
    """

    kind: str
    retry_after: str | None = None
    seconds: float = 0.0


def _encode(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, sort_keys=True).encode()).decode()


def _decode(token: str) -> dict[str, Any] | None:
    try:
        return json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, UnicodeDecodeError):
        return None


class OAIServer:
    """Start with ``with OAIServer(records) as server:``; ``server.url`` is the base URL."""

    def __init__(
        self,
        records: list[FakeRecord] | None = None,
        *,
        page_size: int = 3,
        granularity: str = "YYYY-MM-DDThh:mm:ssZ",
        now: str = "2024-06-01T12:00:00Z",
    ) -> None:
        self.records = list(records or [])
        self.page_size = page_size
        self.granularity = granularity
        self.now = now
        self.delay = 0.0  # seconds before every ListRecords answer (slow repository)
        self.always_bad_xml = False
        self.ignore_dates = False  # a repository that lists everything whatever from/until say
        self.generation = 0  # bump to expire every token handed out
        self.faults: deque[Fault] = deque()
        self.log: list[dict[str, str]] = []  # the query of every request, in order
        self._lock = threading.Lock()
        self._http = LocalHTTP(self._handler())

    @property
    def url(self) -> str:
        return self._http.root + "/oai"

    def __enter__(self) -> OAIServer:
        self._http.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.stop()

    def inject(self, *faults: Fault) -> None:
        self.faults.extend(faults)

    def list_requests(self) -> list[dict[str, str]]:
        return [q for q in self.log if q.get("verb") == "ListRecords"]

    # -- answers ----------------------------------------------------------------------------

    def _wrap(self, query: dict[str, str], body: str) -> str:
        attributes = "".join(f' {k}="{escape(v)}"' for k, v in sorted(query.items()))
        return (
            f"{OAI_HEAD}<responseDate>{self.now}</responseDate>"
            f"<request{attributes}>{escape(self.url)}</request>{body}</OAI-PMH>"
        )

    def _error(self, query: dict[str, str], code: str, message: str) -> str:
        return self._wrap(query, f'<error code="{code}">{escape(message)}</error>')

    def identify(self, query: dict[str, str]) -> str:
        earliest = min((r.datestamp for r in self.records), default=self.now)
        return self._wrap(
            query,
            "<Identify><repositoryName>Fake repository</repositoryName>"
            f"<baseURL>{escape(self.url)}</baseURL><protocolVersion>2.0</protocolVersion>"
            f"<adminEmail>nobody@example.org</adminEmail><earliestDatestamp>{earliest}"
            "</earliestDatestamp><deletedRecord>persistent</deletedRecord>"
            f"<granularity>{self.granularity}</granularity></Identify>",
        )

    def _stamp(self, value: str) -> str:
        return value[:10] if self.granularity == "YYYY-MM-DD" else value

    def list_records(self, query: dict[str, str], fault: Fault | None) -> str:
        if "resumptionToken" in query:
            state = _decode(query["resumptionToken"])
            if state is None or state.get("generation") != self.generation:
                return self._error(query, "badResumptionToken", "expired or invalid token")
            if fault and fault.kind == "badtoken":
                return self._error(query, "badResumptionToken", "the token has expired")
        else:
            if query.get("metadataPrefix") not in ("oai_dc", "marc21"):
                return self._error(query, "cannotDisseminateFormat", "oai_dc and marc21 here")
            state = {
                "prefix": query["metadataPrefix"],
                "offset": 0,
                "from": query.get("from"),
                "until": query.get("until"),
                "set": query.get("set"),
                "generation": self.generation,
            }
        with self._lock:
            matched = [
                r
                for r in self.records
                if (
                    self.ignore_dates
                    or (
                        (not state["from"] or self._stamp(r.datestamp) >= state["from"])
                        and (not state["until"] or self._stamp(r.datestamp) <= state["until"])
                    )
                )
                and (not state["set"] or state["set"] in r.sets)
                and (state.get("prefix") != "marc21" or r.marc is not None or r.deleted)
            ]
        if not matched:
            return self._error(query, "noRecordsMatch", "nothing in this range")
        offset = state["offset"]
        page = matched[offset : offset + self.page_size]
        token = ""
        if fault and fault.kind == "loop" and "resumptionToken" in query:
            token = f"<resumptionToken>{query['resumptionToken']}</resumptionToken>"
        elif offset + self.page_size < len(matched):
            following = _encode(state | {"offset": offset + self.page_size})
            token = (
                f'<resumptionToken completeListSize="{len(matched)}" cursor="{offset}">'
                f"{following}</resumptionToken>"
            )
        elif offset > 0:
            token = f'<resumptionToken completeListSize="{len(matched)}" cursor="{offset}"/>'
        body = "".join(r.xml(state.get("prefix", "oai_dc")) for r in page)
        return self._wrap(query, f"<ListRecords>{body}{token}</ListRecords>")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            def _send(
                self, status: int, body: bytes, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                server.log.append(query)
                verb = query.get("verb")
                try:
                    if verb == "Identify":
                        self._send(200, server.identify(query).encode())
                        return
                    if verb != "ListRecords":
                        self._send(200, server._error(query, "badVerb", "no").encode())
                        return
                    fault = server.faults.popleft() if server.faults else None
                    if server.delay:
                        time.sleep(server.delay)
                    if fault and fault.kind in ("503", "429", "500"):
                        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                        self._send(int(fault.kind), b"busy", headers)
                        return
                    if fault and fault.kind == "slow":
                        time.sleep(fault.seconds)
                    if server.always_bad_xml or (fault and fault.kind == "badxml"):
                        self._send(200, b"<OAI-PMH><ListRecords><record>broken &")
                        return
                    body = server.list_records(query, fault).encode()
                    if fault and fault.kind == "cut":
                        self.send_response(200)
                        self.send_header("Content-Type", "text/xml; charset=utf-8")
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body[: len(body) // 2])
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    self._send(200, body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        return Handler


def dc_record(n: int, datestamp: str, **extra: list[str]) -> FakeRecord:
    """A distinct, realistic record number ``n`` (own DOI, so dedup keeps them apart)."""
    dc = {
        "title": [f"Harvested study {n} of renal clearance in cohort {n * 7919 % 10007}"],
        "creator": [f"Author{n}, Anna", "Second, Carl"],
        "date": [f"{2000 + n % 24}"],
        "identifier": [f"https://doi.org/10.5555/fake.{n}", f"https://repo.example.org/item/{n}"],
        "source": [f"Journal of Synthetic Results; Vol. {n % 40 + 1} No. 2 ({2000 + n % 24})"],
        "language": ["eng"],
        "type": ["info:eu-repo/semantics/article"],
    }
    dc.update(extra)
    return FakeRecord(f"oai:fake.example.org:{n}", datestamp, dc)
