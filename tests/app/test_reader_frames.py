"""Pilot tests of what one key redraws: the status line moves in the frame that moves the
cursor, and a cursor move redraws only the rows whose look it changes."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import main_screen, reader, settle


async def test_status_line_follows_the_cursor_before_the_next_frame(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        column = main_screen(app).pane.current_column
        view = column.view
        assert column.status.content.plain.startswith("L1 ")
        # What `G` runs: no other callback gets to run (and no frame to be drawn) before
        # the check, so the status line must already say where the cursor went.
        view.action_cursor_end()
        last = view.cursor_line + 1
        assert last > 1
        assert column.status.content.plain.startswith(f"L{last} ")
        view.action_cursor_home()
        assert column.status.content.plain.startswith("L1 ")


async def test_a_cursor_move_redraws_only_the_rows_it_leaves_and_reaches(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        view = main_screen(app).pane.current_column.view
        for key in "jjj":
            await pilot.press(key)
        await settle(pilot)
        drawn = dict(view._cache)
        left = view._rows.row_of(view.cursor)
        await pilot.press("j")
        await settle(pilot)
        reached = view._rows.row_of(view.cursor)
        assert reached == left + 1
        redrawn = {row for row, strip in drawn.items() if view._cache.get(row) is not strip}
        assert redrawn and redrawn <= {left - 1, left, reached}
        # What is on screen is what a redraw of every row shows: no row kept a stale cursor.
        shown = app.export_screenshot()
        view._invalidate()
        await settle(pilot)
        assert app.export_screenshot() == shown
