"""Pair verdicts: identity, vetoes, and the evidence they report."""

from __future__ import annotations

from typing import Any

from records.dedup import compare, prepare
from records.model import CSLItem

ARTICLE: CSLItem = {
    "type": "article-journal",
    "title": "Intrapleural therapy for malignant pleural effusions: a randomized comparison",
    "author": [
        {"family": "Ruckdeschel", "given": "John C."},
        {"family": "Moores", "given": "Dennis"},
        {"family": "Lee", "given": "Jane Y."},
    ],
    "issued": {"date-parts": [[1991]]},
    "container-title": "Chest",
    "volume": "100",
    "issue": "6",
    "page": "1528-1535",
}


def variant(**changes: Any) -> CSLItem:
    item = dict(ARTICLE)
    for key, value in changes.items():
        if value is None:
            item.pop(key.replace("_", "-"), None)
        else:
            item[key.replace("_", "-")] = value
    return item


def verdict(a: CSLItem, b: CSLItem) -> str:
    return compare(prepare(a), prepare(b)).verdict


def test_same_record_written_differently_is_duplicate() -> None:
    other = variant(
        title="INTRAPLEURAL THERAPY FOR MALIGNANT PLEURAL EFFUSIONS. A RANDOMIZED COMPARISON.",
        author=[{"family": "Ruckdeschel", "given": "J. C."}, {"family": "Moores", "given": "D."}],
        page="1528-35",
        container_title="Chest (American College of Chest Physicians)",
        issue=None,
    )
    decision = compare(prepare(ARTICLE), prepare(other))
    assert decision.verdict == "duplicate"
    assert "same first page" in decision.evidence_for
    assert not decision.vetoed


def test_symmetric() -> None:
    other = variant(title="Intrapleural therapy for malignant pleural effusion", issue="7")
    assert verdict(ARTICLE, other) == verdict(other, ARTICLE)


def test_shared_doi_and_title_is_duplicate_despite_sparse_fields() -> None:
    a = variant(DOI="10.1378/chest.100.6.1528")
    b = {"title": ARTICLE["title"], "DOI": "10.1378/CHEST.100.6.1528"}
    assert verdict(a, b) == "duplicate"


def test_shared_doi_with_different_title_is_only_maybe() -> None:
    a = variant(DOI="10.1000/x1")
    b = {"title": "Annual report of the society treasurer", "DOI": "10.1000/x1"}
    assert verdict(a, b) == "maybe"


def test_conflicting_strong_identifiers_veto() -> None:
    a = variant(PMID="1000001")
    b = variant(PMID="1000002", title=ARTICLE["title"] + " in adults")
    d = compare(prepare(a), prepare(b))
    assert d.verdict == "distinct" and d.vetoed
    assert any("different PMID" in e for e in d.evidence_against)


def test_conflicting_doi_on_identical_record_goes_to_review() -> None:
    d = compare(prepare(variant(DOI="10.1000/a")), prepare(variant(DOI="10.1000/b")))
    assert d.verdict == "maybe" and d.vetoed


def test_shared_issn_isbn_journal_or_url_alone_never_identify() -> None:
    a = {
        "title": "Cardiac surgery outcomes",
        "ISSN": "0140-6736",
        "ISBN": "9780306406157",
        "URL": "https://example.org/x",
        "container-title": "Lancet",
    }
    b = {
        "title": "Renal transplant survival in children",
        "ISSN": "0140-6736",
        "ISBN": "9780306406157",
        "URL": "https://example.org/x",
        "container-title": "Lancet",
    }
    assert verdict(a, b) == "distinct"


def test_veto_different_pages_same_volume() -> None:
    other = variant(page="1536-1540")
    d = compare(prepare(ARTICLE), prepare(other))
    assert d.verdict == "distinct"
    assert "veto: different pages in the same volume" in d.evidence_against


def test_veto_different_volume_same_journal() -> None:
    assert verdict(ARTICLE, variant(volume="101")) == "distinct"


def test_veto_erratum_vs_target() -> None:
    erratum = variant(title="Erratum: " + ARTICLE["title"], page=None)
    d = compare(prepare(ARTICLE), prepare(erratum))
    assert d.verdict == "distinct" and d.vetoed


def test_veto_comment_and_reply_vs_target() -> None:
    for title in ("Comment on: " + ARTICLE["title"], "Reply to comments on " + ARTICLE["title"]):
        assert verdict(ARTICLE, variant(title=title, page=None)) == "distinct"


