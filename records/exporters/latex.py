"""Text -> LaTeX for BibTeX/BibLaTeX field values: escaping, Unicode macros, case protection.

Two modes, as Better BibTeX has them (peers.md, pain point 9):

* ``ascii=True`` (classic BibTeX): every non-ASCII character becomes a braced LaTeX macro
  (``é`` -> ``{\\'e}``, ``ß`` -> ``{\\ss}``, ``α`` -> ``{\\ensuremath{\\alpha}}``), the braces
  making it one "special character" for BibTeX's sorting and case changing, and keeping a macro
  from swallowing the letter after it. The table is pylatexenc's (1500+ characters, built once
  into a ``str.translate`` table); combining accents left after NFC wrap the letter before them.
  Characters without a LaTeX form (CJK, rare symbols) stay UTF-8: a lossless best effort.
* ``ascii=False`` (BibLaTeX with biber): UTF-8 stays for the Latin script (Latin-1, Latin
  Extended-A, dashes and quotes: what pdflatex's ``utf8`` input encoding sets with T1 fonts);
  Greek, math symbols and other characters pdflatex would stop at become LaTeX macros, so
  the file works with pdflatex as well as with XeLaTeX/LuaLaTeX.

In both modes ``& % $ # _ { } ~ ^ \\`` are escaped, so that no value can unbalance braces or
start a comment, and the input ligatures ``--``, ````` ``, ``''``, ``!``` ``, ``?``` ``, ``<<`` and
``>>`` are broken with ``{}``: the text means its characters, not a dash or quote LaTeX would
typeset. Control characters are dropped. Plain ASCII with none of these (most values) is
returned unchanged after a single regex test.

:func:`protect_title` also braces every word that carries a capital letter beyond a title's
first letter (``{NET}``, ``{TACE}``, ``{Möglichkeiten}``, ``{mRNA}``), so that styles which
change a title's case cannot lower acronyms, proper names or German nouns.
"""

from __future__ import annotations

import re
import unicodedata

from pylatexenc.latexencode import get_builtin_uni2latex_dict

SPECIALS = {
    "\\": r"{\textbackslash}",
    # A brace without its partner: BibTeX and biber count braces even after a backslash, so
    # a lone "\}" would end the value. Matched pairs are written "\{" "\}" (see escape()).
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
}
# Corrections and additions to pylatexenc's table (BibTeX-friendly forms).
_OVERRIDES = {
    "\u00a0": "~",  # no-break space
    "\u2013": "{--}",
    "\u2014": "{---}",
    "\u00e5": r"{\aa}",
    "\u00c5": r"{\AA}",
    "\u0170": r"{\H{U}}",  # pylatexenc has an acute here, the letter has a double acute
    "\u0171": r"{\H{u}}",
}
# pylatexenc entries that lose the letter: a macron for a stroke (Ħ, Ŧ), a dot for a middle
# dot (Ŀ), a Latin ó for a Greek ό, small caps for ĸ. These stay UTF-8 instead, as do Greek
# letters without a math macro (pylatexenc writes "A" for Α and "\'{}A" for Ά).
_WRONG = "ĦħŦŧĿŀόĸŉ"
_GREEK_MACRO = re.compile(r"^\\ensuremath\{\\[A-Za-z]+\}$")
_CONTROL: dict[int, str | None] = {c: None for c in range(32) if chr(c) not in "\t\n"}
_CONTROL[0x7F] = None
_CONTROL.update({0x2028: " ", 0x2029: " "})  # line/paragraph separators
_CONTROL.update({c: None for c in range(0xFDD0, 0xFDD6)})  # noncharacters: our placeholders


def _braced(latex: str) -> str:
    return latex if latex.startswith("{") and latex.endswith("}") else "{" + latex + "}"


def _build_ascii_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code, latex in get_builtin_uni2latex_dict().items():
        if chr(code) in _WRONG or (0x370 <= code <= 0x3FF and not _GREEK_MACRO.match(latex)):
            continue
        if code >= 128 and latex:
            table[code] = _braced(latex) if latex.startswith("\\") else latex
    table.update({ord(k): v for k, v in _OVERRIDES.items()})
    table.update({ord(k): v for k, v in SPECIALS.items()})
    table.update(_CONTROL)
    return table


ASCII_TABLE = _build_ascii_table()


def _pdflatex_utf8(code: int) -> bool:
    """Characters pdflatex's ``utf8`` input encoding typesets with T1/TS1 fonts: Latin-1,
    Latin Extended-A and the usual dashes, quotes, ellipsis and euro sign."""
    return 0xA0 <= code <= 0x17F or code in (
        0x2013, 0x2014, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2026, 0x2039,
        0x203A, 0x20AC,
    )  # fmt: skip


