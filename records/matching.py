"""Finding the DOI of a record that has none: search-based matching with validation (SBMV).

Crossref's own matcher (reference ``crossref.md`` §4) searches ``query.bibliographic`` with the
whole reference, keeps the top hit and every further hit whose relevance score divided by the
query's length is at least 0.4, and then *validates* each candidate by comparing fields. This
module is the pure part: :func:`build_query` makes the query from a record, :func:`match` judges
the candidates a search returned and gives a :class:`MatchDecision`:

* ``accept``: one candidate agrees with the record on enough independent fields, contradicts it
  on none that matter, and no other candidate comes close;
* ``review``: a plausible candidate that falls short of that (borderline similarity, one
  contradiction, or a near tie). These are never accepted automatically; a person decides
  (``harvester enrich --review`` shows the per-field :class:`FieldEvidence`);
* ``reject``: nothing plausible. A wrong DOI is worse than no DOI.

Validation, field by field (only fields the record has count; each gives a score in 0..1):

=================  ======  ========================================================================
field              weight  score
=================  ======  ========================================================================
title              3       rapidfuzz ``ratio`` of folded titles, best over the candidate's title,
                           title + subtitle, short and original title (translated titles)
first author       2       family names equal after folding (1), fuzzy >= 0.85 (ratio), the
                           record's first author elsewhere in the list (0.5)
year               1       any of print / online / issued year equal (1), off by one (0.5)
volume             1       equal (leading zeros ignored)
issue              0.5     equal
first page         1       equal
container title    1       equal, an abbreviation of the other (``J Clin Pathol``), an acronym
                           (``IJDAR``), or fuzzy >= 0.85
ISSN               1       any ISSN shared
=================  ======  ========================================================================

A field the candidate lacks scores 0 at half weight. Similarity is the weighted mean.

Gates (after Crossref's SBMV): a strong text field (title, or container title when the record
has no title) above 0.7 and at least three supporting fields among title, first author, year,
volume and first page. Contradictions are counted separately (year off by more than one,
volume, first page or issue different, first author absent): two contradictions reject, one
sends the best candidate to review. Candidates of the wrong kind are rejected outright:
``journal-issue`` and ``component`` records, preprints (``posted-content``) for a published
article, and correction / erratum / retraction / expression-of-concern notices (by title or by
Crossref's ``update-to``) unless the record itself is one.

For a verbatim reference string (no fields), the same features are read off the string the way
SBMV's unstructured mode does: is the candidate's title (fuzzy, ``partial_ratio``), first author,
year, volume, issue, first page and container title in the string?

Thresholds (:class:`Thresholds`) are our own: the similarity here is a weighted mean, not SBMV's
generalised Jaccard, so Crossref's 0.34 / 0.76 do not carry over; ``scripts/eval-matching``
measures them on labelled cases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rapidfuzz import fuzz

from records.crossref import markup_text, work_years
from records.identifiers import doi_key, issn_list, normalize_issn
from records.model import CSLItem
from records.normalize.dates import year_of
from records.normalize.pages import expand_abbreviated_end, first_page, normalize_pages
from records.normalize.text import fold_ascii

Verdict = Literal["accept", "review", "reject"]
FieldVerdict = Literal["match", "partial", "mismatch", "absent"]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Tunable cut-offs; the defaults are the ones ``scripts/eval-matching`` reports on."""

    candidate_min_normalized: float = 0.4  # Crossref's DEFAULT_CAND_MIN_SCORE
    accept: float = 0.8
    review: float = 0.55
    strong_text: float = 0.7
    supporting_fields: int = 3
    tie_margin: float = 0.05
    rows_structured: int = 20
    rows_unstructured: int = 20


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True, slots=True)
class FieldEvidence:
    """How one field of the record compares with the candidate's."""

    field: str
    ours: str | None
    theirs: str | None
    score: float
    weight: float
    verdict: FieldVerdict
    contradiction: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """One search hit, judged."""

    doi: str
    work: dict[str, Any]
    relevance: float
    normalized: float
    similarity: float = 0.0
    evidence: tuple[FieldEvidence, ...] = ()
    supporting: int = 0
    contradictions: tuple[str, ...] = ()
    rejected: str | None = None  # why this candidate cannot be the record, if it cannot

    def describe(self) -> str:
        return f"{self.doi} (similarity {self.similarity:.2f})"


