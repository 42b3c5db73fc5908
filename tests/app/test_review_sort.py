"""`o` (disagreements first) sorts the queue in a worker: the queue on screen stays, and
answers keys, until the sorted one comes; a sort made stale by a change is asked again."""

from __future__ import annotations

from pathlib import Path

from helpers.pilot import settle
from helpers.review_support import USER, corpus_articles, on_quote, review_app, write_corpus

from annotations.review import Order, QueueFilter
from annotations.store import AnnotationStore
from reader.screens.review import ReviewScreen
from reader.screens.review_workers import QueueSorted
from reader.widgets.review_queue import QueueList

# ana and bo tag "approved the budget" differently (a disagreement); chloe and ana agree
# on "The mayor"; the newest annotations are the agreeing ones, so the orders differ.
SEEDS = [
    ("approved the budget", "ana", ["claim"]),
    ("approved the budget", "bo", ["quote"]),
    ("The mayor", "chloe", ["person"]),
    ("The mayor", "ana", ["person"]),
    ("six-hour debate", "bo", ["detail"]),
]


def seed(db_path: Path, corpus: Path) -> None:
    council = corpus_articles(corpus)["council"]
    AnnotationStore.open(db_path).add_many(
        on_quote(council, quote, author, number, tags=tags)
        for number, (quote, author, tags) in enumerate(SEEDS)
    )


def review_screen(app) -> ReviewScreen:  # type: ignore[no-untyped-def]
    return next(s for s in app.screen_stack if isinstance(s, ReviewScreen))


def disagreements_first(screen: ReviewScreen) -> list[str]:
    """The order the domain gives, computed here from the screen's own index."""
    queue = screen.index.queue(USER, queue_filter=QueueFilter(), order=Order.DISAGREEMENTS)
    return [a.id for a in queue.items.annotations]


async def test_the_queue_stays_until_the_sorting_worker_hands_over(
    tmp_path: Path, db_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    seed(db_path, corpus)
    handled: list[QueueSorted] = []

    def hook(message: object) -> None:
        if isinstance(message, QueueSorted):
            handled.append(message)

    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 30), message_hook=hook) as pilot:
        await settle(pilot)
        screen = review_screen(app)
        newest = [a.id for a in screen.items.annotations]
        assert newest != disagreements_first(screen)
        # Called from the event loop without yielding to it: had the sort run here, the
        # queue would already be in its new order.
        screen.action_toggle_order()
        assert screen.sorting
        assert [a.id for a in screen.items.annotations] == newest
        title = str(screen.query_one("#review-queue-title").render())
        assert "newest first · sorting disagreements first…" in title
        await pilot.press("down")  # the old queue still answers
        assert screen.query_one("#review-queue", QueueList).highlighted in (0, 1)
        await settle(pilot)
        assert [m.queue_for[1] for m in handled] == [Order.DISAGREEMENTS]
        assert not screen.sorting
        assert [a.id for a in screen.items.annotations] == disagreements_first(screen)
        assert screen.items[0].disagreement
        title = str(screen.query_one("#review-queue-title").render())
        assert "disagreements first" in title and "sorting" not in title
        # And back: newest first is a sort by key, done at once.
        await pilot.press("o")
        assert not screen.sorting
        assert [a.id for a in screen.items.annotations] == newest


async def test_a_sort_made_stale_by_a_saved_change_is_asked_again(
    tmp_path: Path, db_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    seed(db_path, corpus)
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = review_screen(app)
        await pilot.press("o")
        await settle(pilot)
        generation = screen.book.generation
        # A sort of the index as it was, arriving after bo's annotation was deleted...
        stale = screen.index.copy().queue(USER, queue_filter=QueueFilter(),
                                          order=Order.DISAGREEMENTS)
        bo = next(a for a in screen.items.annotations if a.author == "bo" and "quote" in a.tags)
        screen.book.review_index.remove(bo.id)
        screen.book.generation += 1  # as `Book.adopt` counts a saved change
        screen.post_message(QueueSorted(stale, (QueueFilter(), Order.DISAGREEMENTS), False,
                                        generation))
        await settle(pilot)
        # ...is not shown: the screen sorts again, without the deleted annotation.
        shown = [a.id for a in screen.items.annotations]
        assert bo.id not in shown
        assert shown == disagreements_first(screen)
