"""The command palette: one provider, every action named `category: action`.

It offers the commands of the screen the palette was opened on (its
`palette_commands()`: the registry's actions in `reader.actions`, named there, plus
the screen's own such as "filter: by tag #x"), then the app-wide ones, then Textual's
system commands (keys panel, maximize, screenshot; its theme and quit are the registry's
own) named the same way; a dialog gets only the app-wide and system ones, so nothing runs
on a screen the user cannot see. Each entry's help line starts with the key that does the
same where there is one, as bound now (a keymap from the config file included). The
provider knows no screen class.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.style import Style

from annotations.query import filter_term
from reader.actions import APP, Action, Command, commands_for
from reader.corpus.text import one_line

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from reader.screens.curation import CurationScreen
    from reader.screens.main import MainScreen
    from reader.screens.review import ReviewScreen


def literal_help(text: str, keys: str = "") -> str:
    """Help text as literal content, after the `keys` that run the command (bold).

    The palette parses a string as markup, and help may hold a directory name;
    `Content.from_markup` passes a `Content` through unchanged.
    """
    if keys:
        return cast(str, Content.from_markup("[b]$keys[/b]  $text", keys=keys,
                                             text=one_line(text)))
    return cast(str, Content(one_line(text)))


def bound_action(callback: Callable[[], object]) -> tuple[object, str] | None:
    """(node, action name) a palette callback runs, when it runs an action.

    Registry entries are `partial(node.run_action, "accept")`; Textual's system commands
    are bound methods such as `app.action_show_help_panel`.
    """
    if isinstance(callback, partial) and getattr(callback.func, "__name__", "") == "run_action":
        node = getattr(callback.func, "__self__", None)
        if node is not None and callback.args and isinstance(callback.args[0], str):
            return node, callback.args[0]
    name = getattr(callback, "__name__", "")
    node = getattr(callback, "__self__", None)
    if node is not None and name.startswith("action_"):
        return node, name.removeprefix("action_")
    return None


def key_hints(app: App, screen: Screen) -> dict[tuple[int, str], str]:
    """The keys bound now on `screen` (its focus chain and the app), by (node, action):
    `"u ^z"` for undo. Keys a focused text box takes for itself are not listed."""
    hints: dict[tuple[int, str], list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        shown = hints.setdefault((id(active.node), binding.action), [])
        display = app.get_key_display(binding)
        if display not in shown and len(shown) < 2:
            shown.append(display)
    return {key: " ".join(shown) for key, shown in hints.items()}


def highlighted(name: str, offsets: Iterable[int], style: Style) -> Content:
    """`name` as literal text with the matched characters styled.

    (`Matcher.highlight` parses the name as markup, which tags and author names are not.)
    """
    content = Content(name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content


def reader_extras(main: MainScreen) -> Iterator[Command]:
    """The reader's commands that no key has: view modes, exports, filters."""
    yield from (
        ("view: marked", partial(main.set_mode, "marked"),
         "Show everything, boilerplate highlighted by kind"),
        ("view: cleaned", partial(main.set_mode, "cleaned"), "Show what export writes"),
        ("view: original", partial(main.set_mode, "original"), "Show the text as loaded"),
        ("filter: clear", partial(main.apply_filter, ""), "Show every article"),
    )
    # Format and directory as last chosen in the export dialog.
    destination = one_line(main.export_destination())
    yield from (
        ("export: cleaned text of current article", partial(main.export, "current"),
         destination),
        ("export: cleaned text of selected articles", partial(main.export, "selected"),
         f"{destination}; mark with space in the list"),
        ("export: cleaned text of all articles", partial(main.export, "all"), destination),
    )
    for tag in main.book.tags_by_use()[:50]:
        yield (f"filter: by tag #{one_line(tag)}",
               partial(main.apply_filter, filter_term("#", tag)), "Articles with this tag")
    for author in main.book.authors()[:50]:
        yield (f"filter: by author @{one_line(author)}",
               partial(main.apply_filter, filter_term("@", author)),
               "Articles this author annotated")


