"""The Python scripts' part of ``_venv.sh``: run inside the project's environment.

Every Python script in ``scripts/`` calls :func:`use_project_python` before its first
third-party import, so ``scripts/eval-dedup`` works the same whichever ``python3`` its shebang
finds:

* a Python that has harvester's dependencies (pyproject.toml) installed (the project's
  ``.venv`` that ``scripts/test`` makes, or the user's own environment): it runs as it is;
* another one (the system's ``python3``) while ``.venv`` exists: the script is run again with
  ``.venv/bin/python``;
* neither: a missing module is one line saying what to run, not a traceback.

Imported by a test (``__name__`` is not ``"__main__"``), it does nothing.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import sys
import tomllib
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
# Set for the re-run, so that a .venv without the project cannot make a loop.
_AGAIN = "HARVESTER_SCRIPT_IN_VENV"


def _missing(needs: tuple[str, ...]) -> list[str]:
    """The distributions of harvester's dependencies (pyproject.toml) and of ``needs`` that the
    running Python does not have."""
    with open(ROOT / "pyproject.toml", "rb") as file:
        wanted = tomllib.load(file)["project"]["dependencies"] + list(needs)
    missing = []
    for requirement in wanted:
        name = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]
        try:
            importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    return missing


def _script() -> str:
    path = Path(sys.argv[0]).resolve()
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def _say_missing(what: object) -> None:
    print(
        f"{_script()}: {what} (in {sys.executable}). Run scripts/test once: it makes .venv with "
        "every dependency, and the scripts use it from then on; or run the script with a "
        "Python that has harvester's dependencies installed.",
        file=sys.stderr,
    )
    sys.exit(2)


def _missing_module(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if not issubclass(kind, ModuleNotFoundError):
        sys.__excepthook__(kind, exc, tb)
        return
    _say_missing(exc)


def use_project_python(name: str, needs: tuple[str, ...] = ()) -> None:
    """Re-run the calling script with ``.venv``'s Python when the running one lacks the
    project's dependencies (see the module docstring); ``name``: the caller's ``__name__``;
    ``needs``: further distributions the script uses (pytest for one that runs tests)."""
    if name != "__main__":
        return
    missing = _missing(needs)
    if not missing:
        sys.excepthook = _missing_module  # a module no distribution list names
        return
    python = VENV / "bin" / "python"
    inside = Path(sys.prefix).resolve() == VENV.resolve()
    if not inside and python.exists() and not os.environ.get(_AGAIN):
        os.environ[_AGAIN] = "1"
        os.execv(python, [str(python), str(Path(sys.argv[0]).resolve()), *sys.argv[1:]])
    _say_missing(f"missing {', '.join(missing)}")
