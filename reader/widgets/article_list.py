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
from collections.abc import Sequence
from typing import ClassVar, NamedTuple

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets.option_list import Option

from annotations.query import filter_terms
from reader.corpus import Article, strip_controls
from reader.state import Book
from reader.widgets.measured_options import MeasuredOptionList


class ListEntry(NamedTuple):
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


class ListFilter(NamedTuple):
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


class ArticleList(MeasuredOptionList):
    """The corpus, one two-line option per article (ids are article ids)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", id="list.down", show=False),
        Binding("up,k", "cursor_up", "Up", id="list.up", show=False),
        Binding("home,g", "first", "First", id="list.first", show=False),
        Binding("end,G", "last", "Last", id="list.last", show=False),
        Binding("space", "toggle_mark", "Mark", id="list.mark",
                tooltip="Mark the article for 'export selected'"),
    ]

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

    def prompt_for(self, ident: str) -> Content:
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
        self.redraw_options(changed)

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
            if all(matches(e) == matches(self.entries[e.article.id]) for e in changed):
                # The same entries shown in the same order: redrawn where they stand
                # (the detector's counts arriving for thousands of articles).
                self.entries.update((entry.article.id, entry) for entry in changed)
                self.redraw_options([entry.article.id for entry in changed])
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
                new.append(Option(self.prompt_for(entry.article.id), id=entry.article.id))
        self.append_options(new)
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def update_entry(self, entry: ListEntry) -> None:
        """Redraw one article's line (new counts or tags)."""
        self.entries[entry.article.id] = entry
        self.redraw_options([entry.article.id])

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
        self.forget_pending_redraws()  # every prompt is made anew here
        current = self.highlighted_id
        options = [
            Option(self.prompt_for(ident), id=ident)
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
