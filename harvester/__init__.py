"""harvester: the shell around :mod:`records` -- files, SQLite, HTTP, Crossref, sync, the CLI.

The Python API mirrors the CLI: open a :class:`~harvester.store.Library`, then call
:func:`harvester.pipeline.import_sources`, :func:`harvester.enrichment.enrich_works`,
:func:`harvester.exporting.export_text` and so on.
"""

__version__ = "0.1.0"
