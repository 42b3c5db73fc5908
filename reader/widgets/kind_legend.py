"""The boilerplate legend: every family of kinds, each kind drawn in the style the
article view gives it (read from the view, so it follows the theme and the stylesheet).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from reader.widgets.article_rendering import KIND_FAMILIES


class KindLegend(Widget):
    """A strip under the columns listing the kinds by family in their own colours (on the
    article's own background, so each sample looks as it does in the text)."""

    DEFAULT_CSS = """
    KindLegend {
        height: auto;
        max-height: 8;
        padding: 0 1;
        background: $surface;
        color: $text-muted;
    }
    """

    def _view_style(self, component: str) -> Style:
        from reader.widgets.article_view import ArticleView

        view = self.screen.query(ArticleView).first(ArticleView)
        return view.get_component_rich_style(component)

    def render(self) -> Text:
        text = Text(no_wrap=False, end="")
        text.append("Boilerplate ", "bold")
        for number, (family, _, kinds) in enumerate(KIND_FAMILIES):
            text.append(" · " if number else " ")
            text.append(f"{family}: ", "bold")
            for index, kind in enumerate(kinds):
                if index:
                    text.append(" ")
                text.append(kind, self._view_style(f"article-view--{kind}"))
        text.append(" · ")
        text.append("inline: ", "bold")
        text.append("inside a line", self._view_style("article-view--inline"))
        text.append(" · ")
        text.append("decided: ", "bold")
        text.append("removed", self._view_style("article-view--removed"))
        text.append(" ")
        text.append("kept", self._view_style("article-view--kept"))
        text.append("  (i: this line's kind and reason; K hides this)", "italic")
        return text

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh(layout=True)
