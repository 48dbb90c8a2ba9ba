"""Atomic file writes: readers (a LaTeX editor watching refs.bib) never see a half-written
file, and a file whose content did not change is not touched at all."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


def write_if_changed(path: Path, text: str | Iterable[str], encoding: str = "utf-8") -> bool:
    """Write ``text`` (a string, or pieces of one) to ``path`` unless it already holds exactly
    that; True if written.

    The new content goes to a temporary file in the same directory as it comes (pieces are
    never joined in memory), is flushed to disk, and replaces the old file in one rename; if
    it turns out identical to the old file, the temporary file is dropped instead.
    """
    pieces = [text] if isinstance(text, str) else text
    return write_bytes_if_changed(path, (piece.encode(encoding) for piece in pieces))


def write_bytes_if_changed(path: Path, chunks: Iterable[bytes]) -> bool:
    """:func:`write_if_changed` for content already encoded."""
    with replacing(path) as handle:
        for chunk in chunks:
            handle.write(chunk)
        handle.flush()
        # Compared only when the sizes agree (a changed export almost always changes
        # size): hashing every byte written cost an auto-export of 475 MB a third of a
        # second for nothing.
        if _same_content(path, handle.temp, handle.tell()):
            raise _Unchanged
    return not handle.unchanged


class _Unchanged(Exception):
    """The new content is the old: the temporary file is dropped, the file left alone."""


class _Replacement(io.BufferedWriter):
    """The temporary file's handle: where it is, and whether it was dropped as unchanged."""

    temp: Path
    unchanged = False


@contextmanager
def replacing(path: Path) -> Iterator[_Replacement]:
    """A binary handle on a temporary file in ``path``'s directory that replaces ``path``
    (flushed to disk, with the old file's permissions, in one rename) when the block ends
    without error; on an error, or :class:`_Unchanged` (then ``handle.unchanged``), the
    temporary file is dropped and ``path`` is left as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    handle = _Replacement(io.FileIO(fd, "wb"), buffer_size=1 << 20)
    handle.temp = Path(temp)
    try:
        with handle:
            try:
                yield handle
            except _Unchanged:
                handle.unchanged = True
                raise
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except _Unchanged:
        Path(temp).unlink()
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _same_content(path: Path, written: Path, size: int) -> bool:
    """Whether ``path`` holds exactly the ``size`` bytes just written to ``written``."""
    try:
        if path.stat().st_size != size:
            return False
        with path.open("rb") as old, written.open("rb") as new:
            while chunk := old.read(1 << 20):
                if chunk != new.read(len(chunk)):
                    return False
    except FileNotFoundError:
        return False
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