# BibLaTeX: UTF-8 stays where pdflatex can set it; the rest (Greek, math, exotic Latin) gets
# LaTeX macros where there are any (BBT#950: a raw "α" stops pdflatex).
UTF8_TABLE: dict[int, str | None] = {
    code: latex for code, latex in ASCII_TABLE.items() if code >= 128 and not _pdflatex_utf8(code)
}
UTF8_TABLE.update({ord(k): v for k, v in SPECIALS.items()})
UTF8_TABLE.update(_CONTROL)

# Accent macros for combining marks left after NFC (BBT#1265: "q̃" has no precomposed form).
_COMBINING = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0323": "d",
    "\u0327": "c",
    "\u0328": "k",
    "\u0331": "b",
}
# The base is no mark itself: a mark with no letter before it (at the start of a value) is
# kept as the table has it; as a base, escaping it again recursed without end.
_COMBINING_RE = re.compile("([^\u0300-\u036f])([\u0300-\u036f]+)", re.DOTALL)
_ANY_COMBINING_RE = re.compile("[\u0300-\u036f]")
_LIGATURE_PAIRS = ("--", "``", "''", "!`", "?`", "<<", ">>")
_LIGATURE_RE = re.compile(r"-(?=-)|`(?=`)|'(?=')|[!?](?=`)|<(?=<)|>(?=>)")
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ufdd0-\ufdd5]")
_MATCHED_LEFT, _MATCHED_RIGHT = "\ufdd4", "\ufdd5"


def _mark_matched_braces(text: str) -> str:
    """Braces that pair up become placeholders for ``\\{``/``\\}`` (which pylatexenc, Zotero
    and every BibTeX reader decode); the others stay and become text macros."""
    chars = list(text)
    stack: list[int] = []
    for i, char in enumerate(chars):
        if char == "{":
            stack.append(i)
        elif char == "}" and stack:
            chars[stack.pop()] = _MATCHED_LEFT
            chars[i] = _MATCHED_RIGHT
    return "".join(chars)


# "\", "{" and "}" go through placeholders (noncharacters, removed from input first) so that
# the braces and backslashes of the other replacements are not escaped again.
_PLACEHOLDERS = (
    ("\\", "\ufdd1", SPECIALS["\\"]),
    ("{", "\ufdd2", SPECIALS["{"]),
    ("}", "\ufdd3", SPECIALS["}"]),
)
_SIMPLE = tuple((c, SPECIALS[c]) for c in "&%$#_~^")
_ASCII_WORK_RE = re.compile(r"[\\{}&%$#_~^\x00-\x08\x0b-\x1f\x7f]|--|``|''|[!?]`|<<|>>")
# For the non-ASCII characters, one str.translate of the whole text with the table's entries
# for them (a regex over the runs of such characters, with a Python call per run, was twice
# as slow); BibLaTeX's table has no entries for what pdflatex sets in UTF-8, which stays.
_ASCII_NON_ASCII = {code: latex for code, latex in ASCII_TABLE.items() if code >= 128}
_UTF8_NON_ASCII = {code: latex for code, latex in UTF8_TABLE.items() if code >= 128}


def _accented(base: str, marks: str) -> str:
    out = escape(base) if base not in "ij" else "\\" + base
    for mark in marks:
        macro = _COMBINING.get(mark)
        if macro is None:
            return out + mark  # no LaTeX accent for it: keep the character
        out = f"\\{macro}{{{out}}}"
    return "{" + out + "}"


def escape(text: str, *, ascii: bool = True) -> str:
    """``text`` as a LaTeX field value (see the module docstring for the two modes).

    Built from C-speed substring tests and ``str.replace``; regexes run only on the non-ASCII
    runs. That keeps 100k abstracts to a few seconds (a regex over every character did not).
    """
    non_ascii = not text.isascii()
    if not non_ascii and not _ASCII_WORK_RE.search(text):
        return text  # most values: nothing to do
    if non_ascii:
        text = unicodedata.normalize("NFC", text)
        if ascii and _ANY_COMBINING_RE.search(text) and _COMBINING_RE.search(text):
            # rare: letters NFC cannot compose
            pieces, last = [], 0
            for match in _COMBINING_RE.finditer(text):
                pieces.append(escape(text[last : match.start()]))
                pieces.append(_accented(match.group(1), match.group(2)))
                last = match.end()
            pieces.append(escape(text[last:]))
            return "".join(pieces)
    if _CONTROL_RE.search(text):
        text = text.translate(_CONTROL)
    braces = False
    if "{" in text and "}" in text:
        text = _mark_matched_braces(text)
        braces = _MATCHED_LEFT in text
    for char, mark, _latex in _PLACEHOLDERS:
        if char in text:
            text = text.replace(char, mark)
            braces = True
    for char, latex in _SIMPLE:
        if char in text:
            text = text.replace(char, latex)
    for pair in _LIGATURE_PAIRS:
        if pair in text:
            text = _LIGATURE_RE.sub(r"\g<0>{}", text)
            break
    if braces:
        for _char, mark, latex in _PLACEHOLDERS:
            text = text.replace(mark, latex)
        text = text.replace(_MATCHED_LEFT, r"\{").replace(_MATCHED_RIGHT, r"\}")
    if non_ascii:
        text = text.translate(_ASCII_NON_ASCII if ascii else _UTF8_NON_ASCII)
    return text


