"""The review screen: other people's annotations, one at a time, with context and verdicts.

Left, the queue (newest or disagreements first; filter with `@author #tag is:STATUS
art:ID decisions`). Right, the selected annotation: the article text around its span,
author, tags and note (Markdown, capped), its thread of verdicts and replies, and what
other annotators did on the same span. Keys accept, reject, edit (accept with changed
tags/note) and reply; every verdict and reply is an annotation by the reviewer, written
by a thread worker and undoable. `s` shows the agreement table, `C` the curation view.
What the queue holds and its order are kept by `ReviewQueueing`.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from annotations import review
from annotations.model import Annotation
from annotations.review import (
    Order,
    QueueFilter,
    QueueItems,
    ReviewItem,
)
from reader import actions, messages, paths
from reader.actions import Action, Command, bindings, commands_for
from reader.corpus.text import one_line
from reader.screens.review_queueing import ReviewQueueing
from reader.screens.review_workers import (
    AnalysesLoaded,
    LoadedReview,
    QueueSorted,
    ReviewWorkers,
    StatsReady,
)
from reader.screens.saving import request_save, request_undo
from reader.state import REVIEW, Book, Change
from reader.state.review import Locator
from reader.widgets.footer import ReaderFooter
from reader.widgets.review_content import detail_blocks, stats_rows
from reader.widgets.review_detail import Block, DetailView
from reader.widgets.review_queue import QueueList
from reader.widgets.text_inputs import CleanInput

if TYPE_CHECKING:
    from annotations.review_stats import AgreementReport

class ReviewScreen(ReviewQueueing, ReviewWorkers, Screen[None]):
    """The review queue and the selected annotation with its context."""

    AUTO_FOCUS = "#review-queue"
    CSS_PATH: ClassVar = [paths.styles_dir() / "review.tcss"]

    BINDINGS: ClassVar[list[BindingType]] = bindings(actions.REVIEW)

    def __init__(
        self,
        book: Book,
        inputs: list[str],
        *,
        over_reader: bool = False,
        max_file_bytes: int = 50 * 1024 * 1024,
        stdin_data: bytes | None = None,
    ) -> None:
        super().__init__()
        self.book = book
        """The state shared with the reader and the curation view."""
        self.inputs = inputs
        self.has_reader = over_reader
        """Whether the reader lies under this screen (else `Back` quits the app)."""
        self.max_file_bytes = max_file_bytes
        self.stdin_data = stdin_data
        """What `-` in `inputs` stands for (read by the CLI before the app started)."""
        self.loaded = False
        """True once the corpus and the annotations have been read and indexed."""
        self.analysed = False
        """True once the detector's verdicts for curation are in the book (after `loaded`)."""
        self._curate_waiting = False
        """The curation view was asked for before `analysed`: it opens when they come."""
        self.locator = Locator(book.articles if book.corpus_done else ())
        """Where annotations lie in the corpus the review reads."""
        self.order = Order.NEWEST
        """The order asked for (the queue shows `shown_order` until a sort comes)."""
        self.shown_order = Order.NEWEST
        """The order of the queue on screen."""
        self.sorting = False
        """A worker is sorting the queue (`request_queue`); the old one stays usable."""
        self.queue_filter = QueueFilter()
        self.items: QueueItems = QueueItems()
        """The queue, each item built when first drawn or read (see `QueueItems`)."""
        self.unknown_articles: list[str] = []
        self._hidden_decisions = 0
        """Line decisions by others the filter leaves out (counted at each rebuild)."""
        self._title_rows = 0
        """Rows the queue title took when last set (a change of height needs a layout)."""
        self.first_page_shown = threading.Event()
        """Set once the queue's first page has been drawn (the loader then goes on)."""

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="review-body"):
            with Vertical(id="review-sidebar"):
                yield CleanInput(placeholder="filter: @author #tag is:unreviewed art:ID decisions",
                            id="review-filter")
                yield Static(Content("Loading…"), id="review-queue-title", markup=False)
                yield QueueList[ReviewItem](self._prompt, id="review-queue")
            yield DetailView(id="review-detail")
        with Vertical(id="review-stats-panel"):
            yield Static(Content("Agreement"), id="review-stats-title", markup=False)
            yield DataTable(id="review-stats", cursor_type="row", zebra_stripes=True)
        # The footer (a widget per key, rebuilt whenever the bindings change) is mounted
        # once the queue's first page is on screen: see `adopt_loaded`. Composed now, its
        # rebuilds would take turns with the loader for the interpreter.

    def on_mount(self) -> None:
        self.query_one("#review-stats-panel").display = False
        table = self.query_one("#review-stats", DataTable)
        table.add_columns("section", "scope", "annotators", "measure", "value", "units")
        book = self.book
        self.load_review(
            list(book.articles) if book.corpus_done else [],
            book.all_annotations() if book.opened else None,
            list(book.analyses),
        )

    @property
    def user(self) -> str:
        return self.book.user

    @property
    def loading(self) -> bool:
        """True until the corpus and the annotations have been read."""
        return not self.loaded

    @property
    def index(self):  # type: ignore[no-untyped-def]
        """The book's review index (present once loaded)."""
        return self.book.review_index

    def palette_commands(self) -> Iterator[Command]:
        """The queue's actions (as named in `reader.actions`) and its filters."""
        from reader.commands import review_extras

        yield from commands_for(self, actions.REVIEW)
        yield from review_extras(self)

    def command_name(self, action: Action) -> str | None:
        """The palette name of `action` now, or None where it would do nothing."""
        name = action.action
        if name in {"accept", "reject", "edit", "reply", "next_item", "previous_item"}:
            return action.command if self.current_item() is not None else None
        if name == "undo":
            return action.command if self.book.undo_history(REVIEW) else None
        if name == "toggle_order":
            return ("review: disagreements first" if self.order is Order.NEWEST
                    else "review: newest first")
        if name == "toggle_stats":
            shown = self.query_one("#review-stats-panel").display
            return "review: hide agreement" if shown else "review: show agreement"
        if name == "curate":
            return action.command if self.loaded else None
        if name == "leave":
            return "review: back to the reader" if self.has_reader else "review: quit"
        return action.command

    def help_groups(self) -> list[tuple[str, Iterable[BindingType]]]:
        """The keys `?` lists here: the queue's and the reply/edit editor's."""
        from reader.screens.editor import AnnotationEditor

        return [("Review", self.BINDINGS), ("Reply and edit editor", AnnotationEditor.BINDINGS)]

    # ---- workers --------------------------------------------------------------------------

    def save(self, change: Change, *, undo: bool = False) -> None:
        """Ask the app's writer to write a change; `ChangeSaved` shows it."""
        request_save(self, self.book, change, REVIEW, undo=undo)

    # ---- handlers ------------------------------------------------------------------------

    @on(LoadedReview)
    def adopt_loaded(self, event: LoadedReview) -> None:
        data = event.data
        book = self.book
        if data.articles and not book.articles and not self.has_reader:
            book.add_articles(data.articles)
            book.corpus_done = True
        if data.annotations is not None and not book.opened:
            book.open(data.store, data.annotations, data.read_only)
        for ident, analysis in data.analyses.items():
            book.analyses.setdefault(ident, analysis)
        book.review_index = data.index
        self.locator = data.index.locate  # type: ignore[assignment]
        self.loaded = True
        if data.message:
            self.notify(data.message, severity="error", timeout=15, markup=False)
        self.shown_order = event.queue_for[1]
        self.rebuild_queue(queue=event.queue)
        if event.queue_for != (self.queue_filter, self.order):
            self.request_queue(keep=False)  # the filter or order changed while loading
        self.call_after_refresh(self.mount_footer)
        self.call_after_refresh(self.first_page_shown.set)
        # The loaded annotations, their index and the queue live as long as the session:
        # move them out of the collector's sight. Otherwise each full collection walks
        # them all, a 200-300 ms pause every dozen keypresses at 10,000 annotations.
        gc.freeze()
        if self.query_one("#review-stats-panel").display:
            self.compute_stats()

    async def mount_footer(self) -> None:
        """The footer, once the first page is drawn, filled in from the bindings (a
        footer mounted late misses the screen's first announcement of them)."""
        if self.query(ReaderFooter):
            return
        await self.mount(ReaderFooter())
        self.refresh_bindings()

    @on(AnalysesLoaded)
    def adopt_analyses(self, event: AnalysesLoaded) -> None:
        for ident, analysis in event.analyses.items():
            self.book.analyses.setdefault(ident, analysis)
        self.analysed = True
        if self._curate_waiting:
            self._curate_waiting = False
            self.action_curate()

    @on(messages.ChangeSaved)
    def show_saved(self, event: messages.ChangeSaved) -> None:
        if not self.loaded:
            return
        self.refresh_after(event.change)
        if self.query_one("#review-stats-panel").display:
            self.compute_stats()

    @on(StatsReady)
    def show_stats(self, event: StatsReady) -> None:
        report: AgreementReport = event.report
        table = self.query_one("#review-stats", DataTable)
        table.clear()
        for row in stats_rows(report):
            table.add_row(*row)
        self.query_one("#review-stats-title", Static).update(
            Content(f"Agreement — {report.note}")
        )

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.request_queue()

    # ---- queue (the rest is in `ReviewQueueing`) ------------------------------------------

    @on(QueueSorted)
    def adopt_sorted(self, event: QueueSorted) -> None:
        self.show_sorted(event)

    @on(QueueList.Highlighted, "#review-queue")
    def follow_queue(self) -> None:
        self.show_item(self.current_item())

    # ---- detail ---------------------------------------------------------------------------

    def show_item(self, item: ReviewItem | None) -> None:
        """Show `item` in the detail pane (one line-API widget: a move redraws that pane
        alone, and blocks that did not change are not wrapped again)."""
        detail = self.query_one("#review-detail", DetailView)
        if item is None:
            loading = not self.loaded
            detail.show([Block("header", Content("Loading…" if loading
                                                 else "Nothing to review here."))])
            return
        blocks = detail_blocks(item, self._article_name(item.annotation), self.locator,
                               self.index)
        header = blocks[0].content
        shown = detail.blocks[0].content if detail.blocks else None
        detail.show(blocks, to_top=shown is None or shown.plain != header.plain)

    # ---- actions ------------------------------------------------------------------------

    def _advance(self) -> None:
        queue_list = self.query_one("#review-queue", QueueList)
        if queue_list.highlighted is not None and queue_list.highlighted + 1 < len(self.items):
            queue_list.highlighted += 1

    def _verdict(self, made: Annotation, what: str) -> None:
        self.save(Change(what, added=[made]))
        self._advance()

    def action_accept(self) -> None:
        item = self.current_item()
        if item is not None:
            self._verdict(review.accept(item.annotation, self.user),
                          f"accepted {one_line(item.annotation.author, 30)}'s annotation")

    def action_reject(self) -> None:
        item = self.current_item()
        if item is not None:
            self._verdict(review.reject(item.annotation, self.user),
                          f"rejected {one_line(item.annotation.author, 30)}'s annotation")

    def _editor(self, item: ReviewItem, *, reply: bool) -> None:
        from reader.screens.editor import AnnotationEditor, EditorResult

        annotation = item.annotation
        quote = annotation.target.exact if annotation.target else "(the whole article)"

        def saved(result: EditorResult | None) -> None:
            if result is None:
                return
            if reply:
                if not result.note.strip():
                    self.notify("A reply needs some text.", markup=False)
                    return
                made = review.reply(annotation, self.user, result.note)
                self.save(Change(f"reply to {one_line(annotation.author, 30)}", added=[made]))
            else:
                made = review.accept_edited(annotation, self.user, result.tags, result.note)
                self._verdict(made, f"accepted {one_line(annotation.author, 30)}'s annotation"
                              + (" with edits" if made.tags or made.note else ""))

        known = sorted(self.book.tags_in_use())
        self.app.push_screen(
            AnnotationEditor(
                quote=f"Reply to {annotation.author}: {quote}" if reply else quote,
                tags=[] if reply else item.effective_tags,
                note="" if reply else item.effective_note,
                known_tags=known,
                focus="note" if reply else "tags",
            ),
            saved,
        )

    def action_edit(self) -> None:
        item = self.current_item()
        if item is not None:
            self._editor(item, reply=False)

    def action_reply(self) -> None:
        item = self.current_item()
        if item is not None:
            self._editor(item, reply=True)

    def action_undo(self) -> None:
        request_undo(self, self.book, REVIEW)

    def action_next_item(self) -> None:
        self.query_one("#review-queue", QueueList).action_cursor_down()

    def action_previous_item(self) -> None:
        self.query_one("#review-queue", QueueList).action_cursor_up()

    def action_toggle_order(self) -> None:
        self.order = Order.DISAGREEMENTS if self.order is Order.NEWEST else Order.NEWEST
        self.request_queue(keep=False)

    def action_filter(self) -> None:
        self.query_one("#review-filter", Input).focus()

    def set_filter(self, text: str) -> None:
        """Filter the queue with `text` (as if typed; the box shows it)."""
        self.query_one("#review-filter", Input).value = text

    @on(Input.Changed, "#review-filter")
    def apply_filter(self, event: Input.Changed) -> None:
        self.queue_filter = QueueFilter.parse(event.value)
        self.request_queue(keep=False)

    @on(Input.Submitted, "#review-filter")
    def leave_filter(self) -> None:
        self.query_one("#review-queue", QueueList).focus()

    def action_toggle_stats(self) -> None:
        panel = self.query_one("#review-stats-panel")
        panel.display = not panel.display
        if panel.display and self.loaded:
            self.compute_stats()

    def action_curate(self) -> None:
        from reader.screens.curation import CurationScreen

        if not self.loaded:
            return
        if not self.analysed:
            self._curate_waiting = True  # opens when the detector's verdicts come
            return
        item = self.current_item()
        article = self.locator.article_for(item.annotation) if item is not None else None
        self.app.push_screen(CurationScreen(self.book, self.locator.articles, article))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc ("Back") exists only where there is somewhere to go back to: the queue from
        the filter box, the reader under this screen. Where review is the whole app
        (`copydesk review`) it is hidden and does nothing: Esc is pressed too casually
        (to close a dialog, to leave a box) to throw the session away; q quits."""
        if action == "leave":
            return isinstance(self.focused, Input) or self.has_reader
        return True

    def action_leave(self) -> None:
        """Esc: leave the filter box, else go back to the reader."""
        self.action_back()

    def action_back(self) -> None:
        """Leave the review screen: back to the reader, or quit `copydesk review` (the
        palette's "review: quit")."""
        focused = self.focused
        if isinstance(focused, Input):
            self.query_one("#review-queue", QueueList).focus()
            return
        if self.has_reader:
            self.dismiss()
        else:
            self.app.exit()
