"""Hostile text for the escape-sequence tests, and the checks they make.

The payload carries the sequences that did harm in a real terminal (an OSC title, an
OSC 52 clipboard write, a screen clear, C1 CSI/OSC characters, a colour change and BEL)
between plain words, so a test can see the words arrive and the controls not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

PAYLOAD = (
    "pwn \x1b]0;PWNED-TITLE\x07 \x1b]52;c;cHduZWQ=\x07 \x1b[2J \x9b2J \x9d2;PWNED-C1\x9c "
    "\x1b[31mRED\x1b[0m \x07 \x00 done"
)
"""What a hostile user pastes or an imported file carries."""
SHOWN = "PWNED-TITLE"
"""A word of the payload that must still arrive (only the controls are removed)."""

FORBIDDEN = (
    b"\x1b]0;",  # set the window title
    b"\x1b]2;",
    b"\x1b]52;",  # write the clipboard
    b"\x1b[2J",  # clear the screen
    b"\x1b[31mRED",
    b"PWNED-TITLE\x07",
    b"cHduZWQ=\x07",
)
_C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
"""A C1 control written as UTF-8 (U+009B is a CSI to many terminals)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def leaks(output: bytes) -> list[bytes]:
    """The escape sequences of the payload (or any C1 control) found in terminal output."""
    found = [sequence for sequence in FORBIDDEN if sequence in output]
    found += [match.group() for match in _C1_IN_UTF8.finditer(output)][:3]
    return found


def controls_in(values: Iterable[str]) -> list[str]:
    """The values that hold a control character other than tab and newline."""
    return [value for value in values if _CONTROL.search(value)]


def strings_in(document: object) -> list[str]:
    """Every string (keys and values) in a parsed JSON document."""
    if isinstance(document, str):
        return [document]
    if isinstance(document, dict):
        return [s for k, v in document.items() for s in (*strings_in(k), *strings_in(v))]
    if isinstance(document, list):
        return [s for item in document for s in strings_in(item)]
    return []


def stored_controls(db_path: Path) -> list[str]:
    """Strings holding a control character in the database's files on disk, read as plain
    JSON (not through the annotation model, which would clean them on the way)."""
    files = [db_path, *sorted((db_path.parent / (db_path.name + ".d")).glob("*.json"))]
    found: list[str] = []
    for path in files:
        if path.is_file() and path.stat().st_size:
            found += controls_in(strings_in(json.loads(path.read_text(encoding="utf-8"))))
    return found


def text_fields(annotation) -> list[str]:
    """Every text field of an annotation: what the store must hold clean."""
    fields = [annotation.author, annotation.source_hint, annotation.note, *annotation.tags]
    if annotation.target is not None:
        fields += [annotation.target.exact, annotation.target.prefix, annotation.target.suffix]
    return fields
