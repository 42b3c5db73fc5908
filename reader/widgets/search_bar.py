"""The bar that asks for a term to search in the current article."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input

from reader.widgets.text_inputs import CleanInput


class SearchBar(Horizontal):
    """A search box shown on `/`; Enter searches, Esc closes it."""

    class Submitted(Message):
        """Search the current article for `term`."""

        def __init__(self, term: str) -> None:
            super().__init__()
            self.term = term

    class Closed(Message):
        """The bar was closed without searching."""

    def on_mount(self) -> None:
        self.display = False  # until `/`

    def compose(self) -> ComposeResult:
        yield CleanInput(placeholder="search this article (Enter, then n / N)", id="search")

    def open(self, term: str) -> None:
        """Show the bar with `term` (the last one searched) and focus it."""
        self.display = True
        search = self.query_one(Input)
        search.value = term
        search.focus()

    @on(Input.Submitted, "#search")
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.display = False
        self.post_message(self.Submitted(event.value))

    def key_escape(self) -> None:
        if self.display:
            self.display = False
            self.post_message(self.Closed())
