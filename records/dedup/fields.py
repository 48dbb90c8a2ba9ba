"""Field-by-field comparison of two prepared records (the facts the verdict is built from)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import attrgetter

from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extractOne

from records.dedup.keys import TITLE_STOPWORDS, Prepared, Screen, containers_match

# Titles that say nothing about which work a record is: a match on them proves nothing.
GENERIC_TITLES = frozenset(
    [
        "editorial",
        "introduction",
        "preface",
        "foreword",
        "letter",
        "letter to the editor",
        "letters to the editor",
        "reply",
        "response",
        "in reply",
        "authors reply",
        "author reply",
        "the authors reply",
        "erratum",
        "errata",
        "correction",
        "corrigendum",
        "retraction",
        "comment",
        "commentary",
        "book review",
        "book reviews",
        "review",
        "reviews",
        "in memoriam",
        "obituary",
        "index",
        "contents",
        "table of contents",
        "abstracts",
        "news",
        "announcements",
        "front matter",
        "back matter",
        "untitled",
        "editors note",
        "from the editor",
        "guest editorial",
        "acknowledgments",
        "acknowledgements",
        "reviewers",
        "conclusion",
        "discussion",
        "summary",
    ]
)
MIN_INFORMATIVE_TOKENS = 3
AUTHOR_NAMES_COMPARED = 12
# How many names of a long list a short one is looked for in (see compare_authors).
AUTHOR_NAMES_SCANNED = 100
NEAR_TITLE = 0.93  # one or two typos, punctuation or a word in a long title
# Two articles of one volume share at most the page where one ends and the next begins.
MIN_SHARED_PAGES = 2
SAME_ABSTRACT = 0.9  # abstracts this similar are one text (typos, truncation, markup)
# A title under a heading ("How I did it... <title>", "Viewpoint: <title>"): at most this many
# heading words before a title of at least this many significant words count as the same title.
HEADING_MAX_WORDS = 5
HEADED_TITLE_MIN_WORDS = 6
# Headings that name another kind of record about the same title are not column headings.
OTHER_RECORD_HEADINGS = frozenset(
    "protocol abstract abstracts poster summary letter letters editorial comment comments "
    "commentary reply response correction erratum corrigendum retraction retracted withdrawn "
    "review".split()
)


# Words of the citation details that scraped citations run into a title ("mining generalized
# association rules . in : proceeding of the 21st international conference on very", "...
# ( extended version ) . available", "... [ j ]"): where they are, how the work was published or
# found, and the bracketed type codes of Chinese citation style ([J] journal, [C] conference).
CITATION_WORDS = frozenset(
    "in of the on and at to proc proceeding proceedings conference conf int intl international "
    "annual symposium symp workshop journal trans transactions acm ieee siam usenix vol volume no "
    "pp pages page ed eds editor editors et al extended version full available online ftp via http "
    "https www edu com org pdf ps technical tech report rep tr university univ dept department "
    "press inc lecture notes lncs series preprint draft submitted appear appeared hellip amp "
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july "
    "august september october november december st nd rd th".split()
)
# A title found whole inside another keeps this many words at least, and the surplus must be
# citation matter at this share at least (see spilled_title).
SPILL_MIN_WORDS = 4
SPILL_SHARE = 0.75
# Words that name an institution: an affiliation or a report's issuer set off after a title
# ("... . university of maryland", "... . digital equipment corp"; see _affiliation).
INSTITUTION_WORDS = frozenset(
    "university universities univ institute institut instituto istituto corp corporation inc "
    "ltd gmbh laboratory laboratories labs dept department".split()
)
AFFILIATION_MAX_WORDS = 4


def _institution(token: str) -> bool:
    # "universiy", "universitat", "universite": the university word in any spelling.
    return token in INSTITUTION_WORDS or token.startswith("universi")


def _affiliation(long: Prepared, short: Prepared, after: Sequence[str]) -> bool:
    """Whether what follows a title inside a longer one is an institution's name set off by
    punctuation: the longer title's main title (before ". ", ": ", " - ") is the shorter title,
    and the rest is a few words (:data:`AFFILIATION_MAX_WORDS`) that begin or end with an
    institution word, with no function word but those of a name ("university of maryland",
    "digital equipment corp", "the university of tromso"). The name is an affiliation or the
    issuer of a report, run into the title by a scraper; a subtitle that merely mentions one
    ("a survey at a university", "in a university") is not this shape."""
    return bool(
        after
        and long.main_title == short.title
        and len(after) <= AFFILIATION_MAX_WORDS
        and (_institution(after[0]) or _institution(after[-1]))
        and not any(w in TITLE_STOPWORDS and w not in _NAME_FUNCTION_WORDS for w in after)
    )


# Function words inside an institution's name ("university of X", "universidad de Y").
_NAME_FUNCTION_WORDS = frozenset("of the and de der des du".split())


def _citation_token(token: str, names: frozenset[str], venue: frozenset[str]) -> bool:
    if len(token) == 1 or token.isdigit() or token in CITATION_WORDS:
        return True
    if token in names or token in venue:
        return True
    # "21st", "2002a", "vldb97": a number with a suffix or a venue with its year.
    stripped = token.strip("0123456789")
    if not stripped or stripped in CITATION_WORDS or stripped in venue:
        return True
    # A name cut or run into the next word ("hammer" in "hammera", "ramanv").
    return any(len(name) >= 4 and token.startswith(name) for name in names)


def spilled_title(p1: Prepared, p2: Prepared) -> bool:
    """Whether the two titles are one title with citation details run into one or both
    (:func:`title_spill`)."""
    return title_spill(p1, p2) is not None


def _year_token(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and token[:2] in ("19", "20")


# Words that say what kind of venue the word before them names ("sigmod conference", "vldb
# j", "kdd workshop"): that word is the venue's name, citation matter in a spill.
VENUE_KIND_WORDS = frozenset(
    "conference conf proceedings proc journal j symposium symp workshop transactions trans".split()
)


def _matter(tokens: Sequence[str], names: frozenset[str], venue: frozenset[str]) -> int:
    return sum(_citation_token(t, names, venue) for t in tokens)


# Initials written together before a family name ("hm jamil", "cy chan", "db lomet"): a word
# of at most this many letters just before a known author's name is that author's initials.
RUN_INITIALS_BEFORE_NAME = 3


def _initials_before_name(tokens: Sequence[str], i: int, names: frozenset[str]) -> bool:
    return (
        len(tokens[i]) <= RUN_INITIALS_BEFORE_NAME
        and tokens[i].isalpha()
        and i + 1 < len(tokens)
        and tokens[i + 1] in names
    )


def _matter_after(
    tokens: Sequence[str],
    names: frozenset[str],
    venue: frozenset[str],
    venues: Sequence[tuple[str, ...]] = (),
) -> int:
    """:func:`_matter` of the words after a title, where a word just before a venue-kind word
    (:data:`VENUE_KIND_WORDS`) names the venue and counts too ("... sigmod conference", "...
    vldb j"). Only after a title: before one, and in a shared end, such a pair of words may be a
    title's own ("... management system proceedings of ..."). So do initials run together before
    a known author's name ("... hm jamil"), and a venue's acronym where either record's venue
    (``venues``, read from its title perhaps) is written out ("... vldb" against "proceedings of
    the international conference on very large")."""
    return sum(
        _citation_token(t, names, venue)
        or (i + 1 < len(tokens) and tokens[i + 1] in VENUE_KIND_WORDS and t.isalpha())
        or _initials_before_name(tokens, i, names)
        or any(_acronym_of_words(t, v) for v in venues)
        for i, t in enumerate(tokens)
    )


def title_spill(p1: Prepared, p2: Prepared) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The words around a shared title that are citation details run into it, as (``p1``'s,
    ``p2``'s); ``None`` when the titles are not one title so extended.

    Scraped and OCR'd citations are cut at the wrong places: the last authors and the year run
    into the start of the title ("l. wong . comprehension syntax", "ramanv ( 2002 ) continuously
    adaptive ..."), the venue into its end ("... , acm sigmod intl"), or every field into the
    title when a reader lost the field boundaries ("... multidatabases acm trans . database syst
    . 1994"). Two shapes count, the shared title always :data:`SPILL_MIN_WORDS` words or more and
    informative:

    * one title whole inside the other, what surrounds it citation matter (:data:`SPILL_SHARE`
      of its words at least: author names or venue words of either record, years, numbers,
      initials, :data:`CITATION_WORDS`); before the title, half is enough when a known author's
      name or a year is among the words (the authors a source cut from its list, given names
      and all: "raghu ramakrishnan , sunita sarawagi . on the computation of ...");
    * both titles starting with the same words and each going on with citation matter (words of
      the other's surplus count too: both ran the same author into their titles).

    Words of another kind around a title ("... in children with asthma", "... : a randomised
    trial", "... phase ii") are a subtitle or another work: this says nothing about them.
    """
    t1, t2 = p1.title_tokens, p2.title_tokens
    if min(len(t1), len(t2)) < SPILL_MIN_WORDS or t1 == t2:
        return None
    short, long = (p1, p2) if len(p1.title) <= len(p2.title) else (p2, p1)
    where = f" {long.title} ".find(f" {short.title} ")
    shared = 0
    ending = 0
    if where < 0:
        # The cheap test first (most compared pairs share neither shape): the common start.
        for a, b in zip(t1, t2, strict=False):
            if a != b:
                break
            shared += 1
        if shared < SPILL_MIN_WORDS:
            for a, b in zip(reversed(t1), reversed(t2), strict=False):
                if a != b:
                    break
                ending += 1
            if ending < SPILL_MIN_WORDS:
                return None
    names = frozenset(f for p in (p1, p2) for f, _ in p.authors)
    venue = frozenset(t for p in (p1, p2) for variant in p.containers for t in variant)
    if ending:
        return _spilled_before(t1, t2, ending, names, venue)
    if where >= 0:
        if not informative_title(short):
            return None
        before = long.title[: max(where - 1, 0)].split()
        after = long.title[where + len(short.title) :].split()
        matter_before = _matter(before, names, venue)
        matter_after = (
            len(after)
            if _affiliation(long, short, after)
            else _matter_after(after, names, venue, (*p1.containers, *p2.containers))
        )
        if matter_before + matter_after < SPILL_SHARE * (len(before) + len(after)) and not (
            before
            and matter_after >= SPILL_SHARE * len(after)
            and 2 * matter_before >= len(before)
            and any(t in names or _year_token(t) for t in before)
        ):
            return None
        surplus = (*before, *after)
        return ((), surplus) if short is p1 else (surplus, ())
    core = t1[:shared]
    if sum(1 for w in core if len(w) > 1 and w not in TITLE_STOPWORDS) < MIN_INFORMATIVE_TOKENS:
        return None
    r1, r2 = t1[shared:], t2[shared:]
    for tail, other in ((r1, r2), (r2, r1)):
        pool = [w for w in other if len(w) >= 4]
        known = names | frozenset(pool)
        needed = SPILL_SHARE * len(tail)
        matter = 0
        for k, t in enumerate(tail):
            if (
                _citation_token(t, known, venue)
                or (len(t) >= 4 and bool(pool) and _found_fuzzily(t, pool))
                or _acronym_of_words(t, other)
            ):
                matter += 1
            elif matter + len(tail) - k - 1 < needed:
                return None  # the words left cannot make up for it: the same answer, sooner
        if matter < needed:
            return None
    return r1, r2


def _acronym_of_words(token: str, words: Sequence[str]) -> bool:
    """Whether ``token`` is an acronym (three to eight letters) that the initials of two or more
    consecutive content words of ``words`` begin, covering half its letters at least: the
    venue one copy of a citation names by its acronym and the other by its words, cut short
    ("vldb" / "proceedings of the international conference on very large")."""
    if not (3 <= len(token) <= 8 and token.isalpha()):
        return False
    content = [w for w in words if w not in TITLE_STOPWORDS]
    for start in range(len(content)):
        initials = ""
        for word in content[start:]:
            if not word[0].isalpha():
                break
            initials += word[0]
            if not token.startswith(initials):
                break
            if len(initials) >= 2 and 2 * len(initials) >= len(token):
                return True
    return False


def _spilled_before(
    t1: tuple[str, ...],
    t2: tuple[str, ...],
    ending: int,
    names: frozenset[str],
    venue: frozenset[str],
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Both titles end with the same words, each after its own run of citation matter: two
    scraped copies of one citation, each cut at another place in the author list ("ds , and m.
    tan . semantic data caching ..." / "srivastava , d. , and tan , m. , 1996 , semantic data
    caching ..."). The shared end is an informative title; each start is citation matter at
    half its words at least (a known author's name or a year among the starts, as before a title
    found whole inside another), so a word of another kind ("adaptive semantic data caching
    ...") is never taken for a spill."""
    core = t1[len(t1) - ending :]
    if sum(1 for w in core if len(w) > 1 and w not in TITLE_STOPWORDS) < MIN_INFORMATIVE_TOKENS:
        return None
    if 2 * _matter(core, names, venue) >= len(core):
        # The shared end is itself citation matter: two titles followed by one venue string
        # ("... proceedings of the 1997 acm sigmod international conference"), not one title.
        return None
    r1, r2 = t1[: len(t1) - ending], t2[: len(t2) - ending]
    for start in (r1, r2):
        if 2 * _matter(start, names, venue) < len(start):
            return None
    if not any(t in names or _year_token(t) for t in (*r1, *r2)):
        return None
    return r1, r2


def title_similarity(p1: Prepared, p2: Prepared) -> float | None:
    """0..1 similarity of the folded titles; ``None`` when either has none.

    A missing subtitle or appended note (one title is the other's main title, or a prefix of
    six words or more) counts 0.9: the same work is often indexed with and without its subtitle.
    A heading before the title (a column, section or article-type label of a few words set off by
    punctuation, before a title of six significant words or more) counts as a near match (:data:`NEAR_TITLE`): unlike
    a subtitle it says nothing about which work this is, and sources drop headings, not main
    titles. Parallel titles (original language and translation) are compared one by one.
    """
    if not p1.title or not p2.title:
        return None
    if p1.title == p2.title:
        return 1.0
    return lift_title_similarity(p1, p2, Indel.normalized_similarity(p1.title, p2.title))


def lift_title_similarity(p1: Prepared, p2: Prepared, similarity: float) -> float:
    """:func:`title_similarity` of two different, non-empty titles from their plain Indel
    ``similarity``: the subtitle, heading and parallel-title rules. Where
    :func:`title_lift_candidates` does not name a pair, this must return ``similarity``
    unchanged (tests check it)."""
    if title_letters(p1.title) == title_letters(p2.title):
        return 1.0  # only the spaces differ (see title_letters)
    if similarity < NEAR_TITLE and spilled_title(p1, p2):
        # The same title with citation details run into it (authors, year, venue).
        return NEAR_TITLE
    if similarity < NEAR_TITLE:
        short, long = sorted((p1.title, p2.title), key=len)
        words = short.count(" ") + 1
        if (
            similarity < 0.9
            and words >= 4
            and long.startswith(short + " ")
            and (words >= 6 or short == p1.main_title or short == p2.main_title)
        ):
            similarity = 0.9
        elif _under_heading(p1, p2) or _under_heading(p2, p1):
            similarity = NEAR_TITLE
    if similarity < NEAR_TITLE and (p1.title_variants or p2.title_variants):
        for a in p1.title_variants or (p1.title,):
            for b in p2.title_variants or (p2.title,):
                similarity = max(similarity, Indel.normalized_similarity(a, b))
    return similarity


def _under_heading(headed: Prepared, plain: Prepared) -> bool:
    """Whether ``headed`` is ``plain``'s title after a heading: a main title of at most
    :data:`HEADING_MAX_WORDS` words set off by a colon, dash or full stop ("Viewpoint: ...",
    "How I did it... ..."), before a title of :data:`HEADED_TITLE_MIN_WORDS` significant words."""
    heading = headed.main_title
    if not heading or headed.title != f"{heading} {plain.title}":
        return False
    words = heading.split()
    if len(words) > HEADING_MAX_WORDS or OTHER_RECORD_HEADINGS.intersection(words):
        return False
    significant = [w for w in plain.title_tokens if len(w) > 1 and w not in TITLE_STOPWORDS]
    return len(significant) >= HEADED_TITLE_MIN_WORDS


def title_lift_candidates(
    p: Prepared, others: Sequence[Prepared] | Sequence[Screen], titles: list[str]
) -> set[int]:
    """The indexes of ``others`` (whose titles are ``titles``) for which
    :func:`lift_title_similarity` may raise the plain similarity: one title starts with the
    other (the subtitle rule) or ends with it (the heading rule), or either side has parallel
    titles. C-level scans, as this runs over every candidate of a record."""
    everyone = range(len(titles))
    if p.title_variants:
        return set(everyone)
    title = p.title
    found = set(compress(everyone, map(title.startswith, titles)))
    found.update(compress(everyone, map(str.startswith, titles, repeat(title))))
    found.update(compress(everyone, map(title.endswith, titles)))
    found.update(compress(everyone, map(str.endswith, titles, repeat(title))))
    found.update(compress(everyone, map(_VARIANTS, others)))
    # The same letters with other spaces.
    letters = title_letters(title)
    found.update(compress(everyone, map(letters.__eq__, map(title_letters, titles))))
    # The spill rule: one title inside the other (a superset of the prefix and suffix tests),
    # or both starting or both ending with the same SPILL_MIN_WORDS words.
    found.update(compress(everyone, map(title.__contains__, titles)))
    found.update(compress(everyone, map(str.__contains__, titles, repeat(title))))
    if len(p.title_tokens) > SPILL_MIN_WORDS:
        start = " ".join(p.title_tokens[:SPILL_MIN_WORDS]) + " "
        found.update(compress(everyone, map(str.startswith, titles, repeat(start))))
        end = " " + " ".join(p.title_tokens[-SPILL_MIN_WORDS:])
        found.update(compress(everyone, map(str.endswith, titles, repeat(end))))
    return found


_VARIANTS = attrgetter("title_variants")


def title_letters(title: str) -> str:
    """A folded title without its spaces: two titles with the same letters in the same order
    are one title whatever their spaces (words fused or split by a PDF or OCR extraction:
    "onviews andxml", "object base" / "objectbase"). The one definition of that rule, for
    :func:`lift_title_similarity`, :func:`title_lift_candidates` and the triage."""
    return title.replace(" ", "")


# The last word of a column's title ("Book review column", "Database principles column", "The
# editor's column"): a column recurs in every issue under one title, by the same editor, so, as
# with "Editorial", only a locator or an identifier tells its instalments apart (seventh pass).
COLUMN_WORDS = frozenset({"column", "columns"})


def column_title(p: Prepared) -> bool:
    """Whether a title names a column (its last significant word is in :data:`COLUMN_WORDS`)."""
    words = [t for t in p.title_tokens if len(t) > 1 and t not in TITLE_STOPWORDS]
    return bool(words) and words[-1] in COLUMN_WORDS


def informative_title(p: Prepared) -> bool:
    """Whether a title is specific enough to identify a work on its own with authors and year:
    not a recurring heading ("Editorial", "Editor's Comments", a title ending with "column")
    and at least three words that are not articles, prepositions or single letters."""
    words = [t for t in p.title_tokens if len(t) > 1 and t not in TITLE_STOPWORDS]
    return (
        len(words) >= MIN_INFORMATIVE_TOKENS
        and " ".join(words) not in GENERIC_TITLES
        and words[-1] not in COLUMN_WORDS
    )


# Family names compared fuzzily: one typo or transliteration variant in a name of four letters
# or more (85); OCR damage in a longer name with its first letter intact (75: "rodriguez" /
# "rodrguez", "hellerstein" / "hellerstien"); never for short names ("wang" / "wong").
FAMILY_SIMILAR = 85
FAMILY_DAMAGED = 75
FAMILY_DAMAGED_MIN = 6
# A family name cut short or a double family name written in part ("garcia" / "garcia-molina",
# "alagi" / "alagic"): the shorter a prefix of the longer, five letters at least ("chen" /
# "cheng" are two names).
FAMILY_PREFIX_MIN = 5
# The other half of a double family name is this long at least (see _prefix_family).
FAMILY_HALF_EXTRA = 4


def _same_family(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    if _prefix_family(a, b):
        return True
    similarity = ratio(a, b)
    return similarity >= FAMILY_SIMILAR or _damaged(a, b, similarity)


def _prefix_family(a: str, b: str) -> bool:
    """One name cut short by one letter, or one half of a double name ("garcia" /
    "garciamolina", "dusseau" / "arpacidusseau"); not a name inside a longer other name
    ("johns" / "johnson", "stein" / "goldstein")."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    extra = len(long) - len(short)
    if len(short) < FAMILY_PREFIX_MIN or not (extra == 1 or extra >= FAMILY_HALF_EXTRA):
        return False
    return long.startswith(short) or (
        extra >= FAMILY_HALF_EXTRA and len(short) > FAMILY_PREFIX_MIN and long.endswith(short)
    )


def _damaged(a: str, b: str, similarity: float) -> bool:
    return (
        similarity >= FAMILY_DAMAGED
        and a[0] == b[0]
        and min(len(a), len(b)) >= FAMILY_DAMAGED_MIN
    )


def _initials_compatible(i1: str, i2: str) -> bool:
    return not i1 or not i2 or i1[0] == i2[0]


@dataclass(frozen=True, slots=True)
class AuthorComparison:
    first_match: bool
    fraction: float  # share of the shorter (compared) list found in the other
    compared: int

    @property
    def agree(self) -> bool:
        return (self.first_match and self.fraction >= 0.5) or self.fraction >= 0.8

    @property
    def conflict(self) -> bool:
        return not self.first_match and self.fraction < 0.34


def _names_found(names: Sequence[tuple[str, str]], other: Sequence[tuple[str, str]]) -> int:
    """How many of ``names`` have their family name (or a close variant) in ``other``."""
    families = {f for f, _ in other}
    # The fuzzy test of _same_family, run in rapidfuzz's C loop over the other list (most
    # compared pairs are different works, whose names all miss: this is the hot path).
    fuzzy_pool = [f for f in families if len(f) >= 4]
    found = 0
    for family, _initials in names:
        if family in families or (
            len(family) >= 4 and fuzzy_pool and _found_fuzzily(family, fuzzy_pool)
        ):
            found += 1
    return found


def _found_fuzzily(family: str, pool: list[str]) -> bool:
    """:func:`_same_family` of ``family`` against any name of ``pool`` (names of four letters
    or more), the similarity in rapidfuzz's C loop."""
    best = extractOne(family, pool, scorer=ratio, score_cutoff=FAMILY_DAMAGED)
    if best is not None and (best[1] >= FAMILY_SIMILAR or _damaged(family, best[0], best[1])):
        return True
    return len(family) >= FAMILY_PREFIX_MIN and any(_prefix_family(family, f) for f in pool)


# A "given name" this short may be initials run together ("PB Gibbons" kept as family
# "phillip", given "bg"): its letters count as initials where names are read crossed.
RUN_INITIALS_MAX = 3


def _letters(initials: str, given: str) -> str:
    """A name's initials, with the letters of a given "name" short enough to be initials run
    together (:data:`RUN_INITIALS_MAX`)."""
    return initials + given if len(given) <= RUN_INITIALS_MAX else initials


def _crossed_pair(n1: tuple[str, str], n2: tuple[str, str], g1: str = "", g2: str = "") -> bool:
    (f1, i1), (f2, i2) = n1, n2
    i1, i2 = _letters(i1, g1), _letters(i2, g2)
    return bool(i1 and i2 and f1[0] in i2 and f2[0] in i1)


def _crossed(
    a: Sequence[tuple[str, str]],
    b: Sequence[tuple[str, str]],
    ga: Sequence[str] = (),
    gb: Sequence[str] = (),
) -> int:
    """How many names, in order, are written with family and given name swapped on one side,
    read through their initials: "a doan" / "d anhai" (AnHai Doan), "k ross" / "ar kenneth"
    (Kenneth A. Ross). Each side's family name starts with one of the other's initials. A short
    given "name" may be initials run together, the family's last: "m garofalakis , p gibbons"
    / "minos g , phillip bg" (``ga``, ``gb``: the folded given names, see :func:`_letters`)."""
    return sum(
        _crossed_pair(n1, n2, g1, g2)
        for n1, n2, g1, g2 in zip(
            a, b, ga or ("",) * len(a), gb or ("",) * len(b), strict=False
        )
    )


# (folded family, initials) per author, as Prepared.authors holds them.
Names = tuple[tuple[str, str], ...]


def _either_split(p1: Prepared, p2: Prepared) -> tuple[Names, Names]:
    """Both author lists, each double surname read the way the other list confirms.

    A name written given name first whose given part ends with a capitalised word ("M. Botana
    Rial", read as family "Rial") may be a double surname: the other record's "Botana Rial,
    M." confirms it (:func:`records.dedup.keys._family_split`). Only a family name equal to
    the joined words does, and only when the other list lacks the single word's family: the
    name is then compared as that family, its last initial (the surname's) dropped."""
    families1, families2 = {f for f, _ in p1.authors}, {f for f, _ in p2.authors}
    return _resplit(p1, families2), _resplit(p2, families1)


def _resplit(p: Prepared, other: set[str]) -> Names:
    if not p.family_splits:
        return p.authors
    return tuple(
        (split, initials[:-1]) if split and split in other and family not in other
        else (family, initials)
        for (family, initials), split in zip(p.authors, p.family_splits, strict=True)
    )


def compare_authors(p1: Prepared, p2: Prepared) -> AuthorComparison | None:
    """How far the author lists agree, order and initials-vs-full-names aside."""
    authors1, authors2 = p1.authors, p2.authors
    if p1.family_splits or p2.family_splits:
        authors1, authors2 = _either_split(p1, p2)
    a1, a2 = authors1[:AUTHOR_NAMES_COMPARED], authors2[:AUTHOR_NAMES_COMPARED]
    if not a1 or not a2:
        return None
    first_match = _same_family(a1[0][0], a2[0][0]) and _initials_compatible(a1[0][1], a2[0][1])
    if not first_match and len(a1) > 1 and len(a2) > 1:
        # Family and given swapped for the whole list (East Asian names) still names the author.
        first_match = a1[0][0] == a2[0][0]
    short, long = (a1, a2) if len(a1) <= len(a2) else (a2, a1)
    longer = authors2 if short is a1 else authors1
    if len(short) < AUTHOR_NAMES_COMPARED < len(longer):
        # A list cut to a few names against a long one (a consortium, a large team): the few
        # are looked for among all of the long list's names (up to AUTHOR_NAMES_SCANNED), not
        # only its first twelve ("amorim, ribeiro, lucio, pedro" among twenty-three).
        found = _names_found(short, longer[:AUTHOR_NAMES_SCANNED])
    else:
        found = _names_found(short, long)
    if len(a1) == len(a2) and found:
        # Lists of one length are read both ways (a name repeated in one list is found once
        # per repetition): the smaller count, so that the verdict does not depend on the order.
        found = min(found, _names_found(long, short))
    if found == 0 and len(a1) == len(a2) and len(a1) >= 2:
        # One source wrote the given names as family names ("Andrea; Lorenzo" for "Carignani,
        # Andrea; Negri, Lorenzo"): every name of one list is a given name of the other, in order.
        # One name may differ in the transliteration when there are three or more.
        needed = len(a1) - 1 if len(a1) >= 3 else len(a1)
        g1 = p1.given_names[: len(a1)]
        g2 = p2.given_names[: len(a2)]
        swapped = max(
            sum(f == g for (f, _), g in zip(a1, g2, strict=False)),
            sum(f == g for (f, _), g in zip(a2, g1, strict=False)),
        )
        if swapped >= needed:
            return AuthorComparison(True, swapped / len(a1), len(short))
    if found == 0 and len(short) >= 2:
        # Every name of the shorter list swapped, read through the initials (one source wrote
        # "given family" as "family given" with the given names cut to initials).
        crossed = _crossed(a1, a2, p1.given_names[: len(a1)], p2.given_names[: len(a2)])
        if crossed == len(short):
            return AuthorComparison(True, 1.0, len(short))
    elif 0 < found < len(a1) == len(a2):
        # Some names agree and some are swapped ("w hasan" / "h waqar" beside two names written
        # alike): a name counts when it is found, or swapped in its place.
        g1, g2 = p1.given_names, p2.given_names
        either = sum(
            _crossed_pair(n1, n2, x, y) or _names_found((n1,), a2) == 1
            for n1, n2, x, y in zip(a1, a2, g1, g2, strict=False)
        )
        if either > found:
            found = either
            first_match = first_match or _crossed_pair(a1[0], a2[0], g1[0], g2[0])
    return AuthorComparison(first_match, found / len(short), len(short))


@dataclass(frozen=True, slots=True)
class FieldComparison:
    """Facts about a pair, each ``None`` when one side lacks the field."""

    title: float | None
    authors: AuthorComparison | None
    year_gap: int | None
    container: bool | None
    volume: bool | None
    issue: bool | None
    first_page: bool | None
    last_page: bool | None
    abstract: float | None
    doi: bool | None
    pmid: bool | None
    pmcid: bool | None
    isbn: bool | None
    container_clash: bool = False  # different journals (neither record a conference paper)
    # Two different page ranges that share pages: one source mis-transcribed the range.
    pages_overlap: bool = False

    @property
    def strong_agree(self) -> list[str]:
        return [n for n, v in (("DOI", self.doi), ("PMID", self.pmid), ("PMCID", self.pmcid)) if v]

    @property
    def strong_conflict(self) -> list[str]:
        return [
            n
            for n, v in (("DOI", self.doi), ("PMID", self.pmid), ("PMCID", self.pmcid))
            if v is False
        ]

    @property
    def clash_excused(self) -> bool:
        """Two journal names, yet the same volume and page range, or the same volume and issue
        with the same abstract: one journal under two names (translated, transliterated or
        former: "Gan to Kagaku Ryoho" / "Japanese Journal of Cancer and Chemotherapy"), since
        a reprint or a secondary publication elsewhere does not land on the same locator."""
        return bool(
            self.volume
            and (
                (self.first_page and self.last_page)
                or (self.issue and self.abstract is not None and self.abstract >= SAME_ABSTRACT)
            )
        )

    @property
    def support(self) -> float:
        """How much of the bibliographic detail (where, volume, pages, abstract) agrees."""
        score = 0.0
        if self.container:
            score += 1
        elif self.container_clash and not self.clash_excused:
            # Two different journal names: the same title there is a reprint, a secondary
            # publication, the same abstract in two meeting supplements or the same paper at two
            # conferences, unless the locator agrees (see clash_excused).
            score -= 1.5
        if self.volume:
            score += 1
        if self.first_page:
            score += 1
            if self.last_page:
                score += 0.5
        if self.issue:
            score += 0.5
        if self.abstract is not None and self.abstract >= SAME_ABSTRACT:
            score += 1.5
        return score


def _eq(a: object, b: object) -> bool | None:
    if a is None or b is None:
        return None
    return a == b


def _page_key(page: str | None) -> str | None:
    # "e1234" and "1234", "S12" and "12": the same locator with or without its letter prefix.
    if not page:
        return None
    return page.lstrip("abcdefghijklmnopqrstuvwxyz").lstrip("0") or page


def _page_number(page: str | None) -> int | None:
    key = _page_key(page)
    return int(key) if key and key.isdigit() else None


def pages_overlap(p1: Prepared, p2: Prepared) -> bool:
    """Whether two different page ranges share at least :data:`MIN_SHARED_PAGES` pages, and at
    least half of the longer range (a two-page item inside a long range is not a typo of it).

    Articles of one volume follow each other: two of them share at most a boundary page. Ranges
    that overlap more than that (678-684 and 676-682) cannot both be right, so the difference is
    a transcription error in one source, not evidence of two articles.
    """
    ranges = []
    for p in (p1, p2):
        first, last = _page_number(p.first_page), _page_number(p.last_page)
        if first is None or last is None or last <= first:
            return False
        ranges.append((first, last))
    (a1, b1), (a2, b2) = ranges
    if (a1, b1) == (a2, b2):
        return False
    shared = min(b1, b2) - max(a1, a2) + 1
    longer = max(b1 - a1, b2 - a2) + 1
    return shared >= MIN_SHARED_PAGES and 2 * shared >= longer


def _year_as_volume(p: Prepared) -> bool:
    """The volume field holds the publication year (some sources do this for magazines that
    have no volume numbering)."""
    return p.year is not None and p.volume == str(p.year)


def _volumes(p1: Prepared, p2: Prepared) -> bool | None:
    same = _eq(p1.volume, p2.volume)
    if same is False and (_year_as_volume(p1) or _year_as_volume(p2)):
        return None  # a year against a volume number: nothing to compare
    return same


def provisional_pages(p: Prepared) -> bool:
    """Ahead-of-print pagination: no volume yet and pages counted from 1."""
    return p.volume is None and p.first_page == "1"


def abstract_similarity(p1: Prepared, p2: Prepared) -> float | None:
    """0..1 Indel similarity of the folded abstracts; ``None`` when either has none."""
    if p1.abstract and p2.abstract:
        return Indel.normalized_similarity(p1.abstract, p2.abstract)
    return None


def abstract_bound(p1: Prepared, p2: Prepared) -> float | None:
    """The highest value :func:`abstract_similarity` can return for the pair, without
    comparing the abstracts (600 characters each: the costliest field)."""
    return 1.0 if p1.abstract and p2.abstract else None


def compare_fields(p1: Prepared, p2: Prepared) -> FieldComparison:
    return fields_with(p1, p2, title_similarity(p1, p2), abstract_similarity(p1, p2))


def _read_spill(
    p1: Prepared,
    p2: Prepared,
    spill: tuple[tuple[str, ...], tuple[str, ...]],
    authors: AuthorComparison | None,
    year_gap: int | None,
) -> tuple[AuthorComparison | None, int | None]:
    """The authors and year a record lost into its title (:func:`title_spill`), read there:
    a record with no authors whose title carries the other record's author names, or with no
    year whose title carries the other's year. Only agreement is read: a spilled number that
    is not the other's year may be a volume or a page, and says nothing against the match."""
    if authors is None and not p1.authors and not p2.authors and spill[0] and spill[1]:
        # Both lost their authors into their titles: the names both surpluses carry.
        people = {
            t for t in spill[0] if len(t) >= 3 and not t.isdigit() and t not in CITATION_WORDS
        } - frozenset(t for p in (p1, p2) for variant in p.containers for t in variant)
        found = len(people.intersection(spill[1]))
        if found:
            authors = AuthorComparison(True, 1.0, found)
    for record, other, surplus in ((p1, p2, spill[0]), (p2, p1, spill[1])):
        if not surplus:
            continue
        if authors is None and other.authors and not record.authors:
            words = set(surplus)
            names = other.authors[:AUTHOR_NAMES_COMPARED]
            found = sum(family in words for family, _ in names)
            if found:
                authors = AuthorComparison(names[0][0] in words, found / len(names), len(names))
        if year_gap is None and other.year and not record.year and str(other.year) in surplus:
            year_gap = 0
    return authors, year_gap


def fields_with(
    p1: Prepared, p2: Prepared, title: float | None, abstract: float | None
) -> FieldComparison:
    """:func:`compare_fields` with the title and abstract similarities given (computed in a
    batch, or bounded)."""
    pages_comparable = not (provisional_pages(p1) or provisional_pages(p2))
    container = containers_match(p1, p2)
    authors = compare_authors(p1, p2)
    year_gap = abs(p1.year - p2.year) if p1.year and p2.year else None
    if year_gap is None and (p1.title_year or p2.title_year):
        # The year read at the end of an undated record's title, where it agrees.
        y1, y2 = p1.year or p1.title_year, p2.year or p2.title_year
        if y1 and y1 == y2:
            year_gap = 0
    if (
        title is not None
        and NEAR_TITLE <= title < 1.0
        and (authors is None or year_gap is None)
        and (spill := title_spill(p1, p2)) is not None
    ):
        authors, year_gap = _read_spill(p1, p2, spill, authors, year_gap)
    return FieldComparison(
        title=title,
        authors=authors,
        year_gap=year_gap,
        container=container,
        container_clash=container is False,
        volume=_volumes(p1, p2),
        issue=_eq(p1.issue, p2.issue),
        first_page=_eq(_page_key(p1.first_page), _page_key(p2.first_page))
        if pages_comparable
        else None,
        last_page=_eq(_page_key(p1.last_page), _page_key(p2.last_page))
        if pages_comparable
        else None,
        abstract=abstract,
        doi=_eq(p1.doi, p2.doi),
        pmid=_eq(p1.pmid, p2.pmid),
        pmcid=_eq(p1.pmcid, p2.pmcid),
        isbn=bool(p1.isbns & p2.isbns) if p1.isbns and p2.isbns else None,
        pages_overlap=pages_comparable and pages_overlap(p1, p2),
    )
