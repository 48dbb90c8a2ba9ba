"""RIS export that Zotero, EndNote and Mendeley read.

Tags as Zotero's own RIS export writes them (``TY``, ``AU`` one per author as ``Family,
Given[, Suffix]``, ``A2`` editors, ``A4`` translators, ``TI``, ``T2`` the container, ``J2``
its abbreviation, ``T3`` the series, ``VL``, ``IS``, ``SP``/``EP``, ``PY`` year and ``DA``
``YYYY/MM/DD/``, ``SN`` one per ISSN/ISBN, ``DO``, ``UR``, ``AB``, ``LA``, ``KW`` one per
keyword, ``PB``, ``CY``, ``ET``, ``ER``); CRLF line ends, ``TAG  - value`` with two spaces (``ER  - `` too), a
blank line between records. Types use the codes the three read (``JOUR``, ``BOOK``, ``CHAP``,
``CPAPER``, ``THES``, ``RPRT`` ...): the inverse of :data:`records.parsers.ris.TYPES`, with the
code Zotero exports where several map to one CSL type. RIS is line-based, so line breaks
inside a value become spaces. PMID/PMCID go to ``U1``/``U2`` as ``PMID: n`` (read back by our
parser; Zotero keeps them as notes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

CSLItem = dict[str, Any]

TY: dict[str, str] = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "periodical": "JFULL",
    "book": "BOOK",
    "chapter": "CHAP",
    "paper-conference": "CPAPER",
    "thesis": "THES",
    "report": "RPRT",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "post": "ELEC",
    "patent": "PAT",
    "dataset": "DATA",
    "software": "COMP",
    "manuscript": "MANSCPT",
    "map": "MAP",
    "legal_case": "CASE",
    "legislation": "STAT",
    "bill": "BILL",
    "hearing": "HEAR",
    "personal_communication": "PCOMM",
    "entry-encyclopedia": "ENCYC",
    "entry-dictionary": "DICT",
    "motion_picture": "MPCT",
    "song": "SOUND",
    "musical_score": "MUSIC",
    "graphic": "ART",
    "figure": "FIGURE",
    "standard": "STAND",
    "pamphlet": "PAMP",
    "speech": "SLIDE",
}
_BOOKISH = frozenset({"book", "thesis", "report"})
_SPACE_RE = re.compile(r"\s+")
_RANGE_RE = re.compile(r"\s*(?:-|–|—|‐|‑|−)+\s*")


def _one_line(value: Any) -> str:
    return _SPACE_RE.sub(" ", str(value)).strip()


def _name(name: dict[str, Any]) -> str:
    if "family" not in name:
        return _one_line(name.get("literal") or name.get("given") or "")
    family = " ".join(
        str(p)
        for p in (name.get("dropping-particle"), name.get("non-dropping-particle"), name["family"])
        if p
    )
    parts = [family, name.get("given"), name.get("suffix")]
    return _one_line(", ".join(str(p) for p in parts if p))


def _date(csl: CSLItem) -> tuple[str | None, str | None]:
    issued = csl.get("issued")
    if not isinstance(issued, dict):
        return None, None
    parts = issued.get("date-parts") or []
    if parts and parts[0] and parts[0][0] not in (None, ""):
        first = [str(p) for p in parts[0]]
        year = first[0]
        month = first[1].zfill(2) if len(first) > 1 and 1 <= int(first[1]) <= 12 else ""
        day = first[2].zfill(2) if month and len(first) > 2 else ""
        return year, f"{year}/{month}/{day}/" if month else None
    literal = issued.get("literal") or issued.get("raw")
    if literal:
        found = re.search(r"\b\d{4}\b", str(literal))
        return (found.group() if found else None), None
    return None, None


def ris_lines(csl: CSLItem) -> list[tuple[str, str]]:
    """``(tag, value)`` pairs for one CSL item, ``TY`` first and ``ER`` last."""
    kind = csl.get("type") or "article-journal"
    lines: list[tuple[str, str]] = [("TY", TY.get(kind, "GEN"))]

    def put(tag: str, value: Any) -> None:
        if value not in (None, ""):
            text = _one_line(value)
            if text:
                lines.append((tag, text))

    for tag, role in (("AU", "author"), ("A2", "editor"), ("A3", "collection-editor")):
        for name in csl.get(role) or ():
            put(tag, _name(name))
    for name in csl.get("translator") or ():
        put("A4", _name(name))
    put("TI", csl.get("title"))
    put("ST", csl.get("title-short"))
    if kind in _BOOKISH:
        put("T2", csl.get("collection-title"))
    else:
        put("T2", csl.get("container-title"))
        put("T3", csl.get("collection-title"))
    put("J2", csl.get("container-title-short"))
    put("VL", csl.get("volume"))
    put("IS", csl.get("issue"))
    if csl.get("number") is not None:
        put("M1", csl.get("number"))
    page = csl.get("page")
    if page:
        pages = [p for p in _RANGE_RE.split(str(page).strip()) if p]
        if len(pages) == 2:
            put("SP", pages[0])
            put("EP", pages[1])
        else:
            put("SP", page)
    year, date = _date(csl)
    put("PY", year)
    put("DA", date)
    put("ET", csl.get("edition"))
    put("PB", csl.get("publisher"))
    put("CY", csl.get("publisher-place"))
    for number in ("ISSN", "ISBN"):
        for value in str(csl.get(number) or "").split(","):
            put("SN", value)
    put("DO", csl.get("DOI"))
    put("UR", csl.get("URL"))
    put("LA", csl.get("language"))
    for keyword in str(csl.get("keyword") or "").split(","):
        put("KW", keyword)
    put("AB", csl.get("abstract"))
    put("N1", csl.get("note"))
    if csl.get("PMID"):
        put("U1", f"PMID: {csl['PMID']}")
    if csl.get("PMCID"):
        put("U2", f"{csl['PMCID']} [pmcid]")
    lines.append(("ER", ""))
    return lines


def ris_record(csl: CSLItem, key: str | None = None) -> str:
    """One RIS record with CRLF line ends (``ID`` is the citation key when given)."""
    lines = ris_lines(csl)
    if key:
        lines.insert(1, ("ID", key))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)  # "ER  - " as the spec has it


def iter_ris(entries: Iterable[tuple[str, CSLItem]]) -> Iterator[str]:
    """Stream RIS records, a blank line between them."""
    for i, (key, csl) in enumerate(entries):
        yield ("\r\n" if i else "") + ris_record(csl, key)


def write_ris(entries: Iterable[tuple[str, CSLItem]]) -> str:
    """The entries (``(citation_key, csl_item)`` pairs) as one RIS file."""
    return "".join(iter_ris(entries))
