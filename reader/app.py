"""The reader application and `make_app`, the factory the CLI and the tests share."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from reader import paths
from reader.commands import ReaderCommands
from reader.config import Settings, load_settings, resolve_user, save_setting

STYLE_FILES = ("app.tcss", "main.tcss", "help.tcss", "editor.tcss", "dialogs.tcss")
"""Stylesheets, in order: shared variables and rules first, then one per screen."""


def stylesheets() -> list[Path]:
    """The `.tcss` files (resolved without touching anything but the path)."""
    directory = paths.styles_dir()
    return [directory / name for name in STYLE_FILES]


COMMAND_PALETTE_KEY = "ctrl+p"


class ReaderApp(App[None]):
    """copydesk's reader: the main screen plus help, palette, themes and keymap."""

    TITLE = "copydesk"
    CSS_PATH: ClassVar = stylesheets()
    COMMANDS: ClassVar = {ReaderCommands}
    COMMAND_PALETTE_BINDING = COMMAND_PALETTE_KEY

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit_anywhere", show=False, priority=True,
                tooltip="Also from a text box"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+t", "change_theme", "Theme", id="app.theme", show=False),
        Binding("R", "review", "Review", id="app.review", show=False,
                tooltip="Review annotations by others"),
        Binding(COMMAND_PALETTE_KEY, "command_palette", "palette", id="app.command_palette",
                show=False, priority=True,
                tooltip="Every command of this screen, by name"),
    ]

    def __init__(
        self,
        *,
        inputs: list[str],
        db_path: Path,
        user: str,
        settings: Settings,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.inputs = inputs
        self.db_path = db_path
        self.user = user
        self.settings = settings
        self.cursor_blink = cursor_blink
        """False in tests and snapshots, so inputs draw the same every time."""
        self._theme_ready = False

    def on_mount(self) -> None:
        from reader.screens.main import MainScreen

        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self._theme_ready = True
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        for warning in self.settings.warnings:
            self.notify(warning, severity="warning", markup=False)
        self.push_screen(
            MainScreen(self.inputs, self.db_path, self.user, columns=self.settings.columns)
        )

    def _remember_theme(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if not self._theme_ready or not name or name == self.settings.theme:
            return
        try:
            save_setting("theme", name)
        except OSError as error:
            self.notify(f"Could not remember the theme: {error}", severity="warning",
                        markup=False)

    def settle_cursors(self, screen: Screen) -> None:
        """Stop inputs from blinking when the app was made with `cursor_blink=False`."""
        if self.cursor_blink:
            return
        for widget in screen.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide `R` where the review screen is already open (it would do nothing).

        Asked for every binding whenever the footer is drawn, the first frame included:
        until the review module has been imported no review screen can be open, so it is
        not imported here (it pulls in the detector and the review domain).
        """
        if action == "review":
            review = sys.modules.get("reader.screens.review")
            return review is None or not any(
                isinstance(s, review.ReviewScreen) for s in self.screen_stack
            )
        return True

    def action_help(self) -> None:
        """Show the keys of the active screen, then the app-wide keys."""
        from reader.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_review(self) -> None:
        """Open the review screen: annotations by others, agreement, curation."""
        from reader.screens.review import push_review_screen

        push_review_screen(self)

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
) -> ReaderApp:
    """Build the reader: settings from the config file, the user, the database path."""
    settings = load_settings()
    return ReaderApp(
        inputs=list(inputs or []),
        db_path=paths.database_file(db_path),
        user=resolve_user(user, settings),
        settings=settings,
        cursor_blink=cursor_blink,
    )
