"""Parsing in a second process while the first one stores and deduplicates.

An import is two halves: parse + normalize + what is derived from a record alone (its
comparison form, blocking keys, content hash and JSON: :class:`NewRecord`; pure, :mod:`records`)
and store + dedup (SQLite, one writer, the larger half). On a machine with two or more cores a
large input is parsed by a worker process that hands over batches of records through a pipe, so
the halves overlap; the input is read a chunk at a time
(:func:`records.parsers.iter_parse_stream`), so memory holds a few batches, not the file. Small
inputs are parsed in process: starting a worker costs more than it saves.

The worker is a plain child process (``python -c``, see :data:`_WORKER`) rather than a
``multiprocessing`` one, because the worker must never outlive the command that started it
(a killed ``harvester add`` whose worker lived on kept cron's and ``$(...)``'s output pipe
open, so they waited forever):

* it reads the file itself (the parent passes a path, never the file's bytes, so neither
  process pickles or holds the input twice);
* its stdout is a pipe only the parent reads, its stdin a pipe only the parent writes, and its
  stderr is ``/dev/null``: it holds none of the parent's output;
* batches go through that pipe, whose 64 KB kernel buffer bounds what is in flight; when the
  parent dies the pipe breaks and the worker's next write fails (``BrokenPipeError``) and it
  exits, instead of blocking forever in a full ``multiprocessing.Queue`` (no semaphores, no
  resource tracker process);
* on Linux it also asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``), and
  everywhere a watcher thread ends it when its parent pid changes (reparented), so a worker
  busy parsing a large input between two writes also goes.

An error in the worker reaches the parent as the same exception
(:class:`records.errors.InputError` pickles as itself); a worker that dies without a word
becomes a :class:`~harvester.errors.HarvesterError` naming the input.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, Any

import harvester
from harvester.errors import HarvesterError
from harvester.ops.gc_pause import paused_gc
from harvester.sources.inputs import file_chunks
from harvester.store.library import NewRecord
from records.model import Failure, ParseResult, Record
from records.parsers import iter_parse, iter_parse_stream

# Inputs at least this large are parsed in a worker (about 2,000 BibTeX or RIS records).
WORKER_MIN_BYTES = 4_000_000
# Records per batch: per write transaction of an import (see harvester.ops.importing).
BATCH = 2000


def _tuning(name: str, default: int) -> int:
    """A tuning knob from the environment (``HARVESTER_BATCH``, ``HARVESTER_WORKER_MIN_BYTES``):
    smaller batches let other writers in more often; the reliability tests and
    ``scripts/reliability`` use them to get many batches out of small files."""
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def batch_size() -> int:
    return _tuning("HARVESTER_BATCH", BATCH)


def worker_min_bytes() -> int:
    return _tuning("HARVESTER_WORKER_MIN_BYTES", WORKER_MIN_BYTES)


# The records of a batch, ready to store, and the failures found in it.
Batch = tuple[list[NewRecord], list[Failure]]
# The same as parsed (what the worker sends).
Parsed = tuple[list[Record], list[Failure]]
# What is parsed: the bytes of an input (standard input, a web page), or the file to read.
Source = bytes | Path


def input_size(source: Source) -> int:
    if isinstance(source, Path):
        try:
            return source.stat().st_size
        except OSError:
            return 0
    return len(source)


def prepared_batches(
    source: Source,
    origin: str,
    format: str | None = None,
    *,
    parallel: bool | None = None,
    strict: bool = False,
) -> Generator[Batch, None, None]:
    """Parsed, normalized records of one input (its bytes, or the path of a file) with
    everything derived from them alone (:class:`NewRecord`), in batches and in input order.
    ``parallel``: parse in a worker process (default: when the input is large and the machine
    has a second core); ``strict``: a record with a doubtful value is a failure
    (:func:`records.parsers.iter_parse_text`)."""
    if parallel is None:
        parallel = input_size(source) >= worker_min_bytes() and (os.cpu_count() or 1) > 1
    if parallel:
        yield from _from_worker(source, origin, format, strict)
        return
    batches = _batches(source, origin, format, strict)
    try:
        for records, failures in batches:
            with paused_gc():
                prepared = [NewRecord.of(record) for record in records]
            yield prepared, failures
    finally:
        # Stopped early (an error, an interrupt, the consumer's rollback): the parser goes now.
        batches.close()


def parsed(
    source: Source, origin: str, format: str | None, *, batch: int, strict: bool
) -> Iterator[ParseResult]:
    """The parse results of an input in batches: bytes already read (standard input, a web
    page) are decoded whole; a file is read a chunk at a time
    (:func:`records.parsers.iter_parse_stream`), so that memory follows the batch, not the
    file, for the formats that can be read so."""
    if isinstance(source, bytes):
        return iter_parse(source, origin, format, batch=batch, strict=strict)
    return iter_parse_stream(file_chunks(source, origin), origin, format, batch=batch, strict=strict)


def _batches(
    source: Source, origin: str, format: str | None, strict: bool
) -> Generator[Parsed, None, None]:
    for result in parsed(source, origin, format, batch=batch_size(), strict=strict):
        yield result.records, result.failures


# -- the parent's side ---------------------------------------------------------------------

# The worker's command: tied to its parent first (harvester.ops.lifeline is a few stdlib imports),
# then the parsers are imported and it reads its request.
_WORKER = (
    "import sys; from harvester.ops.lifeline import die_with_parent; "
    "die_with_parent(int(sys.argv[1])); "
    "from harvester.ops.parse_worker import main; sys.exit(main())"
)


def _worker_env() -> dict[str, str]:
    """The parent's environment, with this very ``harvester`` package first on the path (the
    parent may have found it through its working directory or a changed ``sys.path``)."""
    env = dict(os.environ)
    root = str(Path(harvester.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def _from_worker(
    source: Source, origin: str, format: str | None, strict: bool
) -> Generator[Batch, None, None]:
    worker = subprocess.Popen(
        [sys.executable, "-c", _WORKER, str(os.getpid())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=_worker_env(),
    )
    assert worker.stdin is not None and worker.stdout is not None
    try:
        try:
            # The worker reads the whole request before it writes anything: no deadlock.
            request = (source, origin, format, strict)
            pickle.dump(request, worker.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            worker.stdin.close()
        except BrokenPipeError:
            pass  # it died at start: reported below, from its exit code
        while True:
            try:
                with paused_gc():  # unpickling a batch makes a million objects
                    kind, payload = pickle.load(worker.stdout)
            except (EOFError, pickle.UnpicklingError):
                raise HarvesterError(
                    f"{origin}: the parsing process stopped unexpectedly "
                    f"(exit code {worker.wait()})"
                ) from None
            if kind == "batch":
                yield payload
            elif kind == "warning":  # the core's doubts, said where the user sees them
                logging.getLogger("records.parsers").warning("%s", payload)
            elif kind == "error":
                raise payload
            else:
                return
    finally:
        # Normal end, an error, an interrupt, or the consumer stopped early (its transaction
        # rolled back): the worker goes now, whatever it was doing.
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        worker.stdout.close()


# -- the worker's side ---------------------------------------------------------------------


def _send(out: IO[bytes], message: tuple[str, Any]) -> None:
    pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


class _ToParent(logging.Handler):
    """The core's warnings (``records`` logger) go to the parent, which prints them: the
    worker holds no output of its own."""

    def __init__(self, out: IO[bytes]) -> None:
        super().__init__(logging.WARNING)
        self.out = out

    def emit(self, record: logging.LogRecord) -> None:
        try:
            _send(self.out, ("warning", record.getMessage()))
        except Exception:  # logging's contract: a handler never raises
            self.handleError(record)


def main() -> int:
    """The worker (started by :data:`_WORKER`, which has tied it to its parent): read
    ``(source, origin, format, strict)`` from stdin, write every batch (and the core's
    warnings), then ``("done", None)``, or the exception that stopped it, to stdout."""
    # The parent's Ctrl-C reaches the whole process group: the parent decides, we just go.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout.buffer
    origin = "input"
    # Nothing else may write to the pipe (a stray print would corrupt the stream).
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    try:
        source, origin, format, strict = pickle.load(sys.stdin.buffer)
        logger = logging.getLogger("records")
        logger.addHandler(_ToParent(out))
        logger.setLevel(logging.WARNING)
        logger.propagate = False
        for records, failures in _batches(source, origin, format, strict):
            # The derived forms are made here, not in the parent: the parent's half (store and
            # dedup, one writer) is the larger one, and a record's comparison form and keys
            # (~200 us) cost its parent far more than reading them from the pipe (~35 us).
            with paused_gc():
                prepared = [NewRecord.of(record) for record in records]
            _send(out, ("batch", (prepared, failures)))
        _send(out, ("done", None))
    except BrokenPipeError:  # the parent is gone or stopped reading: nothing to tell
        os._exit(0)
    except BaseException as exc:
        try:
            try:
                _send(out, ("error", exc))
            except (pickle.PicklingError, TypeError, AttributeError):
                _send(out, ("error", HarvesterError(f"{origin}: {exc}")))
        except BrokenPipeError:
            os._exit(0)
        return 1
    return 0


__all__ = [
    "BATCH",
    "WORKER_MIN_BYTES",
    "batch_size",
    "input_size",
    "parsed",
    "prepared_batches",
    "worker_min_bytes",
]
