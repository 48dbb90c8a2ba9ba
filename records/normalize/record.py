"""The generic normalization pass over a whole CSL item, run after every parser.

Parsers read what their layout says; this pass makes the values uniform whatever the source:
text cleaned, identifiers canonical (invalid ones dropped), pages, language and abstract
normalized, empty values removed. It is idempotent: ``normalize_csl(normalize_csl(x)) == normalize_csl(x)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
from records.normalize.latex import latex_to_unicode
from records.normalize.pages import normalize_pages
from records.normalize.text import clean_text, strip_trailing_period, without_controls

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


# A LaTeX accent or letter command in a name, whatever the format brought it ("D{\'e}coret",
# "Swe{\i}g", "M\"{o}ller" in RIS or CSV written by BibTeX tools): decoded, so that it never
# becomes "D 'ecoret" or "Swe ig" downstream. BibTeX names are decoded by their reader already.
_LATEX_IN_NAME = re.compile(
    r"\\(?:[`'^\"~=.]\s*\{?\s*\\?[A-Za-z]|[uvHckrbdt]\s*\{\s*\\?[A-Za-z]|[uvHckrbdt]\s+[A-Za-z]|"
    r"(?:ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z]))"
)


def _name_part(value: str) -> str:
    if "\\" in value and _LATEX_IN_NAME.search(value):
        value = latex_to_unicode(value)
    return clean_text(value)


def _clean_name(items: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    out = {k: _name_part(v) if isinstance(v, str) else v for k, v in items}
    return {k: v for k, v in out.items() if v not in ("", None)}


# Names recur across a bibliography far more than other values: each distinct one is cleaned
# once. A plain dict emptied when full: on this path (every name of every record) an LRU's
# bookkeeping costs more than the rare refill. Callers get copies; cached dicts stay here.
_CLEAN_NAMES: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = {}
_CLEAN_NAMES_MAX = 1 << 16


def _names(value: Any) -> Any:
    if not isinstance(value, list):
        return _plain(value)
    out = []
    for name in value:
        if not isinstance(name, dict):
            continue
        items = tuple(name.items())
        try:
            clean = _CLEAN_NAMES.get(items)
        except TypeError:  # a list or dict inside a name: unhashable, not remembered
            clean = _clean_name(items)
        if clean is None:
            clean = _clean_name(items)
            if len(_CLEAN_NAMES) >= _CLEAN_NAMES_MAX:
                _CLEAN_NAMES.clear()
            _CLEAN_NAMES[items] = clean
        if clean:
            out.append(dict(clean))
    return out


def normalize_title(value: str) -> str:
    """A title as every record stores it: entities and inline markup out, whitespace collapsed,
    no trailing period."""
    return strip_trailing_period(clean_text(value))


def _title(value: Any) -> Any:
    return normalize_title(value) if isinstance(value, str) else value


def _abstract(value: Any) -> Any:
    return readable_abstract(value) if isinstance(value, str) else value


def _isbns(value: Any) -> str | None:
    isbns = [normalize_isbn(v) for v in str(value).replace(";", ",").split(",")]
    return ", ".join(i for i in isbns if i) or None


def _date(value: Any) -> Any:
    """Dates keep their shape; their texts (``literal``, ``raw``) lose control characters."""
    if isinstance(value, dict):
        return {k: without_controls(v) if isinstance(v, str) else v for k, v in value.items()}
    return without_controls(value) if isinstance(value, str) else value


def _plain(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _text(value: Any) -> str:
    return clean_text(str(value))


# What each field gets; a field not listed is cleaned if it is a string (dates are not).
_STEPS: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(NAME_FIELDS, _names),
    **dict.fromkeys(TITLE_FIELDS, _title),
    "abstract": _abstract,
    "DOI": lambda value: normalize_doi(str(value)),
    "ISSN": lambda value: ", ".join(issn_list(value)) or None,
    "ISBN": _isbns,
    "PMID": normalize_pmid,
    "PMCID": lambda value: normalize_pmcid(str(value)),
    "page": lambda value: normalize_pages(str(value)),
    "language": lambda value: normalize_language(str(value)) or clean_text(str(value)),
    **dict.fromkeys(
        """volume issue number edition publisher publisher-place URL note genre medium
        number-of-pages version""".split(),
        _text,
    ),
    **dict.fromkeys(DATE_FIELDS, lambda value: _date(value)),
}


# Compared with ==, so every empty list and dict is empty; one tuple, not a new one per value.
_EMPTY: tuple[Any, ...] = (None, "", [], {})


def normalize_csl(csl: CSLItem) -> CSLItem:
    """A normalized copy of a CSL item (see the module docstring)."""
    out: CSLItem = {}
    steps = _STEPS
    for key, value in csl.items():
        if value in _EMPTY:
            continue
        value = steps.get(key, _plain)(value)
        if value not in _EMPTY:
            out[key] = value
    return out
