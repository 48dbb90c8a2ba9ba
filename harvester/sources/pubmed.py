"""PMIDs and PMCIDs given to ``harvester add`` / ``parse``: their PubMed records, from NCBI's
E-utilities.

* PMIDs are fetched with ``efetch`` (``db=pubmed``, ``retmode=xml``), up to :data:`BATCH` per
  request (POST, as NCBI asks for long id lists), and read by the PubMed XML parser. Each
  article becomes its own input (``pmid:38767734``), so each is stored or failed on its own.
* PMCIDs are first mapped to PMIDs with ``elink`` (``dbfrom=pmc``, ``linkname=pmc_pubmed``, one
  ``id`` per PMCID so that each gets its own link set); a PMC article without a PubMed record
  is a failure naming it (its metadata is not fetched from PMC).
* Every request carries ``tool`` and, when configured, ``email`` (``HARVESTER_MAILTO``) and
  ``api_key`` (``HARVESTER_NCBI_API_KEY``), and requests are spaced to NCBI's limit: 3 a second
  without a key, 10 with one.
* 429 and 5xx answers and cut connections are retried with growing waits (``Retry-After`` when
  given); a refused connection, a timeout or a request still failing after its retries ends the
  PubMed part of the run: every id not yet fetched is named on one failure line. An id PubMed
  does not return is one failure line naming it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import httpx
from lxml import etree

from harvester.errors import NetworkError
from harvester.net.http import make_client
from harvester.net.retry import (
    RETRY_STATUS,
    RetriesExhausted,
    RetryPolicy,
    Transient,
    retry_after,
    with_retries,
)
from harvester.sources.inputs import Input
from records.errors import InputError, UnreadableInput
from records.identifiers import normalize_pmid
from records.xmlsafe import parse_xml_bytes

# NCBI: "more than about 200 UIDs" should be posted; 200 articles are about 4 MB of XML.
BATCH = 200
TOOL = "harvester"
# Requests per second NCBI allows without and with an API key.
RATE_WITHOUT_KEY = 3
RATE_WITH_KEY = 10
# Names listed in the one line that reports ids not fetched; the rest are counted.
_NAMED = 5


class PubMedUnavailable(NetworkError):
    """E-utilities could not be used for a request (unreachable, timed out, refused, or an
    answer that is not what it promises); one line."""


@dataclass(frozen=True, slots=True)
class SearchHistory:
    """An ``esearch`` result kept on NCBI's history server: how many, and where."""

    count: int
    webenv: str
    query_key: str


@dataclass(frozen=True, slots=True)
class Article:
    """One PubMed record: its PMID and its XML as a one-article ``PubmedArticleSet``."""

    pmid: str
    xml: bytes


def _message(response: httpx.Response) -> str:
    """What an E-utilities error answer says (JSON ``error`` or XML ``ERROR``), briefly."""
    text = response.text[:2000]
    try:
        error = json.loads(text).get("error")
        if error:
            return f": {str(error)[:200]}"
    except (ValueError, AttributeError):
        pass
    start = text.find("<ERROR>")
    if start >= 0:
        return f": {text[start + 7 : text.find('</ERROR>', start)][:200]}"
    return ""


