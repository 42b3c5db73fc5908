"""The article model: normalized text, its lines with character offsets, a content-hash id."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property


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
    def lines(self) -> list[Line]:
        """Physical lines split on `\\n` only, with their offsets."""
        result: list[Line] = []
        start = 0
        for number, piece in enumerate(self.text.split("\n")):
            end = start + len(piece)
            result.append(Line(number, start, end, piece))
            start = end + 1
        return result

    def line_at(self, offset: int) -> Line:
        """The line containing character `offset` (clamped to the text)."""
        lines = self.lines
        lo, hi = 0, len(lines) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if lines[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lines[lo]


def _first_line(text: str, limit: int = 200) -> str:
    for piece in text.split("\n", 50):
        stripped = " ".join(piece.split())
        if stripped:
            return stripped[:limit]
    return "(untitled)"
