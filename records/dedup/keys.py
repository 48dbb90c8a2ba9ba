"""Comparison forms of a CSL item, computed once per record (:func:`prepare`).

Everything the blocking and the scoring look at is derived here, so that comparing two records
is cheap: normalized title (case, accents, punctuation, HTML, LaTeX, Greek letters spelled out,
MEDLINE's "[translated title]" brackets and "[Article in German]" notes removed), author family
names with initials, year, container tokens (for abbreviation-aware matching), volume, issue,
page range, identifiers, type, part and edition numbers, and markers for records that are *about*
another record (erratum, correction, retraction notice, comment, reply) or are conference
abstracts.

Hand-written because the rules are bibliographic (which title prefixes mark an erratum, how
ISO 4 abbreviates a journal) rather than generic text processing; the string similarity itself
is rapidfuzz's (in :mod:`records.dedup.scoring`).
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

from records.dedup.venues import VENUE_ACRONYMS
from records.identifiers import (
    doi_key,
    issn_list,
    normalize_doi,
    normalize_isbn,
    normalize_pmcid,
    normalize_pmid,
)
from records.model import CSLItem
from records.normalize.dates import year_of
from records.normalize.names import PARTICLES
from records.normalize.pages import expand_abbreviated_end
from records.normalize.text import clean_text, fold_ascii

# Greek letters are written either as symbols or as names ("TNF-α" / "TNF-alpha"); compare names.
_GREEK: dict[int, str] = {}
for _code in range(0x0391, 0x03CA):
    try:
        _uname = unicodedata.name(chr(_code))
    except ValueError:
        continue
    if _uname.startswith(("GREEK SMALL LETTER ", "GREEK CAPITAL LETTER ")):
        _letter = _uname.rsplit(" ", 1)[-1].lower()
        if _letter.isalpha():
            _GREEK[_code] = f" {_letter} "
_GREEK[0x00B5] = " mu "  # MICRO SIGN
_GREEK[0x03C2] = " sigma "  # final sigma

_APOSTROPHE_RE = re.compile(r"'(?=[st]\b)")
_LATEX_HINT_RE = re.compile(r"\\[A-Za-z\"'`^~=.]|[{}$]")
# MEDLINE writes translated titles in brackets and may add a note on the language.
_LANG_NOTE_RE = re.compile(
    r"\s*[\[(](?:article|text|abstract)?\s*in\s+[a-z]+(?:\s*(?:,|and|with)\s*[a-z]+)*"
    r"(?:\s+with\s+[a-z]+\s+abstract)?[\])]\.?\s*$",
    re.IGNORECASE,
)
_WHOLE_BRACKET_RE = re.compile(r"^\s*\[(.+)\]\s*\.?\s*$", re.DOTALL)
# A bracketed translation/original title after the title proper: "Title [Originaltitel]".
_TRAILING_BRACKET_RE = re.compile(r"^(.{20,}?)\s*\[[^\[\]]{8,}\]\s*\.?\s*$", re.DOTALL)
# Elsevier marks the retracted article itself "RETRACTED: title": that is still the article.
_RETRACTED_PREFIX_RE = re.compile(r"^\s*(?:retracted|withdrawn)\s*(?:article)?\s*[:.-]\s*", re.I)

# Records that are about another record. Anchored at the title start, where publishers and
# indexes put these labels, so that "Correction of pectus excavatum" stays an article.
_MARKER_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "erratum",
        re.compile(
            r"^\s*(?:erratum|errata|corrigendum|corrigenda|addendum)\b"
            r"|^\s*(?:author\s+)?correction(?:s)?\s*(?:to|for|notice|:|$)"
            r"|^\s*publisher'?s?\s+(?:note|correction)"
            r"|\((?:vol|volume)\s*\d+[^()]*(?:pg|page|p)\s*\w+[^()]*\)\s*$",  # WoS erratum titles
            re.I,
        ),
    ),
    (
        "retraction",
        re.compile(
            r"^\s*(?:notice\s+of\s+)?retraction\b|^\s*expression\s+of\s+concern"
            r"|^\s*retraction\s+notice",
            re.I,
        ),
    ),
    (
        "comment",
        re.compile(
            r"^\s*(?:an?\s+)?(?:comments?|commentary)\s+(?:on|to|about|regarding)\b|^\s*re\s*:"
            r"|^\s*(?:comments?|commentary)\s*:",
            re.I,
        ),
    ),
    (
        "reply",
        re.compile(
            r"^\s*(?:(?:the\s+)?authors?[’']?s?[’']?\s+)?(?:reply|rejoinder)\b"
            r"|^\s*(?:the\s+)?authors?[’']?s?[’']?\s+response\b|^\s*response\s*:"
            r"|^\s*response\s+to\s+(?:the\s+)?(?:letters?|comments?|commentary|editorial|"
            r"critique|criticism|correspondence|reviewers?|dr\.?\s|drs\.?\s)"
            r"|^\s*in\s+reply\b|\breply\s+to\s+(?:the\s+)?(?:comments?|letter|editor|critics)",
            re.I,
        ),
    ),
]
_LEADING_PUNCTUATION_RE = re.compile(r"^[\W_]+")
_ANY_MARKER_RE = re.compile("|".join(f"(?:{p.pattern})" for _, p in _MARKER_PATTERNS), re.I)
# Conference abstracts: the container or the issue says so.
_ABSTRACT_CONTAINER_RE = re.compile(
    r"\b(?:abstracts?|meeting|congress|conference|kongress|symposium|poster|annual\s+scientific)\b",
    re.I,
)
_SUPPLEMENT_RE = re.compile(r"\bsupp(?:l|lement)?\b|\bmeeting\s*abstracts?\b", re.I)
# ... or the title does: MEDLINE and the databases fed from it end a meeting abstract's title
# with "[abstract]" ("[Abstract]", "[abstract no: 134]"), and some exports open it with
# "Abstract:". A type hint, like a supplement: the title compared drops it (title_core). Not
# "[Abstract in English]" (a language note) nor a title that merely opens with the word
# ("Abstract algebra ..."), which say nothing about the record's type.
_ABSTRACT_MARK_RE = re.compile(
    r"\s*\[\s*abstracts?\s*(?:(?:no\.?|number|#)\s*:?\s*[\w.-]+\s*)?\]\s*\.?\s*$", re.I
)
_ABSTRACT_PREFIX_RE = re.compile(r"^\s*abstract\s*:\s*", re.I)
_PART_RE = re.compile(
    r"\b(?:part|pt|teil|partie|parte|section)\.?\s+([0-9]+|[ivx]{1,5}|one|two|three|four|five|six)\b",
    re.I,
)
_ROMAN = {"i": 1, "v": 5, "x": 10}
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_INT_RE = re.compile(r"\d+")
# Words ISO 4 drops and words that carry no identity in a journal name.
CONTAINER_STOPWORDS = frozenset(
    "the of and for in on at a an to with from by de der die das und la le les des du et "
    "del della di e y fur zur zum van voor en d l".split()
)
TITLE_STOPWORDS = frozenset(
    "the a an of and in on for to with from by at as is are its into de der die das und la le "
    "les des du et".split()
)
_PAREN_RE = re.compile(r"\([^()]*\)")
_BRACKET_RE = re.compile(r"\[[^\[\]]*\]")  # "PLoS ONE [Electronic Resource]"


def _latex_to_text(text: str) -> str:
    """LaTeX markup to Unicode (``K{\\"u}chlin`` -> ``Küchlin``) by the project's one decoder,
    :func:`records.normalize.latex.latex_to_unicode` (table-driven: ~85x faster than pylatexenc
    and right where pylatexenc is not for BibTeX values: ``\\LaTeX``, ``H$_2$O``). Every brace
    goes, stray ones too: a comparison form has no use for them."""
    from records.normalize.latex import latex_to_unicode

    return latex_to_unicode(text).replace("{", "").replace("}", "")


# fold's steps as C-level passes (fold runs on every title, abstract and name: 100k records
# means ~300k calls). Greek letters are looked up only when some are present (str.translate
# with a dict costs a lookup per character), and the final "runs of anything but [a-z0-9]
# become one space" is a byte translation to spaces, then runs of spaces squeezed.
_GREEK_RE = re.compile("[" + "".join(chr(code) for code in sorted(_GREEK)) + "]")
_GREEK_NAMES = {chr(code): name for code, name in _GREEK.items()}
_LETTER_RE = re.compile(r"[^\W\d_]")
_TO_SPACE = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))
_SPACES_RE = re.compile(b"  +")


def _drop_lost_letters(text: str) -> str:
    """Every "?" between two letters removed (a letter lost in a character-set conversion:
    "fran?aises"); the neighbours are those of the original text, as for a look-around regex."""
    parts = text.split("?")
    kept = [parts[0]]
    for before, after in pairwise(parts):
        if not (before and after and _LETTER_RE.match(before[-1]) and _LETTER_RE.match(after[0])):
            kept.append("?")
        kept.append(after)
    return "".join(kept)


# Mojibake: text written in one character set and read in another, two shapes that survive in
# exported catalogues (and that no rule of the comparison can see through once folded):
# * Latin-1 bytes read as ISO 8859-5: one Cyrillic letter inside a Latin word ("hernсndez" for
#   "hernández", "bіhm" for "böhm", "deпloch" for "deßloch"). A Cyrillic word has no Latin
#   letters, so only mixed words are read back.
# * UTF-8 read as Latin-1 or Windows-1252: "Ã¶" for "ö", "Ä±" for "ı", also lower-cased by a
#   source ("ã¶"), which ftfy (the library for this) does not undo; and ftfy's general repair
#   costs far more than these two patterns in a function every record's every field goes
#   through.
_CYRILLIC_IN_LATIN_RE = re.compile(
    r"(?<=[A-Za-z])[\u0401-\u045f]|[\u0401-\u045f](?=[A-Za-z])"
)
_UTF8_AS_LATIN1_RE = re.compile("[ÃãÄäÅå][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u017d\u017e\u0178\u2018-\u203a\u20ac\u2122]")
_CYRILLIC_RE = re.compile("[\u0401-\u045f]")
_LEAD_RE = re.compile("[ÃãÄäÅå]")
_LOST_UTF8_RE = re.compile(r"(?<=[A-Za-z])[ÃãÄäÅå]\?(?=[A-Za-z])")
_LEAD_BYTES = {"Ã": 0xC3, "ã": 0xC3, "Ä": 0xC4, "ä": 0xC4, "Å": 0xC5, "å": 0xC5}


def _latin1_letter(match: re.Match[str]) -> str:
    try:
        return match.group().encode("iso8859_5").decode("latin-1")
    except UnicodeEncodeError:
        return match.group()


def _utf8_letter(match: re.Match[str]) -> str:
    lead, follow = match.group()[0], match.group()[1]
    try:
        second = follow.encode("cp1252")
    except UnicodeEncodeError:
        return match.group()
    try:
        return (bytes([_LEAD_BYTES[lead]]) + second).decode("utf-8")
    except UnicodeDecodeError:
        return match.group()


def repair_mojibake(text: str) -> str:
    """Letters garbled by a character-set confusion read back (see the patterns above); any
    other text unchanged."""
    # Plain character scans first: this runs on every non-ASCII field of every record.
    if _CYRILLIC_RE.search(text) and _CYRILLIC_IN_LATIN_RE.search(text):
        text = _CYRILLIC_IN_LATIN_RE.sub(_latin1_letter, text)
    if not _LEAD_RE.search(text):
        return text
    if _UTF8_AS_LATIN1_RE.search(text):
        text = _UTF8_AS_LATIN1_RE.sub(_utf8_letter, text)
    if "?" in text:
        # The lead byte of a UTF-8 letter whose second byte became "?": one letter lost, as
        # a lone "?" between letters is (see _drop_lost_letters).
        text = _LOST_UTF8_RE.sub("?", text)
    return text


def _greek_name(match: re.Match[str]) -> str:
    return _GREEK_NAMES[match.group()]


def fold(text: str, *, repair: bool = True) -> str:
    """Lower-case ASCII words separated by single spaces: the comparison form of any text.

    ``repair=False`` leaves mojibake as it is: for an abstract, compared by its overall
    similarity (a few garbled letters barely move it), where scanning for it costs more than the
    rest of the folding."""
    if not text:
        return ""
    ascii = text.isascii()
    if not ascii:
        if repair:
            text = repair_mojibake(text)
        text = text.replace("ı", "i")  # dotless i has no NFKD form
    if "?" in text:
        text = _drop_lost_letters(text)
    if not ascii:
        if _GREEK_RE.search(text):
            text = _GREEK_RE.sub(_greek_name, text)
        text = fold_ascii(text.replace("’", "'"))
    # "Schön's" and "Schons", "don't" and "dont": an apostrophe before a final s or t does not
    # split a word; an elision ("d'anesthésie") does.
    text = text.lower()
    if "'" in text:
        text = _APOSTROPHE_RE.sub("", text)
    return _SPACES_RE.sub(b" ", text.encode("ascii").translate(_TO_SPACE)).strip().decode("ascii")


def _clean(text: str) -> str:
    if "<" in text or "&" in text:
        text = clean_text(text)
    if _LATEX_HINT_RE.search(text):
        text = _latex_to_text(text)
    return text


# Parallel titles: the original-language title and its translation in one field (Embase's
# "<ORIGINAL>" marker, ISBD's " = ", a "; " between two full titles).
_ORIGINAL_RE = re.compile(r"\s*<original>\s*", re.I)
_PARALLEL_RE = re.compile(r"\s+=\s+|;\s+")


# MEDLINE/Ovid decorations after a title: "[Review] [45 refs]", "[see comments]", "[published
# erratum appears in ...]", "(author's transl)", "[abstract]". They describe the record, not the
# title, and differ between databases ("45 refs" would read as a number the title names).
_DECORATION_RE = re.compile(
    r"\s*(?:\[\s*(?:review|\d+\s*refs?|see\s+comments?|comments?|abstract|editorial|letter|"
    r"news|published\s+erratum[^\[\]]*|erratum\s+in[^\[\]]*|retracted\s+in[^\[\]]*|"
    r"see\s+(?:also|erratum)[^\[\]]*|corrected[^\[\]]*|author'?s\s+transl)\s*\.?\s*\]"
    r"|\(\s*author'?s\s+transl\.?\s*\))\s*\.?\s*$",
    re.IGNORECASE,
)


def abstract_marked(title: str) -> bool:
    """Whether the title says its record is a meeting abstract (:data:`_ABSTRACT_MARK_RE`):
    "Abstract:" first, or "[abstract]" among the decorations at its end, markup aside
    ("... <i>[Abstract]</i>", "... [Abstract] [Review]"), quotes aside ('"... [abstract]"
    (author's transl)')."""
    text = _clean(title).strip().strip(_QUOTES_AND_SPACE)
    if _ABSTRACT_PREFIX_RE.match(text):
        return True
    while text.rstrip(". ").endswith(("]", ")")):
        if _ABSTRACT_MARK_RE.search(text):
            return True
        decoration = _DECORATION_RE.search(text)
        if decoration is None:
            return False
        text = text[: decoration.start()].rstrip(_QUOTES_AND_SPACE)
    return False


_QUOTES_AND_SPACE = "\"'“”«» "


def strip_decorations(title: str) -> str:
    """The title without MEDLINE's trailing decorations (see :data:`_DECORATION_RE`)."""
    while True:
        stripped = _DECORATION_RE.sub("", title)
        if stripped == title or not stripped.strip():
            return title
        title = stripped


def title_core(title: str) -> str:
    """The title as written minus what indexes add: translation brackets, language notes,
    MEDLINE decorations ("[Review] [45 refs]", "(author's transl)"), "RETRACTED:" flags,
    surrounding quotes."""
    text = _clean(_ORIGINAL_RE.sub(" = ", title)).strip().strip("\"'“”«» ")
    if text.rstrip(". ").endswith(("]", ")")):
        text = strip_decorations(text)
    if text[:1] in "RrWw":
        text = _RETRACTED_PREFIX_RE.sub("", text)
    if text[:1] in "Aa":
        text = _ABSTRACT_PREFIX_RE.sub("", text) or text
    if text.rstrip(". ").endswith(("]", ")")):
        text = _LANG_NOTE_RE.sub("", text)
    if "[" in text:
        whole = _WHOLE_BRACKET_RE.match(text)
        if whole and "[" not in whole.group(1):
            text = whole.group(1)
        else:
            trailing = _TRAILING_BRACKET_RE.match(text)
            if trailing:
                text = trailing.group(1)
    if ".0" in text:
        text = _FLOAT_YEAR_RE.sub(r"\1", text)
    return text


# A year a spreadsheet wrote as a decimal number ("1977.0"), in citation details run into a
# title: the year, not a year and a zero.
_FLOAT_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\.0\b")


def title_variants(core: str) -> tuple[str, ...]:
    """The folded parallel titles of a title core, when it holds two or more of at least four
    words each (empty otherwise)."""
    if "=" not in core and ";" not in core:
        return ()
    parts = [fold(part) for part in _PARALLEL_RE.split(core)]
    parts = [part for part in parts if len(part.split()) >= 4]
    return tuple(parts) if len(parts) > 1 else ()


_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve first second third fourth "
    "fifth sixth seventh eighth ninth tenth".split()
)
_ROMAN_TOKENS = frozenset("ii iii iv vi vii viii ix".split())
_ORDINAL_CONTEXT = frozenset("phase part type stage grade class study trial series".split())


def title_numbers(tokens: tuple[str, ...]) -> frozenset[int]:
    """The numbers a title names ("five-year", "phase I/II", "2", "part II"): two otherwise
    similar titles that name different numbers are different works (follow-up at five and at
    six years, phase II and phase I/II trials)."""
    numbers: set[int] = set()
    previous = ""
    for token in tokens:
        if not token.isalpha():
            # Digit runs anywhere ("5", "beta3", "covid19"); long runs are ids, not counts.
            numbers.update(int(d) for d in _INT_RE.findall(token) if len(d) < 5)
        elif token in _NUMBER_WORDS or token in _ROMAN_TOKENS:
            value = _number_word(token)
            if value:
                numbers.add(value)
        elif token == "i" and previous in _ORDINAL_CONTEXT:
            numbers.add(1)
        if not (token == "i" or token in _ROMAN_TOKENS):
            previous = token
    return frozenset(numbers)


_ROMAN_RE = re.compile(r"^(?:x{0,3})(?:ix|iv|v?i{0,3})$")


def _designator(token: str) -> bool:
    """A token that names one item of a series: a single letter or digit ("record b",
    "hepatitis c"), a number, a roman numeral ("ii", "xiv"), a number word, or a short letter-
    and-digit label ("1a", "b2")."""
    if len(token) == 1:
        return token.isalnum()
    if token.isdecimal() or token in _NUMBER_WORDS:
        return True
    if _ROMAN_RE.match(token):
        return True
    return len(token) <= 3 and token.isalnum() and any(c.isdigit() for c in token)


def title_designators(t1: tuple[str, ...], t2: tuple[str, ...]) -> tuple[str, str] | None:
    """The two tokens that differ when two titles are one title naming different items of a
    series: ``("b", "c")`` for "... record b" / "... record c", ``("a", "b")`` for "Part A" /
    "Part B", ``("ii", "iii")``, ``("b", "c")`` for "Hepatitis B ..." / "Hepatitis C ...";
    ``None`` for anything else (titles differing in a word, or in two places).

    Titles of a series differ in one place only, and there a designator stands on both sides (a
    letter or a number is the whole difference between "Hepatitis B" and "Hepatitis C"); a typo
    in a word is no designator. A designator on one side only is not counted: scraped and
    exported titles end in debris ("... for large databases a", "... tables c", a footnote mark
    "1") far more often than a series item stands beside its series' name."""
    if len(t1) != len(t2) or len(t1) < 2:
        return None
    found: tuple[str, str] | None = None
    for a, b in zip(t1, t2, strict=True):
        if a != b:
            if found is not None:
                return None
            found = (a, b)
    if found is None or not (_designator(found[0]) and _designator(found[1])):
        return None
    return found


def markers_of(title: str) -> frozenset[str]:
    """Which "about another record" kinds a title announces (erratum, retraction, comment, reply).

    Punctuation before the label (a stray LaTeX backslash or quote: "\\ addendum to ...") is
    not text: the label still opens the title."""
    title = _LEADING_PUNCTUATION_RE.sub("", title)
    if not _ANY_MARKER_RE.search(title):
        return frozenset()
    return frozenset(kind for kind, pattern in _MARKER_PATTERNS if pattern.search(title))


def _number_word(token: str) -> int | None:
    token = token.lower()
    if token.isdecimal():  # not isdigit(): "¹" is a digit that int() refuses
        return int(token)
    if token in _WORD_NUMBERS:
        return _WORD_NUMBERS[token]
    if token and all(c in _ROMAN for c in token):
        total, prev = 0, 0
        for c in reversed(token):
            value = _ROMAN[c]
            total += -value if value < prev else value
            prev = max(prev, value)
        return total
    return None


def part_of(title: str) -> int | None:
    """``"Foo. Part II: bar"`` -> 2."""
    match = _PART_RE.search(title)
    return _number_word(match.group(1)) if match else None


def edition_of(value: Any) -> int | None:
    """CSL ``edition`` ("2", "2nd ed.", "Second edition") as a number."""
    if value in (None, ""):
        return None
    text = str(value).lower()
    match = _INT_RE.search(text)
    if match:
        return int(match.group(0))
    for word in text.replace(".", " ").split():
        number = _number_word(word)
        if number:
            return number
    return None


# Values some sources write for "no value": they are not values (a library imported before the
# readers dropped them still holds them), so comparison never counts them.
PLACEHOLDERS = frozenset(
    {"na", "n/a", "n.a.", "n. a.", "-", "--", "[s.n.]", "s.n.", "[s.l.]", "unknown", "0", "none",
     "null", "nan", "?", "[n.p.]", "n.p."}
)


# Every case of each placeholder: one set lookup per value (prepare runs on every record).
_PLACEHOLDER_FORMS = frozenset(
    form
    for p in PLACEHOLDERS
    for form in (p, p.upper(), p.title(), p.capitalize())
)


def placeholder(value: Any) -> bool:
    """Whether a field value is a placeholder for "no value" ("NA", "-", "[s.n.]", "0", ...)."""
    if value.__class__ is str:
        return value in _PLACEHOLDER_FORMS or ((
            value[:1].isspace() or value[-1:].isspace()
        ) and value.strip() in _PLACEHOLDER_FORMS)
    return value.__class__ in (int, float) and str(value) in PLACEHOLDERS


def _number_field(value: Any) -> str | None:
    """Volume/issue comparison form: the leading number if any, else the folded text."""
    if value in (None, "") or placeholder(value):
        return None
    text = str(value).strip()
    match = _INT_RE.search(text)
    if match:
        return str(int(match.group(0)))
    folded = fold(text)
    return folded or None


def _pages(value: Any) -> tuple[str | None, str | None]:
    """First and last page, comparison forms: ``"pp. 575-81"`` -> ("575", "581")."""
    if value in (None, "") or placeholder(value):
        return None, None
    text = str(value).lower().strip(" \"'")
    # "395-9; discussion 399-400", "119-27; quiz 128": the article's own range comes first.
    text = text.split(";", 1)[0]
    excel = _EXCEL_PAGES_RE.match(text)
    if excel:
        # A spreadsheet read the range "21-4" (21-24) as the date 21 April and wrote "21-Apr".
        start = excel.group(1).lstrip("0") or "0"
        end = str(_MONTH_NUMBERS[excel.group(2)])
        return start, expand_abbreviated_end(start, end)
    # Words in a page field ("01-Jun" from a spreadsheet, "author reply 2243-5") mean it is not
    # a plain locator we can compare; short letter groups ("S33", "e1234", "vi") are fine.
    if _WORD_RE.search(text):
        return None, None
    ranges = _PAGES_RE.findall(text)
    if not ranges:
        return None, None
    if len(ranges) > 1 and all(r[0].isdigit() for r in ranges):
        # Several ranges ("233-238+230-235", "230-5, 246-51"): sources list them in any order,
        # so compare the range that starts lowest.
        ranges.sort(key=lambda r: int(r[0]))
    first, last = ranges[0][0], ranges[0][1] or None
    first = first.lstrip("0") or first
    if last:
        last = last.lstrip("0") or last
        if first.isdigit() and last.isdigit():
            last = expand_abbreviated_end(first, last)
    return first, last


_WORD_RE = re.compile(r"[a-z]{3,}")
_MONTH_NUMBERS = {
    m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)
}
_EXCEL_PAGES_RE = re.compile(r"^(\d{1,2})-(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)$")
_PAGES_RE = re.compile(
    r"(?:pp?\.?\s*)?\b([a-z]{0,3}\d+[a-z]?)(?:\s*[-–—‐‑]+\s*([a-z]{0,3}\d+[a-z]?))?"
)


@lru_cache(maxsize=65536)
def _family_key(family: str) -> str:
    """``von Pawel`` and ``Pawel``, ``St Peter`` and ``Peter``: particles are dropped, since
    sources disagree on whether they belong to the family name."""
    words = fold(family).split()
    kept = [w for w in words if w not in PARTICLES]
    return "".join(kept or words)


@lru_cache(maxsize=65536)
def _given_forms(given: str) -> tuple[str, str]:
    """A given name's initials and its folded first name ("" when that is a bare initial):
    ``"Jean-Paul A."`` -> ``("jpa", "jean")``."""
    words = fold(given).split()
    return "".join(w[0] for w in words), words[0] if words and len(words[0]) > 1 else ""


# Function words that tell the language of a title (enough for "these two differ").
_LANGUAGE_WORDS = {
    "en": frozenset("the of and in for with on to from by an is are among".split()),
    "de": frozenset(
        "der die das des dem den und fur mit von zur zum im ein eine einer als auf uber bei".split()
    ),
    "fr": frozenset("le la les des du et pour dans une un sur avec chez au aux".split()),
    "es": frozenset("el los las del y para con en una un por sobre como".split()),
    "pt": frozenset("o os as do da dos das e para com em uma um por".split()),
    "it": frozenset("il lo gli della delle degli e per con nel nella una un su".split()),
}


# Which languages each function word belongs to, for one dictionary lookup per title token.
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in _LANGUAGE_WORDS.items():
    for _word in _words:
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _lang)


