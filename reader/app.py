"""The application and `make_app`, the factory the CLI and the tests share.

The app owns the `Book` (the state every screen shares) and its one writer: screens
post `SaveRequested`, the writer thread applies changes in order, and the app adopts
each saved change in the book before handing `ChangeSaved`/`ChangeFailed` to every open
screen. It opens on the reader (`start="reader"`) or on the review screen.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import ClassVar, Literal

from textual import events, on, work
from textual.app import App
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from annotations.text import clean_note, strip_controls
from reader import actions, messages, paths
from reader.actions import bindings
from reader.commands import ReaderCommands
from reader.config import Settings, load_settings, resolve_user, save_setting
from reader.state import Book, apply_change
from reader.state.watch import Watch, read_outside
from reader.style_cache import ParsedStyles

log = logging.getLogger(__name__)

Start = Literal["reader", "review"]

STYLE_FILES = ("app.tcss", "main.tcss")
"""The stylesheets parsed before the first frame: the shared rules, then the main
screen's. Every other screen names its own in `CSS_PATH`, read when it first opens
(help.tcss, editor.tcss, dialogs.tcss, review.tcss, curation.tcss)."""


def stylesheets() -> list[Path]:
    """The `.tcss` files (resolved without touching anything but the path)."""
    directory = paths.styles_dir()
    return [directory / name for name in STYLE_FILES]


SWITCH_INTERVAL = 0.001
"""Seconds a busy worker thread (loading, detecting, reading the store) keeps the GIL
while the UI thread waits for it, while the app runs: Python's default, 5 ms, is paid
at each of the hand-overs between a key read and its frame written (the input thread,
the event loop, the writer thread), and with two workers busy it made one key in
twenty take over 400 ms while 2,000 articles loaded (107-251 ms at 1 ms)."""

INPUT_EVENTS = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)
"""The input the worker threads stand aside for (not the pointer merely moving)."""

COMMAND_PALETTE_KEY = "ctrl+p"
WATCH_INTERVAL = 0.3
"""Seconds between looks at the database for other processes' writes (one stat each)."""


