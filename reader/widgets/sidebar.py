"""The reader's sidebar: the list filter, the article list and the progress line."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from reader.widgets.article_list import ArticleList
from reader.widgets.progress_line import ProgressLine
from reader.widgets.text_inputs import CleanInput

FILTER_SCOPE = "titles, files, #tags, @authors; F searches the text"
"""What the list filter looks at, said while it hides articles (body text is `F`'s job)."""


class Sidebar(Vertical):
    """Filter box, article list, and what is loading, detecting or exporting."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._status = "Loading…"
        """The progress line without the filter's count."""
        self._shown_length = 0
        """How many cells the progress line took when last drawn (0: not drawn yet)."""

    def compose(self) -> ComposeResult:
        yield CleanInput(placeholder="filter: words #tag @author", id="filter")
        yield ArticleList(id="articles")
        # The bar's row is blank until there is a total to show; above the line that
        # says what is loading, which stays level with the columns' status rows.
        yield ProgressLine(id="progress")
        yield Static(Content("Loading…"), id="progress-label", markup=False)

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    def progress_bar(self) -> ProgressLine:
        """The bar under the progress line, blank until there is a total to show
        (detection, an export)."""
        return self.query_one("#progress", ProgressLine)

    def show_progress(self, label: str, done: int | None = None, total: int = 1) -> None:
        """The progress line, and its bar (blank when `done` is None); nothing once
        the sidebar is being taken down (a quit while loading or detecting)."""
        if not self.is_attached:
            return
        self.set_label(label)
        bar = self.progress_bar()
        bar.show(done is not None)
        if done is not None:
            bar.update(total=total, progress=done)

    def set_label(self, label: str) -> None:
        """The progress line alone (the bar keeps what it shows)."""
        self._status = label
        self._show_status()

    def _show_status(self) -> None:
        """The progress line, led by "N of M articles" while the filter is in use."""
        articles = self.article_list
        label = self._status
        if articles.filter.active:
            total = len(articles.entries)
            noun = "article" if total == 1 else "articles"
            counted = f"{articles.option_count} of {total} {noun} ({FILTER_SCOPE})"
            # The idle line is the bare count, which the filter's count replaces.
            label = counted if label == f"{total} {noun}" else f"{counted} · {label}"
        widget = self.query_one("#progress-label", Static)
        content = Content(label)
        # A label that stays on one line keeps its height: no layout of the screen,
        # which matters while "Loading… N articles" changes several times a second.
        width = widget.content_region.width
        one_line = 0 < content.cell_length <= width and self._shown_length <= width
        self._shown_length = content.cell_length
        widget.update(content, layout=not one_line)

    def advance(self, done: int, total: int) -> None:
        if self.is_attached:
            self.progress_bar().update(total=total, progress=done)

    def focus_filter(self) -> None:
        self.display = True
        self.query_one("#filter", Input).focus()

    def apply_filter(self, text: str) -> None:
        """Filter the list with `text`, shown in the box as if typed."""
        self.display = True
        self.query_one("#filter", Input).value = text
        self.article_list.set_filter(text)
        self._show_status()

    @on(Input.Changed, "#filter")
    def filter_list(self, event: Input.Changed) -> None:
        self.article_list.set_filter(event.value)
        self._show_status()

    @on(Input.Submitted, "#filter")
    def leave_filter(self) -> None:
        self.article_list.focus()

    def key_escape(self) -> None:
        """Esc in the filter box goes back to the list (the filter stays applied)."""
        if self.query_one("#filter", Input).has_focus:
            self.leave_filter()