def title_language(tokens: tuple[str, ...]) -> str | None:
    """The language whose function words a title uses most (two at least), else ``None``
    (also when two languages tie)."""
    counts: dict[str, int] = {}
    for token in tokens:
        for lang in _LANGUAGES_OF.get(token, ()):
            counts[lang] = counts.get(lang, 0) + 1
    if not counts:
        return None
    hits = max(counts.values())
    if hits < 2:
        return None
    best = [lang for lang, count in counts.items() if count == hits]
    return best[0] if len(best) == 1 else None


# What a scraped citation leaves in an author field that is not a person: a year or a number
# ("sigmod record , 2002"), a web address ("portal.acm.org").
_NOT_A_NAME_RE = re.compile(r"\d|\w\.\w+\.\w|\bwww\b|https?:|@")
# Family "names" that name a publication or a collection a site listed the paper in ("ACMS
# Anthology", "P Edition", "Digital Library"): not people, so no conflict with the authors.
_COLLECTION_NAMES = frozenset(
    "anthology anthologies edition editions proceedings collection library publications "
    "publishing".split()
)


def _names(
    names: Any, venue: frozenset[str] = frozenset()
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...]]:
    """The (folded family, initials) of each named person in order, the folded first given
    name of each ("" when none: used to spot given and family names swapped), and the other
    reading of each one's double surname (:func:`_family_split`; () when no name has one).

    A "name" that is a number, a web address, or only words of the record's own venue
    (``venue``: "sigmod record" among the authors of a record in SIGMOD Record) is citation
    matter a reader put in the wrong field, not a person: it is left out."""
    if not isinstance(names, list):
        return (), (), ()
    authors: list[tuple[str, str]] = []
    given_names: list[str] = []
    splits: list[str] = []
    for name in names:
        if not isinstance(name, dict):
            continue
        family = name.get("family") or name.get("literal") or ""
        if not isinstance(family, str) or not family:
            continue
        given = str(name.get("given") or "")
        person = _person(family, given)
        if person is None:
            continue
        key, initials, first = person
        if venue and key in venue and set(fold(given).split()) <= venue:
            continue
        authors.append((key, initials))
        given_names.append(first)
        splits.append(_family_split(key, given) if given else "")
    return tuple(authors), tuple(given_names), tuple(splits) if any(splits) else ()