class EUtilsClient:
    """The E-utilities endpoints harvester uses. ``sleep``/``clock`` let tests count the waits."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        mailto: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key or None
        self.mailto = mailto or None
        self.retry = retry or RetryPolicy(attempts=4, backoff=1.0, max_wait=60.0)
        # A little over 1/rate between request starts, so that no one-second window holds more.
        self.interval = 1.05 / (RATE_WITH_KEY if self.api_key else RATE_WITHOUT_KEY)
        self.sleep = sleep
        self.clock = clock
        self._next_start = 0.0
        self.http = make_client(
            base_url=self.base_url,
            mailto=self.mailto,
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            transport=transport,
            headers={"Accept": "text/xml, application/xml;q=0.9, */*;q=0.1"},
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> EUtilsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait_turn(self) -> None:
        now = self.clock()
        if now < self._next_start:
            self.sleep(self._next_start - now)
        self._next_start = max(now, self._next_start) + self.interval

    def _post(self, endpoint: str, data: dict[str, str | list[str]]) -> bytes:
        """POST to an endpoint with NCBI's identification; the body of the 200 answer."""
        data = {**data, "tool": TOOL}
        if self.mailto:
            data["email"] = self.mailto
        if self.api_key:
            data["api_key"] = self.api_key
        url = f"{self.base_url}/{endpoint}"

        def attempt(_number: int) -> bytes:
            self._wait_turn()
            try:
                response = self.http.post(url, data=data)
            except httpx.TimeoutException:
                raise PubMedUnavailable(f"PubMed did not answer in time ({url})") from None
            except httpx.ConnectError as exc:
                raise PubMedUnavailable(f"PubMed cannot be reached at {url} ({exc})") from None
            except httpx.TransportError as exc:  # reset, cut off mid-body: worth another try
                raise Transient(f"connection failed ({exc or type(exc).__name__})") from None
            if response.status_code == 200:
                return response.content
            status = f"HTTP {response.status_code}{_message(response)}"
            if response.status_code not in RETRY_STATUS:
                raise PubMedUnavailable(f"PubMed refused the request: {status} ({url})")
            raise Transient(status, retry_after(response))

        try:
            return with_retries(attempt, self.retry, sleep=self.sleep)
        except RetriesExhausted as stop:
            if stop.asked is not None:
                raise PubMedUnavailable(
                    f"PubMed asks to wait {stop.asked:.0f} s ({stop.last.reason}); try again later"
                ) from None
            raise PubMedUnavailable(
                f"PubMed failed {stop.attempts} times ({url}); last: {stop.last.reason}"
            ) from None

    def _xml(self, body: bytes, what: str) -> etree._Element:
        try:
            return parse_xml_bytes(body, f"PubMed {what}")
        except InputError as exc:
            raise PubMedUnavailable(f"PubMed answered {what} with broken XML ({exc})") from None

    def efetch(self, pmids: Sequence[str]) -> list[Article]:
        """The PubMed records of up to :data:`BATCH` PMIDs (those PubMed has), in its order."""
        return self._articles(
            self._post("efetch.fcgi", {"db": "pubmed", "retmode": "xml", "id": ",".join(pmids)})
        )

    def _articles(self, body: bytes) -> list[Article]:
        root = self._xml(body, "efetch")
        if root.tag != "PubmedArticleSet":
            error = root.findtext(".//ERROR")
            if error is not None:
                # e.g. "Empty id list - nothing todo": NCBI's way of saying none exist.
                return []
            raise PubMedUnavailable(f"PubMed answered efetch with <{root.tag!s}>, not PubMed XML")
        articles = []
        for element in root:
            if element.tag not in ("PubmedArticle", "PubmedBookArticle"):
                continue
            pmid = normalize_pmid(
                element.findtext("MedlineCitation/PMID") or element.findtext("BookDocument/PMID")
            )
            if pmid is None:
                continue
            xml = (
                b'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n'
                + etree.tostring(element, encoding="utf-8", xml_declaration=False, with_tail=False)
                + b"\n</PubmedArticleSet>\n"
            )
            articles.append(Article(pmid, xml))
        return articles

    def esearch(
        self, term: str, *, mindate: str, maxdate: str, datetype: str = "edat"
    ) -> SearchHistory:
        """Search PubMed for ``term`` between two dates (``YYYY/MM/DD``, inclusive), keeping
        the result on NCBI's history server (``usehistory=y``) for :meth:`efetch_history`."""
        root = self._xml(
            self._post(
                "esearch.fcgi",
                {
                    "db": "pubmed",
                    "term": term,
                    "datetype": datetype,
                    "mindate": mindate,
                    "maxdate": maxdate,
                    "usehistory": "y",
                    "retmax": "0",
                },
            ),
            "esearch",
        )
        error = root.findtext("ERROR")
        if root.tag != "eSearchResult" or error:
            why = f": {error.strip()[:200]}" if error else f" with <{root.tag!s}>"
            raise PubMedUnavailable(f"PubMed answered esearch{why}")
        count = (root.findtext("Count") or "").strip()
        webenv = (root.findtext("WebEnv") or "").strip()
        query_key = (root.findtext("QueryKey") or "").strip()
        if not count.isdigit() or (int(count) and not (webenv and query_key)):
            raise PubMedUnavailable("PubMed answered esearch without a count and a history")
        return SearchHistory(int(count), webenv, query_key)

    def efetch_history(self, history: SearchHistory, retstart: int, retmax: int) -> list[Article]:
        """Records ``retstart`` .. ``retstart + retmax - 1`` of a search kept on the history
        server, as PubMed XML."""
        return self._articles(
            self._post(
                "efetch.fcgi",
                {
                    "db": "pubmed",
                    "retmode": "xml",
                    "WebEnv": history.webenv,
                    "query_key": history.query_key,
                    "retstart": str(retstart),
                    "retmax": str(retmax),
                },
            )
        )

    def pmc_to_pubmed(self, pmcids: Sequence[str]) -> dict[str, str]:
        """PMCID -> PMID for up to :data:`BATCH` PMCIDs (those with a PubMed record)."""
        numbers = [pmcid.removeprefix("PMC") for pmcid in pmcids]
        root = self._xml(
            self._post(
                "elink.fcgi",
                {"dbfrom": "pmc", "db": "pubmed", "linkname": "pmc_pubmed", "id": numbers},
            ),
            "elink",
        )
        if root.tag != "eLinkResult":
            raise PubMedUnavailable(f"PubMed answered elink with <{root.tag!s}>, not eLinkResult")
        linked: dict[str, str] = {}
        for link_set in root.iterfind("LinkSet"):
            source = (link_set.findtext("IdList/Id") or "").strip()
            for link_db in link_set.iterfind("LinkSetDb"):
                if (link_db.findtext("LinkName") or "").strip() != "pmc_pubmed":
                    continue
                pmid = normalize_pmid(link_db.findtext("Link/Id"))
                if source and pmid:
                    linked[f"PMC{int(source)}"] = pmid
        return linked


