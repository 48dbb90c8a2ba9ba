"""Staying inside Crossref's limits: throttles fed by response headers, retries, an error budget.

Crossref limits each caller per pool (reference ``crossref.md`` §1.4). Since December 2025 the
limits are low and differ by request class: single-work lookups (``/works/{doi}``) and list
queries (``/works?…``). We start from the documented defaults and adapt to what every response
says in ``x-rate-limit-limit`` / ``x-rate-limit-interval`` / ``x-concurrency-limit`` (or the older
``x-ratelimit-*`` spelling).

:class:`Throttle` keeps, for one request class, both

* the *rate*: at most ``limit`` requests start in any window of ``interval`` seconds (a sliding
  window, stricter than a token bucket, which would allow a burst of ``limit`` right after an idle
  period plus another at the window's edge), counted from the moment each request is sent, with a
  safety margin (10 %, at least 20 ms) so that network jitter
  cannot make the server see ``limit + 1`` arrivals in one of its windows; and
* the *concurrency*: at most ``concurrency`` requests in flight.

With a :class:`~harvester.crossref.shared_window.SharedWindow` the rate window is also shared
by every harvester process on the machine (Crossref counts per IP). After a 429 the throttle
halves its rate for a while.

:class:`PoolBudget` is the *pool's* in-flight limit: Crossref counts the requests in flight per
pool, lookups and list queries together (3 in the polite pool, 1 in the public one), so both
classes draw on one budget. A slot is given back when the server is done with the request: when
its answer arrived, or the connection was refused or cut. A request the client stopped waiting
for (a timeout) may still be running at Crossref, which still counts it: its slot stays taken for
a cool-down (by default as long again as the client waited; once a 429 comes after such slots
have been held, Crossref was evidently still counting them, and from then on they are held eight
times as long, the ones cooling at that moment too) before it is free. Until a response
has announced the limits (``x-concurrency-limit``), one request is in flight at a time: the
first request reads the limits before any burst (if it times out, the documented default is
used). With a :class:`~harvester.crossref.shared_window.SharedSlots` the slots are shared by
every harvester process on the machine, as the rate windows are.

The retry policy is :class:`harvester.net.retry.RetryPolicy` (Crossref's is :data:`CROSSREF_RETRY`);
:class:`ErrorBudget` trips when more than 10 % of requests failed ("If you have an overall error
(4XX + 5XX) rate >= 10% ... please stop").

The clock and sleep are injectable so tests can use short intervals.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Literal

from harvester.crossref.shared_window import SharedSlots, SharedWindow
from harvester.net.retry import RetryPolicy

RequestClass = Literal["single", "list"]

# How often a request waiting for a pool slot held by another process looks again.
SHARED_POLL = 0.02


@dataclass(frozen=True, slots=True)
class PoolLimits:
    """``limit`` requests per ``interval`` seconds, at most ``concurrency`` in flight."""

    limit: int
    interval: float
    concurrency: int

    @property
    def per_second(self) -> float:
        return self.limit / self.interval


# Documented defaults (reference §0/§1.4): list queries go to the stricter "-array" pools.
DEFAULT_LIMITS: dict[str, dict[RequestClass, PoolLimits]] = {
    "public": {"single": PoolLimits(5, 1.0, 1), "list": PoolLimits(1, 1.0, 1)},
    "polite": {"single": PoolLimits(10, 1.0, 3), "list": PoolLimits(3, 1.0, 3)},
}

_INTERVAL_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$", re.IGNORECASE)


def _first(headers: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = headers.get(name)
        if value:
            return value
    return None


def parse_interval(value: str) -> float | None:
    """``"1s"`` -> 1.0, ``"60s"`` -> 60.0, ``"250ms"`` -> 0.25; ``None`` if unreadable."""
    match = _INTERVAL_RE.match(value)
    if not match:
        return None
    number = float(match.group(1))
    unit = (match.group(2) or "s").lower()
    seconds = number / 1000 if unit == "ms" else number * 60 if unit == "m" else number
    return seconds if seconds > 0 else None


def limits_from_headers(headers: Mapping[str, str], current: PoolLimits) -> PoolLimits:
    """The limits a response announces (both header spellings), falling back to ``current``.

    ``headers`` must look names up case-insensitively (``httpx.Headers`` does).
    """
    limit_text = _first(headers, "x-rate-limit-limit", "x-ratelimit-limit")
    interval_text = _first(headers, "x-rate-limit-interval", "x-ratelimit-interval")
    concurrency_text = _first(headers, "x-concurrency-limit", "x-concurrency-limit-limit")
    limit, interval, concurrency = current.limit, current.interval, current.concurrency
    if limit_text and limit_text.strip().isdigit() and int(limit_text) > 0:
        limit = int(limit_text)
    if interval_text:
        interval = parse_interval(interval_text) or interval
    if concurrency_text and concurrency_text.strip().isdigit() and int(concurrency_text) > 0:
        concurrency = int(concurrency_text)
    return PoolLimits(limit, interval, concurrency)


class Throttle:
    """Rate (sliding window) and in-flight limits for one request class; thread-safe."""

    def __init__(
        self,
        limits: PoolLimits,
        *,
        margin: float = 0.1,
        min_margin: float = 0.02,
        penalty_windows: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        shared: SharedWindow | None = None,
    ) -> None:
        self.limits = limits
        self.shared = shared  # the same window in every process on the machine
        self.margin = margin
        self.min_margin = min_margin
        self.penalty_windows = penalty_windows
        self._clock = clock
        self._cond = threading.Condition()
        self._starts: deque[float] = deque()
        self._mine = threading.local()  # the start this thread's request was counted at
        self._in_flight = 0
        self._penalty_until = 0.0
        self.max_in_flight_seen = 0

    # -- what is allowed now ---------------------------------------------------------------
    def _window(self) -> float:
        interval = self.limits.interval
        return interval + max(interval * self.margin, self.min_margin)

    def _rate_now(self, now: float) -> int:
        if now < self._penalty_until:
            return max(1, self.limits.limit // 2)
        return self.limits.limit

    def acquire(self, give_up: Callable[[], bool] | None = None) -> bool:
        """Block until a request of this class may start, then count it as started (True);
        False without counting when ``give_up()`` turns true while waiting (see :meth:`wake`)."""
        with self._cond:
            while True:
                if give_up is not None and give_up():
                    return False
                now = self._clock()
                window = self._window()
                while self._starts and self._starts[0] <= now - window:
                    self._starts.popleft()
                rate = self._rate_now(now)
                if self._in_flight < self.limits.concurrency and len(self._starts) < rate:
                    wait = self.shared.claim(now, window, rate) if self.shared else 0.0
                    if wait > 0:  # other processes used the window: theirs count too
                        self._cond.wait(wait)
                        continue
                    self._starts.append(now)
                    self._mine.stamp = now
                    self._in_flight += 1
                    self.max_in_flight_seen = max(self.max_in_flight_seen, self._in_flight)
                    return True
                timeout = None
                if len(self._starts) >= rate:
                    # The oldest start that still counts leaves the window at this moment.
                    oldest = self._starts[len(self._starts) - rate]
                    timeout = max(oldest + window - now, 0.001)
                self._cond.wait(timeout)

    def sent(self) -> None:
        """The request this thread took a slot for leaves now: its start counts from now.

        A thread can be descheduled between taking its slot and sending (a loaded machine, a
        new connection to open): the request then reaches the server later than it was
        counted, next to requests counted after it, and the server can see ``limit + 1`` in
        one of its windows. Moving the start to the moment of sending only ever delays later
        starts, never lets more through."""
        stamp = getattr(self._mine, "stamp", None)
        if stamp is None:
            return
        self._mine.stamp = None
        with self._cond:
            now = self._clock()
            if now <= stamp:
                return
            # (Already out of the window: it counts again from now.)
            with suppress(ValueError):
                self._starts.remove(stamp)
            self._starts.append(now)  # every start was taken at or before now: still sorted
            if self.shared is not None:
                self.shared.move(stamp, now)

    def release(self) -> None:
        self._mine.stamp = None
        with self._cond:
            self._in_flight -= 1
            self._cond.notify_all()

    def wake(self) -> None:
        """Wake every waiting :meth:`acquire` so that it checks its ``give_up`` again."""
        with self._cond:
            self._cond.notify_all()

    @contextmanager
    def slot(self, give_up: Callable[[], bool] | None = None) -> Iterator[bool]:
        """A started request while the block runs; yields False (nothing counted) when the
        caller gave up waiting."""
        if not self.acquire(give_up):
            yield False
            return
        try:
            yield True
        finally:
            self.release()

    # -- learning from responses -----------------------------------------------------------
    def update(self, headers: Mapping[str, str]) -> None:
        """Adopt the limits a response announces."""
        new = limits_from_headers(headers, self.limits)
        if new != self.limits:
            with self._cond:
                self.limits = new
                self._cond.notify_all()

    def penalise(self) -> None:
        """After a 429: half the rate for ``penalty_windows`` intervals."""
        with self._cond:
            self._penalty_until = self._clock() + self.penalty_windows * self.limits.interval


# Crossref's tips: on 429, 5xx or a timeout "back-off exponentially"; about 5 tries, 1-2-4-8 s,
# capped near a minute; jittered so that threads failing together do not retry together. The
# policy class and the loop are harvester.net.retry's, shared with every other client.
CROSSREF_RETRY = RetryPolicy(attempts=5, backoff=1.0, max_wait=60.0, jitter=0.5)


class PoolBudget:
    """Requests in flight in one Crossref pool, both request classes together; thread-safe.

    ``concurrency`` is the pool's limit; with ``probe`` the budget is 1 until :meth:`update` has
    seen a response (the first request reads the limits). :meth:`slot` takes a slot for a
    request; a slot whose request timed out is :meth:`~_Slot.hold`-en past the moment the
    client stopped waiting, since the server may still be working on it.
    """

    def __init__(
        self,
        concurrency: int,
        *,
        probe: bool = True,
        clock: Callable[[], float] = time.monotonic,
        shared: SharedSlots | None = None,
        lease: float = 300.0,
    ) -> None:
        """``shared``: the slots every harvester process on the machine takes from (Crossref
        counts per IP; with it ``clock`` must be ``time.monotonic``, one clock for all
        processes); ``lease``: how long a running request's shared slot is trusted to its
        process (if the process hangs, the others get the slot back after it)."""
        self.concurrency = max(1, concurrency)
        self.shared = shared
        self.lease = lease
        self.learned = not probe
        self._clock = clock
        self._cond = threading.Condition()
        self._in_flight = 0
        self._cooling: list[float] = []  # when each slot held past a timeout is free again
        self.max_in_flight_seen = 0
        self.held = 0  # slots that were held past a timeout (for reports and tests)

    @property
    def capacity(self) -> int:
        return self.concurrency if self.learned else 1

    def busy(self) -> int:
        """Slots taken now: requests in flight plus those cooling down after a timeout."""
        with self._cond:
            return self._busy(self._clock())

    def cooling(self) -> int:
        """Slots held now past a timeout."""
        with self._cond:
            now = self._clock()
            self._busy(now)
            return len(self._cooling)

    def extend_cooling(self, seconds: float) -> None:
        """Keep every slot this process now holds past a timeout for ``seconds`` more."""
        with self._cond:
            until = self._clock() + seconds
            self._cooling = [max(t, until) for t in self._cooling]

    def _busy(self, now: float) -> int:
        self._cooling = [t for t in self._cooling if t > now]
        return self._in_flight + len(self._cooling)

    def acquire(
        self, give_up: Callable[[], bool] | None = None, until: float | None = None
    ) -> bool:
        """Block until a slot is free and take it (True); False without taking one when
        ``give_up()`` turns true (see :meth:`wake`) or the clock passes ``until``. (A shared
        slot taken here is given back by :meth:`release` only through :meth:`slot`.)"""
        return self._take(give_up, until)[0]

    def _take(
        self, give_up: Callable[[], bool] | None, until: float | None
    ) -> tuple[bool, int | None]:
        with self._cond:
            while True:
                if give_up is not None and give_up():
                    return False, None
                now = self._clock()
                if until is not None and now >= until:
                    return False, None
                poll: float | None = None
                if self._busy(now) < self.capacity:
                    token = None
                    if self.shared is not None:
                        token = self.shared.claim(now, self.capacity, self.lease)
                    if self.shared is None or token is not None:
                        self._in_flight += 1
                        self.max_in_flight_seen = max(self.max_in_flight_seen, self._busy(now))
                        return True, token
                    # Other processes hold the pool's slots; they cannot wake this one.
                    poll = SHARED_POLL
                wakes = [t - now for t in self._cooling]
                if until is not None:
                    wakes.append(until - now)
                if poll is not None:
                    wakes.append(poll)
                self._cond.wait(max(min(wakes), 0.001) if wakes else None)

    def release(self, hold: float = 0.0, token: int | None = None) -> None:
        """Give a slot back; with ``hold`` seconds, only once they have passed."""
        with self._cond:
            now = self._clock()
            self._in_flight -= 1
            if hold > 0:
                self.held += 1
                self._cooling.append(now + hold)
            if self.shared is not None and token is not None:
                self.shared.release(token, now, hold)
            self._cond.notify_all()

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    @contextmanager
    def slot(
        self, give_up: Callable[[], bool] | None = None, until: float | None = None
    ) -> Iterator[_Slot | None]:
        """A slot while the block runs (``None``: gave up waiting); the block may call
        ``hold(seconds)`` on it to keep it taken past the block's end."""
        taken, token = self._take(give_up, until)
        if not taken:
            yield None
            return
        handle = _Slot()
        try:
            yield handle
        finally:
            self.release(handle.seconds, token)

    def assume_defaults(self) -> None:
        """End the probing without an answer (the first request timed out): the configured
        concurrency (the documented default) is all there is to go by."""
        with self._cond:
            if not self.learned:
                self.learned = True
                self._cond.notify_all()

    def update(self, headers: Mapping[str, str]) -> None:
        """Adopt the pool's ``x-concurrency-limit``; any response ends the probing."""
        text = _first(headers, "x-concurrency-limit", "x-concurrency-limit-limit")
        with self._cond:
            if text and text.strip().isdigit() and int(text) > 0:
                self.concurrency = int(text)
            self.learned = True
            self._cond.notify_all()


