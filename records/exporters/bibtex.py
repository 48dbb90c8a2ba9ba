"""BibTeX and BibLaTeX from CSL items, written through bibtexparser v2's model and writer.

Two flavours (peers.md, pain point 9):

* ``bibtex``: classic, bibtex-safe ASCII. Unicode becomes braced LaTeX macros, LaTeX specials
  are escaped, words with capitals in titles are braced, ``month`` is a macro (``jul``), the
  date is ``year``/``month``, DOI and URL are verbatim.
* ``biblatex``: UTF-8 for biber. ``journaltitle``, ``date`` (ISO 8601/EDTF), ``location``,
  ``langid`` (babel names), ``eprint``/``eprinttype`` (PubMed), ``shortjournal``, ``urldate``.

The CSL -> entry-type and field mapping follows **pandoc's** ``writeBibtexString``
(``Text.Pandoc.Citeproc.BibTeX``; the same table pandoc reads back), with these differences:

* BibLaTeX gets its own field names where pandoc writes BibTeX's: ``journaltitle`` (not
  ``journal``), ``location`` (not ``address``); CSL ``legal_case`` is ``jurisdiction``
  (pandoc writes ``jurisdictionN``, a typo); CSL ``article`` (preprints) is ``@online`` in
  BibLaTeX; ``post``/``post-weblog`` are ``@online``; ``software``/``standard``/``periodical``
  use BibLaTeX's types.
* BibTeX also gets ``doi``, ``url``, ``issn``, ``isbn``, ``keywords`` and (``abstract=True``)
  ``abstract``, which natbib-era styles print and BibTeX ignores otherwise; ``pmid`` too.
* Journal articles carry no ``publisher``/``address`` (the journal's publisher is not the
  article's; BibLaTeX's data model has no such fields for ``@article``).
* Theses put the publisher in ``school`` (BibTeX) / ``institution`` (BibLaTeX); reports in
  ``institution``, as the standard styles require.
* Title capitals are protected word by word (pandoc: by its own title-casing rules).

Names are ``Family, Given`` with particles left in front (``de Mestier, Louis``, which BibTeX
reads as von-part ``de``), suffixes in the middle (``Smith, Jr., John``), corporate names in
braces (``{World Health Organization}``), and a trailing CSL name ``et al.``/``others`` as
``and others``. Values are escaped by :mod:`records.exporters.latex`, so every value has
balanced braces and no ``@``, ``}`` or ``%`` in an abstract can end an entry.

bibtexparser's default writer deep-copies every entry before adding braces; here entries are
built fresh and the enclosing middleware runs in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, Literal

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.middlewares.enclosing import AddEnclosingMiddleware
from bibtexparser.model import Block, Entry, Field
from bibtexparser.writer import BibtexFormat

from records.citekeys import _KEY_UNSAFE_RE, make_key_safe
from records.errors import UsageError
from records.exporters.latex import escape, protect_title

Flavour = Literal["bibtex", "biblatex"]
CSLItem = dict[str, Any]

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# ISO 639-1 -> babel/polyglossia language names biblatex knows (langid).
LANGID = {
    "de": "ngerman",
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "nl": "dutch",
    "pt": "portuguese",
    "sv": "swedish",
    "da": "danish",
    "no": "norsk",
    "nb": "norsk",
    "nn": "nynorsk",
    "fi": "finnish",
    "pl": "polish",
    "cs": "czech",
    "sk": "slovak",
    "sl": "slovene",
    "hr": "croatian",
    "sr": "serbian",
    "hu": "magyar",
    "ro": "romanian",
    "bg": "bulgarian",
    "ru": "russian",
    "uk": "ukrainian",
    "el": "greek",
    "tr": "turkish",
    "ca": "catalan",
    "eu": "basque",
    "gl": "galician",
    "et": "estonian",
    "lv": "latvian",
    "lt": "lithuanian",
    "is": "icelandic",
    "ga": "irish",
    "la": "latin",
    "he": "hebrew",
    "af": "afrikaans",
}

_ARTICLE_TYPES = {"article", "periodical", "suppperiodical", "review"}
_CHAPTER_TYPES = {"inbook", "incollection", "inproceedings", "inreference", "bookinbook"}
_OTHERS = {"others", "et al", "et al.", "etal", "u. a.", "u.a.", "ua"}
_RANGE_RE = re.compile(r"\s*(?:-|–|—|‐|‑|−)+\s*")
_AND_RE = re.compile(r"\band\b", re.IGNORECASE)
_VERBATIM_ESCAPES = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20", "\n": ""})
_VERBATIM_SPECIAL_RE = re.compile(r"[{}\\ \n]")  # what _VERBATIM_ESCAPES changes
_DIGITS_RANGE_RE = re.compile(r"([0-9]+)(?:-([0-9]+))?")


def entry_type(csl: CSLItem, flavour: Flavour = "bibtex") -> str:
    """The entry type for a CSL item (pandoc's table; differences in the module docstring)."""
    kind = csl.get("type") or "article-journal"
    biblatex = flavour == "biblatex"
    if kind in ("article-journal", "article-magazine", "article-newspaper"):
        return "article"
    if kind == "book":
        return "book"
    if kind == "pamphlet":
        return "booklet"
    if kind == "chapter":
        return "incollection" if csl.get("editor") else "inbook"
    if kind == "entry-encyclopedia" or kind == "entry-dictionary" or kind == "entry":
        return "inreference" if biblatex else "inbook"
    if kind == "paper-conference":
        return "inproceedings"
    if kind == "thesis":
        return "mastersthesis" if _is_masters(csl) else "phdthesis"
    if kind == "report":
        return "report" if biblatex else "techreport"
    if kind in ("speech", "manuscript"):
        return "unpublished"
    if biblatex:
        return _BIBLATEX_ONLY.get(kind, "misc")
    return "misc"


_BIBLATEX_ONLY = {
    "dataset": "dataset",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
    "article": "online",
    "patent": "patent",
    "graphic": "artwork",
    "song": "music",
    "legal_case": "jurisdiction",
    "legislation": "legislation",
    "treaty": "legal",
    "personal_communication": "letter",
    "motion_picture": "movie",
    "review": "review",
    "review-book": "review",
    "software": "software",
    "standard": "standard",
    "periodical": "periodical",
}


def _is_masters(csl: CSLItem) -> bool:
    genre = str(csl.get("genre") or "").lower()
    return any(w in genre for w in ("master", "mathesis", "m.a.", "m.sc", "diplom", "magister"))


# --- names ------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _part(text: str, ascii: bool) -> str:
    # Cached: the same family and given names come back across a library's entries.
    value = escape(text.strip(), ascii=ascii)
    # A comma or the word "and" inside one part would split the name or the list.
    if "," in value or ("and" in value.lower() and _AND_RE.search(value)):
        return "{" + value + "}"
    return value


def format_name(name: dict[str, Any], *, ascii: bool = True) -> str:
    """One CSL name in BibTeX's ``von Last, Jr, First`` form."""
    if len(name) == 2:  # most names: family and given alone, looked up whole
        family, given = name.get("family"), name.get("given")
        if family.__class__ is str and given.__class__ is str:
            return _family_given(family, given, ascii)
    return _format_name(name, ascii)


@lru_cache(maxsize=1 << 16)
def _family_given(family: str, given: str, ascii: bool) -> str:
    # Cached: a library's authors come back across its entries.
    return _format_name({"family": family, "given": given}, ascii)


def _format_name(name: dict[str, Any], ascii: bool) -> str:
    family = name.get("family")
    if not family:
        literal = str(name.get("literal") or name.get("given") or "").strip()
        if literal.lower() in _OTHERS:
            return "others"
        return "{" + escape(literal, ascii=ascii) + "}"
    family = str(family).strip()
    if "non-dropping-particle" in name or "dropping-particle" in name:
        particles = (name.get("dropping-particle"), name.get("non-dropping-particle"))
        family = " ".join([*(str(p).strip() for p in particles if p), family])
    given = str(name.get("given") or "").strip()
    suffix = str(name.get("suffix") or "").strip()
    last = _part(family, ascii)
    if not given and " " in family and not last.startswith("{"):
        last = "{" + last + "}"  # "García Márquez" alone would read as First Last
    if suffix:  # "{}" holds the place of a missing given name
        return f"{last}, {_part(suffix, ascii)}, {_part(given, ascii) or '{}'}"
    return f"{last}, {_part(given, ascii)}" if given else last


# Family and given name -> formatted, per mode (``ascii`` True/False); emptied when full.
_NAMES: dict[bool, dict[tuple[Any, Any], str]] = {True: {}, False: {}}
_NAMES_MAX = 1 << 16


def _new_name(cache: dict[tuple[Any, Any], str], family: Any, given: Any, ascii: bool) -> str:
    text = _format_name({"family": family, "given": given}, ascii)
    # Strings alone are kept: no other value equals a string (1 and True would share a key).
    if family.__class__ is str and given.__class__ is str:
        if len(cache) >= _NAMES_MAX:
            cache.clear()
        cache[family, given] = text
    return text


def format_names(names: Iterable[dict[str, Any]], *, ascii: bool = True) -> str:
    cache = _NAMES[ascii]
    get = cache.get
    try:  # most names are family and given alone: one lookup each in a plain dict (cheaper
        # than an LRU cache's call), formatted once when they first come
        out = [
            get((n["family"], n["given"])) or _new_name(cache, n["family"], n["given"], ascii)
            if len(n) == 2
            else _format_name(n, ascii)
            for n in names
        ]
    except (KeyError, TypeError):  # two other fields, or a value that is no string
        out = [_format_name(n, ascii) for n in names]
    if "others" in out:  # "others" only at the end; elsewhere it would truncate the list
        out = [n if n != "others" or i == len(out) - 1 else "{others}" for i, n in enumerate(out)]
    if "" in out or "{}" in out:
        out = [n for n in out if n and n != "{}"]
    return " and ".join(out)


# --- dates, pages, verbatim -------------------------------------------------------------------


def _date_parts(csl: CSLItem, key: str = "issued") -> list[list[int]]:
    date = csl.get(key)
    if not isinstance(date, dict):
        return []
    parts = date.get("date-parts") or []
    out: list[list[int]] = []
    for part in parts[:2]:
        try:
            out.append([int(p) for p in part if p not in (None, "")])
        except (TypeError, ValueError):
            return []
    return [p for p in out if p]


def _literal_date(csl: CSLItem, key: str = "issued") -> str:
    date = csl.get(key)
    if isinstance(date, dict):
        return str(date.get("literal") or date.get("raw") or "")
    return ""


def _iso(part: list[int]) -> str:
    year = f"{part[0]:04d}" if part[0] >= 0 else f"-{-part[0]:04d}"
    pieces = [year]
    if len(part) > 1 and 1 <= part[1] <= 12:
        pieces.append(f"{part[1]:02d}")
        if len(part) > 2 and 1 <= part[2] <= 31:
            pieces.append(f"{part[2]:02d}")
    return "-".join(pieces)


def edtf_date(csl: CSLItem, key: str = "issued") -> str | None:
    """BibLaTeX ``date``: ``2017-10-03``, ``2024``, ``2017-10/2018-01``."""
    parts = _date_parts(csl, key)
    if not parts:
        return None
    return "/".join(_iso(p) for p in parts)


def _pages(page: str, ascii: bool) -> str:
    text = str(page).strip()
    simple = _DIGITS_RANGE_RE.fullmatch(text)  # most pages: "1126-1148" or "17", nothing to escape
    if simple:
        return simple[1] if simple[2] is None else f"{simple[1]}--{simple[2]}"
    return "--".join(escape(p, ascii=ascii) for p in _RANGE_RE.split(text) if p)


def verbatim(value: str) -> str:
    """DOI/URL as written, with only what would break the file percent-encoded."""
    text = str(value).strip()
    return text.translate(_VERBATIM_ESCAPES) if _VERBATIM_SPECIAL_RE.search(text) else text


# --- entries ----------------------------------------------------------------------------------


def bibtex_fields(
    csl: CSLItem, *, flavour: Flavour = "bibtex", abstract: bool = False
) -> tuple[str, list[Field]]:
    """The entry type and the bibtexparser fields for one CSL item."""
    etype, raw = _raw_fields(csl, flavour, abstract)
    fields = []
    for key, value, bare in raw:
        field = Field(key, value)
        if bare:
            field.enclosing = "no-enclosing"
        fields.append(field)
    return etype, fields


def _raw_fields(
    csl: CSLItem, flavour: Flavour, abstract: bool
) -> tuple[str, list[tuple[str, str, bool]]]:
    """:func:`bibtex_fields` as ``(key, value, bare)`` tuples (bare: a month macro, written
    without braces): an export writes these directly, without a bibtexparser object per
    field (a tenth of an export's time)."""
    biblatex = flavour == "biblatex"
    ascii = not biblatex
    etype = entry_type(csl, flavour)
    kind = csl.get("type")
    fields: list[tuple[str, str, bool]] = []
    add = fields.append

    def put(key: str, value: str | None) -> None:
        if value:
            add((key, value, False))

    def text(key: str) -> str | None:
        value = csl.get(key)
        return escape(str(value), ascii=ascii) if value not in (None, "") else None

    if csl.get("author"):
        put("author", format_names(csl["author"], ascii=ascii))
    if csl.get("editor"):
        put("editor", format_names(csl["editor"], ascii=ascii))
    if biblatex:
        if csl.get("translator"):
            put("translator", format_names(csl["translator"], ascii=ascii))
        if csl.get("container-author"):
            put("bookauthor", format_names(csl["container-author"], ascii=ascii))
    if csl.get("title"):
        put("title", protect_title(str(csl["title"]), ascii=ascii))
    if biblatex and csl.get("title-short"):
        put("shorttitle", protect_title(str(csl["title-short"]), ascii=ascii))
    container = csl.get("container-title")
    if container:
        if etype in _ARTICLE_TYPES:
            put("journaltitle" if biblatex else "journal", text("container-title"))
        elif etype in _CHAPTER_TYPES:
            put("booktitle", protect_title(str(container), ascii=ascii))
        elif etype == "online":
            put("organization", text("container-title"))
        elif etype in ("misc", "dataset", "software"):
            put("howpublished", text("container-title"))
    if biblatex and csl.get("container-title-short") and etype in _ARTICLE_TYPES:
        put("shortjournal", text("container-title-short"))
    if biblatex and csl.get("event-title"):
        put("eventtitle", text("event-title"))
    put("series", text("collection-title"))
    put("edition", text("edition"))
    put("volume", text("volume"))
    if biblatex:
        put("volumes", text("number-of-volumes"))
    number = csl.get("number") or csl.get("issue") or csl.get("collection-number")
    if number:
        put("number", escape(str(number), ascii=ascii))
    if csl.get("page"):
        put("pages", _pages(csl["page"], ascii))
    # dates
    parts = _date_parts(csl)
    if biblatex:
        put("date", edtf_date(csl) or text_value(_literal_date(csl), ascii))
        if csl.get("accessed"):
            put("urldate", edtf_date(csl, "accessed"))
    elif parts:
        years = [p[0] for p in parts]
        put("year", "--".join(str(y) for y in dict.fromkeys(years)))
        months = [p[1] for p in parts if len(p) > 1 and 1 <= p[1] <= 12]
        if len(months) == 1 and len(parts) == 1:
            add(("month", MONTHS[months[0] - 1], True))
    else:
        literal = _literal_date(csl)
        found = re.search(r"\b\d{4}\b", literal)
        put("year", found.group() if found else text_value(literal, ascii))
    # publishing
    if kind == "thesis":
        put("institution" if biblatex else "school", text("publisher"))
        put("location" if biblatex else "address", text("publisher-place"))
    elif kind == "report":
        put("institution", text("publisher"))
        put("location" if biblatex else "address", text("publisher-place"))
    elif etype not in _ARTICLE_TYPES:  # an article's publisher is not escaped for nothing
        put("publisher", text("publisher"))
        put("location" if biblatex else "address", text("publisher-place"))
    if biblatex and kind == "thesis":
        put("type", "mathesis" if _is_masters(csl) else "phdthesis")
    elif biblatex and kind == "report":
        put("type", text("genre") or "techreport")  # mandatory for @report
    if biblatex and csl.get("event-place"):
        put("venue", text("event-place"))
    # identifiers (verbatim)
    if csl.get("DOI"):
        put("doi", verbatim(csl["DOI"]))
    if csl.get("URL"):
        put("url", verbatim(csl["URL"]))
    # biblatex validates one ISBN/ISSN per field: the first (for ISSN the print one when both
    # are known, as the record model lists it first); BibTeX gets them all.
    for csl_key, bib_key in (("ISBN", "isbn"), ("ISSN", "issn")):
        value = text(csl_key)
        put(bib_key, value.split(",")[0].strip() if value and biblatex else value)
    if biblatex:
        if csl.get("PMID"):
            put("eprint", verbatim(csl["PMID"]))
            put("eprinttype", "pubmed")
        elif csl.get("PMCID"):
            put("eprint", verbatim(csl["PMCID"]))
            put("eprinttype", "pmcid")
        if biblatex and kind in ("article-magazine", "article-newspaper"):
            put("entrysubtype", "magazine" if kind == "article-magazine" else "newspaper")
        language = str(csl.get("language") or "").split("-")[0].lower()
        put("langid", LANGID.get(language))
    elif csl.get("PMID"):
        put("pmid", verbatim(csl["PMID"]))
    put("keywords", text("keyword"))
    put("note", text("note"))
    if abstract:
        put("abstract", text("abstract"))
    return etype, fields


def text_value(value: str, ascii: bool) -> str | None:
    return escape(value, ascii=ascii) if value else None


def to_entry(
    key: str, csl: CSLItem, *, flavour: Flavour = "bibtex", abstract: bool = False
) -> Entry:
    """A bibtexparser :class:`Entry` for one keyed CSL item (key checked, never rewritten)."""
    _check_key(key)
    etype, fields = bibtex_fields(csl, flavour=flavour, abstract=abstract)
    return Entry(etype, key, fields)


def _check_key(key: str) -> None:
    if not key or make_key_safe(key) != key:
        raise UsageError(
            f"citation key {key!r} cannot be exported: use letters, digits and _:.- only"
        )


def _entry_text_general(key: str, csl: CSLItem, flavour: Flavour, abstract: bool) -> str:
    """One entry's text, exactly as :func:`_write` writes :func:`to_entry`'s entry, from
    :func:`_raw_fields`: the reference :func:`_entry_text` is tested against."""
    _check_key(key)
    etype, fields = _raw_fields(csl, flavour, abstract)
    body = ",\n".join(
        [
            f"  {k} = {v}" if bare and v in _MONTH_MACROS else f"  {k} = {{{v}}}"
            for k, v, bare in fields
        ]
    )
    return f"@{etype}{{{key},\n{body}\n}}\n" if fields else f"@{etype}{{{key},\n}}\n"


# Container title -> its field value, per (ascii, title-protected); emptied when full.
_CONTAINERS: dict[tuple[bool, bool], dict[str, str]] = {
    (ascii, protect): {} for ascii in (True, False) for protect in (True, False)
}


def _entry_text(key: str, csl: CSLItem, flavour: Flavour, abstract: bool) -> str:
    """One entry's text: :func:`_entry_text_general` with :func:`_raw_fields` inlined, field
    by field in the same order, each line written at once (no helper call per field the item
    does not have, no tuple per field): rendering was ~60% of an export. Tested against
    :func:`_entry_text_general` (``test_bibtex_fast_path``)."""
    if not key or not key.isascii() or _KEY_UNSAFE_RE.search(key):
        _check_key(key)  # raises (make_key_safe changes exactly these keys)
    biblatex = flavour == "biblatex"
    ascii = not biblatex
    get = csl.get
    etype = entry_type(csl, flavour)
    kind = get("type")
    lines: list[str] = []
    add = lines.append
    t: str | None

    v = get("author")
    if v and (t := format_names(v, ascii=ascii)):
        add(f"  author = {{{t}}}")
    v = get("editor")
    if v and (t := format_names(v, ascii=ascii)):
        add(f"  editor = {{{t}}}")
    if biblatex:
        v = get("translator")
        if v and (t := format_names(v, ascii=ascii)):
            add(f"  translator = {{{t}}}")
        v = get("container-author")
        if v and (t := format_names(v, ascii=ascii)):
            add(f"  bookauthor = {{{t}}}")
    v = get("title")
    if v and (t := protect_title(str(v), ascii=ascii)):
        add(f"  title = {{{t}}}")
    if biblatex:
        v = get("title-short")
        if v and (t := protect_title(str(v), ascii=ascii)):
            add(f"  shorttitle = {{{t}}}")
    container = get("container-title")
    if container:
        if etype in _ARTICLE_TYPES:
            name, protect = ("journaltitle" if biblatex else "journal"), False
        elif etype in _CHAPTER_TYPES:
            name, protect = "booktitle", True
        elif etype == "online":
            name, protect = "organization", False
        elif etype in ("misc", "dataset", "software"):
            name, protect = "howpublished", False
        else:
            name = ""
        if name:
            # A library's journals come back entry after entry: each escaped once.
            cache = _CONTAINERS[ascii, protect]
            t = cache.get(container) if container.__class__ is str else None
            if t is None:
                text = str(container)
                t = protect_title(text, ascii=ascii) if protect else escape(text, ascii=ascii)
                if container.__class__ is str:
                    if len(cache) >= _NAMES_MAX:
                        cache.clear()
                    cache[container] = t
            if t:
                add(f"  {name} = {{{t}}}")
    if biblatex:
        v = get("container-title-short")
        if v and etype in _ARTICLE_TYPES and (t := escape(str(v), ascii=ascii)):
            add(f"  shortjournal = {{{t}}}")
        v = get("event-title")
        if v and (t := escape(str(v), ascii=ascii)):
            add(f"  eventtitle = {{{t}}}")
    v = get("collection-title")
    if v is not None and (t := escape(str(v), ascii=ascii)):
        add(f"  series = {{{t}}}")
    v = get("edition")
    if v is not None and (t := escape(str(v), ascii=ascii)):
        add(f"  edition = {{{t}}}")
    v = get("volume")
    if v is not None and (t := escape(str(v), ascii=ascii)):
        add(f"  volume = {{{t}}}")
    if biblatex:
        v = get("number-of-volumes")
        if v is not None and (t := escape(str(v), ascii=ascii)):
            add(f"  volumes = {{{t}}}")
    v = get("number") or get("issue") or get("collection-number")
    if v and (t := escape(str(v), ascii=ascii)):
        add(f"  number = {{{t}}}")
    v = get("page")
    if v and (t := _pages(v, ascii)):
        add(f"  pages = {{{t}}}")
    # dates
    if biblatex:
        t = edtf_date(csl) or text_value(_literal_date(csl), ascii)
        if t:
            add(f"  date = {{{t}}}")
        if get("accessed") and (t := edtf_date(csl, "accessed")):
            add(f"  urldate = {{{t}}}")
    elif (
        (issued := get("issued")).__class__ is dict
        and (parts := issued.get("date-parts")).__class__ is list
        and len(parts) == 1
        and (part := parts[0]).__class__ is list
        and 0 < len(part) <= 3
        and all(p.__class__ is int for p in part)
    ):  # most dates: one date of whole numbers, as _date_parts would give it back
        add(f"  year = {{{part[0]}}}")
        if len(part) > 1 and 1 <= part[1] <= 12:
            add(f"  month = {MONTHS[part[1] - 1]}")
    elif parts := _date_parts(csl):
        if len(parts) == 1:
            part = parts[0]
            add(f"  year = {{{part[0]}}}")
            if len(part) > 1 and 1 <= part[1] <= 12:
                add(f"  month = {MONTHS[part[1] - 1]}")
        else:
            t = "--".join(str(y) for y in dict.fromkeys([p[0] for p in parts]))
            add(f"  year = {{{t}}}")
    else:
        literal = _literal_date(csl)
        found = re.search(r"\b\d{4}\b", literal)
        if t := (found.group() if found else text_value(literal, ascii)):
            add(f"  year = {{{t}}}")
    # publishing
    place = "location" if biblatex else "address"
    if kind == "thesis" or kind == "report" or etype not in _ARTICLE_TYPES:
        if kind == "thesis":
            name = "institution" if biblatex else "school"
        else:
            name = "institution" if kind == "report" else "publisher"
        v = get("publisher")
        if v is not None and (t := escape(str(v), ascii=ascii)):
            add(f"  {name} = {{{t}}}")
        v = get("publisher-place")
        if v is not None and (t := escape(str(v), ascii=ascii)):
            add(f"  {place} = {{{t}}}")
    if biblatex:
        if kind == "thesis":
            add("  type = {mathesis}" if _is_masters(csl) else "  type = {phdthesis}")
        elif kind == "report":
            v = get("genre")
            t = escape(str(v), ascii=ascii) if v is not None else ""
            add(f"  type = {{{t or 'techreport'}}}")
        v = get("event-place")
        if v and (t := escape(str(v), ascii=ascii)):
            add(f"  venue = {{{t}}}")
    # identifiers (verbatim)
    v = get("DOI")
    if v and (t := verbatim(v)):
        add(f"  doi = {{{t}}}")
    v = get("URL")
    if v and (t := verbatim(v)):
        add(f"  url = {{{t}}}")
    for csl_key, line in (("ISBN", "  isbn = {"), ("ISSN", "  issn = {")):
        v = get(csl_key)
        if v is not None and (t := escape(str(v), ascii=ascii)):
            if biblatex:
                t = t.split(",")[0].strip()
            if t:
                add(line + t + "}")
    if biblatex:
        v = get("PMID")
        if v:
            if t := verbatim(v):
                add(f"  eprint = {{{t}}}")
            add("  eprinttype = {pubmed}")
        else:
            v = get("PMCID")
            if v:
                if t := verbatim(v):
                    add(f"  eprint = {{{t}}}")
                add("  eprinttype = {pmcid}")
        if kind == "article-magazine":
            add("  entrysubtype = {magazine}")
        elif kind == "article-newspaper":
            add("  entrysubtype = {newspaper}")
        language = str(get("language") or "").split("-")[0].lower()
        if t := LANGID.get(language):
            add(f"  langid = {{{t}}}")
    else:
        v = get("PMID")
        if v and (t := verbatim(v)):
            add(f"  pmid = {{{t}}}")
    v = get("keyword")
    if v is not None and (t := escape(str(v), ascii=ascii)):
        add(f"  keywords = {{{t}}}")
    v = get("note")
    if v is not None and (t := escape(str(v), ascii=ascii)):
        add(f"  note = {{{t}}}")
    if abstract:
        v = get("abstract")
        if v is not None and (t := escape(str(v), ascii=ascii)):
            add(f"  abstract = {{{t}}}")
    if lines:
        return f"@{etype}{{{key},\n" + ",\n".join(lines) + "\n}\n"
    return f"@{etype}{{{key},\n}}\n"


def _check_flavour(flavour: str) -> None:
    if flavour not in ("bibtex", "biblatex"):
        raise UsageError(f"unknown BibTeX flavour {flavour!r} (use bibtex or biblatex)")


_FORMAT = BibtexFormat()
_FORMAT.indent = "  "
_FORMAT.block_separator = "\n"
# In place: the entries are ours and fresh, no copy needed.
_UNPARSE = [
    AddEnclosingMiddleware(
        reuse_previous_enclosing=False,
        enclose_integers=True,
        default_enclosing="{",
        allow_inplace_modification=True,
    )
]


def iter_bibtex(
    entries: Iterable[tuple[str, CSLItem]],
    *,
    flavour: Flavour = "bibtex",
    abstract: bool = False,
    chunk: int = 500,
) -> Iterator[str]:
    """Stream a BibTeX/BibLaTeX file: yields pieces of text, each ending after a whole entry
    (``chunk`` entries per piece), so 100k entries never sit in memory as one Library."""
    _check_flavour(flavour)
    batch: list[str] = []
    separator = ""
    seen: set[str] = set()
    for key, csl in entries:
        folded = key.lower()
        if folded in seen:
            raise UsageError(f"citation key {key!r} occurs twice (keys are case-insensitive)")
        seen.add(folded)
        batch.append(_entry_text(key, csl, flavour, abstract))
        if len(batch) >= chunk:
            yield separator + "\n".join(batch)
            batch, separator = [], "\n"
    if batch:
        yield separator + "\n".join(batch)


def bibtex_entry(
    key: str, csl: CSLItem, *, flavour: Flavour = "bibtex", abstract: bool = False
) -> str:
    """One entry as it stands in a file (see :mod:`records.exporters.entries`)."""
    _check_flavour(flavour)
    return _entry_text(key, csl, flavour, abstract)


_MONTH_MACROS = frozenset(MONTHS)


def _write(batch: list[Entry]) -> str:
    """The entries exactly as bibtexparser's writer puts them (``_UNPARSE``, ``_FORMAT``),
    written here directly: the writer's per-field middleware and list building were a quarter
    of an export's time. The values are ours and already escaped, and every one is braced but
    the month macros; ``_write_with_bibtexparser`` is the reference the tests compare with."""
    out = []
    for entry in batch:
        fields = [
            f"  {f.key} = {f.value}"
            if f.enclosing == "no-enclosing" and f.value in _MONTH_MACROS
            else f"  {f.key} = {{{f.value}}}"
            for f in entry.fields
        ]
        body = ",\n".join(fields) + "\n" if fields else ""
        out.append(f"@{entry.entry_type}{{{entry.key},\n{body}}}\n")
    return "\n".join(out)


def _write_with_bibtexparser(batch: list[Entry]) -> str:
    library = Library()
    blocks: list[Block] = list(batch)
    library.add(blocks)  # keys are unique: checked case-insensitively in iter_bibtex
    return str(write_string(library, unparse_stack=_UNPARSE, bibtex_format=_FORMAT))


def write_bibtex(
    entries: Iterable[tuple[str, CSLItem]], *, flavour: Flavour = "bibtex", abstract: bool = False
) -> str:
    """The whole file as one string (see :func:`iter_bibtex`)."""
    return "".join(iter_bibtex(entries, flavour=flavour, abstract=abstract))
