"""BibTeX and BibLaTeX (``.bib``) -> records.

bibtexparser v2's splitter finds the blocks (entries, ``@string``, comments) and the entries it
cannot read (``failed_blocks``, which become :class:`~records.model.Failure`); everything after
the split is done here, on purpose without bibtexparser's middlewares: its LaTeX decoding
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
from typing import Any

from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)
from bibtexparser.splitter import Splitter

from records.identifiers import normalize_isbn
from records.model import CSLItem, Failure, IssnKind, ParseResult, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.latex import latex_to_unicode, needs_decoding
from records.normalize.names import SUFFIXES, Name, make_name
from records.parsers.base import Parser
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
_ENTRY_START_RE = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][^,=\s{}()]*,", re.MULTILINE)
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


def split_bibtex_names(raw: str, cache: dict[str, Name] | None = None) -> list[Name]:
    """A BibTeX name list (``A and B and others``) as CSL names; "others" is dropped.

    ``cache`` (one per file) remembers names already split: in a real bibliography the same
    people recur in many entries.
    """
    names = []
    for part in _top_level_and_split(raw):
        part = part.strip()
        if part.lower() == "others":
            continue
        if cache is not None and part in cache:
            name = dict(cache[part])
        else:
            name = split_bibtex_name(part)
            if cache is not None:
                cache[part] = dict(name)
        if name:
            names.append(name)
    return names


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
    entry_type: str, fields: dict[str, str], name_cache: dict[str, Name] | None = None
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
    if "container-title" in csl:
        sub = fields.get("journalsubtitle") or fields.get("booksubtitle")
        if sub:
            csl["container-title"] = f"{csl['container-title']}: {_text(sub)}"
    elif "maintitle" in fields:  # BibLaTeX: one volume of a multi-volume work
        csl["container-title"] = _text(fields["maintitle"])
    for key, target in NAME_FIELDS.items():
        if key in fields:
            names = split_bibtex_names(fields[key], name_cache)
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
        maintitle crossref booktitle""".split()
    )
)


def _entry_fields(entry: Entry, strings: dict[str, str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for field in entry.fields:
        key = field.key.strip().lower()
        if key in USED_FIELDS and key not in fields:  # BibTeX keeps the first of duplicates
            fields[key] = evaluate(field.value, strings).strip()
    return fields


class BibTeXParser(Parser):
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

    def parse(self, text: str, origin: str) -> ParseResult:
        library = Splitter(text).split()
        strings: dict[str, str] = dict(MONTH_MACROS)
        result = ParseResult()
        entries: list[tuple[int, Entry]] = []
        position = 0
        for block in library.blocks:
            if isinstance(block, String):
                strings[block.key.strip().lower()] = evaluate(block.value, strings)
                continue
            if isinstance(block, (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)):
                inner = block.ignore_error_block
                if isinstance(inner, Entry):
                    position += 1
                    entries.append((position, inner))
                continue
            if isinstance(block, ParsingFailedBlock):
                if (
                    (block.raw or "")
                    .lstrip()
                    .lower()
                    .startswith(("@string", "@preamble", "@comment"))
                ):
                    reason = f"malformed @string/@preamble block: {_why(block.error)}"
                else:
                    position += 1
                    reason = f"malformed BibTeX entry: {_why(block.error)}"
                result.failures.append(
                    Failure(origin, reason, record=position, line=_line(block.start_line))
                )
                continue
            if isinstance(block, Entry):
                position += 1
                entries.append((position, block))
        evaluated = [(pos, e, _entry_fields(e, strings)) for pos, e in entries]
        name_cache: dict[str, Name] = {}
        by_key = {e.key.lower(): (e.entry_type.lower(), f) for _, e, f in evaluated}
        for pos, entry, fields in evaluated:
            entry_type = entry.entry_type.lower()
            seen = {entry.key.lower()}
            parent_key = fields.get("crossref", "").lower()
            while parent_key and parent_key in by_key and parent_key not in seen:
                seen.add(parent_key)
                parent_type, parent = by_key[parent_key]
                _inherit(fields, entry_type, parent, parent_type)
                parent_key = parent.get("crossref", "").lower()
            if not entry.fields:
                result.failures.append(
                    Failure(
                        origin,
                        f"BibTeX entry {entry.key!r} has no fields",
                        record=pos,
                        line=_line(entry.start_line),
                    )
                )
                continue
            csl, kinds, original = entry_to_csl(entry_type, fields, name_cache)
            source = SourceRef(self.name, origin, entry.key or None, pos, _line(entry.start_line))
            result.records.append(Record(csl, source, entry.raw or "", kinds, original))
        return result


def _why(error: Exception) -> str:
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    return " ".join(str(reason).split())


def _line(start_line: int | None) -> int | None:
    """bibtexparser counts lines from 0; people count from 1."""
    return None if start_line is None else start_line + 1


def parse_fields(text: str) -> list[dict[str, Any]]:  # pragma: no cover - debugging aid
    """The evaluated fields of every entry (for debugging a mapping)."""
    library = Splitter(text).split()
    strings = dict(MONTH_MACROS)
    return [_entry_fields(e, strings) for e in library.entries]