def test_veto_part_one_vs_part_two() -> None:
    one = variant(title="Linomide in progressive MS. Part 1: trial design", page=None)
    two = variant(title="Linomide in progressive MS. Part II: trial design", page=None)
    assert verdict(one, two) == "distinct"


def test_veto_different_editions() -> None:
    book = {
        "type": "book",
        "title": "Principles of internal medicine for clinicians",
        "author": [{"family": "Harrison", "given": "T"}],
        "edition": "2",
        "issued": {"date-parts": [[2010]]},
        "publisher": "McGraw",
    }
    assert verdict(book, {**book, "edition": "3rd edition"}) == "distinct"


def test_conference_abstract_vs_article_is_maybe_not_duplicate() -> None:
    abstract = variant(container_title="Chest: Annual Meeting Abstracts", page=None, volume="100")
    d = compare(prepare(ARTICLE), prepare(abstract))
    assert d.verdict == "maybe" and d.vetoed


def test_year_gap_over_one_vetoes_unless_identifiers_agree() -> None:
    late = variant(issued={"date-parts": [[1994]]}, page=None, volume=None)
    assert verdict(ARTICLE, late) != "duplicate"
    with_doi = variant(DOI="10.1000/x")
    late_doi = variant(issued={"date-parts": [[1994]]}, DOI="10.1000/x")
    assert verdict(with_doi, late_doi) == "duplicate"


def test_year_off_by_one_allowed() -> None:
    assert verdict(ARTICLE, variant(issued={"date-parts": [[1992]]})) == "duplicate"


def test_titles_naming_different_numbers_are_not_merged() -> None:
    a = variant(
        title="Five-year follow-up of patients treated with dasatinib", page=None, volume=None
    )
    b = variant(
        title="Six-year follow-up of patients treated with dasatinib", page=None, volume=None
    )
    assert verdict(a, b) != "duplicate"


def test_a_dropped_subtitle_naming_numbers_at_the_same_locator_is_the_same_article() -> None:
    main = "A phase I/II study of nedaplatin with radiotherapy in T4 esophageal cancer"
    full = variant(title=f"{main}: Japan Clinical Oncology Group trial (JCOG 9908)")
    assert verdict(full, variant(title=main)) == "duplicate"
    assert verdict(full, variant(title=main.upper())) == "duplicate"


def test_a_dropped_subtitle_does_not_excuse_other_numbers_or_another_locator() -> None:
    main = "A phase I/II study of nedaplatin with radiotherapy in T4 esophageal cancer"
    full = variant(title=f"{main}: five-year follow-up (JCOG 9908)")
    # The report of the trial and its follow-up: the follow-up elsewhere in the volume.
    assert verdict(full, variant(title=main, page="301-309")) != "duplicate"
    # Without pages or volume nothing says it is the same article.
    assert verdict(variant(title=full["title"], page=None), variant(title=main, page=None)) != (
        "duplicate"
    )
    # Numbers inside the shared words still differ: phase II vs phase III.
    other = main.replace("phase I/II", "phase III")
    assert verdict(full, variant(title=other)) != "duplicate"
    # Too short a start to be a main title ("Dasatinib" / "Dasatinib: 5 years on").
    assert verdict(variant(title="Dasatinib: 5 years on"), variant(title="Dasatinib")) != (
        "duplicate"
    )


def test_different_authors_same_generic_title() -> None:
    a = {
        "title": "Editorial",
        "author": [{"family": "Lee"}],
        "issued": {"date-parts": [[2001]]},
        "container-title": "MIS Quarterly",
        "volume": "25",
    }
    b = {**a, "author": [{"family": "Weber"}]}
    assert verdict(a, b) != "duplicate"
    same = {**a, "issue": "2"}
    assert verdict({**a, "issue": "1"}, same) != "duplicate"  # a recurring column, two issues


def test_translated_title_with_same_locator_is_duplicate() -> None:
    english = variant(title="[Comparison of amoxicillin and cefamandole in lung surgery]")
    french = variant(title="Antibioprophylaxie en chirurgie pulmonaire: étude contrôlée")
    assert verdict(english, french) == "duplicate"


def test_different_title_same_locator_without_translation_is_not_duplicate() -> None:
    other = variant(title="Big data analytics in human resource management")
    assert verdict(ARTICLE, other) != "duplicate"


