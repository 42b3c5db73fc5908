"""Soft wrapping: rows partition each line, fit the width, and map offsets both ways."""

from __future__ import annotations

from reader.corpus import Article
from reader.widgets.wrapping import RowMap, wrap_offsets


def rows_of(text: str, width: int) -> list[str]:
    starts = wrap_offsets(text, width)
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def test_wraps_at_spaces_and_hard_breaks_long_words() -> None:
    assert rows_of("the quick brown fox", 10) == ["the quick ", "brown fox"]
    assert rows_of("abcdefghijklmnop", 5) == ["abcde", "fghij", "klmno", "p"]
    assert rows_of("short", 10) == ["short"]
    assert "".join(rows_of("a " * 500, 7)) == "a " * 500


def test_wide_characters_fit_their_cells() -> None:
    from rich.cells import cell_len

    text = "日本語のテキストです " * 10
    rows = rows_of(text, 12)
    assert "".join(rows) == text
    assert all(cell_len(row.rstrip()) <= 12 for row in rows)


def test_row_map_offsets_round_trip() -> None:
    article = Article(text="first line is long enough to wrap\n\nsecond", source="x", name="x")
    rows = RowMap(article, range(len(article.lines)), 10)
    assert len(rows) == 6
    for offset in range(len(article.text)):
        if article.text[offset] == "\n":
            continue
        row = rows.row_of(offset)
        found = rows.rows[row]
        assert found.start <= offset <= found.end
        assert rows.offset_at(row, offset - found.start) == offset
    assert rows.first_row_of_line(2) == 5
    assert rows.first_row_of_line(7) is None