@lru_cache(maxsize=65536)
def _family_split(key: str, given: str) -> str:
    """The folded family name of the other reading of a name whose given part ends with a
    capitalised word: that word and the family name together ("M. Botana" + "Rial" ->
    "botanarial"), or "".

    Spanish and Portuguese double surnames written given name first ("M. Botana Rial", "Maria
    Botana Rial") are read with the last word as the family name; the same person written
    "Botana Rial, M." has the family "Botana Rial". Which reading is right, the string does
    not say ("Maria Luisa Rial": Luisa is a given name). The stored name is left as read (a
    wrong value is worse than a missing one); author comparison accepts either reading when
    the other record confirms it (records.dedup.fields.compare_authors), which only a family
    name equal to the joined words can do."""
    words = given.split()
    if len(words) < 2:
        return ""
    # A capitalised word of two letters or more (letters, inner hyphens or apostrophes), not an
    # initial ("B.", "B") nor initials run together ("AB").
    last = words[-1]
    if len(last) < 2 or not last[0].isupper() or last.isupper() or not last[-1].isalpha():
        return ""
    if not last.replace("-", "").replace("'", "").replace("’", "").isalpha():
        return ""
    word = _family_key(last)
    return word + key if word and word not in PARTICLES else ""


@lru_cache(maxsize=65536)
def _person(family: str, given: str) -> tuple[str, str, str] | None:
    """What :func:`_names` keeps of one name, (folded family, initials, first given name), or
    ``None`` when the family name names no person whatever the record (a placeholder, a number,
    a web address, a collection, nothing left once folded). Cached: the same authors come back
    record after record, and the name's own checks and folding were ~30% of ``prepare``."""
    if placeholder(family):
        return None
    if not family.isalpha() and _NOT_A_NAME_RE.search(family):
        return None
    if family.lower() in _COLLECTION_NAMES:
        return None
    key = _family_key(family)
    if not key:
        return None
    initials, first = _given_forms(given)
    return key, initials, first


