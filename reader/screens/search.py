"""Corpus-wide search: every article's hits for a term, listed; Enter opens one."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader import paths
from reader.corpus import Article, strip_controls
from reader.corpus.text import one_line
from reader.widgets.text_inputs import CleanInput

MAX_HITS = 500
CONTEXT = 40


def flattened(text: str) -> str:
    """`text` on one line (whitespace collapsed, controls stripped), keeping one space at
    either end where it had whitespace, so a hit is quoted exactly as it stands."""
    flat = one_line(text)
    if flat and text[:1].isspace():
        flat = " " + flat
    if flat and text[-1:].isspace():
        flat += " "
    return flat or (" " if text.strip() == "" and text else "")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One occurrence of the term in one article."""

    article_id: str
    start: int
    end: int
    term: str


class CorpusSearch(ModalScreen[SearchHit | None]):
    """Type a term, Enter to search every article, pick a hit."""

    CSS_PATH: ClassVar = [paths.styles_dir() / "dialogs.tcss"]
    """Read when the screen first opens, not before the first frame."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="corpus_search.close"),
    ]

    class Found(Message):
        """Hits from the search worker."""

        def __init__(self, term: str, hits: list[tuple[SearchHit, Content]], total: int) -> None:
            super().__init__()
            self.term = term
            self.hits = hits
            self.total = total

    def __init__(self, articles: Sequence[Article], title: Callable[[Article], str]) -> None:
        super().__init__()
        self.articles = list(articles)
        self.title_of = title
        self.hits: dict[str, SearchHit] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog"):
            yield CleanInput(placeholder="search every article, then Enter", id="corpus-term")
            yield Static(Content(""), id="corpus-count", markup=False)
            yield OptionList(id="corpus-hits")

    @on(Input.Submitted, "#corpus-term")
    def start_search(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.query_one("#corpus-count", Static).update(Content("Searching…"))
            self.search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="corpus-search")
    def search(self, term: str) -> None:
        pattern = re.compile(re.escape(term), re.IGNORECASE)
        found: list[tuple[SearchHit, Content]] = []
        total = 0
        for article in self.articles:
            for match in pattern.finditer(article.text):
                total += 1
                if len(found) >= MAX_HITS:
                    continue
                hit = SearchHit(article.id, match.start(), match.end(), term)
                found.append((hit, self._prompt(article, match.start(), match.end())))
        self.post_message(self.Found(term, found, total))

    def _prompt(self, article: Article, start: int, end: int) -> Content:
        text = article.text
        before = flattened(text[max(0, start - CONTEXT) : start])
        after = flattened(text[end : end + CONTEXT])
        title = strip_controls(self.title_of(article))[:80]
        line = article.line_at(start).number + 1
        return Content.assemble(
            (title, "bold"),
            (f"  L{line}", "dim"),
            "\n…",
            before,
            (flattened(text[start:end]), "reverse"),
            after + "…",
        )

    @on(Found)
    def show_hits(self, event: Found) -> None:
        hits = self.query_one("#corpus-hits", OptionList)
        self.hits = {}
        options = []
        for index, (hit, prompt) in enumerate(event.hits):
            ident = f"hit-{index}"
            self.hits[ident] = hit
            options.append(Option(prompt, id=ident))
        hits.set_options(options)
        shown = f" (first {len(options)} listed)" if event.total > len(options) else ""
        articles = len({hit.article_id for hit, _ in event.hits})
        self.query_one("#corpus-count", Static).update(
            Content(f"{event.total} hit(s) in {articles} article(s){shown}")
        )
        if options:
            hits.highlighted = 0
            hits.focus()

    @on(OptionList.OptionSelected, "#corpus-hits")
    def open_hit(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits.get(event.option.id or ""))
