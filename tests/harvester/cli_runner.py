"""Run the real `harvester` entry point in a subprocess, as a user or cron would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, STATE_DIR


def run_cli(
    *args: str | Path,
    db: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m harvester ARGS`` with the repository on the path; never reaches the network."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("HARVESTER_")}
    full_env["PYTHONPATH"] = str(REPO)
    # Enrichment must not leave this machine in tests: an unroutable local port.
    full_env["HARVESTER_CROSSREF_URL"] = "http://127.0.0.1:9"
    full_env["HARVESTER_CONFIG"] = str(Path(cwd or REPO) / "no-such-config.toml")
    full_env["HARVESTER_STATE_DIR"] = str(STATE_DIR)
    full_env.update(env or {})
    command = [sys.executable, "-m", "harvester"]
    if db is not None:
        command += ["--db", str(db)]
    command += [str(a) for a in args]
    return subprocess.run(
        command,
        input=stdin.decode() if stdin else None,
        text=True,
        capture_output=True,
        env=full_env,
        cwd=cwd or REPO,
        timeout=120,
    )
