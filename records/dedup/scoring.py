"""The verdict on a pair of prepared records: duplicate, maybe or distinct, with its evidence.

Rules, in order (precision first: a false merge silently loses a study):

1. Vetoes (:mod:`records.dedup.vetoes`) cap the verdict at "distinct" or "maybe".
2. A shared DOI, PMID or PMCID makes a duplicate when the titles agree, and a "maybe" when the
   titles differ a lot (a wrong identifier in one source). ISSN, ISBN, journal and URL are never
   identity: many works share them.
3. Without an identifier the title must match closely, the authors must not disagree, the years
   may differ by one, and the more generic the title or the less we know about the authors, the
   more bibliographic detail (container, volume, pages, abstract) must agree.
4. Similar but unproven pairs are "maybe" (for review), the rest "distinct".

The ``score`` orders pairs for review and for greedy clustering; the verdict never comes from a
threshold on it alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from records.dedup.fields import (
    NEAR_TITLE,
    FieldComparison,
    _page_key,
    column_title,
    compare_fields,
    informative_title,
    title_similarity,
)
from records.dedup.keys import TITLE_STOPWORDS, Prepared
from records.dedup.vetoes import Veto, find_vetoes
from records.dedup.weights import (
    DUPLICATE_WEIGHT,
    evidence_weight,
    shared_title_words,
    specific_title,
)

Verdict = Literal["duplicate", "maybe", "distinct"]

FUZZY_TITLE = 0.85
MAYBE_TITLE = 0.75
# A title this similar by the same several authors is reviewed, never called distinct.
REWORDED_TITLE = 0.8
# The locator rule (translated titles): share of the authors that must agree, and how many
# authors must be compared when the journal names differ.
LOCATOR_AUTHORS = 0.8
LOCATOR_AUTHORS_WITHOUT_JOURNAL = 2


@dataclass(frozen=True, slots=True)
class PairDecision:
    """The verdict on one pair with the evidence for and against it, in words."""

    verdict: Verdict
    score: float
    evidence_for: list[str] = field(default_factory=list)
    evidence_against: list[str] = field(default_factory=list)
    vetoed: bool = False  # a veto applied: clusters holding these two must not be joined


def _score(f: FieldComparison) -> float:
    score = 0.5 * (f.title if f.title is not None else 0.5)
    if f.authors is not None:
        score += 0.2 * f.authors.fraction
    else:
        score += 0.1
    if f.year_gap is not None:
        score += 0.1 * (1.0 if f.year_gap == 0 else 0.5 if f.year_gap == 1 else 0.0)
    else:
        score += 0.05
    score += 0.2 * min(f.support, 4.0) / 4.0
    if f.strong_agree:
        score = min(1.0, score + 0.2)
    return round(score, 4)


def _describe(f: FieldComparison) -> tuple[list[str], list[str]]:
    pro: list[str] = [f"same {n}" for n in f.strong_agree]
    con: list[str] = []
    if f.title is not None:
        if f.title == 1.0:
            pro.append("same title")
        elif f.title >= FUZZY_TITLE:
            pro.append(f"similar title ({f.title:.2f})")
        else:
            con.append(f"different title ({f.title:.2f})")
    if f.authors is not None:
        if f.authors.agree:
            pro.append(f"same authors ({f.authors.fraction:.0%})")
        elif f.authors.conflict:
            con.append("different authors")
        else:
            con.append(f"authors partly differ ({f.authors.fraction:.0%})")
    if f.year_gap is not None:
        (pro if f.year_gap == 0 else con).append(
            "same year" if f.year_gap == 0 else f"years differ by {f.year_gap}"
        )
    for name, value in (
        ("container", f.container),
        ("volume", f.volume),
        ("first page", f.first_page),
        ("issue", f.issue),
    ):
        if value:
            pro.append(f"same {name}")
        elif value is False:
            con.append(f"different {name}")
    if f.abstract is not None:
        if f.abstract >= 0.9:
            pro.append("same abstract")
        elif f.abstract < 0.5:
            con.append("different abstract")
    return pro, con


def _same_locator(p1: Prepared, p2: Prepared, f: FieldComparison) -> bool:
    """Whether volume, page range and year (with the journal or the authors) locate one article.

    Only for titles that cannot be compared: a translation in brackets (MEDLINE), parallel
    titles, or titles in two languages. Same-language titles that differ are different articles.
    """
    if not (
        f.volume
        and f.first_page
        and f.last_page
        and p1.first_page != p1.last_page
        and f.year_gap is not None
        and f.year_gap <= 1
        and not p1.conference_abstract
        and not p2.conference_abstract
    ):
        return False
    if not (
        p1.translated
        or p2.translated
        or (p1.language is not None and p2.language is not None and p1.language != p2.language)
    ):
        return False
    authors = f.authors
    if authors is None:
        # No author list on one side (some indexes drop them): the journal must agree, and the
        # titles must at least resemble each other (two translations of one title).
        return bool(f.container) and f.title is not None and f.title >= MAYBE_TITLE
    if not (authors.first_match and authors.fraction >= LOCATOR_AUTHORS):
        return False
    # The same several authors on the same volume and page range: a journal name that differs
    # or is missing is another name of the same journal (translated, transliterated, former, or
    # garbled by a character-set conversion).
    return bool(f.container) or authors.compared >= LOCATOR_AUTHORS_WITHOUT_JOURNAL


def venue_only(f: FieldComparison) -> bool:
    """Whether two venue names are all that differs: near-identical titles, agreeing authors,
    the same year, and no volume or page in conflict."""
    return bool(
        f.container_clash
        and f.title is not None
        and f.title >= NEAR_TITLE
        and f.authors is not None
        and f.authors.agree
        and f.year_gap == 0
        and f.first_page is not False
        and f.volume is not False
        and f.issue is not False
    )


def _undated_venue(p1: Prepared, p2: Prepared, f: FieldComparison) -> bool:
    """A venue name that differs where one record has no year (a citation scraped from a page):
    with a specific title (>= 0.85) and several authors all agreeing, nothing but the venue's
    name is left to differ, and a citation's venue is often mangled ("proc . of the 23th vldb",
    "the vldb journal the international journal on very large &hellip;")."""
    authors = f.authors
    return bool(
        f.container_clash
        and f.year_gap is None
        and (p1.year is None) != (p2.year is None)
        # A year read at the end of the undated record's title that is not the other's: the
        # record is dated after all, and another year and venue is another version (a
        # journal paper after its conference paper). Read for this disagreement only here.
        and not (p1.title_year or p2.title_year)
        and f.title is not None
        and f.title >= FUZZY_TITLE
        and authors is not None
        and authors.agree
        and authors.compared >= 2
        and authors.fraction >= 0.8
        and f.first_page is not False
        and f.volume is not False
        and f.issue is not False
        and informative_title(p1)
        and informative_title(p2)
        # A venue read from a title (keys.read_title_tail) is excused as mangled only beside a
        # near-identical title: with a title that only resembles the other (a subtitle more or
        # less), the excuse would make a record whose venue ran into its title look more alike
        # than one that had no venue at all ("T" next to "T with ... links" by the same people).
        and (f.title >= NEAR_TITLE or not (p1.venue_from_title or p2.venue_from_title))
    )


def two_versions(p1: Prepared, p2: Prepared, f: FieldComparison) -> bool:
    """Two dated venues: the years differ and the venues clash, each given on both sides (a
    conference paper and its journal version a year later, "VLDB 2002" / "VLDB J. 2003"; a
    paper and its technical report). Where the rules leave such a pair to a person (a title
    and authors agree), a record that holds neither a year nor a venue (a bare citation) is a
    "duplicate" of both and cannot say which of the two it cites: the chain A~B, B~C would
    merge two publications A and C behind that person's back. So the pair keeps the clusters
    holding it apart (:func:`records.dedup.triage.stands_against`). A year apart alone (an
    ahead-of-print record and its issue) or two venue names alone (another name of one venue,
    a citation's mangled venue) are no such sign; a year read from a title counts for
    agreement only, so it dates nothing here. Years further apart are vetoed already."""
    return bool(
        p1.year
        and p2.year
        and p1.year != p2.year
        and p1.containers
        and p2.containers
        and f.container_clash
        and not f.clash_excused
    )


def _same_gaps(p1: Prepared, p2: Prepared) -> bool:
    """Both records lack the same details (year, container, volume, pages): one citation
    copied twice, not a sparse record next to a full one."""
    return (
        (p1.year is None) == (p2.year is None)
        and (not p1.containers) == (not p2.containers)
        and (p1.volume is None) == (p2.volume is None)
        and (p1.first_page is None) == (p2.first_page is None)
    )


def sparse(p: Prepared) -> bool:
    """A record that holds nothing but title, authors, year and venue (DBLP, Google Scholar,
    a citation in a reference list): no identifier, volume, pages or abstract that could
    confirm or contradict a match."""
    return not (
        p.doi or p.pmid or p.pmcid or p.volume or p.first_page or p.abstract or p.isbns
    )


# Words by which a title names another kind of record than a paper: a demo abstract, a poster
# or a panel of the same authors on the same system is not the paper (the reworded-title rule).
KIND_WORDS = frozenset(
    "abstract abstracts demo demonstration poster panel tutorial keynote invited extended".split()
)


def kind_words(p: Prepared) -> frozenset[str]:
    """The title's words that name what kind of item it is (:data:`KIND_WORDS`); the rules that
    join on less than a matching title ask both records to have the same ones."""
    return KIND_WORDS.intersection(p.title_tokens)


# Significant words (not stop words or single letters) a title needs to identify a paper within
# one venue and year on its own (see _sparse_match).
LONG_TITLE_WORDS = 5


def _long_title(p: Prepared) -> bool:
    return (
        sum(1 for w in p.title_tokens if len(w) > 1 and w not in TITLE_STOPWORDS)
        >= LONG_TITLE_WORDS
    )


def _sparse_match(p1: Prepared, p2: Prepared, f: FieldComparison) -> bool:
    """Two sparse records (:func:`sparse`) that are one work: everything they hold agrees or
    is missing on one side. A specific title, near-identical (typos, citation details run into
    it); the authors agree (a list cut short, initials for given names, OCR-damaged names are
    all agreement); the same year or a year on one side only; the same venue or one venue
    unknown. Where nothing else can be compared, a missing value is no evidence against the
    match, and title plus people is what identifies a work (bib-dedupe and Zotero's duplicate
    finder do the same with less). With one record lacking its authors, the title must be the
    same and so must the year."""
    if not (sparse(p1) and sparse(p2)) or f.title is None or f.title < MAYBE_TITLE:
        return False
    if f.year_gap not in (0, None) or not (informative_title(p1) and informative_title(p2)):
        return False
    authors = f.authors
    if f.title < NEAR_TITLE:
        # A title reworded by one source (words reordered, a word dropped or abbreviated, a
        # subtitle kept without its main title): the same several authors, all of them, in the
        # same venue still name one paper. (One author or another venue is not enough: a
        # group's papers at one venue often share most of their title words.) A venue read
        # from the end of a title is not enough here: garbled citations of a group's papers in
        # one venue series then met ("xsb as a deductive database" / "... as an efficient
        # deductive database engine", "strudel : a web-site management system" / "a query
        # language for a web-site management system"); it counts beside a near title only.
        return bool(
            f.container
            and not (p1.venue_from_title or p2.venue_from_title)
            and authors is not None
            and authors.compared >= 2
            and authors.fraction >= 0.8
            and authors.agree
            and kind_words(p1) == kind_words(p2)
        )
    if f.container_clash and not (venue_only(f) or _undated_venue(p1, p2, f)):
        return False
    if (
        f.title == 1.0
        and f.year_gap == 0
        and f.container
        and _long_title(p1)
        and min(len(p1.authors), len(p2.authors)) <= 1 < max(len(p1.authors), len(p2.authors))
    ):
        # The same long title in the same venue and year, one side with several authors and the
        # other with one "name" that matches none of them: a scraped citation's author field
        # holding a site's or a collection's name, or a list cut to a mangled first name. Two
        # full author lists that differ stay apart (two papers, or one of them misattributed).
        return True
    if authors is None:
        return f.title == 1.0 and f.year_gap == 0
    return authors.agree


def _one_name_against_several(p1: Prepared, p2: Prepared) -> bool:
    """One record's author field holds a single name, the other's several."""
    return min(len(p1.authors), len(p2.authors)) == 1 < max(len(p1.authors), len(p2.authors))


def _reworded(p1: Prepared, p2: Prepared, f: FieldComparison) -> bool:
    """A title reworded (>= :data:`REWORDED_TITLE`) by the same several authors, nothing in
    conflict: the last rule of :func:`_positive`, which makes such a pair "maybe"."""
    authors = f.authors
    return bool(
        f.title is not None
        and f.title >= REWORDED_TITLE
        and authors is not None
        and authors.agree
        and authors.compared >= 2
        and authors.fraction >= 0.8
        and f.year_gap in (0, 1, None)
        and f.volume is not False
        and f.first_page is not False
        and kind_words(p1) == kind_words(p2)
    )


def _positive(p1: Prepared, p2: Prepared, f: FieldComparison) -> Verdict:
    """The verdict from positive evidence alone (vetoes are applied by the caller)."""
    title = f.title
    authors = f.authors
    if f.strong_agree:
        # One identifier given to several works (a database numbering meeting abstracts under one
        # DOI) shows as different titles by different first authors.
        other_people = authors is not None and not authors.first_match and authors.conflict
        if title is None or title >= 0.8:
            return "maybe" if other_people and title is not None and title < 1.0 else "duplicate"
        if title < 0.5:
            # Same identifier, different titles: one source is wrong; with other authors too,
            # nothing but the identifier is shared.
            return "distinct" if other_people else "maybe"
        if other_people:
            return "maybe"
        if (authors is None or not authors.conflict) and (f.year_gap or 0) <= 1:
            return "duplicate"
        return "maybe"
    if _same_locator(p1, p2, f):
        # Same volume, page range and year, with the journal or the authors, locate one
        # article, whatever language its title was indexed in.
        return "duplicate"
    if title is None:
        return "distinct"
    if _sparse_match(p1, p2, f):
        return "duplicate"
    support = f.support
    excused_venue = venue_only(f) or _undated_venue(p1, p2, f)
    if excused_venue:
        # The same title by the same authors in the same year, nothing else in conflict: the
        # other venue name is another name of the venue (abbreviated, with or without its
        # society, a conference by its acronym), never alone a reason to keep them apart.
        support += 1.5
    elif f.container_clash and not f.first_page and not f.clash_excused:
        # Another journal and no page range in common: a reprint, a secondary publication, the
        # same abstract in two supplements or the same paper at two conferences. Review it.
        return "maybe" if title >= FUZZY_TITLE else "distinct"
    if f.year_gap is not None and f.year_gap > 1:
        return "maybe" if title >= NEAR_TITLE else "distinct"
    if f.first_page is False and not f.pages_overlap:
        support -= 1.5  # pages of two different articles (no known container/volume to veto)
    if f.abstract is not None and f.abstract < 0.5:
        support -= 1.0
    informative = informative_title(p1) and informative_title(p2)
    if title >= NEAR_TITLE:
        if authors is not None and authors.agree:
            if not informative:
                needed = 2.0
            elif title == 1.0 and (f.year_gap == 0 or _same_gaps(p1, p2)):
                needed = 0.0
            elif authors.compared >= 2 and authors.fraction >= 0.8:
                # A specific title and the same several authors: only a conflict (another
                # journal, other pages) keeps them apart.
                needed = 0.0
            else:
                needed = 0.5 if f.year_gap == 0 else 1.0
            return "duplicate" if support >= needed else "maybe"
        if authors is None:
            needed = 2.0 if informative else 3.0
            return "duplicate" if support >= needed else "maybe"
        if authors.conflict:
            if support >= 2 or (_long_title(p1) and _one_name_against_several(p1, p2)):
                # A single "name" against a list (a scraped citation's mangled author field, a
                # list cut to one garbled name) under the same specific title: too little to
                # call it another work. Review it; a "distinct" would also keep apart clusters
                # that other records of the paper join.
                return "maybe"
            return "distinct"
        return "duplicate" if support >= 2.0 and informative else "maybe"
    if title >= FUZZY_TITLE:
        if authors is not None and authors.agree:
            if (
                informative
                and authors.compared >= 2
                and authors.fraction >= 0.8
                and f.year_gap in (0, None)
                and ((f.container and support >= 1.0) or excused_venue)
            ):
                # Several authors, all agreeing, in the same venue and year: a title cut short or
                # run on by one source (a subtitle, a trailing note) is the same paper.
                return "duplicate"
            # Container and page range together locate the article even for a short title.
            enough = support >= 2.0 if informative else support >= 2.5
            return "duplicate" if enough else "maybe"
        if authors is None or not authors.conflict:
            return "maybe"
        return "distinct"
    if title >= MAYBE_TITLE and authors is not None and authors.agree and support >= 2:
        return "maybe"
    if _reworded(p1, p2, f):
        # A title reworded or broken by one source (words reordered, a word cut, citation matter
        # run in) by the same several authors, nothing else in conflict: not proof of one work,
        # but no evidence of two either. Review it; a "distinct" here would also keep apart the
        # clusters of two broken copies of one paper that each match its clean record.
        return "maybe"
    return "distinct"


def could_match(p1: Prepared, p2: Prepared) -> bool:
    """A cheap necessary condition for :func:`compare` to say anything but "distinct": a shared
    DOI/PMID/PMCID, the same volume and first page (the locator rule for translated titles), or
    titles at least as similar as the lowest threshold that can make a "maybe". Exact: a pair
    failing it is "distinct" (tests/records/dedup check the equivalence on the labelled sets)."""
    if (
        (p1.doi and p1.doi == p2.doi)
        or (p1.pmid and p1.pmid == p2.pmid)
        or (p1.pmcid and p1.pmcid == p2.pmcid)
    ):
        return True
    if (
        p1.volume
        and p1.first_page
        and p1.volume == p2.volume
        and _page_key(p1.first_page) == _page_key(p2.first_page)
    ):
        return True
    title = title_similarity(p1, p2)
    return title is not None and title >= MAYBE_TITLE


_RANK = {"distinct": 0, "maybe": 1, "duplicate": 2}


def compare(p1: Prepared, p2: Prepared) -> PairDecision:
    """The verdict on two prepared records (see the module docstring)."""
    return decide(p1, p2, compare_fields(p1, p2))


def weighable(verdict: Verdict, vetoes: list[Veto], f: FieldComparison) -> bool:
    """Whether the weights decide the pair: the rules left it at "maybe", no veto applies, and
    no issue, volume or first page is in conflict (a locator in conflict is left to a person: a
    reprint). ``scripts/fit-dedup-weights`` sets the threshold on these pairs."""
    return (
        verdict == "maybe"
        and not vetoes
        and f.issue is not False
        and f.first_page is not False
        and f.volume is not False
    )


def verdict_of(p1: Prepared, p2: Prepared, f: FieldComparison) -> tuple[Verdict, list[Veto]]:
    """The verdict from the field comparison (positive evidence capped by the vetoes) and the
    vetoes that apply."""
    verdict = _positive(p1, p2, f)
    vetoes = find_vetoes(p1, p2, f)
    if weighable(verdict, vetoes, f) and evidence_weight(
        f, specific_title(p1, p2)
    ) >= DUPLICATE_WEIGHT:
        # The rules could not decide; the weighed evidence (Fellegi-Sunter, fitted on labelled
        # pairs) is strong enough. No veto applies, so none is overruled.
        verdict = "duplicate"
    for veto in vetoes:
        if _RANK[veto.ceiling] < _RANK[verdict]:
            verdict = veto.ceiling
    return verdict, vetoes


def decide(p1: Prepared, p2: Prepared, f: FieldComparison) -> PairDecision:
    """:func:`compare` from the pair's field comparison."""
    verdict, vetoes = verdict_of(p1, p2, f)
    pro, con = _describe(f)
    # Where the evidence came from, for `harvester show`: fields read from a title, and the
    # review rule for a reworded title.
    if f.authors is not None and (p1.authors_from_title or p2.authors_from_title):
        pro.append("authors read from the end of a title")
    if f.year_gap == 0 and (
        (p1.year is None and p1.title_year) or (p2.year is None and p2.title_year)
    ):
        pro.append("year read from the end of a title")
    if f.container and (p1.venue_from_title or p2.venue_from_title):
        pro.append("venue read from the end of a title")
    if (
        verdict == "maybe"
        and not vetoes
        and f.title is not None
        and f.title < FUZZY_TITLE
        and _reworded(p1, p2, f)
    ):
        con.append("a reworded title by the same several authors: for review")
    if (
        verdict == "maybe"
        and f.authors is not None
        and f.authors.conflict
        and f.title is not None
        and f.title >= NEAR_TITLE
        and _long_title(p1)
        and _one_name_against_several(p1, p2)
    ):
        con.append("one name against a list under the same title: for review")
    if (
        verdict != "duplicate"
        and f.title is not None
        and f.title >= NEAR_TITLE
        and (column_title(p1) or column_title(p2))
    ):
        con.append("a column's title recurs in every issue: only a locator names the instalment")
    if verdict == "maybe" and two_versions(p1, p2, f):
        con.append(
            "another year and another venue (a conference paper and its journal version?):"
            " a record matching both does not join them"
        )
    for veto in vetoes:
        con.insert(0, f"veto: {veto.reason}")
    if verdict == "duplicate" and not f.strong_agree and _positive(p1, p2, f) == "maybe":
        # Decided by the weights, not a rule: say so, with the weight, for `harvester show`.
        specific = specific_title(p1, p2)
        if specific:
            # The weights count a title sharing six significant words or more as specific:
            # name it, since it is what lifts such a pair over the threshold.
            pro.append(f"a specific title ({shared_title_words(p1, p2)} significant words shared)")
        pro.append(
            f"weighed evidence {evidence_weight(f, specific):.1f} bits (a duplicate from "
            f"{DUPLICATE_WEIGHT:.1f})"
        )
    return PairDecision(
        verdict=verdict,
        score=_score(f),
        evidence_for=pro,
        evidence_against=con,
        vetoed=bool(vetoes),
    )
