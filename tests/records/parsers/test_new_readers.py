"""The readers added for what Zotero imports: Refer/BibIX, RefWorks tagged, MODS, Crossref
UNIXREF/UNIXSD and Primo PNX, with samples written here (the Zotero cases are in
test_zotero_translators.py): detection, fields, failures at their place."""

from __future__ import annotations

import pytest

from records.parsers import PARSERS, detect, parse_text


def _line(text: str, marker: str) -> int:
    """The 1-based line where ``marker`` first occurs in ``text``."""
    return text[: text.index(marker)].count("\n") + 1


REFER = """%0 Journal Article
%A Radosa, Christoph G.
%A Hans Nebelung
%T Radiologisch-interventionelle Möglichkeiten
%J Die Radiologie
%V 64
%N 7
%P 575-581
%D 2024
%8 July 2024
%R 10.1007/s00117-024-01314-z
%K Neuroendokrine Tumoren; Embolisation
%X An abstract
that goes on.

%0 Book Section
%A de Mestier, Louis
%E Ruszniewski, Philippe
%T Liver embolization
%B Neuroendocrine Tumours
%I Springer
%C Cham
%D 2018
%P 101-120
%@ 978-3-319-59023-3

%T Untyped technical report
%A Smith, J.
%I Rand Corporation
%R R-1234
%D 1999
%N 17

%A Nobody, N.
%D 2000
"""


def test_refer_records_and_failures():
    result = parse_text(REFER, "refs.enw")
    assert [r.source.format for r in result.records] == ["refer"] * 3
    first, chapter, report = (r.csl for r in result.records)
    assert first["type"] == "article-journal"
    assert first["author"] == [
        {"family": "Radosa", "given": "Christoph G."},
        {"family": "Nebelung", "given": "Hans"},
    ]
    assert (first["container-title"], first["volume"], first["issue"], first["page"]) == (
        "Die Radiologie",
        "64",
        "7",
        "575-581",
    )
    assert first["issued"] == {"date-parts": [[2024, 7]]}
    assert first["DOI"] == "10.1007/s00117-024-01314-z"
    assert first["abstract"] == "An abstract that goes on."
    assert first["keyword"] == "Neuroendokrine Tumoren, Embolisation"
    assert chapter["type"] == "chapter" and chapter["container-title"] == "Neuroendocrine Tumours"
    assert chapter["editor"] == [{"family": "Ruszniewski", "given": "Philippe"}]
    assert (chapter["publisher"], chapter["publisher-place"]) == ("Springer", "Cham")
    assert chapter["ISBN"] == "9783319590233"
    assert (report["type"], report["publisher"], report["number"]) == (
        "report",
        "Rand Corporation",
        "17",
    )
    [failure] = result.failures
    assert (failure.record, failure.line) == (
        4,
        _line(REFER, "%A Nobody"),
    ) and "%T" in failure.reason


REFWORKS = """RT Book, Section
ID 7
A1 García López, María
A2 Weber, Anna
T1 Intervención hepática
T2 Manual de radiología intervencionista
YR 2018
FD May 3
SP 45
OP 67
PB Editorial Médica Panamericana
PP Madrid
SN 978-84-9835-987-9
DO 10.1000/xyz123

RT Journal Article
A1 Kea, Bory
T1 Comma lists
T2 Annals of Things
JO Ann Things
YR 2021
FD 03/15
VO 12

RT Generic
A1 Only, Author
"""


def test_refworks_records_and_failures():
    result = parse_text(REFWORKS, "export.txt")
    chapter, article = (r.csl for r in result.records)
    assert chapter["type"] == "chapter" and chapter["container-title"].startswith("Manual")
    assert chapter["author"] == [{"family": "García López", "given": "María"}]
    assert chapter["editor"] == [{"family": "Weber", "given": "Anna"}]
    assert chapter["issued"] == {"date-parts": [[2018, 5, 3]]}
    assert (chapter["page"], chapter["publisher"], chapter["publisher-place"]) == (
        "45-67",
        "Editorial Médica Panamericana",
        "Madrid",
    )
    assert chapter["DOI"] == "10.1000/xyz123"
    assert result.records[0].source.id == "7"
    assert article["container-title"] == "Annals of Things"
    assert article["container-title-short"] == "Ann Things"
    assert article["issued"] == {"date-parts": [[2021, 3, 15]]}
    [failure] = result.failures
    assert (failure.record, failure.line) == (3, _line(REFWORKS, "RT Generic"))


