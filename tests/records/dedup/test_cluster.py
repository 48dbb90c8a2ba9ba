"""Clustering: no chaining through records that differ, remembered decisions honoured."""

from __future__ import annotations

from records.dedup import compare, find_clusters, match_work, prepare
from records.model import CSLItem

BASE: CSLItem = {
    "type": "article-journal",
    "title": "Tirapazamine plus cisplatin versus cisplatin in advanced non-small-cell lung cancer",
    "author": [{"family": "von Pawel", "given": "J."}, {"family": "Gatzemeier", "given": "U."}],
    "issued": {"date-parts": [[2000]]},
    "container-title": "Journal of Clinical Oncology",
    "volume": "18",
    "page": "1351-1359",
}


def test_duplicates_cluster_and_distinct_records_stay_apart() -> None:
    records = [
        ("a", BASE),
        ("b", {**BASE, "container-title": "J Clin Oncol", "page": "1351-9"}),
        (
            "c",
            {
                **BASE,
                "title": BASE["title"].upper(),
                "author": [{"family": "Pawel", "given": "Joachim"}],
            },
        ),
        ("x", {**BASE, "title": "Gemcitabine in small-cell lung cancer", "page": "1400-1410"}),
    ]
    result = find_clusters(records)
    assert result.clusters == [["a", "b", "c"]]
    assert result.stats["all_pairs"] == 6
    assert result.stats["candidate_pairs"] <= 6


def test_no_chaining_through_a_bridge_record() -> None:
    # A bridge without pages matches both, but A and C have different page ranges in the same
    # volume: two articles. Only one of them may join the bridge.
    a = {**BASE}
    c = {**BASE, "page": "1360-1368"}
    bridge = {key: value for key, value in BASE.items() if key != "page"}
    assert compare(prepare(a), prepare(bridge)).verdict == "duplicate"
    assert compare(prepare(c), prepare(bridge)).verdict == "duplicate"
    assert compare(prepare(a), prepare(c)).verdict == "distinct"
    result = find_clusters([("a", a), ("bridge", bridge), ("c", c)])
    assert len(result.clusters) == 1 and len(result.clusters[0]) == 2
    assert not {"a", "c"} <= set(result.clusters[0])
    # The pair that could not be joined is offered for review, with the reason.
    assert result.maybe_pairs
    assert any(
        "joining would put" in e for _, _, d in result.maybe_pairs for e in d.evidence_against
    )


def test_a_record_without_a_locator_does_not_join_an_article_and_its_abstract_elsewhere() -> None:
    # The article and its meeting abstract in another journal (another volume, no pages) agree
    # on title, authors and year: the rules leave the pair for review. An ahead-of-print copy
    # of the article matches both; it joins the article, never the two together.
    abstract = {**BASE, "container-title": "Lung Cancer", "volume": "29", "page": None}
    aop = {**BASE, "volume": None, "page": None}
    assert compare(prepare(BASE), prepare(abstract)).verdict == "maybe"
    assert compare(prepare(aop), prepare(abstract)).verdict == "duplicate"
    for order in (["a", "m", "p"], ["p", "m", "a"], ["m", "p", "a"]):
        given = {"a": BASE, "m": abstract, "p": aop}
        result = find_clusters([(rid, given[rid]) for rid in order])
        assert sorted(map(sorted, result.clusters)) == [["a", "p"]], order
    # Whatever else differs, one journal (its name abbreviated) and one volume are one place.
    same_place = {**abstract, "container-title": "J Clin Oncol", "volume": "18"}
    result = find_clusters([("a", BASE), ("m", same_place), ("p", aop)])
    assert sorted(map(sorted, result.clusters)) == [["a", "m", "p"]]


def test_cannot_link_is_never_merged_nor_proposed_again() -> None:
    records = [("a", BASE), ("b", {**BASE, "container-title": "J Clin Oncol"})]
    assert find_clusters(records).clusters == [["a", "b"]]
    result = find_clusters(records, cannot_link=[("b", "a")])
    assert result.clusters == []
    assert all({x, y} != {"a", "b"} for x, y, _ in result.maybe_pairs)


def test_cannot_link_also_blocks_indirect_merges() -> None:
    records = [
        ("a", BASE),
        ("b", {**BASE, "container-title": "J Clin Oncol"}),
        ("c", {**BASE, "page": "1351-59"}),
    ]
    result = find_clusters(records, cannot_link=[("a", "c")])
    assert all(not {"a", "c"} <= set(cluster) for cluster in result.clusters)


def test_must_link_joins_what_the_rules_would_not() -> None:
    other = {**BASE, "title": "Something else entirely about oncology drugs", "page": "10-20"}
    records = [("a", BASE), ("b", other)]
    assert find_clusters(records).clusters == []
    assert find_clusters(records, must_link=[("a", "b")]).clusters == [["a", "b"]]


def test_unknown_ids_in_decisions_are_ignored() -> None:
    result = find_clusters([("a", BASE)], must_link=[("a", "zz")], cannot_link=[("q", "r")])
    assert result.clusters == []


def test_match_work_incremental() -> None:
    new = prepare({**BASE, "container-title": "J Clin Oncol"})
    work_same = ("w1", [prepare(BASE)])
    work_other = (
        "w2",
        [prepare({**BASE, "title": "Another trial of erlotinib", "page": "2000-2010"})],
    )
    assert match_work(new, [work_other, work_same]).work == "w1"
    assert match_work(new, [work_same], cannot_link_works=["w1"]).work is None
    # A work holding any member that clearly differs from the new record is not joined.
    mixed = ("w3", [prepare(BASE), prepare({**BASE, "page": "1400-1410"})])
    assert match_work(new, [mixed]).work is None


def test_a_record_known_only_by_its_doi_joins_through_its_enriched_twin():
    """A bare DOI (no title yet) is no evidence against the page the same article came from;
    a vetoed pair still is."""
    doi = "10.1007/s11154-017-9431-2"
    title = "Liver transarterial embolizations in metastatic neuroendocrine tumors"
    authors = [{"family": "de Mestier", "given": "Louis"}, {"family": "Zappa", "given": "Magaly"}]
    records = [
        ("stub", {"DOI": doi}),
        (
            "crossref",
            {
                "DOI": doi,
                "title": title,
                "author": authors,
                "volume": "18",
                "issued": {"date-parts": [[2017, 10, 3]]},
            },
        ),
        (
            "page",
            {
                "title": title,
                "author": authors,
                "issued": {"date-parts": [[2017]]},
                "container-title": "Reviews in Endocrine and Metabolic Disorders",
            },
        ),
        ("other-doi", {"DOI": "10.1007/s11154-017-9999-9"}),
    ]
    result = find_clusters(records)
    assert sorted(sorted(c) for c in result.clusters) == [["crossref", "page", "stub"]]