@lru_cache(maxsize=65536)
def container_variants(name: str) -> tuple[tuple[str, ...], ...]:
    """A container name as token sequences for abbreviation-aware matching.

    Parenthesised qualifiers ("Lung cancer (Amsterdam, Netherlands)") are dropped, parallel
    titles ("Zhonghua jie he ... = Chinese journal of ...") are separate variants, and words ISO 4
    drops (articles, prepositions, conjunctions) are removed.
    """
    cleaned = _clean(name)
    text = _BRACKET_RE.sub(" ", _PAREN_RE.sub(" ", cleaned))
    variants: list[tuple[str, ...]] = []
    # A parenthesised acronym ("ACM Transactions on Database Systems (TODS)", "... Management of
    # Data (SIGMOD)") is the short name of the venue: one more variant.
    for inner in _PAREN_RE.findall(cleaned):
        acronym = fold(inner[1:-1]).split()
        if len(acronym) == 1 and len(acronym[0]) >= 3 and not acronym[0].isdigit():
            variants.append((acronym[0],))
    for part in text.split("="):
        tokens = tuple(
            t for t in fold(part).split() if t not in CONTAINER_STOPWORDS and t not in _ENTITY_WORDS
        )
        if not tokens:
            continue
        forms = [tokens]
        if len(tokens) > 1 and tokens[0] in PUBLISHER_PREFIXES:
            # "ACM SIGMOD Record" / "SIGMOD Record", "IEEE Trans. ..." / "Trans. ...": the
            # society's name before a journal's is written by some sources and not others.
            forms.append(tokens[1:])
        for form in list(forms):
            forms.extend(journal_synonyms(form))
        for form in forms:
            if form not in variants:
                variants.append(form)
    return tuple(variants)


