"""Configuration: defaults, then the TOML file in the user's config directory, then the
environment (``HARVESTER_DB``, ``HARVESTER_CROSSREF_URL``, ``HARVESTER_MAILTO``,
``HARVESTER_PUBMED_URL``, ``HARVESTER_NCBI_API_KEY``, ``HARVESTER_HTTP_TIMEOUT``,
``HARVESTER_ENRICH_DEADLINE``, ``HARVESTER_STATE_DIR``, ``HARVESTER_SYNC_MAX_WAIT``), then
options.

``[http] timeout`` / ``HARVESTER_HTTP_TIMEOUT`` is given to every HTTP client (Crossref, PubMed,
OAI-PMH, web pages): how long one request may wait for an answer. ``[crossref] deadline`` /
``HARVESTER_ENRICH_DEADLINE`` bounds one enrichment run as a whole: once it has passed, no
request starts and the works left stay pending for a later ``harvester enrich``."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from records.errors import UsageError

APP = "harvester"
DEFAULT_CROSSREF_URL = "https://api.crossref.org"
# NCBI E-utilities (efetch, elink); PMIDs and PMCIDs given to `harvester add` are fetched there.
DEFAULT_PUBMED_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
# Seconds to wait for any HTTP answer (Crossref, PubMed, OAI-PMH; a web page must also finish
# sending within it).
DEFAULT_HTTP_TIMEOUT = 30.0
# Seconds one enrichment run may take in all. Within Crossref's polite limits list queries
# enrich about 150 records a second, so 30 minutes covers a quarter of a million works; a run
# that is slower than that is being slowed down, and what is left waits for the next run.
DEFAULT_ENRICH_DEADLINE = 1800.0
# Seconds a `sync` run waits for another harvester process writing the library (a large
# `add`) before it skips, exit 0, leaving the work to its next cron turn. `add` and the other
# interactive commands wait as long as it takes, saying so.
DEFAULT_SYNC_MAX_WAIT = 900.0


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP)) / "library.db"


def default_state_dir() -> Path:
    """Where processes share state that is not the library (Crossref's rate windows)."""
    return Path(os.environ.get("HARVESTER_STATE_DIR") or platformdirs.user_state_dir(APP))


def config_path() -> Path:
    return Path(
        os.environ.get("HARVESTER_CONFIG")
        or Path(platformdirs.user_config_dir(APP)) / "config.toml"
    )


@dataclass(slots=True)
class Config:
    db: Path = field(default_factory=default_db_path)
    crossref_url: str = DEFAULT_CROSSREF_URL
    mailto: str | None = None
    citekey_formula: str | None = None
    pubmed_url: str = DEFAULT_PUBMED_URL
    ncbi_api_key: str | None = None
    http_timeout: float = DEFAULT_HTTP_TIMEOUT
    enrich_deadline: float = DEFAULT_ENRICH_DEADLINE
    state_dir: Path = field(default_factory=default_state_dir)
    sync_max_wait: float = DEFAULT_SYNC_MAX_WAIT

    @classmethod
    def load(cls, db: str | None = None) -> Config:
        """Defaults < config file < environment < the ``--db`` option."""
        config = cls()
        path = config_path()
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text("utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise UsageError(f"{path}: cannot read the configuration file: {exc}") from exc
            if "db" in data:
                config.db = Path(str(data["db"])).expanduser()
            crossref = data.get("crossref", {})
            config.crossref_url = str(crossref.get("url", config.crossref_url))
            config.mailto = crossref.get("mailto", config.mailto)
            if "deadline" in crossref:
                config.enrich_deadline = _seconds(
                    crossref["deadline"], f"{path}: [crossref] deadline"
                )
            config.citekey_formula = data.get("citekey", {}).get("formula")
            pubmed = data.get("pubmed", {})
            config.pubmed_url = str(pubmed.get("url", config.pubmed_url))
            config.ncbi_api_key = pubmed.get("api_key", config.ncbi_api_key)
            timeout = data.get("http", {}).get("timeout", config.http_timeout)
            config.http_timeout = _seconds(timeout, f"{path}: [http] timeout")
            wait = data.get("sync", {}).get("max_wait", config.sync_max_wait)
            config.sync_max_wait = _seconds(wait, f"{path}: [sync] max_wait")
        if env_db := os.environ.get("HARVESTER_DB"):
            config.db = Path(env_db).expanduser()
        config.crossref_url = os.environ.get("HARVESTER_CROSSREF_URL", config.crossref_url)
        config.mailto = os.environ.get("HARVESTER_MAILTO", config.mailto) or None
        config.pubmed_url = os.environ.get("HARVESTER_PUBMED_URL", config.pubmed_url)
        config.ncbi_api_key = (
            os.environ.get("HARVESTER_NCBI_API_KEY", config.ncbi_api_key or "") or None
        )
        if env_timeout := os.environ.get("HARVESTER_HTTP_TIMEOUT"):
            config.http_timeout = _seconds(env_timeout, "HARVESTER_HTTP_TIMEOUT")
        if env_deadline := os.environ.get("HARVESTER_ENRICH_DEADLINE"):
            config.enrich_deadline = _seconds(env_deadline, "HARVESTER_ENRICH_DEADLINE")
        if env_wait := os.environ.get("HARVESTER_SYNC_MAX_WAIT"):
            config.sync_max_wait = _seconds(env_wait, "HARVESTER_SYNC_MAX_WAIT")
        if db:
            config.db = Path(db).expanduser()
        return config


def _seconds(value: object, name: str) -> float:
    """A positive number of seconds, or a :class:`UsageError` naming where it was set."""
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = 0.0
    if not seconds > 0:
        raise UsageError(f"{name} must be a positive number of seconds, not {value!r}")
    return seconds
