"""The curation grid: one column per annotator plus the settled result, one row per line.

A line-API `ScrollView`: row 0 is a fixed header naming the columns, every other row is
one non-blank article line drawn once per column, truncated to the column's width,
with a glyph for the vote (✗ remove, ✓ keep, · undecided, ~ the detector's suggestion
standing in). Rows are coloured by agreement through `COMPONENT_CLASSES`, so themes
control them. The grid never touches the store: the screen turns keys into settlements.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotations.curation import CurationLine, LineState
from reader.corpus.text import one_line

NUMBER_WIDTH = 5
"""Cells for the line number column (4 digits and a space)."""
SEPARATOR = "│"

_STATE_CLASSES = {
    LineState.AGREED: "curation-grid--agreed",
    LineState.DISAGREED: "curation-grid--disagreed",
    LineState.SINGLE: "curation-grid--single",
    LineState.UNDECIDED: "curation-grid--undecided",
}


def glyph(vote: bool | None, filled: bool = False) -> str:
    if vote is None:
        return "·"
    if filled:
        return "~"
    return "✗" if vote else "✓"


class CurationGrid(ScrollView, can_focus=True):
    """Every non-blank line of one article, as each annotator and the curation decided it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", id="curation.down", show=False),
        Binding("up,k", "cursor_up", "Up", id="curation.up", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", id="curation.page_down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", id="curation.page_up", show=False),
        Binding("home,g", "cursor_home", "Top", id="curation.top", show=False),
        Binding("end,G", "cursor_end", "Bottom", id="curation.bottom", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "curation-grid--header",
        "curation-grid--agreed",
        "curation-grid--disagreed",
        "curation-grid--single",
        "curation-grid--undecided",
        "curation-grid--remove",
        "curation-grid--settled",
        "curation-grid--unsettled",
        "curation-grid--number",
        "curation-grid--cursor",
    }

    DEFAULT_CSS = """
    CurationGrid {
        height: 1fr;
        background: $surface;
        & > .curation-grid--header { background: $panel; text-style: bold; }
        & > .curation-grid--agreed { background: $success 25%; }
        & > .curation-grid--disagreed { background: $error 35%; }
        & > .curation-grid--single { background: $warning 20%; }
        & > .curation-grid--undecided { }
        & > .curation-grid--remove { color: $text-muted; text-style: strike; }
        & > .curation-grid--settled { text-style: bold; }
        & > .curation-grid--unsettled { color: $text-muted; text-style: italic; }
        & > .curation-grid--number { color: $text-muted; }
        & > .curation-grid--cursor { background: $accent 40%; }
    }
    """

    class CursorMoved(Message):
        """The cursor moved to another row (the screen shows the line in full)."""

        def __init__(self, grid: CurationGrid, row: CurationLine | None) -> None:
            super().__init__()
            self.grid = grid
            self.row = row

        @property
        def control(self) -> CurationGrid:
            return self.grid

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[CurationLine] = []
        self.annotators: list[str] = []
        self.cursor = 0
        """Index into `rows` of the highlighted line."""
        self._styles: dict[str, Style] = {}
        self._cache: dict[int, Strip] = {}

    # ---- data ----------------------------------------------------------------------------

    def show(self, rows: Sequence[CurationLine], annotators: Sequence[str]) -> None:
        """Show a new table (the cursor stays on the same line number when it can)."""
        current = self.current_row
        self.rows = list(rows)
        self.annotators = list(annotators)
        if current is not None:
            numbers = [r.number for r in self.rows]
            self.cursor = numbers.index(current.number) if current.number in numbers else 0
        self.cursor = max(0, min(self.cursor, len(self.rows) - 1))
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) + 1)
        self._invalidate()
        self.post_message(self.CursorMoved(self, self.current_row))

    @property
    def current_row(self) -> CurationLine | None:
        if not self.rows or not 0 <= self.cursor < len(self.rows):
            return None
        return self.rows[self.cursor]

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(index, len(self.rows) - 1))
        visible = max(1, self.scrollable_content_region.height - 1)
        if self.cursor < self.scroll_y:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= self.scroll_y + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)
        self._invalidate()
        self.post_message(self.CursorMoved(self, self.current_row))

    def _invalidate(self) -> None:
        self._cache.clear()
        self.refresh()

    # ---- actions ------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.scrollable_content_region.height - 2))

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.scrollable_content_region.height - 2))

    def action_cursor_home(self) -> None:
        self.move_to(0)

    def action_cursor_end(self) -> None:
        self.move_to(len(self.rows) - 1)

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.move_to(int(self.scroll_y) + event.y - 1)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)
        self._invalidate()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._cache.clear()

    # ---- rendering --------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def _over(self, name: str) -> Style:
        """The text colour and style of `name` without its background, for drawing over a
        row's agreement tint (a full component style carries the grid's own background,
        which would paint the removed, settled and numbered cells untinted)."""
        key = f"{name}/over"
        style = self._styles.get(key)
        if style is None:
            full = self._style(name)
            style = self._styles[key] = full.without_color + Style(color=full.color)
        return style

    def column_widths(self, width: int) -> list[int]:
        """Widths of the annotator columns and the curated column (each with its separator)."""
        columns = len(self.annotators) + 1
        usable = max(columns, width - NUMBER_WIDTH)
        share, extra = divmod(usable, columns)
        return [share + (1 if i < extra else 0) for i in range(columns)]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        key = -1 if y == 0 else int(self.scroll_y) + y - 1
        strip = self._cache.get(key)
        if strip is None:
            if key == -1:
                strip = self._render_header(width)
            elif 0 <= key < len(self.rows):
                strip = self._render_row(key, width)
            else:
                strip = Strip.blank(width, self.rich_style)
            self._cache[key] = strip
        return strip

    def _strip(self, text: Text, width: int) -> Strip:
        text.truncate(width, pad=True)
        segments = list(text.render(self.app.console))
        return Strip(Segment.adjust_line_length(segments, width, self.rich_style), width)

    def _render_header(self, width: int) -> Strip:
        style = self.rich_style + self._style("curation-grid--header")
        text = Text("line".ljust(NUMBER_WIDTH), style=style, no_wrap=True, end="")
        names = [*self.annotators, "curated"]
        for name, cell in zip(names, self.column_widths(width), strict=True):
            label = one_line(name) or "?"
            text.append(_fit(f"{SEPARATOR} {label}", cell), style)
        return self._strip(text, width)

    def _render_row(self, index: int, width: int) -> Strip:
        row = self.rows[index]
        base = self.rich_style + self._style(_STATE_CLASSES[row.state])
        if index == self.cursor and self.has_focus:
            base = base + self._style("curation-grid--cursor")
        text = Text(no_wrap=True, end="", style=base)
        text.append(str(row.number + 1).rjust(NUMBER_WIDTH - 1) + " ",
                    base + self._over("curation-grid--number"))
        line = one_line(row.text)
        cells = self.column_widths(width)
        for name, cell in zip(self.annotators, cells[:-1], strict=True):
            vote = row.votes.get(name)
            style = base + self._over("curation-grid--remove") if vote else base
            text.append(SEPARATOR + " ", base)
            text.append(_fit(f"{glyph(vote, name in row.filled)} {line}", cell - 2), style)
        cell = cells[-1]
        text.append(SEPARATOR + " ", base)
        if row.curated is None:
            unsettled = base + self._over("curation-grid--unsettled")
            text.append(_fit("· unsettled", cell - 2), unsettled)
        else:
            style = base + self._over("curation-grid--settled")
            if row.curated:
                style = style + self._over("curation-grid--remove")
            text.append(_fit(f"{glyph(row.curated)} {line}", cell - 2), style)
        return self._strip(text, width)

    def on_focus(self) -> None:
        self._invalidate()

    def on_blur(self) -> None:
        self._invalidate()


def _fit(text: str, width: int) -> str:
    """`text` cut or padded to exactly `width` cells (an ellipsis marks a cut)."""
    if width <= 0:
        return ""
    rendered = Text(text.replace("\t", " "), no_wrap=True, end="")
    if rendered.cell_len > width:
        rendered.truncate(width - 1)
        return rendered.plain + "…"
    return rendered.plain + " " * (width - rendered.cell_len)
