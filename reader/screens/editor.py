"""The annotation editor: tags with completion and quick keys, a Markdown note and its preview."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Markdown, Static, TextArea

from reader import paths
from reader.corpus import strip_controls
from reader.corpus.text import one_line
from reader.widgets.text_area import CleanTextArea
from reader.widgets.text_inputs import CleanInput

PREVIEW_LIMIT = 4_000
"""Notes longer than this are previewed as plain text (the Markdown widget is slow on long text)."""
QUOTE_LIMIT = 300


@dataclass(frozen=True, slots=True)
class EditorResult:
    """What the user saved."""

    tags: list[str]
    note: str


def split_tags(text: str) -> list[str]:
    """Tags typed as `a, b, c` (or `#a #b`)."""
    pieces = text.replace("#", ",").split(",")
    return [" ".join(piece.split()) for piece in pieces if piece.strip()]


class TagSuggester(Suggester):
    """Completes the last tag being typed from the tags already in use."""

    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.tags = list(tags)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        stem = last.strip()
        if not stem:
            return None
        for tag in self.tags:
            if tag.casefold().startswith(stem.casefold()) and tag.casefold() != stem.casefold():
                prefix = f"{head}, " if head else ""
                return f"{prefix}{tag}"
        return None


class ConfirmDiscard(ModalScreen[bool]):
    """Asks before throwing away an unsaved note."""

    CSS_PATH: ClassVar = [paths.styles_dir() / "editor.tcss"]
    """Read when the screen first opens, not before the first frame."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Discard", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "Keep editing", id="confirm.no"),
    ]

    def __init__(self, question: str = "Discard the unsaved note?") -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(Content(self.question), markup=False)
            yield Static(Content("y: discard · n / Esc: keep editing"), classes="hint",
                         markup=False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class AnnotationEditor(ModalScreen[EditorResult | None]):
    """Edit the tags and Markdown note of one annotation."""

    CSS_PATH: ClassVar = [paths.styles_dir() / "editor.tcss"]
    """Read when the screen first opens, not before the first frame."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="editor.save"),
        Binding("escape", "cancel", "Cancel", id="editor.cancel"),
        *(
            Binding(f"alt+{n}", f"quick_tag({n})", f"Add tag {n}", id=f"editor.quick_{n}",
                    show=False, tooltip="Add the Nth most used tag")
            for n in range(1, 10)
        ),
    ]

    def __init__(
        self,
        *,
        quote: str,
        tags: Sequence[str],
        note: str,
        known_tags: Sequence[str],
        focus: str = "tags",
    ) -> None:
        super().__init__()
        self.quote = quote
        self.initial_tags = ", ".join(tags)
        self.initial_note = note
        self.known_tags = list(known_tags)
        self.focus_field = focus

    def compose(self) -> ComposeResult:
        quote = one_line(self.quote)
        if len(quote) > QUOTE_LIMIT:
            quote = quote[: QUOTE_LIMIT - 1] + "…"
        with Vertical(id="editor-dialog"):
            yield Static(Content.styled(f"“{quote}”", "italic"), id="editor-quote", markup=False)
            yield Label("Tags (comma separated; Tab completes)")
            yield CleanInput(
                self.initial_tags,
                placeholder="e.g. quote, politics",
                suggester=TagSuggester(self.known_tags),
                select_on_focus=False,
                id="editor-tags",
            )
            quick = "   ".join(
                f"alt+{n} {strip_controls(tag)}" for n, tag in enumerate(self.known_tags[:9], 1)
            )
            yield Static(Content(quick or "No tags used yet."), id="editor-quick", markup=False)
            with Horizontal(id="editor-panes"):
                yield CleanTextArea(
                    self.initial_note,
                    language="markdown" if _has_markdown_highlighting() else None,
                    soft_wrap=True,
                    show_line_numbers=False,
                    id="editor-note",
                )
                yield Markdown(id="editor-preview")
            with Horizontal(id="editor-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="editor-save")
                yield Button("Cancel (Esc)", id="editor-cancel")

    def on_mount(self) -> None:
        self._update_preview(self.initial_note)
        target = "#editor-note" if self.focus_field == "note" else "#editor-tags"
        self.query_one(target).focus()

    @property
    def dirty(self) -> bool:
        """Whether anything typed would be lost by cancelling."""
        tags = self.query_one("#editor-tags", Input).value
        note = self.query_one("#editor-note", TextArea).text
        return tags != self.initial_tags or note != self.initial_note

    @on(TextArea.Changed, "#editor-note")
    def preview_note(self, event: TextArea.Changed) -> None:
        self._update_preview(event.text_area.text)

    def _update_preview(self, text: str) -> None:
        preview = self.query_one("#editor-preview", Markdown)
        if len(text) > PREVIEW_LIMIT:
            preview.update("*(note too long to preview)*")
        else:
            preview.update(strip_controls(text) or "*Preview of the note*")

    def _result(self) -> EditorResult:
        return EditorResult(
            tags=split_tags(self.query_one("#editor-tags", Input).value),
            note=self.query_one("#editor-note", TextArea).text,
        )

    @on(Button.Pressed, "#editor-save")
    def action_save(self) -> None:
        result = self._result()
        if not result.tags and not result.note.strip():
            self.notify("Add a tag or write a note first.", markup=False)
            return
        self.dismiss(result)

    @on(Input.Submitted, "#editor-tags")
    def save_from_tags(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#editor-cancel")
    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDiscard(), answered)

    def action_quick_tag(self, number: int) -> None:
        if number > len(self.known_tags):
            return
        field = self.query_one("#editor-tags", Input)
        tags = split_tags(field.value)
        tag = self.known_tags[number - 1]
        if tag not in tags:
            tags.append(tag)
        field.value = ", ".join(tags)


def _has_markdown_highlighting() -> bool:
    try:
        import tree_sitter_markdown  # noqa: F401
    except ImportError:
        return False
    return True
