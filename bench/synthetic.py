"""Synthetic libraries, deterministic by seed, for benchmarks and tests: one module, one entry
point (:func:`generate`), two styles of duplicates (``realistic``, ``hard``).

The realistic library:

:func:`iter_library` yields CSL items one at a time (so a million records never sit in memory
at once), each with the index of the work it belongs to: the ground truth of which records are
the same work. Every record is computed from ``(seed, index)`` alone -- a duplicate regenerates
its original from the original's index -- so any slice of the library can be produced without
the rest, and the same seed always gives byte-identical files.

Content: journal articles, book chapters and books; titles with Unicode and LaTeX specials
(umlauts, Greek letters, ``&``, ``%``, braces); 1-30 authors with diacritics and particles;
journals with ISO-4-style abbreviations and valid print/electronic ISSNs; volumes, issues, page
ranges and article numbers; DOIs, PMIDs and ISBNs with valid check digits; abstracts of
150-300 words. A controlled share of records are duplicates of an earlier work with the
variation real exports show: case and accents, abbreviated journal, initials for given names,
missing DOI, another page format, a one-year shift, the title in the other language.

Writers render items as BibTeX (every other entry with LaTeX accent macros, as old files have
them), RIS, MEDLINE/nbib, CSL-JSON and VuFind catalog-page text. They are written here rather
than through :mod:`records.exporters` on purpose: benchmark inputs must not depend on the code
they measure, and they imitate what other tools write (RIS ``SP``/``EP``, MEDLINE's wrapped
lines), not what harvester writes.

The hard library (``generate(n, seed, duplicates="hard")``, the dedup tests' and
``scripts/dedup-scale``'s) invents works from random words and adds near misses (errata, part
2, the next article of an issue): see its section below.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from records.identifiers import issn_check_digit
from records.model import CSLItem

# -- vocabulary -------------------------------------------------------------------------------

# (English, German) pairs so that a duplicate can carry the title in the other language.
_TOPICS = [
    ("liver metastases", "Lebermetastasen"),
    ("neuroendocrine tumours", "neuroendokrine Tumoren"),
    ("heat stress", "Hitzestress"),
    ("soil microbiota", "Bodenmikrobiota"),
    ("perovskite solar cells", "Perowskit-Solarzellen"),
    ("Fe₂O₃ nanoparticles", "Fe₂O₃-Nanopartikel"),
    ("TGF-β signalling", "TGF-β-Signalwege"),
    ("α-synuclein aggregation", "α-Synuclein-Aggregation"),
    ("the κ-opioid receptor", "den κ-Opioidrezeptor"),
    ("groundwater recharge", "Grundwasserneubildung"),
    ("Müller glia", "Müller-Glia"),
    ("urban heat islands", "städtische Wärmeinseln"),
    ("language acquisition", "Spracherwerb"),
    ("protein folding", "Proteinfaltung"),
    ("mRNA vaccines", "mRNA-Impfstoffe"),
    ("DNA methylation", "DNA-Methylierung"),
    ("coral reefs", "Korallenriffe"),
    ("Alpine glaciers", "Alpengletscher"),
    ("sleep quality", "Schlafqualität"),
    ("pain & fatigue", "Schmerz & Erschöpfung"),
    ("{0, 1}-valued networks", "{0, 1}-wertige Netzwerke"),
    ("Bose–Einstein condensates", "Bose-Einstein-Kondensate"),
    ("Größenordnung effects", "Größenordnungseffekte"),
    ("rural hospitals", "ländliche Krankenhäuser"),
    ("machine translation", "maschinelle Übersetzung"),
]
# Generated topics ("adjective noun", both languages) make titles as diverse as real ones, so
# that blocking keys see realistic block sizes; the fixed topics above carry the hard characters.
_ADJECTIVES = [
    ("chronic", "chronische"), ("acute", "akute"), ("early", "frühe"), ("late", "späte"),
    ("regional", "regionale"), ("global", "globale"), ("dynamic", "dynamische"),
    ("spatial", "räumliche"), ("temporal", "zeitliche"), ("adaptive", "adaptive"),
    ("structural", "strukturelle"), ("functional", "funktionelle"), ("genetic", "genetische"),
    ("social", "soziale"), ("economic", "ökonomische"), ("thermal", "thermische"),
    ("optical", "optische"), ("magnetic", "magnetische"), ("cognitive", "kognitive"),
    ("metabolic", "metabolische"), ("immune", "Immun-"), ("renal", "renale"),
    ("hepatic", "hepatische"), ("cardiac", "kardiale"), ("seasonal", "saisonale"),
    ("marine", "marine"), ("alpine", "alpine"), ("urban", "urbane"), ("digital", "digitale"),
    ("statistical", "statistische"), ("bayesian", "bayessche"), ("nonlinear", "nichtlineare"),
    ("stochastic", "stochastische"), ("quantum", "Quanten-"), ("molecular", "molekulare"),
    ("surgical", "chirurgische"), ("pediatric", "pädiatrische"), ("geriatric", "geriatrische"),
    ("resistant", "resistente"), ("invasive", "invasive"),
]  # fmt: skip
_NOUNS = [
    ("inflammation", "Entzündung"), ("fibrosis", "Fibrose"), ("transport", "Transport"),
    ("signalling", "Signalübertragung"), ("memory", "Gedächtnis"), ("erosion", "Erosion"),
    ("migration", "Migration"), ("imaging", "Bildgebung"), ("screening", "Screening"),
    ("resilience", "Resilienz"), ("diffusion", "Diffusion"), ("turbulence", "Turbulenz"),
    ("feedback", "Rückkopplung"), ("variability", "Variabilität"), ("mortality", "Mortalität"),
    ("adherence", "Adhärenz"), ("dispersal", "Ausbreitung"), ("stability", "Stabilität"),
    ("degradation", "Abbau"), ("regulation", "Regulation"), ("catalysis", "Katalyse"),
    ("attention", "Aufmerksamkeit"), ("perception", "Wahrnehmung"), ("policy", "Politik"),
    ("inequality", "Ungleichheit"), ("drought", "Dürre"), ("rainfall", "Niederschlag"),
    ("biodiversity", "Biodiversität"), ("photosynthesis", "Photosynthese"),
    ("calibration", "Kalibrierung"), ("segmentation", "Segmentierung"),
    ("prediction", "Vorhersage"), ("clustering", "Clusterbildung"), ("hypoxia", "Hypoxie"),
    ("angiogenesis", "Angiogenese"), ("apoptosis", "Apoptose"), ("dementia", "Demenz"),
    ("obesity", "Adipositas"), ("sepsis", "Sepsis"), ("anaemia", "Anämie"),
    ("corrosion", "Korrosion"), ("friction", "Reibung"), ("conductivity", "Leitfähigkeit"),
    ("permeability", "Permeabilität"), ("nitrogen uptake", "Stickstoffaufnahme"),
    ("carbon storage", "Kohlenstoffspeicherung"), ("gene flow", "Genfluss"),
    ("wound healing", "Wundheilung"), ("bone density", "Knochendichte"),
    ("blood pressure", "Blutdruck"),
]  # fmt: skip
_SETTINGS = [
    ("in older adults", "bei älteren Erwachsenen"),
    ("in children", "bei Kindern"),
    ("in mice", "bei Mäusen"),
    ("in Central Europe", "in Mitteleuropa"),
    ("under climate change", "im Klimawandel"),
    ("after 40% dose reduction", "nach 40% Dosisreduktion"),
    ("in a randomized trial", "in einer randomisierten Studie"),
    ("at low temperature", "bei niedriger Temperatur"),
]
_PLACES = [
    ("", ""), ("in Bavaria", "in Bayern"), ("in Scandinavia", "in Skandinavien"),
    ("in Brazil", "in Brasilien"), ("in Japan", "in Japan"), ("in Kenya", "in Kenia"),
    ("in the Alps", "in den Alpen"), ("in Québec", "in Québec"), ("in Poland", "in Polen"),
    ("in coastal Chile", "im Küstengebiet Chiles"), ("in the Sahel", "im Sahel"),
    ("in Vietnam", "in Vietnam"), ("in Iceland", "in Island"), ("in Ontario", "in Ontario"),
]  # fmt: skip
_TEMPLATES = [
    ("Effects of {a} on {b} {s}", "Wirkung von {a} auf {b} {s}"),
    ("A systematic review of {a} and {b}", "Eine systematische Übersicht zu {a} und {b}"),
    ("The role of {a} in {b}", "Die Rolle von {a} bei {b}"),
    ("Long-term outcomes of {a} {s}", "Langzeitergebnisse von {a} {s}"),
    ("A cohort study of {a} versus {b} {s}", "Eine Kohortenstudie zu {a} versus {b} {s}"),
    ("Modelling {a} with {b}", "Modellierung von {a} mit {b}"),
]
_FAMILIES = [
    "Müller", "Schön", "Nováková", "Dvořák", "García Márquez", "Øster", "Łukasiewicz", "O'Brien",
    "Smith", "Nguyễn", "Kowalski", "Ibáñez", "Jørgensen", "Çelik", "Häkkinen", "Radosa",
    "Hoffmann", "Nebelung", "Šimić", "Zhang", "Andersson", "Papadopoulos", "Fernández", "Lévesque",
    "Brontë", "Weiß", "Kuznetsov", "Sato", "Mbeki", "Okafor", "Rossi", "MacDonald",
]  # fmt: skip
# Generated families (onset + ending) give a realistic spread of names for author-year blocks.
_ONSETS = ["Ba", "Bé", "Ch", "Dö", "Fa", "Gr", "Há", "Ja", "Kö", "Lu", "Ma", "Ne", "Ol", "Pa",
           "Ré", "Sa", "Šk", "Ta", "Ur", "Va", "We", "Zá", "Kr", "St", "Mo", "Li", "Br", "Ca"]  # fmt: skip
_ENDINGS = ["rtmann", "ckel", "nović", "lsson", "rová", "ttinen", "lenko", "rquez", "rdieu",
            "mberg", "ssler", "gawa", "ndez", "rski", "lhaes", "ttoni", "nsen", "rcía", "hler",
            "wski", "ndré", "ukas", "ppel", "rten", "bauer", "ndrić", "lais", "rtiz", "nder",
            "llard", "ström", "ršek"]  # fmt: skip
_PARTICLES = ["van", "van der", "de", "von", "di", "da", "de la", "ter", "du", "le"]
_PARTICLE_FAMILIES = ["Berg", "Mestier", "Leyen", "Rossi", "Silva", "Fuente", "Horst", "Pont"]
_GIVENS = [
    "Jürgen", "François", "Zoë", "Søren", "José María", "Anaïs", "Łucja", "Chloé", "Björn",
    "Hans-Peter", "Mary Ann", "Ömer", "Dagný", "Renée", "Tomáš", "Ingrid", "Wei", "Ana",
    "Carl G.", "Élodie", "Nils", "Ruth", "Yusuf", "Kateřina", "Jean-Luc", "Åsa",
]  # fmt: skip
_SUFFIXES = ["Jr.", "III"]
_FIELDS = [
    "Radiology", "Oncology", "Ecology", "Materials Science", "Neuroscience", "Hydrology",
    "Linguistics", "Clinical Chemistry", "Physics", "Public Health", "Microbiology", "Sleep",
    "Glaciology", "Computational Biology", "Cardiology", "Soil Science", "Pain Research",
]  # fmt: skip
_JOURNAL_PATTERNS = [
    ("Journal of {f}", "J {f}"),
    ("International Journal of {f}", "Int J {f}"),
    ("Annals of {f} & {g}", "Ann {f} {g}"),
    ("{f} Research", "{f} Res"),
    ("Clinical {f} Reviews", "Clin {f} Rev"),
    ("Zeitschrift für {f}", "Z {f}"),
    ("Advances in {f}", "Adv {f}"),
    ("European Journal of {f} and {g}", "Eur J {f} {g}"),
]
_ABBREVIATIONS = {
    "Radiology": "Radiol", "Oncology": "Oncol", "Ecology": "Ecol", "Materials": "Mater",
    "Science": "Sci", "Neuroscience": "Neurosci", "Hydrology": "Hydrol", "Linguistics": "Linguist",
    "Clinical": "Clin", "Chemistry": "Chem", "Physics": "Phys", "Public": "Public",
    "Health": "Health", "Microbiology": "Microbiol", "Sleep": "Sleep", "Glaciology": "Glaciol",
    "Computational": "Comput", "Biology": "Biol", "Cardiology": "Cardiol", "Soil": "Soil",
    "Pain": "Pain", "Research": "Res",
}  # fmt: skip
_PUBLISHERS = [
    ("Springer Nature", "Heidelberg"),
    ("Elsevier", "Amsterdam"),
    ("Wiley-Blackwell", "Hoboken, NJ"),
    ("Thieme", "Stuttgart"),
    ("Presses universitaires de France", "Paris"),
    ("Oxford University Press", "Oxford"),
]
_WORDS = (
    "the of and in to a with was for were we that patients study results by on as is from "
    "analysis data at compared group groups higher lower significant treatment model effect "
    "effects increased reduced associated between after during method methods measured observed "
    "sample samples response responses rate rates years age clinical cohort baseline mean median "
    "temperature structure surface layer growth expression gene cells tissue risk outcome "
    "outcomes survival follow-up controlled randomized review evidence using based these our "
    "über Größe Schätzung naïve café rôle coöperation façade déjà"
).split()
_ABSTRACT_EXTRAS = ["≈ 12%", "α = 0.05", "R&D", "p < 0.01", "{sic}", "β-cells", "37 °C"]
_LANGS = [("en", 0.85), ("de", 0.1), ("fr", 0.05)]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

N_JOURNALS = 400


# -- identifiers with valid check digits ------------------------------------------------------


def make_issn(rng: random.Random) -> str:
    first7 = f"{rng.randrange(10**7):07d}"
    return f"{first7[:4]}-{first7[4:]}{issn_check_digit(first7)}"


def make_isbn13(rng: random.Random) -> str:
    body = "978" + f"{rng.randrange(10**9):09d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


# -- journals and works -----------------------------------------------------------------------


def _abbreviate(name: str) -> str:
    return " ".join(_ABBREVIATIONS.get(w, w) for w in name.split())


@cache
def journal(seed: int, index: int) -> dict[str, str]:
    """Journal ``index`` of the seed's journal list: full and abbreviated title, two ISSNs
    (cached: a seed has N_JOURNALS of them; callers only read the dict)."""
    rng = random.Random(f"{seed}:journal:{index}")
    full, short = rng.choice(_JOURNAL_PATTERNS)
    f, g = rng.sample(_FIELDS, 2)
    publisher, place = rng.choice(_PUBLISHERS)
    return {
        "title": full.format(f=f, g=g),
        "short": short.format(f=_abbreviate(f), g=_abbreviate(g)),
        "issn_print": make_issn(rng),
        "issn_electronic": make_issn(rng),
        "publisher": publisher,
        "place": place,
        "doi_prefix": f"10.{rng.randrange(1000, 99999)}",
    }


def _person(rng: random.Random) -> dict[str, str]:
    if rng.random() < 0.15:
        family = f"{rng.choice(_PARTICLES)} {rng.choice(_PARTICLE_FAMILIES)}"
    elif rng.random() < 0.25:
        family = rng.choice(_FAMILIES)
    else:
        family = rng.choice(_ONSETS) + rng.choice(_ENDINGS)
    name = {"family": family, "given": rng.choice(_GIVENS)}
    if rng.random() < 0.02:
        name["suffix"] = rng.choice(_SUFFIXES)
    return name


def _n_authors(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.1:
        return 1
    if roll < 0.9:
        return rng.randint(2, 8)
    return rng.randint(9, 30)


def _topic(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.2:
        return rng.choice(_TOPICS)
    (ea, da), (en, dn) = rng.choice(_ADJECTIVES), rng.choice(_NOUNS)
    return f"{ea} {en}", f"{da}{'' if da.endswith('-') else ' '}{dn}"


def _titles(rng: random.Random) -> tuple[str, str]:
    """(English, German) title of one work."""
    (en_t, de_t), (ea, da), (eb, db), (es, ds) = (
        rng.choice(_TEMPLATES),
        _topic(rng),
        _topic(rng),
        rng.choice(_SETTINGS),
    )
    ep, dp = rng.choice(_PLACES)
    if ep:
        es, ds = f"{es} {ep}", f"{ds} {dp}"
    en = en_t.format(a=ea, b=eb, s=es, A=ea[:1].upper() + ea[1:])
    de = de_t.format(a=da, b=db, s=ds, A=da[:1].upper() + da[1:])
    return en, de


def _abstract(rng: random.Random) -> str:
    n = rng.randint(150, 300)
    words = rng.choices(_WORDS, k=n)
    for _ in range(rng.randint(1, 3)):
        words[rng.randrange(n)] = rng.choice(_ABSTRACT_EXTRAS)
    sentences: list[str] = []
    i = 0
    while i < n:
        length = rng.randint(12, 28)
        chunk = words[i : i + length]
        sentences.append(chunk[0][:1].upper() + " ".join(chunk)[1:] + ".")
        i += length
    return " ".join(sentences)


def _pages(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return f"e{rng.randrange(1000, 99999)}"  # article number
    first = rng.randrange(1, 2500)
    return f"{first}-{first + rng.randint(2, 24)}"


def original(seed: int, work: int) -> CSLItem:
    """The canonical CSL item of work ``work`` (what the first record of the work holds)."""
    rng = random.Random(f"{seed}:work:{work}")
    roll = rng.random()
    kind = "article-journal" if roll < 0.8 else "chapter" if roll < 0.92 else "book"
    en, de = _titles(rng)
    lang = rng.choices([code for code, _ in _LANGS], [w for _, w in _LANGS])[0]
    year = rng.randint(1975, 2025)
    item: CSLItem = {
        "type": kind,
        "title": de if lang == "de" else en,
        "author": [_person(rng) for _ in range(_n_authors(rng))],
        "issued": {"date-parts": [[year, rng.randint(1, 12)]]},
        "language": lang,
        "abstract": _abstract(rng),
    }
    if kind == "article-journal":
        j = journal(seed, rng.randrange(N_JOURNALS))
        item.update(
            {
                "container-title": j["title"],
                "container-title-short": j["short"],
                "volume": str(rng.randint(1, 180)),
                "issue": str(rng.randint(1, 12)),
                "page": _pages(rng),
                "ISSN": f"{j['issn_print']}, {j['issn_electronic']}",
                "DOI": f"{j['doi_prefix']}/s{year}-{rng.randrange(10**6):06d}",
                "publisher": j["publisher"],
            }
        )
        if rng.random() < 0.6:
            item["PMID"] = str(rng.randrange(1_000_000, 40_000_000))
    else:
        publisher, place = rng.choice(_PUBLISHERS)
        item.update({"publisher": publisher, "publisher-place": place, "ISBN": make_isbn13(rng)})
        if rng.random() < 0.7:
            item["DOI"] = f"10.1007/978-{rng.randrange(10**6):06d}"
        if kind == "chapter":
            book_en, _ = _titles(rng)
            item["container-title"] = "Handbook of " + book_en[:1].lower() + book_en[1:]
            item["editor"] = [_person(rng) for _ in range(rng.randint(1, 3))]
            item["page"] = _pages(rng) if rng.random() < 0.8 else f"{rng.randint(1, 400)}-420"
            if item["page"].startswith("e"):
                item["page"] = f"{rng.randint(1, 300)}-{rng.randint(301, 480)}"
        else:
            item["number-of-pages"] = str(rng.randint(90, 900))
    item["_title_other"] = en if lang == "de" else de  # popped before it leaves this module
    return item


# -- duplicates -------------------------------------------------------------------------------


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _initials(given: str) -> str:
    return " ".join(part[0] + "." for part in given.replace("-", " ").split() if part)


def _vary(item: CSLItem, rng: random.Random) -> list[str]:
    """Change ``item`` (a copy of an original) the way another source would; returns the names
    of the variations applied (at least one)."""
    applied: list[str] = []
    options = ["case", "accents", "journal", "initials", "no-doi", "pages", "year", "translated"]
    while not applied:
        for name in options:
            if rng.random() >= 0.3:
                continue
            if name == "case":
                item["title"] = (
                    item["title"].upper() if rng.random() < 0.3 else item["title"].lower()
                )
            elif name == "accents":
                item["title"] = _strip_accents(item["title"])
                item["author"] = [
                    {k: _strip_accents(v) for k, v in a.items()} for a in item["author"]
                ]
            elif name == "journal":
                if "container-title-short" not in item:
                    continue
                item["container-title"] = item["container-title-short"]
            elif name == "initials":
                item["author"] = [a | {"given": _initials(a["given"])} for a in item["author"]]
            elif name == "no-doi":
                if "DOI" not in item:
                    continue
                del item["DOI"]
            elif name == "pages":
                page = item.get("page", "")
                if "-" not in page:
                    continue
                first, last = page.split("-")
                common = 0
                while common < len(first) - 1 and first[common] == last[common]:
                    common += 1
                item["page"] = f"{first}-{last[common:]}" if len(first) == len(last) else first
            elif name == "year":
                parts = item["issued"]["date-parts"][0]
                item["issued"] = {"date-parts": [[parts[0] + rng.choice((-1, 1))]]}
            elif name == "translated":
                item["title"] = item["_title_other"]
            applied.append(name)
    return applied


# -- the library ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyntheticRecord:
    """One record of the library: its CSL item (with ``id``), the work it belongs to (the index
    of the work's first record: the ground truth), and how it was varied (empty: original)."""

    item: CSLItem
    work: int
    variations: tuple[str, ...] = ()


def _decide(seed: int, index: int, duplicate_share: float) -> tuple[random.Random, int | None]:
    """The record's own random stream, and the earlier record it duplicates (None: none)."""
    rng = random.Random(f"{seed}:record:{index}")
    if index == 0 or rng.random() >= duplicate_share:
        return rng, None
    # Duplicates cluster near their original (one export after another), as in real imports.
    return rng, rng.randrange(max(0, index - 5000), index)


def work_of(seed: int, index: int, duplicate_share: float = 0.1) -> int:
    """The work (index of its first record) record ``index`` belongs to."""
    while True:
        _, target = _decide(seed, index, duplicate_share)
        if target is None:
            return index
        index = target


def record(seed: int, index: int, duplicate_share: float = 0.1) -> SyntheticRecord:
    """Record ``index`` of the library (see the module docstring)."""
    rng, target = _decide(seed, index, duplicate_share)
    work = index if target is None else work_of(seed, target, duplicate_share)
    item = original(seed, work)
    variations: tuple[str, ...] = ()
    if target is not None:
        item["author"] = [dict(a) for a in item["author"]]
        variations = tuple(_vary(item, rng))
    item.pop("_title_other", None)
    return SyntheticRecord({"id": f"syn{index:07d}", **item}, work, variations)


def iter_library(
    n: int, seed: int = 0, duplicate_share: float = 0.1, start: int = 0
) -> Iterator[SyntheticRecord]:
    """Records ``start`` .. ``n - 1`` of the library, one at a time."""
    for index in range(start, n):
        yield record(seed, index, duplicate_share)


def ground_truth(records: Iterable[SyntheticRecord]) -> list[list[str]]:
    """The duplicate groups (ids of records that are the same work), groups of two or more."""
    groups: dict[int, list[str]] = {}
    for rec in records:
        groups.setdefault(rec.work, []).append(rec.item["id"])
    return [ids for ids in groups.values() if len(ids) > 1]


# -- writers ----------------------------------------------------------------------------------

# LaTeX accent macros for the "old file" BibTeX entries (what pre-UTF-8 tools wrote).
_ACCENT_MACROS = {"\u0308": '"', "\u0301": "'", "\u0300": "`", "\u0302": "^", "\u030c": "v",
                  "\u0303": "~", "\u0327": "c", "\u030a": "r", "\u0306": "u"}  # fmt: skip
_LETTER_MACROS = {"ß": r"{\ss}", "ø": r"{\o}", "Ø": r"{\O}", "ł": r"{\l}", "Ł": r"{\L}",
                  "æ": r"{\ae}", "å": r"{\aa}", "Å": r"{\AA}", "–": "--", "—": "---",
                  "α": r"$\alpha$", "β": r"$\beta$", "κ": r"$\kappa$", "≈": r"$\approx$",
                  "₂": r"$_2$", "₃": r"$_3$", "°": r"{\textdegree}", "ð": r"{\dh}",
                  "ễ": r"{\~{\^e}}"}  # fmt: skip
_BIB_SPECIALS = {"&": r"\&", "%": r"\%", "{": r"\{", "}": r"\}", "$": r"\$", "#": r"\#",
                 "_": r"\_"}  # fmt: skip


def _latex_char(char: str) -> str:
    if char in _LETTER_MACROS:
        return _LETTER_MACROS[char]
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) == 2 and decomposed[1] in _ACCENT_MACROS:
        base = decomposed[0]
        macro = _ACCENT_MACROS[decomposed[1]]
        return f"{{\\{macro}{base}}}" if macro in "\"'`^~" else f"{{\\{macro}{{{base}}}}}"
    return char


