"""Pilot tests of the review flow, asserting on the real database in tmp_path."""

from __future__ import annotations

from pathlib import Path

from helpers.pilot import settle
from helpers.review_support import USER, corpus_articles, review_app
from textual.widgets import DataTable, TextArea

from annotations.curation import CURATED_AUTHOR, curated_decisions
from annotations.model import Motivation
from annotations.store import AnnotationStore
from reader.app import make_app
from reader.screens.curation import CurationScreen
from reader.screens.review import ReviewScreen
from reader.widgets.review_detail import DetailView
from reader.widgets.review_queue import QueueList


def mine(db_path: Path) -> list:
    return [a for a in AnnotationStore.open(db_path, read_only=True).all() if a.author == USER]


def review_screen(app) -> ReviewScreen:
    return next(s for s in app.screen_stack if isinstance(s, ReviewScreen))


async def test_accept_then_reject_then_undo(corpus: Path, db_path: Path, seeded: dict) -> None:
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = review_screen(app)
        assert [i.annotation.id for i in screen.items] == [
            seeded["bo_harbour"].id, seeded["ana_mayor"].id,
            seeded["bo_budget"].id, seeded["ana_budget"].id,
        ]
        await pilot.press("a")
        await settle(pilot)
        (verdict,) = mine(db_path)
        assert (verdict.motivation, verdict.decision, verdict.refers_to) == (
            Motivation.ASSESSING, "accept", seeded["bo_harbour"].id
        )
        # Accepting moved to the next item: reject it.
        await pilot.press("r")
        await settle(pilot)
        rejected = [a for a in mine(db_path) if a.decision == "reject"]
        assert [a.refers_to for a in rejected] == [seeded["ana_mayor"].id]
        await pilot.press("u")
        await settle(pilot)
        assert [a.decision for a in mine(db_path)] == ["accept"]
        await pilot.press("u")
        await settle(pilot)
        assert mine(db_path) == []


async def test_edit_is_an_accept_with_new_tags_and_note(
    corpus: Path, db_path: Path, seeded: dict
) -> None:
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        tags = editor.query_one("#editor-tags")
        tags.value = "infrastructure, harbour"
        editor.query_one("#editor-note", TextArea).text = "Source checked."
        await pilot.press("ctrl+s")
        await settle(pilot)
        (verdict,) = mine(db_path)
        assert verdict.decision == "accept" and verdict.refers_to == seeded["bo_harbour"].id
        assert verdict.tags == ["infrastructure", "harbour"] and verdict.note == "Source checked."
        item = next(i for i in review_screen(app).items
                    if i.annotation.id == seeded["bo_harbour"].id)
        assert item.edited and item.effective_tags == ["infrastructure", "harbour"]


async def test_reply_is_threaded(corpus: Path, db_path: Path, seeded: dict) -> None:
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#editor-note", TextArea).text = "Which *source*?"
        await pilot.press("ctrl+s")
        await settle(pilot)
        (made,) = mine(db_path)
        assert (made.motivation, made.refers_to, made.note) == (
            Motivation.REPLYING, seeded["bo_harbour"].id, "Which *source*?"
        )
        thread = review_screen(app).query_one("#review-detail", DetailView).text_of("thread")
        assert "Which *source*?" in thread


async def test_filter_order_and_stats(corpus: Path, db_path: Path, seeded: dict) -> None:
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = review_screen(app)
        await pilot.press("o")
        await settle(pilot)  # disagreements first is sorted by a worker
        assert {i.annotation.id for i in screen.items[:2]} == {
            seeded["bo_budget"].id, seeded["ana_budget"].id
        }
        await pilot.press("f", *"@ana", "enter")
        await settle(pilot)
        assert {i.annotation.author for i in screen.items} == {"ana"}
        assert isinstance(app.focused, QueueList)
        await pilot.press("s")
        await settle(pilot)
        table = screen.query_one("#review-stats", DataTable)
        cells = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert "cohen_kappa" in cells and "krippendorff_alpha" in cells


