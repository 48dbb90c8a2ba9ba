"""scripts/fuzz-readers reads hypothesis's statistics, whichever wording hypothesis uses (a run
that passed once reported 0 examples: hypothesis had changed its wording)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fuzz-readers"

NEW = """\
============================ Hypothesis Statistics =============================
tests/records/parsers/test_fuzz_readers.py::test_random_bytes:

  - during reuse phase (0.01 seconds):
    - Typical runtimes: ~ 0-1 ms, of which < 1ms in data generation
    - 2 passing, 0 failing, and 0 invalid test cases

  - during generate phase (0.06 seconds):
    - Typical runtimes: ~ 0-36 ms, of which < 1ms in data generation
    - 498 passing, 0 failing, and 3 invalid test cases

  - Stopped because settings.max_examples=500


tests/harvester/test_trust_fuzz_cli.py::test_add_parse_and_sync_survive_any_folder:

  - during generate phase (40.10 seconds):
    - 10 passing, 0 failing, and 0 invalid test cases

58 passed in 163.96s (0:02:43)
"""

OLD = """\
tests/records/parsers/test_fuzz_readers.py::test_random_bytes:

  - during generate phase (0.06 seconds):
    - 7 passing examples, 1 failing examples, 0 invalid examples
"""


def _script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("fuzz_readers", str(SCRIPT))
    spec = importlib.util.spec_from_loader("fuzz_readers", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_counts_examples_in_hypothesis_current_wording() -> None:
    assert _script().count_examples(NEW) == {
        "tests/records/parsers/test_fuzz_readers.py::test_random_bytes": 500,
        "tests/harvester/test_trust_fuzz_cli.py::test_add_parse_and_sync_survive_any_folder": 10,
    }


def test_counts_examples_in_the_older_wording() -> None:
    assert _script().count_examples(OLD) == {
        "tests/records/parsers/test_fuzz_readers.py::test_random_bytes": 8
    }


def test_no_statistics_no_counts() -> None:
    assert _script().count_examples("58 passed in 1.00s\n") == {}
