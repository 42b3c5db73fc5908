"""What the reader does with the passages articles share: the alignment worker, and
the keys that jump to a passage's counterpart or save the pair as annotations.

The main screen starts an `Aligner` once the detector has run and the store has been
read (the user's decisions count: removed lines are never aligned), and again when a
saved change alters decisions. The worker reads what the disk cache knows
(`reader.align.cache`) and aligns the rest; the screen adopts the result in the book,
and the columns and the list redraw from it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from reader import messages
from reader.screens.saving import request_save
from reader.state import READER

if TYPE_CHECKING:
    from pathlib import Path

    from reader.align import Alignment
    from reader.screens.main import MainScreen
    from reader.state import Book, Change


def align_in_worker(items: list, cache_dir: Path | None) -> Alignment:
    """The blocking part (run in a thread worker, which also imports the aligner): the
    corpus's alignment, cached in `cache_dir`."""
    from reader.align import AlignmentCache, align_cached
    from reader.align.cache import CACHE_FILE

    articles = [article for article, _, _ in items]
    analyses = [analysis for _, analysis, _ in items]
    decisions = [decided for _, _, decided in items]
    cache = AlignmentCache(cache_dir / CACHE_FILE) if cache_dir is not None else None
    return align_cached(articles, analyses, decisions, cache)


class Aligner:
    """The main screen's alignment: when it is computed, and the keys that use it."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    @property
    def book(self) -> Book:
        return self.screen.book

    def ready(self) -> bool:
        """Whether every article is loaded and detected and the store has been read."""
        book = self.book
        if not (book.corpus_done and book.opened and book.articles):
            return False
        return all(article.id in book.analyses for article in book.articles)

    def start(self) -> None:
        """Align the corpus in a worker (a running alignment is replaced)."""
        if not self.ready():
            return
        from reader.paths import cache_dir

        book = self.book
        items = [(a, book.analyses[a.id], book.decisions(a)) for a in book.articles]
        work = partial(self._run, items, cache_dir())
        # Described: else Textual describes the worker by the repr of the whole corpus.
        self.screen.run_worker(
            work, name="align", description=f"align {len(items)} articles", thread=True,
            exclusive=True, group="align", exit_on_error=False,
        )  # fmt: skip

    def _run(self, items: list, directory: Path) -> None:
        self.screen.post_message(messages.AlignmentReady(align_in_worker(items, directory)))

    def changes_content(self, change: Change) -> bool:
        """Whether a saved change adds, removes or alters line decisions."""
        from annotations.model import Motivation

        touched = (*change.added, *change.removed, *change.after, *change.before)
        return any(a.motivation is Motivation.EDITING for a in touched)

    def adopt(self, alignment: Alignment) -> None:
        """Keep the alignment in the book and redraw the columns and the list."""
        self.book.alignment = alignment
        self.screen.pane.refresh_columns()
        self.show_similarity()

    def show_similarity(self) -> None:
        """The list's figures for the focused article (and the near-duplicates)."""
        alignment = self.book.alignment
        if alignment is None:
            return
        article = self.screen.current_article()
        figures = alignment.similar_to(article.id) if article is not None else {}
        self.screen.article_list.show_similarity(figures, alignment.near_duplicates())

    # ---- keys --------------------------------------------------------------------------

    def _passage(self):
        pane = self.screen.pane
        column = pane.current_column
        if self.book.alignment is None:
            self.screen.notify("Shared passages are still being found.", markup=False)
            return None, None
        if column is None:
            return None, None
        found = pane.counterparts(column)
        if not found:
            self.screen.notify("No other article prints this passage.", markup=False)
            return column, None
        return column, found[0]

    def jump(self) -> None:
        """Go to the counterpart of the passage under the cursor, in another column."""
        column, passage = self._passage()
        if column is not None and passage is not None:
            self.screen.pane.show_counterpart(column, passage)

    def link(self) -> None:
        """Save the passage under the cursor and its counterpart as a linked pair."""
        column, passage = self._passage()
        if column is None or passage is None:
            return
        book = self.book
        article, other = book.by_id.get(column.article_id or ""), book.by_id.get(passage.other)
        if article is None or other is None:
            return
        change = book.link(
            article, (passage.start, passage.end), other, (passage.other_start, passage.other_end)
        )
        request_save(self.screen, book, change, READER)
