"""A Crossref work (the ``message`` of ``/works/{doi}``, or one list item) as a :class:`Record`.

Crossref's JSON is close to CSL but not the same (reference ``crossref.md`` §1.5): titles are
arrays and may carry JATS/HTML markup with the deposit's line breaks, the abstract is JATS XML,
``type`` uses Crossref's vocabulary, ORCIDs are URLs, organisations are ``{"name": …}``, and there
are several dates. This module maps it field by field; :func:`normalize_csl` then runs as after
every parser.

Dates: the work's ``issued`` is the print date when there is one (``published-print``), else the
online date, else Crossref's ``issued`` (which is the earlier of the two). A citation may carry
either year, so both are kept on :attr:`Record.original` under ``published-print`` and
``published-online`` (ISO 8601, as precise as deposited), beside Crossref's own ``issued``.
The matcher accepts either year.
"""

from __future__ import annotations

import json
import re
from typing import Any

from records.identifiers import normalize_doi, normalize_isbn, normalize_issn
from records.model import CSLItem, IssnKind, Record, SourceRef
from records.normalize.abstract import readable_abstract
from records.normalize.language import normalize_language
from records.normalize.pages import normalize_pages
from records.normalize.record import normalize_csl
from records.normalize.text import clean_text

# Crossref work types -> CSL types (Crossref's /types list; CSL 1.0.2 vocabulary).
CROSSREF_TYPES: dict[str, str] = {
    "journal-article": "article-journal",
    "proceedings-article": "paper-conference",
    "book-chapter": "chapter",
    "book-part": "chapter",
    "book-section": "chapter",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "book-series": "book",
    "book-track": "book",
    "proceedings": "book",
    "proceedings-series": "book",
    "reference-entry": "entry-encyclopedia",
    "posted-content": "article",  # preprints: CSL's "article" is the unpublished-article type
    "dissertation": "thesis",
    "report": "report",
    "report-component": "report",
    "report-series": "report",
    "standard": "standard",
    "standard-series": "standard",
    "dataset": "dataset",
    "database": "dataset",
    "component": "document",
    "peer-review": "review",
    "journal": "periodical",
    "journal-issue": "periodical",
    "journal-volume": "periodical",
    "grant": "document",
    "other": "document",
}

_ORCID_RE = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.IGNORECASE)
# Deposits wrap inline markup in line breaks and indentation: "detecting\n   <i>KRAS</i>\n   /".
# Where such a break sits between a tag and punctuation it is layout, not a word space.
_BREAK_BEFORE_PUNCT = re.compile(r"(?<=>)\s*\n\s*(?=[/)\]–,.;:-])")
_BREAK_AFTER_PUNCT = re.compile(r"(?<=[/(\[–-])\s*\n\s*(?=<)")
_BREAK_AROUND_SLASH = re.compile(r"\s*\n\s*/\s*\n\s*")
_JATS_TITLE = re.compile(
    r"<(?:jats:)?title\b[^>]*>(.*?)</(?:jats:)?title>\s*", re.IGNORECASE | re.DOTALL
)


def markup_text(value: str) -> str:
    """Text of a title with JATS/HTML inline markup: tags dropped, layout breaks removed."""
    if "<" in value:
        value = _BREAK_AROUND_SLASH.sub("/", value)
        value = _BREAK_AFTER_PUNCT.sub("", _BREAK_BEFORE_PUNCT.sub("", value))
    return clean_text(value)


def jats_abstract(value: str) -> str:
    """A JATS abstract as plain text; section titles become ``Heading: text``."""

    def heading(match: re.Match[str]) -> str:
        title = clean_text(match.group(1)).rstrip(":")
        if not title or title.lower() in ("abstract", "summary"):
            return " "
        return f" {title}: "

    text = _JATS_TITLE.sub(heading, value)
    return readable_abstract(markup_text(text))


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return value if isinstance(value, str) and value.strip() else None


def _orcid(value: Any) -> str | None:
    match = _ORCID_RE.search(str(value or ""))
    return f"https://orcid.org/{match.group(1).upper()}" if match else None


def crossref_name(person: dict[str, Any]) -> dict[str, str]:
    """A Crossref contributor as a CSL name (with ``ORCID`` as a URL when deposited)."""
    if not person.get("family"):
        literal = person.get("name") or person.get("given")
        return {"literal": clean_text(literal)} if literal else {}
    name = {"family": clean_text(person["family"])}
    if person.get("given"):
        name["given"] = clean_text(person["given"])
    if person.get("suffix"):
        name["suffix"] = clean_text(person["suffix"])
    orcid = _orcid(person.get("ORCID"))
    if orcid:
        name["ORCID"] = orcid
    return name


def date_parts(value: Any) -> list[int] | None:
    """The first ``date-parts`` of a Crossref date, if it has at least a year."""
    try:
        parts = value["date-parts"][0]
    except (KeyError, IndexError, TypeError):
        return None
    out = [int(p) for p in parts if p is not None]
    return out or None


