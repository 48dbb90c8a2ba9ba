"""BibTeX and BibLaTeX (``.bib``) -> records.

bibtexparser v2's splitter finds the blocks (entries, ``@string``, comments) and the entries it
cannot read (``failed_blocks``, which become :class:`~records.model.Failure`), a piece of the
file at a time and with a fast path for plain entries (:mod:`records.parsers.bibtex_blocks`), so
that a 100k-entry file streams. Everything after the split is done here, on purpose without
bibtexparser's middlewares: its LaTeX decoding
(pylatexenc) reads ~180 entries/s and its string interpolation ignores ``#`` concatenation.
Here field values are evaluated once (``@string`` macros, ``#``, month macros), crossref parents
are inherited from (BibTeX: missing fields copied; BibLaTeX: a book's ``title`` becomes a
chapter's ``booktitle``, a periodical's ``title`` an article's ``journaltitle``), LaTeX is
decoded by the table-driven :func:`records.normalize.latex.latex_to_unicode`, and names are
split by BibTeX's rules ("First von Last", "von Last, Jr, First", ``{Corporate Name}``,
BibLaTeX's ``family=..., given=...``) into CSL names via :mod:`records.normalize.names`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from records.identifiers import normalize_isbn
from records.model import CSLItem, Failure, IssnKind, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.latex import latex_to_unicode, needs_decoding
from records.normalize.names import SUFFIXES, Name, make_name
from records.parsers.base import StreamingParser
from records.parsers.bibtex_blocks import (
    FailedBlock,
    RawEntry,
    RawString,
    iter_regions,
    read_blocks,
    read_blocks_stream,
    read_regions,
    region_blocks,
)
from records.parsers.fields import add_issn, add_standard_numbers, year_month_day

# bibtexparser logs every malformed block as a warning; the failure is reported as data here,
# so its log records must not reach the terminal of a user who never configured logging.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

ENTRY_TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "bookinbook": "book",
    "suppbook": "chapter",
    "incollection": "chapter",
    "suppcollection": "chapter",
    "collection": "book",
    "mvcollection": "book",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "mvproceedings": "book",
    "manual": "report",
    "mastersthesis": "thesis",
    "masterthesis": "thesis",
    "phdthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "misc": "document",
    "unpublished": "manuscript",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "patent": "patent",
    "periodical": "periodical",
    "suppperiodical": "article-journal",
    "dataset": "dataset",
    "software": "software",
    "reference": "book",
    "mvreference": "book",
    "inreference": "entry-encyclopedia",
    "standard": "standard",
    "artwork": "graphic",
    "audio": "song",
    "video": "motion_picture",
    "movie": "motion_picture",
    "music": "song",
    "image": "graphic",
    "legislation": "legislation",
    "jurisdiction": "legal_case",
    "letter": "personal_communication",
    "review": "review",
    "article-newspaper": "article-newspaper",
}
_THESIS_GENRE = {"phdthesis": "Doctoral Thesis", "mastersthesis": "Master's Thesis"}
# babel/polyglossia language names (BibLaTeX ``langid``) that are no language names elsewhere.
BABEL_LANGUAGES = {
    **dict.fromkeys("ngerman german naustrian austrian nswissgerman swissgerman".split(), "German"),
    **dict.fromkeys(
        "american british usenglish ukenglish australian canadian newzealand english".split(),
        "English",
    ),
    **dict.fromkeys("french francais frenchb acadian canadien".split(), "French"),
    **dict.fromkeys("brazil brazilian portuges portuguese".split(), "Portuguese"),
    "spanish": "Spanish",
    "italian": "Italian",
    "dutch": "Dutch",
    "nynorsk": "Norwegian",
    "norsk": "Norwegian",
    "bokmal": "Norwegian",
}
MONTH_MACROS = {
    m: str(i)
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
NAME_FIELDS = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "bookauthor": "container-author",
    "director": "director",
}
# Plain text fields: BibTeX/BibLaTeX name -> CSL name (first one present wins).
TEXT_FIELDS: list[tuple[str, str]] = [
    ("title", "title"),
    ("journaltitle", "container-title"),
    ("journal", "container-title"),
    ("booktitle", "container-title"),
    ("shortjournal", "container-title-short"),
    ("shorttitle", "title-short"),
    ("volume", "volume"),
    ("edition", "edition"),
    ("series", "collection-title"),
    ("publisher", "publisher"),
    ("school", "publisher"),
    ("institution", "publisher"),
    ("organization", "publisher"),
    ("location", "publisher-place"),
    ("address", "publisher-place"),
    ("abstract", "abstract"),
    ("keywords", "keyword"),
    ("url", "URL"),
    ("langid", "language"),
    ("language", "language"),
    ("note", "note"),
    ("type", "genre"),
    ("pmid", "PMID"),
    ("pmcid", "PMCID"),
    ("eventtitle", "event-title"),
    ("venue", "event-place"),
    ("pagetotal", "number-of-pages"),
    ("numpages", "number-of-pages"),
    ("version", "version"),
]
_VERBATIM = frozenset({"url", "doi", "eprint", "file", "pmid", "pmcid", "isbn", "issn"})
_NOT_INHERITED = frozenset(
    {"crossref", "xref", "ids", "entryset", "related", "label", "shorthand", "sortkey", "xdata"}
)
_BOOK_PARENTS = frozenset(
    {"book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings", "reference"}
)
_BOOK_CHILDREN = frozenset(
    {"inbook", "bookinbook", "suppbook", "incollection", "suppcollection", "inproceedings"}
)
_ENTRY_START_RE = re.compile(
    r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*[^,=\s{}()]*,", re.MULTILINE
)  # Web of Science writes "@article{ ISI:000445987100063,"
_AND_RE = re.compile(r"\s+and\s+", re.IGNORECASE)
_NAMEPART_KEYS = {"given", "family", "prefix", "suffix", "useprefix", "giveni", "familyi"}


# --- values --------------------------------------------------------------------------------


def _top_level_split(text: str, sep: str) -> list[str]:
    """Split at ``sep`` (one character) outside braces and quotes."""
    parts, depth, start, quoted = [], 0, 0, False
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0 and (i == 0 or text[i - 1] != "\\"):
            quoted = not quoted
        elif ch == sep and depth == 0 and not quoted:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def evaluate(raw: str, strings: dict[str, str]) -> str:
    """A field's value with delimiters removed, ``@string`` macros and ``#`` resolved.

    ``strings`` maps lower-cased macro names to their values (month macros included).
    """
    raw = raw.strip()
    if "#" not in raw and len(raw) >= 2:  # the common case: one delimited value
        first, last = raw[0], raw[-1]
        if (first == "{" and last == "}") or (first == '"' and last == '"'):
            return raw[1:-1]
    pieces = _top_level_split(raw, "#") if "#" in raw else [raw]
    out = []
    for piece in pieces:
        piece = piece.strip()
        if len(piece) >= 2 and (
            (piece[0] == "{" and piece[-1] == "}") or (piece[0] == '"' and piece[-1] == '"')
        ):
            out.append(piece[1:-1])
        elif piece.isdigit():
            out.append(piece)
        elif piece.lower() in strings:
            out.append(strings[piece.lower()])
        elif len(pieces) == 1:
            out.append(piece)  # a bare unknown word: keep it rather than lose the value
        # else: an undefined macro inside a concatenation is empty, as in BibTeX
    return "".join(out)


def _text(value: str) -> str:
    return latex_to_unicode(value) if needs_decoding(value) else value


# --- names ---------------------------------------------------------------------------------


def _split_words(text: str) -> list[str]:
    words, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch.isspace() and depth == 0:
            if i > start:
                words.append(text[start:i])
            start = i + 1
    if start < len(text):
        words.append(text[start:])
    return words


def _is_von(word: str) -> bool:
    """BibTeX's rule: a word whose first letter (at brace depth 0) is lower case is a particle."""
    if word.startswith("{"):
        if word.startswith("{\\"):  # a special character: its letter decides
            letters = [c for c in _text(word) if c.isalpha()]
            return bool(letters) and letters[0].islower()
        return False
    for c in word:
        if c.isalpha():
            return c.islower()
    return False


