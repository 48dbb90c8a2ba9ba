"""Formatted bibliographies: the seeds in APA and Vancouver, every bundled style, the outputs."""

from __future__ import annotations

import shutil

import pytest

from records.errors import UsageError
from records.exporters.formatted import STYLES, render_bibliography, render_entries, style_path
from tests.records.exporters.samples import EXTRA, seeds


def test_seeds_in_apa():
    text = render_bibliography(seeds(), "apa")
    lines = text.splitlines()
    assert len(lines) == 2
    # APA sorts by first author: "de Mestier" files under its particle, before "Radosa".
    assert lines[0] == (
        "de Mestier, L., Zappa, M., Hentic, O., Vilgrain, V., & Ruszniewski, P. (2017). "
        "Liver transarterial embolizations in metastatic neuroendocrine tumors. "
        "Reviews in Endocrine and Metabolic Disorders, 18(4), 459–471. "
        "https://doi.org/10.1007/s11154-017-9431-2"
    )
    assert lines[1] == (
        "Radosa, C. G., Nebelung, H., Schön, F., & Hoffmann, R. T. (2024). "
        "Radiologisch-interventionelle Möglichkeiten zur Behandlung von neuroendokrinen "
        "Tumoren. Radiologe, 64(7), 575–581. https://doi.org/10.1007/s00117-024-01314-z"
    )


def test_seeds_in_vancouver():
    lines = render_bibliography(seeds(), "vancouver").splitlines()
    # Numbered in citation order; NLM dates "2017 Oct 3"; pages abbreviated "459–71".
    assert lines == [
        "1. Radosa CG, Nebelung H, Schön F, Hoffmann RT. Radiologisch-interventionelle "
        "Möglichkeiten zur Behandlung von neuroendokrinen Tumoren. Radiologe. "
        "2024;64(7):575–81.",
        "2. de Mestier L, Zappa M, Hentic O, Vilgrain V, Ruszniewski P. Liver transarterial "
        "embolizations in metastatic neuroendocrine tumors. Reviews in Endocrine and "
        "Metabolic Disorders. 2017 Oct 3;18(4):459–71.",
    ]


@pytest.mark.parametrize("style", sorted(set(STYLES.values())))
def test_every_bundled_style_renders_every_record(style):
    entries = [*seeds(), *EXTRA]
    rendered = render_entries(entries, style)
    assert len(rendered) == len(entries)
    joined = "\n".join(rendered)
    for needle in ("Radosa", "2024", "Radiologe", "Mestier", "2017", "World Health Organization"):
        assert needle in joined, (style, needle)
    assert "et al., et al." not in joined and "and et al" not in joined
    assert all(entry == entry.strip() and "\n" not in entry for entry in rendered)


def test_numbered_styles_get_a_space_after_the_number():
    assert render_entries(seeds(), "ieee")[0].startswith("[1] C. G. Radosa, H. Nebelung")
    assert render_entries(seeds(), "nature")[0].startswith("1. Radosa, C. G., Nebelung, H.")


def test_html_output():
    html = render_bibliography(seeds(), "apa", "html")
    assert html.startswith('<div class="csl-bib-body">\n  <div class="csl-entry">')
    assert html.count('<div class="csl-entry">') == 2
    assert "<i>Radiologe</i>, <i>64</i>(7)" in html
    assert "&amp; Hoffmann" in html
    hostile = render_bibliography(
        [
            (
                "k",
                {
                    "type": "book",
                    "title": "<script>x</script> & y",
                    "issued": {"date-parts": [[2001]]},
                },
            )
        ],
        "apa",
        "html",
    )
    assert "<script>" not in hostile and "&lt;script&gt;x&lt;/script&gt; &amp; y" in hostile


def test_markdown_output_italicises_and_escapes():
    markdown = render_bibliography(seeds(), "apa", "markdown")
    paragraphs = markdown.strip().split("\n\n")
    assert len(paragraphs) == 2
    assert "*Radiologe*, *64*(7), 575–581" in paragraphs[1]
    tricky = render_bibliography(
        [
            (
                "k",
                {
                    "type": "book",
                    "title": "Stars *and* [brackets] _x_",
                    "issued": {"date-parts": [[2001]]},
                },
            )
        ],
        "apa",
        "markdown",
    )
    assert r"*Stars \*and\* \[brackets\] \_x\_*" in tricky


def test_style_by_path_and_errors(tmp_path):
    copy = tmp_path / "my-style.csl"
    shutil.copy(style_path("vancouver"), copy)
    assert render_bibliography(seeds(), str(copy)) == render_bibliography(seeds(), "vancouver")
    with pytest.raises(UsageError, match="unknown citation style"):
        render_bibliography(seeds(), "no-such-style")
    with pytest.raises(UsageError, match="not found"):
        render_bibliography(seeds(), str(tmp_path / "missing.csl"))
    broken = tmp_path / "broken.csl"
    broken.write_text("<style>not csl", "utf-8")
    with pytest.raises(UsageError, match="cannot be used"):
        render_bibliography(seeds(), str(broken))
    with pytest.raises(UsageError, match="unknown output"):
        render_bibliography(seeds(), "apa", "pdf")  # type: ignore[arg-type]


def test_no_entries_no_text():
    assert render_bibliography([], "apa") == ""
