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
    package is another version (of the forms and of the library's dedup rules)."""

    def clear() -> None:
        stored_forms.form_version.cache_clear()
        stored_forms.rules_version.cache_clear()

    clear()
    before = stored_forms.form_version(), stored_forms.rules_version()
    package = tmp_path / "records"
    (package / "dedup").mkdir(parents=True)
    import records.dedup

    monkeypatch.setattr(records.dedup, "__file__", str(package / "dedup" / "__init__.py"))
    (package / "dedup" / "__init__.py").write_text("# other code\n")
    clear()
    try:
        other = stored_forms.form_version(), stored_forms.rules_version()
        assert other[0] != before[0] and other[1] != before[1]
    finally:
        monkeypatch.undo()
        clear()
    assert (stored_forms.form_version(), stored_forms.rules_version()) == before


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


def test_a_form_reads_back_as_the_dataclass_would_build_it():
    """decode sets a bare form's slots instead of calling Prepared's __init__: the same form,
    and values of another count are what the dataclass makes of them (its defaults) or none."""
    import marshal

    from records.dedup.keys import Prepared

    records, _ = _records(50, seed=11)
    forms = [prepare(record.csl) for record in records]
    for form in forms:
        back = stored_forms.decode(stored_forms.encode(form))
        assert back == form and type(back) is Prepared
    values = tuple(getattr(forms[0], name) for name in Prepared.__slots__)
    assert stored_forms.decode(marshal.dumps(values[:-2])) == Prepared(*values[:-2])
    assert stored_forms.decode(marshal.dumps(values[:3])) is None  # too few for the dataclass
    assert stored_forms.decode(marshal.dumps([1, 2])) is None  # not a tuple
    assert stored_forms.decode(b"\x00garbage") is None


def test_the_forms_cache_keeps_what_it_holds_once_full():
    """Bounded, and once full it keeps its entries (see BoundedCache): a new one is returned
    but not kept, a held one can be replaced."""
    from harvester.store.library import BoundedCache

    cache = BoundedCache(2)
    assert [cache.put(k, f"form {k}") for k in (1, 2, 3)] == ["form 1", "form 2", "form 3"]
    assert len(cache) == 2 and cache.get(3) is None
    for _ in range(3):  # asked again and again: still there
        assert cache.get(1) == "form 1" and cache.get(2) == "form 2"
    cache.put(2, "form 2 again")
    assert cache.get(2) == "form 2 again" and len(cache) == 2
    cache.clear()
    assert len(cache) == 0 and cache.put(3, "form 3") == "form 3" and cache.get(3) == "form 3"


def test_works_are_the_same_whether_screens_are_kept_or_taken_from_the_forms(
    tmp_path, monkeypatch
):
    """An import screens candidates (``records.dedup.keys.Screen``) from the library's cache of
    screens, else from their full forms: kept for every record, for a few, or for none, the
    library is the same."""
    records, _ = _records(1500, seed=8)
    monkeypatch.setattr(pipeline, "BATCH", 250)
    states = []
    for size in (10**6, 100, 0):
        with Library(tmp_path / f"{size}.db") as library:
            library.screen_cache.size = size
            library.prepared_cache.size = 50
            _store(library, records)
            assert len(library.screen_cache) == min(size, library.counts()["records"])
            states.append(_library_state(library))
    assert states[0] == states[1] == states[2]


def test_a_rolled_back_write_forgets_the_screens(tmp_path):
    """Rolled-back records' ids are handed out again: their screens must not outlive them."""
    records, _ = _records(400, seed=12)
    with Library(tmp_path / "fresh.db") as library:
        _store(library, records[200:])
        expected = _library_state(library)
    with Library(tmp_path / "lib.db") as library:
        try:
            with library.write():
                store_records(library, records[:200], run_id=None, report=ImportReport())
                assert len(library.screen_cache) > 0
                raise KeyboardInterrupt
        except KeyboardInterrupt:
            pass
        assert len(library.screen_cache) == 0
        _store(library, records[200:])
        assert _library_state(library) == expected