def split_bibtex_name(raw: str) -> Name:
    """One BibTeX name (still LaTeX) as a CSL name object.

    BibTeX's own rules, not the display-name heuristics of :func:`parse_name`: unbraced names
    are always personal names; ``First von Last`` puts lower-case words and everything after
    them in the family name; ``von Last, Jr, First`` has three parts.
    """
    raw = raw.strip().strip(",").strip()
    if not raw:
        return {}
    braced = "{" in raw
    if braced and raw[0] == "{" and raw[-1] == "}" and _top_level_split(raw, " ") == [raw]:
        inner = _text(raw[1:-1]).strip()
        return {"literal": " ".join(inner.split())} if inner else {}
    parts = [p.strip() for p in (_top_level_split(raw, ",") if braced else raw.split(","))]
    if len(parts) > 1 and "=" in raw and all("=" in p for p in parts if p):
        return _labelled_name(parts)
    parts = [p for p in parts if p]
    if not parts:
        return {}
    suffix = ""
    if len(parts) == 1:
        words = _split_words(parts[0]) if braced else parts[0].split()
        if len(words) == 1:
            family, given = words[0], ""
        else:
            von = next((i for i, w in enumerate(words[:-1]) if _is_von(w)), None)
            cut = von if von is not None else len(words) - 1
            family, given = " ".join(words[cut:]), " ".join(words[:cut])
    else:
        family, given = parts[0], parts[-1]
        if len(parts) > 2:
            suffix = ", ".join(parts[1:-1])
    family, given = _text(family).strip(), _text(given).strip()
    if suffix:
        suffix = SUFFIXES.get(suffix.lower(), _text(suffix))
    if not family:
        return {"family": given} if given else {}
    return make_name(family, given, suffix)


