"""The progress bar: one line, the share done as a bar and a percentage."""

from __future__ import annotations

from textual.app import App, ComposeResult

from reader.widgets.progress_line import ProgressLine


class OneBar(App[None]):
    """One bar, shown (`shown=True`) or with its row left blank."""

    def __init__(self, *, shown: bool = True) -> None:
        super().__init__()
        self.shown = shown

    def compose(self) -> ComposeResult:
        bar = ProgressLine(id="progress")
        bar.shown = self.shown
        yield bar


async def test_the_bar_fills_with_the_share_done_and_says_it() -> None:
    app = OneBar()
    async with app.run_test(size=(25, 3)) as pilot:
        bar = app.query_one(ProgressLine)
        bar.update(total=4, progress=1)
        await pilot.pause()
        line = bar.render_line(0).text
        assert line.endswith("  25%")
        assert len(line) == 25 and line[:20] == "━" * 20
        assert bar._drawn == (20, 5, 25)
        bar.update(progress=4)
        await pilot.pause()
        assert bar.render_line(0).text.endswith(" 100%")
        assert bar._drawn == (20, 20, 100)
        bar.update(progress=9)  # more than the total: full, never beyond
        assert bar.percentage == 1.0


async def test_a_step_that_moves_nothing_draws_nothing() -> None:
    """Detection advances by one article of thousands: the bar redraws only when a cell
    or the percentage would change."""
    app = OneBar()
    async with app.run_test(size=(25, 3)) as pilot:
        bar = app.query_one(ProgressLine)
        bar.update(total=2000, progress=0)
        await pilot.pause()
        drawn = bar._drawn
        bar.update(progress=1)
        assert not bar._repaint_required
        bar.update(progress=30)  # 2%: the same cells, another figure
        assert bar._repaint_required
        await pilot.pause()
        assert bar.render_line(0).text.endswith("   2%")
        await pilot.pause()
        assert bar._drawn != drawn


async def test_the_bar_keeps_its_row_blank_until_shown_and_after() -> None:
    """Shown or not, the bar keeps its row (no layout): blank until `show(True)`, and
    blank again after `show(False)`."""
    app = OneBar(shown=False)
    async with app.run_test(size=(25, 3)) as pilot:
        bar = app.query_one(ProgressLine)
        bar.update(total=4, progress=1)
        await pilot.pause()
        assert bar.render_line(0).text.strip() == ""
        assert bar.region.height == 1
        bar.show(True)
        await pilot.pause()
        assert bar.render_line(0).text.endswith("  25%")
        bar.show(False)
        await pilot.pause()
        assert bar.render_line(0).text.strip() == ""
        assert bar.region.height == 1
