"""The reader's sidebar: the list filter, the article list and the progress line."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, ProgressBar, Static

from reader.widgets.article_list import ArticleList


class Sidebar(Vertical):
    """Filter box, article list, and what is loading, detecting or exporting."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: words #tag @author", id="filter")
        yield ArticleList(id="articles")
        yield Static(Content("Loading…"), id="progress-label", markup=False)
        yield ProgressBar(id="progress", show_eta=False)

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    def show_progress(self, label: str, done: int | None = None, total: int = 1) -> None:
        """The progress line, and its bar (hidden when `done` is None)."""
        self.query_one("#progress-label", Static).update(Content(label))
        bar = self.query_one(ProgressBar)
        bar.display = done is not None
        if done is not None:
            bar.update(total=total, progress=done)

    def set_label(self, label: str) -> None:
        """The progress line alone (the bar keeps what it shows)."""
        self.query_one("#progress-label", Static).update(Content(label))

    def advance(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)

    def focus_filter(self) -> None:
        self.display = True
        self.query_one("#filter", Input).focus()

    def apply_filter(self, text: str) -> None:
        """Filter the list with `text`, shown in the box as if typed."""
        self.display = True
        self.query_one("#filter", Input).value = text
        self.article_list.set_filter(text)

    @on(Input.Changed, "#filter")
    def filter_list(self, event: Input.Changed) -> None:
        self.article_list.set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def leave_filter(self) -> None:
        self.article_list.focus()
