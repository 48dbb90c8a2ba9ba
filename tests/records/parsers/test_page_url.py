"""A record read from one record's web page gets the page's address as its URL, when the
input's origin is that address and the page names no URL of its own."""

from __future__ import annotations

from records.parsers import parse_text
from tests.conftest import SPRINGER_SEED, VUFIND_SEED

ADDRESS = "https://katalog.example.org/Record/1234"


def test_a_page_fetched_from_an_address_gets_it_as_url():
    for seed in (VUFIND_SEED, SPRINGER_SEED):
        result = parse_text(seed.read_text("utf-8"), ADDRESS)
        assert [r.csl.get("URL") for r in result.records] == [ADDRESS]
        assert result.records[0].source.origin == ADDRESS


def test_a_page_read_from_a_file_gets_no_url():
    result = parse_text(VUFIND_SEED.read_text("utf-8"), str(VUFIND_SEED))
    assert "URL" not in result.records[0].csl


def test_the_page_own_url_wins():
    html = (
        "<html><head><title>x</title>"
        '<meta name="citation_title" content="Liver embolization">'
        '<meta name="citation_public_url" content="https://link.example.com/article/10.1/x">'
        "</head><body></body></html>"
    )
    (record,) = parse_text(html, ADDRESS).records
    assert record.csl["URL"] == "https://link.example.com/article/10.1/x"


def test_an_export_served_on_the_web_gets_no_url():
    bib = "@article{a, title={One}, year={2020}}\n"
    (record,) = parse_text(bib, "https://example.org/refs.bib").records
    assert "URL" not in record.csl


def test_a_list_page_gives_its_address_to_none_of_its_records():
    span = (
        '<span class="Z3988" title="ctx_ver=Z39.88-2004&amp;rft_val_fmt=info:ofi/fmt:kev:mtx:'
        'journal&amp;rft.atitle={title}&amp;rft.date=2020"></span>'
    )
    html = f"<html><body>{span.format(title='First')}{span.format(title='Second')}</body></html>"
    result = parse_text(html, "https://example.org/search?q=x")
    assert [r.csl["title"] for r in result.records] == ["First", "Second"]
    assert all("URL" not in r.csl for r in result.records)