def origin_of(identifier: str) -> str:
    """How an id names its input: ``pmid:38767734``, ``pmcid:PMC1234567``."""
    return f"pmcid:{identifier}" if identifier.startswith("PMC") else f"pmid:{identifier}"


def _not_fetched(origins: Sequence[str], reason: str) -> Input:
    named = ", ".join(origins[:_NAMED])
    if len(origins) > _NAMED:
        named += f" and {len(origins) - _NAMED} more"
    return Input(named, error=UnreadableInput(named, f"not fetched: {reason}"))


def pubmed_inputs(client: EUtilsClient, identifiers: Sequence[str]) -> Iterator[Input]:
    """One input per PMID (``38767734``) or PMCID (``PMC1234567``) in ``identifiers``, in their
    order (repeats and ids naming the same article once): the article's PubMed XML, or a
    failure naming the id. If PubMed cannot be used, the ids not yet fetched are one failure."""
    wanted = list(dict.fromkeys(identifiers))
    pmcids = [i for i in wanted if i.startswith("PMC")]
    linked: dict[str, str] = {}
    try:
        for start in range(0, len(pmcids), BATCH):
            linked.update(client.pmc_to_pubmed(pmcids[start : start + BATCH]))
    except PubMedUnavailable as exc:
        yield _not_fetched([origin_of(i) for i in wanted], str(exc))
        return
    # (origin, PMID or None) in order; an article asked for twice is fetched and given once.
    plan: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for identifier in wanted:
        pmid = linked.get(identifier) if identifier.startswith("PMC") else identifier
        if pmid is not None and pmid in seen:
            continue
        if pmid is not None:
            seen.add(pmid)
        plan.append((origin_of(identifier), pmid))
    done = 0
    while done < len(plan):
        batch: list[tuple[str, str | None]] = []
        count = 0
        while done + len(batch) < len(plan) and count < BATCH:
            item = plan[done + len(batch)]
            batch.append(item)
            count += item[1] is not None
        try:
            found = (
                {a.pmid: a.xml for a in client.efetch([p for _, p in batch if p is not None])}
                if count
                else {}
            )
        except PubMedUnavailable as exc:
            yield _not_fetched([origin for origin, _ in plan[done:]], str(exc))
            return
        for origin, pmid in batch:
            if pmid is None:
                reason = "no PubMed record for this PMC article"
                yield Input(origin, error=UnreadableInput(origin, reason))
            elif pmid in found:
                yield Input(origin, found[pmid], format="pubmed-xml")
            else:
                reason = "PubMed has no record with this PMID"
                yield Input(origin, error=UnreadableInput(origin, reason))
        done += len(batch)


__all__ = [
    "BATCH",
    "Article",
    "EUtilsClient",
    "PubMedUnavailable",
    "SearchHistory",
    "origin_of",
    "pubmed_inputs",
]
