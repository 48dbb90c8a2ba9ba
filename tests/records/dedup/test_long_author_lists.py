"""Fifth pass of issue 14: a list cut to a few names is looked for among all the names of a
long list (a consortium, a large team), not only among its first twelve."""

from __future__ import annotations

from records.dedup import compare, prepare
from records.dedup.fields import compare_authors
from tests.records.dedup.test_sparse_records import rec

TITLE = "an online metadata repository for high energy physics detector conditions"
TEAM = [
    "a abreu", "b bianchi", "c castro", "d dias", "e esteves", "f faria", "g gomes", "h horta",
    "i inacio", "j jardim", "k kolos", "l lucio", "m mapelli", "n nunes", "o osorio",
    "p pedro", "r ribeiro",
]


def test_a_cut_list_of_names_far_down_a_long_list_agrees() -> None:
    full = prepare(rec(TITLE, " , ".join(TEAM), "vldb", 2002))
    # The second name and three from after the twelfth, as a scraped citation kept them.
    cut = prepare(rec(TITLE, "b bianchi , r ribeiro , l lucio , p pedro",
                      "proceedings of the 28th vldb"))
    authors = compare_authors(full, cut)
    assert authors is not None and authors.agree and authors.fraction == 1.0
    assert compare(full, cut).verdict == "duplicate"


def test_names_found_nowhere_in_the_long_list_still_conflict() -> None:
    full = prepare(rec(TITLE, " , ".join(TEAM), "vldb", 2002))
    others = prepare(rec(TITLE, "j marsh , t okonkwo , s varga , w quist",
                         "proceedings of the 28th vldb"))
    authors = compare_authors(full, others)
    assert authors is not None and authors.conflict
    assert compare(full, others).verdict != "duplicate"
