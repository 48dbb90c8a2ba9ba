"""`harvester search` (and every command that only reads) starts without loading dedup: its
blocking keys and scoring compile some hundred regular expressions at import, a third of a
search's start-up (issue 17: search in <= 2x the time of `harvester --help`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO
from tests.harvester.cli_runner import run_cli


def test_the_store_opens_and_searches_without_importing_dedup(tmp_path):
    db = tmp_path / "lib.db"
    source = tmp_path / "one.ris"
    source.write_text("TY  - JOUR\nTI  - Liver fibrosis in mice\nAU  - Doe, Jane\nER  - \n")
    assert run_cli("add", "--no-enrich", source, db=db).returncode == 0
    code = (
        "import json, sys\n"
        "from harvester.store import Library\n"
        f"library = Library({str(db)!r}, create=False)\n"
        "hits = [w.key for w in library.search('liver', limit=5)]\n"
        "print(json.dumps([hits, sorted(m for m in sys.modules if m.startswith(('records.', 'msgspec')))]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    hits, modules = json.loads(done.stdout)
    assert len(hits) == 1
    assert not [m for m in modules if m.startswith("records.dedup")], modules
    assert "msgspec" not in modules  # the export's JSON decoder: imported by an export alone
