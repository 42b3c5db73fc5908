"""How the article pane draws a row: boilerplate by kind, annotated spans by tag, search
hits, the selection and the cursor, each through a `COMPONENT_CLASSES` style.

A mixin of `ArticleView` (it reads the view's article, analysis, decisions, highlights,
matches, selection and cursor, and caches styles and strips on it), kept apart so the
widget module holds state, movement and messages, and this one holds the drawing.
"""

from __future__ import annotations

import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any, NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

TAG_COLOURS = 6
"""Annotated spans are coloured by their first tag, hashed into this many classes."""

BOILERPLATE_KINDS = (
    "chrome", "shared-chrome", "advertisement", "caption", "credit", "section-label",
    "reading-time", "timestamp", "related", "legal", "newsletter", "repeated-headline",
    "appended-story", "standfirst", "comments", "byline", "dateline",
)
"""The detector's boilerplate `Kind` values that get their own colour (a boilerplate line
of any other kind is drawn as `article-view--boilerplate`). Spelled out rather than read
from `Kind`, so the first frame is drawn before the detector is imported; a test keeps
this list, `Kind` and the stylesheet in step."""

_KIND_CLASSES = {kind: f"article-view--{kind}" for kind in BOILERPLATE_KINDS}

KIND_FAMILIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("site", "navigation and page furniture",
     ("chrome", "shared-chrome", "section-label", "reading-time", "timestamp",
      "repeated-headline")),
    ("promotion", "ads, calls to action, links away, comments",
     ("advertisement", "newsletter", "related", "comments")),
    ("media", "photo and video captions and credits", ("caption", "credit")),
    ("legal", "republishing and legal notices", ("legal",)),
    ("other story", "a whole story glued after the article", ("appended-story",)),
    ("metadata", "byline, dateline and standfirst", ("byline", "dateline", "standfirst")),
)
"""The kinds in families of one style each (`styles/main.tcss` colours a family alike and
each family differently; the legend lists them in this order)."""

KIND_FAMILY = {kind: family for family, _, kinds in KIND_FAMILIES for kind in kinds}
"""Kind -> the name of its family."""


def tag_class(tag: str | None) -> str:
    """The component class colouring spans whose first tag is `tag` (stable across runs)."""
    if not tag:
        return "article-view--note"
    return f"article-view--tag-{zlib.crc32(tag.casefold().encode()) % TAG_COLOURS}"


class Highlight(NamedTuple):
    """An annotated span to colour: offsets into the article text and its component class."""

    start: int
    end: int
    component: str
    annotation_id: str = ""