def _labelled_name(parts: list[str]) -> Name:
    """BibLaTeX's extended name format: ``family=Vallée Poussin, given=Charles, prefix=de``."""
    fields: dict[str, str] = {}
    for part in parts:
        key, _, value = part.partition("=")
        if key.strip().lower() in _NAMEPART_KEYS:
            fields[key.strip().lower()] = _text(value.strip())
    family = " ".join(v for v in (fields.get("prefix"), fields.get("family")) if v)
    name: Name = {}
    if family:
        name["family"] = family
    if fields.get("given"):
        name["given"] = fields["given"]
    if fields.get("suffix"):
        name["suffix"] = fields["suffix"]
    return name


def split_bibtex_names(raw: str) -> list[Name]:
    """A BibTeX name list (``A and B and others``) as CSL names; "others" is dropped."""
    names = []
    for part in _top_level_and_split(raw):
        part = part.strip()
        if part.lower() == "others":
            continue
        name = _split_name_cached(part)
        if name:
            names.append(dict(name))
    return names


# The same people recur across a bibliography: each distinct name is split once (the cached
# dict is never handed out).
_split_name_cached = lru_cache(maxsize=1 << 16)(split_bibtex_name)


def _top_level_and_split(text: str) -> list[str]:
    pieces = _AND_RE.split(text)
    if "{" not in text or len(pieces) == 1:
        return pieces
    # Re-join pieces split inside braces: "{Barnes and Noble}" is one name.
    parts: list[str] = []
    pending = ""
    for piece in pieces:
        pending = f"{pending} and {piece}" if pending else piece
        if pending.count("{") <= pending.count("}"):
            parts.append(pending)
            pending = ""
    if pending:
        parts.append(pending)
    return parts


# --- entries -------------------------------------------------------------------------------


