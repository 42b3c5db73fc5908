"""An `OptionList` for thousands of options whose prompts change: measured from their
text, grown without repainting what is in view, redrawn where they stand.

Textual's `OptionList` measures an option by wrapping its prompt, forgets every height
when one prompt is replaced, and repaints itself whenever it grows. With the reader's
list of 2,000 articles that was 150 ms of the UI thread each time the detector's counts
arrived, a change was saved or another article was focused, and a repaint of the list
for every batch loaded below its window.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich._wrap import divide_line
from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

if TYPE_CHECKING:
    from textual.visual import RulesMap

REDRAW_CHUNK = 100
"""Entries redrawn per frame when many change at once (the detector's counts and titles
for the whole corpus): 5 to 15 ms of prompts and heights, so keys between stay prompt
(250 a frame took 20 to 45 ms as detection ended on 2,000 articles)."""


def wrapped_height(plain: str, width: int, rules: RulesMap) -> int | None:
    """How many lines `Content` with this text wraps to at `width` under `rules`
    (`Content.get_height`: each line cut where `rich`'s `divide_line` cuts it), from
    the plain text alone, which is much cheaper than building the wrapped lines. None
    where that shortcut does not hold (no wrapping, tabs, no room): measure the content
    then."""
    get_rule = rules.get
    if get_rule("text_wrap", "wrap") == "nowrap" or "\t" in plain:
        return None
    width -= get_rule("line_pad", 0) * 2
    if width < 1:
        return None
    fold = get_rule("text_overflow", "fold") == "fold"
    return sum(
        1 if cell_len(line) <= width else len(divide_line(line, width, fold=fold)) + 1
        for line in plain.split("\n")
    )


def same_height(old: Content, new: Content, width: int) -> bool:
    """Whether two prompts surely wrap to as many lines at `width`, without wrapping
    either: as many lines, each the same text in both or fitting on one line in both
    (an entry's title unchanged, its counts changed)."""
    old_lines = old.plain.split("\n")
    new_lines = new.plain.split("\n")
    return len(old_lines) == len(new_lines) and all(
        before == after or max(cell_len(before), cell_len(after)) <= width
        for before, after in zip(old_lines, new_lines, strict=True)
    )


class MeasuredOptionList(OptionList):
    """The options' mechanics; a subclass says what each option shows (`prompt_for`)."""

    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)
    """The list's scrollable size, which grows with every batch of loaded articles:
    resizing its scrollbar is all that takes (Textual's own `_scroll_update`), so it
    neither lays out the whole screen as a widget's virtual size otherwise does (a
    layout and a full repaint per batch held keys up while thousands of articles
    loaded) nor repaints the list, whose lines in view have not changed (what changes
    them repaints it: `append_options`, `_redraw_now`). The scrollbar appearing
    still lays the screen out (`show_vertical_scrollbar`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._measured_width: int | None = None
        """The width the options were last measured and drawn at."""
        self._measured_shape: tuple[int, int, int] | None = None
        """(width, options, lines) when the options were last measured: `OptionList`
        asks for its lines once per row it draws, and none of them is new then."""
        self._pending_redraw: dict[str, None] = {}
        """Options whose prompt changed but is not redrawn yet, in the order they came
        (`redraw_options`), used as an ordered set."""
        self._redraw_scheduled = False

    def prompt_for(self, ident: str) -> Content:
        """What the option `ident` shows now."""
        raise NotImplementedError

    def forget_pending_redraws(self) -> None:
        """Every prompt is about to be made anew (`set_options`)."""
        self._pending_redraw.clear()

    def _on_resize(self, event: events.Resize) -> None:
        """Nothing to measure again when the width is the same (`_update_lines` sees to
        that): `OptionList` measured every entry again on every resize, and the progress
        bar appearing as loading ends takes a row off the list's height."""
        event.prevent_default()
        self.refresh()

    def _update_lines(self) -> None:
        """Measure the entries not measured yet; all of them again when the width they
        wrap at changed since they were (the scrollbar appearing takes two columns,
        without a resize of the list: measured once it appeared, thousands of entries
        were measured again when loading ended, while keys waited)."""
        width = self.scrollable_content_region.width
        if width and width != self._measured_width:
            if self._measured_width is not None:
                self._option_render_cache.clear()
                self._line_cache.clear()
                self.refresh()
            self._measured_width = width
        self._measure_new_options()

    def _measure_new_options(self) -> None:
        """`OptionList._update_lines`, with each new option's height from its text
        (`wrapped_height`) rather than from its wrapped lines: about a third of the cost,
        paid for every batch of articles loaded."""
        region = self.scrollable_content_region
        if not region:
            return
        cache = self._line_cache
        lines = cache.lines
        options = self.options
        if self._measured_shape == (region.width, len(options), len(lines)):
            return
        first_new = lines[-1][0] + 1 if lines else 0
        width = self._wrap_width()
        for index in range(first_new, len(options)):
            option = options[index]
            height = self._height(option, width)
            cache.index_to_line[index] = len(lines)
            cache.heights[index] = height
            lines.extend([(index, line) for line in range(height)])
        last_divider = options and options[-1]._divider
        virtual_size = Size(width + self._padding_width(), len(lines) - (1 if last_divider else 0))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)
        self._measured_shape = (region.width, len(options), len(lines))

    def append_options(self, new: list[Option]) -> None:
        """`OptionList.add_options` for options that go at the end, repainting the list
        only when they come into its window: it repainted the whole list for every batch
        of articles loaded below it (the scrollbar, which shows the list growing, is
        repainted as its size changes)."""
        options = self._options
        for option in new:
            if option.id in self._id_to_option:
                continue
            self._option_to_index[option] = len(options)
            self._id_to_option[option.id] = option
            options.append(option)
        if not new or not self.is_mounted:
            return
        first_new_line = len(self._line_cache.lines)
        self._update_lines()
        if self.styles.auto_dimensions:
            self.refresh(layout=True)
        elif first_new_line < self.scroll_y + self.scrollable_content_region.height:
            self.refresh()

    def redraw_options(self, idents: Iterable[str]) -> None:
        """Give the shown options among `idents` their prompts anew, where they stand:
        the ones on screen now, the rest a chunk per frame after (`REDRAW_CHUNK`).

        `OptionList.replace_option_prompt` forgets the height of every option, so each
        replaced prompt had every entry measured again: 150 ms on 2,000 articles, paid
        when the detector's counts arrived, on every saved change and on every move to
        another article (its similarity figures). Here only an entry whose height may
        have changed is measured again (`same_height`), and more cheaply
        (`wrapped_height`); entries not yet redrawn keep their old prompt, and height,
        until their turn.
        """
        pending = self._pending_redraw
        pending.update(dict.fromkeys(ident for ident in idents if ident in self._id_to_option))
        if not pending:
            return
        shown = [ident for ident in self._ids_on_screen() if ident in pending]
        self._redraw_now(shown)
        if pending and not self._redraw_scheduled:
            self._redraw_scheduled = True
            self.call_after_refresh(self._redraw_next_chunk)

    def _redraw_next_chunk(self) -> None:
        """Redraw the next `REDRAW_CHUNK` pending options, and ask for the next chunk."""
        self._redraw_scheduled = False
        pending = self._pending_redraw
        if not pending:
            return
        chunk = []
        for ident in pending:
            chunk.append(ident)
            if len(chunk) >= REDRAW_CHUNK:
                break
        self._redraw_now(chunk)
        if pending:
            self._redraw_scheduled = True
            self.call_after_refresh(self._redraw_next_chunk)

    def _ids_on_screen(self) -> list[str]:
        """The ids of the options the list shows now (those measured, in its window)."""
        lines = self._line_cache.lines
        top = int(self.scroll_y)
        indices = dict.fromkeys(index for index, _ in lines[top : top + self.size.height])
        options = self.options
        return [ident for index in indices if (ident := options[index].id) is not None]

    def _redraw_now(self, idents: Iterable[str]) -> None:
        """Redraw these pending options (see `redraw_options`)."""
        pending = self._pending_redraw
        width = self._wrap_width()
        heights = self._line_cache.heights
        moved = False
        redrawn: set[Option] = set()
        for ident in list(idents):
            if ident not in pending:
                continue  # redrawn already
            del pending[ident]
            try:
                index = self.get_option_index(ident)
            except OptionDoesNotExist:
                continue  # filtered out
            option = self.get_option_at_index(index)
            old_prompt = option.prompt
            prompt = self.prompt_for(ident)
            option._set_prompt(prompt)
            redrawn.add(option)
            if index not in heights:
                continue  # not measured yet: measured with the new prompt when it is
            if isinstance(old_prompt, Content) and same_height(old_prompt, prompt, width):
                continue
            height = self._height(option, width)
            if height != heights[index]:
                heights[index] = height
                moved = True
        if moved:
            self._relay_lines()
        if redrawn:
            self._forget_renders(redrawn, repaint=moved)

    def _forget_renders(self, options: set[Option], *, repaint: bool) -> None:
        """Drop the rendered lines of `options` (their prompts changed), and repaint the
        list if one of them is in view or `repaint`: a chunk of entries redrawn off
        screen repainted the whole list, frame after frame, as detection ended."""
        cache = self._option_render_cache
        rendered = cache.keys()  # an LRUCache: no iteration of its own
        for key in [key for key in rendered if key[0] in options]:
            cache.discard(key)
        shown = set(self._ids_on_screen())
        if repaint or any(option.id in shown for option in options):
            self.refresh()

    def _height(self, option: Option, width: int) -> int:
        """An option's height in lines at wrap `width`, as `OptionList` measures it (from
        the text alone when the prompt is `Content`: `wrapped_height`)."""
        prompt = option.prompt
        height = None
        if isinstance(prompt, Content):
            height = wrapped_height(prompt.plain, width, self.styles)
        if height is None:
            height = self._get_visual(option).get_height(self.styles, width)
        return height + option._divider

    def _wrap_width(self) -> int:
        """The width an option's prompt wraps at (as `OptionList._update_lines` measures)."""
        content = self.scrollable_content_region.width - self._get_left_gutter_width()
        return content - self._padding_width()

    def _padding_width(self) -> int:
        return self.get_component_styles("option-list--option").padding.width

    def _relay_lines(self) -> None:
        """Lay the measured options' lines out again from their heights (some changed),
        without measuring any of them, then measure what was not yet."""
        cache = self._line_cache
        measured = len(cache.index_to_line)
        cache.lines.clear()
        cache.index_to_line.clear()
        for index in range(measured):
            cache.index_to_line[index] = len(cache.lines)
            cache.lines.extend((index, line) for line in range(cache.heights[index]))
        self._update_lines()

