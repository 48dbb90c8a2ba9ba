"""Spliced auto-export: after each kind of change the file is rewritten from the old file's
unchanged byte ranges plus the entries the change touched, and comes out byte for byte what
a full export of the same library writes, in every entry format."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.ops import autoexport
from harvester.ops.autoexport import refresh, register
from harvester.ops.dedup import merge_works, split
from harvester.ops.edits import edit_work
from harvester.ops.exporting import ExportOptions, export_text
from harvester.ops.importing import import_sources
from harvester.ops.selection import Selection
from harvester.ops.splice import Insertion, Removal, plan
from harvester.store import Library
from records.exporters.entries import FRAMES
from tests.conftest import SPRINGER_SEED, VUFIND_SEED, examples
from tests.harvester.test_autoexport_incremental import _library_with_exports

FORMATS = {
    "bibtex": "refs.bib",
    "biblatex": "refs-latex.bib",
    "csl-json": "refs.json",
    "ris": "refs.ris",
}


@pytest.fixture
def ways(monkeypatch):
    """How each export was brought up to date: counts of whole writes and of splices that
    wrote the file."""
    counts = {"whole": 0, "spliced": 0}
    whole, spliced = autoexport._write_whole, autoexport.splice

    def counting_whole(*args, **kw):
        counts["whole"] += 1
        return whole(*args, **kw)

    def counting_splice(*args, **kw):
        done = spliced(*args, **kw)
        if done is not None and done[0]:
            counts["spliced"] += 1
        return done

    monkeypatch.setattr(autoexport, "_write_whole", counting_whole)
    monkeypatch.setattr(autoexport, "splice", counting_splice)
    return counts


def _library(tmp_path: Path, n: int = 60, seed: int = 5) -> tuple[Library, dict[str, Path]]:
    return _library_with_exports(tmp_path, n, seed, FORMATS)


def _same_as_full(library: Library, paths: dict[str, Path], selection: Selection | None = None):
    for fmt, path in paths.items():
        full = export_text((selection or Selection()).iter_works(library), fmt, ExportOptions())
        assert path.read_bytes() == full.encode("utf-8"), fmt


def _one_record(tmp_path: Path, title: str, author: str = "Doe, Jane") -> str:
    path = tmp_path / f"{abs(hash(title))}.ris"
    path.write_text(
        f"TY  - JOUR\nTI  - {title}\nAU  - {author}\nPY  - 2021\nT2  - Journal of Tests\nER  - \n",
        "utf-8",
    )
    return str(path)


def test_each_kind_of_change_is_spliced_and_equals_a_full_export(tmp_path, ways):
    library, paths = _library(tmp_path)
    with library:
        refresh(library)
        assert ways == {"whole": len(FORMATS), "spliced": 0}  # the first write is whole
        keys = [w.key for w in library.iter_works()]

        def changed(step: str) -> None:
            ways.update(whole=0, spliced=0)
            written = refresh(library)
            assert sorted(written) == sorted(str(p) for p in paths.values()), step
            assert ways == {"whole": 0, "spliced": len(FORMATS)}, step
            _same_as_full(library, paths)

        # add: one new work (its key sorts somewhere in the middle), then one sorting first
        import_sources(library, [_one_record(tmp_path, "Middle of the road")], parallel=False)
        changed("add")
        import_sources(
            library, [_one_record(tmp_path, "Aardvarks at dawn", "Aaron, Abe")], parallel=False
        )
        changed("add first")
        # update: a work's title changes (its entry changes length)
        edit_work(library, keys[10], ["title=A much longer title than the one it had before"])
        changed("update")
        # key change that moves the work from the end of the file to its start, and back
        with library.write():
            library.set_key(library.work_by_key(keys[-1]).id, "aaaa2000first")
        changed("rekey to the start")
        with library.write():
            library.set_key(library.work_by_key("aaaa2000first").id, "zzzz2099last")
        changed("rekey to the end")
        # a key changed in case alone: the same place, another entry
        upper = keys[5][0].upper() + keys[5][1:]
        with library.write():
            library.set_key(library.work_by_key(keys[5]).id, upper)
        changed("rekey in case")
        # merge: the second and the last work go, the first changes
        merged = merge_works(library, [keys[1], keys[2], "zzzz2099last"])
        changed("merge")
        # split: the merged work's members become works again
        split(library, merged.key)
        changed("split")
        # delete-only: a merge of the first work into another (entry 0 goes)
        merge_works(library, [keys[20], keys[0]])
        changed("merge away the first entry")


def test_the_last_entry_and_all_but_one_going_leave_the_frame_right(tmp_path, ways):
    """Separators and the CSL-JSON array's brackets at the edges: the last entry removed,
    then every entry merged into one."""
    library, paths = _library(tmp_path, n=12, seed=9)
    with library:
        refresh(library)
        keys = [w.key for w in library.iter_works()]
        merge_works(library, [keys[0], keys[-1]])
        refresh(library)
        _same_as_full(library, paths)
        merge_works(library, [keys[0], *keys[1:-1]])
        ways.update(whole=0, spliced=0)
        refresh(library)
        assert ways["whole"] == 0
        _same_as_full(library, paths)
        assert paths["bibtex"].read_text("utf-8").count("\n@") == 0  # one entry left
        import_sources(library, [str(VUFIND_SEED), str(SPRINGER_SEED)], parallel=False)
        refresh(library)
        _same_as_full(library, paths)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_sequence_of_changes_stays_equal_to_a_full_export(tmp_path, seed, ways):
    rng = random.Random(seed)
    library, paths = _library(tmp_path, n=40, seed=20 + seed)
    with library:
        refresh(library)
        for step in range(12):
            keys = [w.key for w in library.iter_works()]
            kind = rng.choice(["add", "edit", "rekey", "merge", "split", "several"])
            picks = rng.sample(keys, 3)
            if kind in ("add", "several"):
                title = f"Random record {seed} {step} {rng.random()}"
                import_sources(library, [_one_record(tmp_path, title, "Zed, Zoe")], parallel=False)
            if kind in ("edit", "several"):
                edit_work(
                    library, picks[0], [f"title=Edited {rng.randrange(10**6)} " * rng.randint(1, 4)]
                )
            if kind in ("rekey", "several"):
                new_key = rng.choice(["A", "m", "Z", "b"]) + f"{rng.randrange(10**6)}key"
                with library.write():
                    library.set_key(library.work_by_key(picks[1]).id, new_key)
            if kind == "merge":
                merge_works(library, picks[:2])
            if kind == "split":
                work = next(
                    (
                        w
                        for w in library.iter_works()
                        if sum(r.kind == "input" for r in library.records_of_work(w.id)) > 1
                    ),
                    None,
                )
                if work is not None:
                    split(library, work.key)
            refresh(library)
            _same_as_full(library, paths)
        assert ways["whole"] == len(FORMATS)  # only the first write


def test_a_tag_selection_splices_works_coming_and_going(tmp_path, ways):
    library, _ = _library(tmp_path, n=30)
    tagged = tmp_path / "tagged.json"
    selection = Selection(tag="thesis")
    with library:
        ids = [w.id for w in library.iter_works()]
        with library.write():
            for work_id in ids[:5]:
                library.tag(work_id, ["thesis"])
        register(library, tagged, "csl-json", selection)
        refresh(library)
        ways.update(whole=0, spliced=0)
        with library.write():
            library.tag(ids[2], ["thesis"], remove=True)  # leaves the selection unchanged
            library.tag(ids[20], ["thesis"])  # joins it unchanged
        refresh(library)
        assert ways == {"whole": 0, "spliced": 1}  # the whole-library files: nothing changed
        _same_as_full(library, {"csl-json": tagged}, selection)


def test_a_file_edited_by_someone_else_is_written_whole_and_said(tmp_path, ways):
    library, paths = _library(tmp_path, n=15)
    warnings: list[str] = []
    with library:
        refresh(library)
        bib = paths["bibtex"]
        bib.write_text(bib.read_text("utf-8").replace("@", "@", 1) + "% my note\n", "utf-8")
        import_sources(library, [_one_record(tmp_path, "After the edit")], parallel=False)
        ways.update(whole=0, spliced=0)
        refresh(library, warn=warnings.append)
        assert ways == {"whole": 1, "spliced": len(FORMATS) - 1}
        assert len(warnings) == 1 and str(bib) in warnings[0] and "changed" in warnings[0]
        _same_as_full(library, paths)
        # a removed file is written again, whole
        paths["ris"].unlink()
        import_sources(library, [_one_record(tmp_path, "After the removal")], parallel=False)
        ways.update(whole=0, spliced=0)
        refresh(library, warn=warnings.append)
        assert ways == {"whole": 1, "spliced": len(FORMATS) - 1}
        _same_as_full(library, paths)


def test_a_layout_out_of_step_with_the_file_is_caught(tmp_path, ways):
    """A stored length that no longer fits the file (the same size and ends, a layout from
    another write) is found by the frame check: the file is written whole, never garbled."""
    library, paths = _library(tmp_path, n=20)
    with library:
        refresh(library)
        keys = [w.key for w in library.iter_works()]
    conn = sqlite3.connect(tmp_path / "lib.db", isolation_level=None)
    # two neighbouring entries' lengths traded: the total (so the file size) still adds up
    rows = conn.execute(
        "SELECT s.export_id, s.work_id, s.length FROM export_spans s"
        " JOIN auto_exports a ON a.id = s.export_id AND a.format = 'bibtex'"
        " ORDER BY s.citation_key LIMIT 2 OFFSET 7"
    ).fetchall()
    (export_id, first, a), (_, second, b) = rows
    assert a != b
    conn.execute(
        "UPDATE export_spans SET length = ? WHERE export_id = ? AND work_id = ?",
        [b + 1, export_id, first],
    )
    conn.execute(
        "UPDATE export_spans SET length = ? WHERE export_id = ? AND work_id = ?",
        [a - 1, export_id, second],
    )
    conn.close()
    warnings: list[str] = []
    with Library(tmp_path / "lib.db") as library:
        edit_work(library, keys[7], ["title=Changed"])
        ways.update(whole=0, spliced=0)
        refresh(library, warn=warnings.append)
        assert ways == {"whole": 1, "spliced": len(FORMATS) - 1}
        assert any("not laid out as recorded" in w for w in warnings)
        _same_as_full(library, paths)


def test_a_change_the_format_does_not_show_leaves_the_file_untouched(tmp_path, ways):
    """BibTeX without abstracts does not show an abstract: a new abstract changes the
    CSL-JSON file only; the .bib keeps its bytes and its mtime."""
    library, paths = _library(tmp_path, n=10)
    with library:
        refresh(library)
        key = next(library.iter_works()).key
        stamp = paths["bibtex"].stat().st_mtime_ns
        edit_work(library, key, ["abstract=An abstract nobody had written before."])
        written = refresh(library)
        assert str(paths["csl-json"]) in written and str(paths["bibtex"]) not in written
        assert paths["bibtex"].stat().st_mtime_ns == stamp
        _same_as_full(library, paths)
        assert refresh(library) == []  # and the layout knows the new CSL: nothing to do


def test_export_auto_again_with_other_options_writes_whole(tmp_path, ways):
    library, paths = _library(tmp_path, n=10)
    with library:
        refresh(library)
        register(library, paths["bibtex"], "bibtex", Selection(), ExportOptions(abstract=True))
        ways.update(whole=0, spliced=0)
        refresh(library)
        assert ways == {"whole": 1, "spliced": 0}
        full = export_text(library.iter_works(), "bibtex", ExportOptions(abstract=True))
        assert paths["bibtex"].read_text("utf-8") == full


# The plan alone: the file as old ranges and new texts, against a list rebuilt in memory.

entry_text = st.text(alphabet="ab,\n{}é", min_size=1, max_size=6).map(lambda t: "@" + t + "\n")


@settings(max_examples=examples(300), deadline=None)
@given(
    fmt=st.sampled_from(sorted(FRAMES)),
    old=st.lists(entry_text, min_size=1, max_size=8),
    data=st.data(),
)
def test_plan_rebuilds_any_change_of_any_list(fmt, old, data):
    frame = FRAMES[fmt]
    text = frame.prefix + frame.sep.join(old) + frame.suffix
    blob = text.encode()
    n = len(old)
    taken = data.draw(st.sets(st.integers(0, n - 1)))
    put = data.draw(st.lists(st.tuples(st.integers(0, n), entry_text), max_size=4))

    def offset(rank: int) -> int:
        before = "".join(old[:rank])
        return len(frame.prefix.encode()) + len(before.encode()) + rank * len(frame.sep)

    removals = [Removal(r, offset(r), len(old[r].encode())) for r in sorted(taken)]
    insertions = [Insertion(r, offset(r), f"{i:03}", t.encode()) for i, (r, t) in enumerate(put)]
    expected: list[str] = []
    for rank in range(n + 1):
        expected += [t for i, (r, t) in enumerate(put) if r == rank]
        if rank < n and rank not in taken:
            expected.append(old[rank])
    items = plan(frame, n, len(blob), removals, insertions)
    rebuilt = [blob[i[0] : i[1]] if isinstance(i, tuple) else i for i in items]
    got = (
        frame.prefix.encode() + frame.sep.encode().join(rebuilt) + frame.suffix.encode()
        if rebuilt
        else frame.empty.encode()
    )
    want = (frame.prefix + frame.sep.join(expected) + frame.suffix) if expected else frame.empty
    assert got == want.encode()


def test_what_changed_is_read_from_the_log_not_found_by_comparing_every_work(tmp_path, monkeypatch):
    """A whole-library file learns what changed since it was written from the store's log of
    changes to the works: the works it compares are those the change touched, and the log
    is emptied once every file holds its changes."""
    from harvester.store.exports import AutoExports

    library, paths = _library(tmp_path, n=20)
    compared: list[int] = []
    real = AutoExports.works_keyed

    def counting(self, work_ids):
        ids = list(work_ids)
        compared.extend(ids)
        return real(self, ids)

    monkeypatch.setattr(AutoExports, "works_keyed", counting)

    def logged() -> int:
        return library.db.conn.execute("SELECT count(*) FROM work_changes").fetchone()[0]

    with library:
        refresh(library)
        assert logged() == 0
        import_sources(library, [_one_record(tmp_path, "First change")], parallel=False)
        assert logged() == 1
        compared.clear()
        refresh(library)
        assert len(set(compared)) == 1
        assert logged() == 0
        _same_as_full(library, paths)
        keys = [w.key for w in library.iter_works()]
        merge_works(library, keys[3:5])  # one work changes, one goes
        compared.clear()
        refresh(library)
        assert len(set(compared)) == 2
        _same_as_full(library, paths)


def test_changes_made_while_a_file_is_written_whole_come_next_time(tmp_path):
    """The log runs while a file is written in full (its layout row is kept): a work changed
    between the reading of the works and the saving of the layout is not lost."""
    library, paths = _library(tmp_path, n=12)
    with library:
        refresh(library)
        key = next(library.iter_works()).key
        real = autoexport._entries

        def changing_midway(*args, **kw):
            for i, head in enumerate(real(*args, **kw)):
                if i == 3 and not changed:
                    changed.append(True)
                    edit_work(library, key, ["title=Changed while the file was written"])
                yield head

        changed: list[bool] = []
        register(library, paths["ris"], "ris", Selection(), ExportOptions(abstract=True))
        autoexport._entries = changing_midway
        try:
            refresh(library)  # the RIS file, set up anew, is written whole
        finally:
            autoexport._entries = real
        assert changed
        refresh(library)
        _same_as_full(library, paths)


def test_unused_variants_leave_the_cache(tmp_path):
    library, paths = _library(tmp_path, n=10)
    with library:
        refresh(library)

        def variants() -> set[str]:
            rows = library.db.conn.execute("SELECT DISTINCT variant FROM export_entries")
            return {row[0] for row in rows}

        assert len(variants()) == len(FORMATS)
        autoexport.unregister(library, paths["ris"])
        refresh(library)
        assert len(variants()) == len(FORMATS) - 1
        assert not any('"ris"' in variant for variant in variants())


@pytest.mark.parametrize("kernel_copy", ["missing", "failing"])
def test_without_the_kernel_copy_the_splice_reads_and_writes(
    tmp_path, ways, monkeypatch, kernel_copy
):
    """Where os.copy_file_range does not exist (macOS) or fails (another file system), the
    unchanged ranges are copied by reading them: the same file."""
    import os

    library, paths = _library(tmp_path, n=15)
    with library:
        refresh(library)
        if kernel_copy == "missing":
            monkeypatch.delattr(os, "copy_file_range", raising=False)
        else:

            def failing(*args, **kw):
                raise OSError(18, "Invalid cross-device link")

            monkeypatch.setattr(os, "copy_file_range", failing)
        import_sources(library, [_one_record(tmp_path, "Copied by reading")], parallel=False)
        ways.update(whole=0, spliced=0)
        refresh(library)
        assert ways == {"whole": 0, "spliced": len(FORMATS)}
        _same_as_full(library, paths)
