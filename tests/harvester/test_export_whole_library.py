"""A whole-library export reads each work's key and CSL alone (not its provenance): it must
write exactly what an export of the same works read whole writes."""

from __future__ import annotations

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
    result = run_cli("export", "-f", "bibtex", "-o", out, db=tmp_path / "lib.db")
    assert result.returncode == 0, result.stderr
    assert out.read_text("utf-8") == written["bibtex"]
