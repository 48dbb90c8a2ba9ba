"""PubMed XML and EndNote XML read a piece at a time (``read_pieces``) give exactly what the
whole-text reader gives: the same records (CSL, place, verbatim XML), the same failures at the
same places, whatever the piece boundaries (inside tags, entities, multi-byte characters, the
XML declaration, the DOCTYPE); broken and hostile documents included. And the tree does not
grow with the document (issue 17)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from records.decoding import decode
from records.model import Failure, ParseResult, Record
from records.parsers import get_parser, iter_parse_stream, parse_bytes
from records.parsers.base import StreamingParser, collect
from records.parsers.endnote_xml import ENDNOTE_XML
from records.parsers.pubmed_xml import PUBMED_XML
from records.parsers.xml_records import _body, _record_elements
from tests.conftest import FIXTURES
from tests.records.test_xmlsafe import BILLION_LAUGHS, EXTERNAL_ENTITY

FORMATS = ("pubmed-xml", "endnote-xml")
FORMAT_OF = {"pubmed-xml": PUBMED_XML, "endnote-xml": ENDNOTE_XML}
DATA = Path(__file__).resolve().parents[2] / "data"

_ARTICLE = """<PubmedArticle>
 <MedlineCitation Status="MEDLINE"><PMID Version="1">{pmid}</PMID>
  <Article><Journal><ISSN IssnType="Electronic">1234-5679</ISSN><JournalIssue><Volume>4</Volume>
   <PubDate><Year>2019</Year><Month>Sep</Month></PubDate></JournalIssue>
   <Title>Zeitschrift für Ökologie</Title></Journal>
   <ArticleTitle>Étude n° {pmid} des sols &amp; de l'eau — 水文 <i>in situ</i></ArticleTitle>
   <AuthorList><Author><LastName>Müller</LastName><ForeName>Jörg</ForeName></Author></AuthorList>
  </Article></MedlineCitation>
 <PubmedData><ArticleIdList><ArticleId IdType="doi">10.1000/x{pmid}</ArticleId></ArticleIdList>
 </PubmedData></PubmedArticle>
