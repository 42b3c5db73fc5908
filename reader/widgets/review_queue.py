"""The review queue: one line per annotation, drawn lazily through the line API.

A queue can hold thousands of items. An `OptionList` measures and wraps every option
when the list changes (about 2 s for 6,000 items); this widget draws only the rows on
screen, each cut to one line, and caches their strips, so filling it, moving the cursor
and updating one row cost the same at 10 items and at 10,000. It reads `items[i]` only
for the rows it draws, so a lazy sequence (the review's `QueueItems`) builds each item
as it scrolls into view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

T = TypeVar("T")


class QueueList(ScrollView, Generic[T], can_focus=True):
    """A cursor over `items`, each drawn as one line by `render_item`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "queue-list--row",
        "queue-list--cursor",
    }

    DEFAULT_CSS = """
    QueueList {
        background: $surface;
        & > .queue-list--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .queue-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", id="queue.down", show=False),
        Binding("up", "cursor_up", "Up", id="queue.up", show=False),
        Binding("pagedown", "page_down", "Page down", id="queue.page_down", show=False),
        Binding("pageup", "page_up", "Page up", id="queue.page_up", show=False),
        Binding("home", "first", "First", id="queue.first", show=False),
        Binding("end", "last", "Last", id="queue.last", show=False),
    ]

    @dataclass
    class Highlighted(Message):
        """The cursor moved to `index` (None: the queue is empty)."""

        queue: QueueList
        index: int | None

        @property
        def control(self) -> QueueList:
            return self.queue

    highlighted: reactive[int | None] = reactive(None, layout=False, always_update=False)
    """The row under the cursor, or None when the queue is empty."""

    def __init__(
        self,
        render_item: Callable[[T], Content],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.render_item = render_item
        self.items: Sequence[T] = []
        self._strips: dict[tuple[int, int, bool, bool], Strip] = {}
        """(index, width, cursor?, focused?) -> drawn row."""

    # ---- content ----------------------------------------------------------------------

    def set_items(self, items: Sequence[T], highlighted: int | None = 0) -> None:
        """Show `items` (kept by reference) with the cursor on `highlighted`."""
        self.items = items
        self._strips.clear()
        self.virtual_size = Size(0, len(items))
        self.highlighted = self.validate_highlighted(highlighted)
        self.refresh()

    def refresh_item(self, index: int) -> None:
        """Redraw one row after its item changed in `items`."""
        for key in [k for k in self._strips if k[0] == index]:
            del self._strips[key]
        self.refresh_line(index - self.scroll_offset.y)

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self.items:
            return None
        return max(0, min(highlighted, len(self.items) - 1))

    def watch_highlighted(self, previous: int | None, highlighted: int | None) -> None:
        for index in (previous, highlighted):
            if index is not None:
                self.refresh_line(index - self.scroll_offset.y)
        if highlighted is not None:
            self.scroll_to_cursor()
        self.post_message(self.Highlighted(self, highlighted))

    def scroll_to_cursor(self) -> None:
        index = self.highlighted
        if index is None:
            return
        top = self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height)
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    # ---- drawing ----------------------------------------------------------------------

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.items))
        self._strips.clear()
        self.scroll_to_cursor()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if not 0 <= index < len(self.items):
            return Strip.blank(width, self.get_visual_style("queue-list--row").rich_style)
        cursor = index == self.highlighted
        key = (index, width, cursor, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4 * max(50, self.size.height):
                self._strips.clear()
            if cursor:
                style = self.get_visual_style("queue-list--row", "queue-list--cursor")
            else:
                style = self.get_visual_style("queue-list--row")
            content = Content.assemble(" ", self.render_item(self.items[index]))
            segments = content.truncate(width, ellipsis=True).render_segments(style)
            strip = Strip(segments).adjust_cell_length(width, style.rich_style)
            self._strips[key] = strip
        return strip.crop(self.scroll_offset.x, self.scroll_offset.x + width)

    # ---- moving -----------------------------------------------------------------------

    def _move(self, index: int) -> None:
        if self.items:
            self.highlighted = max(0, min(index, len(self.items) - 1))

    def action_cursor_down(self) -> None:
        self._move(0 if self.highlighted is None else self.highlighted + 1)

    def action_cursor_up(self) -> None:
        self._move(0 if self.highlighted is None else self.highlighted - 1)

    def action_page_down(self) -> None:
        self._move((self.highlighted or 0) + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self._move((self.highlighted or 0) - max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self.items) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self._move(self.scroll_offset.y + offset.y)
