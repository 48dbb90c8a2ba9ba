"""The pure parts of issue 15's part A, without a process: the search language, who is gone,
local paths, and the escaping of printed lines."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from harvester.cli.common import printable
from harvester.sources.inputs import local_path
from harvester.store import Library
from harvester.store.fts_query import to_fts5
from harvester.store.process_identity import is_gone, this_process
from records.errors import UsageError


@pytest.mark.parametrize(
    ("query", "fts"),
    [
        ("liver", '"liver"'),
        ("liver surgery", '"liver" AND "surgery"'),
        ('"liver surgery"', '"liver surgery"'),
        ("radiolog*", '"radiolog"*'),
        ("a b OR c d", '"a" AND ("b" OR "c") AND "d"'),
        ("liver -child", '("liver") NOT "child"'),
        ('liver -"small child"', '("liver") NOT "small child"'),
        ("NOT AND NEAR(x", '"NOT" AND "AND" AND "NEAR(x"'),
        ('say "unclosed', '"say" AND "unclosed"'),
        ("o'brien", '"o\'brien"'),
        ('a"b', '"a" AND "b"'),
        ("OR liver", '"liver"'),
    ],
)
def test_query_language(query: str, fts: str) -> None:
    assert to_fts5(query) == fts


@pytest.mark.parametrize("query", ["", "   ", '"', '""', "*", "-liver", "( ) : ^", "OR"])
def test_queries_without_a_word_are_usage_errors(query: str) -> None:
    with pytest.raises(UsageError):
        to_fts5(query)


def test_every_query_runs_in_sqlite(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as library:
        for query in ['"a" b', "x*", "NEAR(a b)", "a:b", "^a", "a OR OR b", "-a b", "é ü"]:
            assert library.search(query) == []


def test_a_process_is_gone_when_its_pid_is_free_or_given_out_again() -> None:
    me = this_process()
    assert not is_gone(me)
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert is_gone(replace(me, pid=int(done.stdout)))
    if me.started is not None:  # Linux: the start time tells a reused pid
        assert is_gone(replace(me, started=me.started + 1))
    if me.boot_id is not None:
        assert is_gone(replace(me, boot_id="another-boot"))
    assert not is_gone(replace(me, host="another-host", pid=int(done.stdout)))


def test_local_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "real.bib").write_text("")
    os.symlink(tmp_path / "real.bib", tmp_path / "link.bib")
    real = os.path.realpath(tmp_path / "real.bib")
    assert local_path("real.bib") == local_path("./x/../real.bib") == real
    assert local_path("link.bib") == real
    for name in ("https://example.org/a.bib", "<stdin>", "doi:10.1000/x", "<argument 2>"):
        assert local_path(name) is None


def test_printable_lines() -> None:
    assert printable("refs.bib") == "refs.bib"
    assert printable("a\nb\r\tc\x1b[31m\x00\u2028") == "a\\nb\\r\\tc\\x1b[31m\\x00\\u2028"