# HTML entities a scraper wrote out as words ("& hellip ;", "&#39;"): not part of a name.
_ENTITY_WORDS = frozenset("hellip amp nbsp quot apos 39 34 38".split())
# What is a publisher, an institution, a report series or a web address rather than a journal
# or a conference ("fernuniversität hagen", "technical report msr-tr-2000-53 , microsoft
# research", "at http://www.cs.brown.edu/..."): the work's venue is unknown, not another one.
_NOT_A_VENUE_RE = re.compile(
    r"\b(?:tech(?:nical)?\.?\s+rep(?:ort)?|research\s+report|rapport\s+de\s+recherche|"
    r"working\s+paper|https?:|www\b)|^\W*(?:at\s+)?(?:university|dept\b|department\b)|universit",
    re.I,
)
# Words that make a name a journal's or a conference's whatever institution it names
# ("Journal of the National Cancer Institute", "Proceedings of the University of ...").
_VENUE_WORDS_RE = re.compile(
    r"\b(?:journal|j|proc|proceedings|conference|conf|symposium|workshop|transactions|trans|"
    r"review|annals|bulletin|letters|record|magazine|acta|archives|zeitschrift|revue|revista)\b",
    re.I,
)


# Words that name no venue on their own ("proc .", "acm", "proceedings of the international
# conference"); unlike "Science" or "Computing", no journal is called by them alone.
_EMPTY_VENUE_WORDS = frozenset(
    "proceedings proc conference conf symposium symp workshop congress meeting in international "
    "int intl annual national acm ieee siam ieice iet aaai usenix".split()
)


@lru_cache(maxsize=65536)
def names_a_venue(name: str) -> bool:
    """Whether a container name names where a work was published: not a publisher, an
    institution, a report series or a web address (which say nothing against another record's
    journal), and not only generic words ("proc .", "acm", "proceedings of the")."""
    folded = fold(_clean(name))
    words = [w for w in folded.split() if w not in _ENTITY_WORDS and w not in CONTAINER_STOPWORDS]
    if not words:
        return False
    if all(w in _EMPTY_VENUE_WORDS or _OCCURRENCE_RE.match(w) for w in words):
        return False
    if _NOT_A_VENUE_RE.search(name) or _NOT_A_VENUE_RE.search(folded):
        return bool(_VENUE_WORDS_RE.search(folded)) and not re.search(
            r"\btech(?:nical)? rep|research report|rapport de recherche|working paper|https?\b|www\b",
            folded,
        )
    return True


def container_tokens(name: str) -> tuple[str, ...]:
    """A container name's comparison tokens (folded, qualifiers and ISO 4 stop words dropped)."""
    text = _BRACKET_RE.sub(" ", _PAREN_RE.sub(" ", _clean(name)))
    return tuple(t for t in fold(text).split() if t not in CONTAINER_STOPWORDS)


PUBLISHER_PREFIXES = frozenset({"acm", "ieee", "siam", "ieice", "iet", "aaai", "usenix"})
_JOURNALS = Path(__file__).with_name("data") / "journal_abbreviations.tsv.gz"
_synonyms: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] | None = None


