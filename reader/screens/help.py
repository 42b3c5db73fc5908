"""`?`: the bindings of the screen it was opened on, then the app-wide ones.

Each screen says which keys it has with a `help_groups()` method (its own bindings and
those of the widgets and dialogs it owns); keys are shown as the user's keymap sets them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reader import paths

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

KEYS_WIDTH = 16
"""Cells for the key column."""
DESCRIPTION_WIDTH = 24
"""Cells for the description column; tooltips wrap in a column after it."""
NUMBERED = re.compile(r"^(?P<stem>.*_)(?P<n>\d+)$")
"""Ids like `annotate.quick_3`: a run of them is shown as one row, `1 … 9`."""

Group = tuple[str, list[Binding]]


def only_bindings(bindings: Iterable[BindingType]) -> list[Binding]:
    return [b for b in bindings if isinstance(b, Binding)]


def screen_groups(screen: Screen) -> list[Group]:
    """The keys of `screen` by where they apply (its `help_groups()`, else its bindings)."""
    groups = getattr(screen, "help_groups", None)
    if callable(groups):
        return [(title, only_bindings(bindings)) for title, bindings in groups()]
    return [("This screen", only_bindings(type(screen).BINDINGS))]


def app_bindings(app: App) -> list[Binding]:
    """The app-wide bindings that do something where the user is now."""
    return [
        b for b in only_bindings(type(app).BINDINGS)
        if app.check_action(b.action, ()) is not False
    ]


def binding_groups(app: App, screen: Screen) -> list[Group]:
    """What `?` lists on `screen`: the screen's groups, then the app-wide keys."""
    return [*screen_groups(screen), ("Everywhere", app_bindings(app))]


def shown_keys(app: App, binding: Binding) -> str:
    """The keys for `binding`, after the user's keymap, in display form."""
    keymap: dict[str, str] = getattr(app, "_keymap", {}) or {}
    keys = keymap.get(binding.id or "", binding.key)
    return " ".join(app.get_key_display(Binding(key.strip(), "")) for key in keys.split(","))


def help_rows(app: App, bindings: list[Binding]) -> list[tuple[str, str, str]]:
    """(keys, description, tooltip) per binding; a numbered run (`quick_1`…`quick_9`)
    becomes one row, `1 … 9`, its description with N for the number."""
    rows: list[tuple[str, str, str]] = []
    index = 0
    while index < len(bindings):
        binding = bindings[index]
        found = NUMBERED.match(binding.id or "")
        end = index + 1
        if found:
            while end < len(bindings) and (
                (other := NUMBERED.match(bindings[end].id or ""))
                and other["stem"] == found["stem"]
            ):
                end += 1
        if end - index > 1:
            last = bindings[end - 1]
            number = found["n"] if found else ""
            description = re.sub(rf"\b{number}\b", "N", binding.description, count=1)
            rows.append((f"{shown_keys(app, binding)} … {shown_keys(app, last)}",
                         description, binding.tooltip))
        else:
            rows.append((shown_keys(app, binding), binding.description, binding.tooltip))
        index = end
    return rows


def help_table(app: App, groups: list[Group], width: int) -> Content:
    """The groups as a three-column table fitting `width` cells.

    The key and description columns are as wide as their longest entry (at most
    `KEYS_WIDTH` and `DESCRIPTION_WIDTH`); a tooltip sits in the third column when it
    fits there in two lines, else it wraps under the description, across the rest of the
    width, so a narrow terminal never squeezes a sentence into a column of a few words."""
    rows_by_group = [(title, help_rows(app, bindings)) for title, bindings in groups if bindings]
    every = [row for _, rows in rows_by_group for row in rows]
    keys_width = min(KEYS_WIDTH, max((len(keys) for keys, _, _ in every), default=0) + 2)
    description_width = min(
        DESCRIPTION_WIDTH, max((len(text) for _, text, _ in every), default=0) + 2)
    under = 2 + keys_width
    """Where a description starts (and a tooltip wrapped under it)."""
    indent = under + description_width
    tooltip_width = width - indent
    lines: list[Content] = []
    for title, rows in rows_by_group:
        lines.append(Content.styled(title, "bold $accent"))
        for keys, description, tooltip in rows:
            head = Content.assemble(
                "  ",
                Content.styled(keys, "bold $secondary").pad_right(
                    max(1, keys_width - len(keys))),
                description,
            )
            if not tooltip:
                lines.append(head)
                continue
            tip = Content.styled(tooltip, "dim")
            parts = tip.wrap(tooltip_width) if tooltip_width >= 20 else []
            if parts and len(parts) <= 2 and head.cell_length + 2 <= indent:
                lines.append(head.pad_right(indent - head.cell_length) + parts[0])
                lines.extend(Content(" " * indent) + part for part in parts[1:])
                continue
            lines.append(head)
            lines.extend(Content(" " * under) + part for part in tip.wrap(max(10, width - under)))
        lines.append(Content(""))
    return Content("\n").join(lines)


class HelpTable(Static):
    """The help table, laid out again for its width whenever that changes."""

    def __init__(self, groups: list[Group]) -> None:
        super().__init__(Content(""), markup=False)
        self.groups = groups

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width:
            self.update(help_table(self.app, self.groups, event.size.width))


class HelpScreen(ModalScreen[None]):
    """A scrollable table of the bindings of one screen and of the app."""

    CSS_PATH: ClassVar = [paths.styles_dir() / "help.tcss"]
    """Read when the screen first opens, not before the first frame."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close", id="help.close"),
        Binding("down,j", "scroll(1)", "Down", id="help.down", show=False),
        Binding("up,k", "scroll(-1)", "Up", id="help.up", show=False),
    ]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.target = screen
        """The screen whose keys are listed (the one `?` was pressed on)."""

    def compose(self) -> ComposeResult:
        groups = binding_groups(self.app, self.target)
        title = groups[0][0] if groups else ""
        with Vertical(id="help-dialog"):
            yield Static(Content.assemble(("Keys", "bold"), (f" · {title}", "dim")),
                         id="help-title", markup=False)
            with VerticalScroll(id="help-body"):
                yield HelpTable(groups)
            yield Static(
                Content("Esc or ? closes · ctrl+p lists every command of this screen"),
                classes="hint",
                markup=False,
            )

    def action_scroll(self, step: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=step, animate=False)
