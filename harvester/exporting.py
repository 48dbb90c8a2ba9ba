"""Export stored works in the writers' formats; the exporters themselves are pure
(:mod:`records.exporters`). Entries carry the work's citation key (CSL-JSON ``id``, BibTeX key).

Formats: ``bibtex``, ``biblatex``, ``csl-json``, ``ris``, and formatted bibliographies in a
CSL style as ``text``, ``html`` or ``markdown``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harvester.store import WorkRow
from records.errors import UsageError
from records.model import CSLItem

Entries = list[tuple[str, CSLItem]]
FORMATTED = ("text", "html", "markdown")
EXPORT_FORMATS = ("bibtex", "biblatex", "csl-json", "ris", *FORMATTED)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """How to write: the CSL style and locale of formatted output, abstracts in BibTeX."""

    style: str = "apa"
    locale: str | None = None
    abstract: bool = False


def export_entries(entries: Entries, format: str, options: ExportOptions | None = None) -> str:
    """``(key, csl)`` entries written in ``format`` (one of :data:`EXPORT_FORMATS`)."""
    options = options or ExportOptions()
    if format in ("bibtex", "biblatex"):
        from records.exporters.bibtex import write_bibtex

        return write_bibtex(entries, flavour=format, abstract=options.abstract)  # type: ignore[arg-type]
    if format == "csl-json":
        from records.exporters.csl_json import write_csl_json

        return write_csl_json(entries)
    if format == "ris":
        from records.exporters.ris import write_ris

        return write_ris(entries)
    if format in FORMATTED:
        from records.exporters.formatted import render_bibliography

        return render_bibliography(
            entries,
            options.style,
            output=format,  # type: ignore[arg-type]
            locale=options.locale,
        )
    raise UsageError(f"unknown export format {format!r}; known: {', '.join(EXPORT_FORMATS)}")


def export_text(works: Iterable[WorkRow], format: str, options: ExportOptions | None = None) -> str:
    """Stored works written in ``format``."""
    return export_entries([(w.key, w.csl) for w in works], format, options)
