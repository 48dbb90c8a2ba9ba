"""The SQLite library: schema, idempotence, transactions, search -- on real files."""

from __future__ import annotations

import sqlite3

import pytest

from harvester.errors import StoreError
from harvester.ops.importing import ImportReport, store_records
from harvester.store import Library
from records.parsers import parse_bytes
from tests.conftest import SPRINGER_SEED, VUFIND_SEED


def _seed_records():
    return [
        r
        for path in (VUFIND_SEED, SPRINGER_SEED)
        for r in parse_bytes(path.read_bytes(), str(path)).records
    ]


def test_new_library_has_schema_wal_and_busy_timeout(db_path):
    from harvester.store.schema import migrations

    with Library(db_path) as library:
        applied = library.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        assert applied >= 2 and migrations.pending(library.db) == []
        assert {
            "runs",
            "source_records",
            "works",
            "identifiers",
            "decisions",
            "crossref_cache",
            "works_fts",
        } <= set(library.db.table_names())
        assert library.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert library.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
    with Library(db_path) as again:  # reopening applies nothing twice
        count = again.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        assert count == applied


def test_not_a_library_is_a_clear_error(tmp_path):
    from harvester.errors import StoreError

    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not sqlite\n" * 100)
    with pytest.raises(StoreError, match=r"notes\.db"):
        Library(bogus)


def test_storing_the_same_records_twice_changes_nothing(db_path):
    with Library(db_path) as library:
        for _ in range(2):
            report = ImportReport()
            with library.write():
                store_records(library, _seed_records(), run_id=None, report=report)
        assert report.already_stored == 2 and report.new_records == 0
        assert library.counts()["works"] == 2
        assert library.counts()["records"] == 2


def test_raw_input_is_kept_verbatim_with_its_parsed_form(db_path):
    with Library(db_path) as library:
        with library.write():
            store_records(library, _seed_records(), run_id=None, report=ImportReport())
        stored = library.records([1])[0]
    assert stored.raw == VUFIND_SEED.read_text("utf-8")
    assert stored.format == "vufind-text" and stored.origin == str(VUFIND_SEED)
    assert stored.csl["DOI"] == "10.1007/s00117-024-01314-z"
    assert stored.beside["issn_kinds"] == {"0033-832X": "print", "1432-2102": "electronic"}


def test_a_failure_inside_a_transaction_writes_nothing(db_path):
    records = _seed_records()
    with Library(db_path) as library:
        original = library.insert_records
        written = []

        def write_then_fail(rows):
            original(rows)  # the records and their new works are written...
            written.append(library.counts())
            raise sqlite3.OperationalError("disk I/O error (simulated)")

        library.insert_records = write_then_fail  # type: ignore[method-assign]
        with pytest.raises(StoreError) as failed, library.write():
            store_records(library, records, run_id=None, report=ImportReport())
        assert [(c["works"], c["records"]) for c in written] == [(2, 2)]
        # The engine's error reaches the shell as its own, naming the file and the cause.
        assert str(failed.value) == f"{db_path}: cannot write the library (disk I/O error (simulated))"
        assert isinstance(failed.value.__cause__, sqlite3.OperationalError)
    with Library(db_path) as reopened:  # ...and rolled back with the transaction
        assert reopened.counts() == {"works": 0, "records": 0, "pending_enrichment": 0}


def test_works_are_recomputed_from_members_and_keep_their_key(db_path):
    records = _seed_records()
    with Library(db_path) as library:
        with library.write():
            store_records(library, records[:1], run_id=None, report=ImportReport())
        work = library.work_by_key("radosa2024radiologisch")
        assert work is not None
        library.db.execute("UPDATE works SET csl = '{}' WHERE id = ?", [work.id])
        merged = library.recompute_work(work.id)
        assert merged is not None and merged.csl["title"].startswith("Radiologisch")
        assert library.work(work.id).key == "radosa2024radiologisch"
        assert merged.provenance["title"]["from"] == [1]


def test_full_text_search_finds_by_title_author_and_abstract(db_path):
    with Library(db_path) as library:
        with library.write():
            store_records(library, _seed_records(), run_id=None, report=ImportReport())
        assert [w.key for w in library.search("embolizations")] == ["demestier2017liver"]
        assert [w.key for w in library.search("Schön")] == ["radosa2024radiologisch"]
        assert [w.key for w in library.search("schon")] == ["radosa2024radiologisch"]
        assert [w.key for w in library.search("Lebermetastasen")] == ["radosa2024radiologisch"]
        assert library.search("nothing-like-this") == []


def _fts_changes(library: Library) -> int:
    # Every write to an FTS5 table adds or rewrites rows of its shadow tables.
    return library.db.execute("SELECT total_changes()").fetchone()[0]


def test_the_search_index_is_rewritten_only_when_searchable_text_changes(db_path):
    with Library(db_path) as library:
        with library.write():
            store_records(library, _seed_records(), run_id=None, report=ImportReport())
        work = library.db.execute("SELECT id, title FROM works ORDER BY id").fetchone()
        fts_rows = library.db.execute("SELECT count(*) FROM works_fts_docsize").fetchone()[0]
        # An enrichment status, a key, or a recompute that changes nothing searchable: the
        # row alone changes (one change, no trigger writes into the index).
        for update in (
            lambda: library.set_enrichment(work[0], "queued", "Crossref unreachable"),
            lambda: library.set_key(work[0], "renamed2024"),
            lambda: library.recompute_work(work[0]),
        ):
            before = _fts_changes(library)
            with library.write():
                update()
            assert _fts_changes(library) - before == 1
        # A new title is indexed: found by it, no longer by the old one.
        for title in ("Wombat burrow ecology", "Quokka thermoregulation"):
            with library.write():
                library.db.execute("UPDATE works SET title = ? WHERE id = ?", [title, work[0]])
        assert [w.id for w in library.search("quokka")] == [work[0]]
        assert library.search("wombat") == []
        library.db.execute("INSERT INTO works_fts (works_fts) VALUES ('integrity-check')")
        assert library.db.execute("SELECT count(*) FROM works_fts_docsize").fetchone()[0] == (
            fts_rows
        )


def test_every_migration_function_is_registered():
    # A migration written but not registered (its decorator lost in a merge, say) would
    # leave every library without its tables or columns, silently.
    import inspect
    import re

    from harvester.store import schema

    defined = re.findall(r"^def (m\d{3}_\w+)\(", inspect.getsource(schema), re.M)
    assert [m.name for m in schema.migrations._migrations] == defined
