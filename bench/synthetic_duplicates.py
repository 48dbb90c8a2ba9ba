"""A synthetic library with known duplicates, for scale tests and benchmarks (deterministic by seed).

Works are invented (pronounceable random words, so titles do not collide by accident); some get
extra source records written the way another database would write them: title case changed,
accents dropped, HTML or a trailing period added, Greek letters spelled out, journal abbreviated
ISO 4 style, given names cut to initials, DOI or pages missing, page ranges abbreviated, the year
off by one. Hard negatives are added too: the erratum of a work, part 2 of a two-part paper, and
another article on the next pages of the same issue with a similar title and the same authors.

``generate(n, seed)`` returns about ``n`` records and the true clusters.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from records.model import CSLItem

_SYLLABLES = (
    "ka lo mi ne ra to su vi be da fe gu ho ja ki lu ma no pe ri sa te ul ve wo xa yo ze "
    "bri cla dro fle gra kni plo sta tre vla schu ber gen mann son sen ova ska ing"
).split()
_WORDS = (
    "analysis effect treatment patients study randomized trial outcomes model network "
    "learning therapy risk factors cohort clinical evidence review response children adults "
    "disease infection survival cancer lung pleural chronic acute management comparison "
    "platform labor digital economy workers evaluation method systems data theory"
).split()
_ACCENTED = {"a": "á", "e": "é", "o": "ö", "u": "ü", "n": "ñ", "i": "í"}
_GREEK = [("α", "alpha"), ("β", "beta"), ("γ", "gamma"), ("κ", "kappa")]
_JOURNAL_WORDS = [
    ("Journal", "J"),
    ("International", "Int"),
    ("Clinical", "Clin"),
    ("Research", "Res"),
    ("Medicine", "Med"),
    ("Science", "Sci"),
    ("Surgery", "Surg"),
    ("Review", "Rev"),
    ("Information", "Inf"),
    ("Systems", "Syst"),
    ("European", "Eur"),
    ("American", "Am"),
    ("Annals", "Ann"),
    ("Respiratory", "Respir"),
    ("Pathology", "Pathol"),
    ("Management", "Manag"),
]


@dataclass
class SyntheticLibrary:
    records: list[tuple[str, CSLItem]] = field(default_factory=list)
    clusters: list[list[str]] = field(default_factory=list)  # true clusters of two or more


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _accented(rng: random.Random, word: str) -> str:
    return "".join(_ACCENTED[c] if c in _ACCENTED and rng.random() < 0.3 else c for c in word)


def _journals(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(full name, ISO 4 abbreviation, ISSN-ish prefix) triples."""
    journals = []
    for _ in range(count):
        words = rng.sample(_JOURNAL_WORDS, rng.randint(2, 4))
        topic = _word(rng).capitalize()
        full = " ".join(w for w, _ in words[:1]) + " of " + " ".join(w for w, _ in words[1:])
        full += f" {topic}"
        abbreviation = " ".join(a for _, a in words) + f" {topic[:4]}"
        journals.append((full, abbreviation, topic))
    return journals


def _work(rng: random.Random, journals: list[tuple[str, str, str]], number: int) -> CSLItem:
    words = [
        rng.choice(_WORDS) if rng.random() < 0.4 else _word(rng) for _ in range(rng.randint(5, 12))
    ]
    if rng.random() < 0.1:
        symbol, _name = rng.choice(_GREEK)
        words.insert(rng.randint(0, len(words)), f"TNF-{symbol}")
    title = " ".join(words).capitalize()
    if rng.random() < 0.3:
        title += ": " + " ".join(_word(rng) for _ in range(rng.randint(2, 5)))
    authors = [
        {"family": _accented(rng, _word(rng)).capitalize(), "given": _word(rng).capitalize()}
        for _ in range(rng.randint(1, 6))
    ]
    journal = rng.choice(journals)
    start = rng.randint(1, 2400)
    item: CSLItem = {
        "type": "article-journal",
        "title": title,
        "author": authors,
        "issued": {"date-parts": [[rng.randint(1980, 2025)]]},
        "container-title": journal[0],
        "volume": str(rng.randint(1, 120)),
        "issue": str(rng.randint(1, 12)),
        "page": f"{start}-{start + rng.randint(1, 25)}",
    }
    if rng.random() < 0.8:
        item["DOI"] = f"10.{rng.randint(1000, 9999)}/syn.{number}"
    if rng.random() < 0.3:
        item["PMID"] = str(10_000_000 + number)
    return item


