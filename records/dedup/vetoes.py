"""Vetoes: facts that make two records different works however similar they look.

Each veto has a reason a librarian would give, and a ceiling: ``"distinct"`` (never the same
work) or ``"maybe"`` (not merged automatically, shown for review). Vetoes are checked before any
positive evidence, so no similarity can outvote them; only a person's decision can.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from records.dedup.fields import (
    NEAR_TITLE,
    FieldComparison,
    informative_title,
    provisional_pages,
    spilled_title,
)
from records.dedup.keys import Prepared, title_designators

Ceiling = Literal["distinct", "maybe"]

_JOURNAL_TYPES = frozenset({"article-journal", "article-magazine", "article-newspaper", "review"})


# CSL types grouped into kinds of publication. Two records of different kinds are different
# publications (a thesis and the article drawn from it, a technical report and the paper, a
# book and its review, a blog post and the article), whatever their titles say. Types that say
# little ("document", "article", none) belong to no kind.
_KIND = {
    "article-journal": "journal",
    "article-magazine": "journal",
    "article-newspaper": "journal",
    "review": "journal",
    "review-book": "journal",
    "paper-conference": "proceedings",
    "chapter": "part of a book",
    "entry-encyclopedia": "part of a book",
    "entry-dictionary": "part of a book",
    "book": "book",
    "thesis": "thesis",
    "report": "report",
    "webpage": "web page",
    "post": "web page",
    "post-weblog": "web page",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "standard": "standard",
}
# Kinds one work legitimately appears as: proceedings are published as book parts (LNCS), and
# journal vs proceedings has its own, more specific veto (conference abstract vs article).
_COMPATIBLE = {frozenset({"proceedings", "part of a book"}), frozenset({"journal", "proceedings"})}


@dataclass(frozen=True, slots=True)
class Veto:
    reason: str
    ceiling: Ceiling


def _is_conference(p: Prepared) -> bool:
    return p.conference_abstract or p.type == "paper-conference"


def find_vetoes(p1: Prepared, p2: Prepared, f: FieldComparison) -> list[Veto]:
    """Every veto that applies to the pair (empty when nothing forbids a merge)."""
    vetoes: list[Veto] = []
    ids_agree = bool(f.strong_agree)
    # A shared identifier with the same title outweighs a page or volume typo in one source.
    id_and_title = ids_agree and f.title is not None and f.title >= 0.9
    same_text = (
        f.title == 1.0 and f.authors is not None and f.authors.agree and (f.year_gap or 0) <= 1
    )
    # A shared identifier, the same title and the same first page are one work: what the records
    # hint about its type (a supplement, "1)" for a volume, a conference, a part) was written by
    # one source and cannot outweigh three facts that locate the work.
    identity = ids_agree and f.title is not None and f.title >= NEAR_TITLE and bool(f.first_page)

    # Two strong identifiers that differ name two works; a same-looking pair goes to review in
    # case one identifier is a typo.
    for name in f.strong_conflict:
        vetoes.append(Veto(f"different {name}", "maybe" if same_text else "distinct"))

    # A notice about a work (erratum, retraction, comment, reply) is not the work.
    if p1.markers != p2.markers:
        kinds = sorted(p1.markers ^ p2.markers)
        vetoes.append(Veto(f"{'/'.join(kinds)} vs its target", "distinct"))

    if p1.part is not None and p2.part is not None and p1.part != p2.part and not identity:
        vetoes.append(Veto(f"part {p1.part} vs part {p2.part}", "distinct"))
    elif (p1.part is None) != (p2.part is None) and not ids_agree:
        vetoes.append(Veto("one record is a numbered part, the other is not", "maybe"))

    # One title naming two items of a series ("... record b" / "... record c", "Part A" /
    # "Part B", "I" / "II", "Hepatitis B" / "Hepatitis C"): the letter or number is the whole
    # difference between two works, never a typo to forgive. A shared identifier says a source
    # garbled the title: review.
    if not (p1.part is not None and p2.part is not None and p1.part != p2.part):
        designators = title_designators(p1.title_tokens, p2.title_tokens)
        if designators is not None:
            vetoes.append(
                Veto(
                    "the titles name different items of a series ({} / {})".format(*designators),
                    "maybe" if ids_agree else "distinct",
                )
            )

    if p1.edition is not None and p2.edition is not None and p1.edition != p2.edition:
        vetoes.append(Veto(f"edition {p1.edition} vs edition {p2.edition}", "distinct"))

    # A conference abstract and the journal article that follows it share a title but are
    # separate records (Rathbone 2015): flag, never merge.
    # Only against a record known to be a journal article: a record of unknown type is not
    # evidence of one (a citation scraped from a web page has no type).
    if _is_conference(p1) != _is_conference(p2) and not identity:
        other = p2 if _is_conference(p1) else p1
        # The abstract and its article are never printed at one place: in one journal, volume
        # and year, at the same first page, or with no pages on the record typed an article
        # (nothing but its type says it is one), two records are one printed item that one
        # source knew for an abstract (its title's "[Abstract]", a supplement) and the other
        # typed as an article. An "article" with pages of its own stays one.
        same_place = (
            f.container
            and f.volume
            and f.year_gap == 0
            and (f.first_page or other.first_page is None)
        )
        if other.type in _JOURNAL_TYPES and not same_place:
            vetoes.append(Veto("conference abstract vs journal article", "maybe"))

    kind1, kind2 = _KIND.get(p1.type or ""), _KIND.get(p2.type or "")
    if (
        kind1
        and kind2
        and kind1 != kind2
        and not ids_agree
        and frozenset({kind1, kind2}) not in _COMPATIBLE
    ):
        vetoes.append(Veto(f"a {kind1} record vs a {kind2} record", "maybe"))

    if f.year_gap is not None and f.year_gap > 1 and not ids_agree:
        vetoes.append(
            Veto(f"published {f.year_gap} years apart", "maybe" if same_text else "distinct")
        )

    # An ahead-of-print record's pages are not compared with the final ones (fields_with),
    # which leaves a pair a year apart with nothing but title, authors and journal in common:
    # a retracted-and-republished article, or a reprint in a later issue, has those too.
    # bib-dedupe's rule: the same year, or pages that do not contradict. For review, then.
    if (
        f.year_gap == 1
        and not ids_agree
        and provisional_pages(p1) != provisional_pages(p2)
        and (p1.first_page or p1.volume)
        and (p2.first_page or p2.volume)
    ):
        vetoes.append(Veto("an ahead-of-print record a year apart from a paginated one", "maybe"))

    # Pages locate an article within its volume: two page ranges in one volume are two articles.
    # Unless the ranges overlap (articles do not): then one source mis-transcribed the range,
    # and the same specific title by the same authors says which. (Journals that restart their
    # pagination in every issue are why the title and authors must agree.)
    mistyped_range = (
        f.pages_overlap
        and f.title is not None
        and f.title >= NEAR_TITLE
        and f.authors is not None
        and f.authors.agree
        and informative_title(p1)
        and informative_title(p2)
    )
    if (
        f.first_page is False
        and f.volume is not False
        and f.container is not False
        and not id_and_title
        and not mistyped_range
    ):
        where = "the same volume" if f.volume else "the same container"
        if f.volume or f.container:
            vetoes.append(Veto(f"different pages in {where}", "maybe" if ids_agree else "distinct"))
    # Two volumes of one journal are two issues, hence two articles.
    if (
        f.volume is False
        and f.container
        and not id_and_title
        and p1.volume is not None
        and p2.volume is not None
        and p1.volume.isdigit()
        and p2.volume.isdigit()
    ):
        vetoes.append(
            Veto("different volumes of the same journal", "maybe" if ids_agree else "distinct")
        )
    # Different issues of one volume with no pages to tie them: recurring columns ("Editor's
    # Comments") look identical otherwise. With equal pages the issue is the likelier typo.
    if (
        f.issue is False
        and not identity
        and f.volume
        and f.container
        and p1.first_page is None
        and p2.first_page is None
        and not ids_agree
    ):
        vetoes.append(Veto("different issues of the same volume", "maybe"))
    # Similar titles naming different numbers: "five-year" vs "six-year follow-up", "phase II"
    # vs "phase I/II": a series of reports, not one work.
    # Numbers in citation details run into a title (a year, a volume) are not the title's; nor
    # are those of a subtitle one source dropped, where the volume and first page say it is
    # the same article ("... in T4 esophageal cancer" / "...: JCOG trial 9908", both at 24:157).
    if (
        p1.title_numbers
        and p2.title_numbers
        and p1.title_numbers != p2.title_numbers
        and not ids_agree
        and not spilled_title(p1, p2)
        and not (f.first_page and f.volume and subtitle_dropped(p1, p2))
    ):
        vetoes.append(Veto("the titles name different numbers", "maybe"))
    return vetoes


def subtitle_dropped(p1: Prepared, p2: Prepared) -> bool:
    """One title is the start of the other, four words or more: a source kept the main title
    and dropped what follows it (a subtitle, a trial's name and number)."""
    short, long = sorted((p1.title_tokens, p2.title_tokens), key=len)
    return len(short) >= 4 and len(long) > len(short) and long[: len(short)] == short
