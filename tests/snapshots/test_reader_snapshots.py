"""Pinned SVG snapshots of the reader (textual==8.2.8, pytest-textual-snapshot==1.1.0).

The main screen shows the detector's verdicts on the demo corpus, so it changes when
the detector does: regenerate deliberately with `pytest --snapshot-update tests/snapshots`.
"""

from __future__ import annotations

import pytest
from helpers.apps import reader_app as reader
from helpers.pilot import settle
from textual.pilot import Pilot

SIZE = (120, 40)


def test_main_screen_on_demo_corpus(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "j")
        await pilot.pause()

    assert snap_compare(reader(), terminal_size=SIZE, run_before=run_before)


def test_shared_passages_marked_in_the_columns(snap_compare) -> None:
    """Euronews beside the AP report it reprints: shared passages marked in both, the
    cursor on one, its counterpart's outlet and score in the status line."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        by_name = {a.name: a for a in screen.book.articles}
        euronews, ap = by_name["003_1ca05d51f9810f23"], by_name["004_3170b4733c281065"]
        first, second = screen.pane.columns
        screen.pane.show_article(first, euronews.id)
        screen.pane.show_article(second, ap.id)
        first.view.focus()
        passage = screen.book.alignment.between(euronews.id, ap.id)[2]
        first.view.move_cursor(passage.start, center=True)
        await pilot.pause()

    assert snap_compare(reader(), terminal_size=SIZE, run_before=run_before)


def test_annotation_editor(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("v", "l", "l", "l", "l", "l", "l", "e")
        await pilot.pause()
        await pilot.press(*"A **bold** claim", "enter", "enter", "- one", "enter", *"- two")
        await pilot.pause()

    assert snap_compare(reader(), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(reader(), terminal_size=SIZE, run_before=run_before)


LEGIBLE_SIZES = {"80x24": (80, 24), "160x45": (160, 45)}
"""The sizes a newcomer tried the reader at (issue 11)."""


@pytest.mark.parametrize("size", sorted(LEGIBLE_SIZES))
def test_main_screen_with_the_legend(snap_compare, size: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("K", "j", "j")
        await pilot.pause()

    assert snap_compare(reader(), terminal_size=LEGIBLE_SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", sorted(LEGIBLE_SIZES))
def test_line_details_popup(snap_compare, size: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()

    assert snap_compare(reader(), terminal_size=LEGIBLE_SIZES[size], run_before=run_before)