@cache
def _latex_macro(char: str) -> str:
    return _latex_char(char)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def bib_value(text: str, latex: bool) -> str:
    """A BibTeX field value: specials escaped; with ``latex``, non-ASCII as LaTeX macros.

    Whole-string replacements, not a loop over characters: that loop over 150-300-word
    abstracts was most of a 1M library's generation. (Each special's escape holds no other
    special, so the replacements do not interact.)"""
    for char, escaped in _BIB_SPECIALS.items():
        if char in text:
            text = text.replace(char, escaped)
    if latex and not text.isascii():
        text = _NON_ASCII.sub(lambda m: _latex_macro(m.group()), text)
    return text


_BIB_TYPES = {"article-journal": "article", "chapter": "incollection", "book": "book"}


def _bib_names(names: list[dict[str, str]], latex: bool) -> str:
    parts = []
    for n in names:
        name = n["family"] + (f", {n['suffix']}" if "suffix" in n else "") + f", {n['given']}"
        parts.append(bib_value(name, latex))
    return " and ".join(parts)


def to_bibtex(item: CSLItem, latex: bool) -> str:
    """One ``@article``/``@incollection``/``@book`` entry."""
    fields: list[tuple[str, str]] = []
    title = bib_value(item["title"], latex)
    # Old files double-brace titles to protect capitals.
    fields.append(("title", f"{{{title}}}" if latex else title))
    fields.append(("author", _bib_names(item["author"], latex)))
    if "editor" in item:
        fields.append(("editor", _bib_names(item["editor"], latex)))
    date = item["issued"]["date-parts"][0]
    if item["type"] == "article-journal":
        fields.append(("journal", bib_value(item["container-title"], latex)))
    elif item["type"] == "chapter":
        fields.append(("booktitle", bib_value(item["container-title"], latex)))
    fields.append(("year", str(date[0])))
    if len(date) > 1:
        fields.append(("month", _MONTHS[date[1] - 1].lower()))
    for csl_key, bib_key in (("volume", "volume"), ("issue", "number")):
        if csl_key in item:
            fields.append((bib_key, item[csl_key]))
    if "page" in item:
        fields.append(("pages", item["page"].replace("-", "--")))
    for csl_key, bib_key in (("publisher", "publisher"), ("publisher-place", "address")):
        if csl_key in item and item["type"] != "article-journal":
            fields.append((bib_key, bib_value(item[csl_key], latex)))
    for csl_key, bib_key in (("DOI", "doi"), ("ISSN", "issn"), ("ISBN", "isbn"), ("PMID", "pmid")):
        if csl_key in item:
            fields.append((bib_key, item[csl_key]))
    fields.append(("language", {"en": "english", "de": "german", "fr": "french"}[item["language"]]))
    fields.append(("abstract", bib_value(item["abstract"], latex)))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@{_BIB_TYPES[item['type']]}{{{item['id']},\n{body}\n}}\n"