MODS_COLLECTION = """<?xml version="1.0" encoding="UTF-8"?>
<mods:modsCollection xmlns:mods="http://www.loc.gov/mods/v3">
  <mods:mods ID="r1">
    <mods:titleInfo><mods:title>Thesis on embolization</mods:title></mods:titleInfo>
    <mods:name type="personal">
      <mods:namePart>Hentic, Olivia</mods:namePart>
      <mods:role><mods:roleTerm type="code" authority="marcrelator">aut</mods:roleTerm></mods:role>
    </mods:name>
    <mods:genre authority="marcgt">thesis</mods:genre>
    <mods:originInfo>
      <mods:place><mods:placeTerm type="text">Paris</mods:placeTerm></mods:place>
      <mods:publisher>Université Paris Cité</mods:publisher>
      <mods:dateIssued keyDate="yes">2019</mods:dateIssued>
    </mods:originInfo>
    <mods:physicalDescription><mods:extent>xii, 245 p.</mods:extent></mods:physicalDescription>
    <mods:identifier type="doi">https://doi.org/10.5555/thesis.2019</mods:identifier>
    <mods:language><mods:languageTerm type="code">fre</mods:languageTerm></mods:language>
    <mods:subject><mods:topic>Liver</mods:topic><mods:topic>Embolization</mods:topic></mods:subject>
    <mods:location><mods:url>https://theses.example.org/1</mods:url></mods:location>
  </mods:mods>
  <mods:mods>
    <mods:name type="corporate"><mods:namePart>WHO</mods:namePart></mods:name>
  </mods:mods>
</mods:modsCollection>
"""


def test_mods_collection_with_prefixes():
    result = parse_text(MODS_COLLECTION, "export.xml")
    [record] = result.records
    csl = record.csl
    assert record.source.id == "r1"
    assert csl["type"] == "thesis"
    assert csl["author"] == [{"family": "Hentic", "given": "Olivia"}]
    assert (csl["publisher"], csl["publisher-place"]) == ("Université Paris Cité", "Paris")
    assert csl["issued"] == {"date-parts": [[2019]]}
    assert csl["number-of-pages"] == "245"
    assert csl["DOI"] == "10.5555/thesis.2019"
    assert csl["URL"] == "https://theses.example.org/1"
    assert csl["keyword"] == "Liver, Embolization"
    [failure] = result.failures
    assert failure.record == 2 and "title" in failure.reason
    assert failure.line == _line(MODS_COLLECTION, "<mods:mods>\n")


UNIXSD = """<?xml version="1.0" encoding="UTF-8"?>
<crossref_result xmlns="http://www.crossref.org/qrschema/3.0" version="3.0">
  <query_result>
    <body>
      <query status="resolved">
        <doi type="book_content">10.1007/978-3-319-59024-0_7</doi>
        <doi_record>
          <crossref xmlns="http://www.crossref.org/xschema/1.1">
            <book book_type="edited_book">
              <book_metadata language="en">
                <contributors>
                  <person_name contributor_role="editor" sequence="first">
                    <given_name>Philippe</given_name><surname>Ruszniewski</surname>
                  </person_name>
                </contributors>
                <titles><title>Neuroendocrine Tumours</title></titles>
                <publication_date media_type="print"><year>2018</year></publication_date>
                <isbn media_type="print">978-3-319-59023-3</isbn>
                <publisher><publisher_name>Springer International Publishing</publisher_name>
                  <publisher_place>Cham</publisher_place></publisher>
              </book_metadata>
              <content_item component_type="chapter">
                <contributors>
                  <person_name contributor_role="author" sequence="first">
                    <given_name>Louis</given_name><surname>de Mestier</surname>
                  </person_name>
                </contributors>
                <titles><title>Liver embolization</title></titles>
                <pages><first_page>101</first_page><last_page>120</last_page></pages>
                <doi_data><doi>10.1007/978-3-319-59024-0_7</doi>
                  <resource>https://link.springer.com/10.1007/978-3-319-59024-0_7</resource></doi_data>
              </content_item>
            </book>
          </crossref>
        </doi_record>
      </query>
    </body>
  </query_result>
</crossref_result>
"""

CONFERENCE = """<doi_records><doi_record><crossref><conference>
  <event_metadata><conference_name>CVPR</conference_name>
    <conference_location>Seattle</conference_location></event_metadata>
  <proceedings_metadata><proceedings_title>Proceedings of CVPR 2020</proceedings_title>
    <publisher><publisher_name>IEEE</publisher_name></publisher></proceedings_metadata>
  <conference_paper><contributors><person_name contributor_role="author">
    <given_name>Ana</given_name><surname>Lee</surname><suffix>Jr.</suffix></person_name>
    <organization contributor_role="author">Vision Group</organization></contributors>
    <titles><title>Seeing</title><subtitle>A study</subtitle></titles>
    <publication_date><month>06</month><year>2020</year></publication_date>
    <pages><first_page>7</first_page></pages>
    <doi_data><doi>10.1109/CVPR.2020.1</doi></doi_data></conference_paper>
</conference></crossref></doi_record>
<doi_record><crossref><error>10.9999/nothing: not found</error></crossref></doi_record>
</doi_records>"""


