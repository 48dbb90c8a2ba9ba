"""Where the pure core's warnings go: one line each on stderr, ``harvester: warning: ...``.

:mod:`records` never prints; it reports doubts it resolved by itself (two readers claiming one
input, and which it chose) on the standard ``logging`` logger ``records``. The CLI and the
parsing worker process route that logger here, so a user sees every such decision once.
"""

from __future__ import annotations

import logging
import sys

_PREFIX = "harvester: warning: %(message)s"


class _Stderr(logging.Handler):
    """Writes to the ``sys.stderr`` of the moment (a test runner may replace it)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.setFormatter(logging.Formatter(_PREFIX))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:  # logging's contract: a handler never raises
            self.handleError(record)


def route_record_warnings() -> None:
    """Print the ``records`` logger's warnings on stderr (once, however often called)."""
    logger = logging.getLogger("records")
    if not any(isinstance(h, _Stderr) for h in logger.handlers):
        logger.addHandler(_Stderr())
    logger.setLevel(logging.WARNING)
    logger.propagate = False
