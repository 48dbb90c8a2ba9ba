"""Parsing in a second process while the first one stores and deduplicates.

An import is two halves of about the same cost: parse + normalize + comparison forms (pure,
:mod:`records`) and store + dedup (SQLite, one writer). On a machine with two or more cores a
large input is parsed by a worker process that hands over batches through a bounded queue, so
the halves overlap and memory holds a few batches, not the file. Small inputs are parsed in
process: starting a worker costs more than it saves.

The worker is started with ``spawn`` (a fresh interpreter: the parent's open SQLite connection
and any progress-bar thread are not inherited). An error in the worker reaches the parent as
the same exception (:class:`records.errors.InputError` pickles as itself); a worker that dies
without a word becomes a :class:`~harvester.errors.HarvesterError` naming the input.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from harvester.errors import HarvesterError
from harvester.gc_pause import paused_gc
from harvester.record_warnings import route_record_warnings
from harvester.store.library import NewRecord
from records.model import Failure
from records.parsers import iter_parse

# Inputs at least this large are parsed in a worker (about 2,000 BibTeX or RIS records).
WORKER_MIN_BYTES = 4_000_000
BATCH = 2000
# Batches in flight between the processes: enough to keep both busy, few enough to bound
# memory (a batch of 2,000 records is about 10 MB pickled).
QUEUE_BATCHES = 4
# How long the parent waits for a batch before checking that the worker is still alive.
_POLL_S = 1.0

# The records of a batch, ready to store, and the failures found in it.
Batch = tuple[list[NewRecord], list[Failure]]


def prepared_batches(
    data: bytes,
    origin: str,
    format: str | None = None,
    *,
    parallel: bool | None = None,
    strict: bool = False,
) -> Iterator[Batch]:
    """Parsed, normalized records of one input with everything derived from them alone
    (:class:`NewRecord`), in batches and in input order. ``parallel``: parse in a worker
    process (default: when the input is large and the machine has a second core); ``strict``:
    a record with a doubtful value is a failure (:func:`records.parsers.iter_parse_text`)."""
    if parallel is None:
        parallel = (
            len(data) >= WORKER_MIN_BYTES and (os.cpu_count() or 1) > 1 and _main_is_importable()
        )
    if parallel:
        yield from _from_worker(data, origin, format, strict)
    else:
        yield from _batches(data, origin, format, strict)


_MAIN_GUARD = re.compile(r"""__name__\s*==\s*['"]__main__['"]""")


def _main_is_importable() -> bool:
    """Whether a spawned worker can start: it imports the parent's ``__main__`` again, which
    is harmless for ``python -m harvester`` (a module), an interactive session, the installed
    ``harvester`` command and any script whose code sits under ``if __name__ == "__main__":``,
    but would run a plain script a second time. Such a script parses in process."""
    main = sys.modules.get("__main__")
    if getattr(main, "__spec__", None) is not None:
        return True
    path = getattr(main, "__file__", None)
    if not path:
        return True
    try:
        return _MAIN_GUARD.search(Path(path).read_text("utf-8", errors="replace")) is not None
    except OSError:
        return False


def _batches(data: bytes, origin: str, format: str | None, strict: bool) -> Iterator[Batch]:
    for result in iter_parse(data, origin, format, batch=BATCH, strict=strict):
        with paused_gc():
            prepared = [NewRecord.of(record) for record in result.records]
        yield prepared, result.failures


def _produce(data: bytes, origin: str, format: str | None, strict: bool, out: Any) -> None:
    """The worker: every batch, then ``None``; or the exception that stopped it."""
    route_record_warnings()  # a spawned process starts with no logging set up
    try:
        for batch in _batches(data, origin, format, strict):
            out.put(("batch", batch))
        out.put(("done", None))
    except BaseException as exc:
        out.put(("error", exc))


def _from_worker(
    data: bytes, origin: str, format: str | None, strict: bool
) -> Iterator[Batch]:
    context = mp.get_context("spawn")
    channel = context.Queue(maxsize=QUEUE_BATCHES)
    worker = context.Process(
        target=_produce, args=(data, origin, format, strict, channel), name="harvester-parse", daemon=True
    )
    worker.start()
    try:
        while True:
            try:
                with paused_gc():  # unpickling a batch makes a million objects
                    kind, payload = channel.get(timeout=_POLL_S)
            except queue.Empty:
                if not worker.is_alive():
                    raise HarvesterError(
                        f"{origin}: the parsing process stopped unexpectedly "
                        f"(exit code {worker.exitcode})"
                    ) from None
                continue
            if kind == "batch":
                yield payload
            elif kind == "error":
                raise payload
            else:
                return
    finally:
        # Normal end, an error, or the consumer stopped early (its transaction rolled back).
        if worker.is_alive():
            worker.terminate()
        worker.join()
        channel.close()
        channel.join_thread()


__all__ = ["BATCH", "WORKER_MIN_BYTES", "prepared_batches"]
