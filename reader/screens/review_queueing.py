"""What the review queue shows and in what order: the queue rebuilt for the filter and
order (newest first at once, disagreements first by the sorting worker while the old
queue stays usable), saved changes shown in place, the queue's title and prompts.
Mixed into `ReviewScreen`, which composes the queue and routes its messages here.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from annotations.model import Annotation, Motivation
from annotations.review import Order, QueueFilter, QueueItems, ReviewItem, ReviewQueue
from reader.screens.review_workers import QueueSorted
from reader.state import Book, Change
from reader.state.review import Locator
from reader.widgets.review_content import queue_prompt, queue_title
from reader.widgets.review_queue import QueueList

if TYPE_CHECKING:
    from textual.css.query import QueryType
    from textual.worker import WorkerManager

    from annotations.review import ReviewIndex


class ReviewQueueing:
    """Mixed into `ReviewScreen`, which provides these attributes and the Screen API."""

    book: Book
    locator: Locator
    loaded: bool
    order: Order
    shown_order: Order
    sorting: bool
    queue_filter: QueueFilter
    items: QueueItems
    unknown_articles: list[str]
    _hidden_decisions: int
    _title_rows: int

    if TYPE_CHECKING:
        workers: WorkerManager

        @property
        def user(self) -> str: ...

        @property
        def index(self) -> ReviewIndex: ...

        def query_one(self, selector: str, expect_type: type[QueryType], /) -> QueryType: ...

        def show_item(self, item: ReviewItem | None) -> None: ...

        def sort_queue(self, index: ReviewIndex, wanted: tuple[QueueFilter, Order],
                       keep: bool, generation: int) -> None: ...

    def request_queue(self, *, keep: bool = True) -> None:
        """Rebuild the queue for the filter and order now: at once for newest first (a sort
        by key), else in a worker on a copy of the index (disagreements first counts the
        overlaps of every queued annotation, about a second at 100,000); the queue on
        screen stays, and answers keys, until the sorted one comes (`adopt_sorted`)."""
        if not self.loaded:
            return
        if self.order is Order.NEWEST:
            if self.sorting:
                self.workers.cancel_group(self, "review-sort")
                self.sorting = False
            self.shown_order = self.order
            self.rebuild_queue(keep=keep)
            return
        self.sorting = True
        self.sort_queue(self.index.copy(), (self.queue_filter, self.order), keep,
                        self.book.generation)
        self._update_title()

    def show_sorted(self, event: QueueSorted) -> None:
        """Show a queue the worker sorted, if it is still the one wanted (else wait for the
        next; a change saved meanwhile asks again)."""
        if event.queue_for != (self.queue_filter, self.order):
            return
        if event.generation != self.book.generation:
            self.request_queue(keep=event.keep)
            return
        self.sorting = False
        self.shown_order = event.queue_for[1]
        sorted_items = event.queue.items
        items = QueueItems(self.index, sorted_items.ids, sorted_items.known_articles)
        self.rebuild_queue(keep=event.keep, queue=ReviewQueue(
            items, event.queue.unknown_articles, event.queue.hidden_decisions))

    def rebuild_queue(self, *, keep: bool = True, queue: ReviewQueue | None = None) -> None:
        """Recompute the queue (or show `queue`, just built for the current filter and
        order), keeping the highlighted annotation (or position) when `keep`, else starting
        from the top (a new order or filter)."""
        queue_list = self.query_one("#review-queue", QueueList)
        current = self.current_item() if keep else None
        position = (queue_list.highlighted or 0) if keep else 0
        index = self.index
        queue = queue or index.queue(
            self.user,
            known_articles=self.locator.known_in(index),
            queue_filter=self.queue_filter,
            order=self.order,
        )
        self.items = queue.items
        self.unknown_articles = queue.unknown_articles
        self._hidden_decisions = queue.hidden_decisions
        if current is not None and current.annotation.id in index.fields:
            with suppress(ValueError):  # not in the new queue: keep the row number
                position = self.items.ids.index(current.annotation.id)
        queue_list.set_items(self.items, min(position, len(self.items) - 1))
        self._update_title()
        self.show_item(self.current_item())

    def refresh_after(self, change: Change) -> None:
        """Show a saved change: verdicts and replies update their items in place, so an
        accept costs the same at 10 or 10,000 annotations; anything else rebuilds."""
        from annotations.curation import CURATED_AUTHOR

        touched = [*change.added, *change.removed, *change.before, *change.after]
        if all(a.author == CURATED_AUTHOR for a in touched):
            return  # curation only: the queue never shows the curated author
        responses = (Motivation.ASSESSING, Motivation.REPLYING)
        if self.queue_filter.status is not None or not all(
            a.motivation in responses for a in touched
        ):
            self.request_queue()
            return
        queue_list = self.query_one("#review-queue", QueueList)
        index = self.index
        for root in {a.refers_to for a in touched if a.refers_to}:
            for row in self.items.built_at(root):  # the rest is built as it now stands
                item = self.items[row]
                self.items[row] = index.item(item.annotation, item.known_article)
                queue_list.refresh_item(row)
        self._update_title()
        self.show_item(self.current_item())

    def _update_title(self) -> None:
        content = queue_title(self.items, self.shown_order, self._hidden_decisions,
                              self.queue_filter, len(self.unknown_articles))
        if self.sorting:
            content = Content.assemble(content, f" · sorting {self.order} first…")
        title = self.query_one("#review-queue-title", Static)
        rows = len(content.wrap(title.content_region.width)) if title.size.width else 0
        title.update(content, layout=rows != self._title_rows or not rows)
        self._title_rows = rows

    def _prompt(self, item: ReviewItem) -> Content:
        return queue_prompt(item, self._article_name(item.annotation))

    def _article_name(self, annotation: Annotation) -> str:
        article = self.locator.article_for(annotation)
        if article is None:
            return f"unknown article {annotation.article_id[:8]}"
        return article.name

    def current_item(self) -> ReviewItem | None:
        queue_list = self.query_one("#review-queue", QueueList)
        index = queue_list.highlighted
        if index is None or not 0 <= index < len(self.items):
            return None
        return self.items[index]
