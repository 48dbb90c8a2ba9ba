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


# The signal that arrived and has not been acted on yet. The handler raises at whatever
# bytecode runs when the signal lands; inside a ``__del__``, a weakref or ``finalize``
# callback, Python prints "Exception ignored" and drops the exception, and the run would go
# on as if never asked to stop. The flag keeps the request until a check point acts on it.
_pending: int | None = None


def _raise_for(signum: int) -> None:
    if signum == signal.SIGINT:
        raise KeyboardInterrupt()
    raise Terminated()


def _interrupt(signum: int, _frame: object) -> None:
    global _pending
    _pending = signum
    _raise_for(signum)


def check() -> None:
    """Raise :class:`KeyboardInterrupt` or :class:`Terminated` if a Ctrl-C or a SIGTERM
    arrived whose exception was swallowed (see ``_pending``). Called between batches and
    sources, and when a command's work ends."""
    global _pending
    if _pending is not None:
        signum, _pending = _pending, None
        _raise_for(signum)


def acted_on() -> None:
    """The exception raised by the handler reached the command's edge: nothing pending."""
    global _pending
    _pending = None


def _unraisable(unraisable: sys.UnraisableHookArgs, default: Callable[..., object]) -> None:
    # An interruption dropped in a cleanup callback is kept as pending (acted on at the next
    # check point): not a traceback on stderr beside the one line the run ends with.
    if unraisable.exc_type not in (Terminated, KeyboardInterrupt):
        default(unraisable)


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """Inside, SIGTERM raises :class:`Terminated` and Ctrl-C ``KeyboardInterrupt``, and
    neither is lost when it lands in a cleanup callback (the main thread only). A SIGINT that
    is ignored (a job started with ``nohup`` or in the background) stays ignored."""
    try:
        previous_term = signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    previous_int = signal.getsignal(signal.SIGINT)
    if previous_int is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupt)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = partial(_unraisable, default=previous_hook)
    try:
        yield
        check()  # the work ended, but an interruption it swallowed still ends the run as one
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        if previous_int is signal.default_int_handler:
            signal.signal(signal.SIGINT, previous_int)
        sys.unraisablehook = previous_hook


__all__ = [
    "Terminated",
    "acted_on",
    "check",
    "exit_code",
    "kept",
    "note_kept",
    "signals_interrupt",
]
