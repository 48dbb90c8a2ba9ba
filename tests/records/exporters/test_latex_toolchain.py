"""Proof by a real toolchain: the exported library compiles with bibtex and with biber/biblatex.

Skipped (with the reason) when pdflatex, bibtex or biber are not installed. On Debian/Ubuntu:
``apt-get install --no-install-recommends texlive-latex-base texlive-latex-recommended
texlive-bibtex-extra biber``. CI installs them and sets ``HARVESTER_REQUIRE_TEX=1``: there a
missing tool fails these tests instead of skipping them, since they are the only outside check
that the exports compile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from records.exporters.bibtex import write_bibtex
from tests.records.exporters.samples import EXTRA, seeds


def _need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing and os.environ.get("HARVESTER_REQUIRE_TEX") == "1":
        pytest.fail(f"{', '.join(missing)} not installed, and HARVESTER_REQUIRE_TEX=1 asks for them")
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed (apt-get install texlive-latex-base "
            "texlive-latex-recommended texlive-bibtex-extra biber)"
        )


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=300, errors="replace", check=False
    )


def _pdflatex(cwd: Path) -> None:
    # -draftmode: typeset everything, write no PDF (no font files needed).
    result = _run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-draftmode", "doc"], cwd
    )
    assert result.returncode == 0, result.stdout[-3000:]


ENTRIES = [*seeds(), *EXTRA]  # seeds enriched, plus tricky escaping, names and types


def test_bibtex_compiles_the_exported_library(tmp_path):
    _need("pdflatex", "bibtex")
    (tmp_path / "library.bib").write_text(write_bibtex(ENTRIES, abstract=True), "utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
        "\\usepackage{natbib}\n\\usepackage{url}\n\\begin{document}\n"
        "\\citet{radosa2024radiologisch} and \\citet{demestier2017liver}.\n\\nocite{*}\n"
        "\\bibliographystyle{plainnat}\n\\bibliography{library}\n\\end{document}\n",
        "utf-8",
    )
    _pdflatex(tmp_path)
    result = _run(["bibtex", "doc"], tmp_path)
    blg = (tmp_path / "doc.blg").read_text("utf-8", errors="replace")
    assert result.returncode == 0, blg
    assert "error message" not in blg and "Warning--" not in blg, blg
    _pdflatex(tmp_path)
    _pdflatex(tmp_path)
    bbl = (tmp_path / "doc.bbl").read_text("utf-8", errors="replace")
    assert bbl.count("\\bibitem") == len(ENTRIES)
    assert "Radiologisch-interventionelle" in bbl and "10.1007/s00117-024-01314-z" in bbl
    assert "de~Mestier" in bbl or "de Mestier" in bbl
    log = (tmp_path / "doc.log").read_text("utf-8", errors="replace")
    assert "undefined" not in log, log[-2000:]


def test_biber_and_biblatex_compile_the_exported_library(tmp_path):
    _need("pdflatex", "biber")
    (tmp_path / "library.bib").write_text(
        write_bibtex(ENTRIES, flavour="biblatex", abstract=True), "utf-8"
    )
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
        "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{library.bib}\n"
        "\\begin{document}\n\\cite{radosa2024radiologisch,demestier2017liver}\n\\nocite{*}\n"
        "\\printbibliography\n\\end{document}\n",
        "utf-8",
    )
    _pdflatex(tmp_path)
    result = _run(["biber", "doc"], tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "ERROR" not in result.stdout and "WARN" not in result.stdout, result.stdout
    _pdflatex(tmp_path)
    bbl = (tmp_path / "doc.bbl").read_text("utf-8", errors="replace")
    assert bbl.count("\\entry{") == len(ENTRIES)
    assert "Radiologisch-interventionelle" in bbl and "ngerman" in bbl


def test_biber_validates_the_exported_library_against_the_datamodel(tmp_path):
    _need("biber")
    bib = tmp_path / "library.bib"
    bib.write_text(write_bibtex(ENTRIES, flavour="biblatex", abstract=True), "utf-8")
    result = _run(["biber", "--tool", "--validate-datamodel", str(bib)], tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    problems = [line for line in result.stdout.splitlines() if " - " in line and "INFO" not in line]
    assert problems == []
