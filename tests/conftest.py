"""Shared test fixtures: paths to the test data inside the repository, temp databases."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

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
VUFIND_SEED = SEEDS / "000_44e92aaf5ee263d6.txt"
SPRINGER_SEED = SEEDS / "003_2909be21334751a0.txt"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a real SQLite library file in a fresh temporary directory."""
    return tmp_path / "library.db"
