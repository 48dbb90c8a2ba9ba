"""Search-based matching with validation: rules, and the labelled cases (tests/fakes/matching_cases)."""

from __future__ import annotations

import pytest

from records.matching import (
    abbreviation_of,
    build_query,
    candidates_from,
    container_score,
    is_notice,
    match,
)
from records.parsers import parse_bytes
from tests.conftest import SPRINGER_SEED
from tests.fakes.matching_cases import build_cases
from tests.fakes.synthetic_works import de_mestier_2017

CASES = build_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_labelled_case(case):
    decision = match(case.record, case.items, query=case.query)
    if case.known_miss:
        # A right answer the matcher cannot prove (Crossref holds only the English title of a
        # German article): it must not be accepted blindly, and no other DOI may be either.
        # It counts as a miss in scripts/eval-matching's recall.
        assert decision.verdict != "accept", decision.reason
        assert decision.doi is None
    elif case.expected is None:
        # A wrong DOI is worse than no DOI: nothing may be accepted.
        assert decision.verdict != "accept", decision.reason
    elif case.review:
        assert decision.verdict == "review", decision.reason
        assert decision.candidate.doi == case.expected and decision.doi is None
    else:
        assert decision.verdict == "accept", decision.reason
        assert decision.doi == case.expected


def test_springer_seed_query_is_the_structured_reference():
    record = parse_bytes(SPRINGER_SEED.read_bytes(), str(SPRINGER_SEED)).records[0]
    assert build_query(record.csl) == (
        "de Mestier Zappa Hentic Vilgrain Ruszniewski Liver transarterial embolizations in "
        "metastatic neuroendocrine tumors Reviews in Endocrine and Metabolic Disorders 2017 4"
    )


def test_candidates_are_cut_by_normalised_score():
    query = "x" * 100
    items = [
        {"DOI": "10.1/a", "score": 30.0},  # top hit: always kept, even below 0.4
        {"DOI": "10.1/b", "score": 45.0},
        {"DOI": "10.1/c", "score": 39.0},  # 0.39: stop here
        {"DOI": "10.1/d", "score": 50.0},
    ]
    assert [i["DOI"] for i, _, _ in candidates_from(items, query)] == ["10.1/a", "10.1/b"]


def test_abbreviations_and_acronyms():
    assert abbreviation_of("J Clin Pathol", "Journal of Clinical Pathology")
    assert abbreviation_of(
        "Rev Endocr Metab Disord", "Reviews in Endocrine and Metabolic Disorders"
    )
    assert abbreviation_of("IJDAR", "International Journal on Document Analysis and Recognition")
    assert not abbreviation_of("J Clin Oncol", "Journal of Clinical Pathology")
    assert container_score(["Radiologe"], ["Die Radiologie"]) > 0.85  # a rename: partial credit
    assert container_score(["Lancet"], ["The Lancet Oncology"]) == 0


def test_notices_are_recognised():
    assert is_notice("Correction to: Liver transarterial embolizations")
    assert is_notice("Erratum")
    assert is_notice("Retraction Note: something")
    assert not is_notice("Corrective surgery outcomes")


def test_notice_accepted_when_the_record_is_one():
    work = de_mestier_2017()
    notice = {**work, "DOI": "10.1007/corr", "title": [f"Correction to: {work['title'][0]}"]}
    record = {
        "title": f"Correction to: {work['title'][0]}",
        "author": [{"family": "de Mestier", "given": "Louis"}],
        "issued": {"date-parts": [[2017]]},
        "container-title": "Reviews in Endocrine and Metabolic Disorders",
    }
    decision = match(record, [{**notice, "score": 80.0}])
    assert decision.verdict == "accept" and decision.doi == "10.1007/corr"


def test_review_carries_evidence_per_field():
    work = de_mestier_2017()
    record = {
        "title": work["title"][0],
        "author": [{"family": "de Mestier"}],
        "issued": {"date-parts": [[2017]]},
        "volume": "19",
        "page": "459",
    }
    decision = match(record, [{**work, "score": 90.0}])
    assert decision.verdict == "review"
    assert decision.doi is None  # never auto-accepted
    fields = {e.field: e for e in decision.candidate.evidence}
    assert fields["volume"].verdict == "mismatch" and fields["volume"].theirs == "18"
    assert fields["first page"].verdict == "match"
    assert fields["title"].score == 1.0


def test_two_equally_good_candidates_go_to_review():
    work = de_mestier_2017()
    twin = {**work, "DOI": "10.1007/twin"}
    record = {
        "title": work["title"][0],
        "author": [{"family": "de Mestier"}],
        "issued": {"date-parts": [[2017]]},
        "volume": "18",
    }
    decision = match(record, [{**work, "score": 90.0}, {**twin, "score": 89.0}])
    assert decision.verdict == "review"
    assert "too close" in decision.reason


def test_no_candidates():
    decision = match({"title": "Anything"}, [])
    assert decision.verdict == "reject" and decision.doi is None


def test_decision_serialises_for_the_review_list():
    import json

    work = de_mestier_2017()
    record = {
        "title": work["title"][0],
        "author": [{"family": "de Mestier"}],
        "issued": {"date-parts": [[2017]]},
        "volume": "19",
    }
    decision = match(record, [{**work, "score": 90.0}])
    data = json.loads(json.dumps(decision.to_dict()))
    assert data["verdict"] == "review"
    assert data["candidate"] == "10.1007/s11154-017-9431-2"
    assert data["work"]["volume"] == "18"
    volume = next(e for e in data["candidates"][0]["evidence"] if e["field"] == "volume")
    assert volume == {
        "field": "volume",
        "ours": "19",
        "theirs": "18",
        "score": 0.0,
        "verdict": "mismatch",
        "contradiction": True,
    }
    assert any(line.startswith("volume          mismatch") for line in decision.evidence_lines())
