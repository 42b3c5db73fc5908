"""The reader's list filter with quoted terms."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import main_screen, reader, settle
from textual.widgets import Input

from reader.commands import ReaderCommands
from reader.widgets.article_list import ListFilter, filter_term, filter_terms


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
