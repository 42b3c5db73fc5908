"""An article column: a header (title and source), the article view and a status line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget

from reader.corpus import Article, strip_controls
from reader.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from reader.boilerplate import Analysis


class TextLine(Widget):
    """A fixed-height line of content that repaints without a layout pass (unlike `Static`)."""

    def __init__(self, content: Content, *, classes: str) -> None:
        super().__init__(classes=classes)
        self.content = content

    def render(self) -> Content:
        return self.content

    def update(self, content: Content) -> None:
        if content != self.content:
            self.content = content
            self.refresh()


class ArticleColumn(Vertical):
    """One column of the reader; the screen decides what it shows."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="column")
        self.article_id: str | None = None

    def compose(self) -> ComposeResult:
        yield TextLine(Content("(empty column)"), classes="column-header")
        yield ArticleView(classes="article-view")
        yield TextLine(Content(""), classes="column-status")

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def set_header(self, title: str, source: str, mode: str) -> None:
        """Title (bold) and source, as plain content: both are untrusted."""
        header = Content.assemble(
            (strip_controls(title), "bold"),
            "\n",
            (f"{strip_controls(source)}", "dim"),
            (f"  · {mode}", "italic dim"),
        )
        self.query_one(".column-header", TextLine).update(header)

    def set_status(self, article: Article | None, analysis: Analysis | None,
                   decisions: dict[int, bool], extra: str = "", shared: str = "") -> None:
        """Kind and reason of the line under the cursor, the user's decision on it, and
        `shared`: the outlet and score of the passage's counterpart in another article."""
        status = self.query_one(".column-status", TextLine)
        if article is None:
            status.update(Content(""))
            return
        view = self.view
        line = view.cursor_line
        parts: list[tuple[str, str] | str] = [(f"L{line + 1} ", "dim")]
        if shared:  # first: a narrow column still shows where the passage comes from
            parts.append((strip_controls(shared) + "  ", "$accent"))
        verdict = analysis.verdicts.get(line) if analysis else None
        if analysis is None:
            parts.append(("detecting…", "dim italic"))
        elif verdict is None:
            parts.append(("blank", "dim"))
        else:
            kind_style = "bold $warning" if verdict.boilerplate else "bold $success"
            parts.append((str(verdict.kind), kind_style))
            parts.append(f" {verdict.score:.2f} ")
            parts.append((strip_controls(verdict.reason), "italic"))
        decision = decisions.get(line)
        if decision is not None:
            parts.append(("  [removed]" if decision else "  [kept]", "bold $accent"))
        if view.has_class("-selecting"):
            parts.append(("  SELECT", "reverse"))
        if extra:
            parts.append(("  " + extra, "dim"))
        status.update(Content.assemble(*parts))
