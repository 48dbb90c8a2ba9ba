"""Standard formats as other projects read them (issue 12): MEDLINE books, reports and theses,
MARC books, LaTeX in BibTeX names, BibLaTeX titleaddon, Web of Science BibTeX heads."""

from __future__ import annotations

from pathlib import Path

from records.parsers import detect, parse_text
from tests.conftest import FIXTURES

DATA = Path(__file__).resolve().parents[2] / "data" / "formats-i12"


def test_medline_books_reports_and_theses_are_typed_with_their_publisher():
    text = (DATA / "medline_book_report_thesis.nbib").read_text("utf-8")
    got = [
        (r.csl["type"], r.csl["title"], r.csl.get("publisher"), r.csl.get("publisher-place"))
        for r in parse_text(text, "books.nbib").records
    ]
    assert got == [
        (
            "book",
            "Hereditary Breast and Ovarian Cancer",
            "University of Washington, Seattle",
            "Seattle (WA)",
        ),
        (
            "report",
            "Effects of something: a technical report",
            "Agency for Healthcare Research and Quality (US)",
            "Rockville (MD)",
        ),
        ("thesis", "Caring at home: a dissertation", "University of Oslo", "Oslo"),
    ]


def test_medline_journal_article_keeps_no_place():
    text = "PMID- 1\nTI  - A\nPT  - Journal Article\nPT  - Review\nPL  - England\nJT  - J\n"
    [record] = parse_text(text, "a.nbib").records
    assert record.csl["type"] == "article-journal" and "publisher-place" not in record.csl


def test_marcxml_books_are_books():
    # JabRef types these @Misc; Zotero's MARC translator (leader/06 "a", /07 "m") says book
    folder = FIXTURES / "formats/jabref/importer-fileformat"
    for name in ("MarcXmlParserTestBook", "MarcXmlParserTestBookSeries"):
        text = (folder / f"{name}.xml").read_text("utf-8")
        assert [r.csl["type"] for r in parse_text(text, name).records] == ["book"]


LATEX_NAMES = r"""@article{a,
  author = {Swe{\i}g, Anna and D{\'e}coret, Xavier and M{\"{o}}ller, Hans and
            Sch\"onberg, J. and {\'E}mile Zola and Jos{\'{e}} Garc{\'\i}a and
            Ma{\l}gorzata Nowak and {\v{S}}imon Kr{\v{c}} and Fran\c{c}ois Na\"{\i}ve},
  title = {A test}, journal = {J}, year = {2001}
}
"""


def test_latex_in_names_is_decoded_whole():
    [record] = parse_text(LATEX_NAMES, "a.bib").records
    assert [(n["family"], n["given"]) for n in record.csl["author"]] == [
        ("Swe\u0131g", "Anna"),  # \i is the dotless i
        ("Décoret", "Xavier"),
        ("Möller", "Hans"),
        ("Schönberg", "J."),
        ("Zola", "Émile"),
        ("García", "José"),
        ("Nowak", "Małgorzata"),
        ("Krč", "Šimon"),
        ("Naïve", "François"),
    ]


def test_biblatex_titleaddon_is_kept_beside_the_title():
    text = (
        "@book{renner,\n  title = {Edward Hopper},\n  subtitle = {Transformaties},\n"
        "  titleaddon = {1882-1967},\n  note = {Dutch edition},\n  year = {2000}\n}\n"
    )
    [record] = parse_text(text, "a.bib").records
    assert record.csl["title"] == "Edward Hopper: Transformaties"
    assert record.csl["note"] == "Dutch edition; tex.titleaddon: 1882-1967"


WOS = (
    "\n\n@article{ ISI:000445987100063,\nAuthor = {Smith, John and Doe, Jane},\n"
    "Title = {{A Web of Science title}},\nJournal = {{JOURNAL OF THINGS}},\nYear = {{2018}},\n"
    "Unique-ID = {{ISI:000445987100063}},\n}\n\n"
    "@inproceedings{ ISI:000445987100064,\nAuthor = {Lee, K.},\nTitle = {{Second}},\n"
    "Booktitle = {{PROC}},\nYear = {{2019}},\n}\n"
)


def test_web_of_science_bibtex_heads_with_a_space_are_detected():
    assert detect(WOS, "savedrecs.bib").name == "bibtex"
    records = parse_text(WOS, "savedrecs.bib").records
    assert [r.source.id for r in records] == ["ISI:000445987100063", "ISI:000445987100064"]
    assert [r.csl["title"] for r in records] == ["A Web of Science title", "Second"]


PUBMED_BOOKS = """<PubmedArticleSet>
<PubmedBookArticle><BookDocument>
  <PMID Version="1">30000011</PMID>
  <Book>
    <Publisher><PublisherName>Agency for Healthcare Research and Quality (US)</PublisherName>
      <PublisherLocation>Rockville (MD)</PublisherLocation></Publisher>
    <BookTitle book="cer1">Screening for things: a systematic review</BookTitle>
    <PubDate><Year>2019</Year><Month>05</Month></PubDate>
  </Book>
  <AuthorList Type="authors"><Author><LastName>Smith</LastName><ForeName>John</ForeName></Author></AuthorList>
  <PublicationType UI="D013487">Technical Report</PublicationType>
</BookDocument></PubmedBookArticle>
<PubmedArticle><MedlineCitation><PMID Version="1">30000012</PMID><Article>
  <Journal><Title>Biochemical medicine</Title><JournalIssue><Volume>13</Volume>
    <PubDate><Year>1975</Year></PubDate></JournalIssue></Journal>
  <ArticleTitle>Formate assay in body fluids.</ArticleTitle>
  <Pagination><StartPage>25</StartPage><EndPage>38</EndPage></Pagination>
</Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>"""


def test_pubmed_xml_bookshelf_report_and_start_end_pages():
    report, article = (r.csl for r in parse_text(PUBMED_BOOKS, "efetch.xml").records)
    assert (report["type"], report["publisher"], report["publisher-place"]) == (
        "report",
        "Agency for Healthcare Research and Quality (US)",
        "Rockville (MD)",
    )
    assert report["title"] == "Screening for things: a systematic review"
    assert article["page"] == "25-38"


def test_latex_in_names_is_decoded_in_every_format():
    ris = (
        "TY  - JOUR\nAU  - Swe{\\i}g, Anna\nAU  - D{\\'e}coret, Xavier\nAU  - M\\\"{o}ller, Hans\n"
        "AU  - Garc{\\'\\i}a, Jos\\'e\nAU  - Kr\\v{c}, Simon\nTI  - A title\nER  - \n"
    )
    csv = 'Authors,Title\n"D{\\\'e}coret, Xavier; Ma{\\l}ecki, Jan",A title\n'
    [record] = parse_text(ris, "a.ris").records
    assert [(n["family"], n["given"]) for n in record.csl["author"]] == [
        ("Swe\u0131g", "Anna"),
        ("Décoret", "Xavier"),
        ("Möller", "Hans"),
        ("García", "José"),
        ("Krč", "Simon"),
    ]
    [row] = parse_text(csv, "a.csv").records
    assert [n["family"] for n in row.csl["author"]] == ["Décoret", "Małecki"]


def test_a_backslash_that_is_no_latex_stays():
    ris = "TY  - JOUR\nAU  - Group A\\B Consortium\nTI  - A title\nER  - \n"
    [record] = parse_text(ris, "a.ris").records
    assert record.csl["author"] == [{"literal": "Group A\\B Consortium"}]
