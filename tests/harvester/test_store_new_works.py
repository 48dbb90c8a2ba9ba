"""New works written by an import hold what the merge of their stored members gives, byte for
byte: the shortcuts of a one-record work (its record's CSL JSON reused, its provenance written
out) store the same text as encoding the merge."""

from __future__ import annotations

import json
from pathlib import Path

from harvester.ops.importing import ImportReport, store_records
from harvester.store import Library
from harvester.store.library import csl_hash
from records.merge import merge
from records.parsers import parse_bytes

ITEMS = [
    # Non-ASCII text and labels, ISSNs as a list (the merge writes them as one string).
    {"id": "ü1", "type": "article-journal", "title": "Über die Lösung „großer“ Systeme",
     "author": [{"family": "Šimić", "given": "Željko"}, {"literal": "Équipe Ω"}],
     "issued": {"date-parts": [[2019]]}, "ISSN": ["0028-0836", "1476-4687"],
     "container-title": "Naturé"},
    # Empty values: dropped by the merge, so the record's own JSON is not the work's.
    {"id": "e2", "type": "book", "title": "Empty values are not values", "publisher": "",
     "author": [{"family": "Doe", "given": ""}], "note": None,
     "issued": {"date-parts": [[2001]]}},
    {"id": "k3", "type": "article-journal", "title": "Keywords, as one string",
     "keyword": "b, a,A ,c", "author": [{"given": "Ann"}], "issued": {"date-parts": [[2010]]}},
    # Two copies of one article: a work of two records (the general path).
    {"id": "d4", "type": "article-journal", "title": "Contrast nephropathy in adults: a cohort",
     "author": [{"family": "Chen", "given": "Wei"}], "DOI": "10.1000/xyz.1",
     "issued": {"date-parts": [[2014]]}, "container-title": "Nephrology", "page": "1-9"},
    {"id": "d5", "type": "article-journal", "title": "Contrast nephropathy in adults: a cohort",
     "author": [{"family": "Chen", "given": "W."}], "DOI": "10.1000/XYZ.1",
     "issued": {"date-parts": [[2014]]}, "container-title": "Nephrology (Carlton)",
     "page": "1-9", "volume": "3"},
]


def test_new_works_store_the_merge_of_their_members(tmp_path: Path) -> None:
    records = parse_bytes(
        json.dumps(ITEMS, ensure_ascii=False).encode(), "ünï/refs.json", "csl-json"
    ).records
    library = Library(tmp_path / "lib.db")
    report = ImportReport()
    with library.write():
        store_records(library, records, run_id=None, report=report)
    assert report.new_works == 4 and report.merged == 1
    sizes = []
    for (work_id,) in library.db.execute("SELECT id FROM works ORDER BY id").fetchall():
        stored = library.db.execute(
            "SELECT csl, provenance, beside, csl_hash, authors FROM works WHERE id = ?", [work_id]
        ).fetchone()
        members = [r.as_member() for r in library.records_of_work(work_id)]
        sizes.append(len(members))
        merged = merge(members)
        expected_csl = json.dumps(merged.csl, ensure_ascii=False)
        assert stored[0] == expected_csl
        assert stored[1] == json.dumps(merged.provenance, ensure_ascii=False)
        assert stored[2] == json.dumps({"issn_kinds": merged.issn_kinds}, ensure_ascii=False)
        assert stored[3] == csl_hash(expected_csl)
    assert sorted(sizes) == [1, 1, 1, 2]
    authors = {row[0] for row in library.db.execute("SELECT authors FROM works")}
    assert "Šimić Željko; Équipe Ω" in authors
    assert "Doe" in authors and "Ann" in authors


def test_a_recomputed_work_merges_what_its_stored_records_give(tmp_path: Path) -> None:
    """recompute_work reads only the columns the merge needs (Library._members_of_work): the
    same members as the stored records give, whatever their kind, format, label or ISSN kinds;
    and the work it writes is the merge of them."""
    records = parse_bytes(
        json.dumps(ITEMS, ensure_ascii=False).encode(), "ünï/refs.json", "csl-json"
    ).records
    more = parse_bytes(
        b"@article{k, title={Contrast nephropathy in adults: a cohort}, author={Chen, Wei},"
        b" year={2014}, issn={0028-0836}}\n"
        b"@book{b, title={Contrast nephropathy}, editor={Chen, W.}, year={2015}, isbn={9780306406157}}",
        "more.bib",
        "bibtex",
    ).records
    library = Library(tmp_path / "lib.db")
    with library.write():
        store_records(library, records, run_id=None, report=ImportReport())
        work_id = library.records([4])[0].work_id
        assert work_id is not None
        library.add_record(more[0], kind="edit", work_id=work_id)
        library.add_record(more[1], kind="enrichment", work_id=work_id)
        for (each,) in library.db.execute("SELECT id FROM works").fetchall():
            expected = [r.as_member() for r in library.records_of_work(each)]
            assert library._members_of_work(each) == expected
            assert library.recompute_work(each) == merge(expected)
        kinds = sorted(m.kind for m in library._members_of_work(work_id))
        assert kinds == ["edit", "enrichment", "input", "input"]
        stored = library.db.execute("SELECT csl FROM works WHERE id = ?", [work_id]).fetchone()
        members = [r.as_member() for r in library.records_of_work(work_id)]
        assert stored[0] == json.dumps(merge(members).csl, ensure_ascii=False)
