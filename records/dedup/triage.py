"""Triage: one record against all its candidates, with the verdicts :func:`compare` would give,
at a fraction of the cost.

Blocking pairs 100k records into ~4M candidate pairs, nearly all of them different works
(template-like titles, prolific authors). :func:`compare` costs tens of microseconds a pair
(evidence strings, vetoes, 600-character abstracts). Here the candidates go through exact
steps, cheapest first, and only pairs no step settles get the full comparison:

1. Vetoes with ceiling "distinct" that need no similarity (:func:`vetoed_apart`: years more
   than one apart, a conflicting DOI/PMID/PMCID), for all candidates at once with C-level
   scans (:func:`_screen`).
2. :func:`~records.dedup.scoring.could_match` for the rest: titles scored in rapidfuzz's C loop
   (``process.extract`` with ``score_cutoff=MAYBE_TITLE``), the subtitle/parallel-title lifts
   only where :func:`~records.dedup.fields.title_lift_candidates` allows them.
3. The rules themselves (``_positive`` capped by the vetoes,
   :func:`~records.dedup.scoring.verdict_of`) on the field comparison with the abstract
   similarity at its best (:func:`~records.dedup.fields.abstract_bound`): the abstract only
   adds support in ``_positive``, whose verdict only rises with support, and no veto reads it;
   so "distinct" there is "distinct" for the real abstracts. This saves the abstract
   comparison, the evidence strings and the score.

Every step only ever concludes "distinct" (vetoes only lower verdicts, so nothing turns that
into anything else). Whether a distinct pair keeps clusters apart
(:func:`stands_against`) also depends on vetoes when a side has no
title: such pairs are reported as ``unvetted`` (:meth:`Triage.standing_against` compares them
when asked). tests/records/dedup/test_triage.py checks on the labelled sets, the synthetic
generator and random pairs near every rule that triage and :func:`compare` agree, and that the
properties the steps rely on hold (a rule change that breaks one fails there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import compress, product, repeat
from operator import attrgetter, eq, itemgetter

from rapidfuzz.distance import Indel
from rapidfuzz.process import extract

from records.dedup.fields import (
    NEAR_TITLE,
    FieldComparison,
    _page_key,
    abstract_bound,
    abstract_similarity,
    compare_fields,
    fields_with,
    lift_title_similarity,
    title_letters,
    title_lift_candidates,
    title_similarity,
)
from records.dedup.keys import Prepared, Screen
from records.dedup.scoring import (
    MAYBE_TITLE,
    PairDecision,
    compare,
    decide,
    verdict_of,
)
from records.dedup.scoring import two_versions as scoring_two_versions

_TITLE = attrgetter("title")
_VOLUME = attrgetter("volume")
_IDENTIFIERS = (attrgetter("doi"), attrgetter("pmid"), attrgetter("pmcid"))


@dataclass(slots=True)
class Triage:
    """The verdicts on one record against its candidates (indexes into the candidates).

    ``decisions`` holds :func:`compare`'s decision for every candidate that may be anything
    but "distinct" (so "maybe" and "duplicate" pairs are all there). Every other candidate is
    surely "distinct": those in ``unvetted`` lack a title on one side and no veto was checked
    (only a veto would make them stand against joining: call :func:`compare` to know), the rest
    stand against joining the record's cluster with theirs.
    """

    decisions: dict[int, PairDecision]
    unvetted: list[int]

    def standing_against(self, record: Prepared, candidates: Sequence[Prepared]) -> list[int]:
        """The candidates that keep the record out of their cluster (:func:`stands_against`),
        as comparing every pair would find them; the unvetted ones are compared here."""
        unvetted = set(self.unvetted)
        found = []
        for i, other in enumerate(candidates):
            decision = self.decisions.get(i)
            if decision is None and i in unvetted:
                decision = compare(record, other)
            if decision is None or stands_against(record, other, decision):
                found.append(i)
        return found


def stands_against(p1: Prepared, p2: Prepared, decision: PairDecision) -> bool:
    """Whether a pair keeps the clusters holding it apart: a veto always does; "distinct" does
    when both records can be compared at all. A record without a title (a bare DOI or PMID
    waiting for enrichment) is no evidence against anything it is not vetoed from.

    So does a pair left for review that is located in two places (:func:`two_places`): an
    article and its meeting abstract in another journal agree on title, authors and year, so
    the rules leave them to a person; a record without a locator matching both (an ahead-of-
    print record, a citation) must not join them behind that person's back. And so does one
    dated in two venues (:func:`two_versions`): a conference paper and its journal version,
    which a bare citation (no year, no venue) would otherwise chain together."""
    if decision.vetoed:
        return True
    if decision.verdict == "maybe":
        return two_places(p1, p2) or two_versions(p1, p2)
    return decision.verdict == "distinct" and bool(p1.title_tokens) and bool(p2.title_tokens)


def two_places(p1: Prepared, p2: Prepared) -> bool:
    """Two journals and two volumes (and no first page in common): two publications, whatever
    else agrees (a meeting abstract often has no pages)."""
    if not (p1.volume and p2.volume):
        return False
    f = compare_fields(p1, p2)
    return f.container_clash and f.volume is False and f.first_page is not True


def two_versions(p1: Prepared, p2: Prepared) -> bool:
    """:func:`~records.dedup.scoring.two_versions` with the fields compared here (only for two
    dated records that both name a venue: the rest cannot be two versions)."""
    if not (p1.year and p2.year and p1.year != p2.year and p1.containers and p2.containers):
        return False
    return scoring_two_versions(p1, p2, compare_fields(p1, p2))


def triage(record: Prepared, candidates: Sequence[Prepared]) -> Triage:
    """Decide ``compare(record, c)`` for every candidate ``c`` (see the module docstring)."""
    shared, rest = _screen(record, candidates)
    same_place, titles = _could_match(record, candidates, rest)
    possible = shared | same_place | titles.keys()
    decisions: dict[int, PairDecision] = {}
    unvetted: list[int] = []
    titled = bool(record.title_tokens)
    for i in sorted(possible):
        other = candidates[i]
        if not record.title or not other.title:
            decisions[i] = compare(record, other)  # an identifier or the locator in common
            continue
        title = titles[i] if i in titles else title_similarity(record, other)
        assert title is not None  # both titled
        if i in shared or title >= NEAR_TITLE:
            # Likely "maybe" or "duplicate": bounding first would only add work (a cost choice;
            # either way the verdict is compare()'s).
            decisions[i] = decide(record, other, _fields(record, other, title))
            continue
        fields = fields_with(record, other, title, abstract_bound(record, other))
        if verdict_of(record, other, fields)[0] == "distinct":
            if not (titled and other.title_tokens):
                unvetted.append(i)
        else:
            fields = replace(fields, abstract=abstract_similarity(record, other))
            decisions[i] = decide(record, other, fields)
    # The rest fail could_match: "distinct"; without a title on a side only vetoes count.
    for i in rest:
        if i not in possible and not (titled and candidates[i].title_tokens):
            unvetted.append(i)
    return Triage(decisions, sorted(unvetted))


def _fields(record: Prepared, other: Prepared, title: float) -> FieldComparison:
    return fields_with(record, other, title, abstract_similarity(record, other))


def vetoed_apart(record: Prepared, other: Prepared | Screen) -> bool:
    """Whether a veto with ceiling "distinct" applies to the pair whatever else it shares
    (:func:`~records.dedup.vetoes.find_vetoes`). Such a veto's ceiling is "maybe" instead only
    for ``same_text`` pairs (title similarity 1.0, authors agreeing, years at most one apart):

    * "published N years apart": years more than one apart and no identifier in common; such
      a pair is never ``same_text``.
    * "different DOI/PMID/PMCID": an identifier on both sides that differs, and titles that
      cannot be similar 1.0 (:func:`title_similarity` is 1.0 only for the same folded title, the
      same letters with other spaces, or through a parallel title).
    """
    ids = [(identifier(record), identifier(other)) for identifier in _IDENTIFIERS]
    shares_identifier = any(a is not None and a == b for a, b in ids)
    if not shares_identifier and record.year and other.year and abs(record.year - other.year) > 1:
        return True
    if (
        record.title
        and other.title
        and (
            record.title == other.title
            or record.title_variants
            or other.title_variants
            or title_letters(record.title) == title_letters(other.title)
        )
    ):
        return False
    return any(a is not None and b is not None and a != b for a, b in ids)


# What _screen reads of each candidate, in one pass (candidates are scattered in memory: each
# object and string read is a likely cache miss, which is most of the cost at this stage).
_SCREENED = attrgetter("year", "doi", "pmid", "pmcid", "title_variants")


def _screen(
    record: Prepared, candidates: Sequence[Prepared] | Sequence[Screen]
) -> tuple[set[int], list[int]]:
    """The candidates sharing a DOI, PMID or PMCID with the record (``strong_agree``), and the
    indexes of those :func:`vetoed_apart` does not rule out.

    C-level scans: a candidate is kept when its (year, identifiers) are among the few
    combinations that are neither years apart nor conflicting; the exceptions (a shared
    identifier lifts the year veto, a possibly identical title the identifier veto) are then
    decided one by one with :func:`vetoed_apart` itself.
    """
    rows = list(map(_SCREENED, candidates))
    everyone = range(len(rows))
    shared: set[int] = set()
    positions: list[int] = []
    allowed: list[tuple[object, ...]] = []
    if record.year:
        positions.append(0)  # year_gap is None when a year is missing or 0
        allowed.append((record.year - 1, record.year, record.year + 1, None, 0))
    for position, value in ((1, record.doi), (2, record.pmid), (3, record.pmcid)):
        if value is not None:
            column = list(map(itemgetter(position), rows))
            if value in column:
                shared.update(compress(everyone, map(eq, column, repeat(value))))
            positions.append(position)
            allowed.append((None, value))
    if not positions:
        return shared, list(everyone)
    combinations = set(product(*allowed)) if len(positions) > 1 else set(allowed[0])
    keys = map(itemgetter(*positions), rows)
    kept = set(compress(everyone, map(combinations.__contains__, keys)))
    exceptions = shared - kept
    has_identifier = len(positions) > (1 if record.year else 0)
    if record.title and has_identifier and len(kept) < len(rows):
        # A candidate kept apart only by a conflicting identifier is an exception if its title
        # may be similar 1.0 to the record's (the same title, the same letters with other
        # spaces, or parallel titles).
        if record.year:
            near = compress(everyone, map(allowed[0].__contains__, map(itemgetter(0), rows)))
            conflicting = [i for i in near if i not in kept]
        else:
            conflicting = [i for i in everyone if i not in kept]
        if record.title_variants:
            exceptions.update(conflicting)
        else:
            letters = title_letters(record.title)
            exceptions.update(
                i
                for i in conflicting
                if rows[i][4] or title_letters(candidates[i].title) == letters
            )
    for i in exceptions:
        if not vetoed_apart(record, candidates[i]):
            kept.add(i)
    return shared, sorted(kept)


_FEW = 3


def _could_match(
    record: Prepared, candidates: Sequence[Prepared], indexes: list[int]
) -> tuple[set[int], dict[int, float]]:
    """:func:`~records.dedup.scoring.could_match` over the candidates at ``indexes`` (besides a
    shared identifier, found already): those with the same volume and first page, and the
    exact :func:`title_similarity` of those whose titles are at least MAYBE_TITLE similar."""
    subset = [candidates[i] for i in indexes]
    same_place = _same_place(record, candidates, subset, indexes)
    titles: dict[int, float] = {}
    if record.title and len(indexes) <= _FEW:
        # A few candidates: title_similarity itself costs less than setting up the C scans.
        for i in indexes:
            similarity = title_similarity(record, candidates[i])
            if similarity is not None and similarity >= MAYBE_TITLE:
                titles[i] = similarity
    elif record.title:
        title = record.title
        texts = list(map(_TITLE, subset))
        for text, score, k in extract(
            title, texts, scorer=Indel.normalized_similarity, score_cutoff=MAYBE_TITLE, limit=None
        ):
            # title_similarity: 1.0 for the same title, else the plain similarity lifted.
            i = indexes[k]
            titles[i] = (
                1.0 if text == title else lift_title_similarity(record, candidates[i], score)
            )
        # The subtitle and parallel-title rules can lift a pair below the cut-off above it.
        for k in title_lift_candidates(record, subset, texts):
            i = indexes[k]
            if texts[k] and i not in titles:
                similarity = title_similarity(record, candidates[i])
                if similarity is not None and similarity >= MAYBE_TITLE:
                    titles[i] = similarity
        # (A lift only raises the similarity today; the test stays exact if one ever lowers it.)
        titles = {i: s for i, s in titles.items() if s >= MAYBE_TITLE}
    return same_place, titles


def _same_place(
    record: Prepared,
    candidates: Sequence[Prepared] | Sequence[Screen],
    subset: Sequence[Prepared] | Sequence[Screen],
    indexes: list[int],
) -> set[int]:
    """The candidates at ``indexes`` (``subset``: those candidates) with the record's volume and
    first page."""
    same_place: set[int] = set()
    if record.volume and record.first_page:
        page = _page_key(record.first_page)
        same_volume = compress(indexes, map(eq, map(_VOLUME, subset), repeat(record.volume)))
        same_place.update(i for i in same_volume if _page_key(candidates[i].first_page) == page)
    return same_place


def passing(record: Prepared, candidates: Sequence[Screen]) -> list[int]:
    """The indexes (in order) of the candidates, given by their screens
    (:class:`~records.dedup.keys.Screen`), that :func:`triage` may place in its ``decisions`` or
    ``unvetted``: every other candidate is "distinct" and stands against joining, whatever the
    rest of its form holds. Triage decides each pair on its own, so ``triage(record, c)`` is
    ``triage`` of the candidates passing, indexes mapped back (tests/records/dedup/test_triage.py).

    The steps of :func:`triage` before any full comparison, on the few values they read: the
    vetoes of :func:`_screen`; then a candidate passes with a shared identifier, without a
    title on either side, with the same volume and first page, with a title at least
    MAYBE_TITLE similar by the plain measure, or when a title rule may lift its similarity
    (:func:`~records.dedup.fields.title_lift_candidates`): :func:`title_similarity` is the plain
    measure for any other pair. A superset of what triage keeps, so that a full form is read
    only for the few candidates passing."""
    shared, rest = _screen(record, candidates)
    if not record.title_tokens or not record.title:
        return sorted(shared.union(rest))
    kept = shared.union(i for i in rest if not candidates[i].titled)
    subset = [candidates[i] for i in rest]
    kept.update(_same_place(record, candidates, subset, rest))
    title = record.title
    texts = [c.title for c in subset]
    if len(rest) <= _FEW:
        kept.update(
            i
            for i, text in zip(rest, texts, strict=True)
            if Indel.normalized_similarity(title, text) >= MAYBE_TITLE
        )
    else:
        kept.update(
            rest[k]
            for _, _, k in extract(
                title,
                texts,
                scorer=Indel.normalized_similarity,
                score_cutoff=MAYBE_TITLE,
                limit=None,
            )
        )
    kept.update(rest[k] for k in title_lift_candidates(record, subset, texts))
    return sorted(kept)