def _inherit(
    fields: dict[str, str], entry_type: str, parent: dict[str, str], parent_type: str
) -> None:
    """Copy a crossref parent's fields the child lacks (BibTeX), with BibLaTeX's renamings."""
    renamed: dict[str, str] = {}
    if parent_type in _BOOK_PARENTS and entry_type in _BOOK_CHILDREN:
        renamed = {"title": "booktitle", "subtitle": "booksubtitle", "author": "bookauthor"}
    elif parent_type == "periodical" and entry_type in ("article", "suppperiodical"):
        renamed = {"title": "journaltitle", "subtitle": "journalsubtitle"}
    for key, value in parent.items():
        if key in _NOT_INHERITED:
            continue
        target = renamed.get(key, key)
        if renamed and key in ("shorttitle", "titleaddon"):
            continue
        if target not in fields:
            fields[target] = value


def entry_to_csl(
    entry_type: str, fields: dict[str, str]
) -> tuple[CSLItem, dict[str, IssnKind], dict[str, str]]:
    """The CSL item for one entry's evaluated (still LaTeX) fields."""
    csl: CSLItem = {"type": ENTRY_TYPES.get(entry_type, "document")}
    kinds: dict[str, IssnKind] = {}
    original: dict[str, str] = {}
    for key, target in TEXT_FIELDS:
        value = fields.get(key)
        if value and target not in csl:
            csl[target] = value if key in _VERBATIM else _text(value)
    if "subtitle" in fields and "title" in csl:
        csl["title"] = f"{csl['title']}: {_text(fields['subtitle'])}"
    # BibLaTeX's titleaddon is printed after the title but is no part of it ("1882-1967", a
    # statement of responsibility): kept out of the title (so matching and keys see the title
    # alone, as citation-js reads it) and in the note, the way Better BibTeX keeps a field Zotero
    # has none for ("tex.titleaddon: ..." in Extra, which is CSL's note).
    if fields.get("titleaddon"):
        addon = f"tex.titleaddon: {_text(fields['titleaddon'])}"
        # (normalization makes a note one line, so the two are joined with "; ")
        csl["note"] = f"{csl['note']}; {addon}" if csl.get("note") else addon
    if "container-title" in csl:
        sub = fields.get("journalsubtitle") or fields.get("booksubtitle")
        if sub:
            csl["container-title"] = f"{csl['container-title']}: {_text(sub)}"
    elif "maintitle" in fields:  # BibLaTeX: one volume of a multi-volume work
        csl["container-title"] = _text(fields["maintitle"])
    for key, target in NAME_FIELDS.items():
        if key in fields:
            names = split_bibtex_names(fields[key])
            if names:
                csl[target] = names
    number = fields.get("number") or fields.get("issue")
    if number:
        if csl["type"] in ("article-journal", "periodical", "paper-conference"):
            target = "issue"
        elif "series" in fields and csl["type"] in ("book", "chapter"):
            target = "collection-number"  # BibTeX: "number" of a book is its number in the series
        else:
            target = "number"
        csl[target] = _text(number)
    if "chapter" in fields:
        csl["chapter-number"] = _text(fields["chapter"])
    if "pages" in fields:
        # "--" is a range here, not an en dash in prose: keep it a hyphen for normalize_pages.
        csl["page"] = _text(fields["pages"].replace("---", "-").replace("--", "-"))
    howpublished = fields.get("howpublished")
    if howpublished:
        text = _text(howpublished)
        if text.startswith(("http://", "https://", "www.")):
            csl.setdefault("URL", text)
        else:
            csl.setdefault("publisher", text)
    date = None
    if "date" in fields:
        date = parse_date(fields["date"].split("/")[0])
        if date and "/" in fields["date"]:
            end = parse_date(fields["date"].split("/")[1])
            if end:
                date = {"date-parts": date["date-parts"] + end["date-parts"]}
    if not date:
        date = year_month_day(fields.get("year"), fields.get("month"), fields.get("day"))
    if date:
        csl["issued"] = date
    if "urldate" in fields:
        accessed = parse_date(fields["urldate"])
        if accessed:
            csl["accessed"] = accessed
    if "doi" in fields:
        csl["DOI"] = fields["doi"]
    eprint_type = fields.get("eprinttype", fields.get("archiveprefix", "")).lower()
    if "eprint" in fields:
        if eprint_type == "pubmed":
            csl.setdefault("PMID", fields["eprint"])
        elif eprint_type == "doi":
            csl.setdefault("DOI", fields["eprint"])
        elif eprint_type == "pmcid":
            csl.setdefault("PMCID", fields["eprint"])
    if "issn" in fields:
        add_standard_numbers(csl, kinds, fields["issn"])
    if "eissn" in fields:
        add_standard_numbers(csl, kinds, fields["eissn"], "electronic")
    if "isbn" in fields:
        for token in re.split(r"[,;]|\s+and\s+", fields["isbn"]):
            isbn = normalize_isbn(token)
            if isbn:
                csl["ISBN"] = f"{csl['ISBN']}, {isbn}" if csl.get("ISBN") else isbn
    if entry_type in _THESIS_GENRE and "genre" not in csl:
        csl["genre"] = _THESIS_GENRE[entry_type]
    if "ISSN" in csl and kinds:
        for issn in list(kinds):
            add_issn(csl, kinds, issn, kinds[issn])
    if "language" in csl:
        original["language"] = csl["language"]
        csl["language"] = BABEL_LANGUAGES.get(csl["language"].lower(), csl["language"])
    return csl, kinds, original


