"""The article model: normalized text, its lines with character offsets, a content-hash id."""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, count
from operator import add
from typing import overload


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line of an article.

    `start`/`end` are code-point offsets into `Article.text` (end excludes the newline),
    the one coordinate system annotations and the detector share.
    """

    number: int
    start: int
    end: int
    text: str

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


class Lines(Sequence[Line]):
    """An article's physical lines, split on `\\n` only: a read-only sequence of `Line`.

    Only the line offsets are stored (one machine integer per line); each `Line` is built
    when it is asked for. A 10 MB corpus has hundreds of thousands of lines, and holding
    one object per line cost time to build and made every full garbage collection of the
    process walk them all.
    """

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        # Start of each line, plus one past the end of the text (the end of the last
        # line + 1), so line n spans starts[n] .. starts[n + 1] - 1.
        lengths = accumulate(map(len, text.split("\n")), initial=0)
        self._starts = array("q", map(add, lengths, count()))

    def __len__(self) -> int:
        return len(self._starts) - 1

    def _line(self, number: int) -> Line:
        start = self._starts[number]
        end = self._starts[number + 1] - 1
        return Line(number, start, end, self._text[start:end])

    @overload
    def __getitem__(self, index: int) -> Line: ...

    @overload
    def __getitem__(self, index: slice) -> list[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | list[Line]:
        if isinstance(index, slice):
            return [self._line(number) for number in range(len(self))[index]]
        size = len(self._starts) - 1
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("line number out of range")
        return self._line(index)

    def __iter__(self) -> Iterator[Line]:
        text = self._text
        starts = self._starts
        for number, start, after in zip(count(), starts, starts[1:]):
            end = after - 1
            yield Line(number, start, end, text[start:end])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Lines):
            return self._text == other._text
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Lines: {len(self)} lines>"

    def number_at(self, offset: int) -> int:
        """Number of the line containing character `offset` (clamped to the text)."""
        return max(0, min(bisect_right(self._starts, offset) - 1, len(self._starts) - 2))


def content_id(text: str) -> str:
    """Stable article id: the SHA-256 of the normalized text, so renames and moves keep it."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Article:
    """One scraped article, its text already normalized (see `reader.corpus.text.normalize`)."""

    text: str
    source: str
    """Where it came from: a path, `path#N` for a jsonl record, or `<stdin>`."""
    name: str
    """A file-name stem for outputs (`NAME.txt` in gives `DIR/NAME.txt` out)."""
    title: str = ""
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    """Extra fields carried from the input (e.g. a jsonl record's `id`)."""

    def __post_init__(self) -> None:
        if not self.title:
            self.title = _first_line(self.text)

    @cached_property
    def id(self) -> str:
        return content_id(self.text)

    @cached_property
    def lines(self) -> Lines:
        """Physical lines split on `\\n` only, with their offsets (built on demand)."""
        return Lines(self.text)

    def line_at(self, offset: int) -> Line:
        """The line containing character `offset` (clamped to the text)."""
        lines = self.lines
        return lines[lines.number_at(offset)]


def _first_line(text: str, limit: int = 200) -> str:
    for piece in text.split("\n", 50):
        stripped = " ".join(piece.split())
        if stripped:
            return stripped[:limit]
    return "(untitled)"
