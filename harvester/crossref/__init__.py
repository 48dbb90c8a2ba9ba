"""Crossref: the REST API client (:mod:`.client`) and the limits it keeps (:mod:`.limits`)."""

from harvester.crossref.client import CrossrefClient, SearchResult
from harvester.crossref.limits import DEFAULT_LIMITS, ErrorBudget, PoolLimits, RetryPolicy

__all__ = [
    "DEFAULT_LIMITS",
    "CrossrefClient",
    "ErrorBudget",
    "PoolLimits",
    "RetryPolicy",
    "SearchResult",
]
