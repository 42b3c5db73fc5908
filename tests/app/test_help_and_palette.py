"""`?` and the command palette follow the active screen: reader, review, curation."""

from __future__ import annotations

import re
from pathlib import Path

from helpers.pilot import settle
from helpers.review_support import USER, corpus_articles, on_quote, review_app
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from annotations.curation import curated_decisions
from annotations.model import Motivation
from annotations.store import AnnotationStore
from reader.app import make_app
from reader.commands import ReaderCommands
from reader.screens.curation import CurationScreen
from reader.screens.help import HelpScreen, HelpTable, binding_groups, help_rows
from reader.screens.main import MainScreen
from reader.screens.review import ReviewScreen
from reader.widgets.curation_grid import CurationGrid


def help_text(app) -> str:
    """The help table's text, each run of spaces as one (the columns fit their entries)."""
    assert isinstance(app.screen, HelpScreen)
    return squeeze(str(app.screen.query_one(HelpTable).render()))


def squeeze(text: str) -> str:
    return re.sub(r" {2,}", " ", text)


def names(screen) -> list[str]:
    return [name for name, _, _ in ReaderCommands(screen).commands()]


async def palette_hits(pilot: Pilot, query: str) -> list[str]:
    """Open the palette, type `query`, and return the hits it lists."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    await settle(pilot)  # the palette gathers its hits in a worker
    hits = pilot.app.screen.query_one(CommandList)
    return [str(hits.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(hits.option_count)]


def test_every_review_and_curation_binding_has_an_id_and_a_description() -> None:
    for binding in (*ReviewScreen.BINDINGS, *CurationScreen.BINDINGS, *CurationGrid.BINDINGS):
        assert binding.id and binding.description, binding


async def test_help_on_review_lists_the_review_keys_then_the_app_keys(
    corpus: Path, db_path: Path, seeded: dict
) -> None:
    app = make_app(inputs=[str(corpus)], db_path=db_path, user=USER, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app)
        groups = [title for title, _ in binding_groups(app, app.screen.target)]
        assert groups == ["Review", "Reply and edit editor", "Everywhere"]
        for line in ("a               Accept", "r               Reject", "c               Reply",
                     "e               Edit", "u ^z            Undo", "s               Agreement",
                     "C               Curate", "esc             Back", "q               Quit",
                     "?               Help"):
            assert squeeze(line) in text, line
        assert text.index("Reply and edit editor") < text.index("Everywhere")
        # The reader's keys are not this screen's; R does nothing where review is open.
        assert "Accept block" not in text and squeeze("R               Review") not in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_help_on_curation_lists_the_curation_keys(
    corpus: Path, db_path: Path, seeded: dict
) -> None:
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app)
        for line in ("x               Remove", "o               Keep",
                     "1 … 9           Take annotator N", "S               Take suggestion",
                     "A               Accept all agreed", "n               Next disagreement",
                     "]               Next article", "Curation grid", "home g          Top"):
            assert squeeze(line) in text, line
        assert "Take annotator 2" not in text  # the numbered keys are one row


async def test_palette_on_review_offers_review_commands_and_runs_them(
    corpus: Path, db_path: Path, seeded: dict
) -> None:
    app = make_app(inputs=[str(corpus)], db_path=db_path, user=USER, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "decide: accept suggestion on this line" in names(app.screen)
        await pilot.press("R")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        offered = names(review)
        for name in ("review: accept annotation", "review: reject annotation", "review: reply",
                     "review: edit", "review: show agreement", "review: open curation view",
                     "filter: by author @bo", "review: back to the reader", "help: keys"):
            assert name in offered, name
        # Nothing acts on the reader hidden under the review screen.
        assert not [n for n in offered if n.split(":")[0] in {"decide", "view", "export"}]
        assert "review: annotations by others" not in offered
        assert all(": " in name for name in offered)

        hits = await palette_hits(pilot, "reject annotation")
        assert hits[0] == "review: reject annotation"
        await pilot.press("enter")
        await settle(pilot)
        (verdict,) = [a for a in AnnotationStore.open(db_path, read_only=True).all()
                      if a.author == USER]
        assert (verdict.motivation, verdict.decision, verdict.refers_to) == (
            Motivation.ASSESSING, "reject", seeded["bo_harbour"].id
        )
        assert "review: undo" in names(review)

        await palette_hits(pilot, "review: undo")
        await pilot.press("enter")
        await settle(pilot)
        assert not [a for a in AnnotationStore.open(db_path, read_only=True).all()
                    if a.author == USER]

        await palette_hits(pilot, "back to the reader")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_palette_on_curation_accepts_all_agreed(
    corpus: Path, db_path: Path, seeded: dict
) -> None:
    council = corpus_articles(corpus)["council"]
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        review = app.screen
        assert "review: quit" in names(review)  # no reader under `copydesk review`
        await pilot.press("C")
        await settle(pilot)
        curation = app.screen
        assert isinstance(curation, CurationScreen)
        offered = names(curation)
        for name in ("curation: accept all agreed", "curation: next disagreement",
                     "curation: take ana's decision", "curation: take bo's decision",
                     "curation: remove this line", "curation: keep this line",
                     "curation: back to review"):
            assert name in offered, name
        assert not [n for n in offered if n.startswith("review:")]
        assert "curation: next article" not in offered  # only one has line decisions
        hits = await palette_hits(pilot, "accept all agreed")
        assert hits[0] == "curation: accept all agreed"
        await pilot.press("enter")
        await settle(pilot)
        everything = AnnotationStore.open(db_path, read_only=True).all()
        assert curated_decisions(everything, council) == {0: True, 4: False, 8: True}


async def test_palette_shows_tags_and_authors_literally(corpus: Path, db_path: Path) -> None:
    council = corpus_articles(corpus)["council"]
    AnnotationStore.open(db_path).add(
        on_quote(council, "The mayor", "[b]eve", 1, tags=["[/]", "[red]x"])
    )
    app = make_app(inputs=[str(corpus)], db_path=db_path, user=USER, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        hits = await palette_hits(pilot, "filter by")
        assert "filter: by tag #[/]" in hits and "filter: by tag #[red]x" in hits
        assert "filter: by author @[b]eve" in hits
        assert app.is_running


async def test_palette_over_a_dialog_offers_only_app_commands(db_path: Path) -> None:
    app = make_app(inputs=[], db_path=db_path, user=USER, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        # The registry's app-wide commands, then Textual's (keys panel, screenshot).
        assert names(app.screen) == ["app: change theme", "app: quit", "app: keys",
                                     "app: screenshot"]


def test_every_binding_is_generated_from_the_action_registry() -> None:
    from reader import actions
    from reader.app import ReaderApp
    from reader.widgets.annotations_panel import AnnotationPanel

    for owner, declared in ((ReaderApp, actions.APP), (MainScreen, actions.READER),
                            (ReviewScreen, actions.REVIEW), (CurationScreen, actions.CURATION),
                            (AnnotationPanel, actions.PANEL)):
        assert [(b.id, b.key, b.action, b.description, b.tooltip) for b in owner.BINDINGS] == [
            (a.id, a.keys, a.action, a.description, a.tooltip) for a in declared
        ], owner


def check_help_and_palette(app, screen, declared, *, absent=()) -> None:
    """Every binding of `declared` is listed by `?` on `screen` and offered by the palette
    under the name the registry (or the screen, for its state) gives it."""
    described = {
        row[1]
        for _, bindings in binding_groups(app, screen)
        for row in help_rows(app, bindings)
    }
    offered = names(screen)
    rename = getattr(screen, "command_name", None)
    for action in declared:
        if action.id in absent:
            continue
        numbered = re.sub(r"\b\d+\b", "N", action.description, count=1)
        assert action.description in described or numbered in described, action.id
        if not action.command:
            continue
        owner = app if action.id.startswith("app.") else screen
        name = rename(action) if rename is not None and owner is screen else action.command
        assert name in offered, (action.id, name)


async def test_every_binding_is_in_help_and_in_the_palette(
    corpus: Path, db_path: Path, seeded: dict
) -> None:
    from reader import actions

    app = make_app(inputs=[str(corpus)], db_path=db_path, user=USER, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")  # the annotations panel: its keys and commands too
        await settle(pilot)
        check_help_and_palette(app, app.screen, (*actions.READER, *actions.PANEL, *actions.APP))
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("a")  # a verdict, so there is something to undo
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        # R does nothing where review is open: neither help nor the palette offers it.
        check_help_and_palette(app, review, (*actions.REVIEW, *actions.APP),
                               absent={"app.review"})
        await pilot.press("C")
        await settle(pilot)
        curation = app.screen
        assert isinstance(curation, CurationScreen)
        # One article has line decisions, by two annotators: switching articles and
        # taking annotator 3..9 would do nothing, so the palette leaves them out.
        idle = {"curation.next_article", "curation.previous_article", "app.review",
                *(f"curation.take_{n}" for n in range(3, 10))}
        check_help_and_palette(app, curation, (*actions.CURATION, *actions.APP), absent=idle)
        described = {row[1] for _, group in binding_groups(app, curation)
                     for row in help_rows(app, group)}
        assert {"Next article", "Take annotator N"} <= described  # help lists every key
        assert "curation: next article" not in names(curation)