def journal_synonyms(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The other names of a journal in JabRef's abbreviation lists (CC0, compacted by
    ``scripts/build_journal_abbreviations.py`` to the pairs the ISO 4 rules do not match):
    full name for an abbreviation and the reverse. Loaded on first use."""
    global _synonyms
    if _synonyms is None:
        table: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        if _JOURNALS.exists():
            for line in gzip.decompress(_JOURNALS.read_bytes()).decode("utf-8").splitlines():
                full, _, short = line.partition("\t")
                a, b = tuple(full.split()), tuple(short.split())
                table.setdefault(a, []).append(b)
                table.setdefault(b, []).append(a)
        _synonyms = {k: tuple(v) for k, v in table.items()}
    return _synonyms.get(tokens, ())


@dataclass(frozen=True, slots=True)
class Prepared:
    """The comparison form of one CSL item (see the module docstring). Build with :func:`prepare`."""

    title: str  # folded title core: "a study on the use of mycobacterium vaccine"
    title_tokens: tuple[str, ...]
    title_variants: tuple[str, ...]  # folded parallel titles (original + translation), if any
    title_numbers: frozenset[int]
    translated: bool  # the title is a translation in brackets or holds parallel titles
    language: str | None  # the title's language, guessed from its function words
    main_title: str  # folded title before the first ": " / " - " / ". " (subtitle dropped)
    authors: tuple[tuple[str, str], ...]  # (folded family, initials) in order
    given_names: tuple[str, ...]  # folded first given name per author (name-part swaps)
    year: int | None
    containers: tuple[tuple[str, ...], ...]
    volume: str | None
    issue: str | None
    first_page: str | None
    last_page: str | None
    doi: str | None
    pmid: str | None
    pmcid: str | None
    issns: frozenset[str]
    isbns: frozenset[str]
    type: str | None
    part: int | None
    edition: int | None
    markers: frozenset[str]
    conference_abstract: bool
    abstract: str  # folded, first 600 characters
    # A year found at the end of the title of a record without a date (read_title_tail): for
    # agreement only, as a run-in year may be a volume or a report number.
    title_year: int | None = None
    authors_from_title: bool = False  # the authors were read there too (read_title_tail)
    venue_from_title: bool = False  # and the venue (read_title_tail), for `harvester show`
    # How many words at the start of the title are names run into it before a full stop
    # (title_lead): blocking also keys the title after them.
    title_lead: int = 0
    # Per author, the folded family name of the other reading of a double surname ("" when
    # none; () when no author has one): see :func:`_family_split`.
    family_splits: tuple[str, ...] = ()


class Screen(NamedTuple):
    """The few values of a form that triage's first steps read of a candidate
    (:func:`records.dedup.triage.passing`): a small tuple, kept for many more records than full
    forms are, so that most candidate pairs are set aside without reading a full form."""

    title: str
    title_variants: tuple[str, ...]
    titled: bool  # bool(title_tokens)
    year: int | None
    volume: str | None
    first_page: str | None
    doi: str | None
    pmid: str | None
    pmcid: str | None


def screen_of(p: Prepared) -> Screen:
    return Screen(
        p.title,
        p.title_variants,
        bool(p.title_tokens),
        p.year,
        p.volume,
        p.first_page,
        p.doi,
        p.pmid,
        p.pmcid,
    )


_PARALLEL_HINT_RE = re.compile(r"<original>|\s=\s", re.I)
_MAIN_SPLIT_RE = re.compile(r"\s*(?::|\s[-–—]\s|\.\s|\?\s)\s*")


_ABSTRACT_GENRE_RE = re.compile("abstract", re.I)
_YEARS: dict[int, int] = {}


def _shared_year(year: int | None) -> int | None:
    """One int object per year value for all records: comparing many records' years then
    reads a few hot objects instead of one scattered object per record."""
    if year is None or len(_YEARS) > 4096:
        return year
    return _YEARS.setdefault(year, year)


# Journals and their ISSNs recur across a library: their parsed forms are cached.
@lru_cache(maxsize=65536)
def _conference_container(text: str) -> bool:
    return bool(_ABSTRACT_CONTAINER_RE.search(text))


@lru_cache(maxsize=65536)
def _issn_set(text: str) -> frozenset[str]:
    return frozenset(issn_list(text))


@lru_cache(maxsize=65536)
def _isbn_set(text: str) -> frozenset[str]:
    return frozenset(i for i in (normalize_isbn(v) for v in re.split(r"[,;]", text)) if i)


# Fields a reader left in the title (scraped pages and exports that lost field boundaries put
# the author list and the year after the title: "exploratory mining of ... rules r ng , l
# lakshmanan , j han 1998"). A year at the very end of the title of a record without a date; a
# list of two or more names, each initials then a family name ("r ng", "pz kunszt"), separated
# by commas or "and", at the end of the title of a record without authors. Words that are never
# initials ("in vivo , in vitro") keep a title's own comma series from being read as names.
_TAIL_YEAR_RE = re.compile(r"[\s,.;:(\[]+((?:19|20)\d\d)(?:\.0|[a-z])?[\s)\].,;]*$")
_NOT_INITIALS = frozenset(
    "an and as at by for from in into is it its of on or per the to via vs with".split()
)
_TAIL_NAME = r"[^\W\d_]{1,3}\.?(?:\s+[^\W\d_]\.?)?\s+[^\W\d_][\w'\-]*[^\W\d_]"
_TAIL_GAP_RE = re.compile(r"[\s,.;:]+")
_TAIL_NAMES_RE = re.compile(
    rf"[\s,.;:]+((?:{_TAIL_NAME})(?:(?:\s*,\s*|\s+and\s+)(?:{_TAIL_NAME}))*)"
    r"(?:\s*[,.]?\s+([^,]{2,80}?))?[\s,.;]*$"
)
_TAIL_SPLIT_RE = re.compile(r"\s*,\s*|\s+and\s+")
_TAIL_AND_RE = re.compile(r"\sand\s")
# What is left of a title after its tail is read must still be a title; a year needs more of
# it ("cancer statistics , 2019" is a title with its year, a series of reports).
_TAIL_TITLE_MIN_WORDS = 2
_TAIL_YEAR_TITLE_MIN_WORDS = 3
# A venue run into the end of the title of a record that has none ("apex : an adaptive path
# index for xml data sigmod conference 2002", "probview : ... acm trans . database syst .",
# "... proceedings of the 23rd international conference on very"), in the shapes that name a
# venue whatever the venue's name: a word followed by a venue-kind word ("sigmod conference",
# "vldb j ."), a society's abbreviated transactions ("acm trans . database syst ."), a society's
# transactions or journal written out ("acm transactions on database systems"), proceedings
# ("proceedings of ...", "proc . ...", "in : proceedings ..."); a year may follow. A word that
# merely ends a title ("medical record", "... the fossil record", "... in a workshop") is not a
# venue-kind word or is a function word, and "transactions on" without a society's name is a
# title's own ("concurrency control for transactions on mobile devices"). What is left must
# still be a title (:data:`_TAIL_VENUE_TITLE_MIN_WORDS` significant words, not ending with a
# function word).
_TAIL_VENUE_RE = re.compile(
    r"[\s,.;:(\[]+("
    r"(?:in\s*:?\s+)?(?:in)?(?:proceedings?|procs?)\s*(?:\.|,|\bof\b).*?"
    r"|(?:the\s+)?(?:(?:acm|ieee|siam|usenix)\s+)?(?P<name>[^\W\d_]{2,})\s+"
    r"(?:conference|conf|workshop|symposium|symp|journal|j)\b\.?"
    r"|(?:acm|ieee|siam)\s+(?:trans\s*\.|transactions\s+on\b|journal\s+on\b)"
    r"(?:\s*[^\W\d_]+\s*\.?){1,6}"
    r"|(?P<event>(?:the\s+)?(?:(?:acm|ieee|siam|usenix)[\s-]+)?(?:int|intl|international)\s*"
    r"(?:'\s*l\s*)?\.?\s*(?:conf|conference|symp|symposium|workshop|journal|j)\b).*?"
    r")[\s,.;:)\]]*(?:(?:19|20)\d\d(?:\.0)?[\s,.;)\]]*)?$",
    re.I,
)
_TAIL_VENUE_TITLE_MIN_WORDS = 3
# Prepositions and conjunctions: a title cut after one of them was cut inside a phrase.
_PHRASE_WORDS = frozenset("and as at by for from in into of on or per to via vs with".split())
_ARTICLES = frozenset(("a", "an", "the"))


def read_title_tail(
    title: str, has_authors: bool, has_year: bool, has_venue: bool = True
) -> tuple[str, list[dict[str, str]], int | None, str | None]:
    """The title without the author list (and the venue after it) and the year a reader ran
    into its end; the names (CSL name dicts), the year and the venue read there. The title is
    unchanged when the record has those fields or the tail is not of that shape. For
    comparison only: the record keeps its title as written."""
    names: list[dict[str, str]] = []
    year: int | None = None
    venue: str | None = None
    if not has_year:
        found = _TAIL_YEAR_RE.search(title)
        if found and len(title[: found.start()].split()) >= _TAIL_YEAR_TITLE_MIN_WORDS:
            year = int(found.group(1))
            title = title[: found.start()]
    # Two names or more are joined by a comma or "and"; one name alone needs the year after it.
    listed = year is not None or "," in title or _TAIL_AND_RE.search(title) is not None
    if not has_authors and listed:
        # The first place from the left where the rest of the title reads as names (and a
        # venue): a title's own words before it stay in the title.
        cut = 0
        for gap in _TAIL_GAP_RE.finditer(title):
            if len(title[: gap.start()].split()) < _TAIL_TITLE_MIN_WORDS:
                continue
            found = _TAIL_NAMES_RE.match(title, gap.start())
            if found is None:
                continue
            people = _tail_people(found.group(1), single=year is not None)
            after = found.group(2)
            # Words after the names are the venue only in a record that has none.
            if people and not (after and has_venue):
                names = people
                venue = after
                cut = gap.start()
                # One name with words after it may be a title's own words read as a name and
                # a venue (": a read-mostly rdbms for open smp platforms p fernandez sigmod
                # conference 1994"): a later reading, if any, keeps more of the title.
                if len(people) > 1 or not after:
                    break
        if names:
            title = title[:cut]
    if venue is None and not has_venue:
        title, venue = _read_tail_venue(title)
    return title, names, year, venue


# Names run into the start of a title before a full stop: the end of an author list a scraper
# cut at the wrong place ("j. vandenberg . the sdss skyserver ...", "d. kossmann . el wimmers .
# and j. yang . optimizing queries ...", "alon levy . a scalable algorithm ..."). The words
# before the last such stop among the first few are all initials, "and", or words that are no
# title's function words; what follows is a title of four words or more.
_LEAD_STOP_RE = re.compile(r"\.\s")
_LEAD_MAX_WORDS = 8
_LEAD_TITLE_MIN_WORDS = 4
_LEAD_WORD_RE = re.compile(r"[^\W\d_][\w'\-]*")


def title_lead(title: str) -> int:
    """How many words of the folded title are a lead of names before a full stop (see
    :data:`_LEAD_STOP_RE`); 0 when the title does not start so. Only for blocking: the title
    itself is compared whole (the spill rules read such a lead against the other record)."""
    if ". " not in title[:120]:
        return 0
    lead = 0
    for stop in _LEAD_STOP_RE.finditer(title, 0, 120):
        words = fold(title[: stop.start()]).split()
        if len(words) > _LEAD_MAX_WORDS:
            break
        if not words or any(w in TITLE_STOPWORDS and w != "and" for w in words):
            break
        if not all(_LEAD_WORD_RE.fullmatch(w) for w in words) or words == ["and"]:
            break
        rest = fold(title[stop.end() :]).split()
        if len(rest) >= _LEAD_TITLE_MIN_WORDS:
            lead = len(words)
    return lead


# A venue by its acronym alone at a title's end ("... query processing icde", "... histograms
# vldb 1997", "... acm sigmod record", "... vldb '98"): only an acronym known to name a venue
# (:data:`records.dedup.venues.VENUE_ACRONYMS`), since a title's own last word may be one too
# ("... in sql", "outcomes after cabg"); after it only a year, or a word that names a venue's
# series after an acronym ("record", "explorations", "newsletter", ...: "sigmod record"), which
# after any other word is a title's ("a patient-held medical record").
_TAIL_ACRONYM_RE = re.compile(
    r"[\s,.;:]+((?:(?:acm|ieee|siam|usenix)\s+)?(?P<acronym>[^\W\d_]{3,12})"
    r"(?:\s*['\u2019]?\s*\d\d)?"
    r"(?:\s+(?:record|rec|explorations|newsletter|bulletin|forum)\b\.?)?"
    r")[\s,.;:)\]]*(?:(?:19|20)\d\d(?:\.0)?[\s,.;)\]]*)?$",
    re.I,
)
_TAIL_ACRONYM_SPAN = 60  # characters at a title's end where the acronym may sit
_ACRONYM_STRIP = ".,;:()[]'\u2019"


def _read_tail_acronym(title: str) -> tuple[str, str | None]:
    """The title without a venue acronym at its end (:data:`_TAIL_ACRONYM_RE`), and that venue;
    the title unchanged and ``None`` otherwise."""
    tail = title[-_TAIL_ACRONYM_SPAN:]
    # Cheap first: most titles hold no listed acronym among their last words.
    if not any(w.strip(_ACRONYM_STRIP).lower() in VENUE_ACRONYMS for w in tail.split()[-4:]):
        return title, None
    start = max(0, len(title) - _TAIL_ACRONYM_SPAN)
    found = _TAIL_ACRONYM_RE.search(title, start)
    if found is None:
        return title, None
    acronym = found.group("acronym")
    if acronym.lower() not in VENUE_ACRONYMS:
        return title, None
    if title[: found.start(1)].rstrip().endswith(("(", "[")):
        return title, None  # "... data bases (vldb)": the title's own gloss of a name
    if acronym.islower() and title != title.lower() and title != title.upper():
        # Where the title is written with capitals, a venue's acronym is too: a lowercase word
        # in it is a word.
        return title, None
    rest = title[: found.start()]
    words = fold(rest).split()
    if words and (words[-1] in _PHRASE_WORDS or words[-1] in TITLE_STOPWORDS):
        return title, None  # "ten years of vldb", "a history of the vldb": the title's subject
    significant = [w for w in words if len(w) > 1 and w not in TITLE_STOPWORDS]
    if len(significant) < _TAIL_VENUE_TITLE_MIN_WORDS:
        return title, None
    return rest, found.group(1)


def _read_tail_venue(title: str) -> tuple[str, str | None]:
    """The title without a venue run into its end (:data:`_TAIL_VENUE_RE`, or a venue's
    acronym, :func:`_read_tail_acronym`), and that venue; the title unchanged and ``None`` when
    its end is not of that shape. A venue written in two parts ("... the vldb journal the
    international journal on very large &hellip;", "... acm sigmod int . conf .") is read in
    two steps: what is left after the last part may end with the first."""
    rest, venue = _read_tail_venue_once(title)
    if venue is not None:
        before, first = _read_tail_venue_once(rest)
        if first is not None:
            return before, f"{first} {venue}"
    return rest, venue


# Words that end a title about a conference rather than a title with the conference's name
# after it ("report on the fourth international conference on ...", "... of the 1995
# international workshop ..."): an ordinal, a number or "annual" before the name.
_BEFORE_EVENT_RE = re.compile(
    r"^(?:\d+|\d*(?:1st|2nd|3rd|[04-9]th|1[1-3]th)|first|second|third|fourth|fifth|sixth|"
    r"seventh|eighth|ninth|tenth|annual|biennial|joint)$"
)


def _read_tail_venue_once(title: str) -> tuple[str, str | None]:
    found = _TAIL_VENUE_RE.search(title)
    if found is None:
        return _read_tail_acronym(title)
    name = found.group("name")
    if name and name.lower() in TITLE_STOPWORDS | _NOT_INITIALS:
        return title, None  # "... in a workshop", "... at the conference": the title's words
    rest = title[: found.start()]
    words = fold(rest).split()
    if words and words[-1] in _PHRASE_WORDS:
        # A title does not end with "for" or "of": the venue-kind word ends a phrase of the
        # title's own ("... wide area searches for bioinformatics workshop").
        return title, None
    if (name or found.group("event")) and words and words[-1] in _ARTICLES:
        return title, None  # "report of an international workshop": the title's own phrase
    if found.group("event") and words and _BEFORE_EVENT_RE.match(words[-1]):
        # "report on the fourth international conference on ...": a title about the meeting,
        # not the meeting's name after a title.
        return title, None
    significant = [w for w in words if len(w) > 1 and w not in TITLE_STOPWORDS]
    if len(significant) < _TAIL_VENUE_TITLE_MIN_WORDS:
        return title, None
    return rest, found.group(1)


def _tail_people(text: str, single: bool) -> list[dict[str, str]]:
    """The names of a list read at the end of a title; none when it is not a list of people:
    words that are never initials, one family name repeated ("b virus , c virus"), or one
    "name" alone unless ``single`` (the year was found after it: the shape of fields run
    together, not a title's own "e coli") and its initials are single letters ("big data")."""
    people = []
    for part in _TAIL_SPLIT_RE.split(text):
        *initials, family = part.replace(".", " ").split()
        if any(i.lower() in _NOT_INITIALS for i in initials):
            return []
        people.append({"family": family, "given": " ".join(initials)})
    families = [p["family"].lower() for p in people]
    if len(set(families)) != len(families):
        return []
    if len(people) == 1 and not (single and all(len(i) == 1 for i in people[0]["given"].split())):
        return []
    return people


def prepare(csl: CSLItem) -> Prepared:
    """The comparison form of a CSL item; cheap (tens of microseconds), no I/O."""
    raw_title = str(csl.get("title") or "")
    tail_names: list[dict[str, str]] = []
    tail_year: int | None = None
    has_authors = bool(csl.get("author") or csl.get("editor"))
    has_year = year_of(csl.get("issued")) is not None
    has_venue = bool(csl.get("container-title") or csl.get("container-title-short"))
    tail_venue: str | None = None
    if raw_title and not (has_authors and has_year and has_venue):
        raw_title, tail_names, tail_year, tail_venue = read_title_tail(
            raw_title, has_authors, has_year, has_venue
        )
    core = title_core(raw_title) if raw_title else ""
    title = fold(core)
    main = _MAIN_SPLIT_RE.split(core, maxsplit=1)[0] if core else ""
    containers: list[tuple[str, ...]] = []
    for value in (csl.get("container-title"), csl.get("container-title-short"), tail_venue):
        if value and not placeholder(value) and names_a_venue(str(value)):
            for variant in container_variants(str(value)):
                if variant not in containers:
                    containers.append(variant)
    first, last = _pages(csl.get("page"))
    doi = normalize_doi(str(csl["DOI"])) if csl.get("DOI") and not placeholder(csl["DOI"]) else None
    isbn = csl.get("ISBN")
    isbns = _isbn_set(str(isbn)) if isbn else frozenset()
    issn = csl.get("ISSN")
    issns = (
        _issn_set(" ".join(issn) if isinstance(issn, list) else str(issn)) if issn else frozenset()
    )
    container_text = f"{csl.get('container-title') or ''} {csl.get('event-title') or ''}"
    issue_text = f"{csl.get('issue') or ''} {csl.get('volume') or ''} {csl.get('page') or ''}"
    genre = csl.get("genre")
    conference_abstract = (
        _conference_container(container_text)
        or bool(_SUPPLEMENT_RE.search(issue_text))
        or bool(genre and _ABSTRACT_GENRE_RE.search(str(genre)))
        or (("bstract" in raw_title or "BSTRACT" in raw_title) and abstract_marked(raw_title))
    )
    abstract = csl.get("abstract")
    tokens = tuple(title.split())
    variants = title_variants(core) if core else ()
    venue = frozenset(t for variant in containers for t in variant)
    authors, given_names, splits = _names(csl.get("author"), venue)
    if not authors:
        authors, given_names, splits = _names(csl.get("editor"), venue)
    if not authors and tail_names:
        authors, given_names, splits = _names(tail_names, venue)
    return Prepared(
        title=title,
        title_tokens=tokens,
        title_variants=variants,
        title_numbers=title_numbers(tokens),
        translated=bool(variants)
        or (
            bool(raw_title)
            and (
                raw_title.lstrip(" \"'").startswith("[")
                or bool(_PARALLEL_HINT_RE.search(raw_title))
                or ("[" in raw_title and bool(_TRAILING_BRACKET_RE.match(raw_title)))
            )
        ),
        main_title=title if main == core else fold(main),
        authors=authors,
        given_names=given_names,
        language=title_language(tokens),
        year=_shared_year(year_of(csl.get("issued"))),
        containers=tuple(containers),
        volume=_number_field(csl.get("volume")),
        issue=_number_field(csl.get("issue")),
        first_page=first,
        last_page=last,
        doi=doi_key(doi) if doi else None,
        pmid=normalize_pmid(csl.get("PMID")) if csl.get("PMID") else None,
        pmcid=normalize_pmcid(str(csl.get("PMCID"))) if csl.get("PMCID") else None,
        issns=issns,
        isbns=isbns,
        type=str(csl.get("type")) if csl.get("type") else None,
        part=part_of(core) if core else None,
        edition=edition_of(csl.get("edition")),
        markers=markers_of(core) if core else frozenset(),
        conference_abstract=conference_abstract,
        abstract=fold(str(abstract)[:800], repair=False)[:600] if abstract else "",
        title_year=tail_year,
        authors_from_title=bool(tail_names) and not (csl.get("author") or csl.get("editor")),
        venue_from_title=bool(containers) and not has_venue,
        title_lead=title_lead(raw_title) if ". " in raw_title else 0,
        family_splits=splits,
    )


def _abbreviates(short: str, full: str) -> bool:
    """ISO 4 style: ``j`` / ``clin`` / ``natl`` abbreviate ``journal`` / ``clinical`` /
    ``national``: same first letter, the abbreviation's letters in order within the word."""
    if short == full:
        return True
    if len(short) > len(full) or short[0] != full[0]:
        return False
    position = 1
    for char in short[1:]:
        position = full.find(char, position) + 1
        if position == 0:
            return False
    return True


def _fused(token: str, words: tuple[str, ...]) -> bool:
    """Whether ``token`` is the words' prefixes run together, one per word, in order: an
    acronym (``icis``, ``hicss``, ``bmj``) or a fused abbreviation (``jthoraccardiovascsurg``,
    ``revargentcardiol``)."""
    if not words or len(token) < len(words) or token in words:
        # A real word of the name is not an abbreviation of it ("Cancer" / "Cancer Research").
        return False
    word, rest = words[0], words[1:]
    for size in range(min(len(word), len(token)), 0, -1):
        if token[:size] != word[:size]:
            continue
        remaining = token[size:]
        if not rest:
            if not remaining:
                return True
            continue
        if remaining and _fused(remaining, rest):
            return True
    return False


# Words that name an occurrence of a conference rather than the series.
_OCCURRENCE_RE = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)?|proceedings|annual|first|second|third|fourth|fifth|sixth|seventh|"
    r"eighth|ninth|tenth|eleventh|twelfth|(?:thir|four|fif|six|seven|eigh|nine)teenth|"
    r"(?:twen|thir|for|fif|six|seven|eigh|nine)tieth|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundredth)$"
)


