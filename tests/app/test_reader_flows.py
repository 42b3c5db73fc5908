"""Pilot tests of the reader: each flow asserts on the screen and on the database file."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import USER, main_screen, reader, settle, stored

from annotations.model import Motivation
from reader.export import clean_article
from reader.widgets.article_view import ArticleView


def first_boilerplate_line(screen) -> int:
    article = screen.current_article()
    analysis = screen.book.analyses[article.id]
    return next(n for n, v in sorted(analysis.verdicts.items()) if v.boilerplate)


async def test_opens_demo_corpus_with_two_columns(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert len(screen.book.articles) == 5
        assert screen.article_list.option_count == 5
        columns = screen.pane.columns
        assert len(columns) == 2
        shown = [c.article_id for c in columns]
        assert shown == [a.id for a in screen.book.articles[:2]]
        assert all(screen.book.analyses.get(ident) for ident in shown)
        assert isinstance(app.focused, ArticleView)


async def test_accept_reject_and_undo_are_stored(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        view = screen.current_view()
        line = first_boilerplate_line(screen)
        view.goto_line(line)
        await pilot.press("a")
        await settle(pilot)
        records = stored(db_path)
        assert len(records) == 1
        record = records[0]
        assert record.motivation is Motivation.EDITING
        assert record.decision == "remove"
        assert record.author == USER
        article = screen.current_article()
        assert record.target.exact == article.lines[line].text
        assert view.decisions == {line: True}

        await pilot.press("r")
        await settle(pilot)
        records = stored(db_path)
        assert [r.decision for r in records] == ["keep"]
        assert view.decisions == {line: False}

        await pilot.press("u")
        await settle(pilot)
        assert [r.decision for r in stored(db_path)] == ["remove"]
        await pilot.press("u")
        await settle(pilot)
        assert stored(db_path) == []
        assert view.decisions == {}


async def test_accept_and_reject_on_a_content_line_keep_and_remove_it(db_path: Path) -> None:
    """Accepting the detector's verdict on article text keeps the line; rejecting it
    removes the line."""
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        view = screen.current_view()
        analysis = screen.book.analyses[screen.current_article().id]
        line = next(n for n, v in sorted(analysis.verdicts.items()) if not v.boilerplate)
        view.goto_line(line)
        await pilot.press("a")
        await settle(pilot)
        assert [r.decision for r in stored(db_path)] == ["keep"]
        assert view.decisions == {line: False}
        await pilot.press("r")
        await settle(pilot)
        assert [r.decision for r in stored(db_path)] == ["remove"]
        assert view.decisions == {line: True}


async def test_accept_all_and_cleaned_view_match_export(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        article = screen.current_article()
        analysis = screen.book.analyses[article.id]
        await pilot.press("A")
        await settle(pilot)
        removes = [r for r in stored(db_path) if r.decision == "remove"]
        assert len(removes) == analysis.boilerplate_count
        await pilot.press("m")
        await pilot.pause()
        view = screen.current_view()
        assert view.mode == "cleaned"
        shown = "\n".join(article.lines[n].text if not article.lines[n].is_blank else ""
                          for n in view._line_numbers)
        expected = clean_article(article, analysis, screen.book.decisions(article)).text
        assert shown == expected
        assert screen.book.cleaned(article).text == expected
        await pilot.press("m")
        assert view.mode == "original"


async def test_tag_a_keyboard_selection(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        view = screen.current_view()
        article = screen.current_article()
        start = article.text.index("Blinken")
        view.move_cursor(start)
        await pilot.press("v", *["l"] * 7, "v", "t")
        await pilot.pause()
        await pilot.press(*"quote", "enter")
        await settle(pilot)
        records = stored(db_path)
        assert len(records) == 1
        assert records[0].tags == ["quote"]
        assert records[0].target.exact == "Blinken"
        assert records[0].motivation is Motivation.TAGGING
        assert any(h.start == start for h in view.highlights)
        entry = screen.article_list.entries[article.id]
        assert entry.tags == ("quote",) and entry.annotations == 1

        # Quick tag 1 (the most used tag) on the cursor line.
        other = next(line for line in article.lines[3:] if not line.is_blank)
        view.goto_line(other.number)
        await pilot.press("1")
        await settle(pilot)
        assert [r.tags for r in stored(db_path)] == [["quote"], ["quote"]]

        # Filter the list by tag and by author.
        screen.apply_filter("#quote")
        await pilot.pause()
        assert screen.article_list.visible_ids() == [article.id]
        screen.apply_filter(f"@{USER}")
        await pilot.pause()
        assert screen.article_list.visible_ids() == [article.id]
        screen.apply_filter("@nobody")
        await pilot.pause()
        assert screen.article_list.visible_ids() == []
        screen.apply_filter("")
        await pilot.pause()
        assert screen.article_list.option_count == 5


async def test_markdown_note_edit_delete_undo(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("j", "j", "e")
        await pilot.pause()
        await pilot.press(*"**Check** this", "ctrl+s")
        await settle(pilot)
        records = stored(db_path)
        assert len(records) == 1
        assert records[0].note == "**Check** this"
        assert records[0].motivation is Motivation.COMMENTING

        await pilot.press("p")
        await pilot.pause()
        panel = screen.query_one("#annotation-list")
        assert panel.option_count == 1
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", *" again", "ctrl+s")
        await settle(pilot)
        assert [r.note for r in stored(db_path)] == ["**Check** this again"]

        await pilot.press("d")
        await settle(pilot)
        assert stored(db_path) == []
        assert panel.option_count == 0
        await pilot.press("u")
        await settle(pilot)
        assert [r.note for r in stored(db_path)] == ["**Check** this again"]
        assert panel.option_count == 1


async def test_quitting_with_unsaved_note_asks_first(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"draft", "ctrl+q")
        await pilot.pause()
        from reader.screens.editor import ConfirmDiscard

        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [r.note for r in stored(db_path)] == ["draft"]


async def test_search_in_article_and_corpus(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        view = screen.current_view()
        article = screen.current_article()
        await pilot.press("slash", *"rafah", "enter")
        await pilot.pause()
        expected = article.text.lower().count("rafah")
        assert len(view.matches) == expected > 1
        first = view.cursor
        assert article.text[first : first + 5].lower() == "rafah"
        await pilot.press("n")
        assert view.cursor > first
        await pilot.press("N")
        assert view.cursor == first

        await pilot.press("F")
        await pilot.pause()
        await pilot.press(*"Sullivan", "enter")
        await settle(pilot)
        hits = app.screen.query_one("#corpus-hits")
        assert hits.option_count >= 1
        await pilot.press("enter")
        await pilot.pause()
        shown = screen.current_article()
        assert "Sullivan" in shown.text[view.cursor : view.cursor + 8]


async def test_export_all_writes_files(db_path: Path, tmp_path: Path) -> None:
    app = reader()
    out = tmp_path / "out"
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("A")
        await settle(pilot)
        screen.export("all", "txt", out)
        await settle(pilot)
        files = sorted(p.name for p in out.iterdir())
        assert len(files) == 5
        article = screen.current_article()
        expected = screen.book.cleaned(article).text
        written = (out / f"{article.name}.txt").read_text(encoding="utf-8")
        assert written.rstrip("\n") == expected
        notices = [n.message for n in app._notifications]
        assert any(str(out) in message for message in notices)


async def test_export_dialog(db_path: Path, tmp_path: Path) -> None:
    app = reader()
    out = tmp_path / "dialog-out"
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        field = app.screen.query_one("#export-dir")
        field.value = str(out)
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert len(list(out.iterdir())) == 1


async def test_columns_add_remove_cycle_and_sync(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(200, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("plus", "plus")
        await pilot.pause()
        assert len(screen.pane.columns) == 4
        assert len({c.article_id for c in screen.pane.columns}) == 4
        assert screen.pane.current_column is screen.pane.columns[-1]
        await pilot.press("w")
        assert screen.pane.current_column is screen.pane.columns[0]
        await pilot.press("minus")
        await pilot.pause()
        assert len(screen.pane.columns) == 3
        await pilot.press("s")
        assert screen.pane.sync_scroll
        leader = screen.current_view()
        followers = [c.view for c in screen.pane.columns if c.view is not leader]
        # Every column must be able to scroll, or there would be nothing to check.
        assert leader.max_scroll_y > 0 and all(view.max_scroll_y > 0 for view in followers)
        assert all(view.scroll_y == 0 for view in followers)
        await pilot.press("pagedown")
        await pilot.pause()
        fraction = leader.scroll_y / leader.max_scroll_y
        assert fraction > 0
        for view in followers:
            assert abs(view.scroll_y / view.max_scroll_y - fraction) < 0.1


async def test_open_article_from_list(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("o", "j", "j", "j", "enter")
        await pilot.pause()
        assert screen.pane.current_column.article_id == screen.book.articles[3].id
        assert isinstance(app.focused, ArticleView)


def screen_position(app, view, word: str) -> tuple[int, int]:
    """Where `word` is drawn inside `view`, in screen cells (x, y)."""
    strips = app.screen._compositor.render_strips()
    rows = ["".join(segment.text for segment in strip) for strip in strips]
    region = view.content_region
    for y in range(region.y, region.bottom):
        x = rows[y].find(word, region.x, region.right)
        if x >= 0:
            return x, y
    raise AssertionError(f"{word!r} is not on the screen")


async def test_mouse_selection_can_be_tagged(db_path: Path) -> None:
    """Press on the first letter of a word, drag to its last, release: the word is the
    selection, and `t` tags it."""
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        view = screen.current_view()
        article = screen.current_article()
        x, y = screen_position(app, view, "Secretary")
        await pilot.mouse_down(None, offset=(x, y))
        await pilot.hover(None, offset=(x + 4, y))
        await pilot.hover(None, offset=(x + 8, y))
        await pilot.mouse_up(None, offset=(x + 8, y))
        await pilot.pause()
        assert view.selection_range is not None
        assert article.text[slice(*view.selection_range)] == "Secretary"
        await pilot.press("t", *"person", "enter")
        await settle(pilot)
        records = stored(db_path)
        assert [(r.target.exact, r.tags) for r in records] == [("Secretary", ["person"])]


async def test_ctrl_s_saves_everything_typed_before_it(db_path: Path) -> None:
    """Keys arriving in one burst (a fast typist, a terminal multiplexer) reach the tags
    box before ctrl+s saves: the save binding is not a priority binding."""
    from textual import events

    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("v", "l", "l", "t")
        await pilot.pause()
        for char in "people":
            app.post_message(events.Key(char, char))
        app.post_message(events.Key("ctrl+s", None))
        await settle(pilot)
        assert [r.tags for r in stored(db_path)] == [["people"]]


async def test_keys_typed_together_act_on_the_column_the_first_one_focused(
    db_path: Path,
) -> None:
    """`w` then `r` arriving in one read of the terminal (as a fast typist or a paste
    sends them) reject in the second column: the column `w` focused is the current one
    at once, not when its focus event is handled after `r` has run."""
    from textual import events

    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        second = screen.pane.columns[1]
        for key in "wr":  # posted back to back, as the terminal driver does
            app.post_message(events.Key(key, key))
        await settle(pilot)
        records = stored(db_path)
        assert [r.decision for r in records] == ["keep"]
        assert records[0].target.exact == second.view.article.lines[0].text
        assert screen.current_view() is second.view
