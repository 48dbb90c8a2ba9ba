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
import string
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, cast

from harvester.ops.atomic import replacing, write_bytes_if_changed, write_if_changed
from harvester.ops.exporting import EXPORT_FORMATS, Counted, ExportOptions, iter_works_export
from harvester.ops.selection import Selection
from harvester.ops.splice import (
    Insertion,
    Mismatch,
    Removal,
    check,
    file_state,
    plan,
    read_at,
    write,
)
from harvester.store import Library
from harvester.store.exports import AutoExports, ExportHead, FileLayout, Span
from harvester.store.library import now
from records.errors import UsageError
from records.exporters.entries import ENTRY_FORMATS, FRAMES, EntryFormat, render_entry

FRESH_BATCH = 5000
SPLICE_MIN = 2000  # changes a splice takes on even in a small file (else: a quarter of it)


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
    library.exports.prune_changes()
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
    library: Library,
    export: dict[str, Any],
    warn: Callable[[str], None] | None,
) -> tuple[bool, int]:
    """Write one export if its content changed: (written, works in it)."""
    selection = Selection.from_dict(export["selection"])
    options = _options(export)
    path = Path(export["path"])
    variant = _entry_variant(export)
    if variant is None:
        works = selection.peek(library)
        if works is None and holds_data(path):
            _refuse_emptying(path, selection, warn)
            return False, 0
        written: Counted[Any] = Counted(works or iter(()))
        changed = write_if_changed(path, iter_works_export(written, export["format"], options))
        count = written.count
    else:
        fmt = cast(EntryFormat, export["format"])
        allowed = selection.allowed_ids(library)
        empty = (allowed is not None and not allowed) or library.is_empty()
        if empty and holds_data(path):
            _refuse_emptying(path, selection, warn)
            return False, 0
        target = _Target(export["id"], path, fmt, variant, allowed, options, _written_as(export))
        spliced = splice(library, target, warn)
        changed, count = spliced if spliced is not None else _write_whole(library, target)
    if changed:
        library.exports.mark_written(export["id"], now())
    return changed, count


def _refuse_emptying(path: Path, selection: Selection, warn: Callable[[str], None] | None) -> None:
    if warn:
        warn(
            f"auto-export {path} not updated: {selection.describe()} selects no works "
            "and the file holds data (`harvester export --force` empties it)"
        )


@dataclass(frozen=True, slots=True)
class _Target:
    """An auto-export written from entries: its file, format, variant and selection."""

    export_id: int
    path: Path
    fmt: EntryFormat
    variant: str
    allowed: set[int] | None
    options: ExportOptions
    written_as: str


def _written_as(export: dict[str, Any]) -> str:
    """What a file's layout is valid for: the same entries (variant), format and selection."""
    return json.dumps(
        [_entry_variant(export), export["format"], export["selection"]],
        sort_keys=True,
        separators=(",", ":"),
    )


def _write_whole(library: Library, target: _Target) -> tuple[bool, int]:
    """Write the file from every selected work's entry (cached where valid), recording each
    entry's place as it goes: the next change splices."""
    store = library.exports
    seq = store.start_layout(target.export_id)
    fresh: list[ExportHead] = []
    spans: list[Span] = []

    def encoded(heads: Iterator[ExportHead]) -> Iterator[bytes]:
        prefix, sep, suffix, empty = (part.encode() for part in FRAMES[target.fmt])
        first = True
        for head in heads:
            data = cast(str, head.cached).encode("utf-8")
            spans.append(Span(head.work_id, head.key, head.csl_hash, len(data)))
            if len(spans) >= FRESH_BATCH:
                store.add_spans(target.export_id, spans)
                spans.clear()
            yield (prefix if first else sep) + data
            first = False
        yield empty if first else suffix

    written = Counted(
        _entries(library, target.allowed, target.fmt, target.variant, target.options, fresh)
    )
    changed = write_bytes_if_changed(target.path, encoded(written))
    store.add_spans(target.export_id, spans)
    store.save_entries(target.variant, fresh)
    store.save_layout(target.export_id, _layout(target.path, target.written_as, written.count, seq))
    return changed, written.count


def _layout(path: Path, written_as: str, entries: int, seq: int) -> FileLayout:
    state = file_state(path)
    if state is None:  # gone the moment it was written: nothing to splice next time
        return FileLayout(written_as, -1, -1, "", entries, seq)
    return FileLayout(written_as, *state, entries, seq)


