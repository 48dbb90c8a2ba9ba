"""Which works a command acts on: all, by citation keys, by a search, by tag, by sync source.

One selection type serves ``export``, ``cite`` and auto-exports (which store it as JSON).
Criteria combine with AND; an empty selection is the whole library.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from itertools import chain
from typing import Any

from harvester.errors import NotFound
from harvester.sources.inputs import local_path
from harvester.store import Library, WorkRow


@dataclass(frozen=True, slots=True)
class Selection:
    keys: tuple[str, ...] = ()
    query: str | None = None
    tag: str | None = None
    source: str | None = None  # a sync source's name, or a file/folder/URL records came from

    @property
    def narrows(self) -> bool:
        """Whether this selects fewer than the whole library (then matching nothing is news)."""
        return bool(self.keys or self.query is not None or self.tag is not None or self.source)

    def describe(self) -> str:
        """The criteria as the options that give them: ``--tag toread --source refs.bib``."""
        parts = [f"--key {k}" for k in self.keys]
        for option, value in (("--search", self.query), ("--tag", self.tag)):
            if value is not None:
                parts.append(f"{option} {value!r}")
        if self.source:
            parts.append(f"--source {self.source!r}")
        return " ".join(parts) or "the whole library"

    def peek(self, library: Library) -> Iterator[WorkRow] | None:
        """:meth:`iter_works`, or None when nothing is selected (looked at before anything is
        written, so that an export of nothing can be refused with the file untouched)."""
        works = self.iter_works(library)
        first = next(works, None)
        return None if first is None else chain([first], works)

    def works(self, library: Library) -> list[WorkRow]:
        """The selected works in citation-key order (keys: in the order given)."""
        return list(self.iter_works(library))

    def iter_works(self, library: Library) -> Iterator[WorkRow]:
        """:meth:`works`, streamed from the store when the order allows (the whole library, a
        tag, a source): an export of a million works never holds them all."""
        if self.keys:
            missing = [k for k in self.keys if library.work_by_key(k) is None]
            if missing:
                raise NotFound(f"no work with key {', '.join(missing)}")
        works = library.iter_works(keys=self.keys or None, query=self.query)
        allowed = self.allowed_ids(library)
        if allowed is not None:
            works = (w for w in works if w.id in allowed)
        if self.query is not None and not self.keys:
            # Search results come best first; a selection lists them by key.
            works = iter(sorted(works, key=lambda w: w.key.lower()))
        return works

    @property
    def in_key_order(self) -> bool:
        """The selection is a filter over the library in citation-key order (no keys given
        in an order of their own, no search ranking)."""
        return not self.keys and self.query is None

    def allowed_ids(self, library: Library) -> set[int] | None:
        """The works the tag and source criteria allow (None: they restrict nothing)."""
        allowed: set[int] | None = None
        if self.tag is not None:
            allowed = set(library.work_ids_tagged(self.tag))
        if self.source is not None:
            origin = _origin_of(library, self.source)
            from_source = set(library.work_ids_from_origin(origin, local_path(origin)))
            allowed = from_source if allowed is None else allowed & from_source
        return allowed

    def as_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items() if v}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Selection:
        return cls(
            tuple(data.get("keys", ())), data.get("query"), data.get("tag"), data.get("source")
        )


def _origin_of(library: Library, source: str) -> str:
    """A sync source's target (folder, file, endpoint), or the value itself."""
    return library.sync_source_target(source) or source
