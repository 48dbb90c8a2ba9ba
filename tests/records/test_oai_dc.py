"""oai_dc -> CSL: each Dublin Core element, identifier sniffing, OJS-style sources, safety."""

from __future__ import annotations

from records.parsers import detect, parse_text

DC = """<?xml version="1.0" encoding="UTF-8"?>
<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
           xmlns:dc="http://purl.org/dc/elements/1.1/">
{body}
</oai_dc:dc>"""


def _one(body: str) -> dict:
    result = parse_text(DC.format(body=body), "test.xml", "oai_dc")
    assert not result.failures, result.failures
    assert len(result.records) == 1
    return result.records[0].csl


def test_every_element_maps_to_its_csl_field():
    csl = _one(
        """
        <dc:title>Kidney function after contrast media.</dc:title>
        <dc:title>A second title is ignored</dc:title>
        <dc:creator>Radosa, Christoph G.</dc:creator>
        <dc:creator>Nebelung, H</dc:creator>
        <dc:date>2024-07-01</dc:date>
        <dc:identifier>https://doi.org/10.1007/s00117-024-01331-5</dc:identifier>
        <dc:identifier>https://repo.example.org/handle/1/2</dc:identifier>
        <dc:identifier>urn:issn:0033-832X</dc:identifier>
        <dc:identifier>info:pmid/38760522</dc:identifier>
        <dc:source>Der Radiologe; Vol. 64 No. 7 (2024); 575-581</dc:source>
        <dc:language>ger</dc:language>
        <dc:publisher>Springer</dc:publisher>
        <dc:type>info:eu-repo/semantics/article</dc:type>
        <dc:description>Background: contrast media and the kidney.</dc:description>
        <dc:description>A second description is not the abstract.</dc:description>
        <dc:subject>Kidney</dc:subject>
        <dc:subject>Contrast media</dc:subject>
        <dc:subject>Kidney</dc:subject>
        """
    )
    assert csl["title"] == "Kidney function after contrast media"
    assert csl["author"] == [
        {"family": "Radosa", "given": "Christoph G."},
        {"family": "Nebelung", "given": "H."},
    ]
    assert csl["issued"] == {"date-parts": [[2024, 7, 1]]}
    assert csl["DOI"] == "10.1007/s00117-024-01331-5"
    assert csl["URL"] == "https://repo.example.org/handle/1/2"
    assert csl["ISSN"] == "0033-832X"
    assert csl["PMID"] == "38760522"
    assert csl["container-title"] == "Der Radiologe"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("64", "7", "575-581")
    assert csl["language"] == "de"
    assert csl["publisher"] == "Springer"
    assert csl["type"] == "article-journal"
    assert csl["abstract"].startswith("Background: contrast media")
    assert csl["keyword"] == "Kidney, Contrast media"


def test_identifiers_are_sniffed_not_trusted():
    csl = _one(
        """
        <dc:title>A book</dc:title>
        <dc:identifier>ISBN 978-3-16-148410-0</dc:identifier>
        <dc:identifier>1234-5678</dc:identifier>
        <dc:identifier>doi:10.1000/xyz123</dc:identifier>
        <dc:type>info:eu-repo/semantics/book</dc:type>
        """
    )
    assert csl["ISBN"] == "9783161484100"
    assert "ISSN" not in csl  # 1234-5678 fails the ISSN check digit
    assert csl["DOI"] == "10.1000/xyz123"
    assert "URL" not in csl
    assert csl["type"] == "book"


def test_a_repository_number_is_not_taken_for_an_isbn_or_issn():
    # 0306406152 and 03178471 have valid ISBN-10 / ISSN check digits, but are written as
    # plain numbers, as repositories write their own ids.
    csl = _one(
        """
        <dc:title>T</dc:title>
        <dc:identifier>0306406152</dc:identifier>
        <dc:identifier>03178471</dc:identifier>
        <dc:identifier>urn:isbn:0306406152</dc:identifier>
        <dc:identifier>eISSN 0317-8471</dc:identifier>
        """
    )
    assert csl["ISBN"] == "9780306406157" and csl["ISSN"] == "0317-8471"
    bare = _one(
        "<dc:title>T</dc:title><dc:identifier>0306406152</dc:identifier>"
        "<dc:identifier>03178471</dc:identifier>"
    )
    assert "ISBN" not in bare and "ISSN" not in bare


def test_source_that_is_an_issn_is_not_a_container_title():
    csl = _one(
        """
        <dc:title>T</dc:title>
        <dc:source>2049-3630</dc:source>
        <dc:source>Journal of Open Research Software</dc:source>
        """
    )
    assert csl["ISSN"] == "2049-3630"
    assert csl["container-title"] == "Journal of Open Research Software"


def test_type_falls_back_sensibly():
    assert _one("<dc:title>T</dc:title><dc:type>Text</dc:type>")["type"] == "document"
    assert (
        _one("<dc:title>T</dc:title><dc:type>Text</dc:type><dc:type>Thesis</dc:type>")["type"]
        == "thesis"
    )
    assert (
        _one("<dc:title>T</dc:title><dc:type>info:eu-repo/semantics/bookPart</dc:type>")["type"]
        == "chapter"
    )


def test_record_without_title_is_a_failure_and_the_others_are_read():
    text = (
        "<records>"
        + DC.format(body="<dc:creator>Nobody</dc:creator>").split("?>", 1)[1]
        + DC.format(body="<dc:title>Kept</dc:title>").split("?>", 1)[1]
        + "</records>"
    )
    result = parse_text(text, "two.xml", "oai_dc")
    assert [r.csl["title"] for r in result.records] == ["Kept"]
    assert len(result.failures) == 1
    assert "no dc:title" in str(result.failures[0]) and "two.xml" in str(result.failures[0])


def test_detected_from_content():
    assert detect(DC.format(body="<dc:title>T</dc:title>"), "x").name == "oai_dc"


def test_entities_and_doctypes_are_refused_not_expanded():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        + DC.format(body="<dc:title>&lol2;</dc:title>").split("?>", 1)[1]
    )
    result = parse_text(bomb, "bomb.xml", "oai_dc")
    assert not result.records
    assert "refused" in str(result.failures[0]) and "ENTITY" in str(result.failures[0])


def test_broken_xml_is_a_failure_naming_the_line():
    result = parse_text(DC.format(body="<dc:title>unclosed"), "bad.xml", "oai_dc")
    assert not result.records
    failure = result.failures[0]
    assert failure.origin == "bad.xml" and failure.line is not None
    assert "invalid XML" in failure.reason
