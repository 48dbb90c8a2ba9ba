"""Imports in batches and through the parsing worker: the same library whatever the batching.

The store decides a batch of records at a time (one query for all their blocking keys, works
written at the end of the batch) and a large input is parsed in a second process. Neither may
change a single decision: these tests import the same records with different batch sizes, in
one call or several, in process or through the worker, and compare the resulting libraries.
"""

from __future__ import annotations

import json
import pickle

import pytest

from bench.synthetic import generate
from harvester.ops import importing as pipeline
from harvester.ops import parse_worker
from harvester.ops.dedup import merge_works, new_work_for, not_duplicate, recluster, split
from harvester.ops.importing import ImportReport, import_sources, store_records
from harvester.store import Library
from records.errors import InputError, RecordError, UnknownFormat
from records.model import Record, SourceRef
from records.normalize.record import normalize_csl
from records.parsers import parse_bytes


def _records(n: int, seed: int = 3) -> tuple[list[Record], list[list[str]]]:
    library = generate(n, seed=seed, duplicates="hard")
    records = [
        Record(
            csl=normalize_csl(csl),
            source=SourceRef("csl-json", "synthetic.json", rid, position, None),
            raw=json.dumps(csl, sort_keys=True),
        )
        for position, (rid, csl) in enumerate(library.records, 1)
    ]
    return records, library.clusters


def _library_state(library: Library) -> dict[str, object]:
    """Everything dedup decided, by the records' own ids: work membership and keys, the work
    each record joined and why, and the review pairs."""
    key_of = dict(library.db.execute("SELECT id, citation_key FROM works").fetchall())
    rows = library.db.execute(
        "SELECT id, source_id, work_id, joined FROM source_records ORDER BY id"
    ).fetchall()
    source = {rid: sid for rid, sid, _, _ in rows}
    members = {sid: key_of[work] for _, sid, work, _ in rows}
    joined = {
        sid: (lambda why: why and {**why, "with": source[why["with"]]})(
            json.loads(j) if j else None
        )
        for _, sid, _, j in rows
    }
    pairs = sorted(
        (source[a], source[b], score)
        for a, b, score in library.db.execute("SELECT a, b, score FROM candidate_pairs")
    )
    works = sorted(
        (row[0], row[1]) for row in library.db.execute("SELECT citation_key, csl FROM works")
    )
    return {"members": members, "joined": joined, "pairs": pairs, "works": works}


