"""Throttles, retry delays and the error budget (harvester/crossref/limits.py)."""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx

from harvester.crossref.limits import (
    CROSSREF_RETRY,
    ErrorBudget,
    PoolLimits,
    Throttle,
    limits_from_headers,
    parse_interval,
)
from harvester.net.retry import RetryPolicy, Transient, parse_retry_after, with_retries


def test_interval_spellings():
    assert parse_interval("1s") == 1.0
    assert parse_interval("60s") == 60.0
    assert parse_interval("0.25s") == 0.25
    assert parse_interval("250ms") == 0.25
    assert parse_interval("soon") is None


def test_headers_in_both_spellings_case_insensitive():
    current = PoolLimits(5, 1.0, 1)
    new = httpx.Headers(
        {"X-Rate-Limit-Limit": "10", "X-Rate-Limit-Interval": "1s", "X-Concurrency-Limit": "3"}
    )
    assert limits_from_headers(new, current) == PoolLimits(10, 1.0, 3)
    old = httpx.Headers({"x-ratelimit-limit": "50", "x-ratelimit-interval": "2s"})
    assert limits_from_headers(old, current) == PoolLimits(50, 2.0, 1)
    assert limits_from_headers(httpx.Headers({"x-rate-limit-limit": "zero"}), current) == current


def test_throttle_keeps_rate_and_concurrency():
    throttle = Throttle(PoolLimits(4, 0.2, 2), min_margin=0.01)
    starts: list[float] = []
    active = 0
    most = 0
    lock = threading.Lock()

    def work():
        nonlocal active, most
        with throttle.slot():
            with lock:
                starts.append(time.monotonic())
                active += 1
                most = max(most, active)
            time.sleep(0.02)
            with lock:
                active -= 1

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most <= 2
    starts.sort()
    # Any 5 consecutive starts span more than one interval: never 5 in a 0.2 s window.
    assert all(starts[i + 4] - starts[i] >= 0.2 for i in range(len(starts) - 4))


def test_penalty_halves_the_rate_for_a_while():
    throttle = Throttle(PoolLimits(4, 0.1, 4), penalty_windows=100)
    throttle.penalise()
    started = time.monotonic()
    for _ in range(3):
        throttle.acquire()
        throttle.release()
    # Two per window while penalised: the third had to wait for the window to pass.
    assert time.monotonic() - started >= 0.1


def test_backoff_grows_exponentially_with_jitter_and_cap():
    policy = RetryPolicy(attempts=6, backoff=1.0, max_wait=8.0, jitter=0.5)
    rng = random.Random(1)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0)]:
        delays = [policy.wait(attempt, rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jitter


def test_crossref_policy_is_the_shared_one():
    """One policy class for every client; Crossref's is an instance of it (jittered)."""
    from harvester.net import retry

    assert isinstance(CROSSREF_RETRY, retry.RetryPolicy)
    assert (CROSSREF_RETRY.attempts, CROSSREF_RETRY.backoff, CROSSREF_RETRY.max_wait) == (5, 1, 60)
    assert CROSSREF_RETRY.jitter == 0.5


def test_retry_after_seconds_and_dates_replace_the_backoff():
    clock = []
    seen = []

    def attempt(number: int) -> str:
        if number == 1:
            raise Transient("429", parse_retry_after("7"))
        if number == 2:
            soon = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
            raise Transient("429", parse_retry_after(soon))
        if number == 3:
            raise Transient("429", parse_retry_after("whenever"))  # unreadable: backoff
        seen.append(number)
        return "ok"

    policy = RetryPolicy(attempts=5, backoff=1.0, max_wait=60, jitter=0.5)
    assert with_retries(attempt, policy, sleep=clock.append) == "ok"
    assert clock[0] == 7.0
    assert 15 <= clock[1] <= 20
    assert 2.0 <= clock[2] <= 4.0  # the third step's backoff, jittered


def test_error_budget():
    budget = ErrorBudget(max_share=0.10, min_requests=20)
    for _ in range(18):
        budget.record(True)
    budget.record(False)
    budget.record(False)
    assert not budget.exceeded  # 2 of 20: 10 % is not over 10 %
    budget.record(False)
    assert budget.exceeded
    assert budget.describe() == "3 of 21 requests failed"


def test_a_start_counts_from_when_its_request_was_sent():
    # A thread that took its slot and was descheduled before sending: its request reaches
    # the server later than it was counted, so the window counts it from the sending.
    now = [0.0]
    throttle = Throttle(PoolLimits(2, 1.0, 5), margin=0.0, min_margin=0.0, clock=lambda: now[0])
    assert throttle.acquire()
    now[0] = 0.5
    throttle.sent()
    assert throttle.acquire()
    throttle.sent()  # sent at once: nothing moves
    now[0] = 1.2
    checks = iter([False, True])
    # Both starts (0.5, 0.5) are still in the window [0.2, 1.2]: the third must wait (it
    # gives up on its second look). Counted at taking, the first would have left at 1.0.
    assert throttle.acquire(give_up=lambda: next(checks)) is False
    now[0] = 1.5
    assert throttle.acquire()


def test_sent_without_a_slot_changes_nothing():
    now = [0.0]
    throttle = Throttle(PoolLimits(1, 1.0, 5), margin=0.0, min_margin=0.0, clock=lambda: now[0])
    with throttle.slot():
        pass
    now[0] = 0.9
    throttle.sent()  # the slot was given back: no start of this thread is pending
    now[0] = 1.0
    checks = iter([False, True])  # a wait would give up on the second look
    assert throttle.acquire(give_up=lambda: next(checks))
