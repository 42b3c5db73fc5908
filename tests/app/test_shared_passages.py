"""Pilot tests of shared passages in the reader, on the demo corpus: the Euronews seed
reprints most of its body from the AP seed."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import main_screen, reader, settle, stored

from annotations.formats import dump_w3c_jsonl, parse_annotations
from annotations.model import Motivation
from reader.align.cache import CACHE_FILE

AP, EURONEWS = "004_3170b4733c281065", "003_1ca05d51f9810f23"
SIZE = (160, 45)


async def side_by_side(pilot, left: str = EURONEWS, right: str = AP):
    """Settle, then show `left` and `right` in the two columns, the left one focused."""
    await settle(pilot)
    screen = main_screen(pilot.app)
    by_name = {a.name: a for a in screen.book.articles}
    first, second = screen.pane.columns
    screen.pane.show_article(first, by_name[left].id)
    screen.pane.show_article(second, by_name[right].id)
    first.view.focus()
    await pilot.pause()
    return screen, by_name[left], by_name[right], first, second


async def test_jump_to_counterpart_moves_to_the_other_column(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, euronews, ap, first, second = await side_by_side(pilot)
        passages = screen.book.alignment.between(euronews.id, ap.id)
        assert len(passages) >= 8
        passage = passages[3]
        first.view.move_cursor(passage.start + 5)
        await pilot.pause()
        status = str(first.query_one(".column-status").content)
        assert f"≈ {ap.name}.txt {passage.score:.0f}" in status
        await pilot.press("c")
        await pilot.pause()
        assert screen.pane.current_column is second
        assert second.view.cursor == passage.other_start
        assert ap.text[passage.other_start : passage.other_end] == passage_text(ap, passage)
        # And back: the AP passage's counterpart is the Euronews one.
        await pilot.press("c")
        await pilot.pause()
        assert screen.pane.current_column is first
        assert first.view.cursor == passage.start


def passage_text(article, passage) -> str:
    return article.text[passage.other_start : passage.other_end]


async def test_jump_opens_the_counterpart_when_no_column_shows_it(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, euronews, _, first, second = await side_by_side(pilot, EURONEWS, EURONEWS)
        ap = next(a for a in screen.book.articles if a.name == AP)
        other = next(a for a in screen.book.articles if a.name not in (AP, EURONEWS))
        screen.pane.show_article(second, other.id)
        first.view.focus()
        passage = screen.book.alignment.between(euronews.id, ap.id)[0]
        first.view.move_cursor(passage.start)
        await pilot.press("c")
        await pilot.pause()
        assert second.article_id == ap.id
        assert second.view.cursor == passage.other_start


async def test_sync_scrolling_keeps_shared_passages_level(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, euronews, ap, first, second = await side_by_side(pilot)
        await pilot.press("s")
        for _ in range(3):
            await pilot.press("pagedown")
            await pilot.pause()
            left, right = first.view, second.view
            top_left, top_right = int(left.scroll_y), int(right.scroll_y)
            height = left.scrollable_content_region.height
            level = [
                (left.row_of(p.start) - top_left, right.row_of(p.other_start) - top_right)
                for p in screen.book.alignment.between(euronews.id, ap.id)
                if 0 <= left.row_of(p.start) - top_left < height
            ]
            assert level, "a shared passage is in view"
            assert any(here == there for here, there in level), level


async def test_second_open_reads_the_alignment_from_the_disk_cache(
    db_path: Path, isolated_paths: Path
) -> None:
    cache = isolated_paths / "cache" / CACHE_FILE
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = main_screen(app).book.alignment
        assert first.computed == 5 and first.cached == 0
    assert cache.is_file()
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, euronews, ap, left, _ = await side_by_side(pilot)
        again = screen.book.alignment
        assert again.computed == 0 and again.cached == 5
        assert again.passages == first.passages
        # A decision changes Euronews' content: it alone is aligned again.
        passage = again.between(euronews.id, ap.id)[0]
        left.view.move_cursor(passage.start)
        await pilot.press("r")  # "not boilerplate" on a content line removes it
        await settle(pilot)
        changed = screen.book.alignment
        assert changed.computed == 1 and changed.cached == 4
        assert passage.line not in {p.line for p in changed.of(euronews.id)}


async def test_unique_view_dims_what_others_print(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, ap, euronews, first, _ = await side_by_side(pilot, AP, EURONEWS)
        view = first.view
        for _ in range(3):
            await pilot.press("m")
        assert view.mode == "unique"
        common = view.get_component_rich_style("article-view--common").color
        shared = screen.book.alignment.between(ap.id, euronews.id)[0]
        own = ap.text.index("Associated Press writers")

        def colour_at(offset: int):
            row = view.row_of(offset)
            view.scroll_to(y=row, animate=False, immediate=True)
            column = offset - view._rows.rows[row].start
            strip = view.render_line(row - int(view.scroll_y))
            seen = 0
            for segment in strip:
                if seen + len(segment.text) > column:
                    return segment.style.color
                seen += len(segment.text)
            raise AssertionError("offset not drawn")

        assert colour_at(shared.start + 2) == common
        assert colour_at(own + 2) != common
        # Only content is shown, as in the cleaned view.
        boilerplate = [n for n, v in screen.book.analyses[ap.id].verdicts.items() if v.boilerplate]
        assert not set(boilerplate) & set(view._line_numbers)


async def test_list_shows_similarity_to_the_focused_article(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, ap, euronews, _, second = await side_by_side(pilot, AP, EURONEWS)
        figures = screen.article_list.similarity
        assert figures[euronews.id] > 0.6
        prompt = str(screen.article_list.get_option(euronews.id).prompt)
        assert f"≈{figures[euronews.id]:.0%}" in prompt
        second.view.focus()
        await pilot.pause()
        assert set(screen.article_list.similarity) == {ap.id}


async def test_shared_passage_becomes_a_linked_pair_of_annotations(db_path: Path) -> None:
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, euronews, ap, first, _ = await side_by_side(pilot)
        passage = screen.book.alignment.between(euronews.id, ap.id)[1]
        first.view.move_cursor(passage.start)
        await pilot.press("C")
        await settle(pilot)
    pair = [a for a in stored(db_path) if a.motivation is Motivation.LINKING]
    assert len(pair) == 2
    here = next(a for a in pair if a.article_id == euronews.id)
    there = next(a for a in pair if a.article_id == ap.id)
    assert here.link.annotation_id == there.id and there.link.annotation_id == here.id
    assert (here.target.start, here.target.end) == (passage.start, passage.end)
    assert here.link.target == there.target and there.link.target == here.target
    exported = dump_w3c_jsonl([here])
    assert exported.count("urn:sha256:") == 2
    assert parse_annotations(exported)[0].link == here.link


async def test_near_duplicates_are_listed_under_the_article_they_copy(
    db_path: Path, tmp_path: Path
) -> None:
    """A reprint of the AP seed with one paragraph rewritten, listed first: aligned, the
    two are listed together (the AP seed moves up under the reprint, which copy is the
    original the texts cannot say), each marked with the other's file name."""
    demo = Path(__file__).resolve().parents[2] / "reader" / "demo"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(demo.glob("*.txt")):
        (corpus / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    lines = (demo / f"{AP}.txt").read_text(encoding="utf-8").split("\n")
    longest = max(range(len(lines)), key=lambda n: len(lines[n]))
    lines[longest] = "The wire copy was rewritten here by the reprinting site's own editors."
    (corpus / "000_a_reprint.txt").write_text("\n".join(lines), encoding="utf-8")
    app = reader([str(corpus)], db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(pilot.app)
        by_name = {a.name: a for a in screen.book.articles}
        ap, reprint = by_name[AP], by_name["000_a_reprint"]
        assert screen.book.alignment.near_duplicates()[reprint.id] == ap.id
        order = [a.id for a in screen.book.articles]
        assert order.index(ap.id) == 5 and order.index(reprint.id) == 0  # the corpus order
        shown = screen.article_list.visible_ids()
        assert shown[:2] == [reprint.id, ap.id]
        assert len(shown) == 6
        prompt = str(screen.article_list.get_option(reprint.id).prompt)
        assert f"⧉ {AP}.txt" in prompt
