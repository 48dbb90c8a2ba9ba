"""Labelled matching cases: a record (or reference string), the search hits, the right answer.

Built from the recorded Crossref works (fixtures 01, 02, 03, 06, 15, 16, read in place) and the
two synthetic seed works, plus constructed near-misses of each kind a matcher gets wrong:
the same title in another year, another article of the same journal, correction / erratum /
retraction notices, preprints of the article, a translation published elsewhere, and a
journal-issue record. ``expected`` is the DOI a perfect matcher returns, or ``None`` when none
of the hits is the record. Scores are set relative to the query length the way Crossref's grow
(the right work is not always first).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from records.crossref import work_to_record
from records.matching import build_query
from records.model import CSLItem
from tests.conftest import FIXTURES
from tests.fakes.synthetic_works import de_mestier_2017, radosa_2024

CROSSREF = FIXTURES / "crossref"


@dataclass
class Case:
    name: str
    kind: str
    record: CSLItem | str
    items: list[dict[str, Any]]
    expected: str | None
    query: str
    known_miss: bool = False  # a right answer the matcher is known not to prove
    review: bool = False  # the right answer, but the record contradicts it: a person decides


def _load(name: str) -> dict[str, Any]:
    return json.loads((CROSSREF / f"{name}.response.json").read_text("utf-8"))


def base_works() -> list[dict[str, Any]]:
    works = [
        _load("01-work-jclinpath-2020-206745")["message"],
        _load("02-work-jor-1100150407")["message"],
        _load("03-work-pone-0033693")["message"],
        _load("15-query-bibliographic-unstructured-cermine")["message"]["items"][0],
        de_mestier_2017(),
        radosa_2024(),
    ]
    works += _load("06-journal-works-query-bibliographic-fish")["message"]["items"][:6]
    return [{k: v for k, v in w.items() if k not in ("score", "reference")} for w in works]


def _record(work: dict[str, Any]) -> CSLItem:
    csl = dict(work_to_record(work).csl)
    for key in ("DOI", "URL", "abstract", "ISSN", "publisher", "language"):
        csl.pop(key, None)
    return csl


def _initials(csl: CSLItem) -> CSLItem:
    out = copy.deepcopy(csl)
    for name in out.get("author", []):
        if name.get("given"):
            name["given"] = " ".join(p[0] + "." for p in name["given"].replace("-", " ").split())
    if out.get("container-title-short"):
        out["container-title"] = out["container-title-short"]
    return out


def _hit(work: dict[str, Any], query: str, share: float) -> dict[str, Any]:
    return {**work, "score": round(len(query) * share, 4)}


def _variant(work: dict[str, Any], suffix: str, **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(work)
    out["DOI"] = f"{work['DOI']}.{suffix}"
    out.update(changes)
    return out


def _shift_year(work: dict[str, Any], years: int) -> dict[str, Any]:
    out = copy.deepcopy(work)
    for key in ("issued", "published-print", "published-online", "published"):
        if key in out:
            parts = out[key]["date-parts"][0]
            out[key] = {"date-parts": [[parts[0] + years, *parts[1:]]]}
    return out


def _vancouver(work: dict[str, Any]) -> str:
    authors = ", ".join(
        f"{a['family']} {''.join(p[0] for p in a.get('given', '').replace('-', ' ').split())}"
        for a in work.get("author", [])[:6]
    )
    record = work_to_record(work).csl
    journal = record.get("container-title-short") or record.get("container-title", "")
    year = record["issued"]["date-parts"][0][0]
    where = f"{year}"
    if record.get("volume"):
        where += f";{record['volume']}"
        if record.get("issue"):
            where += f"({record['issue']})"
    if record.get("page"):
        where += f":{record['page']}"
    return f"{authors}. {record['title']}. {journal}. {where}."


def _other_article(work: dict[str, Any], n: int) -> dict[str, Any]:
    """Another article of the same journal issue: other title, authors and pages."""
    titles = [
        "Outcomes of a multicentre registry over ten years",
        "A randomised comparison of two imaging protocols",
        "Long-term follow-up after minimally invasive therapy",
    ]
    other = _variant(work, f"other{n}", title=[titles[n % len(titles)]])
    other["author"] = [
        {"given": "Maria", "family": f"Otherauthor{n}", "sequence": "first"},
        {"given": "Jan", "family": "Secondperson", "sequence": "additional"},
    ]
    pages = str(work.get("page") or "").split("-")
    if len(pages) == 2 and all(p.isdigit() for p in pages):
        last = int(pages[1])
        other["page"] = f"{last + 10 * (n + 1)}-{last + 10 * (n + 1) + 8}"
    elif work.get("page"):
        other["page"] = f"e{9000 + n}"
    return other


def build_cases() -> list[Case]:
    cases: list[Case] = []
    for work in base_works():
        doi = work["DOI"]
        short = doi.rsplit("/", 1)[-1]
        full = _record(work)
        query = build_query(full)
        others = [_other_article(work, n) for n in range(2)]

        # Positives: the work is among the hits, with some of its neighbours.
        for kind, csl in (
            ("exact", full),
            ("initials and abbreviated journal", _initials(full)),
            (
                "no volume or pages",
                {k: v for k, v in full.items() if k not in ("volume", "issue", "page")},
            ),
        ):
            q = build_query(csl)
            items = [_hit(work, q, 0.8)] + [_hit(o, q, 0.45) for o in others]
            cases.append(Case(f"{short}: {kind}", "positive", csl, items, doi, q))
        online = work_to_record(work).original.get("published-online")
        if online and int(online[:4]) != full["issued"]["date-parts"][0][0]:
            csl = {**full, "issued": {"date-parts": [[int(online[:4])]]}}
            q = build_query(csl)
            cases.append(
                Case(f"{short}: online year", "positive", csl, [_hit(work, q, 0.8)], doi, q)
            )

        # Near-misses without the work among the hits.
        later = _shift_year(_variant(work, "later"), 3)
        if later.get("volume", "").isdigit():
            later["volume"] = str(int(later["volume"]) + 3)
        cases.append(
            Case(
                f"{short}: same title, other year",
                "other-year",
                full,
                [_hit(later, query, 0.8)],
                None,
                query,
            )
        )
        cases.append(
            Case(
                f"{short}: same journal, other articles",
                "same-journal",
                full,
                [_hit(o, query, 0.5) for o in others],
                None,
                query,
            )
        )
        title = work["title"][0]
        correction = _variant(
            work,
            "corr",
            title=[f"Correction to: {title}"],
            page=None,
            **{"update-to": [{"DOI": doi, "type": "correction"}]},
        )
        correction = {k: v for k, v in correction.items() if v is not None}
        cases.append(
            Case(
                f"{short}: correction notice only",
                "correction",
                full,
                [_hit(correction, query, 0.85)],
                None,
                query,
            )
        )
        cases.append(
            Case(
                f"{short}: correction ranked above the article",
                "correction",
                full,
                [_hit(correction, query, 0.85), _hit(work, query, 0.8)],
                doi,
                query,
            )
        )
        erratum = _variant(work, "err", title=[f"Erratum: {title}"], page=None)
        erratum = {k: v for k, v in erratum.items() if v is not None}
        cases.append(
            Case(
                f"{short}: erratum only",
                "correction",
                full,
                [_hit(erratum, query, 0.85)],
                None,
                query,
            )
        )
        preprint = _variant(work, "preprint", type="posted-content")
        for key in ("container-title", "short-container-title", "volume", "issue", "page", "ISSN"):
            preprint.pop(key, None)
        preprint = _shift_year(preprint, -1)
        cases.append(
            Case(
                f"{short}: preprint only",
                "preprint",
                full,
                [_hit(preprint, query, 0.7)],
                None,
                query,
            )
        )
        issue = _variant(
            work,
            "issue",
            type="journal-issue",
            title=work.get("container-title", ["Issue"]),
            author=[],
        )
        cases.append(
            Case(
                f"{short}: journal issue",
                "journal-issue",
                full,
                [_hit(issue, query, 0.6)],
                None,
                query,
            )
        )

        # The catalog got the volume wrong: the right work, but a contradiction -> review.
        if full.get("volume", "").isdigit():
            typo = {**full, "volume": str(int(full["volume"]) + 10)}
            q = build_query(typo)
            cases.append(
                Case(
                    f"{short}: catalog volume wrong",
                    "positive-contradicted",
                    typo,
                    [_hit(work, q, 0.8)],
                    doi,
                    q,
                    review=True,
                )
            )

        # Harder: a follow-up by the same authors a year later in the same journal.
        update = _shift_year(_variant(work, "update", title=[f"{title}: an update"]), 1)
        if update.get("volume", "").isdigit():
            update["volume"] = str(int(update["volume"]) + 1)
        if work.get("page"):
            update["page"] = "1-12"
        cases.append(
            Case(
                f"{short}: follow-up next year only",
                "follow-up",
                full,
                [_hit(update, query, 0.8)],
                None,
                query,
            )
        )
        cases.append(
            Case(
                f"{short}: follow-up ranked above the article",
                "follow-up",
                full,
                [_hit(update, query, 0.8), _hit(work, query, 0.75)],
                doi,
                query,
            )
        )
        # Harder: the conference version a year earlier (same title and authors).
        conference = _shift_year(_variant(work, "conf", type="proceedings-article"), -1)
        conference["container-title"] = ["Proceedings of the Annual Meeting"]
        for key in ("short-container-title", "volume", "issue", "ISSN"):
            conference.pop(key, None)
        conference["page"] = "55-60"
        cases.append(
            Case(
                f"{short}: conference version only",
                "conference",
                full,
                [_hit(conference, query, 0.8)],
                None,
                query,
            )
        )
        # Harder for recall: a garbled title (typos, a word missing), the work ranked second.
        words = title.split()
        garbled_title = " ".join(w for i, w in enumerate(words) if i != len(words) // 2)
        garbled_title = garbled_title.replace("e", "a", 1).replace("o", "0", 1)
        garbled = {**full, "title": garbled_title}
        q = build_query(garbled)
        cases.append(
            Case(
                f"{short}: garbled title, ranked second",
                "positive-noisy",
                garbled,
                [_hit(others[0], q, 0.8), _hit(work, q, 0.7)],
                doi,
                q,
            )
        )
        # Harder for recall: a reference without a title (ACS/AIP styles).
        first = (work.get("author") or [{"family": "Anon"}])[0]
        rec = work_to_record(work).csl
        parts = [f"{first.get('family')} {first.get('given', ' ')[0]}. et al."]
        parts.append(str(rec.get("container-title-short") or rec.get("container-title", "")))
        parts.append(str(rec["issued"]["date-parts"][0][0]))
        for key in ("volume", "page"):
            if rec.get(key):
                parts.append(str(rec[key]))
        untitled = ", ".join(parts)
        cases.append(
            Case(
                f"{short}: reference without title",
                "positive-untitled",
                untitled,
                [_hit(work, untitled, 0.6)] + [_hit(o, untitled, 0.5) for o in others],
                doi,
                untitled,
            )
        )

        # Unstructured: the reference as a Vancouver string.
        ref = _vancouver(work)
        cases.append(
            Case(
                f"{short}: Vancouver string",
                "positive-unstructured",
                ref,
                [_hit(work, ref, 0.7)] + [_hit(o, ref, 0.42) for o in others],
                doi,
                ref,
            )
        )
        cases.append(
            Case(
                f"{short}: Vancouver string, other articles only",
                "same-journal-unstructured",
                ref,
                [_hit(o, ref, 0.5) for o in others],
                None,
                ref,
            )
        )

    # Translations: the German original against an English article of the same authors
    # elsewhere (another work), and against Crossref's English record of the same article.
    radosa = radosa_2024()
    german = _record(radosa)
    query = build_query(german)
    english_elsewhere = _variant(
        radosa,
        "en",
        title=["Interventional radiology options for the treatment of neuroendocrine tumours"],
        **{
            "container-title": ["CardioVascular and Interventional Radiology"],
            "short-container-title": ["Cardiovasc Intervent Radiol"],
            "volume": "47",
            "issue": "9",
            "page": "1201-1210",
            "ISSN": ["0174-1551"],
        },
    )
    cases.append(
        Case(
            "radosa: English article elsewhere",
            "translated",
            german,
            [_hit(english_elsewhere, query, 0.6)],
            None,
            query,
        )
    )
    english_record = {
        **radosa,
        "title": ["Interventional radiological options for the treatment of neuroendocrine tumors"],
        "original-title": radosa["title"],
    }
    cases.append(
        Case(
            "radosa: English title, German original-title",
            "translated-positive",
            german,
            [_hit(english_record, query, 0.6)],
            radosa["DOI"],
            query,
        )
    )

    # The same article, but Crossref holds only the English title: the right answer, which
    # title-based validation cannot prove (a known miss, counted against recall).
    english_only = {
        **radosa,
        "title": ["Interventional radiological options for the treatment of neuroendocrine tumors"],
    }
    cases.append(
        Case(
            "radosa: Crossref has only the English title",
            "translated-positive",
            german,
            [_hit(english_only, query, 0.5)],
            radosa["DOI"],
            query,
            known_miss=True,
        )
    )
    # Generic titles: an "Editorial" by other people in the same journal and year.
    for work in base_works()[:4]:
        editorial = _variant(work, "ed", title=["Editorial"], page="1-2")
        editorial["author"] = [{"given": "Ed", "family": "Itor", "sequence": "first"}]
        ours = {
            "title": "Editorial",
            "author": [{"family": "Boss", "given": "A."}],
            "container-title": work["container-title"][0],
            "issued": work_to_record(work).csl["issued"],
        }
        q = build_query(ours)
        cases.append(
            Case(
                f"{work['DOI']}: another editorial",
                "generic-title",
                ours,
                [_hit(editorial, q, 0.9)],
                None,
                q,
            )
        )

    # Recorded searches: fixtures 15 (unstructured) and 16 (structured, no title).
    meta15 = json.loads(
        (CROSSREF / "15-query-bibliographic-unstructured-cermine.meta.json").read_text("utf-8")
    )
    ref15 = meta15["request"]["query.bibliographic"]
    items15 = _load("15-query-bibliographic-unstructured-cermine")["message"]["items"]
    cases.append(
        Case(
            "fixture 15: recorded unstructured",
            "recorded",
            ref15,
            items15,
            "10.1007/s10032-015-0249-8",
            ref15,
        )
    )
    cases.append(
        Case("fixture 15 without its target", "recorded-miss", ref15, items15[1:], None, ref15)
    )
    items16 = _load("16-query-bibliographic-structured-cermine")["message"]["items"]
    structured = {
        "author": [{"family": "Tkaczyk"}],
        "container-title": "IJDAR",
        "issued": {"date-parts": [[2015]]},
        "volume": "18",
        "page": "317",
    }
    q16 = "Tkaczyk IJDAR 2015 18 317"
    cases.append(
        Case(
            "fixture 16: recorded structured",
            "recorded",
            structured,
            items16,
            "10.1007/s10032-015-0249-8",
            q16,
        )
    )
    cases.append(
        Case("fixture 16 without its target", "recorded-miss", structured, items16[1:], None, q16)
    )
    return cases
