"""The main screen: sidebar, columns pane and annotations panel. It composes and routes:
workers load, detect and open the store and post messages (`reader.messages`); handlers
put the results in the shared `Book` and tell the widgets, which own their parts, to
redraw; keys go to the widgets, the `Annotator` (decisions, tags, notes), the `Exporter`
or, for moving about and search, `MainNavigation`.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import OptionList

from reader import actions, collector, messages
from reader.actions import Command, bindings, commands_for
from reader.corpus import Article
from reader.screens.aligning import Aligner
from reader.screens.annotating import Annotator
from reader.screens.exporting import Exporter
from reader.screens.main_layout import FirstLayout
from reader.screens.main_navigation import MainNavigation
from reader.screens.main_startup import MainStartup
from reader.screens.main_workers import MainWorkers
from reader.screens.saving import request_undo
from reader.state import READER, Book
from reader.state.loading import BatchDrawn, FirstBatch, duplicate_summary, problem_summary
from reader.widgets.article_list import ArticleList, entry_for
from reader.widgets.article_view import ArticleView
from reader.widgets.columns_pane import ColumnsPane
from reader.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from reader.widgets.annotations_panel import AnnotationsPanel
    from reader.widgets.search_bar import SearchBar

COLLECTOR_HOLD_LIMIT = 30.0
"""Seconds after the screen mounts at most that the collector stays held (see
`reader.collector`) while the corpus loads: held, the loaded articles are not walked
again and again by full collections (an 80 ms pause every few batches held keys up);
released once loading ends, they are frozen with everything else that lives as long as
the app."""

KEYS_HELD_AT_MOST = 2.0
"""Seconds after the screen mounts at most that keys typed meanwhile wait for the first
article to be drawn (`messages.ReaderReady`): a slow first file never keeps `q` waiting
longer."""

FIRST_BATCH_WAIT = 0.15
"""How long the screen waits, before its first layout, for the first article: one read
in that time is drawn in the first frame (see `FirstBatch`)."""
FIRST_FILL_GRACE = 0.05
"""How long after the first article the screen waits for the other columns' articles
before its first layout (see `FirstBatch`)."""


def plural(count: int, noun: str = "article") -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


class MainScreen(FirstLayout, MainStartup, MainNavigation, MainWorkers, Screen[None]):
    """List, columns, annotations panel, search bar."""

    AUTO_FOCUS = "ArticleView"
    BINDINGS: ClassVar[list[BindingType]] = bindings(actions.READER)

    def __init__(
        self,
        book: Book,
        inputs: list[str],
        *,
        columns: int = 2,
        max_file_bytes: int = 50 * 1024 * 1024,
        stdin_data: bytes | None = None,
    ) -> None:
        super().__init__()
        self.book = book
        """The state shared with the review and curation screens."""
        self.inputs = inputs
        self.max_file_bytes = max_file_bytes
        self.stdin_data = stdin_data
        """What `-` in `inputs` stands for (read by the CLI before the app started)."""
        self.initial_columns = columns
        self._search_term = ""
        self.first_paint = threading.Event()
        """Set after the refresh that drew the first article (or the news that there is
        none). The loader waits for it before reading the rest, and the workers that
        import the detector and open the store are started only once it is set: their
        Python code holds the GIL, which would otherwise slow the first frame."""
        self._corpus: list[Article] | None = None
        """Every loaded article once loading is done (detection starts from it)."""
        self._store_tried = False
        """Whether opening the store has been answered (the store may still be None)."""
        self._store_requested = False
        """Whether the store's worker has been started (`open_store_once_loaded`)."""
        self._resumed = False
        """Whether the screen has been made active once (`FirstLayout`)."""
        self._resized_to: Size | None = None
        """The size of the last `Resize` laid out (`FirstLayout`)."""
        self._first_layout_done_at = float("-inf")
        """When (Textual's clock) the first layout ended (`FirstLayout`)."""
        self._keys_taken = False
        """Whether the app has been told that keys may take effect (`take_keys`)."""
        self._after_keys = False
        """Whether the hidden parts' mount is under way (`after_keys_taken`)."""
        self._hidden_parts: list[Callable[[], AwaitMount | None]] = []
        """The hidden parts still to mount, one at a time (`mount_hidden_parts`)."""
        self._keys_let_through_at = 0.0
        """When (`time.monotonic`) the first keys were let through (`after_keys_taken`):
        the hidden parts wait for a pause from then, `HIDDEN_PARTS_WAIT_MOST` at most."""
        self.hidden_parts_mounted = False
        """Whether the panel, legend, search bar and footer are mounted (in the first
        pause of the keyboard after the first paint, or at once for a key that needs
        one of them: `hidden_parts`)."""
        self.annotator = Annotator(self)
        """What the decision and annotation keys do to the current article."""
        self.exporter = Exporter(self)
        """The export dialog's last choices and the exports they start."""
        self.aligner = Aligner(self)
        """The passages articles share: computed after detection, used by `c` and `C`."""
        self.batch_drawn = BatchDrawn()
        """Set once the frame after a loaded batch is drawn: the loader waits for it."""

    def palette_commands(self) -> Iterator[Command]:
        """The reader's actions (as named in `reader.actions`) and its other commands."""
        from reader.commands import reader_extras

        yield from commands_for(self, actions.READER)
        if self.hidden_parts_mounted and self.panel.display:
            yield from commands_for(self.panel.options, actions.PANEL)
        yield from reader_extras(self)

    def help_groups(self) -> list[tuple[str, Iterable[BindingType]]]:
        """The keys `?` lists here: the screen's, its widgets' and the note editor's."""
        from reader.screens.editor import AnnotationEditor
        from reader.widgets.annotations_panel import AnnotationPanel

        return [
            ("Reader", self.BINDINGS),
            ("Article text", ArticleView.BINDINGS),
            ("Article list", ArticleList.BINDINGS),
            ("Annotations panel", AnnotationPanel.BINDINGS),
            ("Annotation editor", AnnotationEditor.BINDINGS),
        ]

    # ---- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The first frame has the list and the columns only. The annotations panel, the
        # legend and the search bar (hidden until their keys) and the footer (a widget
        # per key, rebuilt whenever the bindings change) are mounted once the first
        # article is on screen and the keys typed before it have taken effect
        # (`after_keys_taken`, `mount_hidden_parts`); the footer into a row kept for
        # it, so it lays out and repaints that row alone (docked then, it shrank the
        # body and repainted the whole screen just as articles loaded).
        with Horizontal(id="body"):
            yield Sidebar(id="sidebar")
            yield ColumnsPane(self.book, columns=self.initial_columns, id="columns")
        yield Container(id="footer-slot")

    async def on_mount(self) -> None:
        # Held since start (`reader.collector`) until the corpus is loaded after the
        # first paint; at the latest, this long after the screen mounts.
        self.set_timer(COLLECTOR_HOLD_LIMIT, collector.release)
        self.set_timer(KEYS_HELD_AT_MOST, self.take_keys)
        self._hide_toasts_inline()
        first = FirstBatch(self.initial_columns)
        self.load_corpus(first, self.batch_drawn)
        # Until this returns the screen does not lay itself out: the wait holds the
        # first frame back for the columns' articles (without blocking the event loop).
        batch = await asyncio.to_thread(first.take, FIRST_BATCH_WAIT, FIRST_FILL_GRACE)
        if batch is not None:
            self.adopt_articles(
                messages.CorpusProgress(batch.articles, batch.problems, batch.loaded, batch.done)
            )

    @property
    def loading(self) -> bool:
        """True until the corpus is loaded, the store read, the detector has run and the
        hidden parts are mounted."""
        if self._corpus is None or not self.first_paint.is_set():
            return True
        if not self._store_tried or not self.hidden_parts_mounted:
            return True
        return bool(self._corpus) and not self.book.analyses

    @property
    def pane(self) -> ColumnsPane:
        return self.query_one(ColumnsPane)

    @property
    def panel(self) -> AnnotationsPanel:
        return self.query_one("#annotations-panel")  # type: ignore[return-value]

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    @property
    def article_list(self) -> ArticleList:
        return self.sidebar.article_list

    def current_view(self) -> ArticleView | None:
        return self.pane.current_view()

    def current_article(self) -> Article | None:
        return self.pane.current_article()

    # ---- the first paint (the workers are in `MainWorkers`) --------------------------

    @on(ArticleView.Painted)
    def first_article_drawn(self) -> None:
        if not self.first_paint.is_set():
            self.call_after_refresh(self.after_first_paint)

    def after_first_paint(self) -> None:
        """The first frame is on screen: start the work that waited for it."""
        if self.first_paint.is_set():
            return
        self.first_paint.set()
        self.take_keys_when_filled()
        if self._corpus is not None:  # else once loaded (`adopt_articles`)
            collector.release()
        self.after_keys_taken()
        if self._corpus:
            self.detect_articles(self._corpus)

    def take_keys_when_filled(self) -> None:
        """Once the first article is drawn and every column shows an article (or the
        corpus has no more to give), the keys typed so far can take effect: before,
        `w` then `G` moved to a column still waiting for the loader's next batch."""
        if not self.first_paint.is_set() or self._keys_taken:
            return
        if self.book.corpus_done or all(c.article_id for c in self.pane.columns):
            self.take_keys()

    def take_keys(self) -> None:
        """Let the keys typed so far take effect (the app held them): the screen is
        ready (`take_keys_when_filled`), or it has been waited for long enough."""
        if not self._keys_taken:
            self._keys_taken = True
            self.app.post_message(messages.ReaderReady())
            self.after_keys_taken()

    # ---- message handlers ----------------------------------------------------------------

    @on(messages.CorpusProgress)
    def adopt_articles(self, event: messages.CorpusProgress) -> None:
        new = self.book.add_articles(event.articles)
        self.article_list.add_entries([entry_for(self.book, article) for article in new])
        self.pane.fill_empty_columns()
        if event.done:
            self.book.corpus_done = True
            self.open_store_once_loaded()
            if self.book.articles:
                self.sidebar.show_progress(f"{plural(len(self.book.articles))} · detecting…", 0)
            else:
                self.sidebar.show_progress("No article could be loaded.")
        else:
            self.sidebar.set_label(f"Loading… {event.loaded} articles")
        if event.problems:
            self.notify(problem_summary(event.problems),
                        title=f"{len(event.problems)} file(s) could not be loaded",
                        severity="warning", timeout=10, markup=False)
        if event.done and self.book.duplicates:
            self.notify(duplicate_summary(self.book.duplicates),
                        title=f"{len(self.book.duplicates)} duplicate article(s) shown once",
                        severity="information", timeout=10, markup=False)  # fmt: skip
        self.take_keys_when_filled()
        if not event.done:
            self.call_after_refresh(self.batch_drawn.set)
        if event.done:
            self._corpus = list(self.book.articles)
            if self.first_paint.is_set():
                collector.release()  # the corpus is frozen too: never scanned again
                if self._corpus:
                    self.detect_articles(self._corpus)
            elif not self._corpus:
                # No article will be drawn: the news that there is none is the first frame.
                self.call_after_refresh(self.after_first_paint)

    def on_unmount(self) -> None:
        self.first_paint.set()  # release a loader still waiting for a frame that won't come
        self.batch_drawn.set()

    @on(messages.AnalysesReady)
    def adopt_analyses(self, event: messages.AnalysesReady) -> None:
        self.sidebar.advance(event.done, event.total)
        if event.done < event.total:
            return  # progress only: the verdicts arrive together
        self.book.adopt_analyses(event.analyses, event.titles)
        # The corpus and its verdicts live as long as the app: move them out of the
        # collector's way, so full collections stay short while scrolling. Only the
        # young generations are collected first: a full collection walked every article
        # and verdict (about 100 ms on 2,000 articles, a stalled key) to find a few
        # hundred objects of garbage, which are frozen with the rest instead.
        gc.collect(1)
        gc.freeze()
        self.sidebar.show_progress(plural(len(self.book.articles)))
        self.refresh_all()
        if event.done >= event.total:
            self.aligner.start()

    @on(messages.StoreOpened)
    def adopt_store(self, event: messages.StoreOpened) -> None:
        self._store_tried = True
        if not self.book.opened:  # else the review screen read it first
            self.book.open(event.store, event.annotations, event.read_only)
            if event.message:
                self.notify(event.message, severity="error", timeout=15, markup=False)
        if self.book.annotations:
            self.refresh_all()
        else:  # nothing to draw but a read-only flag: the columns' text stays as it is
            for column in self.pane.columns:
                self.pane.update_status(column)
        self.aligner.start()

    @on(messages.AlignmentReady)
    def adopt_alignment(self, event: messages.AlignmentReady) -> None:
        self.aligner.adopt(event.alignment)

    @on(messages.ChangeSaved)
    def show_saved_change(self, event: messages.ChangeSaved) -> None:
        ids = event.change.article_ids
        for article_id in ids:
            article = self.book.by_id.get(article_id)
            if article is not None:
                self.article_list.update_entry(entry_for(self.book, article))
        self.pane.refresh_columns(ids)
        self.refresh_panel()
        if self.aligner.changes_content(event.change):
            self.aligner.start()

    def refresh_all(self) -> None:
        self.article_list.set_entries([entry_for(self.book, a) for a in self.book.articles])
        self.pane.refresh_columns()
        self.refresh_panel()

    def refresh_panel(self) -> None:
        if self.hidden_parts_mounted:
            self.panel.show(self.current_article())

    # ---- events from widgets -------------------------------------------------------------

    @on(ColumnsPane.CurrentChanged)
    def follow_current_column(self, event: ColumnsPane.CurrentChanged) -> None:
        if event.previous != event.column.article_id:
            self.refresh_panel()
        if event.column.article_id:
            self.article_list.select_article(event.column.article_id)
        self.aligner.show_similarity()

    @on(ColumnsPane.ArticleShown)
    def follow_shown_article(self) -> None:
        self.refresh_panel()
        self.aligner.show_similarity()

    @on(OptionList.OptionSelected, "#articles")
    def open_selected_article(self, event: OptionList.OptionSelected) -> None:
        column = self.pane.current_column or self.pane.columns[0]
        self.pane.show_article(column, event.option.id)
        column.view.focus()

    # The hidden parts' messages are handled by name (`on_annotations_panel_jump`, ...),
    # not by `@on(...)`, which would import their modules before the first frame.

    def on_annotations_panel_jump(self, event: AnnotationsPanel.Jump) -> None:
        view = self.current_view()
        if view is not None:
            view.move_cursor(event.start, center=True)
            view.focus()

    def on_search_bar_submitted(self, event: SearchBar.Submitted) -> None:
        self.run_article_search(event.term)
        self._focus_current_view()

    def on_search_bar_closed(self, event: SearchBar.Closed) -> None:
        self._focus_current_view()

    def _focus_current_view(self) -> None:
        if (view := self.current_view()) is not None:
            view.focus()

    # ---- actions: decisions --------------------------------------------------------------

    def action_accept(self) -> None:
        self.annotator.accept()

    def action_reject(self) -> None:
        self.annotator.reject()

    def action_accept_block(self) -> None:
        self.annotator.accept_block()

    def action_reject_block(self) -> None:
        self.annotator.reject_block()

    def action_accept_all(self) -> None:
        self.annotator.accept_all()

    def action_undo(self) -> None:
        request_undo(self, self.book, READER)

    # ---- actions: annotations --------------------------------------------------------------

    def action_tag(self) -> None:
        self.annotator.tag()

    def action_note(self) -> None:
        self.annotator.note()

    def action_quick_tag(self, number: int) -> None:
        self.annotator.quick_tag(number)

    def action_edit_annotation(self) -> None:
        self.annotator.edit_annotation()

    def action_delete_annotation(self) -> None:
        self.annotator.delete_annotation()

    def action_next_annotation(self) -> None:
        self.annotator.step_annotation(1)

    def action_previous_annotation(self) -> None:
        self.annotator.step_annotation(-1)

    # ---- actions: export ---------------------------------------------------------------------

    def action_export(self) -> None:
        self.exporter.open_dialog()

    def export_destination(self) -> str:
        return self.exporter.destination()

    def export(self, scope: str, fmt: str | None = None, directory: Path | None = None) -> None:
        """Export the cleaned text of `scope` (see `Exporter.export`)."""
        self.exporter.export(scope, fmt, directory)

    @on(messages.ExportProgress)
    def show_export_progress(self, event: messages.ExportProgress) -> None:
        self.sidebar.advance(event.done, event.total)

    @on(messages.ExportFinished)
    def report_export(self, event: messages.ExportFinished) -> None:
        self.exporter.finished(event)
