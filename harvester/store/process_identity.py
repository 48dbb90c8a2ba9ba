"""Which process wrote a row, told apart from a later one that got the same pid.

A run (or a lease) stores its pid, host, the machine's boot id and the process's start time. A
later process decides that the writer is gone when it is on the same host and the machine has
rebooted since, or no process has that pid, or the process with that pid started at another
time (the pid was given out again). Rows from other hosts are never judged: their processes
cannot be seen from here. Linux gives boot id and start time (``/proc``); elsewhere the pid
alone is checked. Hand-written: psutil would do the start time, but a dependency for two
``/proc`` reads is not worth it.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ProcessId:
    pid: int
    host: str
    boot_id: str | None
    started: int | None  # clock ticks after boot (/proc/PID/stat field 22)


@cache
def boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None


def start_time(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks after boot; None if unknown or gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces and parentheses.
    fields = stat[stat.rfind(")") + 2 :].split()
    try:
        return int(fields[19])
    except (IndexError, ValueError):
        return None


def this_process() -> ProcessId:
    pid = os.getpid()
    return ProcessId(pid, socket.gethostname(), boot_id(), start_time(pid))


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, someone else's
        return True
    return True


def is_gone(owner: ProcessId) -> bool:
    """Whether the process that wrote ``owner`` surely no longer runs (see the module
    docstring); False when that cannot be known from here."""
    me = this_process()
    if owner.host != me.host:
        return False
    if owner.boot_id and me.boot_id and owner.boot_id != me.boot_id:
        return True
    if not pid_alive(owner.pid):
        return True
    if owner.started is not None:
        now_started = start_time(owner.pid)
        return now_started is not None and now_started != owner.started
    return False


__all__ = ["ProcessId", "is_gone", "pid_alive", "this_process"]
