"""Stored comparison forms (:mod:`harvester.store.forms`): each stored record's form equals the one
``prepare`` derives from its CSL; a library from before the table gets them; a form of another
version or a damaged one is never used; and dedup decides the same with them as without."""

from __future__ import annotations

import json

from harvester.ops import dedup
from harvester.ops import importing as pipeline
from harvester.ops.importing import ImportReport, store_records
from harvester.store import Library
from harvester.store import forms as stored_forms
from records.dedup import prepare
from tests.harvester.test_batches import _library_state, _records


def _store(library: Library, records) -> None:
    with library.write():
        store_records(library, records, run_id=None, report=ImportReport())


def _derived(library: Library) -> dict[int, object]:
    return {
        record_id: prepare(json.loads(csl))
        for record_id, csl in library.db.execute("SELECT id, csl FROM source_records")
    }


def test_each_stored_form_is_the_one_prepare_derives(tmp_path):
    records, _ = _records(600, seed=5)
    with Library(tmp_path / "lib.db") as library:
        _store(library, records)
        derived = _derived(library)
        assert len(derived) > 500  # the exact repeats among the 600 are stored once
        assert library.forms.of(derived) == derived
        assert library.forms.count() == len(derived)


def test_a_library_from_before_the_table_gets_its_forms_and_the_same_works(tmp_path):
    records, _ = _records(800, seed=6)
    path = tmp_path / "old.db"
    with Library(path) as library:
        _store(library, records)
        expected = _library_state(library)
    # As a library written before m013: no table, the migration not applied.
    with Library(path) as library:
        library.db.execute("DROP TABLE record_forms")
        library.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm013_mem_record_forms'")
    with Library(path) as library:  # migrated on opening: the table is there, empty
        assert library.forms.count() == 0
        dedup.recluster(library)
        assert library.forms.of(_derived(library)) == _derived(library)
        assert _library_state(library) == expected


def test_forms_of_another_version_or_damaged_are_derived_again(tmp_path):
    records, _ = _records(300, seed=7)
    with Library(tmp_path / "lib.db") as library:
        _store(library, records)
        ids = sorted(_derived(library))
        stale, damaged = ids[:100], ids[100:150]
        with library.write():
            library.db.conn.executemany(
                "UPDATE record_forms SET version = 'older code' WHERE record_id = ?",
                [(i,) for i in stale],
            )
            library.db.conn.executemany(
                "UPDATE record_forms SET form = ? WHERE record_id = ?",
                [(b"\x00not a form", i) for i in damaged],
            )
        assert set(library.forms.of(ids)) == set(ids[150:])
        library.prepared_cache.clear()
        with library.write():
            found = dedup._prepared_members(library, ids)
        assert found == _derived(library)
        assert library.forms.of(ids) == found  # stored again, under the current version


def test_the_version_follows_the_dedup_code(tmp_path, monkeypatch):
    """A form is only as right as the code that derived it: another source of ``prepare``'s
    package is another version."""
    stored_forms.form_version.cache_clear()
    before = stored_forms.form_version()
    package = tmp_path / "records"
    (package / "dedup").mkdir(parents=True)
    import records.dedup

    monkeypatch.setattr(records.dedup, "__file__", str(package / "dedup" / "__init__.py"))
    (package / "dedup" / "__init__.py").write_text("# other code\n")
    stored_forms.form_version.cache_clear()
    try:
        assert stored_forms.form_version() != before
    finally:
        monkeypatch.undo()
        stored_forms.form_version.cache_clear()
    assert stored_forms.form_version() == before


def test_works_are_the_same_whether_forms_come_from_the_table_or_the_csl(tmp_path, monkeypatch):
    """A small cache makes most candidates' forms come from the table (the 1M case)."""
    records, _ = _records(1500, seed=8)
    monkeypatch.setattr(pipeline, "BATCH", 250)
    states = []
    for source in ("table", "csl"):
        if source == "csl":  # every lookup misses the table: forms derived from the CSL
            monkeypatch.setattr(stored_forms.Forms, "of", lambda self, ids: {})
        with Library(tmp_path / f"{source}.db") as library:
            library.prepared_cache.size = 50
            _store(library, records)
            states.append(_library_state(library))
    assert states[0] == states[1]


def test_forms_read_back_share_their_short_strings(tmp_path):
    """Two stored forms with the same journal read back with one string object for its words
    (marshal keeps the interning :func:`harvester.store.forms.encode` asked for)."""
    records, _ = _records(400, seed=9)
    with Library(tmp_path / "lib.db") as library:
        _store(library, records)
        forms = list(library.forms.of(_derived(library)).values())
    words: dict[str, list[str]] = {}
    for form in forms:
        for variant in form.containers:
            for word in variant:
                words.setdefault(word, []).append(word)
    shared = [same for same in words.values() if len(same) > 1]
    assert shared  # journals recur in the synthetic library
    assert all(all(w is same[0] for w in same) for same in shared)
