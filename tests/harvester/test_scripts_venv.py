"""Every Python script in scripts/ runs inside the project's environment (scripts/_venv.py):
started with a Python that lacks harvester's dependencies it re-runs itself with .venv's, and
without a .venv it says in one line what to run instead of a traceback."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ("records", "harvester", "bench", "tests")


def _python_scripts() -> list[Path]:
    return [
        path
        for path in sorted((ROOT / "scripts").iterdir())
        if path.is_file()
        and not path.name.startswith("_")
        and (path.suffix == ".py" or path.read_bytes().startswith(b"#!/usr/bin/env python"))
    ]


def _guard_line(tree: ast.Module) -> int | None:
    for node in tree.body:
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "use_project_python"
        ):
            return node.lineno
    return None


def test_every_python_script_asks_for_the_project_python_before_importing_it() -> None:
    scripts = _python_scripts()
    assert len(scripts) >= 10  # the scan sees the scripts
    for path in scripts:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guard = _guard_line(tree)
        assert guard is not None, f"{path.name}: no use_project_python(__name__)"
        for node in tree.body:  # module level: what runs when the script starts
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                    node.module or ""
                ]
                if any(n.split(".")[0] in PROJECT for n in names):
                    assert node.lineno > guard, f"{path.name}:{node.lineno}: imported before"


PROBE = """\
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts._venv import use_project_python

use_project_python(__name__)
import rapidfuzz  # a dependency the bare Python lacks

print("ran in", sys.prefix)
"""


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", repo)
    shutil.copy(ROOT / "scripts" / "_venv.py", repo / "scripts")
    (repo / "scripts" / "probe").write_text(PROBE, "utf-8")
    return repo


def _run_bare(script: Path) -> subprocess.CompletedProcess[str]:
    # -S: no site-packages, as a system python3 without harvester's dependencies.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "HARVESTER_"))}
    return subprocess.run(
        [sys.executable, "-S", str(script)], capture_output=True, text=True, env=env, timeout=60
    )


def test_without_a_venv_one_line_says_what_to_run(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = _run_bare(repo / "scripts" / "probe")
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("scripts/probe: missing ") and "rapidfuzz" in line
    assert "Run scripts/test once" in line and "Traceback" not in result.stderr


def test_with_the_project_venv_the_script_runs_there(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    venv_python = repo / ".venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    # Stands for .venv's Python: the one running these tests has every dependency.
    venv_python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', "utf-8")
    venv_python.chmod(0o755)
    result = _run_bare(repo / "scripts" / "probe")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"ran in {sys.prefix}\n"
