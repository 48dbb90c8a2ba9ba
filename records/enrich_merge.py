"""How Crossref's record of a work joins what the work already says.

The policy, field by field (``upgrade_policy(field, current, crossref, edited=...)``):

1. **A person's edit is never overwritten** (``edited=True``): the current value stays.
2. **Gaps are filled**: a field the work lacks takes Crossref's value.
3. **Weaker values are upgraded** when Crossref says the same thing better:
   initials -> full given names when the family names align one to one (``C. G.`` ->
   ``Christian G.``), ORCIDs added, a truncated author list completed, a first page ->
   the full range (``459`` -> ``459-471``), a year -> a full date of the same year, an ISSN ->
   both ISSNs (print first), a title differing only in case, markup or punctuation -> Crossref's
   typography.
4. **Disagreements are kept, never hidden**: every differing value comes back as a
   :class:`Choice` with ``conflict=True`` and both values, for the store to keep as provenance
   (``harvester show`` lists them). Which one the work shows:

   ==========================  ============  ===============================================
   field                       shown         why
   ==========================  ============  ===============================================
   volume, issue, page         Crossref      deposited with the DOI by the publisher
   issued                      Crossref      the print date, which citations use; the online
                                             date stays on the Crossref record's ``original``
   container-title (+ short),  Crossref      the journal's name *for this article* as the
   ISSN                                      publisher registered it ("Radiologe" ->
                                             "Die Radiologie" after the journal's rename);
                                             ISSNs follow the container they belong to
   title, abstract, language   current       the catalog's title is in the language the
                                             person found the work in (German original vs
                                             Crossref's English); Crossref's stays as
                                             provenance
   author                      current       unless the families align (then upgraded as
                                             in 3.); a different list is a conflict
   DOI, type, URL, publisher,  current       identity and what the source chose
   anything else
   ==========================  ============  ===============================================

Everything here is pure: values in, a :class:`Choice` out. The work's merge (``records.merge``)
calls :func:`upgrade_policy` per field or :func:`merge_crossref` for a whole item.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from records.identifiers import issn_list
from records.model import CSLItem
from records.normalize.names import is_initials
from records.normalize.pages import first_page
from records.normalize.text import fold_ascii

Chosen = Literal["current", "crossref"]

CROSSREF_WINS = frozenset(
    {"volume", "issue", "page", "issued", "container-title", "container-title-short", "ISSN"}
)


@dataclass(frozen=True, slots=True)
class Choice:
    """Which value a work shows for one field, and why.

    ``conflict`` is true when the two values say different things (not merely one better than
    the other): the store keeps the value not shown as provenance.
    """

    field: str
    value: Any
    chosen: Chosen
    reason: str
    current: Any = None
    crossref: Any = None
    conflict: bool = False


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


def _fold(value: Any) -> str:
    return re.sub(r"[^0-9a-z]+", " ", fold_ascii(str(value)).lower()).strip()


def _family_key(name: dict[str, Any]) -> str:
    family = _fold(name.get("family") or name.get("literal") or "")
    return family.split()[-1] if family else ""


def _initials(given: str) -> list[str]:
    return [part[0] for part in re.split(r"[\s.\-]+", fold_ascii(given).lower()) if part]


def _given_upgrade(current: str | None, crossref: str | None) -> str | None:
    """Crossref's given name if it spells out the current initials (or adds a missing one)."""
    if not crossref:
        return None
    if not current:
        return crossref
    if _fold(current) == _fold(crossref):
        return crossref if crossref != current and not crossref.isascii() else None
    if is_initials(current.replace(".", " ").strip()) and not is_initials(crossref):
        ours, theirs = _initials(current), _initials(crossref)
        if ours and theirs[: len(ours)] == ours:
            return crossref
    return None


def merge_names(
    current: list[dict[str, Any]], crossref: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], str] | None:
    """Upgraded names when the family names align in order, with what changed; else ``None``.

    A current list that is a prefix of Crossref's (an "et al." list) is completed.
    """
    if len(current) > len(crossref):
        return None
    if any(_family_key(a) != _family_key(b) for a, b in zip(current, crossref, strict=False)):
        return None
    changes: set[str] = set()
    out: list[dict[str, Any]] = []
    for ours, theirs in zip(current, crossref, strict=False):
        name = dict(ours)
        given = _given_upgrade(ours.get("given"), theirs.get("given"))
        if given and given != ours.get("given"):
            name["given"] = given
            changes.add("full given names")
        if theirs.get("ORCID") and not ours.get("ORCID"):
            name["ORCID"] = theirs["ORCID"]
            changes.add("ORCIDs")
        out.append(name)
    if len(crossref) > len(current):
        out.extend(dict(n) for n in crossref[len(current) :])
        changes.add("the full author list")
    return out, ("added " + ", ".join(sorted(changes))) if changes else "same names"