def _variant(rng: random.Random, item: CSLItem, journals: dict[str, str]) -> CSLItem:
    """The same work as another database writes it."""
    v: CSLItem = {k: (list(val) if isinstance(val, list) else val) for k, val in item.items()}
    title = v["title"]
    roll = rng.random()
    if roll < 0.2:
        title = title.upper()
    elif roll < 0.4:
        title = title.lower()
    elif roll < 0.5:
        title = f"<i>{title}</i>"
    if rng.random() < 0.3:
        title += "."
    for symbol, name in _GREEK:
        if symbol in title and rng.random() < 0.7:
            title = title.replace(symbol, name)
    if rng.random() < 0.3:
        title = title.replace("á", "a").replace("é", "e").replace("ö", "o").replace("ü", "u")
    if rng.random() < 0.1:
        # One typing error: a letter dropped from a word of four letters or more.
        words = title.split(" ")
        long_words = [i for i, w in enumerate(words) if len(w) >= 4]
        if long_words:
            i = rng.choice(long_words)
            cut = rng.randrange(1, len(words[i]) - 1)
            words[i] = words[i][:cut] + words[i][cut + 1 :]
            title = " ".join(words)
    v["title"] = title
    if rng.random() < 0.5:
        v["container-title"] = journals[item["container-title"]]
    if rng.random() < 0.5:
        v["author"] = [
            {"family": a["family"], "given": a["given"][0] + "."} for a in item["author"]
        ]
    if rng.random() < 0.2:
        v["author"] = [
            {
                "family": a["family"].replace("ö", "o").replace("é", "e").replace("á", "a"),
                **({"given": a["given"]} if "given" in a else {}),
            }
            for a in v["author"]
        ]
    if rng.random() < 0.1 and len(v["author"]) > 3:
        v["author"] = v["author"][:3]  # "et al." after three names
    if rng.random() < 0.5:
        v.pop("DOI", None)
    if rng.random() < 0.3:
        v.pop("PMID", None)
    first, last = v["page"].split("-")
    roll = rng.random()
    if roll < 0.3 and len(last) == len(first) and len(first) > 1:
        common = 0
        while common < len(first) - 1 and first[common] == last[common]:
            common += 1
        v["page"] = f"{first}-{last[common:]}"
    elif roll < 0.4:
        v["page"] = f"pp. {first}–{last}"
    elif roll < 0.5:
        v.pop("page")
    if rng.random() < 0.1:
        v["issued"] = {"date-parts": [[item["issued"]["date-parts"][0][0] + 1]]}
    if rng.random() < 0.2:
        v.pop("issue", None)
    return v


def _hard_negative(rng: random.Random, item: CSLItem, number: int) -> CSLItem:
    """A different work that looks like ``item``."""
    v: CSLItem = {k: (list(val) if isinstance(val, list) else val) for k, val in item.items()}
    v.pop("DOI", None)
    v.pop("PMID", None)
    kind = rng.random()
    first, last = (int(p) for p in item["page"].split("-"))
    if kind < 0.33:
        v["title"] = f"Erratum: {item['title']}"
        v["page"] = str(last + 1)
    elif kind < 0.66:
        v["title"] = f"{item['title']}. Part 2"
        v["page"] = f"{last + 1}-{last + 1 + (last - first)}"
    else:
        words = item["title"].split()
        words[-1] = _word(rng)
        v["title"] = " ".join(words)
        v["page"] = f"{last + 1}-{last + 9}"
    if rng.random() < 0.5:
        v["DOI"] = f"10.{rng.randint(1000, 9999)}/neg.{number}"
    return v


def generate(
    n: int, seed: int = 0, duplicate_rate: float = 0.25, negative_rate: float = 0.03
) -> SyntheticLibrary:
    """About ``n`` records: works, their duplicate source records and hard negatives."""
    rng = random.Random(seed)
    journal_list = _journals(rng, max(20, n // 200))
    abbreviations = {full: abbreviation for full, abbreviation, _ in journal_list}
    library = SyntheticLibrary()
    number = 0
    while len(library.records) < n:
        number += 1
        item = _work(rng, journal_list, number)
        ids = [f"w{number}"]
        library.records.append((ids[0], item))
        if rng.random() < duplicate_rate:
            for copy in range(rng.randint(1, 3)):
                rid = f"w{number}d{copy + 1}"
                library.records.append((rid, _variant(rng, item, abbreviations)))
                ids.append(rid)
        if len(ids) > 1:
            library.clusters.append(ids)
        if rng.random() < negative_rate:
            library.records.append((f"w{number}n", _hard_negative(rng, item, number)))
    library.records = library.records[:n]
    kept = {rid for rid, _ in library.records}
    library.clusters = [
        [rid for rid in cluster if rid in kept]
        for cluster in library.clusters
        if sum(rid in kept for rid in cluster) > 1
    ]
    return library
