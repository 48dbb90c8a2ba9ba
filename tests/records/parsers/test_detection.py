"""Every format is told from its content alone, and no parser claims another's input."""

from __future__ import annotations

import pytest

from records.errors import UnknownFormat
from records.parsers import PARSERS, detect
from tests.conftest import FIXTURES, SPRINGER_SEED, VUFIND_SEED
from tests.records.parsers import (
    test_bibtex,
    test_csljson,
    test_csv,
    test_endnote_xml,
    test_medline,
    test_pubmed_xml,
    test_ris,
    test_wos,
)

SAMPLES = {
    "bibtex": test_bibtex.SAMPLE,
    "ris": test_ris.SCOPUS,
    "medline": test_medline.NBIB,
    "csl-json": test_csljson.ITEMS,
    "csl-yaml": test_csljson.YAML,
    "endnote-xml": test_endnote_xml.SAMPLE,
    "pubmed-xml": test_pubmed_xml.SAMPLE,
    "marcxml": (FIXTURES / "formats/pymarc/test/batch.xml").read_text("utf-8"),
    "marc21": (FIXTURES / "formats/pymarc/test/test.dat").read_bytes().decode("latin-1"),
    "wos": test_wos.SAMPLE,
    "csv": test_csv.SCOPUS_LIKE,
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_detected_and_unambiguous(name: str) -> None:
    text = SAMPLES[name]
    assert detect(text, "input").name == name
    own = next(p for p in PARSERS if p.name == name).sniff(text)
    rivals = {p.name: p.sniff(text) for p in PARSERS if p.name != name}
    assert all(score < own for score in rivals.values()), rivals


@pytest.mark.parametrize("seed", [VUFIND_SEED, SPRINGER_SEED], ids=["vufind", "springer"])
def test_page_layouts_are_not_claimed_by_format_parsers(seed) -> None:
    text = seed.read_text("utf-8")
    format_parsers = set(SAMPLES)
    assert detect(text, seed.name).name not in format_parsers


def test_prose_is_no_format() -> None:
    with pytest.raises(UnknownFormat):
        detect("Dear colleague,\nplease find the references attached.\nBest", "mail.txt")
