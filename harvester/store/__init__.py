"""The SQLite library: one file, opened through sqlite-utils, schema by migrations.

All SQL lives in this package so that a server-grade engine can take its place later.
``Library`` and its row types are imported on first use, so that a module that only needs
:mod:`harvester.store.process_identity` (the Crossref client's shared slots) does not load
sqlite-utils.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harvester.store.library import Library, StoredRecord, WorkRow

__all__ = ["Library", "StoredRecord", "WorkRow"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from harvester.store import library

        return getattr(library, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