def _date_parts(value: Any) -> list[int]:
    try:
        return [int(p) for p in value["date-parts"][0]]
    except (KeyError, IndexError, TypeError, ValueError):
        return []


def upgrade_policy(field: str, current: Any, crossref: Any, *, edited: bool = False) -> Choice:
    """The value a work shows for ``field`` given its current value and Crossref's (see module)."""

    def keep(reason: str, conflict: bool = False) -> Choice:
        return Choice(field, current, "current", reason, current, crossref, conflict)

    def take(reason: str, conflict: bool = False) -> Choice:
        return Choice(field, crossref, "crossref", reason, current, crossref, conflict)

    if _empty(crossref):
        return keep("Crossref has no value")
    if edited:
        return keep("edited by a person", conflict=current != crossref)
    if _empty(current):
        return take("filled from Crossref")
    if current == crossref:
        return keep("same value")

    if field in ("author", "editor", "translator"):
        if not isinstance(current, list) or not isinstance(crossref, list):
            return keep("not a name list", conflict=True)
        merged = merge_names(current, crossref)
        if merged is None:
            return keep("Crossref lists other names", conflict=True)
        names, what = merged
        if names == current:
            return keep(what)
        return Choice(field, names, "crossref", what, current, crossref, False)

    if field == "page":
        if first_page(str(current)) == first_page(str(crossref)):
            longer = len(str(crossref)) > len(str(current))
            return take("full page range") if longer else keep("same first page")
        return take("pages as deposited with the DOI", conflict=True)

    if field == "issued":
        ours, theirs = _date_parts(current), _date_parts(crossref)
        if ours and theirs and ours[0] == theirs[0]:
            if len(theirs) >= len(ours):
                return take("print date from Crossref")
            return keep("more precise date")
        return take("print date from Crossref", conflict=True)

    if field == "ISSN":
        our_issns, their_issns = issn_list(current), issn_list(crossref)
        if set(our_issns) & set(their_issns):
            union = list(dict.fromkeys([*their_issns, *our_issns]))
            if set(union) == set(our_issns):
                return keep("same ISSNs")
            return Choice(
                field, ", ".join(union), "crossref", "both ISSNs", current, crossref, False
            )
        return take("the ISSNs of the journal as Crossref names it", conflict=True)

    if field in ("volume", "issue"):
        if _fold(current).lstrip("0") == _fold(crossref).lstrip("0"):
            return keep("same value")
        return take("as deposited with the DOI", conflict=True)

    if field in ("container-title", "container-title-short"):
        if _fold(current) == _fold(crossref):
            return take("Crossref's spelling")
        return take("the journal's name for this article, as registered", conflict=True)

    if field == "title":
        if _fold(current) == _fold(crossref):
            return take("Crossref's typography")
        our_title, their_title = _fold(current), _fold(crossref)
        if their_title.startswith(our_title) and len(our_title) >= 20:
            return take("the full title (the current one was cut short)")
        return keep("the title as the source gives it", conflict=True)

    if field == "abstract":
        our_text, their_text = _fold(current), _fold(crossref)
        cut_short = their_text.startswith(our_text[:-3]) and len(their_text) > len(our_text)
        if len(our_text) >= 40 and cut_short:
            return take("the full abstract (the current one was cut short)")
        return keep("the abstract as the source gives it", conflict=our_text != their_text)

    if field in CROSSREF_WINS:
        return take("as deposited with the DOI", conflict=True)
    if _fold(current) == _fold(crossref):
        return keep("same value")
    return keep("the source's value", conflict=True)


@dataclass(slots=True)
class MergeOutcome:
    """A work's CSL item after Crossref joined it, and the choice made for every field."""

    csl: CSLItem
    choices: dict[str, Choice] = field(default_factory=dict)

    @property
    def conflicts(self) -> list[Choice]:
        return [c for c in self.choices.values() if c.conflict]

    @property
    def changed(self) -> list[Choice]:
        return [c for c in self.choices.values() if c.chosen == "crossref"]


def merge_crossref(
    current: CSLItem, crossref: CSLItem, *, edited: Collection[str] = ()
) -> MergeOutcome:
    """Apply :func:`upgrade_policy` to every field of either item; ``edited`` names the fields a
    person set by hand."""
    out: CSLItem = {}
    choices: dict[str, Choice] = {}
    for key in dict.fromkeys([*current, *crossref]):
        if key == "id":
            if "id" in current:
                out["id"] = current["id"]
            continue
        choice = upgrade_policy(key, current.get(key), crossref.get(key), edited=key in edited)
        choices[key] = choice
        if not _empty(choice.value):
            out[key] = choice.value
    return MergeOutcome(out, choices)
