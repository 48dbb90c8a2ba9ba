"""Shared test fixtures: paths to the shared data beside the repository, temp databases."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the repository root holds the seeds, recorded responses and labelled data
# (in CI too). Tests read it in place; nothing from it is copied into the repository.
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
FIXTURES = SHARED / "fixtures"
VUFIND_SEED = SEEDS / "000_44e92aaf5ee263d6.txt"
SPRINGER_SEED = SEEDS / "003_2909be21334751a0.txt"


def pytest_configure(config: pytest.Config) -> None:
    if not SEEDS.is_dir():
        raise pytest.UsageError(f"shared data not found at {SHARED}: clone the repo beside shared/")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a real SQLite library file in a fresh temporary directory."""
    return tmp_path / "library.db"
