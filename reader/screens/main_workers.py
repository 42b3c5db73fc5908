"""The main screen's thread workers: loading the corpus, running the detector, opening
the store. They get their inputs from the screen, do the blocking work of
`reader.state.loading` and only post messages; the screen's handlers adopt the results.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from reader import messages
from reader.corpus import Article
from reader.state import Book
from reader.state.loading import (
    BatchDrawn,
    FirstBatch,
    article_titles,
    batches,
    detect_steps,
    read_store,
)


class MainWorkers:
    """Mixed into `MainScreen`, which provides these attributes and `post_message`."""

    book: Book
    inputs: list[str]
    max_file_bytes: int
    stdin_data: bytes | None
    first_paint: threading.Event
    initial_columns: int

    if TYPE_CHECKING:

        def post_message(self, message: Message) -> bool: ...

    @work(thread=True, exclusive=True, exit_on_error=False, group="corpus",
          description="load the corpus")
    def load_corpus(self, first: FirstBatch, drawn: BatchDrawn) -> None:
        """Load the corpus in batches (posted as `CorpusProgress`).

        The columns' articles are handed over as soon as they are read (to `on_mount`
        while it still waits for them, else in a message), and the rest wait until the
        first frame is drawn (`first_paint`), so it does not share the GIL with loading. After
        each batch posted, reading waits until the screen has drawn it (`drawn`).
        """
        worker = get_current_worker()

        def first_drawn() -> bool:
            while not self.first_paint.wait(0.1):
                if worker.is_cancelled:
                    return False
            return True

        for batch in batches(
            self.inputs,
            self.max_file_bytes,
            after_first=first_drawn,
            cancelled=lambda: worker.is_cancelled,
            gate=self.book.input,
            stdin_data=self.stdin_data,
            fill=self.initial_columns,
            drawn=drawn,
        ):
            if first is not None:
                if first.offer(batch):
                    continue
                first = None
            self.post_message(
                messages.CorpusProgress(batch.articles, batch.problems, batch.loaded, batch.done)
            )

    @work(thread=True, exclusive=True, exit_on_error=False, group="detect",
          description="detect the corpus")
    def detect_articles(self, articles: list[Article]) -> None:
        """Run the detector over the whole corpus (started after the first paint): one
        article at a time, stopping between two once cancelled (`detect_steps`)."""
        worker = get_current_worker()
        steps = detect_steps(articles, cancelled=lambda: worker.is_cancelled, gate=self.book.input)
        for done, found in steps:
            titles = article_titles(articles, found) if found else {}
            self.post_message(messages.AnalysesReady(found or {}, done, len(articles), titles))

    @work(thread=True, exclusive=True, exit_on_error=False, group="store-open")
    def open_annotation_store(self) -> None:
        """Open and read the database (started after the first paint)."""
        store, found, read_only, message = read_store(self.book.db_path)
        self.post_message(messages.StoreOpened(store, found, read_only, message))
