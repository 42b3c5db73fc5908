"""The main screen's start after its first frame: the parts the first frame goes
without (mounted one a frame, the footer last) and the annotation store (opened once the
corpus is loaded). Mixed into `MainScreen`, which composes the rest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.css.query import NoMatches
from textual.widget import MountError

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import AwaitMount

    from reader.state import Book
    from reader.widgets.sidebar import Sidebar

STORE_WAITS_AT_MOST = 1.0
"""Seconds after the first keys are let through that opening the annotation store
waits at most for the corpus to be loaded (`MainScreen.open_store_once_loaded`)."""

HIDDEN_PARTS_QUIET = 0.25
"""Seconds without a key, click or scroll (and since the first keys were let through)
before the next hidden part is mounted: a part's mount and layout hold the UI thread
20 to 60 ms, and a key that came meanwhile waited for them (the keys right after the
first paint were the slowest while a large corpus loaded). A key that needs a part
mounts every part at once (`hidden_parts`)."""
HIDDEN_PARTS_WAIT_MOST = 10.0
"""Seconds after the first keys are let through by which every hidden part is mounted,
however busy the keyboard (mounted at a fixed time, they met the keys of anyone still
typing then)."""


class MainStartup:
    """Mixed into `MainScreen`, which provides these attributes and the Screen API."""

    book: Book
    first_paint: threading.Event
    hidden_parts_mounted: bool
    _after_keys: bool
    _keys_taken: bool
    _store_requested: bool
    _keys_let_through_at: float
    _hidden_parts: list[Callable[[], AwaitMount | None]]

    if TYPE_CHECKING:
        app: App[None]
        is_attached: bool

        @property
        def sidebar(self) -> Sidebar: ...

        def refresh_panel(self) -> None: ...

        def open_annotation_store(self) -> None: ...

    def after_keys_taken(self) -> None:
        """Once the first frame is drawn and the keys typed before it are let through,
        mount the hidden parts (and then open the store, `open_store_once_loaded`)
        after the frame that shows what those keys did: mounted as the keys were let
        through, the hidden parts' layout came first, and those keys waited for it."""
        if self._after_keys or not (self.first_paint.is_set() and self._keys_taken):
            return
        self._after_keys = True
        self._keys_let_through_at = time.monotonic()
        # The app handles this callback after `ReaderReady`, whose handler has passed the
        # held keys on to this screen; the screen queues `mount_hidden_parts` behind
        # them, to run once the frame that shows them is drawn.
        self.app.call_later(self.call_after_refresh, self.mount_hidden_parts)
        self.open_store_once_loaded()

    async def mount_hidden_parts(self) -> None:
        """What the first frame goes without: the annotations panel, the legend and the
        search bar (hidden until `p`, `K`, `/`) and the footer, its keys composed as it
        mounts (a footer mounted late misses the screen's first announcement of them).

        One part at a time, each once the keyboard has been quiet for a moment
        (`HIDDEN_PARTS_QUIET`): mounted together they were one layout of 60 to 110 ms of
        the UI thread while a large corpus loaded, and the first key after the first
        paint waited for all of it; one a frame, the keys typed meanwhile still met
        them. A key for one of them mounts them all first (`hidden_parts`)."""
        if self._hidden_parts or self.hidden_parts_mounted:
            return
        from reader.widgets.annotations_panel import AnnotationsPanel
        from reader.widgets.footer import ReaderFooter
        from reader.widgets.kind_legend import KindLegend
        from reader.widgets.search_bar import SearchBar

        body = self.query_one("#body")
        slot = self.query_one("#footer-slot")
        legend = KindLegend(id="legend")
        legend.display = False  # until `K`
        # The footer last: once it shows its keys, every key it shows works.
        self._hidden_parts = [
            lambda: body.mount(AnnotationsPanel(self.book, id="annotations-panel")),
            lambda: self.mount(legend, SearchBar(id="searchbar"), before=slot),
            lambda: slot.mount(ReaderFooter(ready=True)),
        ]
        await self._mount_next_hidden_part()

    async def _mount_next_hidden_part(self) -> None:
        """Mount the next hidden part once input has paused (or the parts are due), and
        the one after it once the frame is drawn."""
        if not self._hidden_parts:
            return  # mounted meanwhile, all at once (`hidden_parts`)
        # Quiet since the first keys were let through, too: the first key of someone
        # starting to read comes a moment after the first paint.
        since_keys = time.monotonic() - self._keys_let_through_at
        quiet = min(self.book.input.quiet_for(), since_keys)
        if quiet < HIDDEN_PARTS_QUIET and since_keys < HIDDEN_PARTS_WAIT_MOST:
            self.set_timer(HIDDEN_PARTS_QUIET - quiet, self._mount_next_hidden_part)
            return
        if not await self._mount_hidden_part():
            return
        if self._hidden_parts:
            self.call_after_refresh(self._mount_next_hidden_part)
            return
        self._hidden_parts_ready()

    async def _mount_hidden_part(self) -> bool:
        """Mount the next hidden part; False when the reader is closing."""
        if not self.is_attached:
            return False  # the reader is closing (a `q` among the keys let through first)
        try:
            mounting = self._hidden_parts.pop(0)()
        except (MountError, NoMatches):
            return False  # the reader is closing: a `q` came between two parts
        if mounting is not None:
            await mounting
        return True

    def _hidden_parts_ready(self) -> None:
        if self.hidden_parts_mounted:
            return
        self.hidden_parts_mounted = True
        self.refresh_panel()
        self.refresh_bindings()

    async def hidden_parts(self) -> bool:
        """Mount every hidden part not mounted yet, now (for a key that needs one: `p`,
        `K`, `/`); whether they are all there."""
        if self.hidden_parts_mounted:
            return True
        if not self._hidden_parts:
            await self.mount_hidden_parts()  # builds the list (it mounts the first)
        while self._hidden_parts:
            if not await self._mount_hidden_part():
                return False
        self._hidden_parts_ready()
        return True

    def open_store_once_loaded(self, *, waited: bool = False) -> None:
        """Open the annotation store once the first keys are let through and the corpus
        is loaded, or `STORE_WAITS_AT_MOST` seconds after those keys when it is still
        loading. Opened as the first keys after the first paint came, while a large
        corpus loaded, its imports in a thread of their own took the GIL from the UI
        thread in turns, and those keys waited two to three times as long; a small
        corpus is loaded by then, so nothing waits. Until it opens, a change says the
        store is opening (`reader.screens.saving.writable`)."""
        if self._store_requested or not self._after_keys:
            return
        if not (self.book.corpus_done or waited):
            self.set_timer(STORE_WAITS_AT_MOST, lambda: self.open_store_once_loaded(waited=True))
            return
        self._store_requested = True
        self.open_annotation_store()
