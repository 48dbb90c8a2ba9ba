"""The retry loop, policy and Retry-After shared by the OAI-PMH, PubMed and web clients
(harvester/net/retry.py); each client's own use of it is tested against its fake server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from harvester.net.retry import (
    RetriesExhausted,
    RetryPolicy,
    Transient,
    parse_retry_after,
    with_retries,
)


class Clock:
    """A clock that the recorded sleeps move forward."""

    def __init__(self) -> None:
        self.now = 100.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def failing(*failures: Transient | str):
    """An attempt that raises the given failures in turn, then returns ``"ok"``."""
    calls: list[int] = []

    def attempt(number: int) -> str:
        calls.append(number)
        if len(calls) <= len(failures):
            failure = failures[len(calls) - 1]
            raise failure if isinstance(failure, Transient) else Transient(failure)
        return "ok"

    attempt.calls = calls  # type: ignore[attr-defined]
    return attempt


def test_retry_after_in_seconds_and_as_http_dates():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 0 ") == 0.0
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    assert 15 <= parse_retry_after(soon) <= 20
    past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    assert parse_retry_after(past) == 0.0
    # a date without a zone ("-0000") is UTC, as HTTP dates are
    naive = (datetime.now(UTC) + timedelta(seconds=30)).strftime("%a, %d %b %Y %H:%M:%S -0000")
    assert 25 <= parse_retry_after(naive) <= 30
    for unreadable in (None, "", "whenever", "-5", "1.5"):
        assert parse_retry_after(unreadable) is None


def test_backoff_doubles_and_retry_after_replaces_it():
    clock = Clock()
    attempt = failing("busy", Transient("busy", retry_after=7.0), "busy")
    policy = RetryPolicy(attempts=4, backoff=0.5, max_wait=60)
    assert with_retries(attempt, policy, sleep=clock.sleep, clock=clock) == "ok"
    assert clock.waits == [0.5, 7.0, 2.0]
    assert attempt.calls == [1, 2, 3, 4]


def test_attempts_are_bounded_and_the_last_failure_is_kept():
    clock = Clock()
    with pytest.raises(RetriesExhausted) as stop:
        with_retries(failing("a", "b", "c", "d"), RetryPolicy(attempts=3), sleep=clock.sleep)
    assert (stop.value.last.reason, stop.value.attempts, stop.value.asked) == ("c", 3, None)
    assert clock.waits == [1.0, 2.0]


def test_failures_that_are_not_transient_are_not_retried():
    clock = Clock()

    def attempt(_number: int) -> str:
        raise ValueError("for good")

    with pytest.raises(ValueError):
        with_retries(attempt, RetryPolicy(), sleep=clock.sleep)
    assert clock.waits == []


def test_a_wait_longer_than_the_policy_allows_ends_at_once():
    clock = Clock()
    with pytest.raises(RetriesExhausted) as stop:
        with_retries(
            failing(Transient("HTTP 503", retry_after=3600)),
            RetryPolicy(max_wait=120),
            sleep=clock.sleep,
        )
    assert (stop.value.asked, stop.value.left, stop.value.attempts) == (3600, None, 1)
    assert clock.waits == []


def test_no_wait_reaches_past_the_deadline():
    clock = Clock()
    policy = RetryPolicy(attempts=5, backoff=1.0, max_wait=60)
    # a Retry-After beyond what is left: stop now, saying how much was left
    with pytest.raises(RetriesExhausted) as stop:
        with_retries(
            failing(Transient("HTTP 429", retry_after=10)),
            policy,
            sleep=clock.sleep,
            clock=clock,
            deadline=clock.now + 6,
        )
    assert (stop.value.asked, stop.value.left) == (10, 6)
    assert clock.waits == []
    # backoff: 1 s and 2 s fit into 4 s, the next 4 s would end at the deadline
    with pytest.raises(RetriesExhausted) as stop:
        with_retries(
            failing("x", "y", "z", "w"),
            policy,
            sleep=clock.sleep,
            clock=clock,
            deadline=clock.now + 4,
        )
    assert (stop.value.last.reason, stop.value.attempts, stop.value.asked) == ("z", 3, None)
    assert clock.waits == [1.0, 2.0]


def test_hooks_run_before_each_attempt_and_each_retry():
    clock = Clock()
    seen: list[str] = []
    with_retries(
        failing("x", "y"),
        RetryPolicy(),
        sleep=clock.sleep,
        before_attempt=lambda: seen.append("attempt"),
        on_retry=lambda: seen.append("retry"),
    )
    assert seen == ["attempt", "retry", "attempt", "retry", "attempt"]
