"""Crossref work JSON -> Record, on the recorded fixtures (read in place)."""

from __future__ import annotations

import json
import re

from records.crossref import CROSSREF_TYPES, jats_abstract, markup_text, work_to_record
from tests.conftest import FIXTURES

CROSSREF = FIXTURES / "crossref"
TAG = re.compile(r"</?[A-Za-z][\w:-]*[ />]")  # a tag; "p < 0.001" in an abstract is text


def _work(name: str) -> dict:
    return json.loads((CROSSREF / f"{name}.response.json").read_text("utf-8"))["message"]


def test_fixture_01_field_by_field():
    record = work_to_record(_work("01-work-jclinpath-2020-206745"))
    csl = record.csl
    assert record.source.format == "crossref" and record.source.origin == "crossref"
    assert record.source.id == "10.1136/jclinpath-2020-206745"
    assert csl["type"] == "article-journal"
    # JATS <i> markup with the deposit's line breaks: gone, and no spaces around the slashes.
    assert csl["title"] == (
        "Construction of a reference material panel for detecting "
        "KRAS/NRAS/EGFR/BRAF/MET mutations in plasma ctDNA"
    )
    assert csl["container-title"] == "Journal of Clinical Pathology"
    assert csl["container-title-short"] == "J Clin Pathol"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("74", "5", "314-320")
    assert csl["ISSN"] == "0021-9746, 1472-4146"
    assert record.issn_kinds == {"0021-9746": "print", "1472-4146": "electronic"}
    # Print date preferred; both dates kept.
    assert csl["issued"] == {"date-parts": [[2021, 5]]}
    assert record.original["published-print"] == "2021-05"
    assert record.original["published-online"] == "2020-08-17"
    assert csl["language"] == "en"
    assert csl["publisher"] == "BMJ"
    assert csl["author"][0] == {"family": "Xu", "given": "Jun"}
    assert len(csl["author"]) == 15
    orcids = [a["ORCID"] for a in csl["author"] if "ORCID" in a]
    assert len(orcids) == 1 and orcids[0].startswith("https://orcid.org/0000-")
    abstract = csl["abstract"]
    assert abstract.startswith("Background: The absence of high-quality")
    assert "Objective: This study aimed" in abstract
    assert "<" not in abstract and "jats" not in abstract


def test_electronic_only_issn_and_article_number():
    record = work_to_record(_work("03-work-pone-0033693"))
    assert record.csl["ISSN"] == "1932-6203"
    assert record.issn_kinds == {"1932-6203": "electronic"}
    assert record.csl["page"] == "e33693"
    assert record.csl["issued"] == {"date-parts": [[2012, 3, 21]]}
    assert "published-print" not in record.original
    assert record.csl["editor"][0]["family"] == "Borlongan"


def test_every_recorded_work_maps_without_markup():
    for path in sorted(CROSSREF.glob("*.response.json")):
        body = json.loads(path.read_text("utf-8"))
        message = body.get("message")
        if not isinstance(message, dict):
            continue
        items = [message] if "DOI" in message else message.get("items") or []
        for item in items:
            csl = work_to_record(item).csl
            assert csl["DOI"].lower() == item["DOI"].lower()
            for key in ("title", "container-title", "abstract"):
                assert not TAG.search(csl.get(key, "")), (path.name, key)
                assert "\n" not in csl.get(key, "")


def test_types_organisations_and_subtitles():
    work = {
        "DOI": "10.1000/X",
        "type": "posted-content",
        "title": ["Main title"],
        "subtitle": ["a <i>subtitle</i>"],
        "author": [{"name": "The Consortium", "sequence": "first"}, {"family": "Doe"}],
        "container-title": ["Book", "Series"],
    }
    csl = work_to_record(work).csl
    assert csl["type"] == "article"
    assert csl["title"] == "Main title: a subtitle"
    assert csl["author"] == [{"literal": "The Consortium"}, {"family": "Doe"}]
    assert csl["collection-title"] == "Series"
    assert CROSSREF_TYPES["book-chapter"] == "chapter"
    assert CROSSREF_TYPES["proceedings-article"] == "paper-conference"


def test_markup_helpers():
    assert markup_text("A\n   <i>B</i>\n   /\n   <i>C</i>\n  test") == "A B/C test"
    assert markup_text("x &amp; y") == "x & y"
    jats = "<jats:title>Abstract</jats:title><jats:p>Only text.</jats:p>"
    assert jats_abstract(jats) == "Only text."
