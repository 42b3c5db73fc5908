"""Input and TextArea that never hold a control character, whatever sets their text.

Pastes are cleaned by the app; these cover the rest: a value set by code (a remembered
directory, a note loaded for editing), an insert, an undo. `Input` and `TextArea` draw
what they hold, so an ESC or a C1 character in it would reach the terminal.
"""

from __future__ import annotations

from typing import Any

from textual.document._document import EditResult
from textual.document._edit import Edit
from textual.widgets import Input, TextArea

from annotations.text import clean_line, clean_note


class CleanInput(Input):
    """A one-line input whose value has no control characters (tabs become spaces)."""

    def validate_value(self, value: str) -> str:
        return clean_line(value)


class CleanTextArea(TextArea):
    """A text area whose document has no control characters but tab and newline."""

    def __init__(self, text: str = "", **options: Any) -> None:
        super().__init__(clean_note(text), **options)

    def load_text(self, text: str) -> None:
        super().load_text(clean_note(text))

    def edit(self, edit: Edit) -> EditResult:
        edit.text = clean_note(edit.text)
        return super().edit(edit)
