"""The article model: normalized text, its lines with character offsets, a content-hash id."""

from __future__ import annotations

import gc
import hashlib
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, count, repeat
from operator import add, sub
from typing import TYPE_CHECKING, NamedTuple, overload

if TYPE_CHECKING:
    from reader.corpus.html import Markup


class Line(NamedTuple):
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

    The line offsets come first (one machine integer per line); the `Line` objects are
    built the first time a line is read, all at once, and kept. Code that needs only
    offsets (`bounds`, `number_at`: the detector) never builds them: a 10 MB corpus has
    hundreds of thousands of lines, and holding one object per line cost time to build
    and made every full garbage collection of the process walk them all.
    """

    __slots__ = ("_lines", "_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        # Start of each line, plus one past the end of the text (the end of the last
        # line + 1), so line n spans starts[n] .. starts[n + 1] - 1.
        lengths = accumulate(map(len, text.split("\n")), initial=0)
        self._starts = array("q", map(add, lengths, count()))
        self._lines: list[Line] | None = None

    def _all(self) -> list[Line]:
        lines = self._lines
        if lines is None:
            starts = self._starts
            ends = map(sub, starts[1:], repeat(1))
            pieces = self._text.split("\n")
            # Many small objects and no reference cycles: with the cyclic collector paused,
            # building them does not set off collections that walk everything the process
            # holds (the whole corpus and its analyses, in `copydesk clean`).
            enabled = gc.isenabled()
            gc.disable()
            try:
                lines = self._lines = list(map(Line, count(), starts, ends, pieces))
            finally:
                if enabled:
                    gc.enable()
        return lines

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, index: int) -> Line: ...

    @overload
    def __getitem__(self, index: slice) -> list[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | list[Line]:
        return self._all()[index]

    def __iter__(self) -> Iterator[Line]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Lines):
            return self._text == other._text
        if isinstance(other, Sequence) and not isinstance(other, str):
            return self._all() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Lines: {len(self)} lines>"

    def bounds(self, number: int) -> tuple[int, int]:
        """`(start, end)` of line `number` (0-based, not negative) without building lines."""
        if not 0 <= number < len(self._starts) - 1:
            raise IndexError("line number out of range")
        return self._starts[number], self._starts[number + 1] - 1

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
    markup: dict[int, Markup] | None = field(default=None, repr=False, compare=False)
    """For HTML input, what the markup says about each line (line number -> evidence)."""

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