def test_different_journals_need_more_than_the_venue_to_differ() -> None:
    # Issue 14, class 6: a venue name alone never keeps apart the same title, authors and year
    # (it is another name of the venue). A secondary publication elsewhere (ACP Journal Club
    # reprinting an abstract) has its own volume or issue: that keeps it apart.
    a = variant(container_title="Annals of Internal Medicine", page=None)
    b = variant(container_title="ACP Journal Club", page=None)
    assert verdict(a, b) == "duplicate"
    assert verdict(a, {**b, "volume": "115"}) != "duplicate"
    assert verdict(a, {**b, "issued": {"date-parts": [[1992]]}}) != "duplicate"


def test_the_same_sparse_citation_twice_is_duplicate_but_sparse_vs_full_needs_more() -> None:
    sparse = {
        "title": "Combinatorial optimization in inductive concept learning",
        "author": [{"family": "Mladenic", "given": "D."}],
    }
    assert verdict(sparse, dict(sparse)) == "duplicate"
    # A year and a venue on one side only: both records still hold nothing that could
    # contradict the match (no identifier, volume, pages or abstract), and what they both
    # hold agrees; a missing value is no evidence against it (issue 14, sparse records).
    dated = {**sparse, "issued": {"date-parts": [[1993]]}, "container-title": "Machine Learning"}
    assert verdict(sparse, dated) == "duplicate"
    # A full record has a locator the bare citation cannot confirm: review.
    fuller = {**dated, "volume": "12", "page": "211-230"}
    assert verdict(sparse, fuller) == "maybe"


def test_given_names_written_as_family_names_still_agree() -> None:
    a = {
        "title": "We don't need no education: required abilities in online labor markets",
        "author": [
            {"family": "Carignani", "given": "Andrea"},
            {"family": "Negri", "given": "Lorenzo"},
        ],
        "issued": {"date-parts": [[2010]]},
        "type": "paper-conference",
        "container-title": "International Conference on Information Systems",
    }
    b = {
        **a,
        "author": [
            {"family": "Andrea", "given": "Carignani"},
            {"family": "Lorenzo", "given": "Negri"},
        ],
        "container-title": "ICIS 2010 Proceedings",
    }
    assert verdict(a, b) == "duplicate"
    other_people = {
        **a,
        "author": [{"family": "Rossi", "given": "Marco"}, {"family": "Bianchi", "given": "Luca"}],
    }
    assert verdict(a, other_people) != "duplicate"


def test_titles_in_two_languages_with_the_same_locator() -> None:
    german = variant(title="Zum aktuellen Stand des Plattformkapitalismus in der Arbeitswelt")
    english = variant(title="The current situation of platform capitalism in the world of work")
    assert verdict(german, english) == "duplicate"
    # Without the page range nothing ties them: not merged.
    assert verdict({**german, "page": None}, {**english, "page": None}) != "duplicate"


def test_different_kinds_of_publication_are_not_merged() -> None:
    thesis = {**ARTICLE, "type": "thesis", "container-title": None, "page": None, "volume": None}
    thesis = {k: v for k, v in thesis.items() if v is not None}
    d = compare(prepare(ARTICLE), prepare(thesis))
    assert d.verdict != "duplicate" and d.vetoed
    # A conference paper published as a book chapter (LNCS) is one kind of publication.
    paper = {
        "type": "paper-conference",
        "title": "Incremental induction of decision trees by example",
        "author": [{"family": "Utgoff", "given": "P."}],
        "issued": {"date-parts": [[1989]]},
        "container-title": "Machine Learning Workshop",
        "page": "107-120",
    }
    chapter = {**paper, "type": "chapter"}
    assert verdict(paper, chapter) == "duplicate"


def test_overlapping_page_ranges_are_a_mistyped_locator() -> None:
    # Two articles of one volume share at most a boundary page: ranges that overlap more than
    # that cannot both be right, and the same title by the same authors says which article.
    shifted = variant(page="1526-1533")
    d = compare(prepare(ARTICLE), prepare(shifted))
    assert d.verdict == "duplicate" and not d.vetoed
    # Containment counts too (a range with a wrong end page), as long as most pages are shared.
    assert verdict(ARTICLE, variant(page="1528-1531")) == "duplicate"


