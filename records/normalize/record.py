"""The generic normalization pass over a whole CSL item, run after every parser.

Parsers read what their layout says; this pass makes the values uniform whatever the source:
text cleaned, identifiers canonical (invalid ones dropped), pages, language and abstract
normalized, empty values removed. It is idempotent: ``normalize_csl(normalize_csl(x)) == normalize_csl(x)``.
"""

from __future__ import annotations

from typing import Any

from records.identifiers import (
    issn_list,
    normalize_doi,
    normalize_isbn,
    normalize_pmcid,
    normalize_pmid,
)
from records.model import CSLItem
from records.normalize.abstract import readable_abstract
from records.normalize.language import normalize_language
from records.normalize.pages import normalize_pages
from records.normalize.text import clean_text, strip_trailing_period

NAME_FIELDS = (
    "author",
    "editor",
    "translator",
    "container-author",
    "collection-editor",
    "composer",
    "director",
    "interviewer",
    "recipient",
    "reviewed-author",
)
DATE_FIELDS = ("issued", "accessed", "event-date", "original-date", "submitted")
TITLE_FIELDS = (
    "title",
    "container-title",
    "collection-title",
    "container-title-short",
    "title-short",
    "original-title",
    "event-title",
)


def _clean_name(name: dict[str, Any]) -> dict[str, Any]:
    out = {k: clean_text(v) if isinstance(v, str) else v for k, v in name.items()}
    return {k: v for k, v in out.items() if v not in ("", None)}


def normalize_csl(csl: CSLItem) -> CSLItem:
    """A normalized copy of a CSL item (see the module docstring)."""
    out: CSLItem = {}
    for key, value in csl.items():
        if value in (None, "", [], {}):
            continue
        if key in NAME_FIELDS and isinstance(value, list):
            names = [_clean_name(n) for n in value if isinstance(n, dict)]
            value = [n for n in names if n]
        elif key in TITLE_FIELDS and isinstance(value, str):
            value = strip_trailing_period(clean_text(value))
        elif key == "abstract" and isinstance(value, str):
            value = readable_abstract(value)
        elif key == "DOI":
            value = normalize_doi(str(value))
        elif key == "ISSN":
            value = ", ".join(issn_list(value)) or None
        elif key == "ISBN":
            isbns = [normalize_isbn(v) for v in str(value).replace(";", ",").split(",")]
            value = ", ".join(i for i in isbns if i) or None
        elif key == "PMID":
            value = normalize_pmid(value)
        elif key == "PMCID":
            value = normalize_pmcid(str(value))
        elif key == "page":
            value = normalize_pages(str(value))
        elif key == "language":
            value = normalize_language(str(value)) or clean_text(str(value))
        elif key in (
            "volume",
            "issue",
            "number",
            "edition",
            "publisher",
            "publisher-place",
            "URL",
            "note",
            "genre",
            "medium",
            "number-of-pages",
            "version",
        ):
            value = clean_text(str(value))
        elif isinstance(value, str) and key not in DATE_FIELDS:
            value = clean_text(value)
        if value not in (None, "", [], {}):
            out[key] = value
    return out
