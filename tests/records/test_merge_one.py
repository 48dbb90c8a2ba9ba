"""The one-member merge (a work of one record, most works) is the general merge's result."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from records.merge import Member, _merge_one, _merge_several, merge
from tests.conftest import examples

# Values as readers leave them, and the empty ones the merge drops (None, "", [], {}), with 0,
# 0.0 and False, which are falsy but not empty (_merge_one tests only falsy values).
_values = st.one_of(
    st.none(),
    st.just(""),
    st.just([]),
    st.just({}),
    st.just(0),
    st.just(False),
    st.just(0.0),
    st.just(1),
    st.just(True),
    st.text(max_size=12),
    st.lists(st.dictionaries(st.sampled_from(["family", "given"]), st.text(max_size=6)), max_size=3),
    st.fixed_dictionaries({"date-parts": st.just([[2001, 2]])}),
)
_names = st.sampled_from(
    ["title", "author", "issued", "DOI", "page", "volume", "container-title", "note"]
)


@settings(max_examples=examples(300), deadline=None)  # no wall-clock bound: the machine may be loaded
@given(
    csl=st.dictionaries(_names, _values),
    issn=st.one_of(
        st.lists(st.sampled_from(["0028-0836", "1476-4687", "00280836", "x"]), max_size=3),
        st.just(None),
    ),
    keywords=st.lists(st.sampled_from(["a", "B", "b", " c ", "a,b", ""]), max_size=4),
    kind=st.sampled_from(["input", "edit", "enrichment"]),
)
def test_one_member_merges_as_the_general_merge(
    csl: dict[str, object], issn: list[str] | None, keywords: list[str], kind: str
) -> None:
    # The union fields as readers give them: ISSN a string or a list, keywords one string.
    if issn is None:
        csl["ISSN"] = ["0028-0836", "00280836"]
    elif issn:
        csl["ISSN"] = ", ".join(issn)
    if keywords:
        csl["keyword"] = ",".join(keywords)
    member = Member(
        record_id=7,
        kind=kind,  # type: ignore[arg-type]
        format="bibtex",
        csl=csl,
        label="a.bib (record 1)",
        issn_kinds={"0028-0836": "print"},
    )
    fast, general = _merge_one(member), _merge_several([member])
    assert fast == general
    assert list(fast.csl) == list(general.csl)  # the same order: the stored JSON is the same
    assert list(fast.provenance) == list(general.provenance)
    assert merge([member]) == general
    # Entries are separate objects (an enrichment joining later changes one in place).
    entries = list(fast.provenance.values())
    assert len({id(e) for e in entries}) == len(entries)
    assert len({id(e["from"]) for e in entries}) == len(entries)