def write_bibtex(items: Iterable[CSLItem]) -> Iterator[str]:
    """A .bib file's entries; every other entry (odd position) writes accents as LaTeX macros."""
    for i, item in enumerate(items):
        yield to_bibtex(item, latex=i % 2 == 1) + "\n"


_RIS_TYPES = {"article-journal": "JOUR", "chapter": "CHAP", "book": "BOOK"}


def to_ris(item: CSLItem) -> str:
    lines = [f"TY  - {_RIS_TYPES[item['type']]}", f"ID  - {item['id']}"]
    lines += [f"AU  - {a['family']}, {a['given']}" for a in item["author"]]
    lines += [f"A2  - {a['family']}, {a['given']}" for a in item.get("editor", [])]
    lines.append(f"TI  - {item['title']}")
    if "container-title" in item:
        lines.append(f"T2  - {item['container-title']}")
    if "container-title-short" in item:
        lines.append(f"J2  - {item['container-title-short']}")
    date = item["issued"]["date-parts"][0]
    lines.append(f"PY  - {date[0]}")
    if len(date) > 1:
        lines.append(f"DA  - {date[0]}/{date[1]:02d}//")
    for key, tag in (("volume", "VL"), ("issue", "IS")):
        if key in item:
            lines.append(f"{tag}  - {item[key]}")
    if "page" in item:
        first, _, last = item["page"].partition("-")
        lines.append(f"SP  - {first}")
        if last:
            lines.append(f"EP  - {last}")
    for key, tag in (("publisher", "PB"), ("publisher-place", "CY"), ("DOI", "DO")):
        if key in item:
            lines.append(f"{tag}  - {item[key]}")
    for number in (item.get("ISSN") or item.get("ISBN") or "").split(", "):
        if number:
            lines.append(f"SN  - {number}")
    if "PMID" in item:
        lines.append(f"AN  - {item['PMID']}")
    lines.append(f"LA  - {item['language']}")
    lines.append(f"AB  - {item['abstract']}")
    lines.append("ER  - ")
    return "\n".join(lines) + "\n\n"


