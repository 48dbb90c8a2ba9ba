"""The identifiers under which the store indexes a record, for lookup by identifier.

DOI, PMID and PMCID are *strong* identifiers of a work. ISSN and ISBN are indexed for lookup
but identify a journal or a book, never an article (deciding identity is :mod:`records.dedup`'s).
"""

from __future__ import annotations

from records.identifiers import doi_key, issn_list, normalize_isbn
from records.model import CSLItem

STRONG_KINDS = ("doi", "pmid", "pmcid")


def strong_identifiers(csl: CSLItem) -> dict[str, str]:
    out: dict[str, str] = {}
    if csl.get("DOI"):
        out["doi"] = doi_key(str(csl["DOI"]))
    if csl.get("PMID"):
        out["pmid"] = str(csl["PMID"])
    if csl.get("PMCID"):
        out["pmcid"] = str(csl["PMCID"]).upper()
    return out


def index_rows(csl: CSLItem) -> list[tuple[str, str]]:
    """Every (kind, value) the store indexes for a record."""
    rows = list(strong_identifiers(csl).items())
    for issn in issn_list(csl.get("ISSN")):
        rows.append(("issn", issn))
    for isbn in str(csl.get("ISBN") or "").split(","):
        if normalized := normalize_isbn(isbn):
            rows.append(("isbn", normalized))
    return rows
