"""How far a long job has got (detection, an export): one line, one widget."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class ProgressLine(Widget):
    """A bar and its percentage, drawn by one widget.

    Textual's `ProgressBar` is four widgets (the bar, the percentage, the estimate and
    their row) with their styles: mounted as loading ended it held the UI thread about
    40 ms while keys waited, and every step of detection restyled and repainted three
    of them. This one redraws its single line, and only when the figure it shows
    changes. Its row is always there, blank while there is nothing to show (`shown`):
    hidden and shown again, it took a row from the list and gave it back, and each
    time laid the whole screen out and repainted it (50-80 ms as loading ended and
    again as detection ended, while keys waited).
    """

    DEFAULT_CSS = """
    ProgressLine {
        height: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.total = 1.0
        self.progress = 0.0
        self._drawn: tuple[int, int, int] | None = None
        """(bar width, cells done, percent) last drawn: a step that changes none of them
        draws nothing."""
        self.shown = False
        """Whether the bar is drawn; its row is blank otherwise."""

    def show(self, shown: bool) -> None:
        """Draw the bar, or leave its row blank (a repaint of the row, no layout)."""
        if shown != self.shown:
            self.shown = shown
            self._drawn = None
            self.refresh()

    @property
    def percentage(self) -> float:
        """The share done, from 0 to 1."""
        if self.total <= 0:
            return 1.0
        return min(1.0, max(0.0, self.progress / self.total))

    def update(self, *, total: float | None = None, progress: float | None = None) -> None:
        """Set the total and how much of it is done (either may be left as it is)."""
        if total is not None:
            self.total = total
        if progress is not None:
            self.progress = progress
        if self.shown and self._drawn != self._shape(self.content_region.width):
            self.refresh()

    def _shape(self, width: int) -> tuple[int, int, int]:
        bar = max(0, width - 5)
        return bar, round(bar * self.percentage), round(self.percentage * 100)

    def render(self) -> Content:
        if not self.shown:
            return Content("")
        width = self.content_region.width
        bar, done, percent_done = self._drawn = self._shape(width)
        percent = f"{percent_done:>4d}%"
        finished = "$success" if done == bar else "$primary"
        return Content.assemble(
            ("━" * done, finished), ("━" * (bar - done), "$panel"), (percent[-(width - bar):], "")
        )