class ArticleRendering:
    """The drawing half of `ArticleView` (`render_line` and the row it builds)."""

    # Set by `ArticleView`; typed loosely here, where only the drawing reads them.
    article: Any
    analysis: Any
    decisions: Any
    highlights: Any
    matches: Any
    shared: Any
    _shared_ends: Any
    mode: Any
    cursor: Any
    _styles: Any
    _cache: Any
    _rows: Any
    _painted: Any

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(name)
            self._styles[name] = style
        return style

    def _base_style(self) -> Style:
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def _line_component(self, line: int) -> str | None:
        if self.mode == "original" or self.analysis is None:
            return None
        decision = self.decisions.get(line)
        verdict = self.analysis.verdicts.get(line)
        if decision is True:
            return "article-view--removed"
        if verdict is None:
            return None
        if decision is False:
            return "article-view--kept" if verdict.boilerplate else None
        if verdict.boilerplate:
            return _KIND_CLASSES.get(str(verdict.kind), "article-view--boilerplate")
        if verdict.kind == "headline":
            return "article-view--headline"
        return None

    def render_line(self, y: int) -> Strip:
        rows = self._ensure_rows()
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if self.article is not None and not self._painted:
            self._painted = True
            self.post_message(self.Painted(self))
        if rows is None or index >= len(rows):
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._render_row(index, width).apply_offsets(0, index)
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[index] = strip
        return strip

    def _render_row(self, index: int, width: int) -> Strip:
        """Row `index` at `width` cells: in one style when nothing marks part of it (most
        rows), else through `rich.text.Text` with every range styled (`_render_rich_row`).
        """
        assert self._rows is not None and self.article is not None
        row = self._rows.rows[index]
        if self._marks_part_of(index, row.line, row.start, row.end):
            return self._render_rich_row(index, width)
        style = self._base_style()
        component = self._line_component(row.line)
        if component is not None:
            style = style + self._style(component)
        plain = self.article.text[row.start : row.end].replace("\t", " ")
        segments = Segment.adjust_line_length([Segment(plain, style)], width, style)
        return Strip(segments, width)

    def _marks_part_of(self, index: int, line: int, start: int, end: int) -> bool:
        """Whether anything but the line's kind styles part of this row: a shared
        passage, an inline span, an annotation, a search hit, the selection or the
        cursor."""
        if self.shared and self.mode in ("marked", "unique"):
            first = bisect_right(self._shared_ends, start)
            if first < len(self.shared) and self.shared[first][0] < end:
                return True
        if self.mode == "marked" and self.analysis is not None:
            verdict = self.analysis.verdicts.get(line)
            if verdict is not None and verdict.spans and not self.decisions.get(line):
                return True
        if self.matches or self.selection_range is not None:
            return True
        if any(h.start < end and h.end > start for h in self.highlights):
            return True
        return self.has_focus and self._cursor_on_row(index)

    def _cursor_on_row(self, index: int) -> bool:
        """Whether the cursor is on row `index` (at its end only on a line's last row)."""
        rows = self._rows.rows
        row = rows[index]
        is_last_row = index + 1 >= len(rows) or rows[index + 1].line != row.line
        return row.start <= self.cursor < row.end or (self.cursor == row.end and is_last_row)

    def _render_rich_row(self, index: int, width: int) -> Strip:
        """Row `index` with each marked range in its style, through `rich.text.Text`."""
        assert self._rows is not None and self.article is not None
        row = self._rows.rows[index]
        start, end = row.start, row.end
        base = self._base_style()
        text = Text(
            self.article.text[start:end].replace("\t", " "),
            style=base,
            no_wrap=True,
            end="",
        )
        text.pad_right(max(0, width - text.cell_len) + 1)
        text.stylize(base)
        component = self._line_component(row.line)
        if component is not None:
            text.stylize(self._style(component))
        if self.shared and self.mode in ("marked", "unique"):
            # What another article prints too: marked subtly, or dimmed in the unique view.
            shared_style = self._style(
                "article-view--shared" if self.mode == "marked" else "article-view--common"
            )
            for shared_start, shared_end in self.shared[bisect_right(self._shared_ends, start) :]:
                if shared_start >= end:
                    break
                self._stylize_range(text, shared_start, shared_end, start, end, shared_style)
        if self.mode == "marked" and self.analysis is not None:
            verdict = self.analysis.verdicts.get(row.line)
            if verdict is not None and verdict.spans and not self.decisions.get(row.line):
                inline = self._style("article-view--inline")
                for span in verdict.spans:
                    self._stylize_range(text, span.start, span.end, start, end, inline)
        for highlight in self._overlapping(self.highlights, start, end):
            self._stylize_range(
                text, highlight.start, highlight.end, start, end, self._style(highlight.component)
            )
        if self.matches:
            match_style = self._style("article-view--match")
            first = bisect_left(self.matches, (start - 10_000, 0))
            for match_start, match_end in self.matches[first:]:
                if match_start >= end:
                    break
                self._stylize_range(text, match_start, match_end, start, end, match_style)
        selected = self.selection_range
        if selected is not None:
            self._stylize_range(
                text, selected[0], selected[1], start, end, self._style("article-view--selection")
            )
        if self.has_focus and self._cursor_on_row(index):
            text.stylize(self._style("article-view--cursor-line"))
            column = self.cursor - start
            text.stylize(self._style("article-view--cursor"), column, column + 1)
        segments = list(text.render(self.app.console))
        return Strip(Segment.adjust_line_length(segments, width, base), width)

    @staticmethod
    def _overlapping(highlights: Sequence[Highlight], start: int, end: int) -> list[Highlight]:
        return [h for h in highlights if h.start < end and h.end > start]

    @staticmethod
    def _stylize_range(
        text: Text, span_start: int, span_end: int, row_start: int, row_end: int, style: Style
    ) -> None:
        if span_start >= row_end or span_end <= row_start:
            return
        first = max(span_start, row_start) - row_start
        text.stylize(style, first, min(span_end, row_end) - row_start)
