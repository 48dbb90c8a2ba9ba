"""Fellegi-Sunter evidence weights for pairs without a shared identifier.

Each field comparison falls in an agreement level; each level weighs log2(m/u), where m is the
share of true duplicate pairs at that level and u the share of non-duplicate candidate pairs
(pairs that blocking proposes, the only ones ever compared). The weights below were fitted once
by ``scripts/fit-dedup-weights`` on the tuning data (sra_respiratory and bibdedupe_digital_work
candidate pairs, dblp_scholar_pairs' valid splits; never the held-out test splits), with add-one
smoothing, and are documented in docs/dedup.md.

They weigh evidence in the zone the rules leave undecided: a pair the rules call "maybe" and no
veto caps becomes a duplicate when its total weight reaches :data:`DUPLICATE_WEIGHT`. Vetoes stay
explicit constraints with their reasons; the weights never overrule one.
"""

from __future__ import annotations

from records.dedup.fields import NEAR_TITLE, SAME_ABSTRACT, FieldComparison

FIELDS = ("title", "authors", "year", "venue", "pages", "volume", "abstract")
# Level names per field, in the order of the weights below.
LEVELS = {
    "title": ("same", "near", "similar", "resembling", "different", "missing"),
    "authors": ("all agree", "agree", "partly", "conflict", "missing"),
    "year": ("same", "one apart", "further apart", "missing"),
    "venue": ("same", "different", "missing"),
    "pages": ("same", "different", "missing"),
    "volume": ("same", "different", "missing"),
    "abstract": ("same", "different", "other or missing"),
}


def levels(f: FieldComparison) -> tuple[int, ...]:
    """The agreement level of each field in :data:`FIELDS` for one pair."""
    t = f.title
    title = (
        5 if t is None else 0 if t == 1.0 else 1 if t >= NEAR_TITLE else 2 if t >= 0.85
        else 3 if t >= 0.75 else 4
    )
    a = f.authors
    authors = (
        4 if a is None
        else 0 if a.agree and a.fraction >= 0.8 and a.compared >= 2
        else 1 if a.agree else 3 if a.conflict else 2
    )
    g = f.year_gap
    year = 3 if g is None else min(g, 2)
    venue = 0 if f.container else 1 if f.container_clash else 2
    pages = 2 if f.first_page is None else 0 if f.first_page else 1
    volume = 2 if f.volume is None else 0 if f.volume else 1
    ab = f.abstract
    abstract = 2 if ab is None else 0 if ab >= SAME_ABSTRACT else 1 if ab < 0.5 else 2
    return (title, authors, year, venue, pages, volume, abstract)


# log2(m/u) per level, fitted by scripts/fit-dedup-weights (see the module docstring).
# 3,219 duplicate and 32,667 other pairs (refitted after the sparse-record blocking keys, which
# propose more pairs). Identical titles weigh little: among candidate pairs many non-duplicates
# share a title (errata, a conference paper and its journal version, columns).
WEIGHTS: dict[str, tuple[float, ...]] = {
    "title": (0.73, 5.2, 4.07, 2.02, -2.52, 3.34),
    "authors": (3.19, -0.31, -0.54, -4.52, 0.51),
    "year": (2.28, -3.34, -6.5, 1.06),
    "venue": (0.93, -2.46, 0.95),
    "pages": (2.44, -7.6, 1.04),
    "volume": (2.59, -8.99, 1.14),
    "abstract": (6.95, -5.64, -0.02),
}
# One bit above the heaviest non-duplicate that the rules leave at "maybe" without a veto.
DUPLICATE_WEIGHT = 12.4


def evidence_weight(f: FieldComparison) -> float:
    """The pair's total Fellegi-Sunter weight (log2 of the likelihood ratio)."""
    return sum(WEIGHTS[name][level] for name, level in zip(FIELDS, levels(f), strict=True))
