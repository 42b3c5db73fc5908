"""The footer, with the keys a newcomer needs first kept in sight at any width.

Textual's footer lists keys left to right and drops what does not fit, and the app-wide
keys come last, so at 80 columns `q Quit` and `? Help` were the first to go. This one
docks them at the right beside the palette key, and lets the screen's keys fill what is
left: those that would not fit whole are left out (help lists every key).

Textual's footer rebuilds its keys whenever the screen's bindings may have changed (a
focus change, a refresh of the bindings, a resize here), a widget per key styled twice
each time: about 40 ms of the UI thread for the reader's keys, paid again on every `w`.
This one rebuilds only when what it shows would change, and styles each key once.
"""

from __future__ import annotations

from collections.abc import Hashable

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widget import Widget
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

    _shown: Hashable = None
    """What the keys were last composed from (`shown`)."""

    def __init__(self, *, ready: bool = False) -> None:
        """`ready`: compose the keys as it mounts, from the screen's bindings as they are
        then, laid out to the width of the row it mounts into. Textual's footer mounts
        empty and composes its keys when the screen next announces its bindings: two
        layouts of the screen, the second (the keys mounted and styled) about 85 ms of
        the UI thread just after the reader's first paint, while the first keys wait."""
        super().__init__()
        if ready:
            self.set_reactive(Footer._bindings_ready, True)

    def width(self) -> int:
        """The footer's width, or before its first layout the width of its parent (the
        row kept for it), which it fills."""
        parent = self.parent
        if self.size.width or not isinstance(parent, Widget):
            return self.size.width
        return parent.size.width

    def shown(self) -> Hashable:
        """What the footer's keys depend on: the width and the screen's shown bindings
        (key, action, description, whether enabled, tooltip); None before they are ready."""
        if not self._bindings_ready or not self.is_attached:
            return None
        palette = self.app.COMMAND_PALETTE_BINDING
        return self.width(), tuple(
            (key, binding.action, binding.description, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    async def recompose(self) -> None:
        """Rebuild the keys, unless they would come out the same."""
        shown = self.shown()
        if shown is not None and shown == self._shown:
            return
        await super().recompose()

    def compose(self) -> ComposeResult:
        self._shown = self.shown()
        essentials: list[FooterKey] = []
        others: list[FooterKey] = []
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # Bound to the footer's `compact` (False) as it mounts: starting from its
                # own default (True) restyled each key twice, adding and removing a class.
                # (The palette key is not bound: it keeps its own, compact.)
                widget.set_reactive(FooterKey.compact, self.compact)
            if isinstance(widget, FooterKey) and (
                widget.action in ESSENTIAL or widget.has_class("-command-palette")
            ):
                essentials.append(widget)
            elif isinstance(widget, FooterKey):
                others.append(widget)
            else:
                yield widget
        width = self.width()
        room = width - 1 - sum(key_width(key) for key in essentials)
        for key in others:
            room -= key_width(key)
            if width and room < -1:  # a key's trailing blank may go under
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
