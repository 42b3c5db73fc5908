"""An article row drawn in one style, the usual case, is drawn as `rich.text.Text` would
draw it: the same characters and the same style in every cell."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import main_screen, reader, settle
from rich.segment import Segment
from textual.strip import Strip

from reader.paths import demo_corpus_dir
from reader.widgets.article_view import ArticleView


def cells(strip: Strip) -> list[tuple[str, object]]:
    """Each cell's character and style (segments split or merged differently compare
    equal)."""
    out: list[tuple[str, object]] = []
    for segment in Segment.simplify(list(strip)):
        out.extend((char, segment.style) for char in segment.text)
    return out


def compare_rows(view: ArticleView) -> tuple[int, int]:
    """(rows drawn in one style, rows drawn through Text), every one-style row checked
    against the Text drawing at the view's width."""
    rows = view._ensure_rows()
    assert rows is not None
    width = view.scrollable_content_region.width
    plain = rich = 0
    for index, row in enumerate(rows.rows):
        if view._marks_part_of(index, row.line, row.start, row.end):
            rich += 1
            continue
        plain += 1
        fast = view._render_row(index, width)
        slow = view._render_rich_row(index, width)
        assert fast.cell_length == slow.cell_length == width
        assert cells(fast) == cells(slow), (index, view.article.text[row.start : row.end])
    return plain, rich


async def test_one_style_rows_match_the_text_drawing(tmp_path: Path) -> None:
    """Every kind of line the detector marks, tabs, wide characters and rows cut in the
    middle of a wide character, in the marked and original modes."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(demo_corpus_dir().glob("*.txt"))[:2]:
        (corpus / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "wide.txt").write_text(
        "東京で会議が開かれた\n\nA\ttabbed\tline of the story, long enough to wrap around "
        "the column at least once or twice.\n\n" + "全角の文字が続く行。" * 12 + "\n",
        encoding="utf-8",
    )
    app = reader([str(corpus)])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        wide = next(a for a in screen.book.articles if a.name.startswith("wide"))
        screen.pane.show_article(screen.pane.columns[1], wide.id)
        views = [column.view for column in screen.pane.columns]
        await pilot.pause()
        counted = [compare_rows(view) for view in views]
        assert all(plain > 10 for plain, _ in counted), counted
        assert any(rich for _, rich in counted), counted  # the focused cursor row at least
        for view in views:
            view.mode = "original"
        await pilot.pause()
        for view in views:
            compare_rows(view)
