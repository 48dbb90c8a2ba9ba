"""The policy for joining Crossref's record to a work (records/enrich_merge.py)."""

from __future__ import annotations

from records.enrich_merge import merge_crossref, merge_names, upgrade_policy
from records.parsers import parse_bytes
from tests.conftest import VUFIND_SEED


def test_gaps_filled_and_equal_values_kept():
    choice = upgrade_policy("volume", None, "18")
    assert (choice.value, choice.chosen, choice.conflict) == ("18", "crossref", False)
    assert upgrade_policy("volume", "18", None).value == "18"
    assert upgrade_policy("volume", "018", "18").chosen == "current"


def test_person_edit_is_never_overwritten_but_the_difference_is_kept():
    choice = upgrade_policy("page", "1-2", "459-471", edited=True)
    assert choice.value == "1-2" and choice.chosen == "current"
    assert choice.conflict and choice.crossref == "459-471"


def test_initials_upgraded_when_families_align():
    current = [{"family": "Radosa", "given": "C. G."}, {"family": "Hoffmann", "given": "R. T."}]
    crossref = [
        {"family": "Radosa", "given": "Christian G."},
        {
            "family": "Hoffmann",
            "given": "Ralf-Thorsten",
            "ORCID": "https://orcid.org/0000-0002-1825-0097",
        },
    ]
    choice = upgrade_policy("author", current, crossref)
    assert choice.chosen == "crossref" and not choice.conflict
    assert choice.value[0]["given"] == "Christian G."
    assert choice.value[1] == crossref[1]
    assert "full given names" in choice.reason and "ORCIDs" in choice.reason


def test_initials_that_do_not_fit_are_not_replaced():
    merged = merge_names(
        [{"family": "Radosa", "given": "M."}], [{"family": "Radosa", "given": "Christian"}]
    )
    assert merged is not None
    assert merged[0][0]["given"] == "M."


def test_other_names_are_a_conflict_and_the_list_stays():
    current = [{"family": "Smith", "given": "J."}]
    choice = upgrade_policy("author", current, [{"family": "Jones", "given": "Jane"}])
    assert choice.value == current and choice.conflict


def test_truncated_author_list_completed():
    current = [{"family": "de Mestier", "given": "L."}]
    crossref = [{"family": "de Mestier", "given": "Louis"}, {"family": "Zappa", "given": "Magaly"}]
    choice = upgrade_policy("author", current, crossref)
    assert [n["family"] for n in choice.value] == ["de Mestier", "Zappa"]
    assert choice.value[0]["given"] == "Louis"


def test_pages_dates_and_issns():
    assert upgrade_policy("page", "459", "459-471").value == "459-471"
    date = upgrade_policy("issued", {"date-parts": [[2017]]}, {"date-parts": [[2017, 12]]})
    assert date.value == {"date-parts": [[2017, 12]]} and not date.conflict
    other_year = upgrade_policy(
        "issued", {"date-parts": [[2020, 8, 17]]}, {"date-parts": [[2021, 5]]}
    )
    assert other_year.chosen == "crossref" and other_year.conflict
    both = upgrade_policy("ISSN", "1573-2606", "1389-9155, 1573-2606")
    assert both.value == "1389-9155, 1573-2606" and not both.conflict


def test_renamed_journal_shows_crossref_and_keeps_the_catalog_value():
    record = parse_bytes(VUFIND_SEED.read_bytes(), str(VUFIND_SEED)).records[0]
    crossref = {
        "container-title": "Die Radiologie",
        "ISSN": "2731-7048, 2731-7056",
        "title": "Interventional radiological options for the treatment of neuroendocrine tumors",
        "volume": "64",
    }
    merged = merge_crossref(record.csl, crossref, edited={"volume"})
    assert merged.csl["container-title"] == "Die Radiologie"
    assert merged.csl["ISSN"] == "2731-7048, 2731-7056"
    assert merged.csl["title"] == record.csl["title"]  # German title shown
    conflicts = {c.field: c for c in merged.conflicts}
    assert conflicts["container-title"].current == "Radiologe"
    assert conflicts["title"].crossref.startswith("Interventional")
    assert "ISSN" in conflicts
    assert merged.csl["DOI"] == record.csl["DOI"]


def test_title_typography_and_cut_titles():
    assert upgrade_policy("title", "liver embolization", "Liver Embolization").chosen == "crossref"
    cut = upgrade_policy(
        "title",
        "Liver transarterial embolizations in",
        "Liver transarterial embolizations in metastatic tumors",
    )
    assert cut.chosen == "crossref" and not cut.conflict
