"""The article list: title, outlet, suggested-boilerplate and annotation counts, tags.

An `OptionList` (drawn line by line, fine for thousands of articles) under a filter
input. The filter takes words matched against title and source, `#tag` (or `tag:x`)
and `@author` (or `author:x`); double quotes keep spaces in a term (`#"two words"`,
`@"Ana B"`, `"new york"`). Space marks articles for "export selected". Once the corpus
is aligned, each entry shows how much of it the focused article prints (`≈66%`), and
near-duplicates (articles another one prints almost whole) are listed together, each
marked `⧉` with the outlet of the article that prints most of it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich._wrap import divide_line
from rich.cells import cell_len
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from annotations.query import filter_terms
from reader.corpus import Article, strip_controls
from reader.state import Book

if TYPE_CHECKING:
    from textual.visual import RulesMap


@dataclass(frozen=True, slots=True)
class ListEntry:
    """What the list shows for one article."""

    article: Article
    title: str
    boilerplate: int | None
    """Suggested boilerplate lines; None while the detector runs."""
    annotations: int
    tags: tuple[str, ...]
    authors: tuple[str, ...]


def entry_for(book: Book, article: Article) -> ListEntry:
    """The list entry for `article` from what the book holds now."""
    analysis = book.analyses.get(article.id)
    annotations = book.for_article(article.id)
    return ListEntry(
        article=article,
        title=book.title(article),
        boilerplate=analysis.boilerplate_count if analysis else None,
        annotations=len(annotations),
        tags=tuple(book.article_tags(article.id)),
        authors=tuple(sorted({a.author for a in annotations})),
    )


@dataclass(frozen=True, slots=True)
class ListFilter:
    """A parsed filter: words, tags and authors (all must match)."""

    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> ListFilter:
        words, tags, authors = [], [], []
        for token in filter_terms(text):
            lowered = token.casefold()
            if lowered.startswith("#") and len(lowered) > 1:
                tags.append(lowered[1:])
            elif lowered.startswith("tag:") and len(lowered) > 4:
                tags.append(lowered[4:])
            elif lowered.startswith("@") and len(lowered) > 1:
                authors.append(lowered[1:])
            elif lowered.startswith("author:") and len(lowered) > 7:
                authors.append(lowered[7:])
            else:
                words.append(lowered)
        return cls(tuple(words), tuple(tags), tuple(authors))

    @property
    def active(self) -> bool:
        """Whether the filter can hide anything."""
        return bool(self.words or self.tags or self.authors)

    def matches(self, entry: ListEntry) -> bool:
        if not self.active:
            return True
        haystack = f"{entry.title}\n{entry.article.source}".casefold()
        if any(word not in haystack for word in self.words):
            return False
        entry_tags = {tag.casefold() for tag in entry.tags}
        if any(tag not in entry_tags for tag in self.tags):
            return False
        entry_authors = {author.casefold() for author in entry.authors}
        return all(author in entry_authors for author in self.authors)


def outlet(article: Article) -> str:
    """A short outlet name: the URL's host, else the file name."""
    if article.url and "://" in article.url:
        host = article.url.split("://", 1)[1].split("/", 1)[0]
        return host.removeprefix("www.")
    return article.source.rsplit("/", 1)[-1]


def entry_prompt(
    entry: ListEntry, marked: bool, similarity: float | None = None, copy_of: str = ""
) -> Content:
    """Two lines: the title, then outlet, counts and tags (all untrusted, never markup);
    `similarity`, the share of the article the focused one prints, and `copy_of`, the
    outlet of the article this one nearly duplicates, once the corpus is aligned."""
    title = strip_controls(entry.title).replace("\n", " ")
    if len(title) > 120:
        title = title[:119] + "…"
    boilerplate = "…" if entry.boilerplate is None else str(entry.boilerplate)
    parts: list[tuple[str, str] | str] = []
    if marked:
        parts.append(("● ", "bold $accent"))
    parts += [(title, "bold"), "\n", (strip_controls(outlet(entry.article)), "dim")]
    parts.append((f"  ⌫{boilerplate}", "$warning"))
    parts.append((f"  ✎{entry.annotations}", "$success" if entry.annotations else "dim"))
    if similarity:
        parts.append((f"  ≈{similarity:.0%}", "bold $accent" if similarity >= 0.8 else "$accent"))
    if copy_of:
        parts.append((f"  ⧉ {strip_controls(copy_of)}", "bold $accent"))
    if entry.tags:
        tags = " ".join("#" + strip_controls(tag) for tag in entry.tags[:4])
        parts.append(("  " + tags, "italic $secondary"))
    return Content.assemble(*parts)


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


