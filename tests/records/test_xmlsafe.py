"""Hostile XML is refused, never resolved; the same parser serves every XML format."""

from __future__ import annotations

import pytest
from lxml import etree

from records.errors import InputError, UnsafeInput
from records.parsers import parse_text
from records.xmlsafe import parse_xml, safe_parser

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<xml><records><record><rec-number>1</rec-number><titles><title>&lol9;</title></titles></record></records></xml>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xml><records><record><rec-number>1</rec-number><ref-type name="Journal Article">17</ref-type>
<titles><title>&secret;</title></titles></record></records></xml>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_entity_declarations_are_refused(text: str) -> None:
    with pytest.raises(UnsafeInput, match="refused") as caught:
        parse_xml(text, "evil.xml")
    assert caught.value.line is not None
    assert "evil.xml" in str(caught.value)


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_parsers_report_hostile_xml_as_a_failure(text: str) -> None:
    result = parse_text(text, "evil.xml", "endnote-xml")
    assert not result.records
    assert "refused" in result.failures[0].reason


def test_the_parser_itself_never_resolves_an_external_entity() -> None:
    # Even past the prolog check, lxml is configured not to read the file.
    root = etree.fromstring(EXTERNAL_ENTITY.split("\n", 1)[1].encode(), safe_parser())
    title = root.find(".//title")
    assert "root:" not in etree.tostring(title, encoding="unicode")


def test_named_external_dtd_is_not_fetched() -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle//EN" '
        '"https://dtd.invalid/pubmed_190101.dtd">\n<PubmedArticleSet/>'
    )
    assert parse_xml(text, "pubmed.xml").tag == "PubmedArticleSet"


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(InputError, match="invalid XML") as caught:
        parse_xml("<a>\n<b>\n</a>", "bad.xml")
    assert caught.value.line == 3


def test_encoding_declaration_on_decoded_text() -> None:
    assert parse_xml('<?xml version="1.0" encoding="ISO-8859-1"?><a>Schön</a>', "x").text == "Schön"
