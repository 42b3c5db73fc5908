"""The article pane: a line-API `ScrollView` that wraps lazily and caches its strips.

It shows one article in one of four modes (marked, cleaned, original, unique),
highlights boilerplate by kind, shared passages and annotated spans through
`COMPONENT_CLASSES`, keeps a text cursor and an optional selection (keyboard visual mode
or mouse: `ArticleSelection`), reports the cursor moving to another line to its owner
(`cursor_moved`) and posts a message when the view scrolls. It never touches the store:
the screen decides what a key like "accept" means and hands back decisions and spans.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.corpus.model import Article
from reader.widgets.article_rendering import (
    _KIND_CLASSES,
    BOILERPLATE_KINDS,
    TAG_COLOURS,
    ArticleRendering,
    Highlight,
    tag_class,
)
from reader.widgets.article_search import ArticleSearch
from reader.widgets.article_selection import ArticleSelection
from reader.widgets.wrapping import RowMap

if TYPE_CHECKING:
    from textual.css.styles import RenderStyles

    from reader.boilerplate import Analysis

__all__ = ["BOILERPLATE_KINDS", "MODES", "ArticleView", "Highlight", "tag_class"]

MODES = ("marked", "cleaned", "original", "unique")
"""View modes: everything with boilerplate marked, what export writes, the text as loaded,
and what only this article prints (the cleaned text with what others share dimmed)."""

CONTENT_MODES = ("cleaned", "unique")
"""Modes that show only the lines export keeps."""

UNLAID_WIDTH = 1 << 30
"""The wrap width of a view not laid out yet (an article shown before the first frame):
one row per line, cheap, and wrapped at the real width once it is known. At a width of
one cell, as before, every character was a row of its own, built and thrown away."""


class ArticleView(ArticleSelection, ArticleSearch, ArticleRendering, ScrollView, can_focus=True):
    """One article, wrapped to the column width and drawn a row at a time."""

    ALLOW_SELECT = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", id="view.up", show=False),
        Binding("down,j", "cursor_down", "Down", id="view.down", show=False),
        Binding("left,h", "cursor_left", "Left", id="view.left", show=False),
        Binding("right,l", "cursor_right", "Right", id="view.right", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", id="view.page_up", show=False),
        Binding("pagedown,ctrl+f,space", "page_down", "Page down", id="view.page_down", show=False),
        Binding("home,g", "cursor_home", "Top", id="view.top", show=False),
        Binding("end,G", "cursor_end", "Bottom", id="view.bottom", show=False),
        Binding("v", "toggle_select", "Select", id="view.select",
                tooltip="Start or end a selection at the cursor"),
        Binding("escape", "clear_selection", "Clear selection", id="view.clear", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--boilerplate",
        *_KIND_CLASSES.values(),
        "article-view--headline",
        "article-view--inline",
        "article-view--removed",
        "article-view--kept",
        "article-view--cursor-line",
        "article-view--cursor",
        "article-view--selection",
        "article-view--match",
        "article-view--note",
        "article-view--shared",
        "article-view--common",
        *(f"article-view--tag-{index}" for index in range(TAG_COLOURS)),
    }

    mode: reactive[str] = reactive("marked")
    """Which text is shown: "marked", "cleaned", "original" or "unique"."""

    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)
    """The rows' size. The view's scrollbar always shows (`overflow-y: scroll`) and its
    height never depends on its rows, so a new size only resizes the scrollbar's thumb
    (`_set_rows_size`): Textual's own laid the whole screen out again, a frame of its own
    (10-20 ms) right after the first one, which wraps the rows as it draws them."""

    class Scrolled(Message):
        """The view scrolled by user action; `fraction` is how far down it is (0..1)."""

        def __init__(self, view: ArticleView, fraction: float) -> None:
            super().__init__()
            self.view = view
            self.fraction = fraction

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleView.Scrolled) and message.view is self.view

        @property
        def control(self) -> ArticleView:
            return self.view

    class Painted(Message):
        """The first row of an article has been drawn (posted once per view).

        The main screen waits for it before starting the work that would compete with
        the first frame: importing the detector and opening the store.
        """

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> ArticleView:
            return self.view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.analysis: Analysis | None = None
        self.decisions: dict[int, bool] = {}
        self.highlights: list[Highlight] = []
        self.matches: list[tuple[int, int]] = []
        self.shared: list[tuple[int, int]] = []
        """Spans another article prints too (merged, in order), from the alignment."""
        self._shared_ends: list[int] = []
        self.cursor = 0
        """Cursor position: a character offset into the article text."""
        self.anchor: int | None = None
        """The other end of the selection being made with `v`, or None."""
        self.held: tuple[int, int] | None = None
        """A finished selection (second `v`, or the mouse): fixed while the cursor moves."""
        self._goal_column: int | None = None
        self._line_numbers: list[int] = []
        self._rows: RowMap | None = None
        self._cache: dict[int, Strip] = {}
        self._styles: dict[str, Style] = {}
        self._last_line = -1
        self._syncing = False
        self._painted = False
        self.cursor_moved: Callable[[ArticleView], None] | None = None
        """Called as the cursor moves to another article line, before the frame that
        shows the move is drawn, so the owner's status line (its verdict) changes in
        that same frame. A posted message was handled after it: the status line, which
        says where the cursor is, followed one or two frames (17-33 ms) later."""

    # ---- content -------------------------------------------------------------------

    def show(
        self,
        article: Article | None,
        analysis: Analysis | None = None,
        decisions: Mapping[int, bool] | None = None,
        highlights: Sequence[Highlight] = (),
    ) -> None:
        """Show `article` (None for an empty pane), keeping the cursor when it is the same one."""
        same = article is not None and self.article is not None and article.id == self.article.id
        self.article = article
        self.analysis = analysis
        self.decisions = dict(decisions or {})
        self.highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        if not same:
            self.cursor = 0
            self.anchor = None
            self.matches = []
            self._last_line = -1
            self.scroll_to(0, 0, animate=False, immediate=True)
        self._relayout()

    def update_marks(
        self,
        analysis: Analysis | None,
        decisions: Mapping[int, bool],
        highlights: Sequence[Highlight],
    ) -> None:
        """New verdicts, decisions or annotations for the article already shown."""
        self.analysis = analysis
        self.decisions = dict(decisions)
        self.highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        if self.mode in CONTENT_MODES:
            self._relayout()
        else:
            self._invalidate()

    def set_shared(self, spans: Sequence[tuple[int, int]]) -> None:
        """Mark `spans` (merged, in order) as printed by another article too."""
        spans = list(spans)
        if spans != self.shared:
            self.shared = spans
            self._shared_ends = [end for _, end in spans]
            self._invalidate()

    def watch_mode(self) -> None:
        self._relayout()

    def _shown_lines(self) -> list[int]:
        article = self.article
        if article is None:
            return []
        if self.mode not in CONTENT_MODES or self.analysis is None:
            return list(range(len(article.lines)))
        from reader.export.lines import cleaned_line_numbers

        return cleaned_line_numbers(article, self.analysis, self.decisions)

    def _relayout(self) -> None:
        """Recompute which lines are shown and their rows (at the current width)."""
        self._line_numbers = self._shown_lines()
        self._rows = None
        self._ensure_rows()
        self._clamp_cursor()
        self._invalidate()

    def _text_width(self) -> int:
        """The width rows wrap at; before the view is laid out, none (`UNLAID_WIDTH`)."""
        return self.scrollable_content_region.width or UNLAID_WIDTH

    def _ensure_rows(self) -> RowMap | None:
        if self.article is None:
            self._rows = None
            self._set_rows_size(Size(0, 0))
            return None
        width = self._text_width()
        if self._rows is None or self._rows.width != width:
            self._rows = RowMap(self.article, self._line_numbers, width)
            if width != UNLAID_WIDTH:
                self._set_rows_size(Size(width, len(self._rows)))
            self._cache.clear()
        return self._rows

    def _set_rows_size(self, size: Size) -> None:
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def on_resize(self, event: events.Resize) -> None:
        if self._rows is not None and self._rows.width != self._text_width():
            top_offset = self._rows.rows[min(int(self.scroll_y), len(self._rows) - 1)].start
            self._ensure_rows()
            self._invalidate()
            if self._rows is not None and self._rows.rows:
                self.scroll_to(y=self._rows.row_of(top_offset), animate=False, immediate=True)

    def _get_component_classes(self) -> frozenset[str]:  # type: ignore[override]
        """No component class for the stylesheet to resolve up front.

        Textual resolves every component class of a widget each time it applies the
        stylesheet to it; the view has 35, mostly kinds of boilerplate that no frame
        shows before the detector has run, and resolving them for both columns was a
        fifth of the CSS work before the first frame. So each is resolved on first use
        (`get_component_styles`). Textual calls this whenever it applies the stylesheet
        to the view (a theme, a class changed here or above), so the styles resolved so
        far are dropped then, and resolved again against the new rules.
        """
        if self._component_styles:
            self._component_styles.clear()
            self._styles.clear()
            self._cache.clear()
            self.refresh()
        return frozenset()

    def get_component_styles(self, *names: str) -> RenderStyles:
        """The styles of the component classes `names`, each resolved on first use."""
        declared = DOMNode._get_component_classes.__func__(type(self))  # type: ignore[attr-defined]
        for name in names:
            if name not in self._component_styles and name in declared:
                component = DOMNode(classes=name)
                component._attach(self)
                self.app.stylesheet.apply(component, animate=False)
                self._component_styles[name] = component.styles
        return super().get_component_styles(*names)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def _invalidate(self) -> None:
        self._cache.clear()
        self.refresh()

    def _invalidate_cursor_rows(self, *offsets: int) -> None:
        """Redraw only the rows the cursor left and reached (the row before each too: a
        cursor at the end of a wrapped row is drawn on it), keeping every other row's
        strip: a cursor move changes no other row's look, and scrolling shows rows that
        are still valid."""
        rows = self._rows
        if rows is None or not rows.rows:
            self._invalidate()
            return
        for offset in offsets:
            row = rows.row_of(offset)
            for index in (row - 1, row):
                if index >= 0:
                    self._cache.pop(index, None)
                    self.refresh_line(index)

    # ---- geometry helpers ------------------------------------------------------------

    @property
    def cursor_line(self) -> int:
        """The article line under the cursor."""
        if self.article is None:
            return 0
        return self.article.line_at(self.cursor).number

    def _clamp_cursor(self) -> None:
        rows = self._rows
        if rows is None or not rows.rows:
            self.cursor = 0
            return
        row = rows.rows[rows.row_of(self.cursor)]
        if not row.start <= self.cursor <= row.end:
            self.cursor = row.start

    def move_cursor(self, offset: int, *, select: bool = False, center: bool = False) -> None:
        """Put the cursor at `offset`, scroll it into view and report the line."""
        if self.article is None:
            return
        before, selected = self.cursor, self.selection_range
        self.cursor = min(max(offset, 0), len(self.article.text))
        self._clamp_cursor()
        if not select and not self.has_class("-selecting"):
            self.anchor = None
            self.held = None
        self._scroll_cursor_into_view(center=center)
        if selected is None and self.selection_range is None:
            self._invalidate_cursor_rows(before, self.cursor)
        else:
            self._invalidate()
        line = self.cursor_line
        if line != self._last_line:
            self._last_line = line
            if self.cursor_moved is not None:
                self.cursor_moved(self)

    def _scroll_cursor_into_view(self, *, center: bool = False) -> None:
        rows = self._rows
        if rows is None:
            return
        row = rows.row_of(self.cursor)
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_y)
        if center and not top <= row < top + height:
            self._user_scroll(max(0, row - height // 3))
        elif row < top:
            self._user_scroll(row)
        elif row >= top + height:
            self._user_scroll(row - height + 1)

    def _user_scroll(self, y: int) -> None:
        self.scroll_to(y=y, animate=False, immediate=True)

    def goto_line(self, line: int) -> None:
        """Move the cursor to article line `line` and show it near the top."""
        if self.article is None or not self.article.lines:
            return
        line = min(max(line, 0), len(self.article.lines) - 1)
        self.move_cursor(self.article.lines[line].start, center=True)

    # ---- scroll sync -------------------------------------------------------------------

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if not self._syncing and int(old) != int(new):
            maximum = self.max_scroll_y
            self.post_message(self.Scrolled(self, new / maximum if maximum else 0.0))

    def follow(self, fraction: float) -> None:
        """Scroll to `fraction` of the way down without reporting it (scroll sync)."""
        self.follow_row(round(fraction * self.max_scroll_y))

    def follow_row(self, row: int) -> None:
        """Scroll so that `row` is the top row, without reporting it (aligned sync)."""
        self._syncing = True
        try:
            row = min(max(row, 0), int(self.max_scroll_y))
            self.scroll_to(y=row, animate=False, immediate=True)
        finally:
            self._syncing = False

    def row_of(self, offset: int) -> int | None:
        """The wrapped row showing text offset `offset` (None without rows)."""
        rows = self._ensure_rows()
        if rows is None or not rows.rows:
            return None
        return rows.row_of(offset)

    # ---- actions -----------------------------------------------------------------------

    def _move_rows(self, delta: int) -> None:
        rows = self._rows
        if rows is None or not rows.rows:
            return
        current = rows.row_of(self.cursor)
        if self._goal_column is None:
            self._goal_column = self.cursor - rows.rows[current].start
        goal = self._goal_column
        target = min(max(current + delta, 0), len(rows) - 1)
        row = rows.rows[target]
        limit = row.end - row.start
        wraps_on = target + 1 < len(rows) and rows.rows[target + 1].line == row.line
        if row.end > row.start and wraps_on:
            limit -= 1
        self.move_cursor(row.start + min(goal, max(limit, 0)), select=True)
        self._goal_column = goal

    def action_cursor_up(self) -> None:
        self._move_rows(-1)

    def action_cursor_down(self) -> None:
        self._move_rows(1)

    def action_page_up(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self._user_scroll(max(0, int(self.scroll_y) - height))
        self._move_rows(-height)

    def action_page_down(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self._user_scroll(int(self.scroll_y) + height)
        self._move_rows(height)

    def action_cursor_left(self) -> None:
        self._goal_column = None
        self.move_cursor(self.cursor - 1, select=True)

    def action_cursor_right(self) -> None:
        self._goal_column = None
        self.move_cursor(self.cursor + 1, select=True)

    def action_cursor_home(self) -> None:
        self._goal_column = None
        if self._rows is not None and self._rows.rows:
            self.move_cursor(self._rows.rows[0].start, select=True)

    def action_cursor_end(self) -> None:
        self._goal_column = None
        if self._rows is not None and self._rows.rows:
            self.move_cursor(self._rows.rows[-1].start, select=True)

    def on_focus(self) -> None:
        self._styles.clear()
        self._invalidate()

    def on_blur(self) -> None:
        self._styles.clear()
        self._invalidate()
