"""The command palette: one provider, every action named `category: action`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from reader.screens.main import MainScreen

Command = tuple[str, Callable[[], object], str]


class ReaderCommands(Provider):
    """Commands for the main screen: views, columns, decisions, annotations, export, filters."""

    def _main(self) -> MainScreen | None:
        from reader.screens.main import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    def commands(self) -> Iterator[Command]:
        main = self._main()
        app = self.app
        if main is None:
            return
        yield from (
            ("view: marked", partial(main.set_mode, "marked"),
             "Show everything, boilerplate highlighted by kind"),
            ("view: cleaned", partial(main.set_mode, "cleaned"), "Show what export writes"),
            ("view: original", partial(main.set_mode, "original"), "Show the text as loaded"),
            ("view: toggle synchronized scrolling", main.action_toggle_sync,
             "Scroll every column together"),
            ("view: toggle annotations panel", main.action_toggle_panel,
             "Annotations of the current article"),
            ("view: toggle article list", main.action_toggle_list, "Show or hide the list"),
            ("columns: add a column", main.action_add_column, "Another article side by side"),
            ("columns: remove this column", main.action_remove_column, "Close the current column"),
            ("columns: next column", main.action_next_column, "Focus the next column"),
            ("decide: accept suggestion on this line", main.action_accept,
             "Or on the selected lines"),
            ("decide: reject suggestion on this line", main.action_reject,
             "Or on the selected lines"),
            ("decide: accept this block", main.action_accept_block,
             "Lines around the cursor with the same kind"),
            ("decide: reject this block", main.action_reject_block,
             "Lines around the cursor with the same kind"),
            ("decide: accept all suggestions in the article", main.action_accept_all,
             "Remove every suggested boilerplate line"),
            ("edit: undo", main.action_undo, "Undo the last decision or annotation change"),
            ("annotate: tag the selection", main.action_tag, "Open the tag picker"),
            ("annotate: write a note", main.action_note, "Open the Markdown note editor"),
            ("annotate: next annotation", main.action_next_annotation, "Move the cursor"),
            ("annotate: previous annotation", main.action_previous_annotation,
             "Move the cursor"),
            ("search: in this article", main.action_search, "Then n / N"),
            ("search: corpus", main.action_search_corpus, "Every article"),
            ("filter: edit the list filter", main.action_filter, "words #tag @author"),
            ("filter: clear", partial(main.apply_filter, ""), "Show every article"),
            ("export: cleaned text of current article", partial(main.export, "current"),
             "txt to ./cleaned"),
            ("export: cleaned text of selected articles", partial(main.export, "selected"),
             "txt to ./cleaned; mark with space in the list"),
            ("export: cleaned text of all articles", partial(main.export, "all"),
             "txt to ./cleaned"),
            ("export: choose articles, format and directory", main.action_export,
             "The export dialog"),
            ("review: annotations by others", app.action_review,
             "Accept, reject, reply; agreement; curation of line decisions"),
            ("help: keys", app.action_help, "Every binding"),
            ("app: change theme", app.action_change_theme, "Pick a Textual theme"),
            ("app: quit", app.action_quit, "Leave copydesk"),
        )
        for tag in main.session.tags_by_use()[:50]:
            yield (f"filter: by tag #{tag}", partial(main.apply_filter, f"#{tag}"),
                   "Articles with this tag")
        for author in main.session.authors()[:50]:
            yield (f"filter: by author @{author}", partial(main.apply_filter, f"@{author}"),
                   "Articles this author annotated")

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
