"""The main screen's first layout, and no second one for nothing.

Right after the first frame, whole-screen layouts that changed nothing came as the first
keys did (10-30 ms each): the requests the widgets made as the first layout sized them,
Textual hiding its empty toast rack, the terminal's size read again. Mixed into
`MainScreen`. The rest of what kept the screen from being laid out again lives where it
is drawn: the article views' rows (`ArticleView.virtual_size`), the list's scrollbar
(`styles/main.tcss`), the progress bar's row (`ProgressLine`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual import messages as textual_messages
from textual._time import get_time

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.app import App
    from textual.geometry import Size
    from textual.widget import Widget


class FirstLayout:
    """Mixed into `MainScreen`, which provides these attributes and the Screen API.

    Textual calls the `_on_...` handler of every class on the screen's MRO in turn,
    unless one prevents the default; these handlers say when the screen's own should
    not run."""

    _resumed: bool
    _resized_to: Size | None
    _first_layout_done_at: float

    if TYPE_CHECKING:
        app: App[None]

        def walk_children(self, *, with_self: bool = False) -> Iterable[Widget]: ...
        def query_children(self, selector: type) -> Iterable[Widget]: ...

    def _on_resize(self, event: events.Resize) -> None:
        """A resize to the size already laid out is let go: the terminal's size, as the
        driver reads it once the reader runs, came a moment after the first paint, and
        laid out and repainted the whole screen again (about 20 ms of layout and a full
        repaint, just as the first keys come)."""
        if event.size == self._resized_to:
            event.prevent_default()  # not `Screen._on_resize`: nothing would change
            return
        self._resized_to = event.size

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first time, without restyling every widget: their styles were worked out
        a moment before, as they mounted, and a second pass (each article view has 35
        component classes) was about a fifth of the CSS work before the first frame.
        Later resumes (back from the review screen or a dialog) restyle as usual, for a
        theme changed meanwhile. The first layout's size counts as laid out, and what
        the widgets asked for meanwhile as done (`_forget_layout_requests`)."""
        first = not self._resumed
        if first:
            self._resumed = True
            event.refresh_styles = False
            self._resized_to = self.app.size  # what this first layout lays out
        super()._on_screen_resume(event)  # type: ignore[misc]
        event.prevent_default()  # Textual would call `Screen._on_screen_resume` again
        if first:
            self._first_layout_done_at = get_time()
            self._forget_layout_requests()

    def _forget_layout_requests(self) -> None:
        """Forget the layouts the widgets (and their scrollbars) asked for as the first
        layout sized them (Textual's `_size_updated` sets each one's virtual size, which
        asks for a layout): it has laid them out."""
        for widget in self.walk_children(with_self=True):
            parts = (widget._vertical_scrollbar, widget._horizontal_scrollbar,
                     widget._scrollbar_corner)
            for part in (widget, *parts):
                if part is not None:
                    part._layout_required = False

    def _on_layout(self, message: textual_messages.Layout) -> None:
        """A layout asked for by the end of the first one is let go: that one laid
        everything out. Widgets ask as they mount and restyle; queued behind the first
        frame, their requests laid the whole screen out again just after it (about
        20 ms, as the first keys come), to the same result."""
        if message.time <= self._first_layout_done_at:
            message.stop()
            message.prevent_default()  # not `Screen._on_layout`: nothing would change

    def _hide_toasts_inline(self) -> None:
        """Hide the (empty) toast rack by an inline style before the first layout.

        Textual hides it that way just after the first frame (`ToastRack.show`, when
        there is no notification): setting the inline style, though the stylesheet
        already hid it, laid the whole screen out again, a frame (10-15 ms) that the
        first key waited for. Set now, Textual's setting it again changes nothing; a
        notification still shows it."""
        from textual.widgets._toast import ToastRack

        for rack in self.query_children(ToastRack):
            rack.display = False
