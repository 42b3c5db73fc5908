"""The one place that resolves config, database, styles and demo-corpus locations.

Nothing here touches the disk at import time; directories are created lazily by
whoever writes into them. Environment variables override every location so that
tests and scripts stay isolated from the user's machine.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import platformdirs

APP_NAME = "copydesk"

CONFIG_ENV = "COPYDESK_CONFIG"
"""Path of the TOML config file, overriding the platform default."""

DB_ENV = "COPYDESK_DB"
"""Path of the annotation database, overriding the platform default."""

DATA_DIR_ENV = "COPYDESK_DATA_DIR"
"""Directory for the database and other state, overriding the platform default."""

LOG_DIR_ENV = "COPYDESK_LOG_DIR"
"""Directory for the reader's log file, overriding the platform default."""

_PACKAGE_DIR = Path(__file__).resolve().parent


def config_file() -> Path:
    """The TOML settings file (it need not exist)."""
    if override := os.environ.get(CONFIG_ENV):
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def data_dir() -> Path:
    """Directory holding copydesk's state (not created here)."""
    if override := os.environ.get(DATA_DIR_ENV):
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def log_file() -> Path:
    """The reader's log file (`copydesk.log` in the platform log dir; not created here)."""
    if override := os.environ.get(LOG_DIR_ENV):
        return Path(override).expanduser() / "copydesk.log"
    return Path(platformdirs.user_log_dir(APP_NAME)) / "copydesk.log"


def database_file(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The annotation database: `--db` first, then `COPYDESK_DB`, then the data dir."""
    if explicit:
        return Path(explicit).expanduser()
    if override := os.environ.get(DB_ENV):
        return Path(override).expanduser()
    return data_dir() / "annotations.json"


def styles_dir() -> Path:
    """The `.tcss` files: in the package when installed as a wheel, else the repo's `styles/`."""
    shipped = _PACKAGE_DIR / "styles"
    if shipped.is_dir():
        return shipped
    return _PACKAGE_DIR.parent / "styles"


def demo_corpus_dir() -> Path:
    """The bundled demo corpus: five reports of one story, as pasted from the web."""
    return _PACKAGE_DIR / "demo"


def corpus_sources(inputs: Sequence[str]) -> list[str]:
    """What to load: the paths given, else the demo corpus (the one place for this rule)."""
    return list(inputs) or [str(demo_corpus_dir())]
