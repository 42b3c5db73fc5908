"""The app as the CLI builds it, for the Pilot and snapshot tests."""

from __future__ import annotations

from pathlib import Path

from reader.app import ReaderApp, make_app

READER_USER = "tester"


def reader_app(inputs: list[str] | None = None, db_path: Path | None = None) -> ReaderApp:
    """The reader with a fixed user and steady (non-blinking) cursors on every screen."""
    return make_app(inputs=inputs or [], db_path=db_path, user=READER_USER, cursor_blink=False)
