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
    ORGANISATION_WORDS,
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
_GLUED_NUMBER = re.compile(r"^\(?(?:n[°º]|nos?\.|nr\.|t\.|vols?\.|bd\.)\s?\d", re.I)


# Compact Vancouver locators are one word but three fields: "2024;64(7):575-81." is split
# after the ";" and after the ":" that end the date and the volume(issue).
_COMPACT_SPLIT = re.compile(r"(?<=;)(?=\(?[A-Za-z]?\d)|(?<=[\d)]:)(?=[A-Za-z]?\d)")
# Text extracted from PDFs loses the space after punctuation ("Smith,J.,Jones,K.",
# "J.Smith", "(2011).Title"): a comma or semicolon before a letter, a period before a
# capitalised word and a colon before a capital end a word. Acronyms ("U.S.A.") stay whole.
_MISSING_SPACE = re.compile(
    r"(?<=[a-zà-ÿ\d.)\]][,;])(?=[^\W\d_])|(?<=[^\W\d_]{2}[.:])(?=[A-ZÀ-Þ][a-zà-ÿ])"
    r"|(?<=[\])][.,:;])(?=[^\W\d_])|(?<=\b[A-Z]\.)(?=[A-ZÀ-Þ][a-zà-ÿ]{2})"
    # a locator's marker run into its number: "Vol.50", "no.7", "pp.112", "S.12", "v.37"
    r"|(?<=\b[pPsSvVnNhH]\.)(?=\d)|(?<=\b(?:pp|[Nn]o|[Nn]r|[Bb]d|[Jj]g)\.)(?=\d)"
    r"|(?<=\b(?:[Vv]ol|[Aa]rt)\.)(?=\d)"
)
_PUNCT_ONLY = re.compile(r"^[.,;:)\]]+$")
_OPEN_ONLY = re.compile(r"^[(\[]$")
_DASH_ONLY = re.compile(r"^[-–—‐]{1,2}$")
_OPEN_RANGE = re.compile(r"^(?:pp?\.)?\(?\d{1,6}[-–—‐]$")
# PDF text keeps typographic ligatures ("ﬁnite", "eﬀect"): read as the letters they are
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)


def tokenize(text: str) -> list[str]:
    """White-space words, with compact "date;volume(issue):pages" locators split in three,
    words run together at a comma or period split, stray punctuation ("Smith , J .",
    "( 2011 )", "12 - 15") joined to its word and ligatures written out."""
    words = text.translate(_LIGATURES).split()
    out: list[str] = []
    for word in words:
        if _URL.match(word) or "10." in word or "@" in word:
            out.append(word)
            continue
        parts = [word]
        if ";" in word or ":" in word:
            parts = [part for part in _COMPACT_SPLIT.split(word) if part]
        if "," in word or ";" in word or "." in word or ":" in word:
            parts = [piece for part in parts for piece in _MISSING_SPACE.split(part) if piece]
        out += parts
    if len(out) < 2:
        return out
    joined: list[str] = []
    pending = ""
    for i, word in enumerate(out):
        if pending:
            word, pending = pending + word, ""
        if _OPEN_ONLY.match(word) and i + 1 < len(out):
            pending = word
        elif joined and (
            _PUNCT_ONLY.match(word) or (_OPEN_RANGE.match(joined[-1]) and word[:1].isdigit())
        ):
            joined[-1] += word  # "Smith ," -> "Smith,"; "557- 566." -> "557-566."
        elif (
            joined
            and _DASH_ONLY.match(word)
            and i + 1 < len(out)
            and joined[-1][-1:].isdigit()
            and out[i + 1][:1].isdigit()
        ):
            pending = joined.pop() + word
        else:
            joined.append(word)
    if pending:
        joined.append(pending)
    return joined


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
    elif _GLUED_NUMBER.match(token):
        feats.append("marker=glued")  # "n°160", "No.7", "t.2": a locator marker and its number
    if token.lower().startswith(("in:", "hrsg", "(hrsg", "(ed", "(eds")):
        feats.append("marker=" + ("in" if token.lower().startswith("in:") else "editor"))
    if word in GIVEN_NAMES or (not word.isascii() and _strip_accents(word) in GIVEN_NAMES):
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
    if word in ORGANISATION_WORDS:
        feats.append("dict=org")
    if word in MONTHS or word.rstrip(".") in MONTHS:
        feats.append("dict=month")
    return feats


_OFFSETS = (-3, -2, -1, 1, 2, 3)
_EDGE = {offset: f"{offset}:edge" for offset in _OFFSETS}
_NUMBER_DOT = re.compile(r"^\(?\d{1,4}\.\d{1,4}[,:;.]?$")  # MLA's "42.3": volume.issue
# "(Eds.)", "Hrsg.", "edited": an editor list ends or begins; a bare "ed." may be an edition
_EDITOR_MARK = re.compile(
    r"^(?:\(?(?:[Ee]ds|[Hh]rsg|[Hh]g|[Ee]ditors?|[Ee]dited)|\(Ed)\.?\)?[.,:;]*$"
)


