"""The review screen's detail pane: named blocks of text drawn through the line API.

The pane used to be a scroll container of Statics and a `Markdown` widget; every
keypress changed their heights, so Textual laid the whole screen out again and redrew
everything under the first block that moved (40-90 ms a key at 10,000 annotations).
Here the pane is one `ScrollView` of fixed size: `show` wraps only the blocks that
changed (strips are cached by block and width), and a move repaints this pane alone.
A layout happens only when the number of rows grows past (or back within) the pane.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip


@dataclass(frozen=True)
class Block:
    """One part of the pane: `content` wrapped to the pane's width, a blank row after it.

    `box` names a component class (`detail-view--context`, `detail-view--note`): the
    block is then padded by one cell on each side on that class's background.
    """

    name: str
    content: Content
    box: str | None = None


class DetailView(ScrollView, can_focus=True):
    """Blocks of content, one under another, scrolled as one."""

    ALLOW_SELECT = True

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "detail-view--context",
        "detail-view--note",
    }

    DEFAULT_CSS = """
    DetailView {
        scrollbar-gutter: stable;
        & > .detail-view--context {
            background: $boost;
        }
        & > .detail-view--note {
            background: $surface;
        }
    }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.blocks: tuple[Block, ...] = ()
        self._rows: list[tuple[Content, str | None]] = []
        """Each row's content (padding included) and its box class."""
        self._row_width = -1
        """The width `_rows` were wrapped to (-1: not yet)."""
        self._wrapped: dict[tuple[Block, int], list[Content]] = {}
        """(block, width) -> its rows, so unchanged blocks are not wrapped again."""
        self._strips: dict[int, Strip] = {}
        """Row -> drawn strip, for the rows drawn since the last change."""

    # ---- content -----------------------------------------------------------------------

    def show(self, blocks: Sequence[Block], *, to_top: bool = False) -> None:
        """Show `blocks` (nothing is redrawn when they are the ones shown)."""
        blocks = tuple(blocks)
        if to_top and self.scroll_offset.y:
            self.scroll_to(y=0, animate=False, immediate=True)
        if blocks == self.blocks:
            return
        self.blocks = blocks
        self._rebuild()

    def text_of(self, name: str) -> str:
        """The plain text of the block called `name` ("" if there is none)."""
        for block in self.blocks:
            if block.name == name:
                return block.content.plain
        return ""

    def _rebuild(self) -> None:
        width = self.scrollable_content_region.width
        self._row_width = width
        if len(self._wrapped) > 256:
            self._wrapped.clear()
        rows: list[tuple[Content, str | None]] = []
        for number, block in enumerate(self.blocks):
            if number:
                rows.append((Content(""), None))
            key = (block, width)
            wrapped = self._wrapped.get(key)
            if wrapped is None:
                wrapped = self._wrap(block, width)
                self._wrapped[key] = wrapped
            rows.extend((row, block.box) for row in wrapped)
        self._rows = rows
        self._strips.clear()
        height = max(len(rows), self.scrollable_content_region.height)
        if self.virtual_size != Size(0, height):
            self.virtual_size = Size(0, height)  # a layout, but only when the row count moves
        self.refresh()

    @staticmethod
    def _wrap(block: Block, width: int) -> list[Content]:
        if width <= 0:
            return []
        if block.box is None:
            return block.content.wrap(width) or [Content("")]
        inner = max(1, width - 2)
        return [row.pad(1, 1) for row in block.content.wrap(inner) or [Content("")]]

    # ---- drawing -----------------------------------------------------------------------

    def on_resize(self) -> None:
        region = self.scrollable_content_region
        # The rows are padded to the pane's height: a shorter pane (a footer docked
        # below it, a smaller terminal) needs them again, or a scrollbar appears.
        if region.width != self._row_width or self.virtual_size.height != max(
            len(self._rows), region.height
        ):
            self._rebuild()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        selection = self.text_selection
        strip = None if selection is not None else self._strips.get(index)
        if strip is None:
            if not 0 <= index < len(self._rows):
                strip = Strip.blank(width, self.rich_style)
            else:
                content, box = self._rows[index]
                style = self.get_visual_style(box) if box else self.get_visual_style()
                if selection is not None and (span := selection.get_span(index)) is not None:
                    start, end = span
                    content = content.stylize(
                        self.screen.get_visual_style("screen--selection"),
                        start,
                        len(content) if end == -1 else end,
                    )
                segments = content.render_segments(style)
                strip = Strip(segments).adjust_cell_length(width, style.rich_style)
            if selection is None:
                if len(self._strips) > 400:
                    self._strips.clear()
                self._strips[index] = strip
        return strip.crop(scroll_x, scroll_x + width).apply_offsets(scroll_x, index)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        text = "\n".join(content.plain for content, _ in self._rows)
        return selection.extract(text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._strips.clear()
        self.refresh()
