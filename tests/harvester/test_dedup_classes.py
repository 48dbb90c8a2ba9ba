"""Issue 14's eight classes of deduplication errors, each through the real ``harvester add``
(subprocess, real SQLite file) with records written here (none copied from the labelled sets).

A "work" below is the set of source ids ``harvester duplicates --json`` reports together;
records left alone are not listed there.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

from records.dedup import prepare
from tests.harvester.cli_runner import run_cli


def ris(rid: str, title: str, authors: list[str], **tags: str) -> str:
    """One RIS record: ``ID``, ``TI``, one ``AU`` per author, then the given tags."""
    lines = [f"TY  - {tags.pop('TY', 'JOUR')}", f"ID  - {rid}", f"TI  - {title}"]
    lines += [f"AU  - {a}" for a in authors]
    lines += [f"{tag:<2}  - {value}" for tag, value in tags.items()]
    return "\n".join([*lines, "ER  - ", ""])


def add(tmp_path: Path, *records: str, name: str = "refs.ris", db: Path | None = None) -> Path:
    db = db or tmp_path / "lib.db"
    path = tmp_path / name
    path.write_text("\n".join(records), encoding="utf-8")
    result = run_cli("add", "--no-enrich", path, db=db)
    assert result.returncode == 0, result.stderr
    return db


def report(db: Path) -> dict:
    result = run_cli("duplicates", "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def works(db: Path) -> set[frozenset[str]]:
    return {frozenset(m["id"] for m in c["members"]) for c in report(db)["clusters"]}


def review_pairs(db: Path) -> set[frozenset[str]]:
    return {frozenset((p["a"]["id"], p["b"]["id"])) for p in report(db)["pairs"]}


# -- class 1: a veto does not override identity ------------------------------------------------
_HEPATIC = "Hepatic venous pressure gradient after transjugular shunt revision"
_HEPATIC_PEOPLE = ["Okafor, Chidi", "Lindgren, Maja"]
_HEPATIC_COMMON = {"PY": "2019", "DO": "10.5555/hep.2019.0417", "T2": "Journal of Hepatology"}


def _hepatic(source_id: str, **fields: str) -> str:
    """One of the records of a work that shares its DOI, title and authors across sources."""
    return ris(source_id, _HEPATIC, _HEPATIC_PEOPLE, **fields, **_HEPATIC_COMMON)


def test_shared_doi_title_and_first_page_are_one_work_whatever_the_supplement_hints(tmp_path):
    db = add(
        tmp_path,
        _hepatic("art", VL="70", SP="e45", EP="e52"),
        # The same work as one database wrote it: a supplement volume and a conference type.
        _hepatic("supp", TY="CONF", VL="70 SUPPL. 1", SP="e45"),
        _hepatic("paren", VL="1)", IS="70", SP="e45"),
    )
    assert works(db) == {frozenset({"art", "supp", "paren"})}


def test_shared_doi_and_title_with_other_pages_and_a_supplement_go_to_review(tmp_path):
    db = add(
        tmp_path,
        _hepatic("art", VL="70", SP="e45", EP="e52"),
        _hepatic("abs", TY="CONF", VL="70 SUPPL. 1", SP="S112"),
    )
    assert works(db) == set()
    assert review_pairs(db) == {frozenset({"art", "abs"})}


def test_dedupe_reports_the_review_pairs_it_leaves(tmp_path):
    db = add(
        tmp_path,
        _hepatic("art", VL="70", SP="e45", EP="e52"),
        _hepatic("abs", TY="CONF", VL="70 SUPPL. 1", SP="S112"),
        ris("lone", "Portal vein thrombosis in cirrhosis", ["Aziz, Omar"], PY="2019"),
    )
    result = run_cli("dedupe", "--json", db=db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["review_pairs"] == len(report(db)["pairs"]) == 1


# -- class 2: a bogus shared DOI ----------------------------------------------------------------
def test_a_doi_shared_by_unrelated_meeting_abstracts_does_not_merge_them(tmp_path):
    doi = {"DO": "10.5555/meeting.2021.supplement", "T2": "Annals of Oncology", "PY": "2021"}
    db = add(
        tmp_path,
        ris("a", "Nivolumab maintenance in resected gastric adenocarcinoma", ["Haddad, Rami"], **doi),
        ris("b", "Sleep quality among night-shift oncology nurses", ["Petrova, Ilona"], **doi),
        ris("c", "Nivolumab maintenance after resection of gastric cancer: a cohort",
            ["Suzuki, Ren"], **doi),
    )
    assert works(db) == set()
    # Nothing in common but the DOI: distinct. A related title by another author: review.
    pairs = review_pairs(db)
    assert frozenset({"a", "b"}) not in pairs
    assert frozenset({"a", "c"}) in pairs


# -- class 3: same-title meeting abstracts in two journals ---------------------------------------
def test_same_title_abstracts_in_two_journals_with_other_pages_and_authors_are_two(tmp_path):
    title = "Continuous glucose monitoring and hypoglycaemia awareness in older adults"
    db = add(
        tmp_path,
        ris("dgia", title, ["Keller, Anja", "Brandt, Tobias"], T2="Diabetologia", VL="64",
            SP="S210", PY="2021"),
        ris("diab", title, ["Moreno, Lucia", "Tan, Wei Ling"], T2="Diabetes", VL="70",
            SP="A118", PY="2021"),
    )
    assert works(db) == set()


# -- class 4: placeholders are not values -------------------------------------------------------
def test_placeholder_issue_and_pages_do_not_veto(tmp_path):
    title = "Editorial board rotation and reviewer fatigue in nursing journals"
    people = ["Achebe, Ngozi", "Varga, Peter"]
    db = add(
        tmp_path,
        ris("a", title, people, T2="Nurse Education Today", VL="88", IS="NA", SP="0", PY="2020",
            PB="[s.n.]"),
        ris("b", title, people, T2="Nurse Education Today", VL="88", IS="4", PY="2020"),
    )
    assert works(db) == {frozenset({"a", "b"})}


def test_a_stored_placeholder_is_not_a_value_in_comparison():
    # Libraries imported before the readers dropped placeholders still hold them.
    p = prepare({"title": "x", "volume": "N/A", "issue": "NA", "page": "-", "DOI": "Unknown",
                 "container-title": "[s.n.]", "author": [{"family": "Unknown"}]})
    assert (p.volume, p.issue, p.first_page, p.doi, p.containers, p.authors) == (
        None, None, None, None, (), ())


# -- class 5: MEDLINE title decorations ---------------------------------------------------------
def test_medline_title_decorations_are_not_part_of_the_title(tmp_path):
    people = ["Farouk, Samir", "Ilves, Kadri"]
    common = {"T2": "Gut", "VL": "52", "PY": "2003"}
    db = add(
        tmp_path,
        ris("plain", "Management of chronic pancreatitis in adults", people, **common),
        ris("refs", "Management of chronic pancreatitis in adults [Review] [45 refs]", people,
            **common),
        ris("transl", "Management of chronic pancreatitis in adults (author's transl)", people,
            **common),
        ris("see", "Management of chronic pancreatitis in adults [see comments]", people,
            **common),
    )
    assert works(db) == {frozenset({"plain", "refs", "transl", "see"})}


def test_a_subtitle_with_a_trial_number_dropped_by_one_source_is_one_work(tmp_path):
    # Databases cut titles at the colon; the trial's number was in the part cut off. Same
    # journal, volume and first page: the same article. Its follow-up report, at other pages
    # of the same volume, stays another work.
    people = ["Ishikawa, Sora", "Brandt, Jonas", "Mensah, Efua"]
    main = "Chemoradiotherapy with nedaplatin in T4 esophageal cancer"
    common = {"T2": "Esophagus", "VL": "12", "PY": "2015"}
    db = add(
        tmp_path,
        ris("full", f"{main}: results of trial JCOG 1109", people, SP="157", EP="163", **common),
        ris("cut", main, people, SP="157", EP="63", **common),
        ris("later", f"{main}: 3-year follow-up of trial JCOG 1109", people, SP="401", EP="409",
            **common),
    )
    assert works(db) == {frozenset({"full", "cut"})}


def test_an_ahead_of_print_record_does_not_join_an_article_and_its_abstract_elsewhere(tmp_path):
    # An article and its meeting abstract in another journal (another volume, no pages) are left
    # for review; an ahead-of-print record matching both must not join them (it joins one: the
    # store places records in content-hash order, so which one does not depend on the import).
    # In every order, one file or one record at a time, the same works.
    people = ["Valdés, Inés", "Kowalczyk, Piotr", "Ahn, Ji-woo"]
    title = "Pleural catheter versus talc slurry for malignant effusion: a randomised trial"
    article = ris("article", title, people, T2="Thorax", VL="71", SP="512", EP="519", PY="2016")
    abstract = ris("abstract", title, people, T2="European Respiratory Journal", VL="46",
                   PY="2016")
    aop = ris("aop", title, people, T2="Thorax", PY="2016")
    found = []
    for n, order in enumerate(([article, abstract, aop], [aop, abstract, article])):
        db = add(tmp_path, *order, name=f"refs{n}.ris", db=tmp_path / f"lib{n}.db")
        found.append(works(db))
        assert frozenset({"article", "abstract"}) in review_pairs(db)
    db = tmp_path / "one-by-one.db"
    for n, record in enumerate([abstract, aop, article]):
        add(tmp_path, record, name=f"one{n}.ris", db=db)
    found.append(works(db))
    assert found[0] in ({frozenset({"article", "aop"})}, {frozenset({"abstract", "aop"})})
    assert found[1] == found[0] and found[2] == found[0]


# -- class 6: venue names -------------------------------------------------------------------------
def test_venue_abbreviations_and_other_names_agree(tmp_path):
    people = ["Ostrowski, Jan", "Lee, Hana"]
    db = add(
        tmp_path,
        ris("t1", "Cost models for skewed partitioned hash joins", people,
            T2="ACM Trans. Database Syst.", PY="2004"),
        ris("t2", "Cost models for skewed partitioned hash joins", people,
            T2="ACM Transactions on Database Systems (TODS)", PY="2004"),
        ris("s1", "Lessons from a decade of query optimizer bugs", people, T2="SIGMOD Record",
            PY="2011"),
        ris("s2", "Lessons from a decade of query optimizer bugs", people,
            T2="ACM SIGMOD Record", PY="2011"),
        ris("v1", "Incremental view maintenance over sliding windows", people, TY="CONF",
            T2="VLDB", PY="1999"),
        ris("v2", "Incremental view maintenance over sliding windows", people, TY="CONF",
            T2="Very Large Data Bases", PY="1999"),
        # An irregular abbreviation only the JabRef lists know.
        ris("p1", "Chaperone recruitment to stalled ribosomes in yeast", people, T2="PNAS",
            PY="2015", VL="112"),
        ris("p2", "Chaperone recruitment to stalled ribosomes in yeast", people,
            T2="Proceedings of the National Academy of Sciences of the United States of America",
            PY="2015", VL="112"),
    )
    assert works(db) == {
        frozenset({"t1", "t2"}), frozenset({"s1", "s2"}), frozenset({"v1", "v2"}),
        frozenset({"p1", "p2"}),
    }


def test_a_venue_difference_alone_does_not_keep_a_work_apart_but_other_volumes_do(tmp_path):
    people = ["Novak, Eva", "Quinn, Liam"]
    title = "Shared decision making for knee replacement in rural clinics"
    db = add(
        tmp_path,
        ris("a", title, people, T2="Journal of Rural Health", VL="31", PY="2015"),
        ris("b", title, people, T2="Rural and Remote Health", VL="31", PY="2015"),
        ris("c", title, people, T2="Health Services Digest", VL="9", PY="2015"),
    )
    assert works(db) == {frozenset({"a", "b"})}


# -- class 7: sparse records ----------------------------------------------------------------------
def test_sparse_records_with_abbreviated_author_lists_are_one_work(tmp_path):
    db = tmp_path / "lib.db"
    add(
        tmp_path,
        ris("full", "Sampling-based estimation of distinct values in column stores",
            ["Guha, Sudipto", "Rastogi, Rajeev"], TY="CONF", PY="2001",
            T2="Proceedings of the ACM SIGMOD International Conference on Management of Data"),
        db=db,
    )
    bib = tmp_path / "dblp.bib"
    bib.write_text(
        "@inproceedings{guha01,\n  title = {sampling-based estimation of distinct values in"
        " column stores},\n  author = {s guha and r rastogi},\n"
        "  booktitle = {sigmod conference},\n  year = {2001}\n}\n",
        encoding="utf-8",
    )
    assert run_cli("add", "--no-enrich", bib, db=db).returncode == 0
    assert works(db) == {frozenset({"full", "guha01"})}


# Sparse cross-source records (DBLP vs Google Scholar style): each general rule of
# records/dedup/test_sparse_records.py once through the pipeline, with a pair it must keep apart.
_SPARSE_TITLE = "Adaptive partitioning of skewed stream joins on shared-nothing clusters"


def test_sparse_records_with_one_author_and_no_year_or_venue_are_one_work(tmp_path):
    db = add(
        tmp_path,
        ris("dblp", _SPARSE_TITLE, ["Lindqvist, K."], TY="CONF", PY="2004",
            T2="SIGMOD Conference"),
        # A scraped citation: lower case, the author's initials run together, nothing else.
        ris("scholar", _SPARSE_TITLE.lower(), ["Lindqvist, KH"], TY="CONF"),
        # The same author's other paper under a similar title stays apart.
        ris("other", "Adaptive partitioning of skewed stream aggregates", ["Lindqvist, K."],
            TY="CONF", PY="2004", T2="SIGMOD Conference"),
    )
    assert works(db) == {frozenset({"dblp", "scholar"})}


def test_citation_details_run_into_a_title_do_not_make_another_title(tmp_path):
    people = ["Lindqvist, Kirsi", "Oduya, Marta", "Brandauer, Thomas"]
    clean = ris("clean", _SPARSE_TITLE, people, TY="CONF", PY="2004", T2="VLDB")
    db = add(
        tmp_path,
        clean,
        # The venue run into the end of the title.
        ris("venue", _SPARSE_TITLE + ". In: Proceedings of the 30th International Conference on"
            " Very", people, TY="CONF"),
        # Words of another kind after the title: another paper, not a spill.
        ris("longer", _SPARSE_TITLE + " with heterogeneous network links", people, TY="CONF",
            PY="2005", T2="VLDB"),
    )
    assert works(db) == {frozenset({"clean", "venue"})}
    # The last author, cut from the list, run into the start of the title. (In one library with
    # "venue" it would stay apart: the two broken titles share neither end, and a cluster joins
    # only records that are not "distinct" from each other.)
    db = add(tmp_path, clean, ris("names", "Thomas Brandauer. " + _SPARSE_TITLE, people[:2],
                                  TY="CONF"), name="names.ris", db=tmp_path / "names.db")
    assert works(db) == {frozenset({"clean", "names"})}


def test_swapped_and_damaged_author_names_and_a_venue_that_is_a_publisher_agree(tmp_path):
    db = add(
        tmp_path,
        ris("dblp", _SPARSE_TITLE, ["Garcia-Moreno, Helena", "Hellerstein, Ruth"], TY="CONF",
            PY="2004", T2="VLDB"),
        # One double family name in part, one OCR-damaged, the venue a university.
        ris("scan", _SPARSE_TITLE, ["Garcia, H.", "Helerstien, R."], TY="CONF",
            T2="Universität Hagen"),
    )
    assert works(db) == {frozenset({"dblp", "scan"})}


def test_sparse_records_in_two_journals_two_years_apart_stay_apart(tmp_path):
    people = ["Lindqvist, Kirsi", "Oduya, Marta"]
    db = add(
        tmp_path,
        ris("conf", _SPARSE_TITLE, people, PY="2004", T2="VLDB Journal"),
        ris("journal", _SPARSE_TITLE, people, PY="2006", T2="ACM Transactions on Database Systems"),
    )
    assert works(db) == set()


# Broken copies of one citation (third pass, tests/records/dedup/test_broken_copies.py): the
# author list and year run into the end of a title, each copy's own cut of the authors before
# the title, words fused by an extraction, and a title reworded by one source.
def test_a_title_holding_its_record_s_authors_venue_and_year_is_read_for_comparison(tmp_path: Path) -> None:
    people = ["Lindqvist, Kirsi", "Oduya, Marta", "Haverkamp, Tobias"]
    title = "Elastic stream joins"  # short: too few words to be found as a title with a spill
    db = add(
        tmp_path,
        ris("clean", title, people, TY="CONF", PY="2004", T2="VLDB"),
        # A "dirty" export: no author, year or venue field, all of them after the title.
        ris("dirty", title.lower() + " k lindqvist , m oduya , t haverkamp vldb 2004", [],
            TY="CONF"),
        # The same shape with other people: another paper under the same title.
        ris("others", title.lower() + " j marsh , p okonkwo vldb 2004", [], TY="CONF"),
    )
    assert works(db) == {frozenset({"clean", "dirty"})}


def test_broken_copies_of_one_citation_join_their_record(tmp_path: Path) -> None:
    people = ["Lindqvist, Kirsi", "Oduya, Marta", "Haverkamp, Tobias"]
    title = "Replicated logging of mobile sensor network transactions"
    clean = ris("clean", title, people, TY="CONF", PY="2001", T2="VLDB")
    scenarios = {
        # Two scraped copies, each with another cut of the author list before the title: they
        # share the title's end only.
        "cuts": [
            clean,
            ris("cut1", "kirsi lindqvist , marta oduya , and t. haverkamp . " + title.lower(),
                people[:2], TY="CONF"),
            ris("cut2", "oduya , m. , and haverkamp , t. ( 2001 ) in proceedings vldb , "
                + title.lower(), people[:1], TY="CONF"),
        ],
        # Records without authors (some indexes drop them) need the same title: words fused by
        # a PDF extraction are the same title.
        "fused": [
            ris("clean", title, [], TY="CONF", PY="2001", T2="VLDB"),
            ris("fused", "Replicated loggingof mobilesensor network transactions", [],
                TY="CONF", PY="2001"),
        ],
        # A copy with its first word lost and one with a word abbreviated and no date: reworded
        # against each other (a pair for review, not "distinct"), each the clean record's
        # duplicate, so nothing keeps them apart.
        "reworded": [
            clean,
            ris("lost", title.split(" ", 1)[1], people, TY="CONF", PY="2001", T2="VLDB"),
            ris("short", "Replicated logs of mobile sensor network transactions", people,
                TY="CONF"),
        ],
    }
    for name, records in scenarios.items():
        db = add(tmp_path, *records, name=f"{name}.ris", db=tmp_path / f"{name}.db")
        ids = {r.split("ID  - ")[1].split("\n")[0] for r in records}
        assert works(db) == {frozenset(ids)}, name


def test_a_collection_named_as_the_author_does_not_keep_a_paper_apart(tmp_path: Path) -> None:
    title = "Replicated logging of mobile sensor network transactions"
    people = ["Lindqvist, Kirsi", "Oduya, Marta"]
    db = add(
        tmp_path,
        ris("paper", title, people, TY="JOUR", PY="2001", T2="SIGMOD Record"),
        # A site listing the paper under the collection it is in, as if that were the author.
        ris("listed", title, ["Anthology, ACMS", "Edition, P"], TY="JOUR", PY="2001",
            T2="SIGMOD Record"),
        # Other people under the same title: still a conflict, not merged.
        ris("others", title, ["Marsh, Jonas", "Okonkwo, Pita"], TY="JOUR", PY="2001",
            T2="SIGMOD Record"),
    )
    assert works(db) == {frozenset({"paper", "listed"})}


def test_a_fused_title_with_a_name_before_it_joins_its_record(tmp_path: Path) -> None:
    # Only the title's last letters are left to find the pair by: a name run into its start,
    # words fused by an extraction, no date.
    people = ["Lindqvist, Kirsi", "Oduya, Marta", "Okonkwo, Jude"]
    db = add(
        tmp_path,
        ris("clean", "Incremental upkeep of materialized views in a warehousing environment",
            people, TY="CONF", PY="1995", T2="VLDB"),
        ris("fused", "okonkwo . incremental upkeep ofmaterialized views in awarehousing environment",
            people[:2], TY="CONF"),
    )
    assert works(db) == {frozenset({"clean", "fused"})}


def test_author_names_garbled_by_a_character_set_confusion_still_agree(tmp_path: Path) -> None:
    title = "Realm based spatial data types for moving regions"
    common = {"TY": "CONF", "PY": "1995", "T2": "VLDB"}
    db = add(
        tmp_path,
        ris("clean", title, ["Böhm, Ruth"], **common),
        # Latin-1 read as ISO 8859-5 ("ö" as "і"), and UTF-8 read as Latin-1 ("ö" as "Ã¶").
        ris("cyrillic", title, ["Bіhm, Ruth"], **common),
        ris("utf8", title, ["BÃ¶hm, Ruth"], **common),
        # Another person with a short name: not the same paper.
        ris("other", title, ["Bahr, Ruth"], **common),
    )
    assert works(db) == {frozenset({"clean", "cyrillic", "utf8"})}


def test_a_single_name_citation_does_not_keep_a_paper_s_copies_apart(tmp_path: Path) -> None:
    title = "Garbage collection in object stores using transactional cyclic reference counting"
    people = ["Lindqvist, Kirsi", "Oduya, Marta", "Haverkamp, Tobias"]
    common = {"TY": "CONF", "PY": "1997", "T2": "VLDB"}
    db = add(
        tmp_path,
        ris("clean", title, people, **common),
        ris("cut", title, people[:2], **common),
        # A scraped citation that kept only the last author: the clean record's duplicate,
        # and no reason to call it another paper than the cut copy.
        ris("last", title, people[2:], TY="CONF"),
        # Other people under the same title: another paper.
        ris("others", title, ["Marsh, Jonas", "Okonkwo, Pita"], **common),
    )
    assert works(db) == {frozenset({"clean", "cut", "last"})}


# -- titles naming different items of a series ---------------------------------------------------
def test_titles_naming_different_items_of_a_series_stay_apart(tmp_path: Path) -> None:
    people = ["Okafor, Chidi"]
    base = "Portal pressure in a test import record"
    # Two one-record imports, same author and year, the titles differing in a final letter.
    db = add(tmp_path, ris("b", f"{base} b", people, PY="2021"), name="b.ris")
    db = add(tmp_path, ris("c", f"{base} c", people, PY="2021"), name="c.ris", db=db)
    series = "Imaging of the biliary tree"
    common = {"PY": "2021", "T2": "Journal of Hepatology"}
    db = add(
        tmp_path,
        ris("partA", f"{series}, Part A", people, **common),
        ris("partB", f"{series}, Part B", people, **common),
        ris("vol1", f"{series} I", people, **common),
        ris("vol2", f"{series} II", people, **common),
        # The same item twice is one work.
        ris("vol2again", f"{series} II.", people, **common),
        name="series.ris",
        db=db,
    )
    assert works(db) == {frozenset({"vol2", "vol2again"})}
    # Different works, not pairs for a person to review.
    assert not review_pairs(db) & {
        frozenset({"b", "c"}),
        frozenset({"partA", "partB"}),
        frozenset({"vol1", "vol2"}),
    }


# -- fifth pass: a conference's acronym and its words; given names run together as initials ----
def test_a_conference_named_by_its_acronym_and_by_its_words_is_one_venue(tmp_path: Path) -> None:
    people = ["Lindqvist, Kirsi", "Oduya, Marta", "Haverkamp, Tobias"]
    reworded = "Partitioning skewed stream joins adaptively on shared-nothing clusters"
    db = add(
        tmp_path,
        ris("dblp", _SPARSE_TITLE, people, TY="CONF", PY="2004", T2="VLDB"),
        # The same several authors under a reworded title: one paper when the venue agrees.
        ris("scholar", reworded, people, TY="CONF", T2="Proc. of Very Large Data Bases"),
        # The same in another conference (the same initials but one): another paper.
        ris("other", reworded, people, TY="CONF", T2="Proc. of Very Large Knowledge Bases"),
    )
    assert works(db) == {frozenset({"dblp", "scholar"})}
    # The conference's name cut short after its first words, as a scraper keeps it; cut after
    # one word it names nothing that can be checked.
    dblp = ris("dblp", _SPARSE_TITLE, people, TY="CONF", PY="2004", T2="VLDB")
    for venue, expected in (
        ("Proc. of the 30th Int'l Conf. on Very Large Data", {frozenset({"dblp", "cut"})}),
        ("Proc. of the 30th Int'l Conf. on Very", set()),
    ):
        db = add(tmp_path, dblp, ris("cut", reworded, people, TY="CONF", T2=venue),
                 name="cut.ris", db=tmp_path / f"cut{len(venue)}.db")
        assert works(db) == expected, venue


def test_given_names_written_as_family_names_with_initials_run_together_agree(
    tmp_path: Path,
) -> None:
    db = add(
        tmp_path,
        ris("dblp", _SPARSE_TITLE, ["Lindqvist, K.", "Oduya, M."], TY="CONF", PY="2004",
            T2="SIGMOD Conference"),
        # "Kirsi Lindqvist, Marta J. Oduya" as a scraper split them, lower-cased: the given name
        # as the family name, the family's initial run into the given initials ("jo"; capitals
        # "JO" the readers already split into initials).
        ris("scholar", _SPARSE_TITLE.lower(), ["kirsi, l", "marta, jo"], TY="CONF",
            T2="Proceedings of the 2004 ACM SIGMOD Conference"),
        # Letters that cross with nobody: other people under the same title.
        ris("other", _SPARSE_TITLE.lower(), ["kirsi, p", "ines, jx"], TY="CONF",
            T2="Proceedings of the 2004 ACM SIGMOD Conference"),
    )
    assert works(db) == {frozenset({"dblp", "scholar"})}


def test_an_affiliation_run_into_a_title_does_not_make_another_title(tmp_path: Path) -> None:
    title = "Incremental maintenance of spatial joins in external memory"
    db = add(
        tmp_path,
        ris("dblp", title, ["Lindqvist, K."], TY="CONF", PY="1999", T2="VLDB"),
        # A scraped report: its issuer run into the title, one author, no year.
        ris("report", f"{title.lower()}. university of maryland", ["lindqvist, kh"], TY="CONF",
            T2="Proceedings of the 25th VLDB Conference"),
        # A subtitle that mentions a university: left for review, not merged.
        ris("subtitle", f"{title}: a case study at a university", ["Lindqvist, K."], TY="CONF",
            T2="Proceedings of the 25th VLDB Conference"),
    )
    assert works(db) == {frozenset({"dblp", "report"})}
    assert frozenset({"dblp", "subtitle"}) in review_pairs(db)


def test_a_venue_run_into_the_end_of_a_title_does_not_make_another_title(
    tmp_path: Path,
) -> None:
    title = "Temporal aggregation in active database rules"
    tail = " proceedings of the 1997 acm sigmod international conference &hellip; ,"
    db = add(
        tmp_path,
        # A "dirty" export: the venue after the title, the year in its field, one author.
        ris("dirty", f"{title.lower()} sigmod conference", ["lindqvist, k"], TY="CONF",
            PY="1997"),
        ris("clean", title, ["Lindqvist, Kirsi"], TY="CONF"),
        # Two other papers that end with one proceedings string stay apart.
        ris("p1", "index selection in a self-adaptive data base management system" + tail,
            ["hammer, m", "chan, a"], TY="CONF"),
        ris("p2", "template-based wrappers in the tsimmis system" + tail,
            ["hammer, j", "garcia-molina, h"], TY="CONF"),
        # Nor are two records without authors whose titles share only that string a pair for
        # review.
        ris("q1", "global query optimization" + tail.replace("1997", "1986"), [], TY="CONF"),
        ris("q2", "equi-depth multidimensional histograms" + tail.replace("1997", "1988"), [],
            TY="CONF"),
    )
    assert works(db) == {frozenset({"dirty", "clean"})}
    assert frozenset({"q1", "q2"}) not in review_pairs(db)


def test_two_copies_naming_their_venue_by_acronym_and_by_words_in_the_title_agree(
    tmp_path: Path,
) -> None:
    title = "temporal slicing in the evaluation of xml queries"
    people = ["lindqvist, k", "oduya, m"]
    db = add(
        tmp_path,
        # Two dirty exports of one citation: the venue after the title, once by its acronym
        # with the year, once by its words cut short.
        ris("acronym", f"{title} vldb 2003", people, TY="CONF"),
        ris("words", f"{title} proceedings of the international conference on very large"
            " &hellip; ,", people, TY="CONF", PY="2003"),
        # The same title going on with words of a title: another paper.
        ris("longer", f"{title} for very large document collections", people, TY="CONF",
            PY="2004"),
    )
    assert works(db) == {frozenset({"acronym", "words"})}


def test_a_few_names_from_far_down_a_long_author_list_agree(tmp_path: Path) -> None:
    title = "An online metadata repository for high energy physics detector conditions"
    team = [f"{family}, {family[0].upper()}." for family in (
        "Abreu", "Bianchi", "Castro", "Dias", "Esteves", "Faria", "Gomes", "Horta", "Inacio",
        "Jardim", "Kolos", "Lucio", "Mapelli", "Nunes", "Osorio", "Pedro", "Ribeiro")]
    db = add(
        tmp_path,
        ris("full", title, team, TY="CONF", PY="2002", T2="VLDB"),
        # A citation that kept four names, three of them after the long list's twelfth.
        ris("cut", title, ["Bianchi, B.", "Ribeiro, R.", "Lucio, L.", "Pedro, P."], TY="CONF",
            T2="Proceedings of the 28th VLDB"),
        # Four other people under the same title: not the team's paper.
        ris("others", title, ["Marsh, J.", "Okonkwo, T.", "Varga, S.", "Quist, W."], TY="CONF",
            T2="Proceedings of the 28th VLDB"),
    )
    assert works(db) == {frozenset({"full", "cut"})}


# -- sixth pass: two "duplicate" verdicts through a record between them outweigh a "distinct" ----
def test_broken_copies_each_a_duplicate_of_their_record_are_not_kept_apart_by_their_titles(
    tmp_path: Path,
) -> None:
    people = ["Lindqvist, Kirsi", "Oduya, Marta", "Haverkamp, Tobias"]
    title = "Adaptive replication of mobile sensor network logs"
    clean = ris("clean", title, people, TY="CONF", PY="2001", T2="VLDB")
    # Its last word garbled, the venue written otherwise, no date.
    typo = ris("typo", "Adaptive replication of mobile sensor network locks", people, TY="CONF",
               T2="Proc. of VLDB")
    # The authors a scrape cut from the list run into the start of the title.
    cut = ris("cut", "oduya , m. , and haverkamp , t. " + title.lower(), people[:1], TY="CONF")
    # The two copies are "distinct" by their titles (0.78), each a duplicate of the clean
    # record, whose title is closer to each of them: one work, whatever the order.
    for n, order in enumerate(itertools.permutations([clean, typo, cut])):
        db = add(tmp_path, *order, name=f"o{n}.ris", db=tmp_path / f"o{n}.db")
        assert works(db) == {frozenset({"clean", "typo", "cut"})}, n
    # `harvester show` says why the "distinct" pair did not keep them apart (the order in
    # which the cut copy comes last; in others a record joins two works, and says so).
    db = tmp_path / "o0.db"
    key = report(db)["clusters"][0]["key"]
    shown = json.loads(run_cli("show", "--json", key, db=db).stdout)
    reasons = [r for m in shown["records"] for r in (m["joined"] or {}).get("for", [])]
    assert any("by the title alone, outweighed: a duplicate of both sits between them" in r
               for r in reasons), reasons
    # Left alone: the two copies without their record, and a copy by other people.
    db = add(tmp_path, typo, cut, name="copies.ris", db=tmp_path / "copies.db")
    assert works(db) == set()
    others = ris("others", "Adaptive replication of mobile sensor network locks",
                 ["Marsh, Jonas", "Okonkwo, Pita"], TY="CONF", T2="Proc. of VLDB")
    db = add(tmp_path, clean, others, cut, name="others.ris", db=tmp_path / "others.db")
    assert works(db) == {frozenset({"clean", "cut"})}


# -- seventh pass: a specific title weighs more than a short one --------------------------------
def test_a_bare_citation_of_a_specific_title_joins_its_paper_and_a_short_title_is_reviewed(
    tmp_path: Path,
) -> None:
    people = ["Lindqvist, Kirsi", "Oduya, Marta"]
    initials = ["Lindqvist, K.", "Oduya, M."]
    full = ris("full", "Incremental maintenance of spatial join indexes for moving sensor streams",
               people, TY="CONF", PY="2003", T2="Proceedings of the Workshop on Sensor Data")
    # A bare citation (no year, no venue) whose title a source reworded in two places: six
    # significant words shared, the same two authors, nothing in conflict.
    cited = ris("cited", "Incremental maintenance of spatial join indices for moving sensor data",
                initials, TY="CONF")
    db = add(tmp_path, full, cited, name="specific.ris", db=tmp_path / "specific.db")
    assert works(db) == {frozenset({"full", "cited"})}
    key = report(db)["clusters"][0]["key"]
    shown = json.loads(run_cli("show", "--json", key, db=db).stdout)
    reasons = [r for m in shown["records"] for r in (m["joined"] or {}).get("for", [])]
    assert "a specific title (6 significant words shared)" in reasons, reasons
    assert any(r.startswith("weighed evidence") for r in reasons), reasons
    # Left alone: a short title (five significant words) with the same evidence is for review,
    # and so is the specific one a year apart.
    short = ris("short", "Mining quantitative rules in large relational tables", people,
                TY="CONF", PY="2003", T2="Proceedings of the Workshop on Sensor Data")
    short_cited = ris("short-cited", "Mining quantitative rules in large tables", initials,
                      TY="CONF")
    later = ris("later", "Incremental maintenance of spatial join indices for moving sensor data",
                initials, TY="CONF", PY="2004")
    db = add(tmp_path, short, short_cited, full, later, name="alone.ris", db=tmp_path / "a.db")
    assert works(db) == set()
    assert review_pairs(db) == {frozenset({"short", "short-cited"}), frozenset({"full", "later"})}


def test_two_instalments_of_a_column_are_not_one_work_without_a_locator(tmp_path: Path) -> None:
    # A column recurs under one title by one editor: two instalments of one year, the venue
    # named two ways, no volume, issue or pages. Review, not a merge.
    first = ris("first", "Book review column", ["Okafor, Chidi"], PY="2002", T2="SIGMOD Record")
    second = ris("second", "Book Review Column", ["Okafor, C."], PY="2002", T2="SIGMOD")
    db = add(tmp_path, first, second, name="columns.ris", db=tmp_path / "columns.db")
    assert works(db) == set()
    assert review_pairs(db) == {frozenset({"first", "second"})}
    pair = report(db)["pairs"][0]
    assert "a column's title recurs in every issue" in " ".join(pair["evidence"]["against"]), pair
    # Left alone: the same instalment with its locator is one work.
    a = ris("a", "Book review column", ["Okafor, Chidi"], PY="2002", T2="SIGMOD Record", VL="31",
            IS="2", SP="88", EP="90")
    b = ris("b", "Book Review Column", ["Okafor, C."], PY="2002", T2="SIGMOD Record", VL="31",
            IS="2", SP="88-90")
    db = add(tmp_path, a, b, name="located.ris", db=tmp_path / "located.db")
    assert works(db) == {frozenset({"a", "b"})}


# -- eighth pass: two versions of a work are not chained through a bare citation ---------------
def test_a_bare_citation_does_not_chain_a_conference_paper_to_its_journal_version(
    tmp_path: Path,
) -> None:
    # A source that types every record alike and names venues by their short names (here all
    # JOUR, DBLP's "VLDB" / "VLDB J."): a conference paper, its journal version a year later,
    # and a bare citation (title and authors only) that is a duplicate of both. The two
    # versions are a pair for review; the citation joins one of them, never both, whatever the
    # order.
    people = ["Lindqvist, Kirsi", "Oduya, Marta", "Haverkamp, Tobias"]
    title = "Adaptive replication of mobile sensor network logs"
    conf = ris("conf", title, people, PY="2002", T2="VLDB")
    jour = ris("jour", title, people, PY="2003", T2="VLDB J.")
    bare = ris("bare", title, people)
    seen = set()
    for n, order in enumerate(itertools.permutations([conf, jour, bare])):
        db = add(tmp_path, *order, name=f"v{n}.ris", db=tmp_path / f"v{n}.db")
        found = works(db)
        assert found in ({frozenset({"conf", "bare"})}, {frozenset({"jour", "bare"})}), (n, found)
        seen.add(frozenset(found))
        pairs = report(db)["pairs"]
        assert frozenset({"conf", "jour"}) in review_pairs(db), n
        versions = [p for p in pairs if {p["a"]["id"], p["b"]["id"]} == {"conf", "jour"}]
        # What `harvester duplicates` (and `show` on the pair) says keeps them apart.
        assert "another year and another venue" in " ".join(versions[0]["evidence"]["against"])
        assert not any(r.startswith("veto") for r in versions[0]["evidence"]["against"])
    assert len(seen) == 1  # the same work whatever the order
    # Left alone: the same venue a year apart (an ahead-of-print record and its issue) is one
    # work with the citation, as before.
    early = ris("early", title, people, PY="2002", T2="VLDB J.")
    db = add(tmp_path, early, jour, bare, name="early.ris", db=tmp_path / "early.db")
    assert works(db) == {frozenset({"early", "jour", "bare"})}


# -- class 8: order independence ------------------------------------------------------------------
# A chain: "mid" is a duplicate of both ends, the two ends are not (other first pages in one
# volume), plus a pair and a loner. Whichever order they arrive in, the works are the same.
_TITLE = "Ambulatory blood pressure variability and silent cerebral infarcts"
_PEOPLE = ["Haugen, Siri", "Oduya, Kwame", "Rossi, Marta"]
CHAIN = [
    ris("left", _TITLE, _PEOPLE, T2="Hypertension", VL="61", SP="1120", PY="2013"),
    ris("mid", _TITLE, _PEOPLE, T2="Hypertension", PY="2013"),
    ris("right", _TITLE, _PEOPLE, T2="Hypertension", VL="61", SP="1404", PY="2013"),
    ris("x1", "Salt intake and nocturnal dipping in adolescents", ["Berg, Ola"],
        T2="J Hypertens", VL="30", SP="55", EP="61", PY="2012", DO="10.5555/jh.2012.55"),
    ris("x2", "Salt intake and nocturnal dipping in adolescents.", ["Berg, O"],
        T2="Journal of Hypertension", VL="30", SP="55-61", PY="2012", DO="10.5555/JH.2012.55"),
    ris("lone", "Renal denervation outcomes in resistant hypertension", ["Abe, Ken"],
        T2="Hypertension", VL="61", SP="900", PY="2013"),
]


def test_records_in_any_order_inside_a_file_give_the_same_works_after_dedupe(tmp_path):
    # `harvester dedupe` places the whole library in the order of the records' content, so its
    # works do not depend on the file's order (an import gives the same works by itself:
    # tests/harvester/test_dedup_order.py).
    orders = list(itertools.permutations(range(len(CHAIN))))
    random.Random(14).shuffle(orders)
    seen = set()
    for n, order in enumerate(orders[:6]):
        db = add(tmp_path, *(CHAIN[i] for i in order), name=f"o{n}.ris", db=tmp_path / f"{n}.db")
        assert run_cli("dedupe", db=db).returncode == 0
        seen.add(frozenset(works(db)))
    assert len(seen) == 1
    (only,) = seen
    assert frozenset({"x1", "x2"}) in only
    # The chain's ends never share a work.
    assert not any({"left", "right"} <= w for w in only)


def test_files_imported_in_any_order_then_dedupe_give_the_same_works_every_time(tmp_path):
    files = [CHAIN[0:2], CHAIN[2:4], CHAIN[4:6]]
    outcomes = set()
    for n, order in enumerate(itertools.permutations(range(3))):
        db = tmp_path / f"lib{n}.db"
        for i in order:
            add(tmp_path, *files[i], name=f"f{i}.ris", db=db)
        first = run_cli("dedupe", db=db)
        assert first.returncode == 0, first.stderr
        after = works(db)
        assert run_cli("dedupe", db=db).returncode == 0
        assert works(db) == after  # the same works every time
        outcomes.add(frozenset(after))
    assert len(outcomes) == 1


# Dirty records (issue 14, seventh pass): a venue run into the end of the title of a record that
# has none is read for comparison, so the title compares as a title and the venue as a venue.
def test_a_venue_run_into_the_title_of_a_record_with_authors_is_read_as_its_venue(
    tmp_path: Path,
) -> None:
    people = ["Lindqvist, Kirsi", "Oduya, Marta"]
    # The dirty export: authors and year in their fields, the venue after the title.
    dirty = ris("dirty", "Elastic joins over sliding windows of sensor streams sigmod conference",
                people, TY="CONF", PY="2004")
    # The same paper from another source, one letter dropped, no year, its venue written out.
    other = ris("other", "Elastic joins over sliding window of sensor streams", people, TY="CONF",
                T2="Proceedings of the ACM SIGMOD International Conference on Management of Data")
    # The same dirty shape by other people: another paper.
    others = ris("others",
                 "Elastic joins over sliding windows of sensor streams sigmod conference",
                 ["Marsh, Jonas", "Okonkwo, Pita"], TY="CONF", PY="2004")
    db = add(tmp_path, dirty, other, others)
    assert works(db) == {frozenset({"dirty", "other"})}
    key = report(db)["clusters"][0]["key"]
    shown = json.loads(run_cli("show", "--json", key, db=db).stdout)
    reasons = [r for m in shown["records"] for r in (m["joined"] or {}).get("for", [])]
    assert "venue read from the end of a title" in reasons, reasons


def test_a_title_after_names_run_into_its_start_meets_its_record(tmp_path: Path) -> None:
    # A scraped citation: the end of its author list before the title, set off by a full stop,
    # the rest of the list after it. Its first words, last words and longest words are all
    # someone's names: only the keys of the title after the lead meet the clean record.
    title = "Replicated logging of mobile sensor network transactions"
    db = add(
        tmp_path,
        ris("clean", title, ["Oduya, Marta", "Lindqvist, Kirsi"], TY="CONF", PY="2001",
            T2="VLDB"),
        ris("scraped", f"Marta Oduya. {title} K Lindqvist", [], TY="CONF"),
        # The same shape with other people: another paper under the same title.
        ris("others", f"Jonas Marsh. {title} P Okonkwo", [], TY="CONF"),
    )
    assert works(db) == {frozenset({"clean", "scraped"})}


def test_a_venue_acronym_run_into_the_title_is_read_as_the_venue(tmp_path: Path) -> None:
    # Eighth pass: a copied reference with the venue's acronym alone after the title, the
    # authors and year in their fields; the other source has a typo in the title (so no spill
    # rule sees the acronym) and writes the venue out.
    people = ["Lindqvist, Kirsi", "Oduya, Marta"]
    dirty = ris("dirty", "Elastic joins over sliding windows of sensor streams ICDE", people,
                TY="CONF", PY="2004")
    other = ris("other", "Elastic joins over sliding window of sensor streams", people, TY="CONF",
                T2="Proceedings of the International Conference on Data Engineering")
    # The same dirty shape by other people: another paper.
    others = ris("others", "Elastic joins over sliding windows of sensor streams ICDE",
                 ["Marsh, Jonas", "Okonkwo, Pita"], TY="CONF", PY="2004")
    db = add(tmp_path, dirty, other, others)
    assert works(db) == {frozenset({"dirty", "other"})}
    key = report(db)["clusters"][0]["key"]
    shown = json.loads(run_cli("show", "--json", key, db=db).stdout)
    reasons = [r for m in shown["records"] for r in (m["joined"] or {}).get("for", [])]
    assert "venue read from the end of a title" in reasons, reasons
