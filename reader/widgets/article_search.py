"""Search inside the article pane: every hit of a literal term marked, next and previous.

A mixin of `ArticleView`: it sets the view's `matches` (drawn by `ArticleRendering`) and
moves its cursor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any


class ArticleSearch:
    """The search half of `ArticleView`."""

    # Provided by `ArticleView`.
    article: Any
    cursor: int
    matches: list[tuple[int, int]]

    _invalidate: Any
    move_cursor: Any

    def set_matches(self, matches: Sequence[tuple[int, int]]) -> None:
        """Search hits to mark, as `(start, end)` offsets."""
        self.matches = sorted(matches)
        self._invalidate()

    match_number: int | None = None
    """The 1-based number of the hit the last search went to."""

    def search(self, term: str) -> int:
        """Mark every case-insensitive occurrence of `term` (a literal) and go to the first
        after the cursor; returns how many there are."""
        if self.article is None or not term:
            self.set_matches([])
            self.match_number = None
            return 0
        pattern = re.compile(re.escape(term), re.IGNORECASE)
        self.set_matches([(m.start(), m.end()) for m in pattern.finditer(self.article.text)])
        self.match_number = self.next_match(wrap_from=self.cursor - 1)
        return len(self.matches)

    def next_match(self, wrap_from: int | None = None) -> int | None:
        """Go to the next hit after the cursor (or `wrap_from`), wrapping; its 1-based number."""
        if not self.matches:
            return None
        position = self.cursor if wrap_from is None else wrap_from
        following = [m for m in self.matches if m[0] > position]
        target = following[0] if following else self.matches[0]
        self.move_cursor(target[0], center=True)
        return self.matches.index(target) + 1

    def previous_match(self) -> int | None:
        """Go to the previous hit before the cursor, wrapping; its 1-based number."""
        if not self.matches:
            return None
        earlier = [m for m in self.matches if m[0] < self.cursor]
        target = earlier[-1] if earlier else self.matches[-1]
        self.move_cursor(target[0], center=True)
        return self.matches.index(target) + 1
