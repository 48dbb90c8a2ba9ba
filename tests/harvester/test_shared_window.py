"""Crossref's rate window shared by every harvester process on the machine (a cron sync and an
interactive enrich together stay within the per-IP limit): real files, real processes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from harvester.crossref.limits import PoolLimits, Throttle
from harvester.crossref.shared_window import SharedWindow, fcntl
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(fcntl is None, reason="no fcntl: the window is not shared here")


def test_a_start_counts_for_every_window_on_the_same_file(tmp_path):
    path = tmp_path / "w.starts"
    one, other = SharedWindow(path), SharedWindow(path)  # as two processes would open it
    assert [one.claim(10.0 + i / 100, 1.0, 3) for i in range(2)] == [0.0, 0.0]
    assert other.claim(10.05, 1.0, 3) == 0.0
    wait = one.claim(10.06, 1.0, 3)  # three starts in the last second: full
    assert wait == pytest.approx(10.0 + 1.0 - 10.06)
    assert other.claim(11.01, 1.0, 3) == 0.0  # the first start has left the window
    assert path.stat().st_size == 2 * 8  # 10.05 and 11.01: older starts are dropped


def test_a_start_moved_to_its_sending_counts_from_then(tmp_path):
    path = tmp_path / "w.starts"
    one, other = SharedWindow(path), SharedWindow(path)
    assert one.claim(10.0, 1.0, 2) == 0.0
    assert other.claim(10.1, 1.0, 2) == 0.0
    one.move(10.0, 10.5)  # the first request left half a second after its slot was taken
    # At 11.05 the start taken at 10.0 would be out; sent at 10.5 it still counts: full.
    assert other.claim(11.05, 1.0, 2) == pytest.approx(10.1 + 1.0 - 11.05)
    assert other.claim(11.51, 1.0, 2) == 0.0


def test_other_servers_and_request_classes_have_windows_of_their_own(tmp_path):
    a = SharedWindow.for_pool(tmp_path, "https://api.crossref.org", "polite", "single")
    b = SharedWindow.for_pool(tmp_path, "https://api.crossref.org", "polite", "list")
    c = SharedWindow.for_pool(tmp_path, "http://127.0.0.1:8080", "polite", "single")
    assert len({a.path, b.path, c.path}) == 3
    assert (
        a.path
        == SharedWindow.for_pool(tmp_path, "https://api.crossref.org", "polite", "single").path
    )


WORKER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from harvester.crossref.limits import PoolLimits, Throttle
    from harvester.crossref.shared_window import SharedWindow

    path, n = Path(sys.argv[1]), int(sys.argv[2])
    throttle = Throttle(PoolLimits(4, 0.3, 10), margin=0.0, min_margin=0.0,
                        shared=SharedWindow(path))
    starts = []
    for _ in range(n):
        with throttle.slot():
            starts.append(time.monotonic())
    print(json.dumps(starts))
    """
)


def test_two_processes_together_stay_within_one_rate(tmp_path):
    path = tmp_path / "crossref.starts"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), "12"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    starts = sorted(t for w in workers for t in json.loads(w.communicate(timeout=60)[0]))
    assert len(starts) == 24
    # At most 4 starts in any 0.3 s window, counting both processes' starts (measured after
    # each slot was taken, so allow the scheduling jitter that the throttle's margin absorbs in
    # use; two unshared windows would start 8 in one window, 0 s apart)...
    for i in range(len(starts) - 4):
        assert starts[i + 4] - starts[i] >= 0.3 - 0.05
    # ...while one process alone may use the whole rate (the window is not split in two).
    alone = Throttle(PoolLimits(4, 0.3, 10), margin=0.0, min_margin=0.0)
    assert all(alone.acquire() for _ in range(4)) and alone.limits.limit == 4
