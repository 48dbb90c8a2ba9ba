"""Issue 14, third pass: broken copies of one citation (scraped and OCR'd reference lists) and the
rules that read them, each with records written here, and the cases each rule must leave alone.

* two copies that each had another cut of the author list run into the start of the title;
* words fused or split by an extraction (only the spaces differ);
* a title reworded by one source, by the same several authors: review, never "distinct", so the
  clustering does not keep apart two broken copies that each match the clean record.
"""

from __future__ import annotations

from dataclasses import replace

from records.dedup import blocking_keys, compare, find_clusters, prepare
from records.dedup.fields import (
    NEAR_TITLE,
    title_lift_candidates,
    title_similarity,
    title_spill,
)
from records.dedup.keys import Prepared, read_title_tail
from tests.records.dedup.test_sparse_records import rec

PEOPLE = "k lindqvist , m oduya , t haverkamp"
TITLE = "adaptive partitioning of skewed stream joins on shared-nothing clusters"


# -- two copies, each with another cut of the authors before the title --------------------------
def test_two_copies_with_other_cuts_of_the_authors_before_one_title_are_one_title() -> None:
    one = prepare(rec(f"ka , and t. haverkamp . {TITLE}", "k lindqvist , m oduya", "proc ."))
    two = prepare(rec(f"oduya , m. , and haverkamp , t. , 2004 , {TITLE}", "k lindqvist",
                      "proceedings of the 30th international conference"))
    assert title_spill(one, two) is not None
    assert title_similarity(one, two) == NEAR_TITLE
    assert compare(one, two).verdict == "duplicate"
    # Found by the cheap scan triage runs over every candidate.
    assert 0 in title_lift_candidates(one, [two], [two.title])


def test_other_words_before_a_shared_title_end_are_not_a_spill() -> None:
    # "distributed" / "robust": words of another kind, no name, no year among them.
    one = prepare(rec("distributed hash joins for skewed streams on clusters", PEOPLE))
    two = prepare(rec("robust hash joins for skewed streams on clusters", PEOPLE))
    assert title_spill(one, two) is None
    assert (title_similarity(one, two) or 0.0) < NEAR_TITLE


def test_a_shared_end_without_any_name_or_year_before_it_is_not_a_spill() -> None:
    # Function words alone before the shared end: "in the" / "on a", nothing that locates
    # a citation's author list or date.
    one = prepare(rec("in the partitioning of skewed stream joins", PEOPLE))
    two = prepare(rec("on a partitioning of skewed stream joins", PEOPLE))
    assert title_spill(one, two) is None


def test_a_short_shared_end_is_not_a_title() -> None:
    one = prepare(rec("oduya 2004 stream joins", PEOPLE))
    two = prepare(rec("lindqvist 2003 stream joins", PEOPLE))
    assert title_spill(one, two) is None


# -- only the spaces differ -----------------------------------------------------------------------
def test_words_fused_or_split_by_an_extraction_are_the_same_title() -> None:
    clean = prepare(rec("on views and object base schemata", PEOPLE, "sigmod record", 1999))
    fused = prepare(rec("onviews andobjectbase schemata", PEOPLE, "sigmod record", 1999))
    assert title_similarity(clean, fused) == 1.0
    assert 0 in title_lift_candidates(clean, [fused], [fused.title])
    assert compare(clean, fused).verdict == "duplicate"


def test_other_letters_are_not_a_spacing_difference() -> None:
    one = prepare(rec("on views and object base schemata", PEOPLE))
    two = prepare(rec("on views and object bases schemata", PEOPLE))
    assert (title_similarity(one, two) or 0.0) < 1.0


# -- a reworded title by the same several authors: review ----------------------------------------
def test_a_reworded_title_by_the_same_several_authors_is_reviewed_not_distinct() -> None:
    one = prepare(rec("replicated logs for mobile sensor network transactions", PEOPLE, "vldb", 2001))
    two = prepare(rec("replicated logging of mobile sensor transactions", PEOPLE))
    similarity = title_similarity(one, two)
    assert similarity is not None and 0.8 <= similarity < 0.85
    assert compare(one, two).verdict == "maybe"


