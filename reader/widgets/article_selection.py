"""Selecting a span in the article pane, by keyboard (`v`, moves, `v`) and by mouse (a
drag), and what the reader's actions apply to: the selection, else the cursor line.

A mixin of `ArticleView`: it keeps the view's `anchor` (a keyboard selection in progress)
and `held` (a finished one), and answers Textual's selection protocol for mouse drags.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.selection import Selection


class ArticleSelection:
    """The selection half of `ArticleView`."""

    # Provided by `ArticleView` (and Textual's widget).
    article: Any
    cursor: int
    anchor: int | None
    held: tuple[int, int] | None
    screen: Any
    scroll_y: float
    _rows: Any
    _goal_column: int | None
    _line_numbers: list[int]

    _invalidate: Any
    move_cursor: Any
    has_class: Any
    add_class: Any
    remove_class: Any
    cursor_line: Any

    @property
    def selection_range(self) -> tuple[int, int] | None:
        """The selected `(start, end)` offsets, or None."""
        if self.anchor is None or not self.has_class("-selecting"):
            return self.held
        start, end = sorted((self.anchor, self.cursor))
        if start == end:
            return None
        return start, end

    def target_lines(self) -> list[int]:
        """Non-blank lines covered by the selection, else the cursor line."""
        if self.article is None:
            return []
        selected = self.selection_range
        if selected is None:
            return [self.cursor_line]
        first = self.article.line_at(selected[0]).number
        last = self.article.line_at(max(selected[0], selected[1] - 1)).number
        shown = set(self._line_numbers)
        return [
            number
            for number in range(first, last + 1)
            if number in shown and not self.article.lines[number].is_blank
        ]

    def target_span(self) -> tuple[int, int] | None:
        """The selection, else the cursor line's text (None on a blank line)."""
        if self.article is None:
            return None
        selected = self.selection_range
        if selected is not None:
            return selected
        line = self.article.lines[self.cursor_line]
        if line.is_blank:
            return None
        stripped = len(line.text) - len(line.text.lstrip())
        return line.start + stripped, line.start + len(line.text.rstrip())

    def action_toggle_select(self) -> None:
        """Start a selection at the cursor, or finish it (keeping the selected span).

        A finished selection stays as it is while the cursor moves on, so a later `a` or
        `t` acts on the span the user chose; Esc or a new `v` drops it.
        """
        if self.has_class("-selecting"):
            self.held = self.selection_range
            self.anchor = None
            self.remove_class("-selecting")
        else:
            self.held = None
            self.anchor = self.cursor
            self.add_class("-selecting")
        self._invalidate()

    def action_clear_selection(self) -> None:
        self.clear_selection()

    def clear_selection(self) -> None:
        """Forget the selection (keyboard or mouse)."""
        self.anchor = None
        self.held = None
        self.remove_class("-selecting")
        self.screen.selections = {
            widget: sel for widget, sel in self.screen.selections.items() if widget is not self
        }
        self._invalidate()

    # ---- mouse -------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        rows = self._rows
        if offset is None or rows is None or not rows.rows:
            return
        row = int(self.scroll_y) + offset.y
        if row >= len(rows):
            return
        self._goal_column = None
        if self.screen.selections.get(self) is None:
            self.anchor = None
            self.held = None
            self.remove_class("-selecting")
        self.move_cursor(rows.offset_at(row, offset.x), select=True)

    def selection_updated(self, selection: Selection | None) -> None:
        """A mouse selection: adopt it as the view's own selection."""
        rows = self._rows
        if selection is None or rows is None or not rows.rows:
            return
        start = rows.offset_at(selection.start.y, selection.start.x) if selection.start else 0
        if selection.end is not None:
            end = rows.offset_at(selection.end.y, selection.end.x)
        else:
            end = rows.rows[-1].end
        self.anchor = None
        self.held = (min(start, end), max(start, end)) if start != end else None
        self.cursor = end
        self.remove_class("-selecting")
        self._invalidate()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        if self.article is None or self._rows is None:
            return None
        text = self.article.text
        rows = "\n".join(text[row.start : row.end] for row in self._rows.rows)
        return selection.extract(rows), "\n"
