"""The export dialog: which articles, which format, which directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from reader import paths
from reader.export import FORMATS
from reader.widgets.text_inputs import CleanInput

SCOPES = ("current", "selected", "all")


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export and where."""

    scope: str
    fmt: str
    directory: Path


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Choose the articles, format and directory; the screen runs the export."""

    CSS_PATH: ClassVar = [paths.styles_dir() / "dialogs.tcss"]
    """Read when the screen first opens, not before the first frame."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="export_dialog.cancel"),
    ]

    def __init__(self, *, marked: int, default_dir: Path, default_format: str = "txt") -> None:
        super().__init__()
        self.marked = marked
        self.default_dir = default_dir
        self.default_format = default_format if default_format in FORMATS else FORMATS[0]

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static(Content.styled("Export cleaned text", "bold"), markup=False)
            yield Label("Articles")
            with RadioSet(id="export-scope"):
                yield RadioButton("current article", value=True, id="scope-current")
                yield RadioButton(f"selected ({self.marked} marked)", id="scope-selected")
                yield RadioButton("all articles", id="scope-all")
            yield Label("Format")
            with RadioSet(id="export-format"):
                for fmt in FORMATS:
                    yield RadioButton(fmt, value=fmt == self.default_format, id=f"format-{fmt}")
            yield Label("Directory")
            yield CleanInput(str(self.default_dir), id="export-dir")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def _choice(self, selector: str, prefix: str, default: str) -> str:
        pressed = self.query_one(selector, RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return default
        return pressed.id.removeprefix(prefix)

    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted, "#export-dir")
    def export_chosen(self) -> None:
        directory = self.query_one("#export-dir", Input).value.strip() or str(self.default_dir)
        self.dismiss(
            ExportRequest(
                scope=self._choice("#export-scope", "scope-", "current"),
                fmt=self._choice("#export-format", "format-", self.default_format),
                directory=Path(directory).expanduser(),
            )
        )

    @on(Button.Pressed, "#export-cancel")
    def cancel(self) -> None:
        self.dismiss(None)
