"""Rewriting an export file by splicing: the unchanged byte ranges of the old file copied,
only the entries a change touched written anew (issue 17).

An export file in an entry format is ``prefix + sep.join(entries) + suffix``
(:data:`records.exporters.entries.FRAMES`) with the entries in a stable order. Knowing each
entry's length and order (the store's ``export_spans``), an entry's offset is the prefix plus
the lengths and separators before it; a change is a list of entries taken out (at their old
rank) and entries put in (before the old entry of their rank). The new file is then a few
long copies of the old one around the changed entries: the kernel copies them
(``os.copy_file_range``), so adding one record to three 100k-work exports copies 475 MB
without passing it through Python.

No library does this (the peers rebuild their files); it is small, and every splice is
checked against a full export byte for byte in the tests.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from records.exporters.entries import Frame

ENDS = 1 << 16  # bytes hashed at each end of a file to recognize it
COPY_CHUNK = 1 << 24  # bytes per copy_file_range call


def file_state(path: Path) -> tuple[int, int, str] | None:
    """The file's size, mtime_ns and a hash of its first and last 64 KiB (None: no file):
    what tells the file harvester wrote from one edited since, for the price of two reads.
    (A full hash would read the whole file: as costly as the splice it protects.)"""
    try:
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            digest = hashlib.blake2b(handle.read(ENDS), digest_size=16)
            if stat.st_size > ENDS:
                handle.seek(max(ENDS, stat.st_size - ENDS))
                digest.update(handle.read(ENDS))
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return None
    return stat.st_size, stat.st_mtime_ns, digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Removal:
    """An old entry taken out: its rank in the old file, offset and length in bytes."""

    rank: int
    offset: int
    length: int


@dataclass(frozen=True, slots=True)
class Insertion:
    """A new entry put in before the old entry of ``rank`` (whose offset is ``offset``; the
    end of the entries when ``rank`` is their count); ``order`` sorts insertions of one rank."""

    rank: int
    offset: int
    order: str
    data: bytes


Item = bytes | tuple[int, int]  # new text, or a byte range [start, end) of the old file


class Mismatch(Exception):
    """The old file is not laid out as the store says: it must be written in full."""


def plan(
    frame: Frame,
    entries: int,
    size: int,
    removals: Iterable[Removal],
    insertions: Iterable[Insertion],
) -> list[Item]:
    """The new file's entries as old byte ranges (runs of kept entries, separators inside a
    run included) and new texts, in order. ``entries`` and ``size`` are the old file's."""
    sep = len(frame.sep)
    content_end = size - len(frame.suffix)
    events = sorted(
        [(r.rank, 1, "", r) for r in removals] + [(i.rank, 0, i.order, i) for i in insertions],
        key=lambda e: e[:3],
    )
    items: list[Item] = []
    rank, offset = 0, len(frame.prefix)  # the next old entry to keep, and where it starts
    for at, _, _, event in events:
        if at > rank:  # the old entries rank .. at-1 are kept: one range
            end = content_end if at >= entries else event.offset - sep
            items.append((offset, end))
            rank, offset = at, event.offset
        if isinstance(event, Removal):
            if event.rank != rank:
                raise Mismatch(f"entry {event.rank} taken out twice")
            rank, offset = rank + 1, event.offset + event.length + sep
        else:
            items.append(event.data)
    if rank < entries:
        items.append((offset, content_end))
    return items


def check(
    handle: BinaryIO,
    frame: Frame,
    entries: int,
    size: int,
    removals: Sequence[Removal],
    insertions: Sequence[Insertion],
) -> None:
    """That the old file has its frame and the separators where the store puts the entries
    touched: a layout out of step with the file raises :class:`Mismatch` instead of
    splicing garbage."""
    prefix, sep, suffix = frame.prefix.encode(), frame.sep.encode(), frame.suffix.encode()

    def expect(at: int, data: bytes) -> None:
        if data and (at < 0 or read_at(handle, at, len(data)) != data):
            raise Mismatch(f"expected {data!r} at byte {at}")

    expect(0, prefix)
    expect(size - len(suffix), suffix)
    for removal in removals:
        expect(removal.offset - len(sep), sep if removal.rank else b"")
        end = removal.offset + removal.length
        if removal.rank + 1 < entries:
            expect(end, sep)
        elif end != size - len(suffix):
            raise Mismatch(f"the last entry ends at byte {end}, the file at {size}")
    for insertion in insertions:
        if 0 < insertion.rank < entries:
            expect(insertion.offset - len(sep), sep)
        elif insertion.rank >= entries and insertion.offset != size - len(suffix) + len(sep):
            raise Mismatch(f"the entries end at byte {insertion.offset}, the file at {size}")


def write(source: BinaryIO, target: BinaryIO, frame: Frame, items: Sequence[Item]) -> None:
    """``items`` framed into ``target`` (a fresh file), ranges copied from ``source``."""
    prefix, sep, suffix, empty = (part.encode() for part in frame)
    if not items:
        target.write(empty)
        return
    target.write(prefix)
    for i, item in enumerate(items):
        if i:
            target.write(sep)
        if isinstance(item, bytes):
            target.write(item)
        else:
            target.flush()
            _copy(source, target, *item)
            target.seek(0, os.SEEK_END)  # the buffered handle learns where the copy ended
    target.write(suffix)


def read_at(handle: BinaryIO, at: int, size: int) -> bytes:
    """``size`` bytes of the file at byte ``at`` (fewer at its end)."""
    handle.seek(at)
    return handle.read(size)


def _copy(source: BinaryIO, target: BinaryIO, start: int, end: int) -> None:
    """Bytes [start, end) of ``source`` appended to ``target`` (flushed), in the kernel where
    it can (Linux: no passing through Python's buffers), else in large reads."""
    copy_range = getattr(os, "copy_file_range", None)
    while copy_range is not None and start < end:
        try:
            done = copy_range(source.fileno(), target.fileno(), min(end - start, COPY_CHUNK), start)
        except OSError:  # another file system, an old kernel: plain reads
            done = 0
        if done <= 0:
            break
        start += done
    while start < end:
        data = read_at(source, start, min(end - start, COPY_CHUNK))
        if not data:
            raise Mismatch(f"the old file ends before byte {end}")
        target.write(data)
        start += len(data)
    target.flush()
