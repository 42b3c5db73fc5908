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


def seed_many(db_path: Path, corpus: Path, count: int = COUNT) -> None:
    council = corpus_articles(corpus)["council"]
    made = [
        on_quote(council, QUOTES[n % len(QUOTES)], ("ana", "bo", "chloe")[n % 3], n,
                 tags=[f"tag{n % 7}"])
        for n in range(count)
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


async def test_items_past_the_first_page_are_built_when_scrolled_to(
    tmp_path: Path, db_path: Path
) -> None:
    """Opened from the store, review builds annotations as it shows them: scrolled past
    the first page (`FIRST_PAGE` ids are ordered before the rest), the rows hold the
    annotations newest first, with what others did on the same span, and a verdict
    there is saved on the annotation shown."""
    from helpers.review_support import fixed

    from annotations.anchoring import make_target
    from annotations.lazy import ArticleAnnotations
    from annotations.model import Annotation, Motivation, order_key
    from annotations.review import FIRST_PAGE, same_span
    from reader.state.review import Locator

    corpus = write_corpus(tmp_path / "corpus")
    council = corpus_articles(corpus)["council"]
    body = council.text.index("The city council")
    made = []
    for n in range(COUNT + FIRST_PAGE):  # short spans all along the body: few overlap
        start = body + (n * 7) % 190
        made.append(fixed(Annotation.create(
            article_id=council.id, source_hint=council.source, author=("ana", "bo")[n % 2],
            motivation=Motivation.TAGGING, target=make_target(council.text, start, start + 4),
            tags=[f"tag{n % 7}"]), n))
    AnnotationStore.open(db_path).add_many(made)
    stored = AnnotationStore.open(db_path).all()
    newest = sorted(stored, key=order_key, reverse=True)
    locator = Locator(corpus_articles(corpus).values())
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = next(s for s in app.screen_stack if isinstance(s, ReviewScreen))
        queue = screen.query_one("#review-queue", QueueList)
        lazy = screen.index.stored
        assert isinstance(screen.book.annotations, ArticleAnnotations)
        assert screen.book.annotations.built == 0
        shown = lazy.built
        assert 0 < shown < len(stored)  # the first page and its neighbours
        row = FIRST_PAGE + 37
        queue.highlighted = row
        await settle(pilot)
        assert lazy.built > shown
        item = screen.items[row]
        assert item.annotation == newest[row] == screen.items.annotations[row]
        assert item.others == tuple(same_span(newest[row], stored, locator)) != ()
        top = queue.scroll_offset.y
        assert f"“{item.annotation.target.exact}" in queue.render_line(row - top).text
        await pilot.press("a")
        await settle(pilot)
    verdicts = [a for a in AnnotationStore.open(db_path).all()
                if a.motivation is Motivation.ASSESSING]
    assert [(v.refers_to, v.decision) for v in verdicts] == [(newest[row].id, "accept")]
