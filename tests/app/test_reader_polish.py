"""The reader's list filter with quoted terms, palette exports that follow the export
dialog, and stepping a column through the articles with `]` / `[`."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import main_screen, reader, settle
from textual.widgets import Input, RadioButton

from annotations.query import filter_term, filter_terms
from reader.commands import ReaderCommands
from reader.screens.help import HelpScreen
from reader.widgets.article_list import ListFilter


def palette(screen) -> dict:
    return {name: (callback, help_text) for name, callback, help_text in
            ReaderCommands(screen).commands()}


def test_filter_terms_keep_quoted_spaces() -> None:
    assert filter_terms('#"two words" @ana  "new york" plain') == [
        "#two words", "@ana", "new york", "plain"
    ]
    assert filter_terms('tag:"a b') == ["tag:a b"]  # an unclosed quote runs to the end
    assert filter_terms('"" "  " x') == ["x"]
    parsed = ListFilter.parse('#"Two Words" @"Ana B" author:bo "New York"')
    assert parsed.tags == ("two words",)
    assert parsed.authors == ("ana b", "bo")
    assert parsed.words == ("new york",)
    assert filter_term("#", "two words") == '#"two words"'
    assert filter_term("@", "ana") == "@ana"
    assert filter_terms(filter_term("#", 'say "hi" now')) == ["#say hi now"]


async def test_a_tag_with_a_space_can_be_filtered(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        article = screen.current_article()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"two words", "enter")
        await settle(pilot)
        assert screen.article_list.entries[article.id].tags == ("two words",)

        screen.apply_filter('#"two words"')
        await pilot.pause()
        assert screen.article_list.visible_ids() == [article.id]
        screen.apply_filter("#two")
        await pilot.pause()
        assert screen.article_list.visible_ids() == []

        # The palette's "by tag" command quotes the tag for the filter box.
        callback, _ = palette(screen)["filter: by tag #two words"]
        callback()
        await pilot.pause()
        assert screen.query_one("#filter", Input).value == '#"two words"'
        assert screen.article_list.visible_ids() == [article.id]


async def test_palette_export_uses_the_dialogs_last_format_and_directory(
    db_path: Path, tmp_path: Path
) -> None:
    app = reader()
    out = tmp_path / "chosen"
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        _, help_text = palette(screen)["export: cleaned text of all articles"]
        assert help_text.startswith("txt to ")

        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#format-md", RadioButton).value = True
        field = app.screen.query_one("#export-dir", Input)
        field.value = str(out)
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert [p.suffix for p in out.iterdir()] == [".md"]

        commands = palette(screen)
        callback, help_text = commands["export: cleaned text of all articles"]
        assert help_text == f"md to {out}"
        callback()
        await settle(pilot)
        written = sorted(out.iterdir())
        assert len(written) == len(screen.book.articles)
        assert {p.suffix for p in written} == {".md"}

        # Opening the dialog again offers the same choice.
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.query_one("#format-md", RadioButton).value
        assert app.screen.query_one("#export-dir", Input).value == str(out)


async def test_brackets_step_the_focused_column_through_the_articles(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        ids = [a.id for a in screen.book.articles]
        first, second = screen.pane.columns
        assert (first.article_id, second.article_id) == (ids[0], ids[1])
        assert screen.pane.current_column is first

        await pilot.press("right_square_bracket")
        await pilot.pause()
        # The second column already shows ids[1], so the first moves on to ids[2].
        assert first.article_id == ids[2] and second.article_id == ids[1]
        assert first.view.article is not None and first.view.article.id == ids[2]
        assert screen.article_list.highlighted_id == ids[2]

        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert first.article_id == ids[0]
        await pilot.press("left_square_bracket")  # wraps round to the end of the list
        await pilot.pause()
        assert first.article_id == ids[-1]

        # Only what the filter shows: a filter matching one article leaves nothing else.
        screen.apply_filter(screen.book.title(screen.book.articles[3]))
        await pilot.pause()
        first.view.focus()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert first.article_id == ids[3]

        # Listed in help (under the reader's keys) and in the palette.
        names = palette(screen)
        assert "columns: next article in this column" in names
        assert "columns: previous article in this column" in names
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query("*"))
        assert "Next article" in shown and "Previous article" in shown