def iso_date(parts: list[int]) -> str:
    return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))


def work_dates(work: dict[str, Any]) -> dict[str, list[int]]:
    """``published-print``, ``published-online`` and ``issued`` date parts, where present."""
    out: dict[str, list[int]] = {}
    for key in ("published-print", "published-online", "issued"):
        parts = date_parts(work.get(key))
        if parts:
            out[key] = parts
    return out


def work_years(work: dict[str, Any]) -> set[int]:
    """Every year a citation of this work may carry (print, online, issued)."""
    return {parts[0] for parts in work_dates(work).values()}


def work_to_csl(work: dict[str, Any]) -> tuple[CSLItem, dict[str, IssnKind], dict[str, str]]:
    """The CSL item, ISSN kinds and kept originals (dates) of a Crossref work."""
    csl: CSLItem = {}
    kind = work.get("type")
    if isinstance(kind, str):
        csl["type"] = CROSSREF_TYPES.get(kind, "document")
    title = _first(work.get("title"))
    subtitle = _first(work.get("subtitle"))
    if title:
        text = markup_text(title)
        if subtitle:
            sub = markup_text(subtitle)
            if sub and sub.lower() not in text.lower():
                text = f"{text.rstrip(':')}: {sub}"
        csl["title"] = text
    short_title = _first(work.get("short-title"))
    if short_title:
        csl["title-short"] = markup_text(short_title)
    original_title = _first(work.get("original-title"))
    if original_title:
        csl["original-title"] = markup_text(original_title)
    for role in ("author", "editor", "translator"):
        people = work.get(role)
        if isinstance(people, list):
            names = [crossref_name(p) for p in people if isinstance(p, dict)]
            if any(names):
                csl[role] = [n for n in names if n]
    containers = [c for c in work.get("container-title") or [] if isinstance(c, str) and c.strip()]
    if containers:
        csl["container-title"] = markup_text(containers[0])
        if len(containers) > 1:
            csl["collection-title"] = markup_text(containers[1])
    short_container = _first(work.get("short-container-title"))
    if short_container:
        csl["container-title-short"] = markup_text(short_container)
    for key in ("volume", "issue"):
        if work.get(key):
            csl[key] = clean_text(str(work[key]))
    page = normalize_pages(work.get("page")) or normalize_pages(work.get("article-number"))
    if page:
        csl["page"] = page
    dates = work_dates(work)
    chosen = dates.get("published-print") or dates.get("published-online") or dates.get("issued")
    if chosen:
        csl["issued"] = {"date-parts": [chosen]}
    original = {key: iso_date(parts) for key, parts in dates.items()}
    issn_kinds: dict[str, IssnKind] = {}
    for entry in work.get("issn-type") or []:
        if isinstance(entry, dict):
            issn = normalize_issn(entry.get("value"))
            kind_name = entry.get("type")
            if issn and kind_name in ("print", "electronic"):
                issn_kinds[issn] = kind_name
    issns = [i for i in (normalize_issn(v) for v in work.get("ISSN") or []) if i]
    # Print first, then electronic, then any of unknown kind: the order catalogs print them in.
    order = {"print": 0, "electronic": 1}
    issns = sorted(
        dict.fromkeys([*issns, *issn_kinds]), key=lambda i: order.get(issn_kinds.get(i, ""), 2)
    )
    if issns:
        csl["ISSN"] = ", ".join(issns)
    isbns = [i for i in (normalize_isbn(v) for v in work.get("ISBN") or []) if i]
    if isbns:
        csl["ISBN"] = ", ".join(dict.fromkeys(isbns))
    doi = normalize_doi(work.get("DOI"))
    if doi:
        csl["DOI"] = doi
    if work.get("URL"):
        csl["URL"] = str(work["URL"])
    if work.get("language"):
        csl["language"] = normalize_language(str(work["language"])) or str(work["language"])
    if work.get("publisher"):
        csl["publisher"] = clean_text(str(work["publisher"]))
    if work.get("publisher-location"):
        csl["publisher-place"] = clean_text(str(work["publisher-location"]))
    if isinstance(work.get("abstract"), str) and work["abstract"].strip():
        csl["abstract"] = jats_abstract(work["abstract"])
    return normalize_csl(csl), issn_kinds, original


def work_to_record(work: dict[str, Any], *, raw: str | None = None) -> Record:
    """A Crossref work as a source record: ``SourceRef(format="crossref", origin="crossref")``."""
    csl, issn_kinds, original = work_to_csl(work)
    return Record(
        csl=csl,
        source=SourceRef(format="crossref", origin="crossref", id=csl.get("DOI")),
        raw=raw if raw is not None else json.dumps(work, ensure_ascii=False, sort_keys=True),
        issn_kinds=issn_kinds,
        original=original,
    )
