"""Plausibility: each field's value must look like what the field holds, whatever the reader.

Readers read what their layout says, but copied pages and sloppy exports put the wrong text in
the right place: a UI label as the title ("Permanenter Link"), PubMed's display options as the
abstract, abstract words as 25 "authors", a DOI cut at its first ``<``. A wrong value is worse
than a missing one (it reaches the citation key, dedup, enrichment and every export), so a
value that fails here is not stored: it becomes a :class:`~records.model.Doubt` the CLI prints
as a warning and ``--strict`` turns into a failure of the record.

Placeholders ("NA", "N/A", "[s.n.]", "Unknown", "-", "0" for a number) say "no value": they are
dropped without a doubt, since nothing the source knew is lost.

This runs once, in :func:`records.parsers._normalized`, after :func:`normalize_csl`, on the
records of every reader; no reader has its own copy of these rules.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from records.model import CSLItem, Record
from records.normalize.chrome import is_breadcrumb, is_site_name, is_ui_label
from records.normalize.names import PARTICLES
from records.normalize.record import DATE_FIELDS, NAME_FIELDS, TITLE_FIELDS

# Casefolded, with surrounding punctuation and brackets stripped ("[s.n.]" -> "s.n").
_PLACEHOLDERS = frozenset(
    """n/a n.a n/v none null nil unknown unbekannt inconnu desconocido sconosciuto s.n
    s.l s.n.] s.l.] o.o o.v o.j s.d s.a - -- --- ? ?? ... … _ __""".split()
) | frozenset({"not available", "not applicable", "no data", "sine nomine", "sine loco"})
_LONGEST_PLACEHOLDER = max(map(len, _PLACEHOLDERS))
_NUMBER_FIELDS = frozenset({"volume", "issue", "page", "number-of-pages", "edition", "number"})

# A person's name: a few tokens, no sentence punctuation, no digits (life dates are stripped
# by the name parser before this).
_SENTENCE_MARKS = re.compile(r"[!?;:]|\.\s+[a-z]|\d|https?://|@|\b(?:and|und|et)\s*$")
_MAX_NAME_TOKENS = 6
_MAX_LITERAL_TOKENS = 16
# Lower-case words allowed in names (particles, "y", "bin"): a longer lower-case word is prose.
_NAME_LOWER = PARTICLES | frozenset(
    """van von der den de del della di da das dos du la le lo ten ter y e bin ibn al el
    zu zur vom und d' l' st.""".split()
)
# Words of page navigation and display options: an abstract holding several is the page.
# Matched against the casefolded text: the same hits as with re.IGNORECASE on these ASCII
# (and "ü") words, five times faster on a long abstract (no case-insensitive alternation tried
# at every position), and abstracts are in nearly every record of an import.
_NAVIGATION = re.compile(
    r"\b(?:display options|full text links|similar articles|cited by|affiliations expand|"
    r"free pmc article|free article|add to collections|add to my bibliography|"
    r"create a file for external citation management software|format:\s*abstract|"
    r"send to|permalink|permanent link|cite this|email this|text this|export record|"
    r"save to list|book bag|add to favorites|full description|skip to (?:main )?content|"
    r"ausführliche beschreibung|permanenter link|zitieren|datensatz exportieren|"
    r"als e-mail versenden|zu den favoriten|merkliste|log ?in|anmelden|"
    r"mesh terms|linkout - more resources|related information|grants and funding)\b"
)
# Text that every match of an alternative of _NAVIGATION holds (the alternative itself where it
# is plain text; "format:", "login"/"log in", "skip to " for the others): an abstract holding
# none of them has no hit, which `in` tells ~5x faster than the expression's scan.
# tests/records/normalize/test_plausibility.py holds this list to the expression.
_NAVIGATION_TEXTS = (
    "display options",
    "full text links",
    "similar articles",
    "cited by",
    "affiliations expand",
    "free pmc article",
    "free article",
    "add to collections",
    "add to my bibliography",
    "create a file for external citation management software",
    "format:",
    "send to",
    "permalink",
    "permanent link",
    "cite this",
    "email this",
    "text this",
    "export record",
    "save to list",
    "book bag",
    "add to favorites",
    "full description",
    "skip to ",
    "ausführliche beschreibung",
    "permanenter link",
    "zitieren",
    "datensatz exportieren",
    "als e-mail versenden",
    "zu den favoriten",
    "merkliste",
    "login",
    "log in",
    "anmelden",
    "mesh terms",
    "linkout - more resources",
    "related information",
    "grants and funding",
)
_ROMAN = re.compile(r"^[ivxlcdm]+$", re.IGNORECASE)
# Volume and issue: a number, a roman number, a short code ("39B", "Suppl 2", "2022/1",
# "Pt 3", "S1", "Spec Iss"), never a sentence or a journal name with its volume.
_VOLUME = re.compile(r"^(?=.{1,24}$)(?:\w{1,12}[./\-– ]?){1,4}(?:\s*\([^()]{1,12}\))?$")
_EARLIEST_YEAR = 1000


class Checker:
    """The checks, with the current year injected (tests pass one; the CLI uses today's)."""

    def __init__(self, this_year: int | None = None) -> None:
        self.latest_year = (this_year or date.today().year) + 2  # ahead of print, "in press"

    def check(self, record: Record, *, page: bool = False) -> list[tuple[str, str, str]]:
        """Drop implausible and placeholder values from ``record.csl`` (in place); returns the
        doubts as ``(field, value, reason)``. ``page``: the record was read from a page layout,
        whose title may also be a UI label of the page (an export's title "Print" is a title)."""
        csl = record.csl
        doubts: list[tuple[str, str, str]] = []
        for key in list(csl):
            value = csl[key]
            if key in NAME_FIELDS and isinstance(value, list):
                kept = []
                for name in value:
                    reason = self.name_doubt(name, page=page) if isinstance(name, dict) else None
                    if reason is None:
                        kept.append(name)
                    elif reason:
                        doubts.append((_singular(key), _show_name(name), reason))
                _set(csl, key, kept)
            elif key in DATE_FIELDS:
                reason = self.date_doubt(value)
                if reason:
                    doubts.append((key, _show_date(value), reason))
                    del csl[key]
            elif isinstance(value, str):
                if is_placeholder(value) or (key in _NUMBER_FIELDS and _is_zero(value)):
                    del csl[key]
                    continue
                reason = self.text_doubt(key, value, page=page)
                if reason:
                    doubts.append((key, value, reason))
                    del csl[key]
        return doubts

    # -- one field at a time ------------------------------------------------------------

    def name_doubt(self, name: dict[str, Any], *, page: bool = False) -> str | None:
        """Why a CSL name is not a person's (or a body's) name; ``""`` for a placeholder
        (dropped silently), ``None`` when it is plausible."""
        parts = (
            name.get("family", ""),
            name.get("given", ""),
            name.get("literal", ""),
            "literal" in name,
            page,
        )
        try:
            return _name_doubt(*parts)
        except TypeError:  # a value that cannot be a cache key (a list): the same rules, uncached
            return _name_doubt.__wrapped__(*parts)

    def date_doubt(self, value: Any) -> str | None:
        parts = value.get("date-parts") if isinstance(value, dict) else None
        if not parts or not parts[0]:
            return None
        try:
            year = int(parts[0][0])
        except (TypeError, ValueError):
            return None
        if not _EARLIEST_YEAR <= year <= self.latest_year:
            return f"year out of range ({_EARLIEST_YEAR}-{self.latest_year})"
        return None

    def text_doubt(self, key: str, value: str, *, page: bool) -> str | None:
        if key in TITLE_FIELDS:
            if page and (is_ui_label(value) or is_site_name(value)):
                return "a page label, not a title"
            if is_breadcrumb(value):
                return "a breadcrumb, not a title"
            if key == "title" and page and re.search(r"(?:\.\.\.|…)$", value):
                return "cut short"
        elif key == "abstract":
            text = value.casefold()
            if any(part in text for part in _NAVIGATION_TEXTS):
                hits = {m.group(0) for m in _NAVIGATION.finditer(text)}
                if len(hits) >= 2:
                    return "page navigation, not an abstract"
        elif key == "page":
            # Page values are odd in real data ("100-", "M-1-M-4", "I-II-III-IV", "xii, 1-20"):
            # only prose is refused ("575-581 Springer Nature", a sentence).
            words = [w for w in re.findall(r"[^\W\d_]{3,}", value) if not _ROMAN.match(w)]
            if len(words) >= 2 or len(value) > 40:
                return "not a page range"
        elif key in ("volume", "issue"):
            if not _VOLUME.match(value):
                return f"not a{'n' if key == 'issue' else ''} {key}"
        elif key == "DOI":
            return doi_doubt(value)
        return None


# The same names come back record after record (an author's every paper, a file's many records
# of one group): their verdicts are kept. Typed, so that 1 and 1.0 or True (written "1", "1.0",
# "True") are not one key.
@lru_cache(maxsize=1 << 16, typed=True)
def _name_doubt(family: Any, given: Any, literal: Any, has_literal: bool, page: bool) -> str | None:
    """:meth:`Checker.name_doubt` of a name with these values (``""`` for a missing one)."""
    parts = [str(family), str(given), str(literal)]
    text = " ".join(p for p in parts if p).strip()
    if not text or is_placeholder(text):
        return ""
    if page and is_ui_label(text):  # "Authors", "verfasst von" read as a name
        return "a page label, not a name"
    if has_literal:
        literal = parts[2]
        if len(literal.split()) > _MAX_LITERAL_TOKENS or re.search(r"[!?]|\.\s+[A-Z][a-z]+\s+[a-z]+", literal):
            return "not a name"
        return None
    tokens = text.split()
    if len(tokens) > _MAX_NAME_TOKENS or _SENTENCE_MARKS.search(text):
        return "not a name"
    family = parts[0]
    if not page:  # exports write names as their database holds them, lower case or not
        return None
    # "classifications, Here": on a page, a family name of prose words (lower case, not a
    # particle) is text the reader took for a name.
    words = [w for w in re.split(r"[\s\-]+", family) if w]
    if words and all(w.islower() and w not in _NAME_LOWER for w in words) and len(family) > 3:
        return "not a name"
    return None


def doi_doubt(doi: str) -> str | None:
    """A DOI cut short: brackets left open, or a SICI (``(SICI)...<165::AID-ANIE165>3.0.CO;2-B``)
    without its check part."""
    if doi.count("(") != doi.count(")") or doi.count("<") != doi.count(">"):
        return "not whole (unbalanced brackets)"
    if "(SICI)" in doi.upper() and not re.search(r">[\d.]+\.CO;2-[\dA-Z]$", doi, re.IGNORECASE):
        return "not whole (a SICI without its check part)"
    return None


def is_placeholder(value: str) -> bool:
    """ "NA", "N/A", "n/a", "-", "[s.n.]", "s.n.", "Unknown": a source's way to say "none"."""
    text = value.strip()
    if len(text) > _LONGEST_PLACEHOLDER and text[0] not in "[(" and text[-1] not in "]).":
        # Nothing to strip, and casefolding never shortens: no placeholder is this long. (Every
        # string value of every record comes here; almost all of them are longer.)
        return False
    if text in ("NA", "NV"):  # upper case only: "Na" is a name (and sodium)
        return True
    key = text.strip("[]()").strip().rstrip(".").casefold()
    return key in _PLACEHOLDERS or text.casefold() in _PLACEHOLDERS


def _is_zero(value: str) -> bool:
    return bool(re.fullmatch(r"\s*0+\s*", value))


def _set(csl: CSLItem, key: str, names: list[Any]) -> None:
    if names:
        csl[key] = names
    else:
        del csl[key]


def _singular(key: str) -> str:
    return key


def _show_name(name: dict[str, Any]) -> str:
    if "literal" in name:
        return str(name["literal"])
    return ", ".join(str(name[k]) for k in ("family", "given") if name.get(k))


def _show_date(value: Any) -> str:
    if isinstance(value, dict) and value.get("date-parts"):
        return "-".join(str(p) for p in value["date-parts"][0])
    return str(value)
