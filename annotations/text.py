"""Control characters out of untrusted text: the one definition every path shares.

A C0 or C1 control character (ESC, BEL, U+009B CSI, U+009D OSC, ...) in a note, a tag,
a name or a file name would reach the terminal as an escape sequence that retitles it,
blanks it or writes the clipboard. `strip_controls` removes them all except tab and
newline; the annotation model applies `clean_note` and `clean_line` to its text fields
when an annotation is made or read, so the store never holds one. The reader's
`reader.corpus.strip_controls`/`one_line` are this same function.
"""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and newline, DEL, and the C1 controls."""
_LINE_BREAKS = re.compile(r"\r\n?")
_LINE_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _plain_ascii(text: str) -> bool:
    """Whether `text` is ASCII with no control character but tab and newline, tested at C
    speed: every control is unprintable, so once tabs and newlines are taken out the
    rest must be printable. (Lines of text hold newlines, which `isprintable` alone
    refuses.) Other text is left to the regular expression."""
    return text.isascii() and (
        text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable()
    )


def strip_controls(text: str) -> str:
    """Remove C0/C1 control characters except tab and newline (no escape sequence survives)."""
    if _plain_ascii(text):
        return text
    return CONTROL.sub("", text)


def clean_note(text: str) -> str:
    """Multi-line text (a note, a quote): `\\r\\n` and `\\r` become `\\n`, other controls
    but tab and newline are removed."""
    if _plain_ascii(text):
        return text
    return CONTROL.sub("", _LINE_BREAKS.sub("\n", text))


def clean_line(text: str) -> str:
    """One-line text (a tag, a name, a path): line breaks and tabs become spaces, every
    other control character is removed."""
    if text.isascii() and text.isprintable():
        return text
    return _LINE_CONTROLS.sub(_space_or_nothing, _LINE_BREAKS.sub("\n", text))


def _space_or_nothing(match: re.Match[str]) -> str:
    return " " if match.group() in "\n\t" else ""
