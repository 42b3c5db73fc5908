"""Looking closer at the text: the details of one line (`i`) and going to a line (`:`).

`line_details` says everything the status line has no room for: the full kind and its
family, the score, the whole reason, the user's decision, and the block `b`/`B` would
decide. `LineDetails` shows it; `GotoLine` asks for a 1-based line number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader import paths
from reader.corpus import strip_controls
from reader.widgets.article_list import outlet
from reader.widgets.article_rendering import KIND_FAMILIES, KIND_FAMILY

if TYPE_CHECKING:
    from reader.corpus import Article
    from reader.state import Book

TEXT_PREVIEW_CHARS = 600
"""How much of the line itself the details repeat."""

BLOCK_HELP = (
    "a block is the run of non-blank lines around the cursor with the same kind and "
    "verdict (blank lines do not end it); b / B accept or reject it at once"
)
"""What "block" means, as help and the details say it."""

_FAMILY_NOTES = {family: note for family, note, _ in KIND_FAMILIES}


Row = tuple[str, Content]
"""A label ("kind", "reason"...; empty for a heading or the line's text) and its value."""


def _row(label: str, value: Content | str) -> Row:
    return label, value if isinstance(value, Content) else Content(value)


def line_details(book: Book, article: Article, line: int) -> list[Row]:
    """The kind, family, score, full reason, decision and block of `line`, as rows."""
    rows = [
        _row("", Content.assemble(
            (f"Line {line + 1} of {len(article.lines)}", "bold"),
            ("  ·  ", "dim"),
            (strip_controls(outlet(article)), "dim"),
        )),
    ]
    analysis = book.analyses.get(article.id)
    verdict = analysis.verdicts.get(line) if analysis else None
    if analysis is None:
        rows.append(_row("", Content.styled("The detector is still running.", "italic")))
    elif verdict is None:
        rows.append(_row("", Content.styled("A blank line: nothing to decide.", "italic")))
    else:
        kind = str(verdict.kind)
        family = KIND_FAMILY.get(kind)
        verdict_word = "boilerplate" if verdict.boilerplate else "content"
        described = f"{kind} ({verdict_word}"
        described += f"; family {family}: {_FAMILY_NOTES[family]})" if family else ")"
        rows.append(_row("kind", described))
        rows.append(_row("score", f"{verdict.score:.2f} (how sure it is boilerplate, 0 to 1)"))
        rows.append(_row("reason", strip_controls(verdict.reason)))
        for span in verdict.spans:
            quoted = strip_controls(article.text[span.start : span.end])
            rows.append(_row("inline", f"{span.kind}: “{quoted}” ({strip_controls(span.reason)})"))
        decision = book.decisions(article).get(line)
        if decision is None:
            state = "none yet: the suggestion stands (a accepts, r rejects)"
        else:
            state = "removed by you" if decision else "kept by you"
        rows.append(_row("decision", state))
        block = book.block(article, line)
        if block:
            first, last = block[0] + 1, block[-1] + 1
            where = f"line {first}" if first == last else f"lines {first}–{last}"
            rows.append(_row("block", Content.assemble(
                f"{where}, {len(block)} of kind {kind}\n", (BLOCK_HELP, "dim"))))
    text = strip_controls(article.lines[line].text.strip()) if article.lines else ""
    if text:
        if len(text) > TEXT_PREVIEW_CHARS:
            text = text[: TEXT_PREVIEW_CHARS - 1] + "…"
        rows.append(_row("text", Content.styled(f"“{text}”", "italic")))
    return rows


def details_text(rows: list[Row]) -> str:
    """The rows as plain text, one `label  value` a line (for tests and copying)."""
    return "\n".join(f"{label}  {value.plain}".strip() for label, value in rows)


class LineDetails(ModalScreen[None]):
    """The details of one line, wrapped to the dialog (Esc, Enter or i closes it)."""

    CSS_PATH: ClassVar = [paths.styles_dir() / "dialogs.tcss"]
    """Read when the screen first opens, not before the first frame."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,i,q", "dismiss(None)", "Close", id="details.close"),
    ]

    def __init__(self, rows: list[Row]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="details-dialog"):
            with VerticalScroll(id="details-body"):
                for label, value in self.rows:
                    with Horizontal(classes="details-row"):
                        if label:
                            yield Static(Content(label), classes="details-label", markup=False)
                        yield Static(value, classes="details-value", markup=False)
            yield Static(Content("Esc closes · ? lists every key"), classes="hint",
                         markup=False)


class GotoLine(ModalScreen[int | None]):
    """Ask for a line number, 1 to `count`; answers the 0-based line (or None)."""

    CSS_PATH: ClassVar = [paths.styles_dir() / "dialogs.tcss"]
    """Read when the screen first opens, not before the first frame."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="goto.cancel"),
    ]

    def __init__(self, count: int, current: int) -> None:
        super().__init__()
        self.count = count
        self.current = current
        """The 0-based line the cursor is on (shown as the placeholder)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-dialog"):
            yield Static(Content(f"Go to line (1–{self.count})"), markup=False)
            yield Input(placeholder=str(self.current + 1), type="integer", id="goto-line")

    @on(Input.Submitted, "#goto-line")
    def go(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.dismiss(None)
            return
        number = int(value)
        if not 1 <= number <= self.count:
            self.notify(f"No line {number}: lines go from 1 to {self.count}.",
                        severity="warning", markup=False)
            return
        self.dismiss(number - 1)