def write_ris(items: Iterable[CSLItem]) -> Iterator[str]:
    return (to_ris(item) for item in items)


def _wrap(tag: str, value: str, width: int = 88) -> list[str]:
    """A MEDLINE field: ``TAG - value`` wrapped at ``width`` with six-space continuations (a
    line breaks before a word that would overflow it, once it holds a word)."""
    head = f"{tag:<4}- "
    lines: list[str] = []
    parts = [head]
    length = len(head)
    holds_word = False
    for word in value.split(" "):
        if holds_word and length + len(word) + 1 > width:
            lines.append("".join(parts).rstrip())
            parts = ["      "]
            length = 6
            holds_word = False
        parts.append(word + " ")
        length += len(word) + 1
        holds_word = holds_word or bool(word.strip())
    lines.append("".join(parts).rstrip())
    return lines


_MEDLINE_LANGS = {"en": "eng", "de": "ger", "fr": "fre"}


def to_medline(item: CSLItem) -> str:
    lines: list[str] = []
    if "PMID" in item:
        lines.append(f"PMID- {item['PMID']}")
    issns = (item.get("ISSN") or "").split(", ")
    for issn, kind in zip(issns, ("Print", "Electronic"), strict=False):
        if issn:
            lines.append(f"IS  - {issn} ({kind})")
    for key, tag in (("volume", "VI"), ("issue", "IP")):
        if key in item:
            lines.append(f"{tag}  - {item[key]}")
    date = item["issued"]["date-parts"][0]
    lines.append(f"DP  - {date[0]}" + (f" {_MONTHS[date[1] - 1]}" if len(date) > 1 else ""))
    lines += _wrap("TI", item["title"])
    if "page" in item:
        lines.append(f"PG  - {item['page']}")
    if "DOI" in item:
        lines.append(f"LID - {item['DOI']} [doi]")
    lines += _wrap("AB", item["abstract"])
    for a in item["author"]:
        lines.append(f"FAU - {a['family']}, {a['given']}")
        initials = "".join(p[0] for p in a["given"].replace("-", " ").split())
        lines.append(f"AU  - {a['family']} {initials}")
    lines.append(f"LA  - {_MEDLINE_LANGS[item['language']]}")
    lines.append(
        "PT  - " + ("Journal Article" if item["type"] == "article-journal" else "Book Chapter")
    )
    if "container-title-short" in item:
        lines.append(f"TA  - {item['container-title-short']}")
    if "container-title" in item:
        lines.append(f"JT  - {item['container-title']}")
    if "DOI" in item:
        lines.append(f"AID - {item['DOI']} [doi]")
    lines.append("SO  - " + _source_line(item))
    return "\n".join(lines) + "\n\n"