"""
_PROLOG = (
    '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PubmedArticleSet PUBLIC '
    '"-//NLM//DTD PubMedArticle, 1st January 2019//EN" "https://dtd.invalid/pubmed_190101.dtd">\n'
)
PUBMED_SET = (
    _PROLOG
    + "<PubmedArticleSet>\n"
    + "".join(_ARTICLE.format(pmid=p) for p in ("101", "102", "103"))
    + "<PubmedArticle><MedlineCitation><Article/></MedlineCitation></PubmedArticle>\n"
    + "<!-- a comment --><DeleteCitation><PMID>9</PMID></DeleteCitation>\n"
    + "<PubmedBookArticle><BookDocument><PMID>555</PMID><Book><BookTitle>Manual &#233;"
    "</BookTitle></Book></BookDocument></PubmedBookArticle>\n</PubmedArticleSet>\n"
)
ENDNOTE = (
    '<?xml version="1.0" encoding="UTF-8"?><xml><records>'
    + "".join(
        f'<record><rec-number>{n}</rec-number><ref-type name="Journal Article">17</ref-type>'
        f"<contributors><authors><author><style>Dubois, Cl\u00e9ire</style></author></authors>"
        f"</contributors><titles><title><style>Titre {n} \U0001f9ea &lt;b&gt;</style></title>"
        "</titles></record>\n"
        for n in range(1, 4)
    )
    + "<record><rec-number>4</rec-number></record>"
    # a record inside a record: both are records, the outer one first
    + "<record><rec-number>5</rec-number><titles><title>Outer</title></titles><notes>"
    "<record><rec-number>6</rec-number><titles><title>Inner</title></titles></record>"
    "</notes></record></records></xml>\n"
)
# Documents the streamed reader must refuse or fail exactly as the whole-text reader does.
BROKEN = {
    "truncated": PUBMED_SET[: len(PUBMED_SET) * 2 // 3],
    "mismatched": PUBMED_SET.replace("</ArticleTitle>", "</Title>", 2),
    "undeclared entity": PUBMED_SET.replace("&amp;", "&nbsp;", 1),
    "entity declared": BILLION_LAUGHS,
    "external entity": EXTERNAL_ENTITY,
    "empty": "",
    "no root": '<?xml version="1.0"?>\n',
    "two roots": ENDNOTE + "<xml/>",
    "undeclared prefix": ENDNOTE.replace("<title>", "<z:title>").replace("</title>", "</z:title>"),
    "bad character reference": ENDNOTE.replace("&lt;b&gt;", "&#12;"),
}
SAMPLES = {
    "pubmed set": PUBMED_SET,
    "endnote": ENDNOTE,
    "bare citation": '<?xml version="1.0"?>\n<MedlineCitation><PMID>77</PMID><Article>'
    "<ArticleTitle>Bare</ArticleTitle></Article></MedlineCitation>\n",
    "one article": _ARTICLE.format(pmid="88"),
    # no DOCTYPE: read (the streamed reader reads it whole, to the same records)
    "entity word in a comment": ENDNOTE.replace("<xml>", "<!-- <!ENTITY --><xml>"),
    **BROKEN,
}


def _fixture_texts() -> list[tuple[str, str]]:
    found = []
    for folder in (DATA, FIXTURES):
        for path in sorted(folder.rglob("*.xml")):
            try:
                found.append((str(path.relative_to(folder.parent)), decode(path.read_bytes(), "x")))
            except Exception:  # undecodable: no reader sees it
                continue
    return found


FIXTURE_TEXTS = _fixture_texts()


def _seen(items: Iterator[Record | Failure]) -> tuple[list[Any], list[Any]]:
    result = collect(items)
    records = [(r.csl, r.source, r.raw, r.issn_kinds) for r in result.records]
    failures = [(f.origin, f.reason, f.record, f.line) for f in result.failures]
    return records, failures


def _parser(fmt: str) -> StreamingParser:
    parser = get_parser(fmt)
    assert isinstance(parser, StreamingParser) and parser.streams
    return parser


def _pieces(text: str, cuts: list[int]) -> Callable[[], Iterator[str]]:
    bounds = [0, *sorted(set(cuts)), len(text)]
    pieces = [text[a:b] for a, b in pairwise(bounds)]
    return lambda: iter(pieces)


def test_the_samples_are_read_by_both_formats_and_fail_as_meant() -> None:
    """The comparisons below are not vacuous: the samples give records, and failures."""
    pubmed = _parser("pubmed-xml").parse(PUBMED_SET, "x")
    assert [r.source.id for r in pubmed.records] == ["101", "102", "103", "555"]
    assert [(f.record, f.line) for f in pubmed.failures] == [(4, 34)]
    endnote = _parser("endnote-xml").parse(ENDNOTE, "x")
    assert [r.source.id for r in endnote.records] == ["1", "2", "3", "5", "6"]
    assert [f.record for f in endnote.failures] == [4]
    for name, text in BROKEN.items():
        result = _parser("endnote-xml").parse(text, "x")
        if name == "undeclared prefix":  # read past, as SRU responses need
            assert result.records
            continue
        assert not result.records and len(result.failures) == 1, name


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_cut_of_the_samples_reads_as_the_whole(fmt: str, name: str) -> None:
    """Cut at every position in turn (two pieces), and in pieces of one character."""
    text, parser = SAMPLES[name], _parser(fmt)
    whole = _seen(parser.read(text, "x"))
    for cut in range(len(text) + 1):
        assert _seen(parser.read_pieces(_pieces(text, [cut]), "x")) == whole, cut
    assert _seen(parser.read_pieces(lambda: iter(text), "x")) == whole


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", [n for n, _ in FIXTURE_TEXTS])
def test_fixtures_read_in_pieces_as_whole(fmt: str, name: str) -> None:
    text, parser = dict(FIXTURE_TEXTS)[name], _parser(fmt)
    whole = _seen(parser.read(text, "x"))
    assert _seen(parser.read_pieces(lambda: iter([text]), "x")) == whole
    step = max(1, len(text) // 97)
    assert _seen(parser.read_pieces(_pieces(text, list(range(0, len(text), step))), "x")) == whole


# The large fixtures (a 3.9 MB EndNote library) are cut in the test above; random pieces of
# the small ones cost less and cut more places.
_TEXTS = [*SAMPLES.values(), *(t for _, t in FIXTURE_TEXTS if len(t) < 100_000)]


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_random_pieces_read_as_the_whole(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(_TEXTS))
    fmt = data.draw(st.sampled_from(FORMATS))
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=30))
    parser = _parser(fmt)
    assert _seen(parser.read_pieces(_pieces(text, cuts), "x")) == _seen(parser.read(text, "x"))


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_hostile_xml_read_in_pieces_is_refused(text: str) -> None:
    # through the file reader, with a head so small that the text is read in pieces
    data = text.encode()
    chunks = [data[i : i + 7] for i in range(0, len(data), 7)]
    result = ParseResult()
    for batch in iter_parse_stream(lambda: iter(chunks), "evil.xml", "endnote-xml", head_bytes=16):
        result.extend(batch)
    assert not result.records
    assert len(result.failures) == 1 and "refused" in result.failures[0].reason
    assert result.failures[0].line is not None
    assert "root:" not in repr(result)


def test_an_undeclared_entity_read_in_pieces_is_refused() -> None:
    text = PUBMED_SET.replace("&amp;", "&nbsp;", 1)
    failures = collect(_parser("pubmed-xml").read_pieces(_pieces(text, [300, 900]), "x")).failures
    assert len(failures) == 1 and "entity (&nbsp;)" in failures[0].reason
    assert failures[0].line == 9


def test_a_truncated_file_gives_no_record_and_its_line() -> None:
    text = PUBMED_SET[: PUBMED_SET.rindex("<PubmedArticle>") + 40]
    data = text.encode()
    streamed = ParseResult()
    chunks = [data[i : i + 100] for i in range(0, len(data), 100)]
    for batch in iter_parse_stream(lambda: iter(chunks), "cut.xml", batch=1, head_bytes=64):
        streamed.extend(batch)
    assert not streamed.records
    assert [(f.reason.split(",")[0], f.line) for f in streamed.failures] == [
        ("invalid XML: Couldn't find end of Start Tag Article line 34", text.count("\n") + 1)
    ]
    assert streamed.failures == parse_bytes(data, "cut.xml").failures


def _many(fmt: str, count: int) -> str:
    if fmt == "pubmed-xml":
        articles = "".join(_ARTICLE.format(pmid=p) for p in range(1, count + 1))
        return _PROLOG + f"<PubmedArticleSet>\n{articles}</PubmedArticleSet>\n"
    record = ENDNOTE[ENDNOTE.index("<record>") : ENDNOTE.index("</record>") + 9]
    return f"<xml><records>{record * count}</records></xml>"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_tree_holds_about_one_record(fmt: str) -> None:
    """However many records went by, the tree holds the one being read and little else, and a
    record taken is emptied."""
    text = _many(fmt, 300)
    pieces = [text[i : i + 500] for i in range(0, len(text), 500)]
    sizes, taken = [], []
    for element in _record_elements(_body(pieces), FORMAT_OF[fmt]):
        sizes.append(sum(1 for _ in element.getroottree().iter()))
        taken.append(element)
    assert len(sizes) == 300
    assert max(sizes) <= sizes[0] + 2  # the record, the root and the emptied one before it
    assert all(len(e) == 0 and not e.text for e in taken)