def _same_height(old: Content, new: Content, width: int) -> bool:
    """Whether two prompts of an entry surely wrap to as many lines at `width`: the same
    first line (the title, and whether it is marked), and a second line (outlet, counts,
    tags) that fits on one line in both."""
    old_first, _, old_second = old.plain.partition("\n")
    new_first, _, new_second = new.plain.partition("\n")
    return old_first == new_first and max(cell_len(old_second), cell_len(new_second)) <= width


class ArticleList(OptionList):
    """The corpus, one two-line option per article (ids are article ids)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", id="list.down", show=False),
        Binding("up,k", "cursor_up", "Up", id="list.up", show=False),
        Binding("home,g", "first", "First", id="list.first", show=False),
        Binding("end,G", "last", "Last", id="list.last", show=False),
        Binding("space", "toggle_mark", "Mark", id="list.mark",
                tooltip="Mark the article for 'export selected'"),
    ]

    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)
    """The list's scrollable size, which grows with every batch of loaded articles:
    resizing its scrollbar is all that takes (Textual's own `_scroll_update`), so it
    neither lays out the whole screen as a widget's virtual size otherwise does (a
    layout and a full repaint per batch held keys up while thousands of articles
    loaded) nor repaints the list, whose lines in view have not changed (what changes
    them repaints it: `_append_options`, `_redraw_now`). The scrollbar appearing
    still lays the screen out (`show_vertical_scrollbar`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: dict[str, ListEntry] = {}
        self.order: list[str] = []
        self.marked: set[str] = set()
        self.filter = ListFilter()
        self.similarity: dict[str, float] = {}
        """Article id -> the share of it the focused article prints (from the alignment)."""
        self.near: dict[str, str] = {}
        """Near-duplicate -> the article that prints it almost whole: listed right under
        that article, marked with its outlet."""
        self._measured_width: int | None = None
        """The width the entries were last measured and drawn at."""
        self._pending_redraw: dict[str, None] = {}
        """Entries whose prompt changed but is not redrawn yet, in the order they came
        (`_redraw_entries`), used as an ordered set."""
        self._redraw_scheduled = False

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
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        lines = cache.lines
        options = self.options
        first_new = lines[-1][0] + 1 if lines else 0
        width = self._wrap_width()
        for index in range(first_new, len(options)):
            option = options[index]
            prompt = option.prompt
            if isinstance(prompt, Content):
                height = self._height(option, prompt, width)
            else:
                height = self._get_visual(option).get_height(self.styles, width) + option._divider
            cache.index_to_line[index] = len(lines)
            cache.heights[index] = height
            lines.extend([(index, line) for line in range(height)])
        last_divider = options and options[-1]._divider
        virtual_size = Size(width + self._padding_width(), len(lines) - (1 if last_divider else 0))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def _prompt(self, ident: str) -> Content:
        original = self.near.get(ident)
        copy_of = outlet(self.entries[original].article) if original in self.entries else ""
        return entry_prompt(
            self.entries[ident], ident in self.marked, self.similarity.get(ident), copy_of
        )

    def show_similarity(self, similarity: dict[str, float], near: dict[str, str]) -> None:
        """Show each article's share printed by the focused one; group the near-duplicates
        under the articles they copy. Only entries whose figures change are redrawn (the
        whole list only when the groups change, once the corpus is aligned)."""
        if near != self.near:
            self.similarity, self.near = dict(similarity), dict(near)
            self._rebuild()
            return
        changed = {
            ident
            for ident in set(similarity) | set(self.similarity)
            if self.similarity.get(ident) != similarity.get(ident)
        }
        self.similarity = dict(similarity)
        self._redraw_entries(changed)

    def set_entries(self, entries: Sequence[ListEntry]) -> None:
        """Replace every entry (keeps the highlighted article when it is still shown).

        Nothing is redrawn when nothing changed (the store opening on a database that
        holds nothing about these articles, say): a rebuild measures every option again,
        which blocks the UI thread for a noticeable time on thousands of articles.
        """
        order = [entry.article.id for entry in entries]
        if order == self.order:
            changed = [e for e in entries if self.entries[e.article.id] != e]
            if not changed:
                return
            matches = self.filter.matches
            if not self.filter.active or all(
                matches(e) == matches(self.entries[e.article.id]) for e in changed
            ):
                # The same entries shown in the same order: redrawn where they stand
                # (the detector's counts arriving for thousands of articles).
                self.entries.update((entry.article.id, entry) for entry in changed)
                self._redraw_entries([entry.article.id for entry in changed])
                return
        self.entries = {entry.article.id: entry for entry in entries}
        self.order = order
        self._rebuild()

    def add_entries(self, entries: Sequence[ListEntry]) -> None:
        """Append newly loaded articles."""
        new = []
        for entry in entries:
            if entry.article.id not in self.entries:
                self.order.append(entry.article.id)
            self.entries[entry.article.id] = entry
            if self.filter.matches(entry):
                new.append(Option(self._prompt(entry.article.id), id=entry.article.id))
        self._append_options(new)
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def _append_options(self, new: list[Option]) -> None:
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

    def update_entry(self, entry: ListEntry) -> None:
        """Redraw one article's line (new counts or tags)."""
        self.entries[entry.article.id] = entry
        self._redraw_entries([entry.article.id])

    def _redraw_entries(self, idents: Iterable[str]) -> None:
        """Give the shown entries among `idents` their prompts anew, where they stand:
        the ones on screen now, the rest a chunk per frame after (`REDRAW_CHUNK`).

        `OptionList.replace_option_prompt` forgets the height of every option, so each
        replaced prompt had every entry measured again: 150 ms on 2,000 articles, paid
        when the detector's counts arrived, on every saved change and on every move to
        another article (its similarity figures). Here only an entry whose height may
        have changed is measured again (`_same_height`), and more cheaply
        (`wrapped_height`); entries not yet redrawn keep their old prompt, and height,
        until their turn.
        """
        pending = self._pending_redraw
        pending.update(dict.fromkeys(ident for ident in idents if ident in self.entries))
        if not pending:
            return
        shown = [ident for ident in self._ids_on_screen() if ident in pending]
        self._redraw_now(shown)
        if pending and not self._redraw_scheduled:
            self._redraw_scheduled = True
            self.call_after_refresh(self._redraw_next_chunk)

    def _redraw_next_chunk(self) -> None:
        """Redraw the next `REDRAW_CHUNK` pending entries, and ask for the next chunk."""
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
        """Redraw these pending entries (see `_redraw_entries`)."""
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
            prompt = self._prompt(ident)
            option._set_prompt(prompt)
            redrawn.add(option)
            if index not in heights:
                continue  # not measured yet: measured with the new prompt when it is
            if isinstance(old_prompt, Content) and _same_height(old_prompt, prompt, width):
                continue
            height = self._height(option, prompt, width)
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

    def _height(self, option: Option, prompt: Content, width: int) -> int:
        """An option's height in lines at wrap `width`, as `OptionList` measures it."""
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

    def set_filter(self, text: str) -> None:
        self.filter = ListFilter.parse(text)
        self._rebuild()

    @property
    def highlighted_id(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id

    def visible_ids(self) -> list[str]:
        return [option.id for option in self.options if option.id is not None]

    def grouped_order(self) -> list[str]:
        """The corpus order with each group of near-duplicates together, under the one
        listed first (copies often copy each other both ways: a group, not a chain)."""
        if not self.near:
            return self.order
        head = {ident: ident for ident in self.order}

        def find(ident: str) -> str:
            while head[ident] != ident:
                head[ident] = head[head[ident]]
                ident = head[ident]
            return ident

        position = {ident: index for index, ident in enumerate(self.order)}
        for copy, original in self.near.items():
            if copy in head and original in head:
                first, second = sorted((find(copy), find(original)), key=position.__getitem__)
                head[second] = first
        members: dict[str, list[str]] = {}
        for ident in self.order:
            members.setdefault(find(ident), []).append(ident)
        return [ident for group in members.values() for ident in group]

    def _rebuild(self) -> None:
        self._pending_redraw.clear()  # every prompt is made anew here
        current = self.highlighted_id
        options = [
            Option(self._prompt(ident), id=ident)
            for ident in self.grouped_order()
            if self.filter.matches(self.entries[ident])
        ]
        self.set_options(options)
        if options:
            ids = [option.id for option in options]
            self.highlighted = ids.index(current) if current in ids else 0

    def select_article(self, article_id: str) -> None:
        """Highlight `article_id` if it is shown."""
        with contextlib.suppress(Exception):
            self.highlighted = self.get_option_index(article_id)

    def action_toggle_mark(self) -> None:
        ident = self.highlighted_id
        if ident is None:
            return
        self.marked.symmetric_difference_update({ident})
        self.update_entry(self.entries[ident])
