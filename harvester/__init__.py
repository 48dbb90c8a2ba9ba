"""harvester: the shell around :mod:`records` (CLI, store, HTTP, Crossref enrichment, sync)."""

__version__ = "0.1.0"