def test_ranges_sharing_only_a_boundary_page_are_two_articles() -> None:
    following = variant(page="1535-1540")
    d = compare(prepare(ARTICLE), prepare(following))
    assert d.verdict == "distinct"
    assert "veto: different pages in the same volume" in d.evidence_against
    # A short item inside a long range shares too few of the long range's pages to matter when
    # the titles differ; with a recurring generic title the overlap proves nothing either.
    column = {
        "title": "Editorial",
        "author": [{"family": "Weber", "given": "R."}],
        "issued": {"date-parts": [[2001]]},
        "container-title": "MIS Quarterly",
        "volume": "25",
    }
    assert verdict({**column, "page": "1-4"}, {**column, "page": "2-5"}) == "distinct"


def test_overlapping_pages_with_another_title_are_still_two_articles() -> None:
    other = variant(
        title="Talc poudrage versus tetracycline for malignant pleural effusions",
        page="1526-1533",
    )
    assert verdict(ARTICLE, other) == "distinct"


def test_translated_title_same_locator_and_authors_under_another_journal_name() -> None:
    # The same volume, page range, year and several authors are one article whatever the
    # journal is called (a translated, transliterated or former name, or one garbled by a
    # character-set conversion).
    english = variant(
        title="[Intrapleural therapy of malignant effusions: a randomized comparison]",
        container_title="Revue des maladies respiratoires",
    )
    french = variant(
        title="Traitement intrapleural des épanchements malins: une comparaison randomisée",
        container_title="Rev Mal Respir Engl Ed",
    )
    assert verdict(english, french) == "duplicate"
    # One author is too little to overrule two journal names.
    alone = [{"family": "Ruckdeschel", "given": "J."}]
    assert verdict({**english, "author": alone}, {**french, "author": alone}) != "duplicate"
    # Nor does the rule apply to titles in one language that simply differ.
    other = {**french, "title": "Big data analytics in human resource management"}
    assert verdict(variant(container_title="Revue des maladies respiratoires"), other) != (
        "duplicate"
    )


def test_translated_title_same_locator_without_authors_needs_resembling_titles() -> None:
    # Some indexes drop the authors of foreign-language articles: the journal, volume, page
    # range and year still locate the article when the two translations resemble each other.
    bracketed = variant(title="[Postoperative immunotherapy in bronchial carcinoma: outcome]")
    anonymous = variant(
        title="Postoperative local immunotherapy in non-small-cell bronchial carcinoma",
        author=None,
    )
    assert verdict(bracketed, anonymous) == "duplicate"
    # Another title on the same pages, with nobody to compare, is not enough.
    unrelated = {**anonymous, "title": "Surgical management of oesophageal atresia in infants"}
    assert verdict(bracketed, unrelated) != "duplicate"
    # Nor is a resembling title under another journal name.
    elsewhere = {**anonymous, "container-title": "Thoraxchirurgie"}
    assert verdict(bracketed, elsewhere) != "duplicate"


ABSTRACT = (
    "Background: malignant pleural effusions recur in most patients. Methods: we randomized "
    "patients to intrapleural therapy or drainage alone and followed them for recurrence. "
    "Results: recurrence was less frequent after intrapleural therapy."
)


def test_another_journal_name_with_the_same_issue_and_abstract_is_one_journal() -> None:
    # A journal under its romanized and its English name, no pages on one side: the same
    # volume and issue with the same abstract place both records in one issue of one journal.
    romanized = variant(container_title="Kyobu Geka Zasshi", page=None, abstract=ABSTRACT)
    english = variant(container_title="Japanese Journal of Thoracic Surgery", abstract=ABSTRACT)
    assert verdict(romanized, english) == "duplicate"
    # Without the abstract: the same title, authors, year and volume, and only the journal's
    # name differs (issue 14, class 6): one work. In another issue: two publications (a reprint,
    # a secondary publication): review, not merge.
    assert verdict({**romanized, "abstract": None}, english) == "duplicate"
    assert verdict({**romanized, "issue": "7"}, english) == "maybe"


