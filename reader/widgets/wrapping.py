"""Soft wrapping and the one conversion between article offsets and view rows.

An article view shows a list of *rows*; each row is a slice `[start, end)` of the
article's normalized text (code-point offsets, the coordinate system shared with the
detector and the annotations). Rows of one line partition that line exactly: a row
that breaks at a space keeps the space at its end, so offset -> row is a bisection.
Everything here is plain Python (no Textual) so it can be tested and benchmarked alone.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from rich.cells import cell_len, get_character_cell_size

from reader.corpus.model import Article


def wrap_offsets(text: str, width: int) -> list[int]:
    """Start offsets (relative to `text`) of each visual row of one line at `width` cells.

    Breaks after the last space that fits, or hard-breaks a word longer than the width.
    Single-cell text takes a fast path (`str.rfind`); wide characters are measured.
    """
    width = max(1, width)
    length = len(text)
    if length <= width and (text.isascii() or cell_len(text) <= width):
        return [0]
    if text.isascii() or cell_len(text) == length:
        starts = [0]
        position = 0
        while length - position > width:
            limit = position + width
            space = text.rfind(" ", position, limit + 1)
            position = space + 1 if space > position else limit
            starts.append(position)
        return starts
    return _wrap_wide(text, width)


def _wrap_wide(text: str, width: int) -> list[int]:
    """Wrapping for text holding double-width characters (measured per character)."""
    starts = [0]
    used = 0
    last_space = -1
    row_start = 0
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        size = get_character_cell_size(char)
        if used + size > width and index > row_start:
            if char == " ":
                index += 1
                row_start = index
            elif last_space >= row_start:
                row_start = last_space + 1
            else:
                row_start = index
            starts.append(row_start)
            used = cell_len(text[row_start:index]) if index > row_start else 0
            last_space = -1
            continue
        if char == " ":
            last_space = index
        used += size
        index += 1
    if starts[-1] >= length and len(starts) > 1:
        starts.pop()
    return starts


class Row(NamedTuple):
    """One visual row: article line number and the `[start, end)` slice of the text."""

    line: int
    start: int
    end: int


class Rows(Sequence[Row]):
    """Rows kept in three integer arrays: compact, and invisible to the garbage collector
    (a 5 MB article has ~135k rows; as objects they made every full collection slow)."""

    def __init__(self) -> None:
        self.lines = array("q")
        self.starts = array("q")
        self.ends = array("q")

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index: int) -> Row:  # type: ignore[override]
        return Row(self.lines[index], self.starts[index], self.ends[index])

    def __iter__(self) -> Iterator[Row]:
        for line, start, end in zip(self.lines, self.starts, self.ends, strict=True):
            yield Row(line, start, end)


class RowMap:
    """Rows of a set of article lines wrapped at one width, with offset <-> row lookups."""

    def __init__(self, article: Article, line_numbers: Sequence[int], width: int) -> None:
        self.width = max(1, width)
        lines = article.lines
        self.rows = Rows()
        self.starts = self.rows.starts
        lines_append = self.rows.lines.append
        starts_append = self.rows.starts.append
        ends_append = self.rows.ends.append
        for number in line_numbers:
            line = lines[number]
            base = line.start
            text = line.text
            if len(text) <= self.width and text.isascii():
                lines_append(number)
                starts_append(base)
                ends_append(line.end)
                continue
            offsets = wrap_offsets(text, self.width)
            ends = [*offsets[1:], len(text)]
            for row_start, row_end in zip(offsets, ends, strict=True):
                lines_append(number)
                starts_append(base + row_start)
                ends_append(base + row_end)

    def __len__(self) -> int:
        return len(self.rows)

    def row_of(self, offset: int) -> int:
        """The row showing character `offset` (the nearest row when that line is hidden)."""
        if not self.rows:
            return 0
        index = bisect_right(self.starts, offset) - 1
        return min(max(index, 0), len(self.rows) - 1)

    def offset_at(self, row: int, column: int) -> int:
        """The character offset shown at cell `column` of `row` (clamped to the row)."""
        if not self.rows:
            return 0
        row = min(max(row, 0), len(self.rows) - 1)
        found = self.rows[row]
        return found.start + min(max(column, 0), found.end - found.start)

    def first_row_of_line(self, line: int) -> int | None:
        """The first row of article line `line`, or None when the line is not shown."""
        numbers = self.rows.lines
        lo = bisect_left(numbers, line)
        if lo < len(numbers) and numbers[lo] == line:
            return lo
        return None
