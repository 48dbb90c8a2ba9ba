"""Identity of a work: the identifiers and keys under which the store indexes a record.

DOI, PMID and PMCID are *strong* keys: equal values mean the same work, and two different
values of the same kind mean different works (a veto). ISSN and ISBN are indexed for search but
never identify an article: many articles share a journal's ISSN, many chapters a book's ISBN.
The ``title`` key (folded title + year + first author's family name) finds the same work
from sources that carry no identifier; it must agree exactly after normalization, so it never
merges two different articles on its own -- the fuzzy matching belongs to :mod:`records.dedup`.
"""

from __future__ import annotations

import re

from records.identifiers import doi_key, issn_list, normalize_isbn
from records.model import CSLItem
from records.normalize.dates import year_of
from records.normalize.text import fold_ascii

STRONG_KINDS = ("doi", "pmid", "pmcid")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def folded(text: str) -> str:
    """Lower-case ASCII letters and digits only: the comparison form of a title or name."""
    return _NON_ALNUM.sub("", fold_ascii(text).lower())


def strong_identifiers(csl: CSLItem) -> dict[str, str]:
    out: dict[str, str] = {}
    if csl.get("DOI"):
        out["doi"] = doi_key(str(csl["DOI"]))
    if csl.get("PMID"):
        out["pmid"] = str(csl["PMID"])
    if csl.get("PMCID"):
        out["pmcid"] = str(csl["PMCID"]).upper()
    return out


def title_key(csl: CSLItem) -> str | None:
    """``<folded title>|<year>|<first author family>``, or ``None`` if any part is missing."""
    title = folded(str(csl.get("title") or ""))
    year = year_of(csl.get("issued"))
    authors = csl.get("author") or []
    first = authors[0] if authors else {}
    family = folded(str(first.get("family") or first.get("literal") or ""))
    if len(title) < 12 or year is None or not family:  # too short to be distinctive
        return None
    return f"{title}|{year}|{family}"


def index_rows(csl: CSLItem) -> list[tuple[str, str]]:
    """Every (kind, value) the store indexes for a record."""
    rows = list(strong_identifiers(csl).items())
    for issn in issn_list(csl.get("ISSN")):
        rows.append(("issn", issn))
    for isbn in str(csl.get("ISBN") or "").split(","):
        if normalized := normalize_isbn(isbn):
            rows.append(("isbn", normalized))
    if key := title_key(csl):
        rows.append(("title", key))
    return rows


def strong_conflict(a: CSLItem, b: CSLItem) -> str | None:
    """The reason two records cannot be the same work (different DOI, PMID or PMCID), if any."""
    ids_a, ids_b = strong_identifiers(a), strong_identifiers(b)
    for kind in STRONG_KINDS:
        if kind in ids_a and kind in ids_b and ids_a[kind] != ids_b[kind]:
            return f"different {kind.upper()}: {ids_a[kind]} vs {ids_b[kind]}"
    return None
