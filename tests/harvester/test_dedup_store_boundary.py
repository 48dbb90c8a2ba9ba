"""Issue 16: the store owns every SQL statement. Dedup's shell holds none: it calls
:mod:`harvester.store.works` (the check is the issue's own ``grep``)."""

from __future__ import annotations

import re

from tests.conftest import REPO

SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE FROM|PRAGMA|CREATE|DROP)\b")


def test_no_sql_in_dedups_shell():
    source = (REPO / "harvester" / "ops" / "dedup.py").read_text(encoding="utf-8")
    found = [line.strip() for line in source.splitlines() if SQL.search(line)]
    assert found == []
    # ...nor raw SQL handed to the store's generic helpers.
    assert not re.search(r"\.(db|conn|rows_in|grouped_in|select_in)\b", source)


def test_the_store_module_holds_the_dedup_sql():
    source = (REPO / "harvester" / "store" / "works.py").read_text(encoding="utf-8")
    for table in ("blocking_keys", "candidate_pairs", "decisions", "temp.reclustered"):
        assert table in source
