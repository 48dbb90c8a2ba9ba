"""Trying a request again: the one policy, the one loop and ``Retry-After``, shared by every
HTTP client (Crossref, OAI-PMH, PubMed's E-utilities, web pages and exports).

A client says what one attempt is; :func:`with_retries` runs it until it succeeds, fails for
good, or the policy or a deadline says stop. An attempt raises :class:`Transient` for what is
worth another try (which statuses and errors that is belongs to the client) and anything else
for what is not. Waits double from :attr:`RetryPolicy.backoff`; a server's ``Retry-After``
(seconds or an HTTP date) replaces the backoff, and a server asking for longer than the policy
or the deadline allows ends the attempts at once instead of holding a cron slot or a terminal.
When the loop stops it raises :class:`RetriesExhausted`, from which each client words its own
one-line message.

Crossref's client runs its attempts through the same loop: an attempt there takes a slot of
the pool's in-flight budget, records the outcome in the error budget and raises
:class:`Transient` like the others; the policy's ``jitter`` spreads its threads' retries.

Why hand-written, not stamina or tenacity (both considered): what the clients need from the
loop is (1) a server's ``Retry-After`` replacing the backoff, and a ``Retry-After`` longer than
the policy or the deadline allows *ending* the attempts at once with what was asked (so the
message can say "asks to wait 3600 s"), (2) an overall deadline that no wait reaches past,
(3) an injectable ``sleep``/``clock``/random source per call, so tests record waits instead of
sleeping, and (4) hooks before each attempt (a sync renews its lease). stamina gives bounded
attempts, a total timeout and jittered backoff, and its backoff hook can return a wait, but it
cannot stop early because of what a server asked for, and its sleep can only be replaced
globally (``stamina.set_testing``), not per client. tenacity can express all four, but only as
a custom ``wait``, a custom ``stop``, a custom ``before`` and a custom ``sleep``: every piece of
policy would be ours anyway, behind a dependency and its ``RetryError`` wrapping. The loop
below is forty lines with no dependency; the policy is data.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx

T = TypeVar("T")

# Status codes worth another try for an API or protocol endpoint (Crossref, OAI-PMH, PubMed):
# busy, rate-limited, or failing transiently. A web page's own 500 or 408 is what the next
# attempt gets too: harvester.sources.web retries only WEB_RETRY_STATUS.
RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
WEB_RETRY_STATUS = frozenset({429, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try one request: ``attempts`` in all, waits doubling from ``backoff`` seconds,
    never longer than ``max_wait`` (a ``Retry-After`` above it ends the attempts).

    ``jitter`` is the share of each wait drawn at random: 0 waits exactly the step (one client,
    one request at a time); 0.5 waits between half the step and the step, which spreads the
    retries of several threads that failed together (Crossref) and still backs off."""

    attempts: int = 6
    backoff: float = 1.0
    max_wait: float = 120.0
    jitter: float = 0.0

    def wait(self, attempt: int, rng: random.Random | None = None) -> float:
        """The backoff before attempt ``attempt + 1`` (``attempt`` counts from 1)."""
        step = min(self.backoff * 2.0 ** (attempt - 1), self.max_wait)
        if not self.jitter:
            return step
        draw = rng.random() if rng is not None else random.random()
        return step * (1 - self.jitter) + draw * step * self.jitter


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After: 3`` or ``Retry-After: <HTTP date>`` -> seconds from now (>= 0); ``None``
    when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # "-0000": UTC, as HTTP dates always are
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def retry_after(response: httpx.Response) -> float | None:
    """The wait a response asks for, in seconds (see :func:`parse_retry_after`)."""
    return parse_retry_after(response.headers.get("Retry-After"))


class Transient(Exception):
    """An attempt failed in a way the next one may not: ``reason`` (one line) and the wait the
    server asked for, if it did."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class RetriesExhausted(Exception):
    """The attempts stopped: ``last`` is the last failure, ``attempts`` how many were made.
    ``asked`` is set when the server's ``Retry-After`` was the reason to stop, with ``left``
    the seconds left before the deadline when that was the limit (``None``: the policy's
    ``max_wait`` was)."""

    def __init__(
        self,
        last: Transient,
        attempts: int,
        *,
        asked: float | None = None,
        left: float | None = None,
    ) -> None:
        super().__init__(last.reason)
        self.last = last
        self.attempts = attempts
        self.asked = asked
        self.left = left


def with_retries(
    attempt: Callable[[int], T],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    before_attempt: Callable[[], None] | None = None,
    on_retry: Callable[[], None] | None = None,
    rng: random.Random | None = None,
) -> T:
    """``attempt(n)`` for n = 1, 2, ... until it returns a value; see the module docstring.

    ``deadline`` (on ``clock``) bounds the waits: no wait ends at or after it. ``sleep`` is a
    hook (tests record the waits); ``before_attempt`` runs before each attempt (a sync renews
    its lease), ``on_retry`` before each wait; ``rng`` draws the policy's jitter.
    """
    number = 0
    while True:
        number += 1
        if before_attempt:
            before_attempt()
        try:
            return attempt(number)
        except Transient as failure:
            last = failure
        asked = last.retry_after
        left = None if deadline is None else deadline - clock()
        if asked is not None and left is not None and asked >= left:
            raise RetriesExhausted(last, number, asked=asked, left=max(left, 0.0))
        if asked is not None and asked > policy.max_wait:
            raise RetriesExhausted(last, number, asked=asked)
        if number >= policy.attempts:
            raise RetriesExhausted(last, number)
        wait = asked if asked is not None else policy.wait(number, rng)
        if left is not None and wait >= left:
            raise RetriesExhausted(last, number)  # no time for another attempt
        if on_retry:
            on_retry()
        sleep(wait)


__all__ = [
    "RETRY_STATUS",
    "WEB_RETRY_STATUS",
    "RetriesExhausted",
    "RetryPolicy",
    "Transient",
    "parse_retry_after",
    "retry_after",
    "with_retries",
]