# Fields the mapping reads; the others (file, annote, timestamp, owner, groups...) are left in
# the record's raw text and not evaluated at all, which matters for Zotero/JabRef exports.
USED_FIELDS = frozenset(
    {key for key, _ in TEXT_FIELDS}
    | set(NAME_FIELDS)
    | set(
        """number issue chapter pages howpublished date year month day urldate doi eprint
        eprinttype archiveprefix issn eissn isbn subtitle journalsubtitle booksubtitle
        maintitle crossref booktitle titleaddon""".split()
    )
)


def _entry_fields(pairs: list[tuple[str, str]], strings: dict[str, str]) -> dict[str, str]:
    """The used fields of an entry (key, raw value pairs as split), evaluated."""
    fields: dict[str, str] = {}
    for name, value in pairs:
        key = name.strip().lower()
        if key in USED_FIELDS and key not in fields:  # BibTeX keeps the first of duplicates
            fields[key] = evaluate(value, strings).strip()
    return fields


_STRING_RE = re.compile(r"@string", re.IGNORECASE)
_CROSSREF_RE = re.compile(r"crossref", re.IGNORECASE)
# An entry's key after its "@type{": the text up to the splitter's next mark.
_ENTRY_KEY_RE = re.compile(r"@\w*[ \t]*[{(]([^,{}\"=]*)")


def _macros(text: str) -> dict[str, str]:
    """The ``@string`` macros of the whole file (month macros included), as BibTeX sees them at
    the end of reading: each defined in file order from the ones before it, a repeated key
    (same spelling) ignored, as bibtexparser reports it as a duplicate."""
    return _macros_of(read_regions(text, (m.start() for m in _STRING_RE.finditer(text))))


def _macros_of(blocks: Iterable[RawEntry | RawString | FailedBlock]) -> dict[str, str]:
    strings = dict(MONTH_MACROS)
    seen: set[str] = set()
    for block in blocks:
        if isinstance(block, RawString) and block.key not in seen:
            seen.add(block.key)
            strings[block.key.strip().lower()] = evaluate(block.value, strings)
    return strings


# A crossref parent: its type, its evaluated fields (shared with the parent's own reading, as
# inheriting from its own parent changes them), and its line (which of same-key entries it is).
_Parent = tuple[str, dict[str, str], int]


