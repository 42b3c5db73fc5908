"""The columns pane: two or more article columns side by side.

It owns the columns, which one is current, synchronized scrolling and each column's
view mode, and draws what the book holds for the article each column shows. It posts
`CurrentChanged` when another column becomes current and `ArticleShown` when the
current column shows another article (the screen then follows with its panel and list).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import DescendantFocus
from textual.message import Message
from textual.reactive import reactive

from reader.corpus import Article
from reader.state import Book, TaggedSpan
from reader.widgets.article_list import outlet
from reader.widgets.article_view import MODES, ArticleView, Highlight, tag_class
from reader.widgets.column import ArticleColumn

if TYPE_CHECKING:
    from textual.widget import Widget

    from reader.align.shared import Shared

MAX_COLUMNS = 6


def source_label(article: Article) -> tuple[str, str]:
    """Outlet (URL host or file name), and the URL or, for files, the folder they came from."""
    name = outlet(article)
    if article.url:
        return name, article.url
    parent = Path(article.source.split("#", 1)[0]).parent.name
    return name, f"{parent}/" if parent else ""


def highlight(span: TaggedSpan) -> Highlight:
    """A tagged span as the article view colours it (by its first tag)."""
    return Highlight(span.start, span.end, tag_class(span.tag), span.annotation_id)


class ColumnsPane(Horizontal):
    """The article columns, the current one, and how they scroll and show text."""

    sync_scroll: reactive[bool] = reactive(False)
    """Whether scrolling one column scrolls the others: keeping shared passages level
    where the alignment pairs the two articles, else to the same relative place."""

    class CurrentChanged(Message):
        """Another column became current (by focus)."""

        def __init__(self, column: ArticleColumn, previous: str | None) -> None:
            super().__init__()
            self.column = column
            self.previous = previous
            """The article id the previously current column showed."""

    class ArticleShown(Message):
        """The current column shows another article."""

    def __init__(self, book: Book, *, columns: int = 2, id: str | None = None) -> None:
        super().__init__(id=id)
        self.book = book
        self.initial_columns = max(1, min(columns, MAX_COLUMNS))
        self.current_column: ArticleColumn | None = None
        self._column_ids = 0

    def compose(self) -> ComposeResult:
        for _ in range(self.initial_columns):
            yield self._new_column()

    def on_mount(self) -> None:
        self.current_column = self.columns[0]

    def _new_column(self) -> ArticleColumn:
        self._column_ids += 1
        column = ArticleColumn(id=f"column-{self._column_ids}")
        column.view.cursor_moved = self.show_cursor_verdict
        return column

    @property
    def columns(self) -> list[ArticleColumn]:
        return list(self.query(ArticleColumn))

    def current_view(self) -> ArticleView | None:
        column = self.current_column
        if column is None or not column.is_mounted:
            return None
        return column.view

    def current_article(self) -> Article | None:
        column = self.current_column
        if column is None or column.article_id is None:
            return None
        return self.book.by_id.get(column.article_id)

    # ---- showing articles ------------------------------------------------------------

    def fill_empty_columns(self) -> None:
        for column in self.columns:
            if column.article_id is None:
                self._fill(column)

    def _fill(self, column: ArticleColumn) -> None:
        shown = {c.article_id for c in self.columns}
        for article in self.book.articles:
            if article.id not in shown:
                self.show_article(column, article.id)
                return

    def show_article(self, column: ArticleColumn, article_id: str | None) -> None:
        column.article_id = article_id
        self.refresh_column(column)
        if column is self.current_column:
            self.post_message(self.ArticleShown())

    def refresh_columns(self, article_ids: set[str] | None = None) -> None:
        """Redraw every column (or those showing one of `article_ids`)."""
        for column in self.columns:
            if article_ids is None or column.article_id in article_ids:
                self.refresh_column(column)

    def refresh_column(self, column: ArticleColumn) -> None:
        book = self.book
        article = book.by_id.get(column.article_id or "")
        view = column.view
        if article is None:
            view.show(None)
            column.set_header("(no article)", "", "", view.mode)
            column.set_status(None, None, {})
            return
        analysis = book.analyses.get(article.id)
        decisions = book.decisions(article)
        highlights = [highlight(span) for span in book.tagged_spans(article)]
        alignment = book.alignment
        view.set_shared(alignment.spans(article.id) if alignment is not None else [])
        if view.article is not None and view.article.id == article.id:
            view.update_marks(analysis, decisions, highlights)
        else:
            view.show(article, analysis, decisions, highlights)
        column.set_header(book.title(article), *source_label(article), view.mode)
        self.update_status(column)

    def update_status(self, column: ArticleColumn, extra: str = "") -> None:
        article = self.book.by_id.get(column.article_id or "")
        flags = ["sync"] if self.sync_scroll else []
        if self.book.read_only and self.book.store is not None:
            flags.append("read-only")
        column.set_status(
            article,
            self.book.analyses.get(article.id) if article else None,
            column.view.decisions,
            extra or " ".join(flags),
            self._counterpart_label(column),
        )

    # ---- shared passages ---------------------------------------------------------------

    def counterparts(self, column: ArticleColumn) -> list[Shared]:
        """The shared passages under the column's cursor (else on its line), those in an
        article another column shows first, then by score."""
        alignment = self.book.alignment
        view = column.view
        if alignment is None or view.article is None:
            return []
        article_id = view.article.id
        found = alignment.at(article_id, view.cursor) or sorted(
            alignment.on_line(article_id, view.cursor_line), key=lambda s: -s.score
        )
        shown = {c.article_id for c in self.columns if c is not column}
        return sorted(found, key=lambda s: s.other not in shown)

    def _counterpart_label(self, column: ArticleColumn) -> str:
        found = self.counterparts(column)
        if not found:
            return ""
        best = found[0]
        other = self.book.by_id.get(best.other)
        name = outlet(other) if other is not None else best.other[:8]
        more = f" +{len(found) - 1}" if len(found) > 1 else ""
        return f"≈ {name} {best.score:.0f}{more}"

    def show_counterpart(self, column: ArticleColumn, passage: Shared) -> ArticleColumn:
        """Put the cursor on `passage`'s counterpart: in the column showing that article,
        else in the next column (showing it there); returns that column."""
        others = [c for c in self.columns if c is not column]
        target = next((c for c in others if c.article_id == passage.other), None)
        if target is None:
            columns = self.columns
            target = columns[(columns.index(column) + 1) % len(columns)]
            self.show_article(target, passage.other)
        target.view.move_cursor(passage.other_start, center=True)
        self.focus_view(target.view)
        return target

    def set_mode(self, mode: str) -> None:
        column = self.current_column
        if column is None or mode not in MODES:
            return
        column.view.mode = mode
        self.refresh_column(column)

    def cycle_mode(self) -> None:
        view = self.current_view()
        if view is not None:
            self.set_mode(MODES[(MODES.index(view.mode) + 1) % len(MODES)])

    # ---- adding, removing, moving between columns ------------------------------------

    async def add_column(self) -> None:
        if len(self.columns) >= MAX_COLUMNS:
            self.notify(f"At most {MAX_COLUMNS} columns.", markup=False)
            return
        column = self._new_column()
        await self.mount(column)
        self._fill(column)
        self.focus_view(column.view)

    async def remove_column(self) -> None:
        columns = self.columns
        if len(columns) <= 1 or self.current_column is None:
            self.notify("The last column stays.", markup=False)
            return
        index = columns.index(self.current_column)
        await self.current_column.remove()
        remaining = self.columns
        self.current_column = None
        self.focus_view(remaining[min(index, len(remaining) - 1)].view)

    def focus_column(self, step: int) -> None:
        columns = self.columns
        if not columns:
            return
        index = columns.index(self.current_column) if self.current_column in columns else -1
        if isinstance(self.screen.focused, ArticleView):
            index = (index + step) % len(columns)
        else:
            index = max(index, 0)
        self.focus_view(columns[index].view)

    def focus_view(self, view: ArticleView) -> None:
        """Focus a column's view and make its column the current one now."""
        self.screen.set_focus(view)
        self.make_current(view)

    def step_article(self, step: int, visible: Sequence[str]) -> str | None:
        """Show, in the current column, the article `step` places further along `visible`
        (the list's ids, filtered); articles other columns show are passed over while
        there are others. Returns the id shown, or None."""
        column = self.current_column
        if column is None or not column.is_mounted:
            return None
        if not visible:
            self.notify("No article in the list (is a filter hiding them?).", markup=False)
            return None
        visible = list(visible)
        current = column.article_id
        if current in visible:
            start = visible.index(current)
        else:  # filtered out: start from where it stands in the corpus
            order = {article.id: index for index, article in enumerate(self.book.articles)}
            position = order.get(current or "", -1)
            later = [i for i, ident in enumerate(visible) if order.get(ident, -1) > position]
            start = (later[0] if later else len(visible)) - (1 if step > 0 else 0)
        others = {c.article_id for c in self.columns if c is not column}
        candidates = [
            visible[(start + step * distance) % len(visible)]
            for distance in range(1, len(visible) + 1)
        ]
        target = next((ident for ident in candidates if ident not in others), candidates[0])
        if target == current:
            self.notify("No other article to show.", markup=False)
            return None
        self.show_article(column, target)
        return target

    # ---- search in the current article ---------------------------------------------------

    def search(self, term: str) -> int | None:
        """Mark `term` in the current column and go to the first hit after the cursor;
        how many hits there are (None without an article)."""
        view = self.current_view()
        if view is None or view.article is None:
            return None
        count = view.search(term)
        self._show_match(view, view.match_number)
        return count

    def next_match(self) -> None:
        view = self.current_view()
        if view is not None:
            self._show_match(view, view.next_match())

    def previous_match(self) -> None:
        view = self.current_view()
        if view is not None:
            view.previous_match()

    def _show_match(self, view: ArticleView, number: int | None) -> None:
        column = view.parent
        if number is not None and isinstance(column, ArticleColumn):
            self.update_status(column, f"match {number}/{len(view.matches)}")

    # ---- scrolling and focus -----------------------------------------------------------

    def watch_sync_scroll(self, value: bool) -> None:
        if not self.is_mounted:
            return
        self.notify("Synchronized scrolling " + ("on" if value else "off"), timeout=2)
        for column in self.columns:
            self.update_status(column)
        view = self.current_view()
        if value and view is not None:
            self._follow_all(view)

    def _follow_all(self, source: ArticleView) -> None:
        for column in self.columns:
            if column.view is not source:
                self.follow(source, column.view)

    def follow(self, source: ArticleView, follower: ArticleView) -> None:
        """Scroll `follower` with `source`: the shared passage nearest the upper third of
        `source` is put level in both; with no passage shared, the same fraction."""
        alignment = self.book.alignment
        passages = []
        if alignment is not None and source.article is not None and follower.article:
            passages = alignment.between(source.article.id, follower.article.id)
        top = int(source.scroll_y)
        reading = top + max(1, source.scrollable_content_region.height) // 3
        best: tuple[int, int, int] | None = None
        for passage in passages:
            here, there = source.row_of(passage.start), follower.row_of(passage.other_start)
            if here is None or there is None:
                continue
            distance = abs(here - reading)
            if best is None or distance < best[0]:
                best = (distance, here, there)
        if best is None:
            maximum = source.max_scroll_y
            follower.follow(source.scroll_y / maximum if maximum else 0.0)
            return
        _, here, there = best
        follower.follow_row(there - (here - top))

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self.make_current(event.widget)

    def make_current(self, widget: Widget) -> None:
        """The column of `widget` (an article view) becomes the current one.

        Called as a column's view is given the focus, not only when its focus event is
        handled: keys that arrive together (`w` then `r` in one read of the terminal)
        are handled before that event, and `r` would act on the column left behind."""
        if not isinstance(widget, ArticleView):
            return
        column = widget.parent
        if isinstance(column, ArticleColumn) and column is not self.current_column:
            previous = self.current_column
            self.current_column = column
            for each in self.columns:
                each.set_class(each is column, "-current")
            self.post_message(
                self.CurrentChanged(column, previous.article_id if previous else None)
            )

    def show_cursor_verdict(self, view: ArticleView) -> None:
        """The status line of `view`'s column follows its cursor (called by the view as
        the cursor moves, so both change in one frame)."""
        column = view.parent
        if isinstance(column, ArticleColumn):
            self.update_status(column)

    @on(ArticleView.Scrolled)
    def sync_columns(self, event: ArticleView.Scrolled) -> None:
        if self.sync_scroll:
            self._follow_all(event.view)
