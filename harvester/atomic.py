"""Atomic file writes: readers (a LaTeX editor watching refs.bib) never see a half-written
file, and a file whose content did not change is not touched at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_if_changed(path: Path, text: str, encoding: str = "utf-8") -> bool:
    """Write ``text`` to ``path`` unless it already holds exactly that; True if written.

    The new content goes to a temporary file in the same directory, is flushed to disk, and
    replaces the old file in one rename.
    """
    data = text.encode(encoding)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
