"""Shared helpers for the reader's Pilot tests."""

from __future__ import annotations

from pathlib import Path

from helpers.apps import READER_USER as USER
from helpers.apps import reader_app as reader
from helpers.pilot import settle

from reader.app import ReaderApp
from reader.screens.main import MainScreen

__all__ = ["USER", "main_screen", "reader", "settle", "stored"]


def main_screen(app: ReaderApp) -> MainScreen:
    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("no main screen")


def stored(db_path: Path) -> list:
    """Every annotation in the database file, read through a fresh store."""
    from annotations.store import AnnotationStore

    return AnnotationStore.open(db_path, read_only=True).all()
