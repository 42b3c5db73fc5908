"""The command palette: one provider, every action named `category: action`.

It offers the commands of the screen the palette was opened on (the reader, the review
queue or the curation view) and then the app-wide ones; a dialog gets only the latter,
so nothing runs on a screen the user cannot see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.style import Style

from reader.corpus.text import one_line
from reader.widgets.article_list import filter_term

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from reader.screens.curation import CurationScreen
    from reader.screens.main import MainScreen
    from reader.screens.review import ReviewScreen

Command = tuple[str, Callable[[], object], str]


def literal_help(text: str) -> str:
    """Help text as literal content: the palette parses a string as markup, and help may
    hold a directory name; `Content.from_markup` passes a `Content` through unchanged."""
    return cast(str, Content(one_line(text)))


def highlighted(name: str, offsets: Iterable[int], style: Style) -> Content:
    """`name` as literal text with the matched characters styled.

    (`Matcher.highlight` parses the name as markup, which tags and author names are not.)
    """
    content = Content(name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content


def main_commands(main: MainScreen) -> Iterator[Command]:
    """The reader's views, columns, decisions, annotations, search, filters and export."""
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
        ("columns: next article in this column", main.action_next_article,
         "Show the next article of the list here"),
        ("columns: previous article in this column", main.action_previous_article,
         "Show the previous article of the list here"),
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
    )
    # Format and directory as last chosen in the export dialog.
    destination = one_line(main.export_destination())
    yield from (
        ("export: cleaned text of current article", partial(main.export, "current"),
         destination),
        ("export: cleaned text of selected articles", partial(main.export, "selected"),
         f"{destination}; mark with space in the list"),
        ("export: cleaned text of all articles", partial(main.export, "all"), destination),
        ("export: choose articles, format and directory", main.action_export,
         "The export dialog (palette exports then use its format and directory)"),
    )
    for tag in main.book.tags_by_use()[:50]:
        yield (f"filter: by tag #{one_line(tag)}",
               partial(main.apply_filter, filter_term("#", tag)), "Articles with this tag")
    for author in main.book.authors()[:50]:
        yield (f"filter: by author @{one_line(author)}",
               partial(main.apply_filter, filter_term("@", author)),
               "Articles this author annotated")


def review_commands(review: ReviewScreen) -> Iterator[Command]:
    """Verdicts and replies on the selected annotation, the queue, agreement, curation."""
    from annotations.review import Order

    if review.current_item() is not None:
        yield from (
            ("review: accept annotation", review.action_accept,
             "Agree with the selected annotation"),
            ("review: reject annotation", review.action_reject,
             "Disagree with the selected annotation"),
            ("review: edit", review.action_edit, "Accept with changed tags or note"),
            ("review: reply", review.action_reply,
             "A Markdown reply threaded under the annotation"),
            ("review: next in queue", review.action_next_item, "Select the next annotation"),
            ("review: previous in queue", review.action_previous_item,
             "Select the previous annotation"),
        )
    if review.book.undo_history("review"):
        yield ("review: undo", review.action_undo, "Undo the last verdict, reply or settlement")
    if review.order is Order.NEWEST:
        yield ("review: disagreements first", review.action_toggle_order,
               "Order the queue by disagreement")
    else:
        yield ("review: newest first", review.action_toggle_order,
               "Order the queue by date")
    shown = review.query_one("#review-stats-panel").display
    yield ("review: hide agreement" if shown else "review: show agreement",
           review.action_toggle_stats, "Agreement between annotators (kappa, alpha)")
    if review.loaded:
        yield ("review: open curation view", review.action_curate,
               "Every annotator's line decisions on one article, side by side")
    yield from (
        ("filter: edit the queue filter", review.action_filter,
         "@author #tag is:unreviewed|accepted|rejected art:ID decisions"),
        ("filter: unreviewed only", partial(review.set_filter, "is:unreviewed"),
         "Hide what you have already accepted or rejected"),
        ("filter: line decisions", partial(review.set_filter, "decisions"),
         "Keep/remove decisions instead of tags and notes"),
    )
    if review.queue_filter.describe():
        yield ("filter: clear", partial(review.set_filter, ""), "Show the whole queue")
    authors = sorted({item.annotation.author for item in review.items})
    for author in authors[:50]:
        yield (f"filter: by author @{one_line(author)}", partial(review.set_filter, f"@{author}"),
               "Annotations by this author")
    back = "review: back to the reader" if review.has_reader else "review: quit"
    yield (back, review.action_back, "Leave the review screen")


