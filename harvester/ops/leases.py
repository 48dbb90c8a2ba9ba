"""Leases: which run is harvesting a source right now, kept in the library (``sync_leases``).

A run takes a source's lease in a write transaction (``BEGIN IMMEDIATE``, so two runs cannot
both take it), renews it while it works, and deletes it when done. A lease is free when it has
expired, or when its holder's pid is gone on this host (a run killed with ``kill -9`` leaves its
lease behind; the next run takes it over at once). Renewing a lease someone else has taken over
raises :class:`LeaseLost`, inside the caller's transaction, so the work done under a lost lease
is rolled back.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from dataclasses import dataclass

from harvester.errors import SourceFailed
from harvester.store import Library
from harvester.store.leases import LeaseRow
from harvester.store.library import now
from harvester.store.process_identity import pid_alive

LEASE_TTL_S = 900.0


class LeaseLost(SourceFailed):
    """Another run took this source over (our lease had expired); we stop harvesting it."""


@dataclass(frozen=True, slots=True)
class Lease:
    source: str
    owner: str
    pid: int
    host: str


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a lease we could not take."""

    pid: int
    host: str
    acquired_at: str
    expires_at: float

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host} since {self.acquired_at}"


def acquire_lease(library: Library, source: str, ttl: float = LEASE_TTL_S) -> Lease | Holder:
    """Take the source's lease, or return who holds it (see the module docstring)."""
    host = socket.gethostname()
    lease = Lease(source, uuid.uuid4().hex, os.getpid(), host)
    with library.write():
        held = library.leases.holder(source)
        if held is not None:
            gone = held.host == host and not pid_alive(held.pid)
            if held.expires_at > time.time() and not gone:
                return Holder(held.pid, held.host, held.acquired_at, held.expires_at)
        library.leases.put(
            LeaseRow(source, lease.owner, lease.pid, host, now(), time.time() + ttl)
        )
    return lease


def renew_lease(library: Library, lease: Lease, ttl: float = LEASE_TTL_S) -> None:
    """Extend our lease (inside the caller's transaction if there is one); raises
    :class:`LeaseLost` if another run has taken it over."""
    with library.write():
        if not library.leases.extend(lease.source, lease.owner, time.time() + ttl):
            raise LeaseLost(f"{lease.source}: another run took this source over; stopped")


def release_lease(library: Library, lease: Lease) -> None:
    with library.write():
        library.leases.delete(lease.source, lease.owner)


__all__ = [
    "LEASE_TTL_S",
    "Holder",
    "Lease",
    "LeaseLost",
    "acquire_lease",
    "release_lease",
    "renew_lease",
]
