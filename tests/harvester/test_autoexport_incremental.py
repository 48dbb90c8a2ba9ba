"""Incremental auto-export: a change renders only the works it touched, and the file is
always byte for byte what a full export of the same selection writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synthetic import iter_library, write_ris
from harvester.ops import autoexport
from harvester.ops.autoexport import refresh, register
from harvester.ops.exporting import ExportOptions, export_text
from harvester.ops.importing import import_sources
from harvester.ops.selection import Selection
from harvester.store import Library
from tests.conftest import SPRINGER_SEED, VUFIND_SEED
from tests.harvester.cli_runner import run_cli

FORMATS = {"bibtex": "refs.bib", "csl-json": "refs.json", "ris": "refs.ris"}


@pytest.fixture
def renders(monkeypatch):
    """Counts the entries rendered, per format."""
    counts: dict[str, int] = {}
    real = autoexport.render_entry

    def counting(fmt, key, csl, **kw):
        counts[fmt] = counts.get(fmt, 0) + 1
        return real(fmt, key, csl, **kw)

    monkeypatch.setattr(autoexport, "render_entry", counting)
    return counts


def _library_with_exports(
    tmp_path: Path, n: int = 120, seed: int = 3, formats: dict[str, str] = FORMATS
) -> tuple[Library, dict[str, Path]]:
    """A library of ``n`` synthetic records with an auto-export per format of ``formats``."""
    source = tmp_path / "many.ris"
    source.write_text("".join(write_ris(r.item for r in iter_library(n, seed=seed))), "utf-8")
    library = Library(tmp_path / "lib.db")
    import_sources(library, [str(source)], parallel=False)
    paths = {fmt: tmp_path / name for fmt, name in formats.items()}
    for fmt, path in paths.items():
        register(library, path, fmt, Selection())
    return library, paths


def _full(library: Library, fmt: str, selection: Selection | None = None) -> str:
    return export_text((selection or Selection()).iter_works(library), fmt, ExportOptions())


def test_one_new_record_renders_one_entry_per_export(tmp_path, renders):
    library, paths = _library_with_exports(tmp_path)
    with library:
        refresh(library)
        works = library.counts()["works"]
        assert renders == {fmt: works for fmt in FORMATS}  # the first time: everything
        renders.clear()
        assert refresh(library) == []  # nothing changed: nothing rendered, nothing written
        assert renders == {}
        import_sources(library, [str(VUFIND_SEED)], parallel=False)
        written = refresh(library)
        assert sorted(written) == sorted(str(p) for p in paths.values())
        assert renders == {fmt: 1 for fmt in FORMATS}
        for fmt, path in paths.items():
            assert path.read_bytes().decode() == _full(library, fmt), fmt


def test_a_changed_key_or_record_renders_that_work_again(tmp_path, renders):
    library, paths = _library_with_exports(tmp_path, n=30)
    with library:
        refresh(library)
        work = next(library.iter_works())
        renders.clear()
        with library.write():
            library.set_key(work.id, "renamed2024")
        refresh(library)
        assert renders == {fmt: 1 for fmt in FORMATS}
        assert "renamed2024" in paths["bibtex"].read_text("utf-8")
        for fmt, path in paths.items():
            assert path.read_bytes().decode() == _full(library, fmt), fmt


def test_other_exporter_code_never_serves_cached_entries(tmp_path, renders, monkeypatch):
    library, _ = _library_with_exports(tmp_path, n=20)
    with library:
        refresh(library)
        works = library.counts()["works"]
        renders.clear()
        monkeypatch.setattr(autoexport, "_exporter_code", lambda: "another version")
        refresh(library)
        assert renders == {fmt: works for fmt in FORMATS}


def test_a_tag_selection_is_filtered_from_the_cache(tmp_path, renders):
    library, _ = _library_with_exports(tmp_path, n=40)
    tagged = tmp_path / "tagged.bib"
    with library:
        keys = [w.key for w in library.iter_works()][:5]
        with library.write():
            for key in keys[:3]:
                library.tag(library.work_by_key(key).id, ["thesis"])
        register(library, tagged, "bibtex", Selection(tag="thesis"))
        refresh(library)
        assert tagged.read_bytes().decode() == _full(library, "bibtex", Selection(tag="thesis"))
        assert tagged.read_text("utf-8").count("@") == 3


def test_split_and_removed_works_leave_the_file_right(tmp_path):
    db, out = tmp_path / "lib.db", tmp_path / "refs.bib"
    assert run_cli("add", "--no-enrich", VUFIND_SEED, SPRINGER_SEED, db=db).returncode == 0
    assert run_cli("export", "-f", "bibtex", "-o", out, "--auto", db=db).returncode == 0
    keys = ["demestier2017liver", "radosa2024radiologisch"]
    merged = run_cli("merge", *keys, db=db)
    assert merged.returncode == 0, merged.stderr
    full = run_cli("export", "-f", "bibtex", db=db).stdout
    assert out.read_text("utf-8") == full and full.count("@") == 1
    split = run_cli("split", keys[0], db=db)
    assert split.returncode == 0, split.stderr
    full = run_cli("export", "-f", "bibtex", db=db).stdout
    assert out.read_text("utf-8") == full and full.count("@") == 2


def test_export_auto_leaves_the_cache_warm(tmp_path, renders):
    """`harvester export --auto` writes through the entry cache: the next add renders the new
    work alone, not the whole library (as it did when the CLI wrote the file in full)."""
    source = tmp_path / "many.ris"
    source.write_text("".join(write_ris(r.item for r in iter_library(80, seed=4))), "utf-8")
    db = tmp_path / "lib.db"
    with Library(db) as library:
        import_sources(library, [str(source)], parallel=False)
    for fmt, name in FORMATS.items():
        result = run_cli("export", "-f", fmt, "-o", tmp_path / name, "--auto", db=db)
        assert result.returncode == 0, result.stderr
    renders.clear()  # the CLI ran in this process: its own renders were counted too
    one = tmp_path / "one.ris"
    one.write_text(
        "TY  - JOUR\nTI  - A record added after the exports were set up\nAU  - Doe, Jane\n"
        "PY  - 2024\nER  - \n",
        "utf-8",
    )
    with Library(db) as library:
        import_sources(library, [str(one)], parallel=False)
        refresh(library)
        assert renders == {fmt: 1 for fmt in FORMATS}
        for fmt, name in FORMATS.items():
            assert (tmp_path / name).read_bytes().decode() == _full(library, fmt), fmt


def test_a_cold_cache_is_saved_in_batches_while_the_file_is_written(tmp_path, renders, monkeypatch):
    """Memory stays bounded on a cold cache: rendered entries are saved every FRESH_BATCH
    works while the works are read; the file and the cache come out the same."""
    monkeypatch.setattr(autoexport, "FRESH_BATCH", 7)
    library, paths = _library_with_exports(tmp_path, n=60)
    with library:
        refresh(library)
        works = library.counts()["works"]
        assert renders == {fmt: works for fmt in FORMATS}
        for fmt, path in paths.items():
            assert path.read_bytes().decode() == _full(library, fmt), fmt
        renders.clear()
        assert refresh(library) == []  # every entry was cached, the batches' included
        assert renders == {}


def test_the_cache_survives_the_migration_to_its_faster_layout(tmp_path, renders):
    """m012 rebuilds export_entries as a rowid table with the cached entries kept: a library
    cached under the old layout exports after the upgrade without rendering anything."""
    import sqlite3

    from harvester.store import schema

    library, _ = _library_with_exports(tmp_path, n=40)
    with library:
        refresh(library)
    db = tmp_path / "lib.db"
    conn = sqlite3.connect(db, isolation_level=None)
    kept = conn.execute("SELECT variant, work_id, fingerprint, text FROM export_entries").fetchall()
    # back to the layout of m011 (WITHOUT ROWID, no index), as a library of that version has
    conn.executescript(
        """
        DROP INDEX works_key_hash;
        DROP TABLE export_entries;
        CREATE TABLE export_entries (
            variant TEXT NOT NULL, work_id INTEGER NOT NULL, fingerprint TEXT NOT NULL,
            text TEXT NOT NULL, PRIMARY KEY (variant, work_id)
        ) WITHOUT ROWID;
        """
    )
    conn.executemany("INSERT INTO export_entries VALUES (?, ?, ?, ?)", kept)
    conn.execute(
        "DELETE FROM _sqlite_migrations WHERE name = ?",
        [schema.m012_exp_export_entries_fast_reads.__name__],
    )
    conn.close()
    renders.clear()
    with Library(db) as again:
        moved = again.db.conn.execute(
            "SELECT variant, work_id, fingerprint, text FROM export_entries"
        ).fetchall()
        assert sorted(moved) == sorted(kept)
        assert refresh(again) == []
        assert renders == {}
