"""A whole-library export reads each work's key and CSL alone (not its provenance): it must
write exactly what an export of the same works read whole writes."""

from __future__ import annotations

import sqlite3

import pytest

from bench.synthetic import iter_library, write_ris
from harvester.ops.exporting import export_text, iter_library_export
from harvester.ops.importing import import_sources
from harvester.store import Library
from tests.harvester.cli_runner import run_cli


def test_whole_library_export_is_the_export_of_every_work(tmp_path):
    source = tmp_path / "many.ris"
    source.write_text("".join(write_ris(r.item for r in iter_library(150, seed=5))), "utf-8")
    library = Library(tmp_path / "lib.db")
    import_sources(library, [str(source)], parallel=False)
    with library:
        works = list(library.iter_works())
        assert len(works) > 100
        assert list(library.exports.keyed_csl()) == [(w.key, w.csl) for w in works]
        written = {}
        for fmt in ("bibtex", "biblatex", "csl-json", "ris"):
            written[fmt] = "".join(iter_library_export(library, fmt))
            assert written[fmt] == export_text(iter(works), fmt)
    out = tmp_path / "all.bib"
    result = run_cli("export", "-f", "bibtex", "-o", out, db=tmp_path / "lib.db", process=True)
    assert result.returncode == 0, result.stderr
    assert out.read_text("utf-8") == written["bibtex"]


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16le"])
def test_stored_texts_a_fast_decoder_would_read_otherwise(tmp_path, encoding):
    """CSL texts in the store with what msgspec refuses or another decoder reads otherwise
    (an integer past 64 bits, NaN, a float past its range, an escaped lone surrogate, a key
    twice): the whole-library read and its exports are those of the works read whole. Also
    in a UTF-16 database (harvester makes none, SQLite can), whose text is not read as bytes."""
    source = tmp_path / "few.ris"
    source.write_text("".join(write_ris(r.item for r in iter_library(8, seed=3))), "utf-8")
    if encoding != "UTF-8":
        made = sqlite3.connect(tmp_path / "lib.db")
        made.execute(f"PRAGMA encoding = '{encoding}'")
        made.execute("CREATE TABLE made (a)")  # the encoding is fixed by the first table
        made.execute("DROP TABLE made")
        made.close()
    library = Library(tmp_path / "lib.db")
    import_sources(library, [str(source)], parallel=False)
    odd = [
        '"volume": 123456789012345678901234567890, "issue": -9223372036854775809',
        '"volume": NaN, "issue": Infinity',
        '"volume": 1e400, "page": 1.5',
        '"note": "a\\ud800b", "volume": 18446744073709551616',
        '"volume": "1", "volume": 2',
    ]
    with library:
        ids = [w.id for w in library.iter_works()][: len(odd)]
        assert len(ids) == len(odd)
        with library.write():
            for work_id, fields in zip(ids, odd, strict=True):
                (csl,) = library.db.conn.execute(
                    "SELECT csl FROM works WHERE id = ?", [work_id]
                ).fetchone()
                assert csl.endswith("}")
                library.db.conn.execute(
                    "UPDATE works SET csl = ? WHERE id = ?",
                    [csl[:-1] + ", " + fields + "}", work_id],
                )
        assert library.exports._utf8() is (encoding == "UTF-8")
        works = list(library.iter_works())
        read = list(library.exports.keyed_csl())
        assert repr(read) == repr([(w.key, w.csl) for w in works])
        assert 123456789012345678901234567890 in [csl.get("volume") for _, csl in read]
        for fmt in ("bibtex", "biblatex", "csl-json", "ris"):
            assert "".join(iter_library_export(library, fmt)) == export_text(iter(works), fmt)
