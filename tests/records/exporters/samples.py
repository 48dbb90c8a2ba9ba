"""Export test data: the two seeds (003 as Crossref enriches it) and constructed records."""

from __future__ import annotations

from typing import Any

from records.parsers import parse_bytes
from tests.conftest import SPRINGER_SEED, VUFIND_SEED


def seeds() -> list[tuple[str, dict[str, Any]]]:
    """``(key, csl)`` for seed 000 (VuFind) and seed 003 (Springer) with Crossref's
    volume, pages and DOI added."""
    vufind = parse_bytes(VUFIND_SEED.read_bytes(), str(VUFIND_SEED)).records[0].csl
    springer = parse_bytes(SPRINGER_SEED.read_bytes(), str(SPRINGER_SEED)).records[0].csl
    springer = {**springer, "volume": "18", "page": "459-471", "DOI": "10.1007/s11154-017-9431-2"}
    return [("radosa2024radiologisch", vufind), ("demestier2017liver", springer)]


# Records that exercise escaping, names and types beyond the two seed articles.
EXTRA = [
    (
        "who2020tricky",
        {
            "type": "report",
            "author": [{"literal": "World Health Organization"}],
            "title": "Tricky: 100% & $5 # x_y {b} ~ ^ \\ @ } – α and “quotes”",
            "publisher": "WHO",
            "publisher-place": "Genève",
            "issued": {"date-parts": [[2020, 3]]},
            "URL": "https://example.org/a_b%20c?d=1#frag",
            "abstract": "@article{evil, title={x}} } } { % not a comment",
        },
    ),
    (
        "smith1999chapter",
        {
            "type": "chapter",
            "author": [{"family": "Smith", "given": "John", "suffix": "Jr."}],
            "editor": [{"family": "van der Berg", "given": "Anna"}, {"literal": "et al."}],
            "title": "DNA repair in E. coli",
            "container-title": "Handbook of Molecular Biology",
            "publisher": "Springer",
            "publisher-place": "Berlin",
            "page": "12–34",
            "issued": {"date-parts": [[1999]]},
            "ISBN": "9783540000006",
        },
    ),
    (
        "mueller2001thesis",
        {
            "type": "thesis",
            "author": [{"family": "Müller", "given": "Jörg"}],
            "title": "Über Lebermetastasen",
            "publisher": "Universität Heidelberg",
            "issued": {"date-parts": [[2001]]},
            "language": "de",
        },
    ),
]