def review_extras(review: ReviewScreen) -> Iterator[Command]:
    """The review queue's filters that no key has."""
    yield from (
        ("filter: unreviewed only", partial(review.set_filter, "is:unreviewed"),
         "Hide what you have already accepted or rejected"),
        ("filter: line decisions", partial(review.set_filter, "decisions"),
         "Keep/remove decisions instead of tags and notes"),
    )
    if review.queue_filter.describe():
        yield ("filter: clear", partial(review.set_filter, ""), "Show the whole queue")
    authors = sorted(review.items.authors())
    for author in authors[:50]:
        yield (f"filter: by author @{one_line(author)}",
               partial(review.set_filter, filter_term("@", author)),
               "Annotations by this author")


def curation_names(curation: CurationScreen, action: Action) -> str | None:
    """The curation view's palette name for `action` now, or None when it does nothing."""
    row = curation.grid.current_row if curation.article is not None else None
    name = action.action
    if name.startswith(("settle", "take(")) or name == "take_suggestion":
        if row is None:
            return None
        if name.startswith("take("):
            number = int(name[5:-1])
            names = list(row.votes)
            return (f"curation: take {one_line(names[number - 1])}'s decision"
                    if number <= len(names) else None)
        if name == "take_suggestion" and row.suggestion is None:
            return None
    if name in {"accept_agreed", "next_disagreement", "previous_disagreement", "toggle_fill"}:
        if curation.article is None:
            return None
        if name == "toggle_fill" and curation.fill:
            return "curation: hide suggestions for undecided lines"
    if name in {"next_article", "previous_article"} and len(curation.candidates) < 2:
        return None
    if name == "undo" and not curation.book.undo_history("review"):
        return None
    return action.command


PALETTE_ORDER = ("review", "help", "change_theme", "quit")
"""The app-wide commands after the screen's, in this order."""


def app_commands(app: App, screen: Screen) -> Iterator[Command]:
    """What works from anywhere: review, help, theme, quit."""
    from reader.screens.help import HelpScreen

    listed = sorted(APP, key=lambda a: PALETTE_ORDER.index(a.action)
                    if a.action in PALETTE_ORDER else len(PALETTE_ORDER))
    for name, callback, help_text in commands_for(app, listed):
        if name.startswith("review:") and (
            screen.is_modal or app.check_action("review", ()) is False
        ):
            continue  # not from a dialog: the review screen would open over it
        if name.startswith("help:") and isinstance(screen, HelpScreen):
            continue
        yield name, callback, help_text


REGISTRY_SYSTEM_COMMANDS = frozenset({"Theme", "Quit"})
"""Textual's system commands the registry already offers ("app: change theme", "app: quit")."""


def system_commands(app: App, screen: Screen) -> Iterator[Command]:
    """Textual's own palette commands for `screen` (`App.get_system_commands`: keys panel,
    maximize or minimize, screenshot), named `app: keys` and so on."""
    for title, help_text, callback, _discover in app.get_system_commands(screen):
        if title not in REGISTRY_SYSTEM_COMMANDS:
            yield f"app: {title.lower()}", callback, help_text


class ReaderCommands(Provider):
    """The active screen's commands, then the app-wide ones, then Textual's."""

    def commands(self) -> Iterator[Command]:
        screen = self.screen
        contributed = getattr(screen, "palette_commands", None)
        if contributed is not None and not screen.is_modal:
            yield from contributed()
        yield from app_commands(self.app, screen)
        yield from system_commands(self.app, screen)

    def entries(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        """(name, callback, help line with the command's keys) for each command."""
        hints = key_hints(self.app, self.screen)
        for name, callback, help_text in self.commands():
            bound = bound_action(callback)
            keys = hints.get((id(bound[0]), bound[1]), "") if bound else ""
            yield name, callback, literal_help(help_text, keys)

    async def discover(self) -> Hits:
        for name, callback, help_line in self.entries():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_line)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_line in self.entries():
            score, offsets = matcher.fuzzy_search.match(matcher.query, name)
            if score > 0:
                yield Hit(score, highlighted(name, offsets, matcher.match_style), callback,
                          text=name, help=help_line)
