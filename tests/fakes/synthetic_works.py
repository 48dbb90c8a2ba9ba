"""Crossref work JSON constructed for tests (SYNTHETIC: not recorded from Crossref).

The two seed works have no recorded Crossref response anywhere (reference ``crossref.md`` §5), so
their records are written by hand from the facts the reference gives, in the shape of the
recorded fixtures (``01-work-…``): arrays for titles, ``issn-type`` with ``print``/``electronic``,
``published-print`` / ``published-online`` / ``issued``. Each carries ``"x-synthetic": true``.
Values the reference marks unverified (de Mestier: volume 18, pages 459-471, ISSNs; Radosa:
the Die Radiologie ISSNs) are used as the issue asks; the given names of the Radosa authors
other than Ralf-Thorsten Hoffmann are not known and are therefore left as initials here.
"""

from __future__ import annotations

from typing import Any


def _date(*parts: int) -> dict[str, Any]:
    return {"date-parts": [list(parts)]}


def _person(given: str, family: str, first: bool = False, orcid: str | None = None) -> dict:
    person: dict[str, Any] = {
        "given": given,
        "family": family,
        "sequence": "first" if first else "additional",
        "affiliation": [],
    }
    if orcid:
        person["ORCID"] = f"https://orcid.org/{orcid}"
        person["authenticated-orcid"] = False
    return person


def de_mestier_2017() -> dict[str, Any]:
    """Seed 003: de Mestier et al., Rev Endocr Metab Disord 18(4):459-471, 2017."""
    return {
        "x-synthetic": True,
        "DOI": "10.1007/s11154-017-9431-2",
        "type": "journal-article",
        "title": ["Liver transarterial embolizations in metastatic neuroendocrine tumors"],
        "author": [
            _person("Louis", "de Mestier", first=True),
            _person("Magaly", "Zappa"),
            _person("Olivia", "Hentic"),
            _person("Valérie", "Vilgrain"),
            _person("Philippe", "Ruszniewski"),
        ],
        "container-title": ["Reviews in Endocrine and Metabolic Disorders"],
        "short-container-title": ["Rev Endocr Metab Disord"],
        "volume": "18",
        "issue": "4",
        "page": "459-471",
        "published-online": _date(2017, 10, 3),
        "published-print": _date(2017, 12),
        "issued": _date(2017, 10, 3),
        "ISSN": ["1389-9155", "1573-2606"],
        "issn-type": [
            {"value": "1389-9155", "type": "print"},
            {"value": "1573-2606", "type": "electronic"},
        ],
        "publisher": "Springer Science and Business Media LLC",
        "language": "en",
        "URL": "https://doi.org/10.1007/s11154-017-9431-2",
        "indexed": {"date-parts": [[2026, 11, 1]], "date-time": "2026-11-01T00:00:00Z"},
    }


def radosa_2024() -> dict[str, Any]:
    """Seed 000: Radosa et al., Die Radiologie 64(7):575-581, 2024 (the journal renamed)."""
    return {
        "x-synthetic": True,
        "DOI": "10.1007/s00117-024-01314-z",
        "type": "journal-article",
        "title": [
            "Radiologisch-interventionelle Möglichkeiten zur Behandlung von neuroendokrinen Tumoren"
        ],
        "author": [
            _person("C. G.", "Radosa", first=True),
            _person("H.", "Nebelung"),
            _person("F.", "Schön"),
            _person("Ralf-Thorsten", "Hoffmann"),
        ],
        "container-title": ["Die Radiologie"],
        "short-container-title": ["Radiologie"],
        "volume": "64",
        "issue": "7",
        "page": "575-581",
        "published-online": _date(2024, 5, 18),
        "published-print": _date(2024, 7),
        "issued": _date(2024, 5, 18),
        "ISSN": ["2731-7048", "2731-7056"],
        "issn-type": [
            {"value": "2731-7048", "type": "print"},
            {"value": "2731-7056", "type": "electronic"},
        ],
        "publisher": "Springer Science and Business Media LLC",
        "language": "de",
        "URL": "https://doi.org/10.1007/s00117-024-01314-z",
        "indexed": {"date-parts": [[2026, 11, 2]], "date-time": "2026-11-02T00:00:00Z"},
    }


_WORDS = (
    "hepatic arterial embolization tumour response survival cohort randomized imaging "
    "biomarker therapy outcome pancreatic metastases radiology dosimetry perfusion trial"
).split()


def generated_work(i: int) -> dict[str, Any]:
    """A plausible journal article numbered ``i`` (DOI ``10.5555/fake.<i>``) for volume tests."""
    words = [_WORDS[(i * 7 + k * 3) % len(_WORDS)] for k in range(6)]
    return {
        "x-synthetic": True,
        "DOI": f"10.5555/fake.{i}",
        "type": "journal-article",
        "title": [" ".join(words).capitalize() + f" study {i}"],
        "author": [_person("Alex", f"Author{i}", first=True), _person("Sam", "Second")],
        "container-title": ["Journal of Synthetic Results"],
        "short-container-title": ["J Synth Res"],
        "volume": str(1 + i % 40),
        "issue": str(1 + i % 12),
        "page": f"{100 + i}-{110 + i}",
        "published-print": _date(2000 + i % 25, 1 + i % 12),
        "issued": _date(2000 + i % 25, 1 + i % 12),
        "ISSN": ["0000-0019"],
        "issn-type": [{"value": "0000-0019", "type": "print"}],
        "publisher": "Synthetic Publisher",
        "indexed": {"date-parts": [[2026, 1, 1]], "date-time": "2026-01-01T00:00:00Z"},
    }
