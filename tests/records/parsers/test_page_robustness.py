"""Any text forced through a page layout: failures as data, never a traceback or an empty record."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from records.parsers import parse_text

PAGE_FORMATS = [
    "vufind-text",
    "vufind-results",
    "springer-text",
    "pubmed-text",
    "ebsco-text",
    "primo-text",
    "html",
]
ODD_INPUTS = [
    "",
    "\n\n",
    "garbage: text\nmore",
    "<html><body>x</body></html>",
    "Title:\n",
    "Published: 03 October 2017\n",
    "1. X. 2020;1:1.\n",
    "by Someone\nPublished in X\n",
    "Is Part Of\n",
    "\t\t:\n",
    "Source: \nTitle: \n",
    '<script type="application/ld+json">{"@graph": [{"@type": "Article"}</script>',
    "<A>\n",  # found by hypothesis: a "title" of markup alone, empty once normalized
    "Title: <b></b>\n",
    "NONE",  # found by hypothesis: a placeholder title, dropped by the plausibility check
    "Title: n/a\n",
]


@pytest.mark.parametrize("fmt", PAGE_FORMATS)
@pytest.mark.parametrize("text", ODD_INPUTS)
def test_forced_layout_on_odd_input(fmt, text):
    result = parse_text(text, "odd.txt", format=fmt)
    assert all(record.csl.get("title") for record in result.records)
    assert all(failure.origin == "odd.txt" for failure in result.failures)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(
                ["Title:", "Published in:", "Main Authors:", "ISSN:", "DOI", "Abstract", "by X"]
            ),
        ),
        max_size=12,
    ),
    st.sampled_from(PAGE_FORMATS),
)
def test_random_lines_never_raise(lines, fmt):
    result = parse_text("\n".join(lines), "random.txt", format=fmt)
    assert all(record.csl.get("title") for record in result.records)
