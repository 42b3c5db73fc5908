"""A TextArea that never holds a control character, whatever sets its text.

Pastes are cleaned by the app; this covers the rest: a note loaded for editing, an
insert, an undo. `TextArea` draws what it holds, so an ESC or a C1 character in it would
reach the terminal. A module of its own: the reader's first frame has inputs but no text
area, and Textual's TextArea is a large import.
"""

from __future__ import annotations

from typing import Any

from textual.document._document import EditResult
from textual.document._edit import Edit
from textual.widgets import TextArea

from annotations.text import clean_note


class CleanTextArea(TextArea):
    """A text area whose document has no control characters but tab and newline."""

    def __init__(self, text: str = "", **options: Any) -> None:
        super().__init__(clean_note(text), **options)

    def load_text(self, text: str) -> None:
        super().load_text(clean_note(text))

    def edit(self, edit: Edit) -> EditResult:
        edit.text = clean_note(edit.text)
        return super().edit(edit)
