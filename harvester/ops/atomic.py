"""Atomic file writes: readers (a LaTeX editor watching refs.bib) never see a half-written
file, and a file whose content did not change is not touched at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_if_changed(path: Path, text: str | Iterable[str], encoding: str = "utf-8") -> bool:
    """Write ``text`` (a string, or pieces of one) to ``path`` unless it already holds exactly
    that; True if written.

    The new content goes to a temporary file in the same directory as it comes (pieces are
    never joined in memory), is flushed to disk, and replaces the old file in one rename; if
    it turns out identical to the old file, the temporary file is dropped instead.
    """
    pieces = [text] if isinstance(text, str) else text
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece.encode(encoding))
            handle.flush()
            # Compared only when the sizes agree (a changed export almost always changes
            # size): hashing every byte written cost an auto-export of 475 MB a third of a
            # second for nothing.
            if _same_content(path, Path(temp), handle.tell()):
                Path(temp).unlink()
                return False
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


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
