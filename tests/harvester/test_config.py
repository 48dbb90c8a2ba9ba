"""Configuration: defaults < config file < environment (harvester.config)."""

from __future__ import annotations

import pytest

from harvester.config import DEFAULT_HTTP_TIMEOUT, DEFAULT_PUBMED_URL, Config
from records.errors import UsageError


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ("HARVESTER_PUBMED_URL", "HARVESTER_NCBI_API_KEY", "HARVESTER_HTTP_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    config_file = tmp_path / "config.toml"
    monkeypatch.setenv("HARVESTER_CONFIG", str(config_file))
    return config_file


def test_pubmed_and_http_defaults(clean_env):
    config = Config.load()
    assert (config.pubmed_url, config.ncbi_api_key, config.http_timeout) == (
        DEFAULT_PUBMED_URL,
        None,
        DEFAULT_HTTP_TIMEOUT,
    )


def test_the_file_then_the_environment(clean_env, monkeypatch):
    clean_env.write_text(
        '[pubmed]\nurl = "http://127.0.0.1:1/eutils"\napi_key = "from-file"\n[http]\ntimeout = 5\n'
    )
    config = Config.load()
    assert (config.pubmed_url, config.ncbi_api_key, config.http_timeout) == (
        "http://127.0.0.1:1/eutils",
        "from-file",
        5.0,
    )
    monkeypatch.setenv("HARVESTER_PUBMED_URL", "http://127.0.0.1:2/eutils")
    monkeypatch.setenv("HARVESTER_NCBI_API_KEY", "")  # set but empty: no key
    monkeypatch.setenv("HARVESTER_HTTP_TIMEOUT", "2.5")
    config = Config.load()
    assert (config.pubmed_url, config.ncbi_api_key, config.http_timeout) == (
        "http://127.0.0.1:2/eutils",
        None,
        2.5,
    )


@pytest.mark.parametrize("value", ["soon", "0", "-1", "nan"])
def test_a_timeout_that_is_no_positive_number_is_a_usage_error(clean_env, monkeypatch, value):
    monkeypatch.setenv("HARVESTER_HTTP_TIMEOUT", value)
    with pytest.raises(UsageError, match="HARVESTER_HTTP_TIMEOUT must be a positive number"):
        Config.load()
