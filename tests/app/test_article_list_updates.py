"""The article list redraws changed entries where they stand, as if rebuilt.

New counts, titles, tags or similarity figures for thousands of entries are redrawn
without measuring every entry again: what the list shows and how its lines are laid
out must come out exactly as a list built afresh from the same entries would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reader_helpers import main_screen, reader, settle
from rich.cells import cell_len
from test_reader_startup import write_corpus
from textual.content import Content
from textual.pilot import Pilot

from reader.widgets import measured_options
from reader.widgets.article_list import ArticleList
from reader.widgets.measured_options import wrapped_height

WORDS = st.lists(
    st.sampled_from([*list("abc XYZ-·，日本語\xa0"), "word", "  ", "\n", "a-very-long-word"]),
    max_size=60,
).map("".join)


@given(text=WORDS, width=st.integers(min_value=1, max_value=60))
@pytest.mark.parametrize(
    "rules", [{}, {"text_overflow": "ellipsis"}, {"line_pad": 1}], ids=["fold", "ellipsis", "pad"]
)
def test_the_height_from_the_text_is_the_height_textual_measures(
    rules: dict, text: str, width: int
) -> None:
    """`wrapped_height` is `Content.get_height`, for any text and width it answers."""
    found = wrapped_height(text, width, rules)
    if found is None:
        return
    assert found == Content(text).get_height(rules, width)


def test_the_height_from_the_text_declines_what_it_cannot_tell() -> None:
    assert wrapped_height("a\tb", 10, {}) is None
    assert wrapped_height("a b", 10, {"text_wrap": "nowrap"}) is None


def laid_out(article_list: ArticleList) -> tuple[list, list[str]]:
    """The list's lines (option, line in it) and every option's text."""
    lines = list(article_list._line_cache.lines)
    texts = [str(option.prompt) for option in article_list.options]
    return lines, texts


def as_rebuilt(article_list: ArticleList) -> tuple[list, list[str]]:
    """What the list would lay out and show if built afresh from its entries."""
    prompts = [str(article_list.prompt_for(option.id)) for option in article_list.options]
    article_list._clear_caches()
    article_list._update_lines()
    return list(article_list._line_cache.lines), prompts


async def redrawn(pilot: Pilot, article_list: ArticleList) -> None:
    """Wait until no entry is left to redraw (bounded)."""
    for _ in range(200):
        if not article_list._pending_redraw:
            return
        await pilot.pause()
    raise AssertionError("entries were left to redraw")


async def test_new_titles_and_counts_lay_the_list_out_as_a_rebuild_would(tmp_path: Path) -> None:
    """Titles that wrap to more lines, or fewer, move the entries below them; counts and
    tags redraw in place. Every option's text and every line's place matches a list
    measured afresh."""
    app = reader([str(write_corpus(tmp_path, 40))])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        article_list = main_screen(app).article_list
        entries = [article_list.entries[ident] for ident in article_list.order]
        changed = []
        for index, entry in enumerate(entries):
            if index % 3 == 0:
                entry = entry._replace(title="A much longer title " * (index % 5 + 1))
            elif index % 3 == 1:
                entry = entry._replace(title="Short", tags=("wire", "x" * 40))
            else:
                entry = entry._replace(annotations=entry.annotations + 12)
            changed.append(entry)
        before = list(article_list._line_cache.lines)
        article_list.set_entries(changed)
        await redrawn(pilot, article_list)
        after = laid_out(article_list)
        assert after[0] != before  # the heights did change
        assert after == as_rebuilt(article_list)


async def test_counts_alone_measure_no_entry_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New counts under the same titles change no entry's height: only an entry whose
    second line might wrap is measured (a full measure of 2,000 entries held the UI
    thread for 150 ms)."""
    app = reader([str(write_corpus(tmp_path, 30))])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        article_list = main_screen(app).article_list
        measured: list[object] = []
        height = ArticleList._height

        def counted(self: ArticleList, option: object, *args: object) -> int:
            measured.append(option)
            return height(self, option, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(ArticleList, "_height", counted)
        entries = [article_list.entries[ident] for ident in article_list.order]
        article_list.set_entries([e._replace(annotations=7) for e in entries])
        await redrawn(pilot, article_list)
        width = article_list._wrap_width()
        crowded = {
            option.id
            for option in article_list.options
            if cell_len(str(option.prompt).partition("\n")[2]) > width
        }
        assert len(crowded) < len(entries) // 2
        assert {option.id for option in measured} <= crowded  # type: ignore[attr-defined]
        assert all("✎7" in str(option.prompt) for option in article_list.options)


async def test_many_changed_entries_show_on_screen_at_once_and_the_rest_follow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redrawn a chunk per frame, the entries in view come first, in the same call."""
    monkeypatch.setattr(measured_options, "REDRAW_CHUNK", 5)
    app = reader([str(write_corpus(tmp_path, 60))])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        article_list = main_screen(app).article_list
        entries = [article_list.entries[ident] for ident in article_list.order]
        article_list.set_entries([e._replace(annotations=9) for e in entries])
        on_screen = article_list._ids_on_screen()
        assert on_screen
        for ident in on_screen:
            option = article_list.get_option(ident)
            assert "✎9" in str(option.prompt)
        assert article_list._pending_redraw  # the rest, off screen, still to come
        await redrawn(pilot, article_list)
        assert all("✎9" in str(option.prompt) for option in article_list.options)


async def test_a_mark_redraws_its_entry_and_keeps_the_layout(tmp_path: Path) -> None:
    """Space marks the entry: its first line grows by the mark, and the lines below
    follow it as in a rebuilt list."""
    app = reader([str(write_corpus(tmp_path, 12))])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        article_list = screen.article_list
        article_list.focus()
        await pilot.press("space")
        await redrawn(pilot, article_list)
        first = article_list.options[0]
        assert str(first.prompt).startswith("● ")
        assert str(first.prompt) == str(article_list.prompt_for(first.id))
        assert laid_out(article_list) == as_rebuilt(article_list)


def shown_text(article_list: ArticleList) -> str:
    """The list's lines as drawn now (its render, from its caches)."""
    height = article_list.scrollable_content_region.height
    return "\n".join(article_list.render_line(y).text for y in range(height))


async def test_an_entry_redrawn_off_screen_shows_anew_when_scrolled_to(tmp_path: Path) -> None:
    """The lines drawn for an entry before it changed are forgotten: scrolled back into
    view, it shows its new counts, not the lines drawn for it before."""
    app = reader([str(write_corpus(tmp_path, 60))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        article_list = main_screen(app).article_list
        article_list.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        last = article_list.options[-1].id
        assert "✎0" in shown_text(article_list)
        article_list.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        assert last not in article_list._ids_on_screen()
        article_list.update_entry(article_list.entries[last]._replace(annotations=5))
        await redrawn(pilot, article_list)
        article_list.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert last in article_list._ids_on_screen()
        assert "✎5" in shown_text(article_list)