def splice(
    library: Library, target: _Target, warn: Callable[[str], None] | None
) -> tuple[bool, int] | None:
    """Bring the file up to date by splicing (see :mod:`harvester.ops.splice`): (written,
    works in it), or None when it has to be written whole (no layout of it, a layout of
    another selection or format, a file changed since harvester wrote it: ``warn`` is told)."""
    store = library.exports
    layout = store.layout(target.export_id)
    if layout is None or layout.written_as != target.written_as or layout.entries == 0:
        return None
    if file_state(target.path) != (layout.size, layout.mtime_ns, layout.ends):
        if warn:
            warn(
                f"auto-export {target.path} was changed or removed since harvester wrote it: "
                "written in full again"
            )
        return None
    seq = store.last_change()  # before the works are read: later changes come next time
    removed, added, gone = _changes(store, target, layout)
    if not removed and not added:
        if seq != layout.seq:
            store.set_seq(target.export_id, seq)
        return False, layout.entries
    if len(removed) + len(added) > max(SPLICE_MIN, layout.entries // 4):
        return None  # most of the file changes: a whole write costs no more
    heads = store.heads(target.variant, added)
    fresh = [head for head in heads if head.cached is None]
    for head in fresh:
        _render(head, target.fmt, target.options)
    frame = FRAMES[target.fmt]
    sep = len(frame.sep)
    prefix = len(frame.prefix)

    def offset(rank_total: tuple[int, int]) -> int:
        rank, total = rank_total
        return prefix + total + rank * sep

    old_spans = store.spans_of(target.export_id, removed)
    removals = []
    for work_id, key, _, length in old_spans:
        at = store.before(target.export_id, key)
        removals.append((work_id, Removal(at[0], offset(at), length)))
    insertions = []
    spans = []
    for head in heads:
        data = cast(str, head.cached).encode("utf-8")
        at = store.before(target.export_id, head.key)
        insertions.append((head.work_id, Insertion(at[0], offset(at), _nocase(head.key), data)))
        spans.append(Span(head.work_id, head.key, head.csl_hash, len(data)))
    if len(old_spans) != len(set(removed)) or len(heads) != len(added):
        return None  # the library changed under us: let the whole write sort it out
    entries = layout.entries - len(removals) + len(insertions)
    try:
        with target.path.open("rb") as old:
            check(
                old,
                frame,
                layout.entries,
                layout.size,
                [r for _, r in removals],
                [i for _, i in insertions],
            )
            unchanged = _same_entries(old, removals, insertions)
            if not unchanged:
                items = plan(
                    frame,
                    layout.entries,
                    layout.size,
                    [r for _, r in removals],
                    [i for _, i in insertions],
                )
                with replacing(target.path) as new:
                    write(old, new, frame, items)
    except Mismatch as error:
        if warn:
            warn(
                f"auto-export {target.path} is not laid out as recorded ({error}): written in full again"
            )
        return None
    store.replace_spans(target.export_id, removed, spans)
    store.save_entries(target.variant, fresh, prune=False)
    store.forget_entries_of(target.variant, gone)
    store.save_layout(target.export_id, _layout(target.path, target.written_as, entries, seq))
    return not unchanged, entries


def _changes(
    store: AutoExports, target: _Target, layout: FileLayout
) -> tuple[list[int], list[int], list[int]]:
    """What changed since the file was written: (works whose entry is to be taken out,
    works whose entry is to be put in, works gone from the library). A work rendered again
    is in both: taken out where its old key put it, put in where its key puts it now.

    The whole library: the works changed since (the store's log of changes), compared with
    their entries in the file. A tag or source selection also changes when a work is tagged
    or gains a record without changing: its works are compared with the file's, all."""
    if target.allowed is None:
        touched = store.changed_since(layout.seq)
        in_file = {
            work_id: (key, hash_)
            for work_id, key, hash_, _ in store.spans_of(target.export_id, touched)
        }
        current = {work_id: (key, hash_) for work_id, key, hash_ in store.works_keyed(touched)}
    else:
        in_file = {
            work_id: (key, hash_) for work_id, key, hash_ in store.span_keys(target.export_id)
        }
        current = {
            work_id: (key, hash_) for work_id, key, hash_ in store.works_keyed(target.allowed)
        }
    removed = [work_id for work_id, was in in_file.items() if current.get(work_id) != was]
    added = [work_id for work_id, now_ in current.items() if in_file.get(work_id) != now_]
    outside = [work_id for work_id in removed if work_id not in current]
    if target.allowed is None:
        return removed, added, outside
    still = {work_id for work_id, _, _ in store.works_keyed(outside)}
    return removed, added, [work_id for work_id in outside if work_id not in still]


def _same_entries(
    old: BinaryIO,
    removals: list[tuple[int, Removal]],
    insertions: list[tuple[int, Insertion]],
) -> bool:
    """Whether every entry put in is the one taken out at the same place, byte for byte (a
    work whose CSL changed in what the format does not show): the file stays as it is."""
    if len(removals) != len(insertions):
        return False
    taken = dict(removals)
    for work_id, insertion in insertions:
        removal = taken.get(work_id)
        if (
            removal is None
            or removal.rank != insertion.rank
            or removal.length != len(insertion.data)
            or read_at(old, removal.offset, removal.length) != insertion.data
        ):
            return False
    return True


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _nocase(key: str) -> str:
    """The order of SQLite's NOCASE collation (ASCII letters folded, then code points, which
    is UTF-8 byte order): the order of the works' keys, so of the file."""
    return key.translate(_ASCII_LOWER)


def _entries(
    library: Library,
    allowed: set[int] | None,
    fmt: EntryFormat,
    variant: str,
    options: ExportOptions,
    fresh: list[ExportHead],
) -> Iterator[ExportHead]:
    """The works ``allowed`` (None: all) in key order with their entries: cached where
    valid, else rendered and put in ``fresh``, which is saved to the cache every FRESH_BATCH
    entries (a cold cache of a million works never sits in memory) and at the end by the
    caller.

    Saving while the works are read is safe: only works already passed are written, under
    their own (variant, work) key; an entry is valid by its fingerprint whether or not the
    file is written in the end."""
    for head in library.exports.entries(variant):
        if allowed is not None and head.work_id not in allowed:
            continue
        if head.cached is None:
            _render(head, fmt, options)
            fresh.append(head)
            if len(fresh) >= FRESH_BATCH:
                library.exports.save_entries(variant, fresh, prune=False)
                fresh.clear()
        yield head


def _render(head: ExportHead, fmt: EntryFormat, options: ExportOptions) -> None:
    csl = json.loads(head.csl or "{}")
    head.cached = render_entry(fmt, head.key, csl, abstract=options.abstract)
    head.csl = None


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
