"""Stopping a run from outside: Ctrl-C (SIGINT) and SIGTERM (cron, ``timeout``, ``kill``).

Both leave through every ``finally`` block: the open transaction rolls back, the parsing
worker is killed, the run is marked ``interrupted`` in the run log. The command then prints
one line saying what was kept (every committed batch is; running the same command again
finishes the rest, since re-imports are no-ops by content hash) and exits 128 + the signal
(130 for Ctrl-C, 143 for SIGTERM), as shells and cron expect.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial


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


# Whether a SIGTERM arrived that has not been acted on yet. The handler raises at whatever
# bytecode runs when the signal lands; inside a ``__del__``, a weakref or ``finalize``
# callback, Python prints "Exception ignored" and drops the exception, and the run would go
# on as if never asked to stop. The flag keeps the request until a check point acts on it.
_pending = False


def _terminate(_signum: int, _frame: object) -> None:
    global _pending
    _pending = True
    raise Terminated()


def check() -> None:
    """Raise :class:`Terminated` if a SIGTERM arrived whose exception was swallowed (see
    ``_pending``). Called between batches and sources, and when a command's work ends."""
    global _pending
    if _pending:
        _pending = False
        raise Terminated()


def acted_on() -> None:
    """The Terminated raised by the handler reached the command's edge: nothing pending."""
    global _pending
    _pending = False


def _unraisable(unraisable: sys.UnraisableHookArgs, default: Callable[..., object]) -> None:
    # A Terminated dropped in a cleanup callback is kept as pending (acted on at the next
    # check point): not a traceback on stderr beside the one line the run ends with.
    if unraisable.exc_type is not Terminated:
        default(unraisable)


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` while inside (the main thread only)."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    previous_hook = sys.unraisablehook
    sys.unraisablehook = partial(_unraisable, default=previous_hook)
    try:
        yield
        check()  # the work ended, but a SIGTERM it swallowed still ends the run as one
    finally:
        signal.signal(signal.SIGTERM, previous)
        sys.unraisablehook = previous_hook


__all__ = [
    "Terminated",
    "acted_on",
    "check",
    "exit_code",
    "kept",
    "note_kept",
    "sigterm_interrupts",
]
