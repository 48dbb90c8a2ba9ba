"""One rate window for every harvester process on the machine.

Crossref counts requests per IP address, not per process: a cron ``harvester sync`` and an
interactive ``harvester enrich`` running at the same time must share one budget. Each
:class:`~harvester.crossref.limits.Throttle` keeps its own sliding window (exact within the
process); with a :class:`SharedWindow` it also records every start in a small file that all
processes lock (``fcntl.flock``) while they read the recent starts and add theirs. A start is
allowed only when both windows have room.

The file holds the start times (``time.monotonic()``, which on Linux and macOS is one clock
for every process since boot) as packed doubles; starts older than the window are dropped at
every write, so it stays a few hundred bytes.

:class:`SharedSlots` does the same for the requests *in flight* in one pool (Crossref counts them
per IP too): each taken slot is a record (process id, token, until) in a second file. A slot is
taken while fewer than the pool's limit are recorded; it is given back by its process, or kept
until ``until`` when its request timed out (the cool-down of
:class:`~harvester.crossref.limits.PoolBudget`). Records of processes that no longer exist, and
records past their ``until`` (a lease: a running request's record carries a generous one, in case
its process hangs), are dropped at every look. Where ``fcntl`` does not exist (Windows) neither
is shared.
"""

from __future__ import annotations

import hashlib
import os
import random
import struct
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from harvester.store.process_identity import pid_alive

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: each process keeps its own window
    fcntl = None  # type: ignore[assignment]

_DOUBLE = struct.Struct("d")
_SLOT = struct.Struct("qqd")  # pid, token, until (time.monotonic())
Slot = tuple[int, int, float]
T = TypeVar("T")


class SharedWindow:
    """Request starts of one request class, shared through ``path`` (see the module doc)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    @classmethod
    def for_pool(
        cls, directory: Path, base_url: str, pool: str, request_class: str
    ) -> SharedWindow:
        """The window of one server, pool and request class (other servers do not share it)."""
        server = hashlib.sha256(base_url.encode()).hexdigest()[:12]
        return cls(directory / f"crossref-{server}-{pool}-{request_class}.starts")

    def claim(self, now: float, window: float, rate: int) -> float:
        """Record a start at ``now`` if fewer than ``rate`` starts (of any process) fall in the
        last ``window`` seconds, and return 0; otherwise record nothing and return how long
        until the oldest counted start leaves the window."""
        if fcntl is None:
            return 0.0
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            data = os.pread(fd, 1 << 16, 0)
            usable = len(data) - len(data) % _DOUBLE.size
            # (A start another process took a moment "after" this one's ``now`` still counts.)
            starts = sorted(t for (t,) in _DOUBLE.iter_unpack(data[:usable]) if t > now - window)
            if len(starts) >= rate:
                return max(float(starts[len(starts) - rate]) + window - now, 0.001)
            starts.append(now)
            packed = b"".join(_DOUBLE.pack(t) for t in starts)
            os.pwrite(fd, packed, 0)
            os.ftruncate(fd, len(packed))
            return 0.0
        finally:
            os.close(fd)  # closing releases the lock


    def move(self, stamp: float, now: float) -> None:
        """Move a start recorded at ``stamp`` to ``now``: the request left later than its slot
        was taken (see :meth:`~harvester.crossref.limits.Throttle.sent`); a start already
        dropped from the file is added again only if it still counts at ``now``."""
        if fcntl is None or now <= stamp:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            data = os.pread(fd, 1 << 16, 0)
            usable = len(data) - len(data) % _DOUBLE.size
            starts = [t for (t,) in _DOUBLE.iter_unpack(data[:usable])]
            if stamp in starts:
                starts.remove(stamp)
            starts.append(now)
            packed = b"".join(_DOUBLE.pack(t) for t in sorted(starts))
            os.pwrite(fd, packed, 0)
            os.ftruncate(fd, len(packed))
        finally:
            os.close(fd)


class SharedSlots:
    """The in-flight slots of one server and pool, shared through ``path`` (module doc)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.pid = os.getpid()

    @classmethod
    def for_pool(cls, directory: Path, base_url: str, pool: str) -> SharedSlots:
        server = hashlib.sha256(base_url.encode()).hexdigest()[:12]
        return cls(directory / f"crossref-{server}-{pool}.inflight")

    def _locked(self, change: Callable[[list[Slot]], tuple[T, list[Slot]]]) -> T:
        """Run ``change(slots) -> (result, slots)`` on the live records, under the lock."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            assert fcntl is not None
            fcntl.flock(fd, fcntl.LOCK_EX)
            data = os.pread(fd, 1 << 16, 0)
            usable = len(data) - len(data) % _SLOT.size
            slots = list(_SLOT.iter_unpack(data[:usable]))
            result, kept = change(slots)
            packed = b"".join(_SLOT.pack(*slot) for slot in kept)
            os.pwrite(fd, packed, 0)
            os.ftruncate(fd, len(packed))
            return result
        finally:
            os.close(fd)  # closing releases the lock

    def claim(self, now: float, capacity: int, lease: float) -> int | None:
        """Take a slot until ``now + lease`` if fewer than ``capacity`` are taken (by any
        process): its token; else ``None`` (nothing recorded)."""
        if fcntl is None:
            return 0

        def change(slots: list[Slot]) -> tuple[int | None, list[Slot]]:
            live = [s for s in slots if s[2] > now and (s[0] == self.pid or pid_alive(s[0]))]
            if len(live) >= capacity:
                return None, live
            token = random.getrandbits(62)
            return token, [*live, (self.pid, token, now + lease)]

        return self._locked(change)

    def release(self, token: int, now: float, hold: float = 0.0) -> None:
        """Give the slot back, or keep it until ``now + hold``."""
        if fcntl is None:
            return

        def change(slots: list[Slot]) -> tuple[None, list[Slot]]:
            kept: list[Slot] = []
            for slot in slots:
                if slot[0] == self.pid and slot[1] == token:
                    if hold > 0:
                        kept.append((slot[0], slot[1], now + hold))
                else:
                    kept.append(slot)
            return None, kept

        self._locked(change)


__all__ = ["SharedSlots", "SharedWindow"]
