"""The links an import keeps between its batches (:class:`harvester.ops.dedup.Links`) change no
decision: the same library as without them, with blocks forced past MAX_BLOCK, and with another
connection writing between two batches (the kept links are then dropped)."""

from __future__ import annotations

import json

from bench.synthetic import generate
from harvester.ops import dedup
from harvester.ops import importing as pipeline
from harvester.ops.importing import ImportReport, store_records
from harvester.store import Library
from records.model import Record, SourceRef
from records.normalize.record import normalize_csl
from tests.harvester.test_batches import _library_state, _records


def _realistic(n: int, seed: int) -> list[Record]:
    """The benchmark's library: template-like titles fill blocks, and leave pairs for review."""
    return [
        Record(
            csl=normalize_csl(csl),
            source=SourceRef("csl-json", "synthetic.json", rid, position, None),
            raw=json.dumps(csl, sort_keys=True),
        )
        for position, (rid, csl) in enumerate(generate(n, seed=seed).records, 1)
    ]


def _store(library: Library, records) -> None:
    with library.write():
        store_records(library, records, run_id=None, report=ImportReport())


def test_kept_links_change_no_decision_when_blocks_grow_past_the_limit(tmp_path, monkeypatch):
    records = _realistic(3000, seed=2)
    # Small blocks: many of them cross the limit during the import (settle's hardest case).
    monkeypatch.setattr(dedup, "MAX_BLOCK", 10)
    monkeypatch.setattr(pipeline, "BATCH", 200)
    states = []
    for limit in (10**6, -1):  # links kept; links dropped before every batch (as before them)
        monkeypatch.setattr(dedup, "LINKS_LIMIT", limit)
        with Library(tmp_path / f"kept{limit}.db") as library:
            _store(library, records)
            kept = len(dedup._links(library).complete)
            states.append(_library_state(library))
            grown = library.db.execute(
                "SELECT count(*) FROM (SELECT key FROM blocking_keys GROUP BY key"
                " HAVING count(*) > 10)"
            ).fetchone()[0]
        assert grown > 0  # blocks did grow past the limit during the import
        # Kept: nearly every record's links are known at the end; dropped: the last batch's.
        assert (kept > 2000) == (limit > 0), kept
    # Works, keys, why each record joined, review pairs (a link kept past its block's growth
    # changed which records were placed again, and so these, before Links.drop_gone).
    assert states[0] == states[1]


def test_another_connection_writing_drops_the_kept_links(tmp_path, monkeypatch):
    records, _ = _records(450, seed=12)
    monkeypatch.setattr(pipeline, "BATCH", 100)
    parts = [records[:150], records[150:300], records[300:]]
    path = tmp_path / "shared.db"
    with Library(path) as first, Library(path) as second:
        _store(first, parts[0])
        assert dedup._links(first).complete
        _store(second, parts[1])  # records the first connection's links know nothing of
        with first.write():
            links = dedup.checked_links(first, first.next_record_id())
            assert not links.complete
        _store(first, parts[2])
        together = _library_state(first)
    with Library(tmp_path / "alone.db") as alone:
        for part in parts:
            _store(alone, part)
        assert _library_state(alone) == together