def test_a_reworded_title_stays_distinct_with_one_author_other_pages_or_another_kind() -> None:
    base = "replicated logs for mobile sensor network transactions"
    short = "replicated logging of mobile sensor transactions"
    # One author: a group's papers often share most of their title words.
    assert compare(prepare(rec(base, "k lindqvist")), prepare(rec(short, "k lindqvist"))
                   ).verdict == "distinct"
    # Other first pages in the same volume: two articles.
    assert compare(
        prepare(rec(base, PEOPLE, "sensor systems", 2001, volume="4", page="10-19")),
        prepare(rec(short, PEOPLE, "sensor systems", 2001, volume="4", page="40-49")),
    ).verdict == "distinct"
    # Years apart.
    assert compare(prepare(rec(base, PEOPLE, year=2001)), prepare(rec(short, PEOPLE, year=2004))
                   ).verdict == "distinct"
    # A demo abstract of the system is not the paper.
    assert compare(prepare(rec(base, PEOPLE)), prepare(rec(f"{short} demo", PEOPLE))
                   ).verdict == "distinct"


def test_a_title_far_from_the_other_stays_distinct_even_by_the_same_authors() -> None:
    one = prepare(rec("replicated logs for mobile sensor network transactions", PEOPLE))
    two = prepare(rec("energy-aware routing of sensor network queries", PEOPLE))
    assert compare(one, two).verdict == "distinct"


def test_two_broken_copies_that_each_match_the_clean_record_join_it() -> None:
    clean = rec("replicated logging of mobile sensor network transactions", PEOPLE, "vldb", 2001)
    # Each copy is one source's breakage: the first word lost, or a word abbreviated in an
    # undated citation without its venue. Each matches the clean record; between them only
    # the title can be compared, and it is reworded (0.84): review, not "distinct".
    cut = rec("logging of mobile sensor network transactions", PEOPLE, "vldb", 2001)
    short = rec("replicated logs of mobile sensor network transactions", PEOPLE)
    assert compare(prepare(cut), prepare(short)).verdict == "maybe"
    result = find_clusters([("clean", clean), ("cut", cut), ("short", short)])
    assert result.clusters == [["clean", "cut", "short"]]


# -- "dirty" records: the author list, venue and year run into the end of the title -------------
def test_an_author_list_and_year_at_the_end_of_an_undated_authorless_title_are_read() -> None:
    title, names, year, venue = read_title_tail(
        f"{TITLE} k lindqvist , m oduya , t haverkamp proc . vldb 2004", False, False, False
    )
    assert title == TITLE
    assert [n["family"] for n in names] == ["lindqvist", "oduya", "haverkamp"]
    assert year == 2004
    assert venue == "proc . vldb"


def test_fields_read_from_the_title_make_the_record_comparable() -> None:
    clean = prepare(rec(TITLE, PEOPLE, "vldb", 2004))
    dirty = prepare(rec(f"{TITLE} k lindqvist , m oduya , t haverkamp vldb 2004"))
    assert dirty.title == clean.title
    assert dirty.authors == clean.authors
    assert dirty.title_year == 2004 and dirty.year is None
    assert blocking_keys(clean) & blocking_keys(dirty)
    decision = compare(clean, dirty)
    assert decision.verdict == "duplicate"
    assert "same year" in decision.evidence_for
    # A year written as a decimal by a spreadsheet is a year.
    assert prepare(rec(f"{TITLE} 2004.0", PEOPLE)).title_year == 2004


def test_a_year_read_from_a_title_counts_for_agreement_only() -> None:
    # Another year at the end of the title is no conflict (it may be a volume or a report
    # number): the pair is judged as if the year were missing, and no years-apart veto fires.
    clean = prepare(rec(TITLE, PEOPLE, "vldb", 2004))
    other = prepare(rec(f"{TITLE} k lindqvist , m oduya , t haverkamp vldb 1998"))
    assert other.title_year == 1998
    assert "years differ" not in " ".join(compare(clean, other).evidence_against)


def test_a_record_keeps_its_own_fields_and_a_title_its_own_words() -> None:
    # The record has authors and a year: its title is left alone, whatever it ends with.
    kept = prepare(rec(f"{TITLE} k lindqvist , m oduya 2004", PEOPLE, year=2004))
    assert kept.title.endswith("lindqvist m oduya 2004")
    # A title's own words: a series with one family name repeated, a single "name" with no year
    # after it, initials that are words, or a remainder too short to be a title.
    for own in (
        "prevalence of hepatitis b virus , c virus and d virus in donors",
        "growth of escherichia coli in e coli",
        "effects measured in vivo , in vitro",
        "scalable mining of big data sets 2002",
        "cancer statistics , 2019",
    ):
        _, names, _, _ = read_title_tail(own, False, False, False)
        assert names == [], own
    assert read_title_tail("cancer statistics , 2019", False, False)[2] is None


