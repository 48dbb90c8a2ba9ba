"""Shared test fixtures: paths to the test data inside the repository, temp databases."""

from __future__ import annotations

import os
import signal
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

REPO = Path(__file__).resolve().parents[1]
# The seeds, recorded responses, other projects' test data and labelled sets the suite uses,
# copied from the team's shared data with each folder's README (source and licence), so
# that a clone with nothing beside it runs every test. Evaluation scripts read ../shared.
SHARED = REPO / "tests" / "data" / "shared"
SEEDS = SHARED / "seeds"
FIXTURES = SHARED / "fixtures"
# Crossref's rate window is shared by every harvester process through a file in the state
# directory: each test session (each xdist worker) gets its own, so that parallel sessions
# never throttle one another and nothing is written to the user's state directory.
STATE_DIR = Path(tempfile.mkdtemp(prefix="harvester-tests-state-"))
os.environ["HARVESTER_STATE_DIR"] = str(STATE_DIR)
# A run started as a background job of a non-interactive shell (`nohup scripts/test &`)
# inherits SIGINT ignored, and so would every process the tests start: the Ctrl-C tests
# check Python's usual start (and that handlers are given back), so the run gets it.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
# Hypothesis fails an example that takes longer than 200 ms by default: a wall-clock bound,
# which a loaded machine breaks (speed is measured in benchmarks, never asserted in tests).
hypothesis_settings.register_profile("harvester", deadline=None)
hypothesis_settings.load_profile("harvester")
# The property tests' example counts are what a thorough run tries (HARVESTER_THOROUGH=1
# scripts/test); a default run tries a third of each (at least 100), which keeps the suite
# inside its time while every run still draws new examples (Hypothesis is not derandomized
# here) and replays any failure it saved (.hypothesis/).
THOROUGH = os.environ.get("HARVESTER_THOROUGH", "") not in ("", "0")


def examples(thorough: int) -> int:
    """``max_examples`` for a property test whose thorough run tries ``thorough``."""
    return thorough if THOROUGH else max(100, thorough // 3)


VUFIND_SEED = SEEDS / "000_44e92aaf5ee263d6.txt"
SPRINGER_SEED = SEEDS / "003_2909be21334751a0.txt"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a real SQLite library file in a fresh temporary directory."""
    return tmp_path / "library.db"
