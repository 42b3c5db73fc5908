"""`?`: every binding of the reader, grouped, with the keys the user's keymap gives them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import App


def binding_groups(app: App) -> list[tuple[str, list[Binding]]]:
    """The reader's bindings by where they apply."""
    from reader.screens.editor import AnnotationEditor
    from reader.screens.main import AnnotationPanel, MainScreen
    from reader.widgets.article_list import ArticleList
    from reader.widgets.article_view import ArticleView

    def only(bindings: Iterable[BindingType]) -> list[Binding]:
        return [b for b in bindings if isinstance(b, Binding)]

    return [
        ("Reader", only(MainScreen.BINDINGS)),
        ("Article text", only(ArticleView.BINDINGS)),
        ("Article list", only(ArticleList.BINDINGS)),
        ("Annotations panel", only(AnnotationPanel.BINDINGS)),
        ("Annotation editor", only(AnnotationEditor.BINDINGS)),
        ("Everywhere", only(type(app).BINDINGS)),
    ]


def shown_keys(app: App, binding: Binding) -> str:
    """The keys for `binding`, after the user's keymap, in display form."""
    keymap: dict[str, str] = getattr(app, "_keymap", {}) or {}
    keys = keymap.get(binding.id or "", binding.key)
    return " ".join(app.get_key_display(Binding(key.strip(), "")) for key in keys.split(","))


class HelpScreen(ModalScreen[None]):
    """A scrollable table of every binding."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close", id="help.close"),
        Binding("down,j", "scroll(1)", "Down", id="help.down", show=False),
        Binding("up,k", "scroll(-1)", "Up", id="help.up", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(Content.styled("Keys", "bold"), id="help-title", markup=False)
            with VerticalScroll(id="help-body"):
                yield Static(self._table(), markup=False)
            yield Static(
                Content("Esc or ? closes · ctrl+p lists every command"),
                classes="hint",
                markup=False,
            )

    def _table(self) -> Content:
        parts: list[Content] = []
        for group, bindings in binding_groups(self.app):
            parts.append(Content.styled(group, "bold $accent"))
            quick = [b for b in bindings if (b.id or "").split(".")[-1].startswith("quick_")]
            for binding in bindings:
                keys = shown_keys(self.app, binding)
                if binding in quick:
                    if binding is not quick[0]:
                        continue
                    keys = f"{keys} … {shown_keys(self.app, quick[-1])}"
                    binding = Binding(binding.key, binding.action, "Quick tags: the most used tags",
                                      id=binding.id)
                parts.append(
                    Content.assemble(
                        (f"  {keys:<18}", "bold $secondary"),
                        binding.description,
                        (f"  {binding.tooltip}" if binding.tooltip else "", "dim"),
                    )
                )
            parts.append(Content(""))
        return Content("\n").join(parts)

    def action_scroll(self, step: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=step, animate=False)
