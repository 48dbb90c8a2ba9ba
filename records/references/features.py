"""Token features for the reference-string CRF, in the spirit of AnyStyle's.

A reference is split on white space (the tokens keep their punctuation, as in AnyStyle's
training data). Each token gets features of its own shape (capitalisation, digits, punctuation
around it, years, page ranges, "vol(issue):pages" clusters), dictionary hits (given names,
name particles, journal words and abbreviations, publishers, places, months in several
languages), field markers ("In:", "pp.", "Hrsg.", "S.", "Bd."), its position in the string and
a little running state (inside quotes, after the first year, after "In:"), plus the words and
shapes of its neighbours. Features are strings ("name=value"), as python-crfsuite takes them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from records.references.lexicon import (
    GIVEN_NAMES,
    MARKERS,
    MONTHS,
    PARTICLES,
    PLACES,
    PUBLISHER_WORDS,
    journal_words,
)

_STRIP = "\"'“”„‘’«»()[]{}<>,.;:!?"
_YEAR = re.compile(r"^[(\[]?(1[5-9]\d\d|20[0-4]\d)[a-z]?[)\]]?[.,;:]?$")
_YEAR_INSIDE = re.compile(r"(?<!\d)(1[5-9]\d\d|20[0-4]\d)(?!\d)")
_PAGE_RANGE = re.compile(
    r"^(?:pp?\.)?[A-Za-z]?\d+[A-Za-z]?\s*[-–—‐]+\s*[A-Za-z]?\d+[A-Za-z]?[.,;)]?$"
)
_VOL_ISSUE = re.compile(r"\d+\s*\(\s*[\w/–-]+\s*\)")
_COLON_PAGES = re.compile(r":\s*[A-Za-z]?\d+")
_INITIALS = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ]\.?-?){1,4}[.,;]*$")
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_DOI = re.compile(r"10\.\d{4,9}/")
_URL = re.compile(r"^(?:https?://|www\.)", re.I)
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th|e|\.)$", re.I)


# Compact Vancouver locators are one word but three fields: "2024;64(7):575-81." is split
# after the ";" and after the ":" that end the date and the volume(issue).
_COMPACT_SPLIT = re.compile(r"(?<=;)(?=[A-Za-z]?\d)|(?<=[\d)]:)(?=[A-Za-z]?\d)")


def tokenize(text: str) -> list[str]:
    """White-space words, with compact "date;volume(issue):pages" locators split in three."""
    words = text.split()
    if not any(";" in w or ":" in w for w in words):
        return words
    out: list[str] = []
    for word in words:
        if (";" in word or ":" in word) and not _URL.match(word) and "10." not in word:
            out += [part for part in _COMPACT_SPLIT.split(word) if part]
        else:
            out.append(word)
    return out


def _shape(token: str) -> str:
    out: list[str] = []
    for char in token:
        if char.isupper():
            kind = "X"
        elif char.isalpha():
            kind = "x"
        elif char.isdigit():
            kind = "d"
        else:
            kind = char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)[:8]


def _word(token: str) -> str:
    return token.strip(_STRIP).lower()


def _caps(stripped: str) -> str:
    if not stripped:
        return "none"
    letters = [c for c in stripped if c.isalpha()]
    if not letters:
        return "noletter"
    if all(c.isupper() for c in letters):
        return "upper" if len(letters) > 1 else "single"
    if letters[0].isupper():
        return "title"
    if all(c.islower() for c in letters):
        return "lower"
    return "mixed"


def _strip_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 17)
def token_features(token: str) -> tuple[str, ...]:
    """The features of a token alone (the neighbours' are added by :func:`sequence_features`).
    Cached: reference lists repeat their words (names, journal words, "pp.", "doi:")."""
    return tuple(_token_features(token))


def _token_features(token: str) -> list[str]:
    full, abbrev = journal_words()
    stripped = token.strip(_STRIP)
    word = stripped.lower()
    feats = [
        "w=" + word,
        "shape=" + _shape(token),
        "caps=" + _caps(stripped),
        "last=" + (token[-1] if not token[-1].isalnum() else ("d" if token[-1].isdigit() else "a")),
        "first=" + (token[0] if not token[0].isalnum() else ("d" if token[0].isdigit() else "a")),
        "len=" + str(min(len(stripped), 8)),
    ]
    if len(word) > 3:
        feats += ["p3=" + word[:3], "s3=" + word[-3:], "s2=" + word[-2:]]
    if _YEAR.match(token):
        feats.append("year")
    elif _YEAR_INSIDE.search(token):
        feats.append("hasyear")
    if stripped.isdigit():
        feats.append("digits=" + str(min(len(stripped), 5)))
    elif any(c.isdigit() for c in token):
        feats.append("somedigits")
    if _PAGE_RANGE.match(token):
        feats.append("pagerange")
    if _VOL_ISSUE.search(token):
        feats.append("volissue")
    if _COLON_PAGES.search(token):
        feats.append("colonpages")
    if _INITIALS.match(token):
        feats.append("initials")
    if _ROMAN.match(word):
        feats.append("roman")
    if _ORDINAL.match(stripped) or _ORDINAL.match(token.rstrip(",")):
        feats.append("ordinal")
    if _DOI.search(token):
        feats.append("doi")
    if _URL.match(stripped):
        feats.append("url")
    if token[0] in "\"“„«'‘":
        feats.append("quoteopen")
    if token.rstrip(".,;:")[-1:] in "\"”»'’" or token[-1] in '"”»':
        feats.append("quoteclose")
    if token[0] in "([":
        feats.append("parenopen")
    if token.rstrip(".,;:")[-1:] in ")]":
        feats.append("parenclose")
    marker = MARKERS.get(token.lower().rstrip(".,:;")) or MARKERS.get(token.lower())
    if marker:
        feats.append("marker=" + marker)
    if token.lower().startswith(("in:", "hrsg", "(hrsg", "(ed", "(eds")):
        feats.append("marker=" + ("in" if token.lower().startswith("in:") else "editor"))
    if word in GIVEN_NAMES or _strip_accents(word) in GIVEN_NAMES:
        feats.append("dict=given")
    if word in PARTICLES:
        feats.append("dict=particle")
    if word in full:
        feats.append("dict=journal")
    if word in abbrev:
        feats.append("dict=abbrev")
    if word in PUBLISHER_WORDS:
        feats.append("dict=publisher")
    if word in PLACES:
        feats.append("dict=place")
    if word in MONTHS or word.rstrip(".") in MONTHS:
        feats.append("dict=month")
    return feats


_OFFSETS = (-2, -1, 1, 2)
_EDGE = {offset: f"{offset}:edge" for offset in _OFFSETS}


@lru_cache(maxsize=1 << 17)
def _bundle(token: str) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]], tuple[bool, ...]]:
    """A token's own features, the features it gives its neighbours at each offset, and the
    running-state flags it sets (quote open, quote close, year, "In:", sentence period)."""
    own = token_features(token)
    seen = (own[0], own[1], *(f for f in own[6:] if not f.startswith(("p3=", "s3=", "s2="))))
    near = {offset: tuple(f"{offset}:{f}" for f in seen) for offset in _OFFSETS}
    flags = (
        "quoteopen" in own and "quoteclose" not in own,
        "quoteclose" in own,
        "year" in own or "hasyear" in own,
        "marker=in" in own,
        token.endswith(".") and not _INITIALS.match(token) and len(token.strip(_STRIP)) > 3,
    )
    return own, near, flags


def sequence_features(tokens: list[str]) -> list[list[str]]:
    """Features of every token of one reference, with position, running state and neighbours."""
    bundles = [_bundle(t) for t in tokens]
    n = len(tokens)
    out: list[list[str]] = []
    in_quote = seen_year = seen_in = seen_title_end = False
    periods = 0
    for i in range(n):
        own, _, flags = bundles[i]
        feats = [*own, f"pos={min(9, i * 10 // n)}", f"idx={min(i, 6)}"]
        if i == n - 1:
            feats.append("last")
        if in_quote:
            feats.append("inquote")
        if seen_year:
            feats.append("afteryear")
        if seen_in:
            feats.append("afterin")
        if seen_title_end:
            feats.append("aftertitle")
        feats.append(f"periods={min(periods, 5)}")
        for offset in _OFFSETS:
            j = i + offset
            if 0 <= j < n:
                feats.extend(bundles[j][1][offset])
            else:
                feats.append(_EDGE[offset])
        out.append(feats)
        # state after this token
        if flags[0]:
            in_quote = True
        if flags[1]:
            in_quote = False
            seen_title_end = True
        if flags[2]:
            seen_year = True
        if flags[3]:
            seen_in = True
        if flags[4]:
            periods += 1
    return out
