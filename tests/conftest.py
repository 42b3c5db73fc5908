"""Isolate every test from the machine: config, data dir and database live in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["helpers.fixtures"]

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
"""CI: the same examples every run (a red build is reproducible), no timing failures."""
settings.register_profile("dev")
"""Local runs: Hypothesis's defaults, random examples, so new ones keep being tried."""
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point COPYDESK_CONFIG, COPYDESK_DB, COPYDESK_DATA_DIR, COPYDESK_LOG_DIR and
    COPYDESK_CACHE_DIR into this test's tmp_path."""
    home = tmp_path / "copydesk-home"
    home.mkdir()
    monkeypatch.setenv("COPYDESK_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("COPYDESK_DB", str(home / "annotations.json"))
    monkeypatch.setenv("COPYDESK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("COPYDESK_LOG_DIR", str(home / "log"))
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def db_path(isolated_paths: Path) -> Path:
    """The test's annotation database (the reader opens it from COPYDESK_DB)."""
    return isolated_paths / "annotations.json"