@dataclass(frozen=True, slots=True)
class MatchDecision:
    """The outcome of matching one record: a verdict, the chosen candidate, and why."""

    verdict: Verdict
    query: str
    reason: str
    candidate: Candidate | None = None
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def doi(self) -> str | None:
        return self.candidate.doi if self.candidate and self.verdict == "accept" else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form for the store (the review list): verdict, reason, query, and per
        candidate its DOI, title, scores, rejection and field evidence; the chosen candidate's
        work JSON too, so a person's "accept" needs no second request."""
        return {
            "verdict": self.verdict,
            "reason": self.reason,
            "query": self.query,
            "candidate": self.candidate.doi if self.candidate else None,
            "work": self.candidate.work if self.candidate else None,
            "candidates": [
                {
                    "doi": c.doi,
                    "title": markup_text((c.work.get("title") or [""])[0]),
                    "relevance": c.relevance,
                    "normalized": round(c.normalized, 4),
                    "similarity": round(c.similarity, 4),
                    "rejected": c.rejected,
                    "evidence": [
                        {
                            "field": e.field,
                            "ours": e.ours,
                            "theirs": e.theirs,
                            "score": e.score,
                            "verdict": e.verdict,
                            "contradiction": e.contradiction,
                        }
                        for e in c.evidence
                    ],
                }
                for c in self.candidates
            ],
        }

    def evidence_lines(self) -> list[str]:
        """``title        match    0.98  ours … | Crossref …`` lines for ``enrich --review``."""
        if not self.candidate:
            return []
        return [
            f"{e.field:15} {e.verdict:8} {e.score:4.2f}  {e.ours or '-'} | {e.theirs or '-'}"
            for e in self.candidate.evidence
        ]


