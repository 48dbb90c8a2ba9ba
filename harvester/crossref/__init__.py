"""Crossref: the REST API client (:mod:`.client`) and the limits it keeps (:mod:`.limits`)."""

from harvester.crossref.client import CrossrefClient, SearchResult
from harvester.crossref.limits import (
    CROSSREF_RETRY,
    DEFAULT_LIMITS,
    ErrorBudget,
    PoolBudget,
    PoolLimits,
)
from harvester.net.retry import RetryPolicy

__all__ = [
    "CROSSREF_RETRY",
    "DEFAULT_LIMITS",
    "CrossrefClient",
    "ErrorBudget",
    "PoolBudget",
    "PoolLimits",
    "RetryPolicy",
    "SearchResult",
]