def _series(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in tokens if not _OCCURRENCE_RE.match(t))


@lru_cache(maxsize=262144)
def _tokens_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if a == b:
        return True
    if len(a) == 1 and len(b) > 1 and len(a[0]) >= 3 and _fused(a[0], b):
        return True
    if len(b) == 1 and len(a) > 1 and len(b[0]) >= 3 and _fused(b[0], a):
        return True
    if len(a) != len(b):
        return False
    return all(_abbreviates(x, y) or _abbreviates(y, x) for x, y in zip(a, b, strict=True))


def containers_match(p1: Prepared, p2: Prepared) -> bool | None:
    """Whether two records name the same container (``None`` when one side has none).

    A shared ISSN also counts; abbreviation-aware (``J Clin Pathol`` = ``Journal of Clinical
    Pathology``).
    """
    if p1.issns and p2.issns and p1.issns & p2.issns:
        return True
    if not p1.containers or not p2.containers:
        return None
    if any(_tokens_match(a, b) for a in p1.containers for b in p2.containers):
        return True
    if _proceedings(p1) or _proceedings(p2):
        # A conference named by its acronym on one side and among other words on the other
        # ("SIGMOD Conference" / "Proc. ACM SIGMOD Int. Conf."; "VLDB" / "Proceedings of the
        # 23th VLDB"): a distinctive word (not a generic word of venue names) shared by both.
        for a in p1.containers:
            for b in p2.containers:
                if (
                    _distinctive(a) & _distinctive(b)
                    or _acronym_cut(a, b)
                    or _acronym_cut(b, a)
                    or _acronym_of(a, b)
                    or _acronym_of(b, a)
                ):
                    return True
    if _proceedings(p1) and _proceedings(p2):
        # Proceedings are named with and without edition, year, theme and acronym ("European
        # Conference on Information Systems" / "... 2020: Information Systems for a Sharing
        # Society, ECIS" / "Amcis 2017 Proceedings"): the shorter name inside the longer, or an
        # acronym of one among the other's words, is the same conference series.
        for a in p1.containers:
            for b in p2.containers:
                sa, sb = _series(a), _series(b)
                if _contains(sa, sb) or _contains(sb, sa) or sa == sb:
                    return True
                if any(len(t) >= 3 and _fused(t, sb) for t in sa) or any(
                    len(t) >= 3 and _fused(t, sa) for t in sb
                ):
                    return True
    return False