def test_crossref_unixsd_book_chapter():
    [record] = parse_text(UNIXSD, "query.xml").records
    csl = record.csl
    assert record.source.format == "crossref-xml" and record.source.id == csl["DOI"]
    assert csl["type"] == "chapter"
    assert (csl["title"], csl["container-title"]) == (
        "Liver embolization",
        "Neuroendocrine Tumours",
    )
    assert csl["author"] == [{"family": "de Mestier", "given": "Louis"}]
    assert csl["editor"] == [{"family": "Ruszniewski", "given": "Philippe"}]
    assert (csl["page"], csl["publisher"], csl["publisher-place"]) == (
        "101-120",
        "Springer International Publishing",
        "Cham",
    )
    assert csl["ISBN"] == "9783319590233" and csl["issued"] == {"date-parts": [[2018]]}


def test_crossref_unixref_conference_paper_and_an_error_record():
    result = parse_text(CONFERENCE, "deposit.xml")
    [record] = result.records
    csl = record.csl
    assert csl["type"] == "paper-conference" and csl["title"] == "Seeing: A study"
    assert csl["author"] == [
        {"family": "Lee", "given": "Ana", "suffix": "Jr."},
        {"literal": "Vision Group"},
    ]
    assert (csl["container-title"], csl["event-title"], csl["publisher"]) == (
        "Proceedings of CVPR 2020",
        "CVPR",
        "IEEE",
    )
    assert csl["issued"] == {"date-parts": [[2020, 6]]} and csl["page"] == "7"
    [failure] = result.failures
    assert failure.record == 2 and failure.line == _line(
        CONFERENCE, "<doi_record><crossref><error>"
    )


PNX_BOOK = """<records><record xmlns="http://www.exlibrisgroup.com/xsd/primo/primo_nm_bib">
  <control><sourceid>ALMA</sourceid><recordid>alma991234</recordid></control>
  <display>
    <type>book</type>
    <title>Manual de radiología intervencionista</title>
    <creator>García López, María (author) ; Weber, Anna</creator>
    <publisher>Madrid : Editorial Médica Panamericana</publisher>
    <creationdate>2018</creationdate>
    <subject>Radiology, Interventional ; Liver -- Diseases</subject>
    <language>spa</language>
  </display>
  <addata><isbn>978-84-9835-987-9</isbn><pages>312</pages></addata>
</record></records>"""


def test_pnx_book_from_the_display_section():
    [record] = parse_text(PNX_BOOK, "pnx.xml").records
    csl = record.csl
    assert record.source.id == "alma991234"
    assert csl["type"] == "book"
    assert csl["author"] == [
        {"family": "García López", "given": "María"},
        {"family": "Weber", "given": "Anna"},
    ]
    assert (csl["publisher"], csl["publisher-place"]) == ("Editorial Médica Panamericana", "Madrid")
    assert csl["issued"] == {"date-parts": [[2018]]} and csl["number-of-pages"] == "312"
    assert csl["keyword"] == "Radiology, Interventional, Liver, Diseases"
    assert csl["ISBN"] == "9788498359879"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (REFER, "refer"),
        (REFWORKS, "refworks"),
        (MODS_COLLECTION, "mods"),
        (UNIXSD, "crossref-xml"),
        (CONFERENCE, "crossref-xml"),
        (PNX_BOOK, "pnx"),
    ],
)
def test_each_is_detected_and_claimed_by_no_other_reader(text: str, name: str) -> None:
    assert detect(text, "input").name == name
    own = next(p for p in PARSERS if p.name == name).sniff(text)
    assert all(p.sniff(text) < 0.5 for p in PARSERS if p.name != name), [
        (p.name, p.sniff(text)) for p in PARSERS if p.name != name and p.sniff(text) >= 0.5
    ]
    assert own >= 0.9


def test_hostile_xml_is_refused_in_the_new_xml_readers():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE mods [<!ENTITY a "aaaaaaaa">]>\n'
        '<mods xmlns="http://www.loc.gov/mods/v3"><titleInfo><title>&a;</title></titleInfo></mods>'
    )
    result = parse_text(bomb, "bomb.xml")
    assert not result.records and result.failures
