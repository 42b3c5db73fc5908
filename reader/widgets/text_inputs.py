"""An Input that never holds a control character, whatever sets its text (the
TextArea that does the same is `reader.widgets.text_area`, imported with the editor).

Pastes are cleaned by the app; these cover the rest: a value set by code (a remembered
directory, a note loaded for editing), an insert, an undo. `Input` and `TextArea` draw
what they hold, so an ESC or a C1 character in it would reach the terminal.
"""

from __future__ import annotations

from textual.widgets import Input

from annotations.text import clean_line


class CleanInput(Input):
    """A one-line input whose value has no control characters (tabs become spaces)."""

    def validate_value(self, value: str) -> str:
        return clean_line(value)
