"""What the reader shows of an alignment: each article's shared passages, by offset.

Textual-free. An `Alignment` is built once per corpus (by `reader.align.cache`, from
the disk cache or afresh) and read by the columns (marks, status, jump, aligned
scrolling, the unique view) and the article list (similarity, near-duplicates).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

NEAR_DUPLICATE = 0.8
"""An article at least this much of whose content another article prints is a
near-duplicate of it (a wire story reprinted with a line or two changed)."""


@dataclass(frozen=True, slots=True)
class Shared:
    """A passage of one article that another article prints too."""

    start: int
    end: int
    """Character offsets of the passage in this article's text."""
    line: int
    other: str
    """The counterpart's article id."""
    other_start: int
    other_end: int
    other_line: int
    score: float
    """rapidfuzz similarity, 0..100."""


@dataclass
class Alignment:
    """Every article's shared passages and how much of each article every other prints."""

    passages: dict[str, list[Shared]] = field(default_factory=dict)
    """Article id -> its shared passages, ordered by start (one per counterpart)."""
    shares: dict[tuple[str, str], float] = field(default_factory=dict)
    """(a, b) -> the share of a's content (by characters) that b prints too."""
    computed: int = 0
    """Articles aligned afresh in this run (0: everything came from the disk cache)."""
    cached: int = 0
    """Articles whose pairs were all read from the disk cache."""

    def add_pair(
        self,
        a: str,
        b: str,
        a_share: float,
        b_share: float,
        matches: Iterable[tuple[int, int, int, int, int, int, float]],
    ) -> None:
        """Record what `a` and `b` share; each match is (a_line, a_start, a_end,
        b_line, b_start, b_end, score)."""
        self.shares[(a, b)] = a_share
        self.shares[(b, a)] = b_share
        left = self.passages.setdefault(a, [])
        right = self.passages.setdefault(b, [])
        for a_line, a_start, a_end, b_line, b_start, b_end, score in matches:
            left.append(Shared(a_start, a_end, a_line, b, b_start, b_end, b_line, score))
            right.append(Shared(b_start, b_end, b_line, a, a_start, a_end, a_line, score))

    def finish(self) -> Alignment:
        """Order every article's passages by offset (after the last `add_pair`)."""
        for found in self.passages.values():
            found.sort(key=lambda s: (s.start, -s.score, s.other))
        return self

    def of(self, article_id: str) -> list[Shared]:
        """The article's shared passages, by start."""
        return self.passages.get(article_id, [])

    def spans(self, article_id: str) -> list[tuple[int, int]]:
        """The article's shared text as merged `(start, end)` spans, in order."""
        merged: list[tuple[int, int]] = []
        for passage in self.of(article_id):
            if merged and passage.start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], passage.end))
            else:
                merged.append((passage.start, passage.end))
        return merged

    def at(self, article_id: str, offset: int) -> list[Shared]:
        """Passages covering `offset`, best score first."""
        found = self.of(article_id)
        stop = bisect_right([s.start for s in found], offset)
        here = [s for s in found[:stop] if s.start <= offset < s.end]
        return sorted(here, key=lambda s: -s.score)

    def on_line(self, article_id: str, line: int) -> list[Shared]:
        """Passages on article line `line`, in order."""
        return [s for s in self.of(article_id) if s.line == line]

    def between(self, article_id: str, other: str) -> list[Shared]:
        """The article's passages that `other` prints, by start."""
        return [s for s in self.of(article_id) if s.other == other]

    def share(self, article_id: str, other: str) -> float:
        """How much of `article_id`'s content `other` prints (0..1)."""
        return self.shares.get((article_id, other), 0.0)

    def similar_to(self, focus: str) -> dict[str, float]:
        """Article id -> the share of its content that `focus` prints (only those > 0)."""
        return {a: value for (a, b), value in self.shares.items() if b == focus and value > 0}

    def near_duplicates(self, threshold: float = NEAR_DUPLICATE) -> dict[str, str]:
        """Article id -> the article printing the most of it, for articles at least
        `threshold` of whose content one other article prints."""
        best: dict[str, tuple[float, str]] = {}
        for (a, b), value in self.shares.items():
            if value >= threshold and value > best.get(a, (0.0, ""))[0]:
                best[a] = (value, b)
        return {a: b for a, (_, b) in best.items()}
