"""Pilot tests of the reader as a newcomer meets it (issue 11): curation colours, line
decisions in the panel, the 80x24 layout, what undo and export say, the legend, the
line details and go to line. Each fails without its fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.review_support import review_app, seed, write_corpus
from reader_helpers import main_screen, reader, settle, stored

from annotations.model import Motivation

SMALL = (80, 24)


def notices(app) -> list[str]:
    return [f"{n.title or ''} {n.message}" for n in app._notifications]


# ---- 4: curation colours ----------------------------------------------------------------


async def test_struck_through_cells_carry_the_rows_agreement_tint(
    tmp_path: Path, db_path: Path
) -> None:
    from reader.screens.curation import CurationScreen

    corpus = write_corpus(tmp_path / "corpus")
    seed(db_path, corpus)
    app = review_app(corpus, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, CurationScreen)
        grid = app.screen.grid
        await pilot.press("G")  # the cursor away from line 1 (its own colour)
        await pilot.pause()
        index = next(i for i, row in enumerate(grid.rows) if row.number == 0)  # both remove
        agreed = grid.get_component_rich_style("curation-grid--agreed").bgcolor
        strip = grid._render_row(index, grid.scrollable_content_region.width)
        struck = [seg for seg in strip if seg.style and seg.style.strike and seg.text.strip()]
        assert struck, "no struck-through cell in a row both annotators removed"
        assert {seg.style.bgcolor for seg in strip if seg.text} == {agreed}


# ---- 9: line decisions in the annotations panel ----------------------------------------------


async def test_panel_lists_line_decisions_jumps_deletes_and_undoes(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        view, article = screen.current_view(), screen.current_article()
        await pilot.press("a")  # accept the suggestion on line 1
        await settle(pilot)
        [decision] = stored(db_path)
        assert decision.motivation is Motivation.EDITING
        view.goto_line(len(article.lines) - 1)
        await pilot.press("p")
        await pilot.pause()
        panel = screen.panel.options
        ids = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
        assert decision.id in ids
        prompt = panel.get_option_at_index(ids.index(decision.id)).prompt.plain
        assert prompt.startswith("L1  removed") and "by you" in prompt
        assert "1 line decision" in str(screen.query_one("#panel-title").render())
        panel.highlighted = ids.index(decision.id)
        await pilot.press("enter")
        await pilot.pause()
        assert view.cursor_line == 0
        panel.focus()  # back to the panel, still open
        await pilot.pause()
        panel.highlighted = ids.index(decision.id)
        await pilot.press("d")
        await settle(pilot)
        assert stored(db_path) == []
        assert any("delete the decision on line 1" in n for n in notices(app))
        await pilot.press("u")
        await settle(pilot)
        assert [a.id for a in stored(db_path)] == [decision.id]


# ---- 10: 80x24 ----------------------------------------------------------------------------------


async def test_at_80x24_footer_keeps_quit_and_help(db_path: Path) -> None:
    from textual.widgets._footer import FooterKey

    app = reader()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        width = app.size.width
        shown = {
            key.action for key in app.screen.query(FooterKey)
            if key.region.width and key.region.right <= width
        }
        assert {"quit", "help"} <= shown
        docked = app.screen.query_one("#footer-essentials").region
        cut = [key.description for key in app.screen.query(FooterKey)
               if key.parent is not None and key.parent.id != "footer-essentials"
               and key.region.width and key.region.right > docked.x + 1]
        assert not cut, f"keys cut by the docked ones: {cut}"


async def test_at_80x24_headers_keep_the_file_name_and_reasons_their_words(db_path: Path) -> None:
    from reader.widgets.article_list import outlet
    from reader.widgets.column import ArticleColumn, ColumnHeader, ColumnStatus

    app = reader()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        for column in screen.query(ArticleColumn):
            article = screen.book.by_id[column.article_id]
            header = column.query_one(ColumnHeader).render().plain.split("\n")
            assert len(header) == 2 and header[1].startswith(outlet(article))
            status = column.query_one(ColumnStatus)
            reason = screen.book.analyses[article.id].verdicts[column.view.cursor_line].reason
            shown = status.render().plain
            assert status.size.height == 2
            expected = reason if len(reason) <= status.content_size.width else reason[:15]
            assert expected in shown, (reason, shown)


async def test_at_80x24_help_tooltips_wrap_across_the_width(db_path: Path) -> None:
    from reader.screens.help import HelpTable, binding_groups, help_rows

    app = reader()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        groups = binding_groups(app, app.screen)
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one(HelpTable)
        width = table.content_size.width
        lines = table.render().plain.split("\n")
        assert all(len(line.rstrip()) <= width for line in lines)
        longest = max((tip for _, rows in groups for *_, tip in help_rows(app, rows)), key=len)
        words = longest.split()
        first = next(i for i, line in enumerate(lines) if words[0] in line)
        used = next(i for i in range(first, len(lines)) if words[-1] in lines[i]) - first + 1
        # Across most of the width, not a narrow third column.
        assert used <= -(-len(longest) // int(width * 0.7)), (used, lines[first:first + used])


# ---- 12: undo and export say what and where -----------------------------------------------------


async def test_undo_and_export_name_the_article_and_file(db_path: Path, tmp_path: Path) -> None:
    from reader.widgets.article_list import outlet

    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        article = screen.current_article()
        name = outlet(article)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        [undone] = [n for n in notices(app) if "Undone:" in n]
        assert "accepted line 1" in undone and name in undone
        assert screen.book.title(article)[:20] in undone
        screen.export("current", "txt", tmp_path / "out")
        await settle(pilot)
        [exported] = [n for n in notices(app) if "Exported" in n]
        assert name in exported and str(tmp_path / "out") in exported


# ---- legend, line details, go to line -------------------------------------------------------


async def test_legend_toggles_and_draws_each_kind_in_the_views_style(db_path: Path) -> None:
    from reader.widgets.article_rendering import BOILERPLATE_KINDS
    from reader.widgets.kind_legend import KindLegend

    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        legend = screen.query_one(KindLegend)
        assert not legend.display
        await pilot.press("K")
        await pilot.pause()
        assert legend.display and legend.region.height > 0
        drawn = legend.render()
        view = screen.current_view()
        for kind in BOILERPLATE_KINDS:
            style = view.get_component_rich_style(f"article-view--{kind}")
            assert any(
                drawn.plain[span.start : span.end] == kind and span.style == style
                for span in drawn.spans
            ), kind
        await pilot.press("K")
        await pilot.pause()
        assert not legend.display


async def test_line_details_show_the_whole_reason(db_path: Path) -> None:
    from reader.screens.inspect import LineDetails

    app = reader()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        view, article = screen.current_view(), screen.current_article()
        verdict = screen.book.analyses[article.id].verdicts[view.cursor_line]
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, LineDetails)
        shown = " ".join(
            " ".join(static.render().plain.split()) for static in app.screen.query(".details-value")
        )
        assert " ".join(verdict.reason.split()) in shown
        assert str(verdict.kind) in shown and f"{verdict.score:.2f}" in shown
        assert "block" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


@pytest.mark.parametrize("key", ["colon", "ctrl+g"])
async def test_go_to_line(db_path: Path, key: str) -> None:
    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        view = screen.current_view()
        await pilot.press(key)
        await pilot.pause()
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert view.cursor_line == 11
        assert "L12 " in str(view.parent.query_one(".column-status").render())


def test_in_a_real_80x24_terminal_help_quit_legend_and_details(isolated_paths: Path) -> None:
    """The installed script in a pty of 80x24: the footer shows Help and Quit, K shows the
    legend, i the details of the line, and q quits."""
    from helpers.terminal import copydesk_in_pty

    with copydesk_in_pty(columns=80, lines=24) as term:
        seen = term.read_until(b"Quit")
        if b"site navigation" not in seen:  # the detector's verdicts may come first
            seen += term.read_until(b"site navigation", timeout=30)
        assert b"Help" in seen
        term.press(b"K")
        term.read_until(b"appended-story")
        term.press(b"i")
        term.read_until(b"decision")
        term.press(b"i")  # closes it (Esc then q would read as alt+q)
        term.press(b"q")
        assert term.wait_for_exit() == 0


async def test_footer_follows_the_bindings_and_is_not_rebuilt_when_they_stay(
    db_path: Path,
) -> None:
    """Moving to the other column shows the same keys: the footer keeps its widgets
    (rebuilding them cost every `w` about 40 ms). Focusing the list shows its `Mark` key
    and drops the text's `Select`; back in a column, `Select` returns."""
    from textual.widgets._footer import FooterKey

    def keys() -> list[FooterKey]:
        return list(app.screen.query(FooterKey))

    app = reader()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        before = keys()
        await pilot.press("w")
        await settle(pilot)
        assert keys() == before
        await pilot.press("o")
        await settle(pilot)
        actions = {key.action for key in keys()}
        assert "toggle_mark" in actions and "toggle_select" not in actions
        await pilot.press("w")
        await settle(pilot)
        assert "toggle_select" in {key.action for key in keys()}
