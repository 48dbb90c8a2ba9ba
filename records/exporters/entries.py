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
from typing import Literal

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


def frame(fmt: EntryFormat, entries: Iterable[str]) -> Iterator[str]:
    """The file of ``fmt`` around already rendered ``entries`` (in file order), as pieces."""
    if fmt == "csl-json":
        first = True
        for entry in entries:
            yield ("[\n" if first else ",\n") + entry
            first = False
        yield "[]\n" if first else "\n]\n"
        return
    # BibTeX: a blank line between entries (each ends with a newline); RIS: CRLF likewise.
    separator = "\r\n" if fmt == "ris" else "\n"
    for i, entry in enumerate(entries):
        yield (separator if i else "") + entry