class ReaderApp(App[None]):
    """copydesk's reader: the main screen plus help, palette, themes and keymap."""

    TITLE = "copydesk"
    CSS_PATH: ClassVar = stylesheets()
    COMMANDS: ClassVar = {ReaderCommands}
    COMMAND_PALETTE_BINDING = COMMAND_PALETTE_KEY

    BINDINGS: ClassVar[list[BindingType]] = bindings(actions.APP)

    def __init__(
        self,
        *,
        inputs: list[str],
        db_path: Path,
        user: str,
        settings: Settings,
        cursor_blink: bool = True,
        start: Start = "reader",
        stdin_data: bytes | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._apply_saved_theme()
        self._parsed_styles = ParsedStyles()
        """The stylesheets parsed at earlier launches (`reader.style_cache`)."""
        self._parsed_styles.restore(self.stylesheet)
        self.inputs = inputs
        self.stdin_data = stdin_data
        """What `-` in `inputs` stands for: the pipe, read before the app took the terminal."""
        self.db_path = db_path
        self.user = user
        self.cursor_blink = cursor_blink
        """False in tests and snapshots, so inputs draw the same every time."""
        self.start = start
        """The first screen: the reader, or the review screen (`copydesk review`)."""
        self.book = Book(user, db_path)
        """The corpus, verdicts and annotations every screen shares."""
        self._review: Screen | None = None
        self._theme_ready = False
        self._watch = Watch()
        self._watching = False
        self._switch_interval = sys.getswitchinterval()
        """Python's thread switch interval before the app ran (restored after it)."""
        self._early_keys: list[events.Key] | None = [] if start == "reader" else None
        """Keys typed before the main screen was ready (`ReaderReady`), replayed then in
        the order they came; None once they go straight through. Handled at once, they
        met columns still empty, or no focused column yet: `w` then `r` typed as the
        reader opened lost the `w`, and the `r` acted on the first column."""

    def on_mount(self) -> None:
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        log.info("reader on %s, database %s, user %s", self.inputs or "the demo corpus",
                 self.db_path, self.user)
        self._theme_ready = True
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        for warning in self.settings.warnings:
            self.notify(warning, severity="warning", markup=False)
        self.set_interval(WATCH_INTERVAL, self.watch_store, name="watch-store")
        if self.start == "review":
            self.action_review()

    def get_default_screen(self) -> Screen:
        """The reader's main screen is the app's first screen, not one pushed over it.

        Pushed from `on_mount`, it was laid out and drawn while the app was still inside
        its start-up batch, a frame Textual throws away: the first paint came one whole
        frame (30-50 ms) later than it could have.
        """
        if self.start == "review":
            return super().get_default_screen()
        from reader.screens.main import MainScreen

        return MainScreen(
            self.book,
            self.inputs,
            columns=self.settings.columns,
            max_file_bytes=self.settings.max_file_bytes,
            stdin_data=self.stdin_data,
        )

    def on_unmount(self) -> None:
        sys.setswitchinterval(self._switch_interval)
        self._parsed_styles.store(self.stylesheet)

    def _apply_saved_theme(self) -> None:
        """The theme the user chose, in place before anything is parsed or drawn.

        What setting `App.theme` does (the theme's classes, the ANSI colour mapping, the
        CSS variables), without its re-parse of every stylesheet and restyle of every
        widget: set once the reader was mounted, that put the first frame about 20 ms
        later, and the stylesheets parsed at start-up were thrown away unused. The ANSI
        mapping is Textual's own `_refresh_truecolor_filter` (Textual is pinned;
        `tests/app/test_style_cache.py` compares the result with a theme set later).
        """
        name = self.settings.theme
        if not name or name == self.theme or name not in self.available_themes:
            return
        self.set_reactive(App.theme, name)
        theme = self.current_theme
        self.set_class(theme.dark, "-dark-mode", update=False)
        self.set_class(not theme.dark, "-light-mode", update=False)
        self.add_class(f"-theme-{theme.name}", update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables and the boilerplate families' tints and text colours."""
        from reader.widgets.kind_palette import kind_variables

        variables = super().get_css_variables()
        variables.update(kind_variables(variables))
        return variables

    def _remember_theme(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if not self._theme_ready or not name or name == self.settings.theme:
            return
        try:
            save_setting("theme", name)
        except OSError as error:
            self.notify(f"Could not remember the theme: {error}", severity="warning",
                        markup=False)

    async def on_event(self, event: events.Event) -> None:
        """Input first: the loader and the detector stand aside while keys, clicks and
        scrolls come (`Book.input`). Pasted text reaches a widget without control
        characters (a pasted escape sequence would otherwise be echoed to the terminal
        or saved)."""
        if isinstance(event, INPUT_EVENTS) and not event.is_forwarded:
            self.book.input.touch()
            if isinstance(event, events.Key) and self._early_keys is not None:
                self._early_keys.append(event)  # until `ReaderReady`
                return
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event.text = clean_note(event.text)
        await super().on_event(event)

    @on(messages.ReaderReady)
    async def replay_early_keys(self) -> None:
        """The keys typed before the main screen was ready, in order, as if typed now.

        Replayed here, in one handler, so a key still queued behind this message comes
        after them. The loader and the detector stand aside while they take effect, as
        for keys typed now."""
        keys, self._early_keys = self._early_keys or [], None
        if keys:
            self.book.input.touch()
        for key in keys:
            await super().on_event(key)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification, from every screen, without control characters: messages
        name tags, files and errors that came from untrusted input."""
        super().notify(
            strip_controls(message),
            title=strip_controls(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    @on(events.DescendantFocus)
    def steady_cursor(self, event: events.DescendantFocus) -> None:
        """With `cursor_blink=False`, the focused input or editor of any screen (the note
        editor, a dialog, the review filter) shows a steady cursor, so snapshots of it
        never depend on when they were taken."""
        if not self.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide `R` where the review screen is already open (it would do nothing)."""
        if action == "review":
            return self._review is None or self._review not in self.screen_stack
        return True

    # ---- the one writer ------------------------------------------------------------------

    @on(messages.SaveRequested)
    def queue_change(self, event: messages.SaveRequested) -> None:
        """Queue a change for the writer thread (changes are written in order)."""
        book = self.book
        if not book.writable or event.change.empty:
            return
        if book.queue.push(event.change, undo=event.undo):
            self._write_pending()

    @work(thread=True, exit_on_error=False, group="store-write")
    def _write_pending(self) -> None:
        """Write queued changes one at a time, in order, posting each result."""
        while (next_change := self.book.queue.pop()) is not None:
            change, undo = next_change
            try:
                saved = apply_change(self.book.store, change)
            except Exception as error:
                log.exception("could not save %s", change.description)
                self.post_message(messages.ChangeFailed(change.description, str(error)))
            else:
                self.post_message(messages.ChangeSaved(saved, undo=undo))

    # ---- other processes' writes -----------------------------------------------------------

    def watch_store(self) -> None:
        """On a timer: if the database folder changed, read what others wrote (in a thread)."""
        book = self.book
        if book.store is None or self._watching or book.queue.busy:
            return
        signature = self._watch.due(book.store)
        if signature is None:
            return
        self._watching = True
        self._read_outside(book.store, book.generation, signature, set(self._watch.recheck))

    @work(thread=True, exit_on_error=False, group="store-watch")
    def _read_outside(
        self, store: object, generation: int, signature: object, also: set[str]
    ) -> None:
        try:
            found = read_outside(store, also)
        except Exception:  # a corrupt or vanished file: the next save reports it
            found = {}
        self.post_message(messages.StoreChangedOutside(found, generation, signature))

    @on(messages.StoreChangedOutside)
    def adopt_outside(self, event: messages.StoreChangedOutside) -> None:
        """Show what other processes wrote: list counts, highlights, panels, review queue."""
        self._watching = False
        book = self.book
        if event.generation != book.generation or book.queue.busy:
            # One of our changes landed meanwhile: this read may predate it; read again.
            self._watch.recheck |= set(event.annotations)
            return
        self._watch.seen = event.signature  # type: ignore[assignment]
        self._watch.recheck.clear()
        change = book.take_outside(event.annotations)
        if change.empty:
            return
        for screen in self.screen_stack:
            screen.post_message(messages.ChangeSaved(change, undo=False))

    @on(messages.ChangeSaved)
    def adopt_change(self, event: messages.ChangeSaved) -> None:
        """Adopt a saved change in the book, say so, and tell every screen."""
        self.book.adopt(event.change, undoable=not event.undo)
        from reader.screens.saving import change_place

        what = event.change.description + change_place(self.book, event.change)
        if event.undo:
            self.notify(f"Undone: {what.removeprefix('undo ')}", timeout=4, markup=False)
        else:
            self.notify(f"Saved: {what}", timeout=2, markup=False)
        for screen in self.screen_stack:
            screen.post_message(messages.ChangeSaved(event.change, undo=event.undo))

    @on(messages.ChangeFailed)
    def report_failed_change(self, event: messages.ChangeFailed) -> None:
        self.notify(
            f"Could not save {event.description}: {event.error}",
            severity="error",
            timeout=10,
            markup=False,
        )
        for screen in self.screen_stack:
            screen.post_message(messages.ChangeFailed(event.description, event.error))

    def action_help(self) -> None:
        """Show the keys of the active screen, then the app-wide keys."""
        from reader.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_review(self) -> None:
        """Open the review screen: annotations by others, agreement, curation.

        Over the reader it shares the book (the corpus once loaded, every annotation);
        opened alone (`copydesk review`) it loads them itself.
        """
        from reader.screens.review import ReviewScreen

        if self._review is not None and self._review in self.screen_stack:
            return
        self._review = ReviewScreen(
            self.book,
            self.inputs,
            over_reader=self.start == "reader",
            max_file_bytes=self.settings.max_file_bytes,
            stdin_data=self.stdin_data,
        )
        self.push_screen(self._review)

    async def action_quit(self) -> None:
        """Quit, but ask first when a note editor holds unsaved text."""
        from reader.screens.editor import AnnotationEditor, ConfirmDiscard

        if any(isinstance(s, ConfirmDiscard) for s in self.screen_stack):
            return
        dirty = [s for s in self.screen_stack if isinstance(s, AnnotationEditor) and s.dirty]
        if not dirty:
            self.exit()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.exit()

        self.push_screen(ConfirmDiscard("Quit and discard the unsaved note?"), answered)


def make_app(
    inputs: list[str] | None = None,
    db_path: Path | None = None,
    user: str | None = None,
    *,
    cursor_blink: bool = True,
    start: Start = "reader",
    stdin_data: bytes | None = None,
) -> ReaderApp:
    """Build the app: settings from the config file, the user, the database path, and
    the screen it opens on (`"reader"`, or `"review"` for `copydesk review`)."""
    settings = load_settings()
    return ReaderApp(
        inputs=list(inputs or []),
        db_path=paths.database_file(db_path),
        user=resolve_user(user, settings),
        settings=settings,
        cursor_blink=cursor_blink,
        start=start,
        stdin_data=stdin_data,
    )