def _import(path, records, *, batch: int, calls: int = 1, monkeypatch) -> dict[str, object]:
    monkeypatch.setattr(pipeline, "BATCH", batch)
    with Library(path) as library:
        step = -(-len(records) // calls)
        for start in range(0, len(records), step):
            with library.write():
                store_records(
                    library, records[start : start + step], run_id=None, report=ImportReport()
                )
        return _library_state(library)


def test_batch_size_and_import_calls_do_not_change_any_decision(tmp_path, monkeypatch):
    records, clusters = _records(400)
    assert any(len(c) > 1 for c in clusters)  # the set has duplicates to find
    whole = _import(tmp_path / "a.db", records, batch=2000, monkeypatch=monkeypatch)
    small = _import(tmp_path / "b.db", records, batch=7, monkeypatch=monkeypatch)
    split = _import(tmp_path / "c.db", records, batch=50, calls=3, monkeypatch=monkeypatch)
    assert whole["members"] == small["members"] == split["members"]
    assert whole["joined"] == small["joined"] == split["joined"]
    assert whole["pairs"] == small["pairs"] == split["pairs"]
    assert whole["works"] == small["works"] == split["works"]
    # ...and the decisions found the duplicates (a library of singletons would also agree).
    merged = sum(1 for why in whole["joined"].values() if why)
    assert merged >= 0.8 * sum(len(c) - 1 for c in clusters)


def test_a_record_joins_a_work_started_earlier_in_the_same_batch(tmp_path):
    records, clusters = _records(120)
    by_id = {r.source.id: r for r in records}
    cluster = next(c for c in clusters if len(c) >= 2)
    with Library(tmp_path / "lib.db") as library:
        report = ImportReport()
        with library.write():
            store_records(library, [by_id[i] for i in cluster], run_id=None, report=report)
        assert report.new_works == 1 and report.merged == len(cluster) - 1
        (work_id,) = report.new_work_ids
        members = library.records_of_work(work_id)
        assert sorted(m.source_id for m in members) == sorted(cluster)
        assert members[1].joined is not None and members[1].joined["with"] == members[0].id
        # The work is merged from all its members, not just the first.
        assert library.work(work_id).provenance["title"]["from"][0] == members[0].id


def test_identical_records_in_one_batch_are_stored_once(tmp_path):
    records, _ = _records(20)
    with Library(tmp_path / "lib.db") as library:
        report = ImportReport()
        with library.write():
            store_records(library, records + records[:5], run_id=None, report=report)
        distinct = len({r.content_hash() for r in records})
        assert report.new_records == distinct
        assert report.already_stored == len(records) + 5 - distinct


BIB = "".join(
    f"@article{{k{i},\n  title = {{A study of glacier number {i} and its meltwater}},\n"
    f"  author = {{Müller, Anna and Berg, Jon}},\n  journal = {{Journal of Ice}},\n"
    f"  year = {{2020}},\n  volume = {{{i}}},\n  pages = {{1--9}}\n}}\n\n"
    for i in range(1, 60)
)


def test_the_parsing_worker_gives_the_records_parsing_in_process_gives(tmp_path):
    data = BIB.encode()
    here = [
        row
        for rows, _ in parse_worker.prepared_batches(data, "r.bib", parallel=False)
        for row in rows
    ]
    there = [
        row
        for rows, _ in parse_worker.prepared_batches(data, "r.bib", parallel=True)
        for row in rows
    ]
    assert len(there) == 59
    assert [r.record.csl for r in there] == [r.record.csl for r in here]
    assert [r.form for r in there] == [r.form for r in here]
    assert [(r.content_hash, r.blocking_keys, r.csl_json, r.beside_json) for r in there] == [
        (r.content_hash, r.blocking_keys, r.csl_json, r.beside_json) for r in here
    ]


def test_an_input_error_in_the_worker_reaches_the_importer_as_itself():
    with pytest.raises(UnknownFormat) as caught:
        list(parse_worker.prepared_batches(b"no format here at all\n", "x.txt", parallel=True))
    assert caught.value.origin == "x.txt" and "not recognised" in str(caught.value)
    assert caught.value.tried  # the formats tried travel with the error


def test_input_errors_pickle_as_themselves():
    for error in (
        UnknownFormat("a.txt", ["bibtex", "ris"]),
        RecordError("b.ris", "no TY line", line=4, record=2),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)
        assert isinstance(copy, InputError) and copy.__dict__ == error.__dict__


def test_import_through_the_worker_equals_import_in_process(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    states = []
    for parallel in (False, True):
        with Library(tmp_path / f"{parallel}.db") as library:
            report = import_sources(library, [str(path)], parallel=parallel)
            assert report.parsed == 59 and report.failures == []
            states.append(_library_state(library))
    assert states[0] == states[1]


def test_records_parsed_in_process_match_parse_bytes():
    data = BIB.encode()
    batches = list(parse_worker.prepared_batches(data, "refs.bib", parallel=False))
    expected = parse_bytes(data, "refs.bib").records
    assert [r.record.csl for rows, _ in batches for r in rows] == [r.csl for r in expected]


def _partition(library: Library) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for sid, work in library.db.execute(
        "SELECT source_id, work_id FROM source_records WHERE kind = 'input'"
    ):
        groups.setdefault(work, set()).add(sid)
    return {frozenset(g) for g in groups.values()}


def test_dedupe_of_a_freshly_imported_library_changes_nothing(tmp_path, monkeypatch):
    records, _ = _records(300)
    with Library(tmp_path / "lib.db") as library:
        with library.write():
            store_records(library, records, run_id=None, report=ImportReport())
        before = _library_state(library)
        summary = recluster(library, batch=64)
        assert summary["moved"] == 0 and summary["new_works"] == 0
        after = _library_state(library)
        assert after["members"] == before["members"] and after["works"] == before["works"]
        assert after["pairs"] == before["pairs"]


def test_dedupe_rebuilds_the_clusters_from_any_state(tmp_path):
    records, _ = _records(300)
    with Library(tmp_path / "lib.db") as library:
        with library.write():
            store_records(library, records, run_id=None, report=ImportReport())
        expected = _partition(library)
        assert any(len(g) > 1 for g in expected)
        # Scramble: every record alone in a work of its own (as if the rules had merged nothing).
        with library.write():
            for work_id in {w for (w,) in library.db.execute("SELECT id FROM works")}:
                for member in library.records_of_work(work_id)[1:]:
                    new_work_for(library, member.id)
                library.recompute_work(work_id)
        assert all(len(g) == 1 for g in _partition(library))
        summary = recluster(library, batch=50)
        assert _partition(library) == expected
        assert summary["moved"] == sum(len(g) - 1 for g in expected)
        assert summary["works"] == len(expected)
        joined = library.db.execute(
            "SELECT joined FROM source_records WHERE joined IS NOT NULL"
        ).fetchall()
        assert joined and all("clustered by harvester dedupe" in j for (j,) in joined)


def test_dedupe_keeps_records_a_person_set_apart_and_together(tmp_path):
    records, clusters = _records(300)
    pair = next(c for c in clusters if len(c) == 2)
    clustered = {rid for c in clusters for rid in c}
    lonely = [next(r.source.id for r in records if r.source.id not in clustered)]
    with Library(tmp_path / "lib.db") as library:
        with library.write():
            store_records(library, records, run_id=None, report=ImportReport())
        key = {
            sid: library.work(w).key
            for sid, w in library.db.execute("SELECT source_id, work_id FROM source_records")
        }
        assert key[pair[0]] == key[pair[1]]  # found as duplicates on import
        not_duplicate(library, key[pair[0]], key[lonely[0]])  # a no-op decision, harmless
        (parted,) = split(library, key[pair[0]])  # a person: these two are different works
        merge_works(library, [key[lonely[0]], parted.key])  # ...and this is the same work
        before = _partition(library)
        assert frozenset({lonely[0], pair[1]}) in before
        recluster(library, batch=32)
        assert _partition(library) == before


TITLE = "Glacier retreat and meltwater chemistry"
# A and B are only "maybe" (B names no authors and no journal); C is a duplicate of both:
# of A by authors, journal and pages, of B by the DOI they share. (The title is a short one,
# four significant words: the same specific title, six words or more, in the same year with
# nothing in conflict weighs enough for the weights to call A and B one work.)
A = {"type": "article-journal", "title": TITLE, "author": [{"family": "Keller", "given": "Ina"}],
     "container-title": "Journal of Glaciology", "volume": "61", "page": "101-115",
     "issued": {"date-parts": [[2015]]}}  # fmt: skip
B = {"type": "article-journal", "title": TITLE, "DOI": "10.3189/2015jog14j101",
     "issued": {"date-parts": [[2015]]}}  # fmt: skip
C = {**A, "DOI": "10.3189/2015JoG14J101"}


def _record(csl: dict, rid: str) -> Record:
    return Record(
        csl=normalize_csl(csl),
        source=SourceRef("csl-json", "bridge.json", rid, 1, None),
        raw=json.dumps({"id": rid, **csl}),
    )


def test_a_record_that_duplicates_two_works_joins_them(tmp_path):
    a, b, c = _record(A, "a"), _record(B, "b"), _record(C, "c")
    with Library(tmp_path / "one-by-one.db") as library:
        for record in (a, b):
            with library.write():
                store_records(library, [record], run_id=None, report=ImportReport())
        assert len(_partition(library)) == 2  # only "maybe": kept apart, for review
        assert library.db.execute("SELECT count(*) FROM candidate_pairs").fetchone()[0] == 1
        report = ImportReport()
        with library.write():
            store_records(library, [c], run_id=None, report=report)
        assert report.works_joined == 1
        assert _partition(library) == {frozenset({"a", "b", "c"})}
        assert library.db.execute("SELECT count(*) FROM candidate_pairs").fetchone()[0] == 0
        work = library.work_by_key("keller2015glacier")  # the older work and its key stay
        assert work is not None
        joined = {m.source_id: m.joined for m in library.records_of_work(work.id)}
        c_id = library.db.execute("SELECT id FROM source_records WHERE source_id = 'c'")
        assert joined["b"] == {"with": c_id.fetchone()[0], "by": joined["b"]["by"]}
        assert "duplicate of both" in joined["b"]["by"]
        one_by_one = _partition(library)
    with Library(tmp_path / "one-batch.db") as library:
        with library.write():
            store_records(library, [a, b, c], run_id=None, report=ImportReport())
        assert _partition(library) == one_by_one
        recluster(library)
        assert _partition(library) == one_by_one


def test_a_bridge_never_joins_works_a_person_kept_apart(tmp_path):
    a, b, c = _record(A, "a"), _record(B, "b"), _record(C, "c")
    with Library(tmp_path / "lib.db") as library:
        with library.write():
            store_records(library, [a, b], run_id=None, report=ImportReport())
        keys = [w.key for w in library.iter_works()]
        not_duplicate(library, *keys)
        with library.write():
            store_records(library, [c], run_id=None, report=ImportReport())
        assert len(_partition(library)) == 2
        recluster(library)
        assert len(_partition(library)) == 2


def test_the_full_text_index_follows_batched_imports_splits_and_dedupe(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH", 40)
    records, _ = _records(200)
    with Library(tmp_path / "lib.db") as library:
        with library.write():
            store_records(library, records, run_id=None, report=ImportReport())
        work = library.work_by_key(
            library.db.execute(
                "SELECT citation_key FROM works w WHERE"
                " (SELECT count(*) FROM source_records s WHERE s.work_id = w.id) > 1"
            ).fetchone()[0]
        )
        split(library, work.key)
        recluster(library, batch=30)
        db = library.db
        db.execute("INSERT INTO works_fts (works_fts) VALUES ('integrity-check')")
        indexed = db.execute("SELECT count(*) FROM works_fts").fetchone()[0]
        assert indexed == db.execute("SELECT count(*) FROM works").fetchone()[0]
        for key, title in db.execute("SELECT citation_key, title FROM works LIMIT 25").fetchall():
            assert key in [w.key for w in library.search(f'"{title}"', limit=None)]


def test_a_plain_script_importing_a_large_file_is_not_run_twice(tmp_path):
    # The worker is `python -m harvester.ops.parse_worker`, not a multiprocessing child that
    # imports the parent's __main__ again: a script without the `if __name__ == "__main__":`
    # guard gets the worker as a guarded one does, and runs once.
    import subprocess
    import sys

    from tests.conftest import REPO

    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    body = (
        "from harvester.ops import parse_worker\n"
        "from harvester.ops.importing import import_sources\n"
        "from harvester.store import Library\n"
        "parse_worker.WORKER_MIN_BYTES = 0  # as if the file were large\n"
        "started = parse_worker._from_worker\n"
        "def counted(*args):\n"
        "    print('worker')\n"
        "    yield from started(*args)\n"
        "parse_worker._from_worker = counted\n"
        "def run(db):\n"
        "    with Library(db) as library:\n"
        f"        print(import_sources(library, [{str(bib)!r}]).parsed)\n"
    )
    scripts = {
        "plain.py": body + f"run({str(tmp_path / 'a.db')!r})\n",
        "guarded.py": body + f"if __name__ == '__main__':\n    run({str(tmp_path / 'b.db')!r})\n",
    }
    outputs = {}
    for name, text in scripts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, str(tmp_path / name)],
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        outputs[name] = done.stdout.split()
    assert outputs == {"plain.py": ["worker", "59"], "guarded.py": ["worker", "59"]}


def _article(title: str, page: str) -> Record:
    csl = normalize_csl(
        {
            "type": "article-journal",
            "title": title,
            "author": [{"family": "Okafor", "given": "N."}],
            "issued": {"date-parts": [[2020]]},
            "container-title": "Thorax",
            "volume": "75",
            "page": page,
        }
    )
    return Record(csl=csl, source=SourceRef("csl-json", "x.json", page, 1, None), raw=page)


def test_new_works_of_one_batch_get_keys_unique_among_themselves_and_the_stored_ones(tmp_path):
    # Three different articles whose keys start alike: "okafor2020pleural" for all three.
    articles = [
        _article("Pleural infection in adults: a cohort", "101-109"),
        _article("Pleural effusion after cardiac surgery", "210-215"),
        _article("Pleural biopsy under local anaesthesia", "330-338"),
    ]
    with Library(tmp_path / "lib.db") as library:
        with library.write():
            store_records(library, articles[:1], run_id=None, report=ImportReport())
            # A person gave the stored work another case of the same key (keys are
            # case-insensitive, as in BibTeX and biber).
            library.db.execute("UPDATE works SET citation_key = 'Okafor2020Pleural'")
        report = ImportReport()
        with library.write():
            store_records(library, articles[1:], run_id=None, report=report)
        assert report.new_works == 2
        keys = sorted(k for (k,) in library.db.execute("SELECT citation_key FROM works"))
    assert keys == ["Okafor2020Pleural", "okafor2020pleurala", "okafor2020pleuralb"]


def test_the_garbage_collector_is_paused_for_a_batch_and_restored_after(tmp_path, monkeypatch):
    import gc

    records, _ = _records(30)
    seen: list[bool] = []
    real_assign = pipeline.assign_batch

    def assign(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_assign(*args, **kwargs)

    def feed():
        for record in records:
            seen.append(gc.isenabled())  # while the caller's records are read: on
            yield record

    monkeypatch.setattr(pipeline, "assign_batch", assign)
    monkeypatch.setattr(pipeline, "BATCH", 10)
    assert gc.isenabled()
    with Library(tmp_path / "lib.db") as library:
        with library.write():
            store_records(library, feed(), run_id=None, report=ImportReport())
        assert gc.isenabled()
        assert seen.count(False) == 3 and seen.count(True) == 30

        def fail(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(pipeline, "assign_batch", fail)
        with pytest.raises(RuntimeError), library.write():
            store_records(library, _records(5, seed=9)[0], run_id=None, report=ImportReport())
    assert gc.isenabled()


def test_the_add_summary_says_when_a_new_record_joined_two_works(tmp_path):
    from tests.harvester.cli_runner import run_cli

    db = tmp_path / "lib.db"
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps([{"id": "a", **A}, {"id": "b", **B}]), "utf-8")
    second.write_text(json.dumps([{"id": "c", **C}]), "utf-8")
    before = run_cli("add", "--no-enrich", first, db=db)
    assert "joined" not in before.stdout and "(2 works in" in before.stdout
    after = run_cli("add", "--no-enrich", second, db=db)
    assert after.returncode == 0, after.stderr
    assert "1 works joined into others" in after.stdout and "(1 works in" in after.stdout
