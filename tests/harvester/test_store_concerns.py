"""The store's interface by concern (library.sync, .leases, .enrichment), on a real SQLite file:
what a second engine would have to do the same way."""

from __future__ import annotations

from pathlib import Path

from harvester.ops.importing import ImportReport, store_records
from harvester.store import Library
from harvester.store.leases import LeaseRow
from records.parsers import parse_bytes
from tests.conftest import VUFIND_SEED


def _library_with_a_work(path: Path) -> tuple[Library, int]:
    library = Library(path)
    records = parse_bytes(VUFIND_SEED.read_bytes(), str(VUFIND_SEED)).records[:1]
    report = ImportReport()
    with library.write():
        store_records(library, records, run_id=None, report=report)
    (work_id,) = report.new_work_ids
    return library, work_id


def test_leases_are_taken_extended_only_by_their_owner_and_given_back(db_path: Path) -> None:
    with Library(db_path) as library:
        leases = library.leases
        assert leases.holder("inbox") is None
        mine = LeaseRow("inbox", "me", 41, "host-a", "2026-12-07T05:00:00+00:00", 100.0)
        with library.write():
            leases.put(mine)
        assert leases.holder("inbox") == mine
        with library.write():
            assert leases.extend("inbox", "me", 200.0)
            assert not leases.extend("inbox", "someone-else", 300.0)
        assert leases.holder("inbox") == LeaseRow(
            "inbox", "me", 41, "host-a", "2026-12-07T05:00:00+00:00", 200.0
        )
        theirs = LeaseRow("inbox", "them", 42, "host-b", "2026-12-07T06:00:00+00:00", 900.0)
        with library.write():
            leases.put(theirs)  # took it over (ours had expired)
            assert not leases.extend("inbox", "me", 999.0)
            leases.delete("inbox", "me")  # ours is gone: theirs stays
        assert leases.holder("inbox") == theirs
        with library.write():
            leases.delete("inbox", "them")
        assert leases.holder("inbox") is None


def test_sync_sources_files_and_oai_records_round_trip(db_path: Path) -> None:
    with Library(db_path) as library:
        sync = library.sync
        with library.write():
            sync.add_source({"name": "inbox", "kind": "folder", "target": "/x", "created_at": "t"})
            sync.add_source({"name": "repo", "kind": "oai-pmh", "target": "https://r/oai",
                             "created_at": "t"})  # fmt: skip
        assert [s["name"] for s in sync.sources()] == ["inbox", "repo"]
        assert sync.source("nope") is None
        with library.write():
            sync.remember_file(
                "inbox", "/x/a.ris", size=10, mtime_ns=5, sha256="h", records=2, error=None
            )
            sync.touch_file("inbox", "/x/a.ris", 11, 6)
            sync.remember_oai_record("repo", "oai:r:1", "2026-01-01", False, None)
            sync.record_outcome("inbox", "2026-12-07T05:00:00+00:00", "ok", None)
        (row,) = sync.known_files("inbox").values()
        assert (row["size"], row["mtime_ns"], row["sha256"], row["records"]) == (11, 6, "h", 2)
        oai = sync.oai_record("repo", "oai:r:1")
        assert oai is not None and (oai.datestamp, oai.deleted, oai.record_id) == (
            "2026-01-01",
            False,
            None,
        )
        assert sync.oai_record("repo", "oai:r:2") is None
        source = sync.source("inbox")
        assert source is not None and source["last_status"] == "ok"
        with library.write():
            assert sync.remove_source("repo")
            assert not sync.remove_source("repo")
        assert sync.oai_record("repo", "oai:r:1") is None  # its state went with it
        assert sync.known_files("inbox")  # another source's state stays


def test_enrichment_cache_candidates_and_reviews(db_path: Path) -> None:
    library, work_id = _library_with_a_work(db_path)
    with library:
        enrichment = library.enrichment
        assert enrichment.cached("doi:10.1/x") is None
        enrichment.cache("doi:10.1/x", "found", {"DOI": "10.1/x"}, "2026-12-07T05:00:00+00:00")
        enrichment.cache("doi:10.1/y", "not_found", None, "2026-12-07T05:00:01+00:00")
        found = enrichment.cached("doi:10.1/x")
        assert found is not None and (found.status, found.body) == ("found", {"DOI": "10.1/x"})
        missing = enrichment.cached("doi:10.1/y")
        assert missing is not None and missing.body is None
        ((candidate, csl, status),) = enrichment.candidates()
        assert candidate == work_id and '"title"' in csl and status == "none"
        assert enrichment.candidates([work_id + 1000]) == []
        with library.write():
            decision = {"candidate": "10.1/z", "score": 0.8}
            enrichment.open_review(work_id, "10.1/z", decision, "2026-12-07T05:00:00+00:00")
            enrichment.open_review(work_id, "10.1/z", decision, "2026-12-07T05:00:09+00:00")
        (review,) = enrichment.open_reviews()  # asked twice, one review
        assert (review.work_id, review.doi, review.decision, review.status) == (
            work_id,
            "10.1/z",
            decision,
            "open",
        )
        assert review.key == library.work(work_id).key
        with library.write():
            enrichment.close_review(review.id, "rejected", "2026-12-07T05:01:00+00:00")
        assert enrichment.open_reviews() == []
        closed = enrichment.review(review.id)
        assert closed is not None and closed.status == "rejected"
        assert enrichment.review(review.id + 1) is None
