"""Blocking: near-duplicates share a key even when one field is broken; blocks stay bounded."""

from __future__ import annotations

import pytest

from records.dedup import blocking_keys, candidate_pairs, prepare
from records.model import CSLItem

BASE: CSLItem = {
    "type": "article-journal",
    "title": "Management of peripancreatic fluid collections following partial pancreatectomy",
    "author": [{"family": "Kwon", "given": "Y. M."}, {"family": "Gerdes", "given": "H."}],
    "issued": {"date-parts": [[2013]]},
    "container-title": "Surgical Endoscopy",
    "volume": "27",
    "page": "2422-2427",
    "DOI": "10.1007/s00464-012-2742-9",
}

BROKEN = {
    "typo in first title word": {
        "title": "Mangement of peripancreatic fluid collections following partial pancreatectomy"
    },
    "title in capitals, no DOI": {"title": BASE["title"].upper(), "DOI": None},
    "no DOI, abbreviated journal": {"DOI": None, "container-title": "Surg Endosc"},
    "no authors, no DOI": {"author": None, "DOI": None},
    "year off by one, no DOI": {"issued": {"date-parts": [[2014]]}, "DOI": None},
    "subtitle added, no DOI": {"title": BASE["title"] + ": a comparison of outcomes", "DOI": None},
    "typo in last title word, no DOI": {"title": BASE["title"][:-3] + "tomi", "DOI": None},
    "different title language, no DOI": {
        "title": "Tratamiento de colecciones peripancreáticas",
        "DOI": None,
    },
}


@pytest.mark.parametrize("change", sorted(BROKEN))
def test_variant_with_one_broken_field_shares_a_key(change: str) -> None:
    variant = {**BASE, **BROKEN[change]}
    variant = {k: v for k, v in variant.items() if v is not None}
    assert blocking_keys(prepare(BASE)) & blocking_keys(prepare(variant))


def test_keys_are_plain_strings() -> None:
    keys = blocking_keys(prepare(BASE))
    assert keys and all(isinstance(k, str) and k for k in keys)
    assert "doi:10.1007/s00464-012-2742-9" in keys


def test_unrelated_records_share_no_key() -> None:
    other = {
        "title": "Quantum error correction with surface codes",
        "author": [{"family": "Fowler", "given": "A."}],
        "issued": {"date-parts": [[2012]]},
        "container-title": "Physical Review A",
        "volume": "86",
        "page": "032324",
    }
    assert not blocking_keys(prepare(BASE)) & blocking_keys(prepare(other))


def test_oversized_blocks_are_skipped_and_reported() -> None:
    keys = [{"t:editorial", f"own:{i}"} for i in range(50)] + [{"x:1"}, {"x:1"}]
    result = candidate_pairs(keys, max_block=10)
    assert result.oversized == {"t:editorial": 50}
    assert result.pairs == {(50, 51)}
