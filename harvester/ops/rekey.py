"""Citation keys changed on purpose: ``harvester rekey``.

Keys are assigned once and never move by themselves (imports, merges and exports keep them).
Rekeying computes new keys with a formula for the chosen works, in key order, keeping keys
unique across the whole library, and reports every change; ``dry_run`` only reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from harvester.store import Library
from records.citekeys import DEFAULT_FORMULA, compile_formula, unique_key

FORMULA_SETTING = "citekey.formula"


def library_formula(library: Library, configured: str | None = None) -> str:
    """The formula for new keys: the library's own, else the configuration's, else the default."""
    return library.setting(FORMULA_SETTING) or configured or DEFAULT_FORMULA


@dataclass(frozen=True, slots=True)
class KeyChange:
    old: str
    new: str


def rekey(
    library: Library, *, formula: str, keys: list[str] | None = None, dry_run: bool = False
) -> list[KeyChange]:
    compiled = compile_formula(formula)  # a bad formula fails before anything changes
    with library.write():
        works = list(library.iter_works(keys=keys))
        moving = {w.key.lower() for w in works}
        # Keys of works that are not rekeyed stay taken; the rekeyed works' old keys are free.
        assigned: set[str] = set()

        def taken(key: str) -> bool:
            lowered = key.lower()
            return lowered in assigned or (lowered not in moving and library.key_taken(key))

        changes: list[KeyChange] = []
        plan: list[tuple[int, str]] = []
        for work in works:
            new = unique_key(compiled.base_key(work.csl), taken)
            assigned.add(new.lower())
            plan.append((work.id, new))
            if new != work.key:
                changes.append(KeyChange(work.key, new))
        if not dry_run:
            # Two steps so that swapping keys between works never trips the UNIQUE index.
            # The placeholder has a space, which no formula produces, so it collides with nothing.
            for work_id, _ in plan:
                library.set_key(work_id, f" rekey {work_id}")
            for work_id, new in plan:
                library.set_key(work_id, new)
    return changes