def _near(own: tuple[str, ...]) -> dict[int, tuple[str, ...]]:
    """What a token tells its neighbours at each offset: near ones see its word, shape, flags,
    capitals and end punctuation; the farthest (3 away) only its word and shape."""
    seen = (own[0], own[1], *(f for f in own[6:] if not f.startswith(("p3=", "s3=", "s2="))))
    near: dict[int, tuple[str, ...]] = {}
    for offset in _OFFSETS:
        if abs(offset) == 3:
            near[offset] = (f"{offset}:{own[0]}", f"{offset}:{own[1]}")
            continue
        these = seen
        if abs(offset) == 1:
            these = (*seen, own[2], own[3] if offset == -1 else own[4])
        prefix = f"{offset}:"
        near[offset] = tuple([prefix + f for f in these])
    return near


@lru_cache(maxsize=1 << 17)
def _bundle(token: str) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]], tuple[bool, ...]]:
    """A token's own features, the features it gives its neighbours at each offset, and the
    running-state flags it sets (quote open, quote close, year, "In:", sentence period,
    parenthesis open, parenthesis close, editor marker)."""
    own = token_features(token)
    if _NUMBER_DOT.match(token):
        own = (*own, "numdot")
    near = _near(own)
    flags = (
        "quoteopen" in own and "quoteclose" not in own,
        "quoteclose" in own,
        "year" in own or "hasyear" in own,
        "marker=in" in own,
        token.endswith(".") and not _INITIALS.match(token) and len(token.strip(_STRIP)) > 3,
        token[0] in "([" and token.rstrip(".,;:")[-1:] not in ")]",
        token.rstrip(".,;:")[-1:] in ")]" and token[0] not in "([",
        bool(_EDITOR_MARK.match(token)),
    )
    return own, near, flags


# In a string typed in capitals throughout, a word's capitals say nothing: after _uncap
# every word would read as Title Case. Such a string's words get "caps=shout" instead (the
# model learns what to make of it from the copies in capitals that scripts/train-references
# adds to its training strings); initials ("J.", "JA") keep theirs, as _uncap keeps them.
_SHOUT_CAPS = frozenset({"caps=title", "caps=lower", "caps=mixed"})


@lru_cache(maxsize=1 << 14)
def _shout_bundle(
    token: str,
) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]], tuple[bool, ...]]:
    own, near, flags = _bundle(token)
    if own[2] in _SHOUT_CAPS:
        own = (*own[:2], "caps=shout", *own[3:])
        near = _near(own)
    return own, near, flags


def _bucket(distance: int) -> str:
    return str(distance) if distance < 3 else ("3-5" if distance < 6 else "6+")


# The strings sequence_features gives every token, made once (it runs on every token read)
_POS = tuple(f"pos={p}" for p in range(10))
_IDX = tuple(f"idx={i}" for i in range(7))
_BEFORE = tuple("beforeyear=" + _bucket(d) for d in range(7))
_SINCE = tuple("sinceyear=" + _bucket(d) for d in range(7))
_PLACE = {
    early: (f"year={early}", tuple(f"year={early}:{p}" for p in range(10)))
    for early in ("none", "early", "late")
}
_PERIODS = tuple(f"periods={k}" for k in range(6))
_PERIODS_BY = {
    early: tuple(f"periods={k}:{early}" for k in range(6)) for early in ("none", "early", "late")
}


def _shouting(tokens: list[str]) -> bool:
    """A reference typed in capitals throughout (old catalogues, some PDF extractions)."""
    text = "".join(tokens)
    letters = sum(map(str.isalpha, text))  # counted in C: this runs on every reference
    return letters >= 20 and sum(map(str.isupper, text)) >= 0.9 * letters


_SHORT_WORDS = frozenset(
    "of in on to an at by or and the for de la le du et und der die das".split()
)


def _uncap(token: str) -> str:
    """A capitalised word as it would be written in a normal reference: initials ("J.",
    "JA") stay."""
    letters = token.strip(_STRIP)
    if (
        _INITIALS.match(token)
        and ("." in token or len(letters) <= 2)
        and letters.lower() not in _SHORT_WORDS
    ):
        return token
    return token[:1] + token[1:].lower()


