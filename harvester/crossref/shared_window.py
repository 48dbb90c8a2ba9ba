"""One rate window for every harvester process on the machine.

Crossref counts requests per IP address, not per process: a cron ``harvester sync`` and an
interactive ``harvester enrich`` running at the same time must share one budget. Each
:class:`~harvester.crossref.limits.Throttle` keeps its own sliding window (exact within the
process); with a :class:`SharedWindow` it also records every start in a small file that all
processes lock (``fcntl.flock``) while they read the recent starts and add theirs. A start is
allowed only when both windows have room.

The file holds the start times (``time.monotonic()``, which on Linux and macOS is one clock
for every process since boot) as packed doubles; starts older than the window are dropped at
every write, so it stays a few hundred bytes. Concurrency (requests in flight) is still
limited per process. Where ``fcntl`` does not exist (Windows) the window is not shared.
"""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: each process keeps its own window
    fcntl = None  # type: ignore[assignment]

_DOUBLE = struct.Struct("d")


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
                return max(starts[len(starts) - rate] + window - now, 0.001)
            starts.append(now)
            packed = b"".join(_DOUBLE.pack(t) for t in starts)
            os.pwrite(fd, packed, 0)
            os.ftruncate(fd, len(packed))
            return 0.0
        finally:
            os.close(fd)  # closing releases the lock


__all__ = ["SharedWindow"]
