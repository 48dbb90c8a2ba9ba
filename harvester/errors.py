"""The shell's errors, under the one tree rooted at :class:`records.errors.HarvesterError`.

    HarvesterError
    ├── InputError ...              (records.errors: unreadable, empty, binary, unknown format)
    ├── UsageError                  bad option, key or configuration             (exit 2)
    ├── StoreError                  the library file cannot be opened or written (exit 2)
    │   ├── LibraryBusy             another process wrote longer than the run may wait
    │   └── NoLibrary               no library at that path (only `add` and `sync` create one)
    ├── NotFound                    no work with that key, no work matches        (exit 1)
    ├── WouldEmpty                  an export would empty a file that holds data  (exit 1)
    ├── SourceFailed                a sync source could not be harvested this time
    │   ├── OAIError                the repository answered <error code=...>   (sources/oaipmh)
    │   │   └── BadResumptionToken  an expired or bad token: the window restarts
    │   └── LeaseLost               another run took the source over            (ops/leases)
    └── NetworkError                a remote service could not be used as asked
        ├── CrossrefUnavailable     unreachable (refused, DNS), refused access (401/403):
        │   │                       stop asking, queue the rest for later
        │   ├── ErrorBudgetExceeded more than 10 % of requests failed: Crossref asks us to stop
        │   ├── CrossrefSilent      request after request timed out: nobody is answering
        │   └── DeadlineReached     the enrichment run's total time is spent
        ├── PubMedUnavailable       E-utilities cannot be used now              (sources/pubmed)
        └── RequestFailed           one request failed after its retries: that record waits
            ├── RateLimited         still 429 Too Many Requests after every retry
            └── BadResponse         an answer that is not what the API promises

Messages are one line for the person at the keyboard.
"""

from __future__ import annotations

from records.errors import HarvesterError, UsageError


class StoreError(HarvesterError):
    """The SQLite library cannot be used (wrong file, newer schema, locked too long)."""

    exit_code = 2


class LibraryBusy(StoreError):
    """Another harvester process kept writing for longer than this run may wait (a bounded
    wait is for cron runs, which skip and come back at their next turn)."""


class NoLibrary(StoreError):
    """The library file does not exist and the command only reads or changes one: a mistyped
    ``--db`` must not create an empty library (and then export it over the user's files)."""

    # Printed as "harvester: no library at PATH", the words the user needs and no more.
    label = ""

    def __init__(self, path: object) -> None:
        super().__init__(f"no library at {path}")


class NotFound(HarvesterError):
    """A key or id names nothing in the library."""


class WouldEmpty(HarvesterError):
    """An export of no works would replace a file that holds something (``--force`` does it):
    a wrong library or selection must never wipe a user's ``.bib``."""


class SourceFailed(HarvesterError):
    """A sync source could not be harvested this time (network, server, protocol); one line.
    (Was ``HarvestError``, a name one letter from the root's.)"""


class NetworkError(HarvesterError):
    """A remote service could not be used; nothing local is wrong."""


class CrossrefUnavailable(NetworkError):
    """Crossref cannot be used now; the pipeline queues the records for a later ``enrich``."""


class ErrorBudgetExceeded(CrossrefUnavailable):
    """More than the allowed share of requests failed; Crossref asks clients to stop then."""


class CrossrefSilent(CrossrefUnavailable):
    """Requests keep timing out with no answer in between: Crossref accepts but never answers."""


class DeadlineReached(CrossrefUnavailable):
    """The enrichment run's total deadline passed; what is left waits for a later run."""


class RequestFailed(NetworkError):
    """One request failed after its retries (5xx, timeouts, cut connections)."""


class RateLimited(RequestFailed):
    """Crossref still refused with 429 Too Many Requests after every retry."""


class BadResponse(RequestFailed):
    """The answer was not what the API promises (not JSON, wrong shape)."""


__all__ = [
    "BadResponse",
    "CrossrefSilent",
    "CrossrefUnavailable",
    "DeadlineReached",
    "ErrorBudgetExceeded",
    "HarvesterError",
    "LibraryBusy",
    "NetworkError",
    "NoLibrary",
    "NotFound",
    "RateLimited",
    "RequestFailed",
    "SourceFailed",
    "StoreError",
    "UsageError",
    "WouldEmpty",
]