async def test_curation_settle_and_accept_all_agreed(
    corpus: Path, db_path: Path, seeded: dict
) -> None:
    council = corpus_articles(corpus)["council"]
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, CurationScreen)
        assert app.screen.article.id == council.id
        await pilot.press("A")
        await settle(pilot)
        everything = AnnotationStore.open(db_path, read_only=True).all()
        assert curated_decisions(everything, council) == {0: True, 4: False, 8: True}
        assert {a.author for a in everything if a.motivation is Motivation.EDITING} == {
            "ana", "bo", CURATED_AUTHOR
        }
        await pilot.press("n")  # the disagreement on the byline (line 3)
        await pilot.pause()
        assert app.screen.grid.current_row.number == 2
        await pilot.press("1")  # take ana's decision: keep
        await settle(pilot)
        everything = AnnotationStore.open(db_path, read_only=True).all()
        assert curated_decisions(everything, council)[2] is False
        await pilot.press("k", "x")  # back on the byline, settle it as removed instead
        await settle(pilot)
        everything = AnnotationStore.open(db_path, read_only=True).all()
        assert curated_decisions(everything, council)[2] is True
        curated = [a for a in everything if a.author == CURATED_AUTHOR]
        assert len(curated) == 4  # the earlier byline settlement was replaced
        await pilot.press("u")
        await settle(pilot)
        everything = AnnotationStore.open(db_path, read_only=True).all()
        assert curated_decisions(everything, council)[2] is False
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_unknown_articles_stay_in_the_queue(corpus: Path, db_path: Path, seeded: dict,
                                                  tmp_path: Path) -> None:
    only_harbour = tmp_path / "only"
    only_harbour.mkdir()
    (only_harbour / "harbour.txt").write_text((corpus / "harbour.txt").read_text())
    app = review_app(only_harbour, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = review_screen(app)
        assert len(screen.items) == 4
        assert screen.unknown_articles == [seeded["ana_budget"].article_id]
        await pilot.press("j")
        await pilot.pause()
        context = screen.query_one("#review-detail", DetailView).text_of("context")
        assert "not in the loaded corpus" in context and "The mayor" in context


async def test_hostile_text_stays_literal(corpus: Path, db_path: Path) -> None:
    from helpers.review_support import on_quote

    council = corpus_articles(corpus)["council"]
    store = AnnotationStore.open(db_path)
    store.add(on_quote(council, "The mayor", "[b]eve[/]", 1, tags=["[red]x[/red]"],
                       note="[@click=app.quit]boom[/] \x1b]52;c;AAAA\x07"))
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = review_screen(app)
        detail = screen.query_one("#review-detail", DetailView)
        assert "[b]eve[/]" in detail.text_of("header")
        assert "[red]x[/red]" in detail.text_of("tags")
        note = detail.text_of("note")
        assert "[@click=app.quit]boom[/]" in note and "\x1b" not in note
        assert app.is_running


async def test_reached_from_the_reader(corpus: Path, db_path: Path, seeded: dict) -> None:
    from reader.commands import ReaderCommands
    from reader.screens.main import MainScreen

    app = make_app(inputs=[str(corpus)], db_path=db_path, user=USER, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        names = [name for name, _, _ in ReaderCommands(app.screen).commands()]
        assert "review: annotations by others" in names
        await pilot.press("R")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        # The reader's corpus, not loaded again: the very articles of the shared book.
        assert screen.book is app.book and screen.locator.articles
        assert all(a is b for a, b in zip(screen.locator.articles, app.book.articles, strict=True))
        assert len(screen.items) == 4
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        verdicts = [a for items in main.book.annotations.values() for a in items
                    if a.motivation is Motivation.ASSESSING]
        assert [v.refers_to for v in verdicts] == [seeded["bo_harbour"].id]


async def test_unreviewed_filter_drops_reviewed_items(
    corpus: Path, db_path: Path, seeded: dict
) -> None:
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = review_screen(app)
        await pilot.press("f", *"is:unreviewed", "enter")
        await pilot.pause()
        await pilot.press("r")
        await settle(pilot)
        assert seeded["bo_harbour"].id not in {i.annotation.id for i in screen.items}
        assert len(screen.items) == 3
        await pilot.press("u")
        await settle(pilot)
        assert len(screen.items) == 4


async def test_escape_never_quits_review_mode(corpus: Path, db_path: Path, seeded: dict) -> None:
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = review_screen(app)
        await pilot.press("f", *"@ana")
        await pilot.press("escape")  # leaves the filter box, keeps the filter
        await pilot.pause()
        assert isinstance(app.focused, QueueList)
        assert "escape" not in {b.binding.key for b in app.active_bindings.values()}
        await pilot.press("escape")  # at the root: nothing to go back to, the app keeps running
        await pilot.pause()
        assert app.is_running and app.screen is screen
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_title_says_what_is_shown_and_what_is_hidden(
    corpus: Path, db_path: Path, seeded: dict
) -> None:
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = review_screen(app)

        def title() -> str:
            return str(screen.query_one("#review-queue-title").render())

        # 4 tags/notes shown; ana's 5 and bo's 4 line decisions are not.
        assert title().startswith("4 annotations by others · 4 unreviewed")
        assert "9 line decisions hidden (filter: decisions)" in title()
        screen.set_filter("@bo")
        await pilot.pause()
        assert title().startswith("2 annotations by others")
        assert "4 line decisions hidden" in title()
        screen.set_filter("decisions")
        await pilot.pause()
        assert title().startswith("13 annotations by others")
        assert "hidden" not in title()


async def test_copydesk_review_remembers_the_theme(corpus: Path, db_path: Path) -> None:
    from reader.config import load_settings

    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        app.theme = "dracula"
        await pilot.pause()
    assert load_settings().theme == "dracula"
    again = review_app(corpus, db_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "dracula"
