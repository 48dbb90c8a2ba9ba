"""harvester: the shell around :mod:`records` -- files, SQLite, HTTP, Crossref, sync, the CLI.

The Python API mirrors the CLI: open a :class:`~harvester.store.Library`, then call
:func:`harvester.ops.importing.import_sources`, :func:`harvester.ops.enrich.enrich_works`,
:func:`harvester.ops.exporting.export_text` and so on.
"""

__version__ = "0.1.0"