# -- text helpers ----------------------------------------------------------------------------
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_STOP = frozenset(
    "a an and the of for in on at to with by from & der die das des den dem und fur im zur zum "
    "le la les l de du des et en y el los las del di della e il journal".split()
)
_STOP_KEEP_JOURNAL = _STOP - {"journal"}
_NOTICE_RE = re.compile(
    r"^\s*(?:correction|corrections|erratum|errata|corrigendum|corrigenda|retraction|retracted|"
    r"withdrawn|expression of concern|notice of retraction|publisher correction|"
    r"author correction|addendum|berichtigung|korrektur)\b",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(r"\d+")
_YEAR_RE = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_PAGE_RANGE_RE = re.compile(r"(?<!\d)(\d+)\s*[-–—]\s*(\d+)(?!\d)")


def fold(text: str | None) -> str:
    """Lower-case ASCII words separated by single spaces: the form titles are compared in."""
    if not text:
        return ""
    return _NON_ALNUM.sub(" ", fold_ascii(markup_text(text)).lower()).strip()


def _significant(words: list[str], stop: frozenset[str] = _STOP_KEEP_JOURNAL) -> list[str]:
    return [w for w in words if w not in stop]


def abbreviation_of(short: str, full: str) -> bool:
    """Is ``short`` an abbreviation of ``full``? ``J Clin Pathol`` / ``Journal of Clinical
    Pathology``; ``Rev Endocr Metab Disord``; acronyms ``IJDAR``; ``(IJDAR)`` in the full title."""
    a = _significant(fold(short).split())
    full_folded = fold(full)
    f = _significant(full_folded.split())
    if not a or not f:
        return False
    if len(a) == 1 and len(a[0]) >= 3:
        acronym = "".join(w[0] for w in f)
        acronym_all = "".join(w[0] for w in full_folded.split() if w not in {"of", "and", "the"})
        if a[0] in (acronym, acronym_all) or re.search(
            rf"\(\s*{re.escape(a[0])}\s*\)", full.lower()
        ):
            return True
    if len(a) != len(f):
        return False
    return all(fw.startswith(aw) for aw, fw in zip(a, f, strict=True))


def container_score(ours: Sequence[str], theirs: Sequence[str]) -> float:
    """1 for the same journal (equal, abbreviation, acronym), fuzzy ratio >= 0.85, else 0."""
    best = 0.0
    for o in ours:
        for t in theirs:
            fo, ft = (
                " ".join(_significant(fold(o).split(), _STOP)),
                " ".join(_significant(fold(t).split(), _STOP)),
            )
            if not fo or not ft:
                continue
            if fo == ft or abbreviation_of(o, t) or abbreviation_of(t, o):
                return 1.0
            ratio = fuzz.ratio(fo, ft) / 100
            if ratio >= 0.85:
                best = max(best, ratio)
    return best


def is_notice(title: str | None) -> bool:
    """A correction, erratum, retraction or similar notice, judged by its title."""
    return bool(title and _NOTICE_RE.match(markup_text(title)))


def _titles(work: dict[str, Any]) -> list[str]:
    titles = [t for t in work.get("title") or [] if isinstance(t, str)]
    subtitles = [s for s in work.get("subtitle") or [] if isinstance(s, str)]
    variants = list(titles)
    if titles and subtitles:
        variants.append(f"{titles[0]}: {subtitles[0]}")
    for key in ("short-title", "original-title"):
        variants.extend(t for t in work.get(key) or [] if isinstance(t, str))
    return variants


def _containers(work: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in ("container-title", "short-container-title"):
        out.extend(t for t in work.get(key) or [] if isinstance(t, str) and t.strip())
    return out


def _families(work: dict[str, Any]) -> list[str]:
    people = work.get("author") or work.get("editor") or []
    return [fold(p.get("family")) for p in people if isinstance(p, dict) and p.get("family")]


def _norm_number(value: Any) -> str:
    text = fold(str(value)) if value is not None else ""
    return text.lstrip("0") or text


def _family_score(ours: str, families: list[str]) -> float:
    if not families:
        return 0.0
    first = families[0]
    if ours == first or ours.split()[-1:] == first.split()[-1:]:
        return 1.0  # "de mestier" vs "mestier": particles are filed either way
    ratio = fuzz.ratio(ours, first) / 100
    if ratio >= 0.85:
        return ratio
    if any(ours == f or fuzz.ratio(ours, f) >= 90 for f in families[1:]):
        return 0.5
    return 0.0


# -- queries -----------------------------------------------------------------------------------
def build_query(csl: CSLItem, max_authors: int = 5) -> str:
    """``query.bibliographic`` for a record: authors' family names, title, container, year,
    volume, issue and first page, as Crossref's structured matcher joins them."""
    parts: list[str] = []
    for name in (csl.get("author") or csl.get("editor") or [])[:max_authors]:
        family = name.get("family") or name.get("literal")
        if family:
            parts.append(family)
    for key in ("title", "container-title"):
        if csl.get(key):
            parts.append(str(csl[key]))
    year = year_of(csl.get("issued"))
    if year:
        parts.append(str(year))
    for key in ("volume", "issue"):
        if csl.get(key):
            parts.append(str(csl[key]))
    page = first_page(csl.get("page"))
    if page:
        parts.append(page)
    return " ".join(parts)


def candidates_from(
    items: Sequence[dict[str, Any]], query: str, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[tuple[dict[str, Any], float, float]]:
    """SBMV's candidate step: the top hit, then hits while ``score / len(query)`` >= 0.4."""
    out: list[tuple[dict[str, Any], float, float]] = []
    length = max(len(query), 1)
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not item.get("DOI"):
            continue
        score = float(item.get("score") or 0.0)
        normalized = score / length
        if index > 0 and normalized < thresholds.candidate_min_normalized:
            break
        out.append((item, score, normalized))
    return out


# -- validation ----------------------------------------------------------------------------------
def _kind_rejection(csl: CSLItem | None, reference: str, work: dict[str, Any]) -> str | None:
    kind = work.get("type")
    our_title = (csl or {}).get("title") or reference
    ours_is_notice = is_notice(our_title) or bool(
        re.search(r"\b(erratum|correction|retraction|corrigendum)\b", reference, re.IGNORECASE)
    )
    if kind == "journal-issue":
        return "a journal issue, not an article"
    if kind == "component" and (csl or {}).get("type") != "document":
        return "a component (figure, table, supplement), not a work"
    if not ours_is_notice:
        titles = _titles(work)
        if titles and is_notice(titles[0]):
            return f"a notice ({markup_text(titles[0])[:40]}), not the article"
        if work.get("update-to"):
            return "an update notice (correction or retraction), not the article"
    our_type = (csl or {}).get("type")
    if kind == "posted-content" and our_type not in (None, "article", "manuscript"):
        return "a preprint, not the published version"
    if our_type == "chapter" and kind in ("book", "edited-book", "monograph"):
        return "the whole book, not the chapter"
    return None


def _evidence(
    name: str, ours: Any, theirs: Any, score: float, weight: float, *, contradiction: bool = False
) -> FieldEvidence:
    if theirs in (None, "", []):
        verdict: FieldVerdict = "absent"
    elif score >= 0.99:
        verdict = "match"
    elif score > 0:
        verdict = "partial"
    else:
        verdict = "mismatch"
    return FieldEvidence(
        name,
        None if ours is None else str(ours),
        None if theirs in (None, "", []) else str(theirs),
        round(score, 3),
        weight,
        verdict,
        contradiction,
    )


def validate_structured(csl: CSLItem, work: dict[str, Any]) -> list[FieldEvidence]:
    """Field-by-field evidence for a record against one candidate work."""
    ev: list[FieldEvidence] = []
    title = csl.get("title")
    if title:
        ours = fold(title)
        variants = _titles(work)
        score = max((fuzz.ratio(ours, fold(v)) / 100 for v in variants), default=0.0)
        # A record title with its subtitle against a bare title (or vice versa).
        for v in variants:
            fv = fold(v)
            if fv and len(fv) >= 20 and (ours.startswith(fv) or fv.startswith(ours)):
                score = max(score, 0.9)
        ev.append(_evidence("title", title, variants[0] if variants else None, score, 3))
    authors = csl.get("author") or csl.get("editor") or []
    our_family = next((fold(a.get("family")) for a in authors if a.get("family")), "")
    if our_family:
        families = _families(work)
        score = _family_score(our_family, families)
        ev.append(
            _evidence(
                "first author",
                authors[0].get("family"),
                families[0] if families else None,
                score,
                2,
                contradiction=bool(families) and score == 0,
            )
        )
    year = year_of(csl.get("issued"))
    if year:
        years = work_years(work)
        score = 1.0 if year in years else 0.5 if any(abs(year - y) == 1 for y in years) else 0.0
        ev.append(
            _evidence(
                "year",
                year,
                "/".join(map(str, sorted(years))) or None,
                score,
                1,
                contradiction=bool(years) and score == 0,
            )
        )
    for key, weight in (("volume", 1.0), ("issue", 0.5)):
        if csl.get(key):
            ours_n, theirs_n = _norm_number(csl[key]), _norm_number(work.get(key))
            score = 1.0 if theirs_n and ours_n == theirs_n else 0.0
            ev.append(
                _evidence(
                    key,
                    csl[key],
                    work.get(key),
                    score,
                    weight,
                    contradiction=bool(theirs_n) and score == 0,
                )
            )
    ours_page = first_page(csl.get("page"))
    if ours_page:
        theirs_page = first_page(normalize_pages(work.get("page") or work.get("article-number")))
        score = 1.0 if theirs_page and fold(ours_page) == fold(theirs_page) else 0.0
        ev.append(
            _evidence(
                "first page",
                ours_page,
                theirs_page,
                score,
                1,
                contradiction=bool(theirs_page) and score == 0,
            )
        )
    ours_containers = [
        str(csl[k]) for k in ("container-title", "container-title-short") if csl.get(k)
    ]
    if ours_containers:
        theirs_containers = _containers(work)
        score = container_score(ours_containers, theirs_containers)
        ev.append(
            _evidence(
                "container title",
                ours_containers[0],
                theirs_containers[0] if theirs_containers else None,
                score,
                1,
            )
        )
    our_issns = issn_list(csl.get("ISSN"))
    if our_issns:
        theirs_issns = [i for i in (normalize_issn(v) for v in work.get("ISSN") or []) if i]
        score = 1.0 if set(our_issns) & set(theirs_issns) else 0.0
        # Not a contradiction: a renamed journal changes its ISSNs (Radiologe -> Radiologie).
        ev.append(
            _evidence("ISSN", ", ".join(our_issns), ", ".join(theirs_issns) or None, score, 1)
        )
    return ev


def _numbers_in(reference: str) -> set[str]:
    text = re.sub(r"10\.\d{4,9}/\S+", " ", reference)  # DOIs' digits are no evidence
    text = re.sub(r"\[[^\]]*\]", " ", text)  # "[1]" reference labels
    numbers = {n.lstrip("0") or n for n in _NUMBER_RE.findall(text)}
    for start, end in _PAGE_RANGE_RE.findall(text):  # 1425-37 -> 1437 too
        numbers.add(expand_abbreviated_end(start, end).lstrip("0"))
    return numbers


def validate_unstructured(reference: str, work: dict[str, Any]) -> list[FieldEvidence]:
    """Evidence for a verbatim reference string against one candidate (SBMV unstructured)."""
    ev: list[FieldEvidence] = []
    folded = fold(reference)
    numbers = _numbers_in(reference)
    variants = _titles(work)
    if variants:
        score = max(fuzz.partial_ratio(fold(v), folded) / 100 for v in variants if fold(v))
        ev.append(_evidence("title", None, variants[0], score, 3))
    families = _families(work)
    if families:
        head = folded[: max(60, len(families[0]) + 20)]
        score = fuzz.partial_ratio(families[0], head) / 100
        ev.append(_evidence("first author", None, families[0], score if score >= 0.85 else 0, 2))
    years = work_years(work)
    if years:
        found = {int(y) for y in _YEAR_RE.findall(reference)}
        score = (
            1.0
            if years & found
            else 0.5
            if any(abs(a - b) == 1 for a in years for b in found)
            else 0
        )
        ev.append(
            _evidence(
                "year",
                "/".join(map(str, sorted(found))) or None,
                "/".join(map(str, sorted(years))),
                score,
                1,
                contradiction=bool(found) and score == 0,
            )
        )
    for key, weight in (("volume", 1.0), ("issue", 0.5)):
        value = _norm_number(work.get(key))
        if value and value.isdigit():
            score = 1.0 if value in numbers else 0.0
            ev.append(_evidence(key, None, work.get(key), score, weight))
    page = first_page(normalize_pages(work.get("page") or work.get("article-number")))
    if page:
        digits = page.lstrip("eE").lstrip("0")
        score = 1.0 if digits in numbers else 0.0
        ev.append(_evidence("first page", None, page, score, 1))
    containers = _containers(work)
    if containers:
        score = max(
            1.0 if fold(c) and fold(c) in folded else fuzz.partial_ratio(fold(c), folded) / 100
            for c in containers
        )
        ev.append(
            _evidence("container title", None, containers[0], score if score >= 0.85 else 0, 1)
        )
    return ev


def _similarity(evidence: Sequence[FieldEvidence]) -> float:
    total = 0.0
    weights = 0.0
    for e in evidence:
        weight = e.weight / 2 if e.verdict == "absent" else e.weight
        total += weight * e.score
        weights += weight
    return total / weights if weights else 0.0


def _supporting(evidence: Sequence[FieldEvidence], strong: float) -> int:
    count = 0
    for e in evidence:
        if (e.field in ("title", "first author") and e.score > strong) or (
            e.field in ("year", "volume", "first page") and e.score >= 0.99
        ):
            count += 1
    return count


def judge(
    csl: CSLItem | None,
    reference: str,
    item: dict[str, Any],
    relevance: float,
    normalized: float,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Candidate:
    """Validate one candidate against a record (``csl``) or a reference string."""
    doi = str(item.get("DOI"))
    rejected = _kind_rejection(csl, reference, item)
    evidence = validate_structured(csl, item) if csl else validate_unstructured(reference, item)
    contradictions = tuple(e.field for e in evidence if e.contradiction)
    strong = next((e for e in evidence if e.field == "title"), None)
    if csl is None and strong is not None and strong.score <= thresholds.strong_text:
        # A reference without its title (ACS, AIP styles): enough if the first author, year,
        # volume and first page all agree; the title then neither helps nor hurts.
        identified = {e.field for e in evidence if e.score >= 0.99}
        if {"first author", "year", "volume", "first page"} <= identified:
            evidence = [e for e in evidence if e.field != "title"]
            strong = next(e for e in evidence if e.field == "first author")
    similarity = _similarity(evidence)
    supporting = _supporting(evidence, thresholds.strong_text)
    if strong is None:
        strong = next((e for e in evidence if e.field == "container title"), None)
    if rejected is None:
        if strong is None or strong.score <= thresholds.strong_text:
            rejected = "title does not agree"
        elif supporting < thresholds.supporting_fields:
            rejected = (
                f"only {supporting} supporting fields agree (title, author, year, volume, page)"
            )
        elif len(contradictions) >= 2:
            rejected = "contradicts " + " and ".join(contradictions)
    return Candidate(
        doi=doi,
        work=item,
        relevance=relevance,
        normalized=normalized,
        similarity=similarity,
        evidence=tuple(evidence),
        supporting=supporting,
        contradictions=contradictions,
        rejected=rejected,
    )


def match(
    record: CSLItem | str,
    items: Sequence[dict[str, Any]],
    *,
    query: str | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> MatchDecision:
    """Judge the items of a ``query.bibliographic`` search for a record or a reference string.

    ``query`` is the string that was searched (for the normalised relevance score); by default
    :func:`build_query` of the record, or the reference string itself.
    """
    csl = record if isinstance(record, dict) else None
    reference = record if isinstance(record, str) else ""
    query = query if query is not None else (build_query(csl) if csl else reference)
    kept = candidates_from(items, query, thresholds)
    judged = [judge(csl, reference, item, s, n, thresholds) for item, s, n in kept]
    ranked = sorted(judged, key=lambda c: (c.rejected is None, c.similarity), reverse=True)
    if not ranked:
        return MatchDecision("reject", query, "Crossref found no candidates")
    viable = [c for c in ranked if c.rejected is None]
    if not viable:
        best = ranked[0]
        return MatchDecision(
            "reject",
            query,
            f"no candidate holds up: {best.doi} is {best.rejected}",
            None,
            tuple(ranked),
        )
    best = viable[0]
    rivals = [
        c
        for c in viable[1:]
        if doi_key(c.doi) != doi_key(best.doi)
        and best.similarity - c.similarity < thresholds.tie_margin
    ]
    if best.similarity < thresholds.review:
        return MatchDecision(
            "reject",
            query,
            f"best candidate {best.describe()} is below {thresholds.review}",
            None,
            tuple(ranked),
        )
    if rivals:
        return MatchDecision(
            "review",
            query,
            f"{best.describe()} and {rivals[0].describe()} are too close to tell apart",
            best,
            tuple(ranked),
        )
    if best.contradictions:
        return MatchDecision(
            "review",
            query,
            f"{best.describe()} disagrees on {', '.join(best.contradictions)}",
            best,
            tuple(ranked),
        )
    if best.similarity < thresholds.accept:
        return MatchDecision(
            "review",
            query,
            f"{best.describe()} is below the acceptance threshold {thresholds.accept}",
            best,
            tuple(ranked),
        )
    return MatchDecision(
        "accept",
        query,
        f"{best.describe()} agrees on {best.supporting} fields",
        best,
        tuple(ranked),
    )
