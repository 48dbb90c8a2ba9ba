"""Citation keys from a formula, in the spirit of Better BibTeX's key formulas.

A formula is parsed once into a :class:`KeyFormula` (a list of alternatives, each a list of
terms, each a getter plus transforms: plain closures), so generating 100k keys costs no parsing.

Grammar::

    formula     := alternative ( "|" alternative )*      (``||`` works too)
    alternative := term ( "+" term )*                     terms are concatenated
    term        := ( function [ "(" int ( "," int )* ")" ] | "'text'" | '"text"' )
                   ( "." transform [ "(" int ( "," int )* ")" ] )*

Functions (each reads the CSL item):

=================  =============================================================================
``auth(n, m)``     family name of author ``m`` (1-based, default 1), first ``n`` chars (0 = all);
                   editors when there are no authors; particles kept ("de Mestier" -> deMestier)
``authors(n)``     family names of all authors, or of the first ``n`` then ``EtAl``
``authEtAl``       one author: Family; two: FamilyFamily; more: FamilyEtAl
``year``           year of ``issued``
``shorttitle(n, m)``  first ``n`` (default 3) significant title words, first ``m`` (default 0)
                   of them capitalised (others as written)
``veryshorttitle(n, m)``  as ``shorttitle`` with ``n`` = 1
``title``          every title word, capitalised, concatenated
``journal``        the container title, words concatenated
``journalabbrev``  ``container-title-short``, else the initials of the container's significant words
``firstpage``      first page; ``lastpage`` last page; ``volume``; ``issue``
``doi``            the DOI (suffix after the prefix) as a last resort
=================  =============================================================================

Fallbacks: the key comes from the first alternative in which every function gave a value
(quoted text does not count); when no alternative is complete, from the first one that gives
anything at all; when none does, the key is ``ref``.

Transforms: ``.lower``, ``.upper``, ``.capitalize``, ``.ascii`` (alias ``.fold``: ``Schön`` ->
``Schon``), ``.truncate(n)``, ``.substring(start, n)`` (1-based, as in Better BibTeX),
``.clean`` (ASCII-fold and drop everything that is not a letter or digit), ``.nopunct``
(drop punctuation and spaces, keep Unicode letters).

"Significant" words skip function words of English, German, French and Spanish (Zotero's own
BibTeX translator does the same for its ``%t``). Titles split into words at spaces, hyphens,
apostrophes and punctuation ("Radiologisch-interventionelle" -> "Radiologisch").

Whatever the formula yields is made safe last: ASCII-folded, and every character outside
``[A-Za-z0-9_:.-]`` dropped, because BibTeX, biber and LaTeX's ``\\cite`` all accept those and
some choke on others (``,{}%#~\\`` and spaces break them outright; non-ASCII breaks bibtex 0.99).

Uniqueness is the store's business (keys are assigned once and stored); :func:`unique_key`
only computes the suffix for a *new* key: ``a``, ``b``, ... ``z``, ``aa``, ``ab`` ...
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from records.errors import UsageError
from records.normalize.text import fold_ascii

CSLItem = dict[str, Any]
Getter = Callable[[CSLItem], str]
Transform = Callable[[str], str]

DEFAULT_FORMULA = (
    "auth.ascii.lower + year + veryshorttitle.ascii.lower | veryshorttitle.ascii.lower + year"
)
"""``radosa2024radiologisch``: first author's family name, year, first significant title word,
ASCII-folded and lower-cased. Works without authors fall back to title word + year."""

FUNCTION_WORDS = frozenset(
    # English
    "a an the of on in at to for from by with and or nor but as into onto upon about over "
    "under via vs versus than that this these those is are be its it"
    # German
    " der die das des dem den ein eine einer eines einem einen und oder von vom zu zum zur im "
    "in am an auf aus bei beim mit nach über ueber unter für fuer um durch gegen ohne als wie "
    "ist sind"
    # French
    " le la les l un une des du de d et ou à au aux en dans par pour sur avec sans qu que"
    # Spanish
    " el los las unos unas del y o e u al con por para sin sobre lo".split()
)

_WORD_RE = re.compile(r"[^\W_]+")
_KEY_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_:.\-]+")
_PAGE_SPLIT_RE = re.compile(r"\s*(?:-|–|—|‐|‑|−)+\s*")


# --- values read from the CSL item ---------------------------------------------------------


def _names(csl: CSLItem) -> list[dict[str, str]]:
    return csl.get("author") or csl.get("editor") or []


def _family(name: dict[str, str]) -> str:
    """The family name as one word (particles kept, spaces and punctuation dropped);
    a corporate name gives the initials of its significant words ("World Health Organization"
    -> "WHO")."""
    if "family" in name:
        return "".join(_WORD_RE.findall(name["family"]))
    literal = name.get("literal", "")
    words = [w for w in _WORD_RE.findall(literal) if w.lower() not in FUNCTION_WORDS]
    if len(words) > 1:
        return "".join(w[0].upper() for w in words)
    return "".join(words)


def _year(csl: CSLItem) -> str:
    issued = csl.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if parts and parts[0] and parts[0][0] not in (None, ""):
            return str(parts[0][0])
        literal = issued.get("literal") or issued.get("raw")
        if literal:
            found = re.search(r"\b(1[5-9]|20)\d\d\b", str(literal))
            if found:
                return found.group()
    return ""


def _title_words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def _significant(words: Iterable[str]) -> list[str]:
    return [w for w in words if w.lower() not in FUNCTION_WORDS]


def _pages(csl: CSLItem) -> list[str]:
    page = str(csl.get("page") or csl.get("page-first") or "")
    return [p for p in _PAGE_SPLIT_RE.split(page.strip()) if p] if page else []


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:]


# --- functions --------------------------------------------------------------------------------


def _f_auth(n: int = 0, m: int = 1) -> Getter:
    def auth(csl: CSLItem) -> str:
        names = _names(csl)
        if len(names) < m or m < 1:
            return ""
        family = _family(names[m - 1])
        return family[:n] if n > 0 else family

    return auth


def _f_authors(n: int = 0) -> Getter:
    def authors(csl: CSLItem) -> str:
        names = _names(csl)
        shown = names[:n] if n > 0 else names
        text = "".join(_family(x) for x in shown)
        return text + ("EtAl" if n > 0 and len(names) > n else "")

    return authors


def _f_auth_etal() -> Getter:
    def auth_etal(csl: CSLItem) -> str:
        names = _names(csl)
        if len(names) <= 2:
            return "".join(_family(x) for x in names)
        return _family(names[0]) + "EtAl"

    return auth_etal


def _f_year() -> Getter:
    return _year


def _f_shorttitle(n: int = 3, m: int = 0) -> Getter:
    def shorttitle(csl: CSLItem) -> str:
        words = _significant(_title_words(str(csl.get("title") or "")))[:n]
        return "".join(_capitalize(w) if i < m else w for i, w in enumerate(words))

    return shorttitle


def _f_veryshorttitle(n: int = 1, m: int = 0) -> Getter:
    return _f_shorttitle(n, m)


def _f_title() -> Getter:
    def title(csl: CSLItem) -> str:
        return "".join(_capitalize(w) for w in _title_words(str(csl.get("title") or "")))

    return title


def _f_journal() -> Getter:
    def journal(csl: CSLItem) -> str:
        return "".join(_title_words(str(csl.get("container-title") or "")))

    return journal


def _f_journalabbrev() -> Getter:
    def journalabbrev(csl: CSLItem) -> str:
        short = csl.get("container-title-short")
        if short:
            return "".join(_title_words(str(short)))
        words = _significant(_title_words(str(csl.get("container-title") or "")))
        return "".join(w[0].upper() for w in words)

    return journalabbrev


def _f_firstpage() -> Getter:
    def firstpage(csl: CSLItem) -> str:
        pages = _pages(csl)
        return pages[0] if pages else ""

    return firstpage


def _f_lastpage() -> Getter:
    def lastpage(csl: CSLItem) -> str:
        pages = _pages(csl)
        return pages[-1] if pages else ""

    return lastpage


def _field(name: str) -> Callable[[], Getter]:
    def make() -> Getter:
        def get(csl: CSLItem) -> str:
            return str(csl.get(name) or "")

        return get

    return make


def _f_doi() -> Getter:
    def doi(csl: CSLItem) -> str:
        value = str(csl.get("DOI") or "")
        return value.split("/", 1)[1] if "/" in value else value

    return doi


FUNCTIONS: dict[str, Callable[..., Getter]] = {
    "auth": _f_auth,
    "authors": _f_authors,
    "authetal": _f_auth_etal,
    "year": _f_year,
    "shorttitle": _f_shorttitle,
    "veryshorttitle": _f_veryshorttitle,
    "title": _f_title,
    "journal": _f_journal,
    "journalabbrev": _f_journalabbrev,
    "firstpage": _f_firstpage,
    "lastpage": _f_lastpage,
    "volume": _field("volume"),
    "issue": _field("issue"),
    "doi": _f_doi,
}
_ARITY = {
    "auth": 2,
    "authors": 1,
    "shorttitle": 2,
    "veryshorttitle": 2,
}


# --- transforms -------------------------------------------------------------------------------


def _t_truncate(n: int) -> Transform:
    return lambda s: s[:n]


def _t_substring(start: int, n: int = 0) -> Transform:
    begin = max(start - 1, 0)
    return (lambda s: s[begin : begin + n]) if n > 0 else (lambda s: s[begin:])


def _fold(s: str) -> str:
    return s if s.isascii() else fold_ascii(s)


def _clean(s: str) -> str:
    return "".join(_WORD_RE.findall(_fold(s)))


def _nopunct(s: str) -> str:
    return "".join(_WORD_RE.findall(s))


TRANSFORMS: dict[str, tuple[int, Callable[..., Transform]]] = {
    "lower": (0, lambda: str.lower),
    "upper": (0, lambda: str.upper),
    "capitalize": (0, lambda: _capitalize),
    "ascii": (0, lambda: _fold),
    "fold": (0, lambda: _fold),
    "clean": (0, lambda: _clean),
    "nopunct": (0, lambda: _nopunct),
    "truncate": (1, _t_truncate),
    "substring": (2, _t_substring),
}
_REQUIRED_ARGS = {"truncate": 1, "substring": 1}


# --- the parser -------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<name>[A-Za-z][A-Za-z0-9_]*)
      | (?P<int>-?\d+)
      | '(?P<sq>[^']*)'
      | "(?P<dq>[^"]*)"
      | (?P<op>\|\||[|+.(),])
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # name | int | text | op | end
    value: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN_RE.match(text, pos)
        if not match:
            raise UsageError(
                f"citation key formula {text!r}: unexpected {text[pos:].strip()[:10]!r} at position {pos + 1}"
            )
        start = match.start(match.lastgroup) if match.lastgroup else pos
        group = match.lastgroup or ""
        kind = "text" if group in ("sq", "dq") else group
        tokens.append(_Token(kind, match.group(group), start))
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def error(self, message: str, token: _Token | None = None) -> UsageError:
        token = token or self.tokens[self.i]
        return UsageError(
            f"citation key formula {self.text!r}: {message} at position {token.pos + 1}"
        )

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def at_op(self, *ops: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.value in ops

    def formula(self) -> list[list[tuple[Getter, bool]]]:
        alternatives = [self.alternative()]
        while self.at_op("|", "||"):
            self.take()
            alternatives.append(self.alternative())
        if self.peek().kind != "end":
            raise self.error(f"expected '+' or '|', found {self.peek().value!r}")
        return alternatives

    def alternative(self) -> list[tuple[Getter, bool]]:
        terms = [self.term()]
        while self.at_op("+"):
            self.take()
            terms.append(self.term())
        return terms

    def args(self, name: str, maximum: int, required: int = 0) -> list[int]:
        values: list[int] = []
        if self.at_op("("):
            opening = self.take()
            while not self.at_op(")"):
                if self.peek().kind == "end":
                    raise self.error(f"unclosed '(' after {name}", opening)
                token = self.take()
                if token.kind != "int":
                    raise self.error(f"{name}(...) takes whole numbers", token)
                values.append(int(token.value))
                if self.at_op(","):
                    self.take()
                elif not self.at_op(")") and self.peek().kind != "end":
                    raise self.error(f"expected ',' or ')' in {name}(...)")
            self.take()
        if len(values) > maximum:
            raise self.error(f"{name} takes at most {maximum} argument(s), got {len(values)}")
        if len(values) < required:
            raise self.error(f"{name} needs {required} argument(s)")
        return values

    def term(self) -> tuple[Getter, bool]:
        """A getter and whether it is a function (which must give a value) or quoted text."""
        token = self.take()
        if token.kind == "text":
            literal = token.value

            def constant(_csl: CSLItem) -> str:
                return literal

            getter: Getter = constant
        elif token.kind == "name":
            key = token.value.lower()
            if key not in FUNCTIONS:
                raise self.error(
                    f"unknown function {token.value!r} (known: {', '.join(sorted(FUNCTIONS))})",
                    token,
                )
            getter = FUNCTIONS[key](*self.args(token.value, _ARITY.get(key, 0)))
        else:
            raise self.error(
                f"expected a function or a quoted text, found {token.value or 'the end'!r}", token
            )
        transforms: list[Transform] = []
        while self.at_op("."):
            self.take()
            name_token = self.take()
            name = name_token.value.lower()
            if name_token.kind != "name" or name not in TRANSFORMS:
                raise self.error(
                    f"unknown transform {name_token.value!r} (known: {', '.join(sorted(TRANSFORMS))})",
                    name_token,
                )
            arity, make = TRANSFORMS[name]
            transforms.append(make(*self.args(name, arity, _REQUIRED_ARGS.get(name, 0))))
        is_function = token.kind == "name"
        if not transforms:
            return getter, is_function

        def transformed(csl: CSLItem) -> str:
            value = getter(csl)
            for transform in transforms:
                value = transform(value)
            return value

        return transformed, is_function


def make_key_safe(text: str) -> str:
    """ASCII-fold and drop every character BibTeX, biber or ``\\cite`` may choke on."""
    if not text.isascii():
        text = fold_ascii(unicodedata.normalize("NFC", text))
    return _KEY_UNSAFE_RE.sub("", text)


class KeyFormula:
    """A compiled formula: ``base_key(csl)`` gives the key before any collision suffix."""

    __slots__ = ("_alternatives", "text")

    def __init__(self, text: str, alternatives: list[list[tuple[Getter, bool]]]) -> None:
        self.text = text
        self._alternatives = alternatives

    def base_key(self, csl: CSLItem) -> str:
        """The key this formula gives ``csl`` (never empty; see the fallback rule above)."""
        partial = ""
        for terms in self._alternatives:
            complete = True
            parts = []
            for getter, is_function in terms:
                value = getter(csl)
                if is_function and not value:
                    complete = False
                parts.append(value)
            key = make_key_safe("".join(parts))
            if complete and key:
                return key
            partial = partial or key
        return partial or "ref"

    def __repr__(self) -> str:
        return f"KeyFormula({self.text!r})"


def compile_formula(text: str) -> KeyFormula:
    """Parse a formula once; :class:`UsageError` names the problem and its position."""
    if not text or not text.strip():
        raise UsageError("citation key formula is empty")
    return KeyFormula(text, _Parser(text).formula())


def _suffix(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, 27 -> ab ... (bijective base 26, as Better BibTeX)."""
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


def unique_key(base: str, taken: Callable[[str], bool]) -> str:
    """``base`` if it is free, else ``base`` + the first free suffix ``a``, ``b``, ... ``aa`` ...

    ``taken(candidate)`` must answer case-insensitively (``Chen2014`` takes ``chen2014``), as
    BibTeX and biber do; :func:`taken_in` builds such a test from a collection of keys.
    Existing keys are never touched: only the new one gets a suffix.
    """
    if not taken(base):
        return base
    n = 0
    while taken(candidate := base + _suffix(n)):
        n += 1
    return candidate


def taken_in(keys: Iterable[str]) -> Callable[[str], bool]:
    """A case-insensitive ``taken`` test over ``keys`` (a snapshot; see :func:`unique_key`)."""
    lowered = {k.lower() for k in keys}
    return lambda candidate: candidate.lower() in lowered
