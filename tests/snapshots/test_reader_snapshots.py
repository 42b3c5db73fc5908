"""Pinned SVG snapshots of the reader (textual==8.2.8, pytest-textual-snapshot==1.1.0).

The main screen shows the detector's verdicts on the demo corpus, so it changes when
the detector does: regenerate deliberately with `pytest --snapshot-update tests/snapshots`.
"""

from __future__ import annotations

import pytest
from helpers.pilot import settle
from textual.pilot import Pilot

from reader.app import make_app

SIZE = (120, 40)


def reader():
    return make_app(inputs=[], user="tester", cursor_blink=False)



def test_main_screen_on_demo_corpus(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "j")
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
