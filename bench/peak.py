"""A command's own peak resident size, as ``wait4`` reports it.

Linux carries a process's RSS high-water mark across ``exec``: a command started from a 140 MB
pytest or benchmark process reports at least 140 MB in ``ru_maxrss``, whatever it used itself,
so a memory bound checked that way cannot fail below the parent's size. :func:`command` wraps a
command in a launcher, a fresh interpreter that imports nothing, which forks the command from
its own few megabytes, reaps it with ``wait4`` and writes its rusage (the command's and its
reaped children's: a parsing worker's) to a file; standard streams and the exit status pass
through unchanged.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

_LAUNCHER = r"""
import json, os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    json.dump({"maxrss_kb": usage.ru_maxrss, "utime": usage.ru_utime, "stime": usage.ru_stime}, f)
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def command(cmd: list[str], usage_file: Path) -> list[str]:
    """``cmd`` run through the launcher, which writes its rusage to ``usage_file``."""
    return [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(usage_file), *cmd]


def usage(usage_file: Path) -> dict[str, Any]:
    """What the launcher wrote: ``maxrss_kb`` (peak RSS in KiB), ``utime``, ``stime`` (CPU s)."""
    result: dict[str, Any] = json.loads(usage_file.read_text())
    return result
