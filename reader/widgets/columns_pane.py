"""The columns pane: two or more article columns side by side.

It owns the columns, which one is current, synchronized scrolling and each column's
view mode, and draws what the book holds for the article each column shows. It posts
`CurrentChanged` when another column becomes current and `ArticleShown` when the
current column shows another article (the screen then follows with its panel and list).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

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
    """Whether scrolling one column scrolls the others to the same relative place."""

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
        return ArticleColumn(id=f"column-{self._column_ids}")

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
        )

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
        self.screen.set_focus(column.view)

    async def remove_column(self) -> None:
        columns = self.columns
        if len(columns) <= 1 or self.current_column is None:
            self.notify("The last column stays.", markup=False)
            return
        index = columns.index(self.current_column)
        await self.current_column.remove()
        remaining = self.columns
        self.current_column = None
        self.screen.set_focus(remaining[min(index, len(remaining) - 1)].view)

    def focus_column(self, step: int) -> None:
        columns = self.columns
        if not columns:
            return
        index = columns.index(self.current_column) if self.current_column in columns else -1
        if isinstance(self.screen.focused, ArticleView):
            index = (index + step) % len(columns)
        else:
            index = max(index, 0)
        self.screen.set_focus(columns[index].view)

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
            maximum = view.max_scroll_y
            fraction = view.scroll_y / maximum if maximum else 0.0
            for column in self.columns:
                if column.view is not view:
                    column.view.follow(fraction)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        widget = event.widget
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

    @on(ArticleView.CursorMoved)
    def show_cursor_verdict(self, event: ArticleView.CursorMoved) -> None:
        column = event.view.parent
        if isinstance(column, ArticleColumn):
            self.update_status(column)

    @on(ArticleView.Scrolled)
    def sync_columns(self, event: ArticleView.Scrolled) -> None:
        if not self.sync_scroll:
            return
        for column in self.columns:
            if column.view is not event.view:
                column.view.follow(event.fraction)