# Words that open or name a container (a journal, proceedings, a book series, a reference
# work) in many languages: a sentence or comma-chunk holding one is likely the container.
_CONTAINER_WORDS = frozenset(
    """
    journal journals j jour proceedings proc conference conf symposium symp workshop congress
    colloquium meeting transactions trans review reviews rev bulletin bull annals ann annales
    letters lett acta archives arch magazine quarterly newsletter gazette handbook encyclopedia
    encyclopaedia dictionary lecture notes series monographs monograph studies reports
    zeitschrift jahrbuch blätter mitteilungen berichte revue revista rivista cahiers actes atti
    anais tijdschrift communications comm advances research yearbook
    """.split()
)
# A sentence ends at a word (4+ letters or digits, not initials) or a closing bracket that
# ends with a period, "?" or "!", also inside closing quotes ('Title."', "(2010).").
_SENTENCE_END = re.compile(r"(?:[^\W_]{2,}|[)\]])[.?!][\"”’'»)\]]*$")
# A comma-chunk ends at punctuation or a closing bracket, and before an opening bracket:
# "O'Connor MA (2022) Title" holds three (the last name, the year, the title), not one.
_CHUNK_END = re.compile(r"[.,;:?!][\"”’'»)\]]*$|[)\]]$")


@lru_cache(maxsize=1 << 17)
def _segment_word(token: str) -> tuple[bool, ...]:
    """What a token tells the segment it stands in: (ends a sentence, ends a comma-chunk,
    container word, journal-list word, a capitalised content word, a lower-case content word,
    holds a digit outside a URL or DOI, a content word in capitals) -- as flags, cached per
    token. A URL's or DOI's digits are no year, volume or pages: a trailing "Available from:
    https://..." must not look like the numbers block."""
    stripped = token.strip(_STRIP)
    word = stripped.lower()
    full, abbrev = journal_words()
    long_word = len(stripped) >= 4 and stripped.isalpha()
    return (
        bool(_SENTENCE_END.search(token)) and not _INITIALS.match(token) and len(stripped) > 3,
        bool(_CHUNK_END.search(token)),
        word.rstrip(".") in _CONTAINER_WORDS,
        word in full or word in abbrev,
        long_word and stripped[0].isupper(),
        long_word and stripped[0].islower() and word not in _SHORT_WORDS,
        any(c.isdigit() for c in token) and not _identifier(token),
        long_word and stripped.isupper(),
    )


def _identifier(token: str) -> bool:
    """A URL or a DOI (with or without its "doi:" / "https://doi.org/")."""
    return bool(_URL.match(token.lstrip(_STRIP)) or _DOI.search(token))


# Words that introduce a trailing URL or DOI ("Available from:", "Retrieved from", "[Online].
# Available:", "URL:", "doi:"): with the identifiers, the tail after the reference proper.
_TAIL_WORDS = frozenset(
    "available from at online retrieved url doi pmid pmcid via see accessed verfügbar unter "
    "abgerufen disponible en".split()
)


def _body_length(tokens: list[str]) -> int:
    """How many tokens the reference proper has: a trailing run of URLs and DOIs (and the
    words that introduce them) is a tail, whose place says nothing about the fields before it.
    Positions ("in the last tenth", "the last token") are counted within the body, so a URL
    pasted after the pages leaves the pages where the string's end would have them."""
    n = len(tokens)
    body = n
    seen_identifier = False
    while body > 1:
        token = tokens[body - 1]
        if _identifier(token):
            seen_identifier = True
        elif token.strip(_STRIP).lower() not in _TAIL_WORDS:
            break
        body -= 1
    return body if seen_identifier else n


