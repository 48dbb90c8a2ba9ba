"""Pausing Python's cyclic garbage collector around bulk work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic collector off for the duration (restored after, even on error).

    A dedup batch allocates some million small objects (comparison forms, merged records, JSON
    texts) that live on or die by reference counting; every collection those allocations
    trigger walks the long-lived forms of the library (the dedup cache, some 100k objects of
    objects). Measured on the benchmark's 100k import: a quarter of the time, for nothing.
    Callers pause per batch, so the collector still runs between batches.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
