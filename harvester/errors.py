"""Errors of the shell, under the one tree rooted at :class:`records.errors.HarvesterError`.

HarvesterError
├── InputError ...          (records.errors: unreadable, empty, binary, unknown format)
├── UsageError              bad option, key or configuration             (exit 2)
├── StoreError              the library file cannot be opened or written (exit 2)
└── NotFound                no work with that key                        (exit 1)
"""

from __future__ import annotations

from records.errors import HarvesterError, UsageError


class StoreError(HarvesterError):
    """The SQLite library cannot be used (wrong file, newer schema, locked too long)."""

    exit_code = 2


class NotFound(HarvesterError):
    """A key or id names nothing in the library."""


__all__ = ["HarvesterError", "NotFound", "StoreError", "UsageError"]
