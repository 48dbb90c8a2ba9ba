"""Export stored works in the writers' formats; the exporters themselves are pure
(:mod:`records.exporters`). Entries carry the work's citation key (CSL-JSON ``id``, BibTeX key).

Formats: ``bibtex``, ``biblatex``, ``csl-json``, ``ris``, and formatted bibliographies in a
CSL style as ``text``, ``html`` or ``markdown``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from records.errors import UsageError
from records.model import CSLItem

if TYPE_CHECKING:  # the store (sqlite-utils) is not needed to know the formats
    from harvester.store import Library, WorkRow

T = TypeVar("T")

FORMATTED = ("text", "html", "markdown")
EXPORT_FORMATS = ("bibtex", "biblatex", "csl-json", "ris", *FORMATTED)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """How to write: the CSL style and locale of formatted output, abstracts in BibTeX."""

    style: str = "apa"
    locale: str | None = None
    abstract: bool = False


def iter_export(
    entries: Iterable[tuple[str, CSLItem]], format: str, options: ExportOptions | None = None
) -> Iterator[str]:
    """``(key, csl)`` entries written in ``format`` (one of :data:`EXPORT_FORMATS`), as pieces
    of text: the file formats stream (memory holds a chunk of entries, never the library); a
    formatted bibliography is sorted as a whole by its style, so it comes as one piece."""
    options = options or ExportOptions()
    if format in ("bibtex", "biblatex"):
        from records.exporters.bibtex import iter_bibtex

        return iter_bibtex(entries, flavour=format, abstract=options.abstract)  # type: ignore[arg-type]
    if format == "csl-json":
        from records.exporters.csl_json import iter_csl_json

        return iter_csl_json(entries)
    if format == "ris":
        from records.exporters.ris import iter_ris

        return iter_ris(entries)
    if format in FORMATTED:
        from records.exporters.formatted import render_bibliography

        return iter(
            [
                render_bibliography(
                    list(entries),
                    options.style,
                    output=format,  # type: ignore[arg-type]
                    locale=options.locale,
                )
            ]
        )
    raise UsageError(f"unknown export format {format!r}; known: {', '.join(EXPORT_FORMATS)}")


def iter_works_export(
    works: Iterable[WorkRow], format: str, options: ExportOptions | None = None
) -> Iterator[str]:
    """Stored works written in ``format``, streamed (see :func:`iter_export`)."""
    return iter_export(((w.key, w.csl) for w in works), format, options)


def iter_library_export(
    library: Library, format: str, options: ExportOptions | None = None
) -> Iterator[str]:
    """The whole library written in ``format``, streamed: the works' keys and CSL alone are
    read (see :meth:`harvester.store.exports.AutoExports.keyed_csl`)."""
    return iter_export(library.exports.keyed_csl(), format, options)


class Counted(Generic[T]):
    """Items passed on one by one, counted: how many works a streamed export wrote is known
    only once it is written."""

    def __init__(self, items: Iterable[T]) -> None:
        self._items = iter(items)
        self.count = 0

    def __iter__(self) -> Counted[T]:
        return self

    def __next__(self) -> T:
        item = next(self._items)
        self.count += 1
        return item


def export_text(works: Iterable[WorkRow], format: str, options: ExportOptions | None = None) -> str:
    """Stored works written in ``format``, as one string."""
    return "".join(iter_works_export(works, format, options))
