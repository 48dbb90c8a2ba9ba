"""Export stored works in the writers' formats (the exporters themselves are pure, in
:mod:`records.exporters`); CSL-JSON items carry the work's citation key as ``id``."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from harvester.store import WorkRow
from records.model import CSLItem

Entries = list[tuple[str, CSLItem]]


def _bibtex(entries: Entries) -> str:
    from records.exporters.bibtex import write_bibtex

    return write_bibtex(entries, flavour="bibtex")


def _biblatex(entries: Entries) -> str:
    from records.exporters.bibtex import write_bibtex

    return write_bibtex(entries, flavour="biblatex")


def _csl_json(entries: Entries) -> str:
    from records.exporters.csl_json import write_csl_json

    return write_csl_json(entries)


def _ris(entries: Entries) -> str:
    from records.exporters.ris import write_ris

    return write_ris(entries)


EXPORT_FORMATS: dict[str, Callable[[Entries], str]] = {
    "bibtex": _bibtex,
    "biblatex": _biblatex,
    "csl-json": _csl_json,
    "ris": _ris,
}


def export_text(works: Iterable[WorkRow], format: str) -> str:
    """The works written in ``format`` (one of :data:`EXPORT_FORMATS`)."""
    return EXPORT_FORMATS[format]([(w.key, w.csl) for w in works])