def _source_line(item: CSLItem) -> str:
    date = item["issued"]["date-parts"][0]
    where = item.get("container-title-short") or item.get("container-title") or ""
    return f"{where}. {date[0]};{item.get('volume', '')}({item.get('issue', '')}):{item.get('page', '')}."


def write_medline(items: Iterable[CSLItem]) -> Iterator[str]:
    """A PubMed export: only the items with a PMID (PubMed holds nothing else)."""
    return (to_medline(item) for item in items if "PMID" in item)


def write_csl_json(items: Iterable[CSLItem]) -> Iterator[str]:
    """A CSL-JSON array, one item per chunk."""
    yield "[\n"
    for i, item in enumerate(items):
        yield ("" if i == 0 else ",\n") + json.dumps(item, ensure_ascii=False)
    yield "\n]\n"


_VUFIND_TYPES = {"article-journal": "Journal Article", "chapter": "Book Chapter", "book": "Book"}
_VUFIND_LANGS = {"en": "English", "de": "German", "fr": "French"}


def to_vufind_page(item: CSLItem) -> str:
    """The text a user copies from a VuFind record page (the layout of the shared seeds)."""
    names = ", ".join(
        f"{a['family']}, {_initials(a['given']).replace('.', '')}" for a in item["author"]
    )
    date = item["issued"]["date-parts"][0]
    summary = item["abstract"]
    lines = [item["title"], "", summary[:300] + "...", "", "Full description", "", "Saved in:"]
    lines.append("Bibliographic Details")
    if item["type"] == "article-journal":
        where = f"{item.get('container-title-short') or item['container-title']}"
        if "volume" in item:
            where += f" Vol. {item['volume']}"
        if "issue" in item:
            where += f"; no. {item['issue']}"
        if "page" in item:
            where += "; pp. " + item["page"].replace("-", " - ")
        lines.append(f"Published in:{where}")
    lines.append(f"Main Authors: {names}")
    lines.append(f"Format: {_VUFIND_TYPES[item['type']]}")
    lines.append(f"Language:{_VUFIND_LANGS[item['language']]}")
    place = item.get("publisher-place", "")
    lines.append(f"Published: {place} {item.get('publisher', '')} {date[0]}".replace("  ", " "))
    lines += [
        "Online Access:Get full text",
        "Tags: Add Tag",
        "No Tags, Be the first to tag this record!",
    ]
    lines += ["Description", f"Summary:{summary}"]
    if "ISSN" in item:
        issns = item["ISSN"].split(", ")
        lines.append(f"ISSN:{issns[0]}")
        lines += issns[1:]
    if "ISBN" in item:
        lines.append(f"ISBN:{item['ISBN']}")
    if "DOI" in item:
        lines.append(f"DOI:{item['DOI']}")
    return "\n".join(lines) + "\n"