# Words for case protection: letters and digits, with combining marks kept inside the word.
_WORD_RE = re.compile("(?:[^\\W_]|[\u0300-\u036f])+")
_OPEN, _CLOSE = "\ufdd6", "\ufdd7"  # survive escape(); become the protecting braces


# In ASCII text _WORD_RE's words are runs of letters and digits; these are those with a capital
# (matched from the word's start: the lookbehind, then no capital before the first).
_ASCII_CAPITAL_WORD_RE = re.compile("(?<![A-Za-z0-9])[a-z0-9]*[A-Z][A-Za-z0-9]*")


def _has_capital(word: str) -> bool:
    return word != word.lower()


_ASCII_CAPITAL_SPLIT_RE = re.compile(f"({_ASCII_CAPITAL_WORD_RE.pattern})")


def _protect_plain_ascii(text: str) -> str:
    """:func:`protect_title` of an ASCII title that :func:`escape` leaves as it is: the title
    split around its words with a capital (odd places), each braced in one list comprehension
    (no Python call per word, and no placeholders, which made the title non-ASCII for
    :func:`escape`); a first word whose only capital is its first letter is left as it is.
    ``test_latex_fast_paths`` compares it with the general path."""
    parts = _ASCII_CAPITAL_SPLIT_RE.split(text)
    if len(parts) == 1:
        return text
    first = parts[1]
    parts[1::2] = ["{" + word + "}" for word in parts[1::2]]
    if not parts[0] and not _has_capital(first[1:]):  # the title's first word, capitalized
        parts[1] = first
    return "".join(parts)


def protect_title(text: str, *, ascii: bool = True) -> str:
    """Escape ``text`` and brace each word with a capital letter (the first word's leading
    capital alone does not count: sentence case keeps it anyway)."""
    rest = text[1:]
    if rest == rest.lower():  # nothing to protect
        return escape(text, ascii=ascii)
    if text.isascii():
        if escape(text, ascii=ascii) is text:  # most titles: nothing to escape
            return _protect_plain_ascii(text)
        # only the words with a capital are matched, not every word
        return _protect_by_words(text, ascii, _ASCII_CAPITAL_WORD_RE)
    return _protect_by_split(text, ascii)


_WORD_SPLIT_RE = re.compile("((?:[^\\W_]|[\u0300-\u036f])+)")  # _WORD_RE, as a group


def _protect_by_split(text: str, ascii: bool) -> str:
    """:func:`_protect_by_words` with ``_WORD_RE`` (what non-ASCII titles need), without a
    Python call per word: the text split into its words (odd places) and what lies between,
    the words tested in one list comprehension. ``test_latex_fast_paths`` compares the two."""
    if _OPEN in text or _CLOSE in text:
        text = text.replace(_OPEN, "").replace(_CLOSE, "")
    parts = _WORD_SPLIT_RE.split(text)
    if len(parts) == 1:  # no word
        return escape(text, ascii=ascii)
    first = parts[1]
    parts[1::2] = [_OPEN + w + _CLOSE if w != w.lower() else w for w in parts[1::2]]
    if not parts[0]:  # the first word starts the title: its leading capital does not count
        rest = first[1:]
        parts[1] = _OPEN + first + _CLOSE if rest != rest.lower() else first
    marked = escape("".join(parts), ascii=ascii)
    return marked.replace(_OPEN, "{").replace(_CLOSE, "}")


def _protect_by_words(text: str, ascii: bool, words: re.Pattern[str]) -> str:
    """The general path of :func:`protect_title`: each word ``words`` finds is tested, those
    with a capital are marked by placeholders, the whole escaped, the marks made braces."""
    if _OPEN in text or _CLOSE in text:
        text = text.replace(_OPEN, "").replace(_CLOSE, "")

    def mark(match: re.Match[str]) -> str:
        word = match.group()
        capital = _has_capital(word[1:]) if match.start() == 0 else _has_capital(word)
        return _OPEN + word + _CLOSE if capital else word

    marked = escape(words.sub(mark, text), ascii=ascii)
    return marked.replace(_OPEN, "{").replace(_CLOSE, "}")
