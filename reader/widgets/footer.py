"""The footer, with the keys a newcomer needs first kept in sight at any width.

Textual's footer lists keys left to right and drops what does not fit, and the app-wide
keys come last, so at 80 columns `q Quit` and `? Help` were the first to go. This one
docks them at the right beside the palette key, and lets the screen's keys fill what is
left: those that would not fit whole are left out (help lists every key).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ESSENTIAL = ("help", "quit")
"""Actions (of the app's bindings) that always stay in the footer."""


class ReaderFooter(Footer):
    """A footer whose help, quit and palette keys never scroll out of sight."""

    DEFAULT_CSS = """
    ReaderFooter {
        #footer-essentials {
            dock: right;
            width: auto;
            height: 1;
            background: $footer-background;
            border-left: vkey $foreground 20%;
        }
        #footer-essentials FooterKey.-command-palette {
            dock: none;
            border-left: none;
        }
    }
    """

    def compose(self) -> ComposeResult:
        essentials: list[FooterKey] = []
        others: list[FooterKey] = []
        for widget in super().compose():
            if isinstance(widget, FooterKey) and (
                widget.action in ESSENTIAL or widget.has_class("-command-palette")
            ):
                essentials.append(widget)
            elif isinstance(widget, FooterKey):
                others.append(widget)
            else:
                yield widget
        room = self.size.width - 1 - sum(key_width(key) for key in essentials)
        for key in others:
            room -= key_width(key)
            if self.size.width and room < -1:  # a key's trailing blank may go under
                break
            yield key
        rank = {action: place for place, action in enumerate(ESSENTIAL)}
        essentials.sort(key=lambda key: rank.get(key.action, len(ESSENTIAL)))
        if essentials:
            with HorizontalGroup(id="footer-essentials"):
                yield from essentials

    def on_resize(self) -> None:
        if self._bindings_ready:
            self.call_after_refresh(self.recompose)


def key_width(key: FooterKey) -> int:
    """Cells a footer key takes: the key and description with their padding."""
    if not key.description:
        return cell_len(key.key_display) + 1
    return cell_len(key.key_display) + 2 + cell_len(key.description) + 1
