"""Issue 5's acceptance case: the same article from a catalog page, PubMed and a RIS export is
one work with three source records, and `show` explains why they are together."""

from __future__ import annotations

import json

from tests.conftest import VUFIND_SEED
from tests.harvester.cli_runner import run_cli

# A MEDLINE (.nbib) export as PubMed writes it: the journal under its current name, the
# English title in brackets and an NLM-abbreviated page range. (The PMID is made up.)
NBIB = """PMID- 38700001
OWN - NLM
STAT- MEDLINE
DA  - 20240618
IS  - 2731-7056 (Electronic)
IS  - 2731-7048 (Linking)
VI  - 64
IP  - 7
DP  - 2024 Jul
TI  - [Radiological interventional options for the treatment of neuroendocrine tumors].
PG  - 575-81
LID - 10.1007/s00117-024-01314-z [doi]
FAU - Radosa, Christoph Georg
AU  - Radosa CG
FAU - Nebelung, Heiner
AU  - Nebelung H
FAU - Schön, Felix
AU  - Schön F
FAU - Hoffmann, Ralf-Thorsten
AU  - Hoffmann RT
LA  - ger
PT  - English Abstract
PT  - Journal Article
PT  - Review
TA  - Radiologie (Heidelb)
JT  - Radiologie (Heidelberg, Germany)
SO  - Radiologie (Heidelb). 2024 Jul;64(7):575-581. doi: 10.1007/s00117-024-01314-z.
"""

RIS = """TY  - JOUR
ID  - radosa-2024
AU  - Radosa, C. G.
AU  - Nebelung, H.
AU  - Schön, F.
AU  - Hoffmann, R. T.
TI  - Radiologisch-interventionelle Möglichkeiten zur Behandlung von neuroendokrinen Tumoren
T2  - Die Radiologie
PY  - 2024
VL  - 64
IS  - 7
SP  - 575
EP  - 581
ER  -
"""


def test_catalog_pubmed_and_ris_are_one_work_explained(tmp_path):
    nbib, ris = tmp_path / "pubmed.nbib", tmp_path / "export.ris"
    nbib.write_text(NBIB, "utf-8")
    ris.write_text(RIS, "utf-8")
    db = tmp_path / "lib.db"
    result = run_cli("add", "--json", "--no-enrich", VUFIND_SEED, nbib, ris, db=db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["parsed"], report["new_works"], report["merged"]) == (3, 1, 2)
    shown = json.loads(run_cli("show", "--json", "radosa2024radiologisch", db=db).stdout)
    records = {r["format"]: r for r in shown["records"]}
    assert set(records) == {"vufind-text", "medline", "ris"}
    # The nbib shares the DOI with the catalog page; the RIS record has no DOI and joins on
    # title, authors, year, volume and pages: each record says why.
    assert "same DOI" in records["medline"]["joined"]["for"]
    assert "same title" in records["ris"]["joined"]["for"]
    assert "same DOI" not in records["ris"]["joined"]["for"]
    assert shown["csl"]["PMID"] == "38700001"
    human = run_cli("show", "radosa2024radiologisch", db=db, env={"COLUMNS": "220"}).stdout
    assert human.count("joined: duplicate of") == 2
    assert "same DOI" in human