class _Slot:
    """One taken :class:`PoolBudget` slot; ``hold(seconds)`` keeps it past the request."""

    __slots__ = ("seconds",)

    def __init__(self) -> None:
        self.seconds = 0.0

    def hold(self, seconds: float) -> None:
        self.seconds = max(self.seconds, seconds)


class ErrorBudget:
    """Trips when failed requests exceed ``max_share`` of all requests (after ``min_requests``).

    Failures are what the server did wrong: 429, 5xx, other 4xx, cut connections and unreadable
    answers (Crossref's "overall error (4XX + 5XX) rate"). A 404 for an unknown DOI is an
    answer, and a timeout is the client's own patience running out, not an error answer: a
    slow Crossref is handled by the cool-down, the retries and the run's deadline instead.
    """

    def __init__(self, max_share: float = 0.10, min_requests: int = 100) -> None:
        self.max_share = max_share
        self.min_requests = min_requests
        self.requests = 0
        self.failures = 0
        self._lock = threading.Lock()

    def record(self, ok: bool) -> None:
        with self._lock:
            self.requests += 1
            if not ok:
                self.failures += 1

    @property
    def exceeded(self) -> bool:
        with self._lock:
            return (
                self.requests >= self.min_requests
                and self.failures > self.max_share * self.requests
            )

    def describe(self) -> str:
        return f"{self.failures} of {self.requests} requests failed"
