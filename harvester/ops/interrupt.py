"""Stopping a run from outside: Ctrl-C (SIGINT) and SIGTERM (cron, ``timeout``, ``kill``).

Both leave through every ``finally`` block: the open transaction rolls back, the parsing
worker is killed, the run is marked ``interrupted`` in the run log. The command then prints
one line saying what was kept (every committed batch is; running the same command again
finishes the rest, since re-imports are no-ops by content hash) and exits 128 + the signal
(130 for Ctrl-C, 143 for SIGTERM), as shells and cron expect.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


class Terminated(BaseException):
    """SIGTERM arrived. A BaseException, as KeyboardInterrupt is: ``except Exception`` code
    must not swallow it."""

    signum = signal.SIGTERM


def exit_code(exc: BaseException) -> int:
    return 128 + int(getattr(exc, "signum", signal.SIGINT))


def kept(exc: BaseException) -> str:
    """What the interrupted work kept, as the code that was interrupted described it."""
    return str(getattr(exc, "harvester_kept", "") or "what was stored before is kept")


def note_kept(exc: BaseException, text: str) -> None:
    """Say what an interrupted run kept (the first, innermost description wins)."""
    if not getattr(exc, "harvester_kept", None):
        exc.harvester_kept = text  # type: ignore[attr-defined]


def _terminate(_signum: int, _frame: object) -> None:
    raise Terminated()


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` while inside (the main thread only)."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


__all__ = ["Terminated", "exit_code", "kept", "note_kept", "sigterm_interrupts"]
