"""harvester: the shell around :mod:`records` -- files, SQLite, HTTP, the command line.

The Python API mirrors the CLI: open a :class:`~harvester.store.Library`, then call
:func:`harvester.pipeline.import_sources`, :func:`harvester.exporting.export_works` and so on.
"""

__version__ = "0.1.0"