def _parents(text: str, strings: dict[str, str]) -> dict[str, _Parent]:
    """The entries some entry's ``crossref`` names, by lower-cased key; for a key given twice
    the last entry, as the whole file's key table had it. Read before the entries stream, since
    BibTeX puts parents after their children."""

    def named(wanted: set[str]) -> Iterator[RawEntry | RawString | FailedBlock]:
        hits = (
            m.start() for m in _ENTRY_KEY_RE.finditer(text) if m.group(1).strip().lower() in wanted
        )
        return read_regions(text, hits)

    crossrefs = read_regions(text, (m.start() for m in _CROSSREF_RE.finditer(text)))
    return _parents_of(crossrefs, named, strings)


def _parents_of(
    crossrefs: Iterable[RawEntry | RawString | FailedBlock],
    named: Callable[[set[str]], Iterable[RawEntry | RawString | FailedBlock]],
    strings: dict[str, str],
) -> dict[str, _Parent]:
    """:func:`_parents` from the blocks of the places that say ``crossref`` and, given the
    keys they name, the blocks of the places that name those keys."""
    wanted: set[str] = set()
    for block in crossrefs:
        if isinstance(block, RawEntry):
            target = _entry_fields(block.fields, strings).get("crossref", "").lower()
            if target:
                wanted.add(target)
    if not wanted:
        return {}
    parents: dict[str, _Parent] = {}
    for block in named(wanted):
        if isinstance(block, RawEntry) and block.key.lower() in wanted:
            fields = _entry_fields(block.fields, strings)
            parents[block.key.lower()] = (block.entry_type, fields, block.line)
    return parents


# -- the same, from a text read in pieces (files too large to hold: see read_pieces) --------


def _mentions(pieces: Iterable[str], pattern: re.Pattern[str], width: int) -> bool:
    """Whether ``pattern`` (matching at most ``width`` characters) occurs in the text."""
    tail = ""
    for piece in pieces:
        if pattern.search(tail + piece[: width - 1]) or pattern.search(piece):
            return True
        tail = (tail + piece[-(width - 1) :])[-(width - 1) :]
    return False


def _blocks_where(
    pieces: Iterable[str], found: Callable[[str], bool]
) -> Iterator[RawEntry | RawString | FailedBlock]:
    """The blocks of the regions (:func:`iter_regions`) for which ``found(region)``: those
    :func:`read_regions` reads for the hits inside them. (A key match of ``_ENTRY_KEY_RE`` is
    looked for inside its region: the whole text's could run on past a line-start ``@`` only
    for a "key" holding that ``@``, which names no crossref parent.)"""
    for region, line in iter_regions(pieces):
        if found(region):
            yield from region_blocks(region, line)


def _stream_macros(pieces: Callable[[], Iterator[str]]) -> dict[str, str]:
    if not _mentions(pieces(), _STRING_RE, len("@string")):
        return dict(MONTH_MACROS)
    return _macros_of(_blocks_where(pieces(), lambda region: bool(_STRING_RE.search(region))))


def _stream_parents(
    pieces: Callable[[], Iterator[str]], strings: dict[str, str]
) -> dict[str, _Parent]:
    def named(wanted: set[str]) -> Iterator[RawEntry | RawString | FailedBlock]:
        def names(region: str) -> bool:
            keys = (m.group(1).strip().lower() for m in _ENTRY_KEY_RE.finditer(region))
            return any(key in wanted for key in keys)

        return _blocks_where(pieces(), names)

    crossrefs = _blocks_where(pieces(), lambda region: bool(_CROSSREF_RE.search(region)))
    return _parents_of(crossrefs, named, strings)


