"""The record model: a CSL-JSON item, and beside it what CSL has no field for.

Vocabulary (as in manubot): a *CSL item* is one ``dict`` with CSL-JSON field names and types
(``title``, ``author`` [{``family``, ``given``} | {``literal``}], ``container-title``,
``issued`` {``date-parts``}, ``ISSN``, ``DOI`` ...). A :class:`Record` is one *source record*:
the CSL item a parser read from one input record, the verbatim text it was read from, and where
that text came from. Works (merged records) are computed from records in :mod:`records.merge`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

CSLItem = dict[str, Any]
IssnKind = Literal["print", "electronic"]


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a source record came from.

    ``id`` is the record's own id in its input (BibTeX key, RIS ``ID``, CSL-JSON ``id``, EndNote
    record number, CSV row id); ``position`` is its 1-based index in the input and ``line`` the
    line it starts on, so every message can point at the place.
    """

    format: str
    origin: str
    id: str | None = None
    position: int = 1
    line: int | None = None

    def describe(self) -> str:
        place = f"record {self.position}"
        if self.line is not None:
            place += f", line {self.line}"
        return f"{self.origin} ({place}, {self.format})"


@dataclass(slots=True)
class Record:
    """One parsed, normalized source record.

    ``csl`` holds only CSL-JSON fields. What CSL lacks lives beside it:
    ``issn_kinds`` (which ISSN is the print and which the electronic one) and ``original``
    (a field's value as the input wrote it, when normalization changed it: "German" for ``de``).
    """

    csl: CSLItem
    source: SourceRef
    raw: str
    issn_kinds: dict[str, IssnKind] = field(default_factory=dict)
    original: dict[str, str] = field(default_factory=dict)
    # Values normalization refused (see :mod:`records.normalize.plausibility`), as one-line
    # reasons; the same doubts are on the parse result as :class:`Doubt` with their place.
    doubts: list[str] = field(default_factory=list)
    # Values a reader saw but did not keep, as (field, value, reason): where a page states a
    # value twice and the statements disagree, the one it did not take. Reported with the doubts.
    rejected: list[tuple[str, str, str]] = field(default_factory=list)

    def reject(self, field: str, value: str, reason: str) -> None:
        self.rejected.append((field, value, reason))

    def content_hash(self) -> str:
        """The identity of this record's input text: re-importing it is a no-op.

        Line endings and trailing whitespace do not count, so the same export saved on Windows
        and on Linux is one record.
        """
        text = "\n".join(line.rstrip() for line in self.raw.strip().splitlines())
        return hashlib.sha256(f"{self.source.format}\n{text}".encode()).hexdigest()

    def to_csl_json(self) -> CSLItem:
        """The CSL-JSON object harvester prints for this record (``harvester parse``).

        ``id`` is the record's own id in its input (or ``<format>-<position>``). What CSL has no
        field for goes under CSL 1.0.2's designated ``custom`` object, namespaced ``harvester``.
        """
        item: CSLItem = {"id": self.source.id or f"{self.source.format}-{self.source.position}"}
        item.update(self.csl)
        beside: dict[str, Any] = {
            "source": {
                "format": self.source.format,
                "origin": self.source.origin,
                "position": self.source.position,
                **({"line": self.source.line} if self.source.line is not None else {}),
            }
        }
        if self.issn_kinds:
            beside["issn"] = {kind: issn for issn, kind in self.issn_kinds.items()}
        if self.original:
            beside["original"] = dict(self.original)
        if self.doubts:
            beside["warnings"] = list(self.doubts)
        item["custom"] = {"harvester": beside}
        return item


@dataclass(frozen=True, slots=True)
class Failure:
    """A record that could not be parsed: where it is and why. Parsers return these as data."""

    origin: str
    reason: str
    record: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        place = []
        if self.record is not None:
            place.append(f"record {self.record}")
        if self.line is not None:
            place.append(f"line {self.line}")
        return f"{self.origin}" + (f" ({', '.join(place)})" if place else "") + f": {self.reason}"


@dataclass(frozen=True, slots=True)
class Doubt:
    """A value a record was read with but that is not stored: implausible for its field (a UI
    label as the title, an abstract made of navigation, a cut DOI). Kept as data, like a
    :class:`Failure`, so the CLI can warn and ``--strict`` can refuse the record."""

    origin: str
    field: str
    value: str
    reason: str
    record: int | None = None
    line: int | None = None

    def message(self) -> str:
        """What was dropped and why: ``dropped author "classifications, Here": not a name``."""
        value = self.value if len(self.value) <= 80 else self.value[:77] + "..."
        return f'dropped {self.field} "{value}": {self.reason}'

    def __str__(self) -> str:
        place = f" (record {self.record})" if self.record is not None else ""
        return f"{self.origin}{place}: {self.message()}"


@dataclass(slots=True)
class ParseResult:
    """What a parser returns: the records it read, the ones it could not, and the values
    normalization refused (:class:`Doubt`, filled in after the parser)."""

    records: list[Record] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)

    def extend(self, other: ParseResult) -> None:
        self.records.extend(other.records)
        self.failures.extend(other.failures)
        self.doubts.extend(other.doubts)
