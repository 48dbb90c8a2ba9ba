"""Run the `harvester` command line as a test: in this process (the default), or as a real
``python -m harvester`` subprocess where the process itself is the subject.

In process, :func:`harvester.cli.main` (the console script's own entry point, with its
signal handling and its error lines) runs with ``sys.argv``, the environment, the working
directory, stdin, stdout and stderr swapped for the run (click's ``CliRunner.isolation``),
and its result comes back in the subprocess's shape: the exit code a process would end with,
stdout and stderr apart, decoded as ``text=True`` would (universal newlines), and an
uncaught exception as the traceback a process would print on stderr with exit code 1. It
saves a Python start-up and the imports (0.3-0.6 s of CPU a run) without changing what a
test of a rule, a format or a store behaviour checks.

``process=True`` starts the real process, as a user or cron would: kept for the tests whose
subject is the process (exit on signals, stdout/stderr as the OS sees them, start-up, the
installed entry point) and for one end-to-end run of every command (see docs/tests.md).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import REPO, STATE_DIR


def _environment(env: dict[str, str] | None, cwd: Path | None) -> dict[str, str]:
    """The variables a run sees besides the inherited ones (none of them ``HARVESTER_*``)."""
    full_env = {
        # Enrichment must not leave this machine in tests: an unroutable local port.
        "HARVESTER_CROSSREF_URL": "http://127.0.0.1:9",
        "HARVESTER_CONFIG": str(Path(cwd or REPO) / "no-such-config.toml"),
        "HARVESTER_STATE_DIR": str(STATE_DIR),
    }
    full_env.update(env or {})
    return full_env


def run_cli(
    *args: str | Path,
    db: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    process: bool = False,
) -> subprocess.CompletedProcess[str]:
    """``harvester [--db DB] ARGS``; never reaches the network. In this process unless
    ``process`` (then ``python -m harvester`` with the repository on the path)."""
    argv = (["--db", str(db)] if db is not None else []) + [str(a) for a in args]
    extra = _environment(env, cwd)
    if process:
        return _subprocess(argv, extra, stdin, cwd)
    return _in_process(argv, extra, stdin, cwd)


def _subprocess(
    argv: list[str], extra: dict[str, str], stdin: bytes | None, cwd: Path | None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("HARVESTER_")}
    full_env["PYTHONPATH"] = str(REPO)
    full_env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "harvester", *argv],
        input=stdin.decode() if stdin else None,
        text=True,
        capture_output=True,
        env=full_env,
        cwd=cwd or REPO,
        timeout=120,
    )


@contextmanager
def _records_logger_kept() -> Iterator[None]:
    """The CLI routes the ``records`` logger to stderr (and stops its propagation): given
    back as it was, so that a later test's ``caplog`` still sees it."""
    logger = logging.getLogger("records")
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    try:
        yield
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


def _text(data: bytes) -> str:
    """Bytes as ``subprocess.run(text=True)`` decodes a pipe: UTF-8, universal newlines."""
    return data.decode().replace("\r\n", "\n").replace("\r", "\n")


def _in_process(
    argv: list[str], extra: dict[str, str], stdin: bytes | None, cwd: Path | None
) -> subprocess.CompletedProcess[str]:
    from harvester.cli import main

    # Every inherited HARVESTER_* variable is unset for the run, as for the subprocess.
    overrides: dict[str, str | None] = {k: None for k in os.environ if k.startswith("HARVESTER_")}
    overrides.update(extra)
    runner = CliRunner()
    saved_argv, saved_cwd = sys.argv, os.getcwd()
    with _records_logger_kept(), runner.isolation(input=stdin, env=overrides) as (out, err, _):
        sys.argv = ["harvester", *argv]
        os.chdir(cwd or REPO)
        try:
            main()
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:  # sys.exit("message"): the message on stderr, exit code 1
                print(exc.code, file=sys.stderr)
                code = 1
        except Exception:  # a process would print the traceback and exit 1
            traceback.print_exc(file=sys.stderr)
            code = 1
        finally:
            sys.argv = saved_argv
            os.chdir(saved_cwd)
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = _text(out.getvalue()), _text(err.getvalue())
    return subprocess.CompletedProcess(["harvester", *argv], code, stdout, stderr)
