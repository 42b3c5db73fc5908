"""Shared helpers for the reader's Pilot tests."""

from __future__ import annotations

from pathlib import Path

from helpers.pilot import settle

from reader.app import ReaderApp, make_app
from reader.screens.main import MainScreen

USER = "tester"
__all__ = ["USER", "main_screen", "reader", "settle", "stored"]


def reader(inputs: list[str] | None = None, db_path: Path | None = None) -> ReaderApp:
    """The app as the CLI builds it, with a fixed user and no blinking cursors."""
    return make_app(inputs=inputs or [], db_path=db_path, user=USER, cursor_blink=False)


def main_screen(app: ReaderApp) -> MainScreen:
    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("no main screen")


def stored(db_path: Path) -> list:
    """Every annotation in the database file, read through a fresh store."""
    from annotations.store import AnnotationStore

    return AnnotationStore.open(db_path, read_only=True).all()
