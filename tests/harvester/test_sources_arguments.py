"""What a command-line argument names: a file or folder first, then a DOI, a PubMed id, a web
address or a reference string (harvester.sources.inputs)."""

from __future__ import annotations

import pytest

from harvester.sources.inputs import classify, iter_inputs, pubmed_id


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("PMID:38767734", "38767734"),
        ("pmid 38767734", "38767734"),
        ("PMID: 38767734", "38767734"),
        ("pmid=38767734", "38767734"),
        ("38767734", "38767734"),
        ("0038767734", "38767734"),
        ("https://pubmed.ncbi.nlm.nih.gov/38767734/", "38767734"),
        ("https://pubmed.ncbi.nlm.nih.gov/38767734", "38767734"),
        ("http://www.ncbi.nlm.nih.gov/pubmed/38767734?dopt=Abstract", "38767734"),
        ("https://europepmc.org/article/MED/38767734", "38767734"),
        ("PMC5973862", "PMC5973862"),
        ("pmc5973862", "PMC5973862"),
        ("PMCID: PMC5973862", "PMC5973862"),
        ("pmcid 5973862", "PMC5973862"),
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5973862/", "PMC5973862"),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC5973862/", "PMC5973862"),
        ("https://europepmc.org/article/PMC/PMC5973862", "PMC5973862"),
        # not PubMed ids
        ("0", None),
        ("1234567890", None),  # ten digits: no PMID (an ISBN-10 is not one either)
        ("PMID:abc", None),
        ("https://pubmed.ncbi.nlm.nih.gov/?term=asthma", None),
        ("https://example.org/38767734/", None),
        ("10.1056/NEJMoa1715274", None),
    ],
)
def test_pubmed_id(argument, expected):
    assert pubmed_id(argument) == expected


@pytest.mark.parametrize(
    ("argument", "kind"),
    [
        ("10.1056/NEJMoa1715274", "doi"),
        ("https://doi.org/10.1056/NEJMoa1715274", "doi"),
        ("PMID:29768149", "pubmed"),
        ("29768149", "pubmed"),
        ("https://pubmed.ncbi.nlm.nih.gov/29768149/", "pubmed"),
        ("https://katalog.example.org/Record/1234", "url"),
        ("http://127.0.0.1:8080/refs.bib", "url"),
        ("https://", "path"),
        (
            "Radosa CG, Nebelung H. Radiologisch-interventionelle Möglichkeiten. 2024;64:575.",
            "reference",
        ),
        ("missing.ris", "path"),
    ],
)
def test_classify(argument, kind):
    assert classify(argument) == kind


def test_an_existing_file_wins_over_a_pmid_and_a_lone_prefix_joins_its_id(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "29768149").write_text("TY  - JOUR\nTI  - A file named like a PMID\nER  - \n")

    class NoNetwork:
        def pubmed(self, identifiers):
            asked.append(list(identifiers))
            return iter(())

        def fetch(self, url):  # pragma: no cover - must not be called
            raise AssertionError(url)

        def close(self):
            pass

    asked: list[list[str]] = []
    arguments = ["29768149", "PMID:", "26711635", "pmcid", "PMC5973862", "26711635", "pmid"]
    inputs = list(iter_inputs(arguments, network=NoNetwork()))  # type: ignore[arg-type]
    assert [i.origin for i in inputs] == ["29768149", "pmid"]
    assert b"A file named like a PMID" in (inputs[0].data or b"")
    assert "no such file" in str(inputs[1].error)  # a lone prefix with nothing after it
    # every id of the run asked for together, in order
    assert asked == [["26711635", "PMC5973862", "26711635"]]
