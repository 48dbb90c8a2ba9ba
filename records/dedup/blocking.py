"""Blocking: the plain-string keys under which two records may be compared at all.

Comparing all pairs is quadratic (5·10⁹ pairs for 100k records); comparing only records that
share a key is about linear. Several independent keys are emitted per record so that a
near-duplicate is still found when one field is broken: a typo in the first title word still
leaves the title-end, author+year and volume+page keys, a missing DOI still leaves the title keys.

The keys are plain strings so the store can keep them in an indexed SQLite table and fetch the
candidates of a new record in batches. A key shared by more than ``max_block`` records (a generic
title such as "Editorial", a prolific author-year) identifies nothing; callers skip such blocks
and report them (:func:`candidate_pairs`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from records.dedup.keys import TITLE_STOPWORDS, Prepared, container_acronym

MAX_BLOCK = 300
TITLE_KEY_TOKENS = 4
# The title's first letters with the spaces dropped: scraped and OCR'd citations fuse words
# ("the casefor enhanced abstract datatypes", "decisiontree"), which breaks every word key.
# Eighteen letters are about three words: shorter prefixes ("randomizedphas") make big blocks.
TITLE_LETTERS = 18
# The title's last letters, spaces dropped: longer than the first ones because title endings
# repeat more than beginnings ("... in large databases", "... randomized controlled trial").
TITLE_END_LETTERS = 30
# Title words of at least this length paired with the first author (see blocking_keys).
AUTHOR_WORD_MIN = 4


def _significant(p: Prepared) -> list[str]:
    return [t for t in p.title_tokens if t not in TITLE_STOPWORDS]


def blocking_keys(p: Prepared) -> set[str]:
    """The blocking keys of one prepared record (see the module docstring)."""
    keys: set[str] = set()
    if p.doi:
        keys.add(f"doi:{p.doi}")
    if p.pmid:
        keys.add(f"pmid:{p.pmid}")
    if p.pmcid:
        keys.add(f"pmcid:{p.pmcid}")
    words = _significant(p)
    if words:
        keys.add("t:" + " ".join(words[:TITLE_KEY_TOKENS]))
        if len(words) > TITLE_KEY_TOKENS:
            keys.add("te:" + " ".join(words[-TITLE_KEY_TOKENS:]))
        if len(words) >= 3:
            # The three longest words, sorted: survives reordering and typos in short words.
            longest = sorted(sorted(set(words), key=lambda w: (-len(w), w))[:3])
            keys.add("tw:" + " ".join(longest))
    letters = "".join(filter(str.isalpha, p.title))
    if len(letters) >= TITLE_LETTERS:
        keys.add("tl:" + letters[:TITLE_LETTERS])
    if len(letters) > TITLE_END_LETTERS:
        # The same at the end: names or a date run into the start of a title whose words
        # were fused ("andj . widom . viewmaintenanceina warehousingenvironment").
        keys.add("tk:" + letters[-TITLE_END_LETTERS:])
    if p.title_lead:
        # Names run into the start of the title before a full stop ("alon levy . a scalable
        # algorithm ..."): the first-words keys of the title after them, which its record holds.
        rest = [t for t in p.title_tokens[p.title_lead :] if t not in TITLE_STOPWORDS]
        if len(rest) >= 3:
            keys.add("t:" + " ".join(rest[:TITLE_KEY_TOKENS]))
        rest_letters = "".join(filter(str.isalpha, "".join(p.title_tokens[p.title_lead :])))
        if len(rest_letters) >= TITLE_LETTERS:
            keys.add("tl:" + rest_letters[:TITLE_LETTERS])
    first_author = p.authors[0][0] if p.authors else None
    if first_author:
        if p.year or p.title_year:
            keys.add(f"ay:{first_author}|{p.year or p.title_year}")
        if words:
            keys.add(f"at:{first_author}|{' '.join(words[:2])}")
            # The first author with each of the two longest title words: a title whose start
            # and end are both broken (author names or a date run into its start, its end cut
            # off, as in citations scraped from the web), undated, still meets its record.
            long_words = {w for w in words if len(w) >= AUTHOR_WORD_MIN and w.isalpha()}
            for word in sorted(long_words, key=lambda w: (-len(w), w))[:2]:
                keys.add(f"aw:{first_author}|{word}")
    if p.volume and p.first_page:
        acronym = container_acronym(p)
        if acronym:
            keys.add(f"vp:{acronym}|{p.volume}|{p.first_page}")
        if p.year:
            keys.add(f"vpy:{p.year}|{p.volume}|{p.first_page}")
    return keys


@dataclass
class Candidates:
    """Candidate pairs (indexes into the input, ``i < j``) and what blocking skipped."""

    pairs: set[tuple[int, int]] = field(default_factory=set)
    oversized: dict[str, int] = field(default_factory=dict)  # key -> block size, skipped


def _blocks(keys_per_record: Iterable[Iterable[str]]) -> tuple[dict[str, list[int]], int]:
    """Key -> the indexes of the records holding it, ascending; and the number of records."""
    blocks: dict[str, list[int]] = defaultdict(list)
    count = 0
    for index, keys in enumerate(keys_per_record):
        count = index + 1
        for key in keys:
            blocks[key].append(index)
    return blocks, count


def candidate_pairs(
    keys_per_record: Iterable[Iterable[str]], *, max_block: int = MAX_BLOCK
) -> Candidates:
    """Every pair of records that share a key whose block is at most ``max_block`` large."""
    return pairs_from_blocks(_blocks(keys_per_record)[0], max_block=max_block)


_NONE: frozenset[int] = frozenset()


@dataclass
class Neighbours:
    """The candidate pairs of :func:`candidate_pairs` grouped by their first record: ``later[i]``
    holds every ``j > i`` paired with ``i`` (so each pair appears once), for comparing one
    record with all its candidates in one batch. Records without later candidates share one
    empty set."""

    later: list[AbstractSet[int]]
    oversized: dict[str, int] = field(default_factory=dict)  # key -> block size, skipped

    @property
    def pair_count(self) -> int:
        return sum(map(len, self.later))


def candidate_neighbours(
    keys_per_record: Iterable[Iterable[str]], *, max_block: int = MAX_BLOCK
) -> Neighbours:
    """:func:`candidate_pairs` as :class:`Neighbours`, built from slices of the blocks (no
    tuple per pair, no per-record key lists kept)."""
    blocks, count = _blocks(keys_per_record)
    result = Neighbours([_NONE] * count)
    later = result.later
    for key, members in blocks.items():
        if len(members) > max_block:
            result.oversized[key] = len(members)
            continue
        # Block lists are ascending: the members after a record's place are its later ones.
        for place in range(len(members) - 1):
            record = members[place]
            found = later[record]
            if found is _NONE:
                later[record] = set(members[place + 1 :])
            else:
                found.update(members[place + 1 :])  # type: ignore[attr-defined]
    return result


def pairs_from_blocks(blocks: Mapping[str, list[int]], *, max_block: int = MAX_BLOCK) -> Candidates:
    result = Candidates()
    pairs = result.pairs
    for key, members in blocks.items():
        size = len(members)
        if size < 2:
            continue
        if size > max_block:
            result.oversized[key] = size
            continue
        for a in range(size):
            first = members[a]
            for b in range(a + 1, size):
                second = members[b]
                pairs.add((first, second) if first < second else (second, first))
    return result
