"""Fuzzed inputs through the real ``harvester add``, ``parse`` and ``sync``: whatever the files
hold and however they are named, the run ends with its summary, every problem is one failure
line naming its file, a good file after the bad ones is imported, and nothing is a traceback.

A few examples in the suite (each is a handful of real processes); ``HARVESTER_FUZZ=heavy``
runs many more. The per-reader fuzzing is in ``tests/records/parsers/test_fuzz_readers.py``.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.harvester.cli_runner import run_cli
from tests.records.parsers.test_fuzz_readers import NESTED, SAMPLES

HEAVY = os.environ.get("HARVESTER_FUZZ") == "heavy"

GOOD = b"TY  - JOUR\nTI  - The good file after the bad ones\nAU  - Smith, J\nPY  - 2001\nER  - \n"


@st.composite
def hostile_file(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["bytes", "truncated", "flipped", "nested", "controls"]))
    if kind == "bytes":
        return draw(st.binary(min_size=1, max_size=2048))
    if kind == "nested":
        return NESTED[draw(st.sampled_from(sorted(NESTED)))]
    content = bytearray(draw(st.sampled_from(SAMPLES))[1])
    if kind == "truncated":
        return bytes(content[: draw(st.integers(1, len(content)))])
    for _ in range(draw(st.integers(1, 8))):
        where = draw(st.integers(0, len(content) - 1))
        if kind == "flipped":
            content[where] = draw(st.integers(0, 255))
        else:
            content[where:where] = bytes([draw(st.sampled_from([0, 7, 8, 11, 27, 127]))])
    return bytes(content)


# Names with the characters that forge lines or drive terminals (no "/" and no NUL: the file
# system allows neither in a name).
NAME = st.text(
    st.sampled_from([*"abc.-_ ", "\n", "\r", "\t", "\x1b", "\x07", "\u2028", "é"]),
    min_size=1,
    max_size=12,
).filter(lambda n: n not in (".", "..") and not n.startswith(".") and not n.endswith("~"))


@settings(
    max_examples=int(os.environ.get("HARVESTER_FUZZ_CLI_EXAMPLES") or (10 if HEAVY else 2)),
    deadline=None,
    database=None,
    derandomize=not HEAVY,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(st.tuples(NAME, hostile_file()), min_size=1, max_size=6, unique_by=lambda f: f[0]))
def test_add_parse_and_sync_survive_any_folder(files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "in"
        folder.mkdir()
        for index, (name, data) in enumerate(files):
            (folder / f"{index}-{name}").write_bytes(data)
        (folder / "zz-good.ris").write_bytes(GOOD)  # read last: folders go in sorted order
        db = Path(temp) / "lib.db"
        for command in (["parse", folder], ["add", "--no-enrich", folder]):
            result = run_cli(*command, db=db)
            _check(result.returncode, result.stderr)
            if command[0] == "add":
                assert "works in" in result.stdout  # the summary: the run ended normally
            assert "The good file after the bad ones" in (
                result.stdout if command[0] == "parse" else _titles(db)
            )
        assert run_cli("sync", "add", "inbox", folder, db=db).returncode == 0
        synced = run_cli("sync", "--full", db=db)
        _check(synced.returncode, synced.stderr)
        assert synced.stdout.startswith("inbox:")


def _check(code: int, stderr: str) -> None:
    assert "Traceback" not in stderr, stderr[-3000:]
    assert code in (0, 1), stderr[-3000:]
    for line in stderr.splitlines():
        # One line per problem, each naming a file under the folder (its name escaped).
        assert line.startswith(("harvester: failed: ", "created a new library")), line
        assert line.isprintable(), repr(line)


def _titles(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return " ".join(row[0] or "" for row in conn.execute("SELECT title FROM works"))
