"""The shell's errors, under the one tree rooted at :class:`records.errors.HarvesterError`.

    HarvesterError
    └── NetworkError                a remote service could not be used as asked
        ├── CrossrefUnavailable     unreachable (refused, DNS), refused access (401/403):
        │   │                       stop asking, queue the rest for later
        │   └── ErrorBudgetExceeded more than 10 % of requests failed: Crossref asks us to stop
        └── RequestFailed           one request failed after its retries: that record waits
            ├── RateLimited         still 429 Too Many Requests after every retry
            └── BadResponse         an answer that is not what the API promises

Messages are one line for the person at the keyboard.
"""

from __future__ import annotations

from records.errors import HarvesterError


class NetworkError(HarvesterError):
    """A remote service could not be used; nothing local is wrong."""


class CrossrefUnavailable(NetworkError):
    """Crossref cannot be used now; the pipeline queues the records for a later ``enrich``."""


class ErrorBudgetExceeded(CrossrefUnavailable):
    """More than the allowed share of requests failed; Crossref asks clients to stop then."""


class RequestFailed(NetworkError):
    """One request failed after its retries (5xx, timeouts, cut connections)."""


class RateLimited(RequestFailed):
    """Crossref still refused with 429 Too Many Requests after every retry."""


class BadResponse(RequestFailed):
    """The answer was not what the API promises (not JSON, wrong shape)."""
