"""The store owns every SQL statement: no module of the shell outside ``harvester/store/`` (nor
a script in ``scripts/``) writes SQL or reaches past the store's methods to its connection.

Read with :mod:`ast`, not grep: a docstring or comment that talks about SQL is fine; a string
literal that *is* a statement, or a call through ``library.db`` / ``.conn``, is not.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHELL = ROOT / "harvester"
STORE = SHELL / "store"

# Modules that still hold SQL, each with the change that removes it (none left).
ALLOWED: set[str] = set()

# A statement at the start of a string (f-strings: their first literal part).
_SQL_RE = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|BEGIN|DROP|ALTER|REPLACE|WITH\s+\w+\s+AS)\b"
)
# What only the store may call: the connection's statements and the store's raw-SQL helpers.
_RAW_CALLS = {"execute", "executemany", "executescript", "select_in", "rows_in", "grouped_in"}
_RAW_ATTRIBUTES = {"db", "conn"}


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring constants of a module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _leading_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def violations(source: str, name: str) -> Iterator[str]:
    """``file:line: what`` for every SQL statement or raw store access in ``source``."""
    tree = ast.parse(source, filename=name)
    docstrings = _docstrings(tree)
    in_fstring = {
        id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
    }
    for node in ast.walk(tree):
        if id(node) in docstrings or id(node) in in_fstring:
            continue
        text = _leading_text(node)
        if text is not None and _SQL_RE.match(text):
            assert isinstance(node, ast.expr)
            yield f"{name}:{node.lineno}: SQL statement {text.strip().splitlines()[0][:60]!r}"
        elif isinstance(node, ast.Attribute):
            if node.attr in _RAW_CALLS:
                yield f"{name}:{node.lineno}: raw store call .{node.attr}(...)"
            elif (
                isinstance(node.value, ast.Attribute)
                and node.value.attr in _RAW_ATTRIBUTES
                and node.value.attr != node.attr
            ):
                yield f"{name}:{node.lineno}: reaches into the store: .{node.value.attr}.{node.attr}"
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            for module in modules:
                if module and module.split(".")[0] in ("sqlite3", "sqlite_utils"):
                    yield f"{name}:{node.lineno}: imports {module} (the store's engine)"


def _shell_files() -> Iterator[Path]:
    for path in sorted(SHELL.rglob("*.py")):
        if STORE not in path.parents:
            yield path


def _scripts() -> Iterator[Path]:
    for path in sorted((ROOT / "scripts").iterdir()):
        if path.is_file() and (
            path.suffix == ".py" or path.read_bytes()[:64].startswith(b"#!/usr/bin/env python")
        ):
            yield path


def test_no_sql_outside_the_store() -> None:
    found: list[str] = []
    for path in _shell_files():
        name = path.relative_to(ROOT).as_posix()
        if name not in ALLOWED:
            found.extend(violations(path.read_text(encoding="utf-8"), name))
    assert not found, "SQL outside harvester/store/:\n" + "\n".join(found)


def test_the_allow_list_names_only_modules_that_still_need_it() -> None:
    # An entry whose module holds no SQL any more must go (so the list only ever shrinks).
    for name in ALLOWED:
        path = ROOT / name
        assert path.is_file(), f"{name}: allowed but gone"
        assert list(violations(path.read_text(encoding="utf-8"), name)), f"{name}: clean now"


def test_scripts_use_the_library_not_its_connection() -> None:
    found: list[str] = []
    for path in _scripts():
        name = path.relative_to(ROOT).as_posix()
        # A script may measure raw sqlite3 as a peer (scripts/bench's floor), on its own
        # connection: only reaching into a Library is a breach.
        found.extend(
            v
            for v in violations(path.read_text(encoding="utf-8"), name)
            if "reaches into the store" in v
        )
    assert not found, "scripts reaching past the store:\n" + "\n".join(found)


def test_the_scan_finds_what_it_looks_for() -> None:
    source = '''
"""SELECT in a docstring is prose."""
import sqlite3

def f(library, name):
    """DELETE FROM in a docstring too."""
    library.db.execute("DELETE FROM works WHERE id = ?", [1])
    rows = library.select_in("SELECT id FROM works WHERE id IN ({marks})", [1])
    table = "works"
    library.conn.commit()
    sql = f"UPDATE {table} SET x = 1"
    return "Selected works", "UPDATEs are fine in prose"
'''
    found = list(violations(source, "x.py"))
    lines = sorted(int(v.split(":")[1]) for v in found)
    assert lines == [3, 7, 7, 8, 8, 10, 11], found
    assert any("sqlite3" in v for v in found)
    assert not any("prose" in v or "Selected" in v for v in found)