class BibTeXParser(StreamingParser):
    name = "bibtex"
    label = "BibTeX/BibLaTeX"
    aliases = ("biblatex", "bib")

    def sniff(self, text: str) -> float:
        head = text[:20000]
        starts = _ENTRY_START_RE.findall(head)
        if not starts:
            return 0.0
        known = sum(1 for t in starts if t.lower() in ENTRY_TYPES)
        return 0.95 if known and "=" in head else 0.6

    def read(self, text: str, origin: str) -> Iterator[Record | Failure]:
        """The entries in file order (see :mod:`records.parsers.bibtex_blocks`).

        What needs the whole file is read first, from the places that have it: the ``@string``
        macros (an entry may use one defined after it) and the crossref parents (BibTeX puts them
        after their children). A file without either pays one regex search for each.
        """
        strings = _macros(text) if _STRING_RE.search(text) else dict(MONTH_MACROS)
        parents = lambda: _parents(text, strings)  # noqa: E731 - read only if needed
        yield from self._entries(read_blocks(text), strings, parents, origin)

    streams = True

    def read_pieces(
        self, pieces: Callable[[], Iterator[str]], origin: str
    ) -> Iterator[Record | Failure]:
        """:meth:`read` of a text read in pieces: the ``@string`` and ``crossref`` places are
        found in passes of their own over the text (each holding a piece and the few places
        found), then the entries are read as the text comes
        (:func:`~records.parsers.bibtex_blocks.read_blocks_stream`)."""
        strings = _stream_macros(pieces)
        parents = (
            _stream_parents(pieces, strings)
            if _mentions(pieces(), _CROSSREF_RE, len("crossref"))
            else {}
        )
        yield from self._entries(
            read_blocks_stream(pieces()), strings, lambda: parents, origin
        )

    def _entries(
        self,
        blocks: Iterable[RawEntry | FailedBlock],
        strings: dict[str, str],
        read_parents: Callable[[], dict[str, _Parent]],
        origin: str,
    ) -> Iterator[Record | Failure]:
        # Parents are read when the first entry with a crossref shows up: the entries before it
        # inherit nothing, and so are the same whether read before or after the parents.
        parents: dict[str, _Parent] | None = None
        position = 0
        for block in blocks:
            if isinstance(block, FailedBlock):
                if block.raw.lstrip().lower().startswith(("@string", "@preamble", "@comment")):
                    reason = f"malformed @string/@preamble block: {block.reason}"
                else:
                    position += 1
                    reason = f"malformed BibTeX entry: {block.reason}"
                yield Failure(origin, reason, record=position, line=block.line)
                continue
            position += 1
            fields = _entry_fields(block.fields, strings)
            if parents is None and "crossref" in fields:
                parents = read_parents()
            if parents:
                fields = _inherit_all(block, fields, parents)
            if not block.fields:
                yield Failure(
                    origin,
                    f"BibTeX entry {block.key!r} has no fields",
                    record=position,
                    line=block.line,
                )
                continue
            csl, kinds, original = entry_to_csl(block.entry_type, fields)
            source = SourceRef(self.name, origin, block.key or None, position, block.line)
            yield Record(csl, source, block.raw, kinds, original)


def _inherit_all(
    entry: RawEntry, fields: dict[str, str], parents: dict[str, _Parent]
) -> dict[str, str]:
    """An entry's fields with what its crossref parents (and theirs) give it."""
    key = entry.key.lower()
    own = parents.get(key)
    if own is not None and own[2] == entry.line:
        # The parent table's entry itself: its shared fields take what it inherits, so that
        # the children read after it see that too (as when all entries were read first).
        fields = own[1]
    entry_type = entry.entry_type
    seen = {key}
    parent_key = fields.get("crossref", "").lower()
    while parent_key and parent_key in parents and parent_key not in seen:
        seen.add(parent_key)
        parent_type, parent, _ = parents[parent_key]
        _inherit(fields, entry_type, parent, parent_type)
        parent_key = parent.get("crossref", "").lower()
    return fields


def parse_fields(text: str) -> list[dict[str, Any]]:  # pragma: no cover - debugging aid
    """The evaluated fields of every entry (for debugging a mapping)."""
    strings = _macros(text)
    return [_entry_fields(b.fields, strings) for b in read_blocks(text) if isinstance(b, RawEntry)]
