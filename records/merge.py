"""Merge policy: a work's CSL item computed from its member records, with provenance per field.

A work is never edited in place: its fields are recomputed from its members every time a member
joins or leaves, so a merge can always be explained (``harvester show``) and undone.

Policy, per field:

1. **Who wins among the records.** A person's edits first, then the records the user
   imported: structured exports (PubMed, MEDLINE, MARC, RIS, BibTeX, CSL-JSON...) rank above
   page text copied from a screen, which ranks above a bare reference string; ties go to the
   record imported first, so adding a record never flips an existing value by accident.
2. **Lists that add up** (``ISSN``, ``keyword``) are the union of all members, in rank order.
3. **Enrichment joins last**, through :func:`records.enrich_merge.merge_crossref`: Crossref
   fills gaps and upgrades weaker values (initials, a first page, a year); where it disagrees,
   its documented table decides which value the work shows; a field a person edited is never
   changed.
4. **Disagreements are kept.** Every other value a member holds for the field is recorded as an
   alternative with its source (and, for Crossref, the reason of the choice), so "Radiologe"
   vs "Die Radiologie" stays visible in ``harvester show``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from records.identifiers import issn_list
from records.model import CSLItem

MemberKind = Literal["edit", "input", "enrichment"]
_KIND_RANK = {"edit": 0, "input": 1, "enrichment": 2}
# Lower is better. Formats not listed rank with the page layouts.
FORMAT_RANK: dict[str, int] = {
    "pubmed-xml": 0,
    "medline": 0,
    "marc": 0,
    "marcxml": 0,
    "endnote-xml": 1,
    "ris": 1,
    "bibtex": 1,
    "csl-json": 1,
    "wos": 1,
    "html-meta": 2,
    "csv": 2,
    "reference": 4,
}
_DEFAULT_FORMAT_RANK = 3
UNION_FIELDS = ("ISSN", "keyword")


@dataclass(frozen=True, slots=True)
class Member:
    """One source record as the merge sees it."""

    record_id: int
    kind: MemberKind
    format: str
    csl: CSLItem
    label: str  # how `show` names it: "examples/radosa.txt (record 1, vufind-text)"
    issn_kinds: Mapping[str, str] = field(default_factory=dict)

    @property
    def rank(self) -> tuple[int, int, int]:
        # Among imported records the earliest wins (a new import never flips a value); among a
        # person's edits the latest wins (a correction of a correction).
        order = -self.record_id if self.kind == "edit" else self.record_id
        return (_KIND_RANK[self.kind], FORMAT_RANK.get(self.format, _DEFAULT_FORMAT_RANK), order)


@dataclass(slots=True)
class Merged:
    """A work's merged CSL item; ``provenance[field]`` says which member gave the value and
    which other values members hold."""

    csl: CSLItem
    provenance: dict[str, dict[str, Any]]
    issn_kinds: dict[str, str]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold().strip() == b.casefold().strip()
    return bool(a == b)


def merge(members: Sequence[Member]) -> Merged:
    """The work computed from its members (see the module docstring for the policy)."""
    records = [m for m in members if m.kind != "enrichment"]
    merged = _merge_records(records or list(members))
    if records:
        edited = {k for m in records if m.kind == "edit" for k in m.csl}
        for enrichment in sorted(
            (m for m in members if m.kind == "enrichment"), key=lambda m: m.record_id
        ):
            _join_enrichment(merged, enrichment, edited)
    return merged


def _join_enrichment(merged: Merged, member: Member, edited: set[str]) -> None:
    from records.enrich_merge import merge_crossref

    outcome = merge_crossref(merged.csl, member.csl, edited=edited)
    for name, choice in outcome.choices.items():
        entry = merged.provenance.get(name)
        if choice.chosen == "crossref" and choice.value not in (None, "", [], {}):
            replaced = entry is not None and not _same(choice.current, choice.value)
            new_entry: dict[str, Any] = {
                "from": [member.record_id],
                "source": member.label,
                "reason": choice.reason,
            }
            if replaced and entry is not None:
                new_entry["alternatives"] = [
                    {"value": choice.current, "from": entry["from"][0], "source": entry["source"]},
                    *entry.get("alternatives", []),
                ]
            elif entry is not None:
                new_entry["from"] = [*entry["from"], member.record_id]
            merged.provenance[name] = new_entry
        elif entry is not None and choice.conflict and choice.crossref not in (None, "", [], {}):
            entry.setdefault("alternatives", []).append(
                {
                    "value": choice.crossref,
                    "from": member.record_id,
                    "source": member.label,
                    "reason": choice.reason,
                }
            )
        elif (
            entry is not None
            and choice.crossref is not None
            and _same(choice.crossref, choice.current)
        ):
            entry["from"] = [*entry["from"], member.record_id]
    merged.csl = outcome.csl
    # Crossref's ISSN types come from the publisher's deposit: they beat a guess from order.
    merged.issn_kinds.update(member.issn_kinds)


def _merge_records(members: Sequence[Member]) -> Merged:
    if len(members) == 1:
        return _merge_one(members[0])
    return _merge_several(members)


def _merge_several(members: Sequence[Member]) -> Merged:
    ordered = sorted(members, key=lambda m: m.rank)
    csl: CSLItem = {}
    provenance: dict[str, dict[str, Any]] = {}
    fields = list(dict.fromkeys(k for m in ordered for k in m.csl))
    for name in fields:
        holders = [m for m in ordered if m.csl.get(name) not in (None, "", [], {})]
        if not holders:
            continue
        if name in UNION_FIELDS:
            value = _union(name, [m.csl[name] for m in holders])
        else:
            value = holders[0].csl[name]
        csl[name] = value
        entry: dict[str, Any] = {"from": [holders[0].record_id], "source": holders[0].label}
        if name in UNION_FIELDS:
            entry["from"] = [m.record_id for m in holders]
        alternatives = []
        for member in holders[1:]:
            if name in UNION_FIELDS:
                continue
            if _same(member.csl[name], value):
                entry["from"].append(member.record_id)
            else:
                alternatives.append(
                    {"value": member.csl[name], "from": member.record_id, "source": member.label}
                )
        if alternatives:
            entry["alternatives"] = alternatives
        provenance[name] = entry
    issn_kinds: dict[str, str] = {}
    for member in ordered:
        for issn, kind in member.issn_kinds.items():
            issn_kinds.setdefault(issn, kind)
    return Merged(csl=csl, provenance=provenance, issn_kinds=issn_kinds)


# The values the merge drops (a module constant: never changed, only compared with).
_EMPTY: tuple[Any, ...] = (None, "", [], {})


def _merge_one(member: Member) -> Merged:
    """:func:`_merge_several` of one member: nothing to compare. Most works hold one record, and
    an import creates tens of thousands at a time; this is a fifth of the general loop's cost."""
    csl: CSLItem = {}
    provenance: dict[str, dict[str, Any]] = {}
    record_id, label = member.record_id, member.label
    for name, value in member.csl.items():
        # Only a falsy value can be empty: most are not, and skip the four comparisons (and
        # the list and dict built for them) that `value in (None, "", [], {})` costs.
        if not value and value in _EMPTY:
            continue
        csl[name] = _union(name, [value]) if name in UNION_FIELDS else value
        provenance[name] = {"from": [record_id], "source": label}
    return Merged(csl=csl, provenance=provenance, issn_kinds=dict(member.issn_kinds))


def _union(name: str, values: list[Any]) -> str:
    if name == "ISSN":
        return ", ".join(dict.fromkeys(i for v in values for i in issn_list(v)))
    parts = [p.strip() for v in values for p in str(v).split(",") if p.strip()]
    seen: dict[str, str] = {}
    for part in parts:
        seen.setdefault(part.casefold(), part)
    return ", ".join(seen.values())
