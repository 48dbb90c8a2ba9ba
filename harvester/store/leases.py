"""The ``sync_leases`` table: which run is harvesting a source right now (schema m00x).

The statements of :mod:`harvester.ops.leases`, which holds the rules (when a lease is free,
what a lost lease means). Each method runs inside ``library.write()`` (SQLite:
``BEGIN IMMEDIATE``), so two runs cannot both take one lease.

What another engine needs: one row per source (owner, pid, host, acquired_at, expires_at)
and a conditional update that says whether it matched a row (``renew`` of a lease another run
took over changes nothing and says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harvester.store.library import Library


@dataclass(frozen=True, slots=True)
class LeaseRow:
    """A stored lease, as the next run finds it."""

    source: str
    owner: str
    pid: int
    host: str
    acquired_at: str
    expires_at: float


class Leases:
    """The sync leases of one library."""

    def __init__(self, library: Library) -> None:
        self._library = library
        self._db = library.db

    def holder(self, source: str) -> LeaseRow | None:
        row = self._db.execute(
            "SELECT owner, pid, host, acquired_at, expires_at FROM sync_leases WHERE source = ?",
            [source],
        ).fetchone()
        if row is None:
            return None
        return LeaseRow(source, row[0], int(row[1]), row[2], row[3], float(row[4]))

    def put(self, lease: LeaseRow) -> None:
        """Take the lease (replacing a stale one): call inside the transaction that read
        :meth:`holder`, so no other run takes it in between."""
        self._db.execute(
            "INSERT OR REPLACE INTO sync_leases (source, owner, pid, host, acquired_at,"
            " expires_at) VALUES (?,?,?,?,?,?)",
            [lease.source, lease.owner, lease.pid, lease.host, lease.acquired_at,
             lease.expires_at],
        )  # fmt: skip

    def extend(self, source: str, owner: str, expires_at: float) -> bool:
        """Move our lease's expiry; False when the lease is no longer ours."""
        cursor = self._db.execute(
            "UPDATE sync_leases SET expires_at = ? WHERE source = ? AND owner = ?",
            [expires_at, source, owner],
        )
        return cursor.rowcount > 0

    def delete(self, source: str, owner: str) -> None:
        """Give our lease back (a lease another run took over stays theirs)."""
        self._db.execute(
            "DELETE FROM sync_leases WHERE source = ? AND owner = ?", [source, owner]
        )


__all__ = ["LeaseRow", "Leases"]