def _segments(ends: list[bool]) -> list[tuple[int, int]]:
    """Spans [start, stop) of tokens cut after each token whose ``ends`` is set."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i, end in enumerate(ends):
        if end:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(ends):
        spans.append((start, len(ends)))
    return spans


@lru_cache(maxsize=4096)
def _segment_strings(
    kind: str,
    case: str,
    cword: bool,
    journal: str,
    digit: bool,
    nextdigit: bool,
    opens_in: bool,
    length: str,
) -> tuple[str, ...]:
    feats = [f"{kind}:case={case}"]
    if cword:
        feats.append(f"{kind}:cword")
    if journal:
        feats.append(f"{kind}:jw={journal}")
    if digit:
        feats.append(f"{kind}:digit")
    if nextdigit:
        feats.append(f"{kind}:nextdigit")
    if opens_in:
        feats.append(f"{kind}:in")
    feats.append(f"{kind}:len={length}")
    return tuple(feats)


_TODIGIT = tuple("todigit=" + _bucket(d) for d in range(7))


def _segment_features(tokens: list[str], shouting: bool = False) -> list[list[str]]:
    """Features a token takes from the sentence and the comma-chunk it stands in, and how
    far the next number is: a container is a capitalised run holding journal words, right
    before the numbers block; an article title is often in sentence case and far from it.
    A segment whose content words are mostly in capitals and none in lower case ("Smith J,
    Jones K. A STUDY OF RIVER DELTAS.") has the case "upper", not Title Case; in a string in
    capitals throughout (``shouting``) every segment has the case "shout": its capitals tell
    title from container no more than its words do."""
    flags = [_segment_word(t) for t in tokens]
    n = len(tokens)
    # running counts of each flag: a segment's count is a difference, whatever its length
    counts = [[0] * (n + 1) for _ in range(8)]
    for k in range(2, 8):
        row = counts[k]
        total = 0
        for i, f in enumerate(flags):
            total += f[k]
            row[i + 1] = total
    out: list[list[str]] = [[] for _ in range(n)]
    sentence_ends = [f[0] for f in flags]
    chunk_ends = [f[1] or (i + 1 < n and tokens[i + 1][:1] in "([") for i, f in enumerate(flags)]
    for kind, ends in (("s", sentence_ends), ("c", chunk_ends)):
        for start, stop in _segments(ends):
            caps = counts[4][stop] - counts[4][start]
            lower = counts[5][stop] - counts[5][start]
            upper = counts[7][stop] - counts[7][start]
            if caps + lower == 0:
                case = "none"
            elif shouting:
                case = "shout"
            elif lower == 0 and upper * 2 > caps:
                case = "upper"
            else:
                case = "title" if lower == 0 else ("sentence" if caps <= 1 else "mixed")
            journal = counts[3][stop] - counts[3][start]
            length = stop - start
            feats = _segment_strings(
                kind,
                case,
                counts[2][stop] > counts[2][start],
                ("most" if journal * 2 >= length else "some") if journal else "",
                counts[6][stop] > counts[6][start],
                stop < n and flags[stop][6],
                tokens[start].lower() in ("in", "in:"),
                str(length) if length < 3 else ("3-6" if length < 7 else "7+"),
            )
            for i in range(start, stop):
                out[i] += feats
    # distance to the next token with a digit (a year, volume, pages)
    nxt = -1
    for i in range(n - 1, -1, -1):
        out[i].append("todigit=none" if nxt < 0 else _TODIGIT[min(nxt - i, 6)])
        if flags[i][6]:
            nxt = i
    return out


def sequence_features(tokens: list[str]) -> list[list[str]]:
    """Features of every token of one reference, with position, running state and neighbours."""
    shouting = _shouting(tokens)
    if shouting:
        # capitals say nothing here: read the words as if written in the usual case, with
        # case features that say the string is in capitals (not that it is in Title Case)
        tokens = [_uncap(t) for t in tokens]
        bundles = [_shout_bundle(t) for t in tokens]
    else:
        bundles = [_bundle(t) for t in tokens]
    segments = _segment_features(tokens, shouting)
    n = len(tokens)
    body = _body_length(tokens)
    words = [b[0][0] for b in bundles]
    # where the first year stands (styles put it early, APA/Harvard, or late, Vancouver/MLA):
    # a token's place relative to it says much of what the token can be
    first_year = next((i for i, b in enumerate(bundles[:body]) if b[2][2]), -1)
    early = "none" if first_year < 0 else ("early" if first_year * 3 < body else "late")
    out: list[list[str]] = []
    in_quote = seen_year = seen_in = seen_title_end = in_paren = seen_editor = False
    periods = 0
    year_place, year_pos = _PLACE[early]
    periods_by = _PERIODS_BY[early]
    for i in range(n):
        own, _, flags = bundles[i]
        pos = min(9, i * 10 // body)
        feats = [*own, _POS[pos], _IDX[min(i, 6)], year_place, year_pos[pos], *segments[i]]
        if i == body - 1:
            feats.append("last")
        elif i >= body:
            feats.append("tail")
        if first_year >= 0:
            if i < first_year:
                feats.append(_BEFORE[min(first_year - i, 6)])
            elif i > first_year:
                feats.append(_SINCE[min(i - first_year, 6)])
        if in_quote:
            feats.append("inquote")
        if in_paren:
            feats.append("inparen")
        if seen_year:
            feats.append("afteryear")
        if seen_in:
            feats.append("afterin")
        if seen_editor:
            feats.append("aftereditor")
        if seen_title_end:
            feats.append("aftertitle")
        feats.append(_PERIODS[min(periods, 5)])
        feats.append(periods_by[min(periods, 5)])
        for offset in _OFFSETS:
            j = i + offset
            if 0 <= j < n:
                feats += bundles[j][1][offset]
            else:
                feats.append(_EDGE[offset])
        feats.append(f"bi-={words[i - 1] if i else 'edge'}|{words[i]}")
        feats.append(f"bi+={words[i]}|{words[i + 1] if i + 1 < n else 'edge'}")
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
        if flags[5]:
            in_paren = True
        if flags[6]:
            in_paren = False
        if flags[7]:
            seen_editor = True
    return out
