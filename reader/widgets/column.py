"""An article column: a header (title and source), the article view and a status line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget

from reader.corpus import Article, strip_controls
from reader.corpus.text import one_line
from reader.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from reader.boilerplate import Analysis


class ColumnHeader(Widget):
    """Title on the first line, cut to fit; the file name (or host) on the second, then
    its folder or URL and the view mode while there is room: the name is never cut for
    them, and is itself cut at its start (keeping its end) only when alone it is too long."""

    def __init__(self, *, classes: str) -> None:
        super().__init__(classes=classes)
        self.parts: tuple[str, str, str, str] = ("(empty column)", "", "", "")

    def update(self, title: str, name: str, where: str, mode: str) -> None:
        parts = (one_line(title), one_line(name), one_line(where), mode)
        if parts != self.parts:
            self.parts = parts
            self.refresh()

    @property
    def content(self) -> Content:
        """What is drawn now (at the current width)."""
        return self.render()

    def render(self) -> Content:
        title, name, where, mode = self.parts
        width = max(1, self.content_size.width)
        first = Content.styled(title, "bold").truncate(width, ellipsis=True)
        second = Content.styled(name, "dim")
        if second.cell_length > width:
            second = Content.styled("…" + name[-(width - 1):] if width > 1 else "…", "dim")
        for extra, style in ((f" · {where}" if where else "", "dim"),
                             (f"  · {mode}" if mode else "", "italic dim")):
            if extra and second.cell_length + len(extra) <= width:
                second = second + Content.styled(extra, style)
        return Content.assemble(first, "\n", second)


NARROW = 60
"""Columns narrower than this give the reason a status line of its own."""


class ColumnStatus(Widget):
    """Line, kind and score, the reason, then flags: on one line, or, in a narrow column,
    the reason on a second line of its own (so it does not shrink to a word)."""

    def __init__(self, *, classes: str) -> None:
        super().__init__(classes=classes)
        self.parts = (Content(""), Content(""), Content(""))

    def update(self, head: Content, reason: Content, tail: Content) -> None:
        parts = (head, reason, tail)
        if parts != self.parts:
            self.parts = parts
            self.refresh()

    @property
    def content(self) -> Content:
        """What is drawn now (at the current size)."""
        return self.render()

    def render(self) -> Content:
        head, reason, tail = self.parts
        width = max(1, self.content_size.width)
        if self.size.height >= 2:
            return Content.assemble(
                (head + tail).truncate(width, ellipsis=True), "\n",
                reason.truncate(width, ellipsis=True),
            )
        room = width - head.cell_length - tail.cell_length
        if room > 1:
            return head + reason.truncate(room, ellipsis=True) + tail
        return (head + tail).truncate(width, ellipsis=True)


class ArticleColumn(Vertical):
    """One column of the reader; the screen decides what it shows."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="column")
        self.article_id: str | None = None
        self.header = ColumnHeader(classes="column-header")
        self.view = ArticleView(classes="article-view")
        self.status = ColumnStatus(classes="column-status")

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.view
        yield self.status

    def set_header(self, title: str, name: str, where: str, mode: str) -> None:
        """Title (bold), file name or host, folder or URL, mode: all untrusted but the mode."""
        self.header.update(title, name, where, mode)

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    def set_status(self, article: Article | None, analysis: Analysis | None,
                   decisions: dict[int, bool], extra: str = "", shared: str = "") -> None:
        """Kind and reason of the line under the cursor, the user's decision on it, and
        `shared`: the outlet and score of the passage's counterpart in another article."""
        status = self.status
        if article is None:
            status.update(Content(""), Content(""), Content(""))
            return
        view = self.view
        line = view.cursor_line
        head: list[tuple[str, str] | str] = [(f"L{line + 1} ", "dim")]
        if shared:  # first: a narrow column still shows where the passage comes from
            head.append((strip_controls(shared) + "  ", "$accent"))
        reason = Content("")
        verdict = analysis.verdicts.get(line) if analysis else None
        if analysis is None:
            head.append(("detecting…", "dim italic"))
        elif verdict is None:
            head.append(("blank", "dim"))
        else:
            kind_style = "bold $warning" if verdict.boilerplate else "bold $success"
            head.append((str(verdict.kind), kind_style))
            head.append(f" {verdict.score:.2f} ")
            reason = Content.styled(strip_controls(verdict.reason), "italic")
        tail: list[tuple[str, str] | str] = []
        decision = decisions.get(line)
        if decision is not None:
            tail.append(("  [removed]" if decision else "  [kept]", "bold $accent"))
        if view.has_class("-selecting"):
            tail.append(("  SELECT", "reverse"))
        if extra:
            tail.append(("  " + extra, "dim"))
        status.update(Content.assemble(*head), reason, Content.assemble(*tail))
