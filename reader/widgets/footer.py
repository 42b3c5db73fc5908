"""The footer, with the keys a newcomer needs first kept in sight at any width.

Textual's footer lists keys left to right and drops what does not fit, and the app-wide
keys come last, so at 80 columns `q Quit` and `? Help` were the first to go. This one
docks them at the right beside the palette key, and lets the screen's keys fill what is
left.
"""

from __future__ import annotations

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
        for widget in super().compose():
            if isinstance(widget, FooterKey) and (
                widget.action in ESSENTIAL or widget.has_class("-command-palette")
            ):
                essentials.append(widget)
            else:
                yield widget
        rank = {action: place for place, action in enumerate(ESSENTIAL)}
        essentials.sort(key=lambda key: rank.get(key.action, len(ESSENTIAL)))
        if essentials:
            with HorizontalGroup(id="footer-essentials"):
                yield from essentials
