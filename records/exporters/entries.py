"""The file formats as *one rendered entry each* plus a frame around them.

An export file is the frame (a CSL-JSON array's brackets, the separators between entries)
around entries that each depend on one work alone: its citation key and its CSL item. Splitting
the two is what lets an auto-export render again only the works a change touched and rebuild
the file from cached entries (:mod:`harvester.ops.autoexport`): ``frame(fmt, entries)`` gives
exactly the bytes the streaming writers (``iter_bibtex``, ``iter_csl_json``, ``iter_ris``)
give for the same items, which the tests check on the fixtures and a synthetic library.

Formatted bibliographies are not here: a CSL style sorts and disambiguates the whole list
("Smith 2020a/b"), so one entry's text depends on the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal, NamedTuple

from records.model import CSLItem

EntryFormat = Literal["bibtex", "biblatex", "csl-json", "ris"]
ENTRY_FORMATS: tuple[EntryFormat, ...] = ("bibtex", "biblatex", "csl-json", "ris")


def render_entry(fmt: EntryFormat, key: str, csl: CSLItem, *, abstract: bool = False) -> str:
    """One work's entry in ``fmt``, as it stands inside a file of that format."""
    if fmt in ("bibtex", "biblatex"):
        from records.exporters.bibtex import bibtex_entry

        return bibtex_entry(key, csl, flavour=fmt, abstract=abstract)
    if fmt == "csl-json":
        from records.exporters.csl_json import csl_json_entry

        return csl_json_entry(key, csl)
    if fmt == "ris":
        from records.exporters.ris import ris_record

        return ris_record(csl, key)
    raise ValueError(f"{fmt!r} has no entries of its own")


class Frame(NamedTuple):
    """What a file of a format holds besides its entries: ``prefix + sep.join(entries) +
    suffix``, or ``empty`` when there is no entry."""

    prefix: str
    sep: str
    suffix: str
    empty: str


# BibTeX: a blank line between entries (each ends with a newline); RIS: CRLF likewise.
FRAMES: dict[EntryFormat, Frame] = {
    "bibtex": Frame("", "\n", "", ""),
    "biblatex": Frame("", "\n", "", ""),
    "csl-json": Frame("[\n", ",\n", "\n]\n", "[]\n"),
    "ris": Frame("", "\r\n", "", ""),
}


def frame(fmt: EntryFormat, entries: Iterable[str]) -> Iterator[str]:
    """The file of ``fmt`` around already rendered ``entries`` (in file order), as pieces."""
    prefix, sep, suffix, empty = FRAMES[fmt]
    first = True
    for entry in entries:
        yield (prefix if first else sep) + entry
        first = False
    yield empty if first else suffix
