"""A SIGTERM is never lost: when the handler's exception is swallowed (it landed inside a
``__del__`` or a finalizer, where Python prints "Exception ignored"), the next check point
still ends the run (harvester/ops/interrupt.py)."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from harvester.ops import interrupt
from harvester.ops.interrupt import Terminated, signals_interrupt


class _KillsInCleanup:
    """Delivers SIGTERM while its ``__del__`` runs: the handler raises there and Python drops
    the exception, as it did inside an import lock's cleanup callback."""

    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(1000):  # the handler runs at a bytecode boundary, here
            pass


class _FailsInCleanup:
    def __del__(self) -> None:
        raise ValueError("a real bug in a cleanup")


def _dropped_error() -> None:
    obj = _FailsInCleanup()
    del obj


def _swallowed_sigterm() -> None:
    obj = _KillsInCleanup()
    del obj


def test_a_swallowed_sigterm_is_raised_at_the_next_check():
    reported = []
    sys.unraisablehook, previous = reported.append, sys.unraisablehook
    try:
        with signals_interrupt():
            _swallowed_sigterm()  # returns: the exception was dropped (else an error here)
            with pytest.raises(Terminated):
                interrupt.check()
            interrupt.check()  # acted on once: nothing pending any more
    finally:
        sys.unraisablehook = previous
    # No "Exception ignored ... Terminated" on stderr beside the run's one line.
    assert reported == []


def test_other_dropped_exceptions_are_still_reported():
    reported = []
    sys.unraisablehook, previous = reported.append, sys.unraisablehook
    try:
        with signals_interrupt():
            _dropped_error()
    finally:
        sys.unraisablehook = previous
    assert [r.exc_type for r in reported] == [ValueError]


def test_a_swallowed_sigterm_ends_the_run_when_its_work_ends():
    with pytest.raises(Terminated), signals_interrupt():
        _swallowed_sigterm()
    interrupt.check()


def test_a_sigterm_that_reached_the_edge_leaves_nothing_pending():
    with pytest.raises(Terminated), signals_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(1000):
            pass
    interrupt.acted_on()  # what the command's edge does when it reports the interruption
    interrupt.check()


class _InterruptsInCleanup:
    """Delivers SIGINT (Ctrl-C) while its ``__del__`` runs."""

    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):
            pass


def _swallowed_sigint() -> None:
    obj = _InterruptsInCleanup()
    del obj


def test_a_swallowed_ctrl_c_is_raised_at_the_next_check():
    reported = []
    sys.unraisablehook, previous = reported.append, sys.unraisablehook
    try:
        with signals_interrupt():
            _swallowed_sigint()  # returns: KeyboardInterrupt was dropped inside __del__
            with pytest.raises(KeyboardInterrupt):
                interrupt.check()
            interrupt.check()
    finally:
        sys.unraisablehook = previous
    assert reported == []


def test_a_swallowed_ctrl_c_ends_the_run_when_its_work_ends():
    with pytest.raises(KeyboardInterrupt), signals_interrupt():
        _swallowed_sigint()
    interrupt.check()


def test_an_ignored_sigint_stays_ignored_and_handlers_are_restored():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with signals_interrupt():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGINT)  # a nohup'ed run goes on
            for _ in range(1000):
                pass
            interrupt.check()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
    with signals_interrupt():
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
