"""Pilot tests for defects a new user met in the reader (issue 11), each failing before its fix."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import main_screen, reader, settle, stored


async def test_second_v_ends_the_selection(db_path: Path) -> None:
    """`v`, move, `v` fixes the span: moving afterwards does not grow it, and `t` tags it."""
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        view = screen.current_view()
        article = screen.current_article()
        view.move_cursor(article.text.index("Blinken"))
        await pilot.press("v", *["l"] * 7, "v")
        assert article.text[slice(*view.selection_range)] == "Blinken"
        await pilot.press("l", "l", "j")
        assert article.text[slice(*view.selection_range)] == "Blinken"
        assert not view.has_class("-selecting")
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"quote", "enter")
        await settle(pilot)
        assert [(r.target.exact, r.tags) for r in stored(db_path)] == [("Blinken", ["quote"])]


async def test_tag_field_keeps_its_text_when_focused_again(db_path: Path) -> None:
    """Shift+tab back into the tags and typing adds to them; focus does not select all."""
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"quote", "tab")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "editor-note"
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "editor-tags"
        await pilot.press(*", people", "enter")
        await settle(pilot)
        assert [r.tags for r in stored(db_path)] == [["quote", "people"]]


async def test_corpus_search_quotes_the_hit_exactly(db_path: Path) -> None:
    """A hit inside a word is shown inside that word, with no spaces added around it."""
    from textual.widgets import OptionList

    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await pilot.pause()
        await pilot.press(*"linke", "enter")
        await settle(pilot)
        hits = app.screen.query_one("#corpus-hits", OptionList)
        assert hits.option_count > 0
        prompt = hits.get_option_at_index(0).prompt.plain
        assert "Blinken" in prompt
        assert " linke" not in prompt and "linke " not in prompt


async def test_list_filter_counts_what_it_hides_and_esc_leaves_it(db_path: Path) -> None:
    from textual.widgets import Input, Static

    from reader.widgets.article_list import ArticleList

    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"zzqx")
        await pilot.pause()
        label = str(screen.query_one("#progress-label", Static).render())
        assert "0 of 5 articles" in label
        assert "title" in label
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, ArticleList)
        assert screen.article_list.option_count == 0


async def test_list_and_header_title_skip_a_flagged_first_line(
    tmp_path: Path, db_path: Path
) -> None:
    body = (
        "The harbour bridge reopened on Monday after eight months of repairs, officials "
        "said, and traffic returned to normal by the evening rush hour.\n\n"
        "Engineers replaced the deck and repainted the towers, work that cost the city "
        "more than forty million dollars over the year.\n"
    )
    path = tmp_path / "bridge.txt"
    path.write_text("LIVE TV\n\n" + body, encoding="utf-8")
    app = reader([str(path)])
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        article = screen.current_article()
        assert screen.book.title(article).startswith("The harbour bridge reopened")
        entry = screen.article_list.entries[article.id]
        assert entry.title.startswith("The harbour bridge reopened")
        column = screen.pane.current_column or screen.pane.columns[0]
        header = column.query_one(".column-header").content.plain
        assert header.startswith("The harbour bridge reopened")