_PROCEEDINGS_WORDS = frozenset(
    "proceedings proc conference conf symposium symp workshop congress colloquium meeting".split()
)
# Words of venue names that do not tell one venue from another.
_GENERIC_VENUE_WORDS = frozenset(
    "international int intl national annual conference conf proceedings proc symposium symp "
    "workshop journal transactions trans letters review reviews research record acm ieee siam "
    "data management systems system science sciences computer computing engineering information "
    "technology society association american european world new advances applied theory "
    "database databases workshops meeting congress series lecture notes".split()
)


@lru_cache(maxsize=65536)
def _distinctive(tokens: tuple[str, ...]) -> frozenset[str]:
    return frozenset({
        t for t in tokens if len(t) >= 4 and not t.isdigit() and t not in _GENERIC_VENUE_WORDS
        and not _OCCURRENCE_RE.match(t)
    })


def _proceedings(p: Prepared) -> bool:
    return p.type == "paper-conference" or any(
        t in _PROCEEDINGS_WORDS for variant in p.containers for t in variant
    )


def _acronym_cut(acronym: tuple[str, ...], name: tuple[str, ...]) -> bool:
    """An acronym against a conference name cut short by the source ("vldb" / "proceedings of
    the international conference on very large &hellip;", "proc. of the 21st int'l conf. on
    very large data"): the initials of the words the name ends with, after the words that say
    it is a conference (:data:`_CONFERENCE_LEAD_WORDS`), two at least and half the acronym's
    letters, begin the acronym."""
    if len(acronym) != 1 or not 3 <= len(acronym[0]) <= 8 or len(name) < 3:
        return False
    run: list[str] = []
    for word in reversed(_series(name)):
        if word in _CONFERENCE_LEAD_WORDS or not word.isalpha():
            break
        run.insert(0, word)
    initials = "".join(w[0] for w in run)
    return (
        2 <= len(initials) < len(acronym[0])
        and 2 * len(initials) >= len(acronym[0])
        and acronym[0].startswith(initials)
    )


# The words before a conference's own name ("proceedings of the 21st international conference
# on ..."): where a cut name's run of initials starts.
_CONFERENCE_LEAD_WORDS = _PROCEEDINGS_WORDS | frozenset(
    "international int intl national annual acm ieee siam usenix".split()
)


def _acronym_of(acronym: tuple[str, ...], name: tuple[str, ...]) -> bool:
    """An acronym against the words it abbreviates among a longer name ("vldb" / "proc. of
    very large data bases", "icde" / "18th international conference on data engineering"):
    the initials of as many consecutive words of the name (function words dropped) spell it.
    Three letters at least; a digit or an ordinal breaks the run."""
    if len(acronym) != 1 or len(name) < 3:
        return False
    word = acronym[0]
    size = len(word)
    if not 3 <= size <= 8 or not word.isalpha() or size > len(name):
        return False
    initials = "".join(w[0] if not _OCCURRENCE_RE.match(w) else "0" for w in name)
    return word in initials


def _contains(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    size = len(short)
    if size < 3 or size >= len(long):
        return False
    return any(long[i : i + size] == short for i in range(len(long) - size + 1))


def container_acronym(p: Prepared) -> str | None:
    """The initials of the first container variant's words: ``jcp`` for both ``J Clin Pathol``
    and ``Journal of Clinical Pathology`` (a blocking key, not an identity)."""
    if not p.containers:
        return None
    return "".join(t[0] for t in p.containers[0] if not t.isdigit()) or None
