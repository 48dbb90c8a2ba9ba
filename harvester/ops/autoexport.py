"""Auto-export: configured exports (path, format, selection) kept in sync with the library.

After every command that changes works (``add``, ``enrich``, ``merge``, ``split``, ``dedupe``,
``rekey``), each configured export is brought up to date and written atomically, and only when
its content changed, so a LaTeX editor watching the file is not disturbed by no-op runs.

Incremental: BibTeX, BibLaTeX, CSL-JSON and RIS files are rebuilt from each work's cached
entry (:mod:`records.exporters.entries`); only works whose CSL or key changed since their
entry was rendered are rendered again. Adding one record to a library of 100k works renders
one entry, not 100k (Better BibTeX's users' most-voted complaint is auto-export freezing large
libraries). The cache is keyed by the exporter code too, so a new harvester version that
writes differently never serves stale entries. Formatted bibliographies are sorted and
disambiguated as a whole by their style, and keyed or searched selections are small: those
are rendered in full.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any, cast

from harvester.ops.atomic import write_if_changed
from harvester.ops.exporting import EXPORT_FORMATS, Counted, ExportOptions, iter_works_export
from harvester.ops.selection import Selection
from harvester.store import Library
from harvester.store.exports import ExportHead
from harvester.store.library import now
from records.errors import UsageError
from records.exporters.entries import ENTRY_FORMATS, EntryFormat, frame, render_entry

FRESH_BATCH = 5000


def register(
    library: Library,
    path: Path,
    format: str,
    selection: Selection,
    options: ExportOptions | None = None,
) -> None:
    """Keep ``path`` in sync with ``selection`` written in ``format``."""
    if format not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {format!r}")
    stored = selection.as_dict() | {"options": asdict(options or ExportOptions())}
    library.exports.register(str(path.resolve()), format, json.dumps(stored), now())


def unregister(library: Library, path: Path) -> bool:
    return library.exports.unregister(str(path.resolve()))


def configured(library: Library) -> list[dict[str, Any]]:
    return [
        row | {"selection": json.loads(row["selection"])} for row in library.exports.configured()
    ]


def holds_data(path: Path) -> bool:
    """Whether ``path`` is a file with something in it besides white space."""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 16):
                if chunk.strip():
                    return True
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False
    return False


def refresh(library: Library, warn: Callable[[str], None] | None = None) -> list[str]:
    """Rewrite every configured export whose content changed; returns the paths written.

    An export whose selection has come to match no work is not written over a file that holds
    data (``warn`` is told why): emptying a user's file takes an explicit ``export --force``.
    """
    written = []
    variants = []
    for export in configured(library):
        variant = _entry_variant(export)
        if variant is not None:
            variants.append(variant)
        changed, _ = _bring_up_to_date(library, export, warn)
        if changed:
            written.append(export["path"])
    library.exports.forget_entries(variants)
    return written


def write_configured(
    library: Library, path: Path, warn: Callable[[str], None] | None = None
) -> tuple[bool, int]:
    """Write the configured export at ``path`` now, through the entry cache (so that the
    next change renders only what it touches); returns (written, works in the file)."""
    for export in configured(library):
        if export["path"] == str(path.resolve()):
            return _bring_up_to_date(library, export, warn)
    raise UsageError(f"{path} is not an auto-export")


def _options(export: dict[str, Any]) -> ExportOptions:
    return ExportOptions(**export["selection"].get("options", {}))


def _entry_variant(export: dict[str, Any]) -> str | None:
    """The cache variant of an export built from cached entries (None: rendered in full)."""
    selection = Selection.from_dict(export["selection"])
    if export["format"] in ENTRY_FORMATS and selection.in_key_order:
        return _variant(cast(EntryFormat, export["format"]), _options(export))
    return None


def _bring_up_to_date(
    library: Library, export: dict[str, Any], warn: Callable[[str], None] | None
) -> tuple[bool, int]:
    """Write one export if its content changed: (written, works in it)."""
    selection = Selection.from_dict(export["selection"])
    options = _options(export)
    path = Path(export["path"])
    fresh: list[ExportHead] = []
    variant = _entry_variant(export)
    written: Counted[Any]
    if variant is not None:
        fmt = cast(EntryFormat, export["format"])
        allowed = selection.allowed_ids(library)
        empty = (allowed is not None and not allowed) or library.is_empty()
        written = Counted(_entries(library, allowed, fmt, variant, options, fresh))
        pieces = frame(fmt, written)
    else:
        works = selection.peek(library)
        empty = works is None
        written = Counted(works or iter(()))
        pieces = iter_works_export(written, export["format"], options)
    if empty and holds_data(path):
        if warn:
            warn(
                f"auto-export {path} not updated: {selection.describe()} selects no works "
                "and the file holds data (`harvester export --force` empties it)"
            )
        return False, 0
    changed = write_if_changed(path, pieces)
    if variant is not None:
        library.exports.save_entries(variant, fresh)
    if changed:
        library.exports.mark_written(export["id"], now())
    return changed, written.count


def _entries(
    library: Library,
    allowed: set[int] | None,
    fmt: EntryFormat,
    variant: str,
    options: ExportOptions,
    fresh: list[ExportHead],
) -> Iterator[str]:
    """The entries of the works ``allowed`` (None: all) in key order: cached where valid, else
    rendered and put in ``fresh``, which is saved to the cache every FRESH_BATCH entries (a
    cold cache of a million works never sits in memory) and at the end by the caller.

    Saving while the works are read is safe: only works already passed are written, under
    their own (variant, work) key; an entry is valid by its fingerprint whether or not the
    file is written in the end."""
    for head in library.exports.entries(variant):
        if allowed is not None and head.work_id not in allowed:
            continue
        if head.cached is None:
            csl = json.loads(head.csl or "{}")
            head.cached = render_entry(fmt, head.key, csl, abstract=options.abstract)
            head.csl = None
            fresh.append(head)
            if len(fresh) >= FRESH_BATCH:
                library.exports.save_entries(variant, fresh, prune=False)
                fresh.clear()
        yield head.cached


def _variant(fmt: EntryFormat, options: ExportOptions) -> str:
    return json.dumps([fmt, options.abstract, _exporter_code()], separators=(",", ":"))


@cache
def _exporter_code() -> str:
    """A fingerprint of the code that renders entries (the exporters and the pure core they
    call): cached entries of another version are never served. About a megabyte of source,
    read once per process."""
    import records

    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(Path(records.__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()