def test_a_year_in_the_volume_field_is_not_another_volume() -> None:
    # Some sources write the year as the volume of a magazine without volume numbering.
    magazine = {
        "type": "article-magazine",
        "title": "How a reluctant engineer learned to run a distributed company",
        "author": [{"family": "Moreau", "given": "Claire"}],
        "issued": {"date-parts": [[2016]]},
        "container-title": "Harvard Business Review",
        "volume": "94",
        "issue": "5",
        "page": "35-37",
    }
    year_as_volume = {**magazine, "volume": "2016", "issue": "May", "page": None}
    d = compare(prepare(magazine), prepare(year_as_volume))
    assert d.verdict == "duplicate" and not d.vetoed
    # Two real volume numbers still veto.
    assert verdict(magazine, {**year_as_volume, "volume": "95"}) == "distinct"


def test_a_column_heading_before_the_title_is_not_part_of_it() -> None:
    plain = {
        "type": "article-magazine",
        "title": "Steel mill upgrades for global specialist suppliers",
        "author": [{"family": "Lindqvist", "given": "A."}],
        "issued": {"date-parts": [[2016]]},
        "container-title": "Harvard Business Review",
    }
    headed = {**plain, "title": "How I did it... " + plain["title"], "volume": "94"}
    assert verdict(plain, headed) == "duplicate"
    assert verdict(plain, {**headed, "title": "Viewpoint: " + plain["title"]}) == "duplicate"
    # Without punctuation setting the words off, they belong to the title.
    unset = {
        **headed,
        "title": "Lessons from family steel mill upgrades for global specialist suppliers",
    }
    assert verdict(plain, unset) != "duplicate"
    # A heading naming another kind of record is not a column: a protocol, a letter.
    for kind in ("Study protocol: ", "Abstract: "):
        assert verdict(plain, {**headed, "title": kind + plain["title"]}) != "duplicate"


def test_a_short_title_under_a_heading_proves_nothing() -> None:
    plain = {
        "title": "The future of work",
        "author": [{"family": "Lindqvist", "given": "A."}],
        "issued": {"date-parts": [[2016]]},
        "container-title": "Harvard Business Review",
    }
    assert verdict(plain, {**plain, "title": "Big Idea: The future of work"}) != "duplicate"


def test_ahead_of_print_record_and_its_final_version_are_one_article() -> None:
    # Online-first: no volume yet, the PDF's own pages from 1, and often the year before the
    # issue's. Those pages say nothing about the final pagination.
    final = variant(issued={"date-parts": [[1992]]})
    ahead = variant(volume=None, issue=None, page="1-8")
    # In the same year the pages are no evidence against: one article.
    same_year = compare(prepare(variant()), prepare(ahead))
    assert same_year.verdict == "duplicate" and not same_year.vetoed
    # A year apart as well, nothing places the two (a retracted and republished article looks
    # the same): review, as bib-dedupe asks for the same year or non-contradicting pages.
    d = compare(prepare(final), prepare(ahead))
    assert d.verdict == "maybe" and d.vetoed
    assert "ahead-of-print" in " ".join(d.evidence_against)
    # A shared identifier settles it.
    assert verdict({**final, "DOI": "10.1000/x1"}, {**ahead, "DOI": "10.1000/x1"}) == "duplicate"
    # Pages 1-8 in a known volume are the volume's first article: another article.
    assert verdict(final, variant(page="1-8")) == "distinct"
    # The year rule still holds: two years apart is not the ahead-of-print version.
    assert verdict(variant(issued={"date-parts": [[1993]]}), ahead) != "duplicate"


def test_weighed_evidence_decides_what_the_rules_leave_open_and_says_so() -> None:
    # Issue 14: a similar title (a subtitle dropped), several authors all agreeing, the same
    # year, no venue on one side. The rules leave it open; the fitted weights decide, and the
    # evidence names the weight (what `harvester show` prints).
    full = {
        "title": "Adaptive sampling for approximate top-k queries over sensor streams: design"
        " and evaluation on a wireless testbed",
        "author": [{"family": "Ferreira", "given": "Ana"}, {"family": "Kowalski", "given": "Jan"}],
        "issued": {"date-parts": [[2006]]},
        "container-title": "Proceedings of the Workshop on Sensor Data Management",
    }
    cut = {**full, "title": "Adaptive sampling for approximate top-k queries over sensor streams"}
    del cut["container-title"]
    d = compare(prepare(full), prepare(cut))
    assert d.verdict == "duplicate"
    assert any(e.startswith("weighed evidence") for e in d.evidence_for)
    # Another year (a later version) is a conflict the weights do not outweigh.
    later = compare(prepare(full), prepare({**cut, "issued": {"date-parts": [[2007]]}}))
    assert later.verdict != "duplicate"
