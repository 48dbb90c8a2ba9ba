"""Other projects' importer fixtures, field by field (see ``conformance.py``).

Every case passes every compared field, except the ones below: each differs for a reason that
is a deliberate mapping choice of ours (or a quirk of the other project), written next to it.
A listed case that starts passing fails ``test_known_differences_still_differ``: then remove it.
"""

from __future__ import annotations

import pytest

from tests.records.parsers.conformance import all_cases

KNOWN_DIFFERENCES = {
    # citation-js, BibTeX
    "with commands": "\\href{url}{text}: citation-js keeps the URL only, we keep URL and text; "
    "an unknown command's name is kept as text, citation-js keeps the backslash",
    "with uri": "URLs are kept verbatim; citation-js percent-encodes them",
    "with nameparts": "'given=A=B' is read as given 'A=B' (the first '=' splits); citation-js "
    "drops the part",
    "with different delimiters": "'@book{b, ... )' closes a brace with a parenthesis: malformed "
    "for BibTeX and bibtexparser, reported as a failure; citation-js accepts it",
    "with escaped and": "an 'and' hidden inside \\begin{center}...\\end{center} is split",
    "mapping table (biblatex)": "'May, Keith,' (a stray comma) is family May, given Keith; "
    "citation-js reads BibTeX's strict three-part form (suffix Keith)",
    # citation-js, RIS
    "literal name": "'De Vlinderstichting' without a comma reads as a personal name (JabRef and "
    "Given-Family publisher exports such as RisImporterTest3 need that reading)",
    # JabRef, RIS
    "RisImporterTest1": "repeated TY/TI lines: JabRef merges them into one entry, we read "
    "separate (empty) records and the first title",
    "RisImporterTest6": "JabRef writes the title's em dash as '--' (an en dash) and the PMCID "
    "from M2 as the issue",
    "RisImporterTest7": "A2 (editors) are editors here; JabRef appends them to the authors",
    "RisImporterTest8_date": "JO is the abbreviation here (container-title-short), JabRef's journal",
    "RisImporterTestDate1.1": "JO is the abbreviation here (container-title-short), JabRef's journal",
    "RisImporterTestDate1.2": "JO is the abbreviation here (container-title-short), JabRef's journal",
    "RisImporterTestWithEmptyER": "JO is the abbreviation here (container-title-short), JabRef's "
    "journal",
    "RisImporterTestDOI": "PubMed RIS: AN (the PMID) is the PMID here, JabRef's 'number'; both "
    "SN ISSNs kept; ET holding a date is no edition",
    "RisImporterTestDoiAndJournalTitle": "'Some Author' without a comma is a personal name here; "
    "JabRef braces it as one name",
    # JabRef, MEDLINE
    "MedlinePlainImporterTestCompleteEntry": "MeSH qualifiers ('/history*') are not keywords",
    "MedlinePlainImporterTestMultiAbstract": "JabRef reads FED 'Some test data' as family "
    "'test data'",
    "MedlinePlainImporterTestMultiTitle": "repeated TI lines: JabRef concatenates them",
    "NbibImporterTest": "CN (corporate author) is an author here; JabRef drops it",
    # JabRef, PubMed XML
    "MedlineImporterTestArticleID": "a CollectiveName is a literal name here; JabRef writes it "
    "as a personal name",
    "MedlineImporterTestBookArticleSet": "JabRef orders the book before the chapter and writes "
    "the collective author as a personal name",
    "MedlineImporterTestKeywordSingleEntry": "two PMID elements: we read the first (Version 1), "
    "JabRef the last; the PersonalNameSubject (whom the article is about) is no author here",
    "MedlineImporterTestMathML": "author keywords only, MeSH headings not added",
    "MedlineImporterTestMeshHeadingList": "MeSH qualifiers are not keywords",
    "MedlineImporterTestNbib": "author keywords only, MeSH headings not added",
    "MedlineImporterTestPubmedBook": "a CollectiveName is a literal name here",
    # JabRef, MARCXML
    "MarcXMLParserTestInProceedings": "cataloguer brackets and '[u.a.]' removed; every 020 ISBN kept",
    "MarcXmlParserTestBookSeries": "490 $v is the number in the series, and 490 $x the "
    "series' ISSN: neither is this book's volume or ISSN",
    "MarcXmlParserTestSummaryAndKeywords": "the file has a raw '&' (invalid XML) next to an "
    "undeclared SRU prefix; libxml2's recovery drops the '&'",
}

CASES = all_cases()


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.name not in KNOWN_DIFFERENCES],
    ids=lambda c: f"{c.format}-{c.source}-{c.name}",
)
def test_fixture_case_agrees_field_by_field(case) -> None:
    outcome = case.run()
    assert outcome.ok, "\n".join(outcome.diffs)


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.name in KNOWN_DIFFERENCES],
    ids=lambda c: f"{c.format}-{c.source}-{c.name}",
)
def test_known_differences_still_differ(case) -> None:
    outcome = case.run()
    assert not outcome.ok, f"{case.name} now agrees: remove it from KNOWN_DIFFERENCES"


def test_every_format_has_fixture_cases() -> None:
    formats = {c.format for c in CASES}
    assert {"bibtex", "ris", "medline", "pubmed-xml", "marcxml", "marc21", "endnote-xml"} <= formats