def test_a_venue_after_the_names_is_read_only_for_a_record_without_one() -> None:
    _, names, _, venue = read_title_tail(
        f"{TITLE} k lindqvist , m oduya proc . vldb", False, True, True
    )
    assert names == [] and venue is None


# -- an author field holding the collection a site listed the paper in ------------------------
def test_a_collection_named_as_the_author_is_no_person() -> None:
    clean = prepare(rec(TITLE, PEOPLE, "sigmod record", 1998))
    listed = prepare(rec(TITLE, "acms anthology , p edition", "sigmod record", 1998))
    assert listed.authors == ()
    assert compare(clean, listed).verdict == "duplicate"
    # Other people under the same title stay a conflict.
    other = prepare(rec(TITLE, "j marsh , p okonkwo", "sigmod record", 1998))
    assert compare(clean, other).verdict != "duplicate"


# -- `harvester show` says where the evidence came from ---------------------------------------
def test_the_evidence_names_fields_read_from_a_title_and_the_review_rule() -> None:
    clean = prepare(rec(TITLE, PEOPLE, "vldb", 2004))
    dirty = prepare(rec(f"{TITLE} k lindqvist , m oduya , t haverkamp vldb 2004"))
    decision = compare(clean, dirty)
    assert "authors read from the end of a title" in decision.evidence_for
    assert "year read from the end of a title" in decision.evidence_for
    plain = compare(clean, prepare(rec(TITLE, PEOPLE, "vldb", 2004)))
    assert not any("read from" in e for e in plain.evidence_for)
    reworded = compare(
        prepare(rec("replicated logs for mobile sensor network transactions", PEOPLE, "vldb", 2001)),
        prepare(rec("replicated logging of mobile sensor transactions", PEOPLE)),
    )
    assert reworded.verdict == "maybe"
    assert "a reworded title by the same several authors: for review" in reworded.evidence_against


# -- blocking: a title with fused words and names run into its start -----------------------------
FUSED_CLEAN = "incremental upkeep of materialized views in a warehousing environment"
FUSED_COPY = "okonkwo . incremental upkeep ofmaterialized views in awarehousing environment"


def _lead_keys(p: Prepared) -> set[str]:
    """The keys only the title after its lead of names gives."""
    return blocking_keys(p) - blocking_keys(replace(p, title_lead=0))


def test_a_fused_title_with_names_before_it_meets_its_record_by_its_last_letters() -> None:
    clean = prepare(rec(FUSED_CLEAN, "k lindqvist , m oduya , j okonkwo", "vldb", 1995))
    copy = prepare(rec(FUSED_COPY, "k lindqvist , m oduya"))
    shared = blocking_keys(clean) & blocking_keys(copy)
    # Only the title's letters are left in common: every word key is broken. Its last letters,
    # and its first letters after the names before its full stop (title_lead).
    assert {k[:3] for k in shared} == {"tk:", "tl:"}
    assert copy.title_lead and {k[:3] for k in shared if k not in _lead_keys(copy)} == {"tk:"}
    assert compare(clean, copy).verdict == "duplicate"
    assert find_clusters([("clean", rec(FUSED_CLEAN, "k lindqvist , m oduya , j okonkwo",
                                        "vldb", 1995)),
                          ("copy", rec(FUSED_COPY, "k lindqvist , m oduya"))]).clusters == [
        ["clean", "copy"]
    ]


def test_titles_ending_alike_but_short_or_otherwise_get_no_shared_end_key() -> None:
    # Thirty letters are about five words: a common ending ("... a randomized controlled
    # trial", 26 letters) shared by two titles that differ before it makes no block.
    one = prepare(rec("aspirin in the elderly : a randomized controlled trial", "k lindqvist"))
    two = prepare(rec("statins in older adults : a randomized controlled trial", "m oduya"))
    assert not {k for k in blocking_keys(one) & blocking_keys(two) if k.startswith("tk:")}
    other = prepare(rec("incremental upkeep of materialized views in a mediator environment",
                        "k lindqvist"))
    clean = prepare(rec(FUSED_CLEAN, "k lindqvist"))
    assert not {k for k in blocking_keys(other) & blocking_keys(clean) if k.startswith("tk:")}
