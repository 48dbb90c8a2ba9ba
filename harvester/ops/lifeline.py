"""A child process that must not outlive its parent (the parsing worker).

Only the standard library, and cheap to import: the child calls :func:`die_with_parent` before
it imports anything heavy, so the window in which its parent may die unnoticed is a few
milliseconds, not the second or two a loaded machine takes to import the parsers.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

# How often the watcher checks that the parent is still the process that started us.
WATCH_S = 0.5
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` does: on Linux the kernel kills us
    (``PR_SET_PDEATHSIG``); everywhere a watcher thread ends us once we are reparented; and if
    the parent is already gone, we go now."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no libc to ask: the watcher below still ends us
    if os.getppid() != parent:  # the parent died before the kernel was asked
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


__all__ = ["die_with_parent"]
