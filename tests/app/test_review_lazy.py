"""The review screen shows its first page before it has built every queue item."""

from __future__ import annotations

from pathlib import Path

from helpers.pilot import settle
from helpers.review_support import corpus_articles, on_quote, review_app, write_corpus

from annotations.store import AnnotationStore
from reader.screens.review import ReviewScreen
from reader.widgets.review_queue import QueueList

QUOTES = ["approved the budget", "council approved", "The mayor", "six-hour debate"]
COUNT = 300


def seed_many(db_path: Path, corpus: Path) -> None:
    council = corpus_articles(corpus)["council"]
    made = [
        on_quote(council, QUOTES[n % len(QUOTES)], ("ana", "bo", "chloe")[n % 3], n,
                 tags=[f"tag{n % 7}"])
        for n in range(COUNT)
    ]
    AnnotationStore.open(db_path).add_many(made)


async def test_the_first_page_is_shown_before_every_item_is_built(
    tmp_path: Path, db_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    seed_many(db_path, corpus)
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = next(s for s in app.screen_stack if isinstance(s, ReviewScreen))
        queue = screen.query_one("#review-queue", QueueList)
        items = screen.items
        assert len(items) == COUNT
        newest = items.annotations[0]
        assert newest.author in queue.render_line(0).text
        # What is drawn (one page) and the item shown in the detail pane, not the rest.
        assert 0 < items.built <= queue.size.height + 1 < COUNT
        title = screen.query_one("#review-queue-title").render()
        assert f"{COUNT} annotations by others · {COUNT} unreviewed" in str(title)
        await pilot.press("end")
        await settle(pilot)
        last = items.annotations[-1]
        assert queue.highlighted == COUNT - 1
        assert items[COUNT - 1].annotation is last
        assert items.built < COUNT
