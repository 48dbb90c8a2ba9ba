"""The store imports sqlite-utils without pandas and numpy (harvester/store/_sqlite_utils.py):
a real cost of every command and parse worker, and of every CLI test, when they are installed.

Fake ``pandas`` and ``numpy`` packages that record being imported stand in for the real ones,
so the test proves the same thing whether or not the real ones are installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def _fakes(folder: Path) -> Path:
    for name in ("pandas", "numpy"):
        (folder / name).mkdir()
        (folder / name / "__init__.py").write_text(
            "import os\n"
            f"open(os.environ['IMPORT_LOG'], 'a').write('{name}\\n')\n"
            "Timestamp = int8 = int16 = int32 = int64 = uint8 = uint16 = uint32 = uint64 = None\n"
            "float16 = float32 = float64 = None\n"
        )
    return folder


def _run(code: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log = tmp_path / "imports.log"
    log.write_text("")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(_fakes(tmp_path)), str(REPO)])
    env["IMPORT_LOG"] = str(log)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    return result, log.read_text().split()


def test_opening_a_library_imports_neither_pandas_nor_numpy(tmp_path: Path) -> None:
    code = (
        "import sys; from harvester.store import Library\n"
        f"with Library({str(tmp_path / 'lib.db')!r}, create=True) as library:\n"
        "    assert library.holds_nothing()\n"
        "import sqlite_utils.db\n"
        "assert sqlite_utils.db.pd is None and sqlite_utils.db.np is None\n"
    )
    result, imported = _run(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert imported == []


def test_a_program_using_the_store_still_imports_pandas_itself(tmp_path: Path) -> None:
    code = "import harvester.store; import pandas, numpy; print(pandas.__file__)"
    result, imported = _run(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert imported == ["pandas", "numpy"]
    assert result.stdout.startswith(str(tmp_path))  # the fake, found on the path as usual