def curation_commands(curation: CurationScreen) -> Iterator[Command]:
    """Settling lines, moving between disagreements and articles."""
    row = curation.grid.current_row if curation.article is not None else None
    if row is not None:
        yield from (
            ("curation: remove this line", partial(curation.action_settle, True),
             "Settle the line as boilerplate"),
            ("curation: keep this line", partial(curation.action_settle, False),
             "Settle the line as content"),
        )
        for number, name in enumerate(list(row.votes)[:9], 1):
            yield (f"curation: take {one_line(name)}'s decision",
                   partial(curation.action_take, number),
                   f"Settle the line as annotator {number} decided it")
        if row.suggestion is not None:
            yield ("curation: take the suggestion", curation.action_take_suggestion,
                   "Settle the line as the detector suggests")
    if curation.article is not None:
        yield from (
            ("curation: accept all agreed", curation.action_accept_agreed,
             "Settle every line the annotators agree on"),
            ("curation: next disagreement", curation.action_next_disagreement,
             "Move to the next line the annotators disagree on"),
            ("curation: previous disagreement", curation.action_previous_disagreement,
             "Move to the previous line the annotators disagree on"),
            ("curation: hide suggestions for undecided lines" if curation.fill
             else "curation: show suggestions for undecided lines",
             curation.action_toggle_fill, "Undecided votes as the detector's suggestion (~)"),
        )
    if len(curation.candidates) > 1:
        yield from (
            ("curation: next article", curation.action_next_article,
             "The next article with line decisions"),
            ("curation: previous article", curation.action_previous_article,
             "The previous article with line decisions"),
        )
    if curation.book.undo_history("review"):
        yield ("curation: undo", curation.action_undo,
               "Undo the last settlement, verdict or reply (shared with review)")
    yield ("curation: back to review", curation.action_back, "The review queue")


def app_commands(app: App, screen: Screen) -> Iterator[Command]:
    """What works from anywhere: review, help, theme, quit."""
    from reader.screens.help import HelpScreen

    review = getattr(app, "action_review", None)
    # Not from a dialog: the review screen would open over it.
    if review is not None and not screen.is_modal and app.check_action("review", ()) is not False:
        yield ("review: annotations by others", review,
               "Accept, reject, reply; agreement; curation of line decisions")
    if not isinstance(screen, HelpScreen):
        yield ("help: keys", app.action_help, "Every key of this screen")
    yield ("app: change theme", app.action_change_theme, "Pick a Textual theme")
    yield ("app: quit", app.action_quit, "Leave copydesk")


class ReaderCommands(Provider):
    """The active screen's commands, then the app-wide ones."""

    def commands(self) -> Iterator[Command]:
        from reader.screens.curation import CurationScreen
        from reader.screens.main import MainScreen
        from reader.screens.review import ReviewScreen

        screen = self.screen
        if isinstance(screen, MainScreen):
            yield from main_commands(screen)
        elif isinstance(screen, ReviewScreen):
            yield from review_commands(screen)
        elif isinstance(screen, CurationScreen):
            yield from curation_commands(screen)
        yield from app_commands(self.app, screen)

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=literal_help(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, name)
            if score > 0:
                yield Hit(score, highlighted(name, offsets, matcher.match_style), callback,
                          text=name, help=literal_help(help_text))
