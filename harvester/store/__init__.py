"""The SQLite library: one file, opened through sqlite-utils, schema by migrations.

All SQL lives in this package so that a server-grade engine can take its place later.
"""

from harvester.store.library import Library, StoredRecord, WorkRow

__all__ = ["Library", "StoredRecord", "WorkRow"]
