"""Isolate every test from the machine: config, data dir and database live in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point COPYDESK_CONFIG, COPYDESK_DB, COPYDESK_DATA_DIR and COPYDESK_LOG_DIR into this
    test's tmp_path."""
    home = tmp_path / "copydesk-home"
    home.mkdir()
    monkeypatch.setenv("COPYDESK_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("COPYDESK_DB", str(home / "annotations.json"))
    monkeypatch.setenv("COPYDESK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("COPYDESK_LOG_DIR", str(home / "log"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def db_path(isolated_paths: Path) -> Path:
    """The test's annotation database (the reader opens it from COPYDESK_DB)."""
    return isolated_paths / "annotations.json"
