"""Giving the process's free heap back to the system between the batches of a long job.

CPython hands objects larger than 512 bytes (JSON texts, SQLite rows, marshalled forms) and
SQLite its pages through the C library's ``malloc``; glibc keeps what is freed for later
reuse and returns it only from the top of the heap, so a long import's heap stays at its
high-water mark, holes included. ``malloc_trim(0)`` returns every whole free page (glibc 2.8
and later release pages inside the heap too). No Python library does this; it is one call
through ctypes, a no-op elsewhere than glibc.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    # Imported here: a command that never runs a long job (search) does not load ctypes.
    import ctypes

    try:  # glibc's soname; find_library would run ldconfig in a subprocess to say the same
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (macOS, musl, Windows): nothing to do
        return None
    return libc if hasattr(libc, "malloc_trim") else None


def release_free_memory() -> None:
    """Return the C heap's free pages to the system (glibc; elsewhere nothing)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