def write_vufind(items: Iterable[CSLItem]) -> Iterator[str]:
    """Several pages pasted one after another (the VuFind parser splits them)."""
    for i, item in enumerate(items):
        yield ("" if i == 0 else "\n") + to_vufind_page(item)


WRITERS: dict[str, Any] = {
    "bibtex": (write_bibtex, ".bib"),
    "ris": (write_ris, ".ris"),
    "medline": (write_medline, ".nbib"),
    "csl-json": (write_csl_json, ".json"),
    "vufind-text": (write_vufind, ".txt"),
}


# -- hard duplicates and near misses (dedup's test library) ------------------------------------
#
# A second style of library, made for deduplication tests rather than for realism: invented
# works (pronounceable random words, so titles do not collide by accident); some get extra
# source records written the way another database would write them: title case changed, accents
# dropped, HTML or a trailing period added, Greek letters spelled out, journal abbreviated ISO 4
# style, given names cut to initials, a letter dropped, DOI or pages missing, page ranges
# abbreviated, the year off by one. Near misses are added too: the erratum of a work, part 2 of
# a two-part paper, and another article on the next pages of the same issue with a similar
# title and the same authors. Generated in one pass from one random stream (the library is
# small: the dedup tests and scripts/dedup-scale hold it in memory).

_h_SYLLABLES = (
    "ka lo mi ne ra to su vi be da fe gu ho ja ki lu ma no pe ri sa te ul ve wo xa yo ze "
    "bri cla dro fle gra kni plo sta tre vla schu ber gen mann son sen ova ska ing"
).split()
_h_WORDS = (
    "analysis effect treatment patients study randomized trial outcomes model network "
    "learning therapy risk factors cohort clinical evidence review response children adults "
    "disease infection survival cancer lung pleural chronic acute management comparison "
    "platform labor digital economy workers evaluation method systems data theory"
).split()
_h_ACCENTED = {"a": "á", "e": "é", "o": "ö", "u": "ü", "n": "ñ", "i": "í"}
_h_GREEK = [("α", "alpha"), ("β", "beta"), ("γ", "gamma"), ("κ", "kappa")]
_h_JOURNAL_WORDS = [
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


def _h_word(rng: random.Random) -> str:
    return "".join(rng.choice(_h_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _h_accented(rng: random.Random, word: str) -> str:
    return "".join(_h_ACCENTED[c] if c in _h_ACCENTED and rng.random() < 0.3 else c for c in word)


def _h_journals(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(full name, ISO 4 abbreviation, ISSN-ish prefix) triples."""
    journals = []
    for _ in range(count):
        words = rng.sample(_h_JOURNAL_WORDS, rng.randint(2, 4))
        topic = _h_word(rng).capitalize()
        full = " ".join(w for w, _ in words[:1]) + " of " + " ".join(w for w, _ in words[1:])
        full += f" {topic}"
        abbreviation = " ".join(a for _, a in words) + f" {topic[:4]}"
        journals.append((full, abbreviation, topic))
    return journals


def _h_work(rng: random.Random, journals: list[tuple[str, str, str]], number: int) -> CSLItem:
    words = [
        rng.choice(_h_WORDS) if rng.random() < 0.4 else _h_word(rng) for _ in range(rng.randint(5, 12))
    ]
    if rng.random() < 0.1:
        symbol, _name = rng.choice(_h_GREEK)
        words.insert(rng.randint(0, len(words)), f"TNF-{symbol}")
    title = " ".join(words).capitalize()
    if rng.random() < 0.3:
        title += ": " + " ".join(_h_word(rng) for _ in range(rng.randint(2, 5)))
    authors = [
        {"family": _h_accented(rng, _h_word(rng)).capitalize(), "given": _h_word(rng).capitalize()}
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


def _h_variant(rng: random.Random, item: CSLItem, journals: dict[str, str]) -> CSLItem:
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
    for symbol, name in _h_GREEK:
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


def _near_miss(rng: random.Random, item: CSLItem, number: int) -> CSLItem:
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
        words[-1] = _h_word(rng)
        v["title"] = " ".join(words)
        v["page"] = f"{last + 1}-{last + 9}"
    if rng.random() < 0.5:
        v["DOI"] = f"10.{rng.randint(1000, 9999)}/neg.{number}"
    return v


def _hard_library(n: int, seed: int, duplicate_rate: float, negative_rate: float) -> SyntheticLibrary:
    """About ``n`` records: works, their duplicate source records and hard negatives."""
    rng = random.Random(seed)
    journal_list = _h_journals(rng, max(20, n // 200))
    abbreviations = {full: abbreviation for full, abbreviation, _ in journal_list}
    library = SyntheticLibrary()
    number = 0
    while len(library.records) < n:
        number += 1
        item = _h_work(rng, journal_list, number)
        ids = [f"w{number}"]
        library.records.append((ids[0], item))
        if rng.random() < duplicate_rate:
            for copy in range(rng.randint(1, 3)):
                rid = f"w{number}d{copy + 1}"
                library.records.append((rid, _h_variant(rng, item, abbreviations)))
                ids.append(rid)
        if len(ids) > 1:
            library.clusters.append(ids)
        if rng.random() < negative_rate:
            library.records.append((f"w{number}n", _near_miss(rng, item, number)))
    library.records = library.records[:n]
    kept = {rid for rid, _ in library.records}
    library.clusters = [
        [rid for rid in cluster if rid in kept]
        for cluster in library.clusters
        if sum(rid in kept for rid in cluster) > 1
    ]
    return library


# -- the one entry point -----------------------------------------------------------------------


@dataclass
class SyntheticLibrary:
    """Records as ``(id, CSL item)`` and the true clusters (ids of the same work, two or more)."""

    records: list[tuple[str, CSLItem]] = field(default_factory=list)
    clusters: list[list[str]] = field(default_factory=list)


def generate(
    n: int,
    seed: int = 0,
    *,
    duplicates: Literal["realistic", "hard"] = "realistic",
    duplicate_share: float | None = None,
    near_miss_share: float | None = None,
) -> SyntheticLibrary:
    """A library of ``n`` records (deterministic by ``seed``) with its true clusters.

    ``duplicates``: ``"realistic"`` (default) is :func:`iter_library`'s library (realistic
    records, duplicates varied the way real exports differ; ``duplicate_share`` of the records,
    0.1 by default); ``"hard"`` is the dedup test library above (``duplicate_share``: the share
    of works that get copies, 0.25 by default; ``near_miss_share``: of works that get a near
    miss, 0.03 by default)."""
    if duplicates == "hard":
        return _hard_library(
            n,
            seed,
            0.25 if duplicate_share is None else duplicate_share,
            0.03 if near_miss_share is None else near_miss_share,
        )
    if duplicates != "realistic":
        raise ValueError(f"duplicates: 'realistic' or 'hard', not {duplicates!r}")
    if near_miss_share:
        raise ValueError("near misses are made by the 'hard' library only")
    share = 0.1 if duplicate_share is None else duplicate_share
    records = list(iter_library(n, seed, share))
    return SyntheticLibrary(
        [(str(r.item["id"]), r.item) for r in records], ground_truth(records)
    )


__all__ = [
    "WRITERS",
    "SyntheticLibrary",
    "SyntheticRecord",
    "bib_value",
    "generate",
    "ground_truth",
    "iter_library",
    "journal",
    "make_isbn13",
    "make_issn",
    "original",
    "record",
    "to_bibtex",
    "to_medline",
    "to_ris",
    "to_vufind_page",
    "work_of",
    "write_bibtex",
    "write_csl_json",
    "write_medline",
    "write_ris",
    "write_vufind",
]
