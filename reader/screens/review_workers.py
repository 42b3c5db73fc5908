"""The review screen's thread workers: reading and indexing what review needs (the first
queue page first, the detector's verdicts for curation after it), and agreement. They
do the blocking work of `reader.state.review` and only post messages; the screen's
handlers adopt the results.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from annotations.model import Annotation
from annotations.review import NewestFirst, Order, QueueFilter, ReviewIndex, ReviewQueue
from reader.state import Book
from reader.state.review import Locator, ReviewData, curation_analyses, load_first_page

if TYPE_CHECKING:
    from reader.corpus.model import Article


FIRST_PAGE_WAIT = 5.0
"""Seconds the loader waits at most for the first page to be drawn before it goes on
with what can come after it (it would otherwise take turns with the drawing)."""


@dataclass
class LoadedReview(Message):
    """The corpus and annotations are read and indexed (posted by the loading worker)."""

    data: ReviewData
    queue: ReviewQueue
    """The first queue, built in the worker for `queue_for` = (filter, order)."""
    queue_for: tuple[QueueFilter, Order]


@dataclass
class AnalysesLoaded(Message):
    """The detector's verdicts the curation view suggests (posted after `LoadedReview`)."""

    analyses: dict[str, Any]


@dataclass
class QueueSorted(Message, bubble=False):
    """A queue sorted by the sorting worker, on a copy of the index taken when asked."""

    queue: ReviewQueue
    """Its items read the copy: the screen shows them from its own index."""
    queue_for: tuple[QueueFilter, Order]
    keep: bool
    """Keep the highlighted annotation (else start from the top)."""
    generation: int
    """The book's generation when the copy was taken (a change since makes it stale)."""


@dataclass
class StatsReady(Message):
    report: Any


class ReviewWorkers:
    """Mixed into `ReviewScreen`, which provides these attributes and `post_message`."""

    book: Book
    inputs: list[str]
    max_file_bytes: int
    stdin_data: bytes | None
    queue_filter: QueueFilter
    order: Order
    locator: Locator
    first_page_shown: threading.Event
    """Set once the first page of the queue has been drawn (the loader waits for it)."""

    if TYPE_CHECKING:

        @property
        def user(self) -> str: ...

        def post_message(self, message: Message) -> bool: ...

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-load",
          description="load the review")
    def load_review(
        self,
        articles: list[Article],
        annotations: list[Annotation] | None,
        analysed: list[str],
    ) -> None:
        """Read what the book lacks (the corpus, the store), index it, build the queue;
        then, once the first page is drawn, sort the rest of the queue, group the
        annotations by article for the book and run the detector for the curation view."""
        wanted = (self.queue_filter, self.order)
        data, queue = load_first_page(
            self.inputs, self.book.db_path, self.max_file_bytes, self.user, wanted,
            articles=articles, annotations=annotations, analysed=analysed,
            stdin_data=self.stdin_data,
        )
        self.post_message(LoadedReview(data, queue, wanted))
        worker = get_current_worker()
        deadline = time.monotonic() + FIRST_PAGE_WAIT
        while not self.first_page_shown.wait(0.05) and time.monotonic() < deadline:
            if worker.is_cancelled:
                return
        if worker.is_cancelled:
            return
        if isinstance(queue.items.ids, NewestFirst):
            queue.items.ids.complete()  # the rest of the queue in order
        if data.annotations is not None:
            data.annotations.by_article().prepare()  # the book's lists, grouped here
        stored = data.annotations if data.annotations is not None else annotations or []
        self.post_message(AnalysesLoaded(curation_analyses(data.index.locate, stored, analysed)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-sort",
          description="sort the review queue")
    def sort_queue(
        self, index: ReviewIndex, wanted: tuple[QueueFilter, Order], keep: bool, generation: int
    ) -> None:
        """Build the queue for `wanted` = (filter, order) from `index`, a copy nobody else
        changes (disagreements first counts overlaps for every queued annotation: about a
        second at 100,000, which the UI thread does not wait for)."""
        queue = index.queue(
            self.user,
            known_articles=self.locator.known_in(index),
            queue_filter=wanted[0],
            order=wanted[1],
        )
        if not get_current_worker().is_cancelled:
            self.post_message(QueueSorted(queue, wanted, keep, generation))

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-stats")
    def compute_stats(self) -> None:
        from annotations.review_stats import build_report

        articles = self.locator.articles or None
        self.post_message(StatsReady(build_report(self.book.all_annotations(), articles)))
