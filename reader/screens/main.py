"""The main screen: the article list beside two or more article columns.

It owns the `Session` (corpus, verdicts, annotations, undo). Loading, detection, store
writes, searches and exports run in thread workers that only post messages
(`reader.messages`); the handlers here change state and redraw what changed.
"""

from __future__ import annotations

import contextlib
import gc
import re
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader import actions, messages
from reader.actions import Command, bindings, commands_for
from reader.corpus import Article, strip_controls
from reader.corpus.loader import LoadProblem
from reader.corpus.text import one_line
from reader.screens.saving import request_save, request_undo, writable
from reader.state import READER, Book, Change, TaggedSpan
from reader.state.loading import iter_sources, open_store
from reader.widgets.article_list import ArticleList, ListEntry, outlet
from reader.widgets.article_view import MODES, ArticleView, Highlight, tag_class
from reader.widgets.column import ArticleColumn

if TYPE_CHECKING:
    from annotations.model import Annotation

MAX_COLUMNS = 6
BATCH_SECONDS = 0.05
"""Loaded articles are posted to the UI in batches at most this often (the first at once)."""
NOTE_PREVIEW_CHARS = 80


class AnnotationPanel(OptionList):
    """The current article's annotations; orphaned ones are listed under their own heading."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(actions.PANEL)


class MainScreen(Screen[None]):
    """List, columns, annotations panel, search bar."""

    AUTO_FOCUS = "ArticleView"

    BINDINGS: ClassVar[list[BindingType]] = bindings(actions.READER)

    sync_scroll: reactive[bool] = reactive(False)
    """Whether scrolling one column scrolls the others to the same relative place."""

    def __init__(
        self,
        book: Book,
        inputs: list[str],
        *,
        columns: int = 2,
        max_file_bytes: int = 50 * 1024 * 1024,
    ) -> None:
        super().__init__()
        self.book = book
        """The state shared with the review and curation screens."""
        self.inputs = inputs
        self.max_file_bytes = max_file_bytes
        self.initial_columns = max(1, min(columns, MAX_COLUMNS))
        self.current_column: ArticleColumn | None = None
        self._search_term = ""
        self._column_ids = 0
        self.first_paint = threading.Event()
        """Set after the refresh that drew the first article (or the news that there is
        none). The loader waits for it before reading the rest, and the workers that
        import the detector and open the store are started only once it is set: their
        Python code holds the GIL, which would otherwise slow the first frame."""
        self._corpus: list[Article] | None = None
        """Every loaded article once loading is done (detection starts from it)."""
        self._store_tried = False
        """Whether opening the store has been answered (the store may still be None)."""
        self.export_format = "txt"
        """The format last chosen in the export dialog; palette exports use it too."""
        self.export_directory: Path | None = None
        """The directory last chosen in the export dialog (None: `default_export_dir()`)."""

    def palette_commands(self) -> Iterator[Command]:
        """The reader's actions (as named in `reader.actions`) and its other commands."""
        from reader.commands import reader_extras

        yield from commands_for(self, actions.READER)
        if self.query_one("#annotations-panel").display:
            yield from commands_for(self.query_one(AnnotationPanel), actions.PANEL)
        yield from reader_extras(self)

    def help_groups(self) -> list[tuple[str, Iterable[BindingType]]]:
        """The keys `?` lists here: the screen's, its widgets' and the note editor's."""
        from reader.screens.editor import AnnotationEditor

        return [
            ("Reader", self.BINDINGS),
            ("Article text", ArticleView.BINDINGS),
            ("Article list", ArticleList.BINDINGS),
            ("Annotations panel", AnnotationPanel.BINDINGS),
            ("Annotation editor", AnnotationEditor.BINDINGS),
        ]

    # ---- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield Input(placeholder="filter: words #tag @author", id="filter")
                yield ArticleList(id="articles")
                yield Static(Content("Loading…"), id="progress-label", markup=False)
                yield ProgressBar(id="progress", show_eta=False)
            with Horizontal(id="columns"):
                for _ in range(self.initial_columns):
                    yield self._new_column()
            with Vertical(id="annotations-panel"):
                yield Static(Content("Annotations"), id="panel-title", markup=False)
                yield AnnotationPanel(id="annotation-list")
        with Horizontal(id="searchbar"):
            yield Input(placeholder="search this article (Enter, then n / N)", id="search")
        yield Footer()

    def _new_column(self) -> ArticleColumn:
        self._column_ids += 1
        return ArticleColumn(id=f"column-{self._column_ids}")

    def on_mount(self) -> None:
        self.query_one("#annotations-panel").display = False
        self.query_one("#searchbar").display = False
        self.current_column = self.columns[0]
        self.load_corpus()

    @property
    def loading(self) -> bool:
        """True until the corpus is loaded, the store read and the detector has run."""
        if self._corpus is None or not self.first_paint.is_set():
            return True
        return not self._store_tried or (bool(self._corpus) and not self.book.analyses)

    @property
    def columns(self) -> list[ArticleColumn]:
        return list(self.query(ArticleColumn))

    @property
    def article_list(self) -> ArticleList:
        return self.query_one("#articles", ArticleList)

    def current_view(self) -> ArticleView | None:
        column = self.current_column
        if column is None or not column.is_mounted:
            return None
        return column.view

    def current_article(self) -> Article | None:
        column = self.current_column
        if column is None or column.article_id is None:
            return None
        return self.book.by_id.get(column.article_id)

    # ---- workers: loading, detection, store ----------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="corpus")
    def load_corpus(self) -> None:
        """Load the corpus in batches (posted as `CorpusProgress`).

        The first article is posted as soon as it is read, and the rest wait until it is
        drawn (`first_paint`), so the first frame does not share the GIL with loading.
        """
        worker = get_current_worker()
        articles: list[Article] = []
        batch: list[Article] = []
        problems: list[LoadProblem] = []
        last = time.monotonic()
        for item in iter_sources(self.inputs, self.max_file_bytes):
            if isinstance(item, Article):
                articles.append(item)
                batch.append(item)
            else:
                problems.append(item)
            first = len(articles) == 1 and batch
            if first or time.monotonic() - last > BATCH_SECONDS:
                self.post_message(messages.CorpusProgress(batch, [], len(articles)))
                batch = []
                if first:
                    while not self.first_paint.wait(0.1):
                        if worker.is_cancelled:
                            return
                last = time.monotonic()
        self.post_message(messages.CorpusProgress(batch, problems, len(articles), done=True))

    @work(thread=True, exclusive=True, exit_on_error=False, group="detect")
    def detect_articles(self, articles: list[Article]) -> None:
        """Run the detector over the whole corpus (started after the first paint)."""
        from reader.boilerplate import detect_corpus

        analyses = detect_corpus(articles)
        self.post_message(
            messages.AnalysesReady(
                {a.article_id: a for a in analyses}, len(analyses), len(articles)
            )
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="store-open")
    def open_annotation_store(self) -> None:
        """Open and read the database (started after the first paint)."""
        store, found, read_only, message = open_store(self.book.db_path)
        self.post_message(messages.StoreOpened(store, found, read_only, message))

    @on(ArticleView.Painted)
    def first_article_drawn(self) -> None:
        if not self.first_paint.is_set():
            self.call_after_refresh(self.after_first_paint)

    def after_first_paint(self) -> None:
        """The first frame is on screen: start the work that waited for it."""
        if self.first_paint.is_set():
            return
        self.first_paint.set()
        self.open_annotation_store()
        if self._corpus:
            self.detect_articles(self._corpus)

    def save(self, change: Change, *, undo: bool = False) -> None:
        """Ask the app's writer to write a change (written in order; `ChangeSaved`)."""
        request_save(self, self.book, change, READER, undo=undo)

    def _writable(self) -> bool:
        return writable(self, self.book)

    # ---- message handlers ----------------------------------------------------------------

    @on(messages.CorpusProgress)
    def adopt_articles(self, event: messages.CorpusProgress) -> None:
        new = self.book.add_articles(event.articles)
        self.article_list.add_entries([self._entry(article) for article in new])
        for column in self.columns:
            if column.article_id is None:
                self._fill_empty_column(column)
        label = self.query_one("#progress-label", Static)
        if event.done:
            self.book.corpus_done = True
            count = len(self.book.articles)
            label.update(Content(f"{count} article{'s' if count != 1 else ''} · detecting…"))
            self.query_one("#progress", ProgressBar).update(total=1, progress=0)
            if not self.book.articles:
                label.update(Content("No article could be loaded."))
                self.query_one("#progress", ProgressBar).display = False
        else:
            label.update(Content(f"Loading… {event.loaded} articles"))
        if event.problems:
            shown = "\n".join(strip_controls(str(p)) for p in event.problems[:10])
            more = len(event.problems) - 10
            if more > 0:
                shown += f"\n… and {more} more"
            self.notify(
                shown,
                title=f"{len(event.problems)} file(s) could not be loaded",
                severity="warning",
                timeout=10,
                markup=False,
            )
        if event.done:
            self._corpus = list(self.book.articles)
            if self.first_paint.is_set():
                if self._corpus:
                    self.detect_articles(self._corpus)
            elif not self._corpus:
                # No article will be drawn: the news that there is none is the first frame.
                self.call_after_refresh(self.after_first_paint)

    def on_unmount(self) -> None:
        self.first_paint.set()  # release a loader still waiting for a frame that won't come

    @on(messages.AnalysesReady)
    def adopt_analyses(self, event: messages.AnalysesReady) -> None:
        self.book.analyses.update(event.analyses)
        self.query_one("#progress", ProgressBar).update(total=event.total, progress=event.done)
        if event.done >= event.total:
            # The corpus and its verdicts live as long as the app: move them out of the
            # collector's way, so full collections stay short while scrolling.
            gc.collect()
            gc.freeze()
            count = len(self.book.articles)
            self.query_one("#progress-label", Static).update(
                Content(f"{count} article{'s' if count != 1 else ''}")
            )
            self.query_one("#progress", ProgressBar).display = False
        self.refresh_list()
        self.refresh_columns()

    @on(messages.StoreOpened)
    def adopt_store(self, event: messages.StoreOpened) -> None:
        self._store_tried = True
        if self.book.opened:  # the review screen read it first
            return
        self.book.open(event.store, event.annotations, event.read_only)
        if event.message:
            self.notify(event.message, severity="error", timeout=15, markup=False)
        self.refresh_list()
        self.refresh_columns()

    @on(messages.ChangeSaved)
    def show_saved_change(self, event: messages.ChangeSaved) -> None:
        self.refresh_after_change(event.change)

    def refresh_after_change(self, change: Change) -> None:
        for article_id in change.article_ids:
            article = self.book.by_id.get(article_id)
            if article is not None:
                self.article_list.update_entry(self._entry(article))
        for column in self.columns:
            if column.article_id in change.article_ids:
                self.refresh_column(column)
        self.refresh_panel()

    # ---- drawing -----------------------------------------------------------------------

    def _entry(self, article: Article) -> ListEntry:
        book = self.book
        analysis = book.analyses.get(article.id)
        annotations = book.for_article(article.id)
        return ListEntry(
            article=article,
            title=book.title(article),
            boilerplate=analysis.boilerplate_count if analysis else None,
            annotations=len(annotations),
            tags=tuple(book.article_tags(article.id)),
            authors=tuple(sorted({a.author for a in annotations})),
        )

    def refresh_list(self) -> None:
        self.article_list.set_entries([self._entry(a) for a in self.book.articles])

    def _fill_empty_column(self, column: ArticleColumn) -> None:
        shown = {c.article_id for c in self.columns}
        for article in self.book.articles:
            if article.id not in shown:
                self.show_article(column, article.id)
                return

    def show_article(self, column: ArticleColumn, article_id: str | None) -> None:
        column.article_id = article_id
        self.refresh_column(column)
        if column is self.current_column:
            self.refresh_panel()

    def refresh_columns(self) -> None:
        for column in self.columns:
            self.refresh_column(column)
        self.refresh_panel()

    def _decisions(self, article: Article) -> dict[int, bool]:
        return self.book.decisions(article)

    def _highlights(self, article: Article) -> list[Highlight]:
        return [highlight(span) for span in self.book.tagged_spans(article)]

    def refresh_column(self, column: ArticleColumn) -> None:
        article = self.book.by_id.get(column.article_id or "")
        view = column.view
        if article is None:
            view.show(None)
            column.set_header("(no article)", "", view.mode)
            column.set_status(None, None, {})
            return
        analysis = self.book.analyses.get(article.id)
        decisions = self._decisions(article)
        highlights = self._highlights(article)
        if view.article is not None and view.article.id == article.id:
            view.update_marks(analysis, decisions, highlights)
        else:
            view.show(article, analysis, decisions, highlights)
        column.set_header(self.book.title(article), source_label(article), view.mode)
        self.update_status(column)

    def update_status(self, column: ArticleColumn) -> None:
        article = self.book.by_id.get(column.article_id or "")
        extra = ""
        if self.sync_scroll:
            extra = "sync"
        if self.book.read_only and self.book.store is not None:
            extra += " read-only"
        column.set_status(
            article,
            self.book.analyses.get(article.id) if article else None,
            column.view.decisions,
            extra.strip(),
        )

    def refresh_panel(self) -> None:
        panel = self.query_one("#annotation-list", AnnotationPanel)
        if not self.query_one("#annotations-panel").display:
            return
        article = self.current_article()
        options: list[Option | None] = []
        orphans: list[Option] = []
        title = "Annotations"
        if article is not None:
            notes = self.book.notes(article)
            title = f"Annotations · {len(notes)}"
            placed = []
            for annotation in notes:
                found = self.book.anchor_of(annotation, article)
                option = Option(self._annotation_prompt(annotation, found.status), id=annotation.id)
                if found.attached:
                    placed.append((found.start, option))
                else:
                    orphans.append(option)
            options.extend(option for _, option in sorted(placed, key=lambda p: p[0]))
            if orphans:
                options.append(None)
                options.append(Option(Content.styled("Orphaned (text not found)", "bold $error"),
                                      disabled=True))
                options.extend(orphans)
        self.query_one("#panel-title", Static).update(Content(title))
        highlighted = panel.highlighted
        panel.set_options(options)
        if panel.option_count:
            panel.highlighted = min(highlighted or 0, panel.option_count - 1)

    @staticmethod
    def _annotation_prompt(annotation: Annotation, status: str) -> Content:
        note = one_line(annotation.note, NOTE_PREVIEW_CHARS)
        quote = one_line(annotation.target.exact if annotation.target else "", 60)
        tags = " ".join("#" + strip_controls(tag) for tag in annotation.tags)
        parts: list[tuple[str, str] | str] = [
            (strip_controls(annotation.author), "bold"),
            (f"  {status}", "dim" if status == "exact" else "$warning"),
        ]
        if tags:
            parts += ["\n", (tags, "italic $secondary")]
        if quote:
            parts += ["\n", (f"“{quote}”", "dim")]
        if note:
            parts += ["\n", note]
        return Content.assemble(*parts)

    # ---- events from widgets -------------------------------------------------------------

    def on_descendant_focus(self, event: Any) -> None:
        widget = event.widget
        if isinstance(widget, ArticleView):
            column = widget.parent
            if isinstance(column, ArticleColumn) and column is not self.current_column:
                previous = self.current_column
                self.current_column = column
                for each in self.columns:
                    each.set_class(each is column, "-current")
                if previous is not None and previous.article_id != column.article_id:
                    self.refresh_panel()
                if column.article_id:
                    self.article_list.select_article(column.article_id)

    @on(ArticleView.CursorMoved)
    def show_cursor_verdict(self, event: ArticleView.CursorMoved) -> None:
        column = event.view.parent
        if isinstance(column, ArticleColumn):
            self.update_status(column)

    @on(ArticleView.Scrolled)
    def sync_columns(self, event: ArticleView.Scrolled) -> None:
        if not self.sync_scroll:
            return
        for column in self.columns:
            if column.view is not event.view:
                column.view.follow(event.fraction)

    @on(OptionList.OptionSelected, "#articles")
    def open_selected_article(self, event: OptionList.OptionSelected) -> None:
        column = self.current_column or self.columns[0]
        self.show_article(column, event.option.id)
        column.view.focus()

    @on(OptionList.OptionSelected, "#annotation-list")
    def jump_to_annotation(self, event: OptionList.OptionSelected) -> None:
        article = self.current_article()
        view = self.current_view()
        annotation = self._annotation_by_id(event.option.id)
        if article is None or view is None or annotation is None:
            return
        found = self.book.anchor_of(annotation, article)
        if found.attached:
            view.move_cursor(found.start, center=True)
            view.focus()

    @on(Input.Changed, "#filter")
    def filter_list(self, event: Input.Changed) -> None:
        self.article_list.set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def leave_filter(self) -> None:
        self.article_list.focus()

    @on(Input.Submitted, "#search")
    def search_article(self, event: Input.Submitted) -> None:
        self.query_one("#searchbar").display = False
        self.run_article_search(event.value)
        view = self.current_view()
        if view is not None:
            view.focus()

    def key_escape(self) -> None:
        if self.query_one("#searchbar").display:
            self.query_one("#searchbar").display = False
            view = self.current_view()
            if view is not None:
                view.focus()

    # ---- actions: decisions --------------------------------------------------------------

    def _decide(self, lines: Iterable[int], accept: bool, what: str) -> None:
        article = self.current_article()
        view = self.current_view()
        if article is None or view is None:
            return
        analysis = self.book.analyses.get(article.id)
        if analysis is None:
            self.notify("The detector is still running; try again in a moment.", markup=False)
            return
        remove_lines, keep_lines = [], []
        for number in lines:
            verdict = analysis.verdicts.get(number)
            if verdict is None:
                continue
            remove = verdict.boilerplate if accept else not verdict.boilerplate
            (remove_lines if remove else keep_lines).append(number)
        if not remove_lines and not keep_lines:
            self.notify("Nothing to decide here (blank line).", markup=False)
            return
        if not self._writable():
            return
        change = self.book.decide(article, remove_lines, True, what)
        keep = self.book.decide(article, keep_lines, False, what)
        change.added += keep.added
        change.removed += keep.removed
        self.save(change)
        view.clear_selection()

    def action_accept(self) -> None:
        view = self.current_view()
        if view is not None:
            lines = view.target_lines()
            self._decide(lines, True, f"accepted {self._lines_label(lines)}")

    def action_reject(self) -> None:
        view = self.current_view()
        if view is not None:
            lines = view.target_lines()
            self._decide(lines, False, f"rejected {self._lines_label(lines)}")

    @staticmethod
    def _lines_label(lines: list[int]) -> str:
        if len(lines) == 1:
            return f"line {lines[0] + 1}"
        return f"{len(lines)} lines"

    def _block(self) -> list[int]:
        """The run of non-blank lines around the cursor that share its verdict's kind."""
        article = self.current_article()
        view = self.current_view()
        if article is None or view is None:
            return []
        analysis = self.book.analyses.get(article.id)
        if analysis is None:
            return []
        line = view.cursor_line
        verdict = analysis.verdicts.get(line)
        if verdict is None:
            return []
        block = [line]
        for step in (-1, 1):
            number = line + step
            while 0 <= number < len(article.lines):
                other = analysis.verdicts.get(number)
                if other is None:
                    number += step
                    continue
                if other.kind != verdict.kind or other.boilerplate != verdict.boilerplate:
                    break
                block.append(number)
                number += step
        return sorted(block)

    def action_accept_block(self) -> None:
        lines = self._block()
        self._decide(lines, True, f"accepted block of {len(lines)} lines")

    def action_reject_block(self) -> None:
        lines = self._block()
        self._decide(lines, False, f"rejected block of {len(lines)} lines")

    def action_accept_all(self) -> None:
        article = self.current_article()
        if article is None:
            return
        analysis = self.book.analyses.get(article.id)
        if analysis is None:
            return
        decided = self._decisions(article)
        lines = [
            number
            for number, verdict in sorted(analysis.verdicts.items())
            if verdict.boilerplate and number not in decided
        ]
        if not lines:
            self.notify("No undecided suggestions in this article.", markup=False)
            return
        self._decide(lines, True, f"accepted all {len(lines)} suggestions")

    def action_undo(self) -> None:
        request_undo(self, self.book, READER)

    # ---- actions: annotations --------------------------------------------------------------

    def _annotation_by_id(self, ident: str | None) -> Annotation | None:
        article = self.current_article()
        if article is None or ident is None:
            return None
        return next((a for a in self.book.for_article(article.id) if a.id == ident), None)

    def _open_editor(self, focus: str, annotation: Annotation | None = None) -> None:
        from reader.screens.editor import AnnotationEditor, EditorResult

        article = self.current_article()
        view = self.current_view()
        if article is None or view is None:
            return
        if not self._writable():
            return
        span = None
        if annotation is None:
            span = view.target_span()
            quote = article.text[span[0] : span[1]] if span else "(the whole article)"
        else:
            quote = annotation.target.exact if annotation.target else "(the whole article)"

        def saved(result: EditorResult | None) -> None:
            if result is None:
                return
            if annotation is None:
                change = self.book.annotate(article, span, result.tags, result.note)
            else:
                change = self.book.edit(annotation, result.tags, result.note)
            self.save(change)
            view.clear_selection()

        self.app.push_screen(
            AnnotationEditor(
                quote=quote,
                tags=annotation.tags if annotation else [],
                note=annotation.note if annotation else "",
                known_tags=self.book.tags_by_use(),
                focus=focus,
            ),
            saved,
        )

    def action_tag(self) -> None:
        self._open_editor("tags")

    def action_note(self) -> None:
        self._open_editor("note")

    def action_quick_tag(self, number: int) -> None:
        article = self.current_article()
        view = self.current_view()
        if article is None or view is None:
            return
        tags = self.book.tags_by_use()
        if number > len(tags):
            self.notify(f"No tag {number} yet: tag a span with t first.", markup=False)
            return
        span = view.target_span()
        if span is None:
            self.notify("Nothing to tag on a blank line.", markup=False)
            return
        if not self._writable():
            return
        tag = tags[number - 1]
        change = self.book.annotate(article, span, [tag], "")
        change.description = f"tag #{tag}"
        self.save(change)
        view.clear_selection()

    def action_edit_annotation(self) -> None:
        panel = self.query_one("#annotation-list", AnnotationPanel)
        if panel.highlighted is None:
            return
        annotation = self._annotation_by_id(panel.get_option_at_index(panel.highlighted).id)
        if annotation is not None:
            self._open_editor("note", annotation)

    def action_delete_annotation(self) -> None:
        panel = self.query_one("#annotation-list", AnnotationPanel)
        if panel.highlighted is None:
            return
        annotation = self._annotation_by_id(panel.get_option_at_index(panel.highlighted).id)
        if annotation is None or not self._writable():
            return
        self.save(Change("delete annotation", removed=[annotation]))

    def _annotation_starts(self) -> list[int]:
        article = self.current_article()
        if article is None:
            return []
        return sorted(h.start for h in self.book.highlights(article))

    def action_next_annotation(self) -> None:
        view = self.current_view()
        if view is None:
            return
        following = [s for s in self._annotation_starts() if s > view.cursor]
        if following:
            view.move_cursor(following[0], center=True)
        else:
            self.notify("No further annotation.", markup=False)

    def action_previous_annotation(self) -> None:
        view = self.current_view()
        if view is None:
            return
        earlier = [s for s in self._annotation_starts() if s < view.cursor]
        if earlier:
            view.move_cursor(earlier[-1], center=True)
        else:
            self.notify("No earlier annotation.", markup=False)

    # ---- actions: view and columns --------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        column = self.current_column
        if column is None or mode not in MODES:
            return
        column.view.mode = mode
        self.refresh_column(column)

    def action_cycle_mode(self) -> None:
        view = self.current_view()
        if view is not None:
            self.set_mode(MODES[(MODES.index(view.mode) + 1) % len(MODES)])

    def action_toggle_sync(self) -> None:
        self.sync_scroll = not self.sync_scroll

    def watch_sync_scroll(self, value: bool) -> None:
        if not self.is_mounted:
            return
        self.notify("Synchronized scrolling " + ("on" if value else "off"), timeout=2)
        for column in self.columns:
            self.update_status(column)
        view = self.current_view()
        if value and view is not None:
            maximum = view.max_scroll_y
            fraction = view.scroll_y / maximum if maximum else 0.0
            for column in self.columns:
                if column.view is not view:
                    column.view.follow(fraction)

    async def action_add_column(self) -> None:
        columns = self.columns
        if len(columns) >= MAX_COLUMNS:
            self.notify(f"At most {MAX_COLUMNS} columns.", markup=False)
            return
        column = self._new_column()
        await self.query_one("#columns").mount(column)
        self._fill_empty_column(column)
        self.set_focus(column.view)

    async def action_remove_column(self) -> None:
        columns = self.columns
        if len(columns) <= 1 or self.current_column is None:
            self.notify("The last column stays.", markup=False)
            return
        index = columns.index(self.current_column)
        await self.current_column.remove()
        remaining = self.columns
        self.current_column = None
        self.set_focus(remaining[min(index, len(remaining) - 1)].view)

    def _focus_column(self, step: int) -> None:
        columns = self.columns
        if not columns:
            return
        index = columns.index(self.current_column) if self.current_column in columns else -1
        if isinstance(self.focused, ArticleView):
            index = (index + step) % len(columns)
        else:
            index = max(index, 0)
        self.set_focus(columns[index].view)

    def action_next_column(self) -> None:
        self._focus_column(1)

    def action_previous_column(self) -> None:
        self._focus_column(-1)

    def _step_article(self, step: int) -> None:
        """Show the article `step` places further along the (filtered) list in this column.

        Articles other columns show are passed over while there are others to show.
        """
        column = self.current_column
        if column is None or not column.is_mounted:
            return
        visible = self.article_list.visible_ids()
        if not visible:
            self.notify("No article in the list (is a filter hiding them?).", markup=False)
            return
        current = column.article_id
        if current in visible:
            start = visible.index(current)
        else:  # filtered out: start from where it stands in the corpus
            order = {article.id: index for index, article in enumerate(self.book.articles)}
            position = order.get(current or "", -1)
            later = [i for i, ident in enumerate(visible) if order.get(ident, -1) > position]
            start = (later[0] if later else len(visible)) - (1 if step > 0 else 0)
        others = {c.article_id for c in self.columns if c is not column}
        candidates = [
            visible[(start + step * distance) % len(visible)]
            for distance in range(1, len(visible) + 1)
        ]
        target = next((ident for ident in candidates if ident not in others), candidates[0])
        if target == current:
            self.notify("No other article to show.", markup=False)
            return
        self.show_article(column, target)
        self.article_list.select_article(target)

    def action_next_article(self) -> None:
        self._step_article(1)

    def action_previous_article(self) -> None:
        self._step_article(-1)

    def action_toggle_panel(self) -> None:
        panel = self.query_one("#annotations-panel")
        panel.display = not panel.display
        if panel.display:
            self.refresh_panel()
            self.query_one("#annotation-list").focus()
        else:
            view = self.current_view()
            if view is not None:
                view.focus()

    def action_toggle_list(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.display = not sidebar.display

    def action_focus_list(self) -> None:
        self.query_one("#sidebar").display = True
        self.article_list.focus()

    def action_filter(self) -> None:
        self.query_one("#sidebar").display = True
        self.query_one("#filter", Input).focus()

    def apply_filter(self, text: str) -> None:
        """Set the list filter (used by the command palette)."""
        self.query_one("#sidebar").display = True
        self.query_one("#filter", Input).value = text
        self.article_list.set_filter(text)

    # ---- actions: search -------------------------------------------------------------------

    def action_search(self) -> None:
        bar = self.query_one("#searchbar")
        bar.display = True
        search = self.query_one("#search", Input)
        search.value = self._search_term
        search.focus()

    def run_article_search(self, term: str) -> None:
        """Mark every case-insensitive occurrence of `term` and go to the first after the cursor."""
        self._search_term = term
        article = self.current_article()
        view = self.current_view()
        if article is None or view is None:
            return
        if not term:
            view.set_matches([])
            return
        pattern = re.compile(re.escape(term), re.IGNORECASE)
        matches = [(m.start(), m.end()) for m in pattern.finditer(article.text)]
        view.set_matches(matches)
        if not matches:
            self.notify(f"Not found: {term}", markup=False)
            return
        self.action_next_match(wrap_from=view.cursor - 1)

    def action_next_match(self, wrap_from: int | None = None) -> None:
        view = self.current_view()
        if view is None or not view.matches:
            return
        position = view.cursor if wrap_from is None else wrap_from
        following = [m for m in view.matches if m[0] > position]
        target = following[0] if following else view.matches[0]
        view.move_cursor(target[0], center=True)
        index = view.matches.index(target) + 1
        self.query_one(f"#{view.parent.id}", ArticleColumn).set_status(  # type: ignore[union-attr]
            self.current_article(),
            self.book.analyses.get(view.article.id) if view.article else None,
            view.decisions,
            f"match {index}/{len(view.matches)}",
        )

    def action_previous_match(self) -> None:
        view = self.current_view()
        if view is None or not view.matches:
            return
        earlier = [m for m in view.matches if m[0] < view.cursor]
        target = earlier[-1] if earlier else view.matches[-1]
        view.move_cursor(target[0], center=True)

    def action_search_corpus(self) -> None:
        from reader.screens.search import CorpusSearch, SearchHit

        def chosen(hit: SearchHit | None) -> None:
            if hit is None:
                return
            column = self.current_column or self.columns[0]
            self.show_article(column, hit.article_id)
            column.view.move_cursor(hit.start, center=True)
            self.run_article_search(hit.term)
            column.view.focus()

        self.app.push_screen(CorpusSearch(self.book.articles, self.book.title), chosen)

    # ---- actions: export ---------------------------------------------------------------------

    def action_export(self) -> None:
        from reader.screens.export import ExportDialog, ExportRequest

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.export_format = request.fmt
                self.export_directory = request.directory
                self.export(request.scope)

        self.app.push_screen(
            ExportDialog(
                marked=len(self.article_list.marked),
                default_dir=self.export_directory or default_export_dir(),
                default_format=self.export_format,
            ),
            chosen,
        )

    def export_destination(self) -> str:
        """"FORMAT to DIRECTORY" as an export without a dialog writes (for the palette)."""
        directory = self.export_directory or default_export_dir()
        shown = str(directory)
        with contextlib.suppress(ValueError):
            shown = f"./{directory.relative_to(Path.cwd())}"
        return f"{self.export_format} to {shown}"

    def articles_for(self, scope: str) -> list[Article]:
        """The articles an export covers: "current", "selected" (marked) or "all"."""
        if scope == "current":
            article = self.current_article()
            return [article] if article else []
        if scope == "selected":
            marked = self.article_list.marked
            return [a for a in self.book.articles if a.id in marked]
        return list(self.book.articles)

    def export(self, scope: str, fmt: str | None = None, directory: Path | None = None) -> None:
        """Export the cleaned text of `scope` in the background: in `fmt` to `directory`,
        by default the format and directory last chosen in the export dialog."""
        fmt = fmt or self.export_format
        directory = directory or self.export_directory
        articles = self.articles_for(scope)
        if not articles:
            self.notify(
                "Nothing to export: mark articles with space in the list."
                if scope == "selected"
                else "Nothing to export yet.",
                markup=False,
            )
            return
        progress = self.query_one("#progress", ProgressBar)
        progress.display = True
        progress.update(total=len(articles), progress=0)
        self.query_one("#progress-label", Static).update(Content(f"Exporting {len(articles)}…"))
        self.run_export(articles, fmt, directory or default_export_dir())

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def run_export(self, articles: list[Article], fmt: str, directory: Path) -> None:
        from reader.boilerplate import detect_corpus
        from reader.export import write_outputs

        book = self.book
        try:
            cleaned = []
            known = dict(book.analyses)
            computed = {}
            if any(a.id not in known for a in articles):
                computed = {
                    analysis.article_id: analysis
                    for analysis in detect_corpus(list(book.articles))
                    if analysis.article_id not in known
                }
            for index, article in enumerate(articles, start=1):
                analysis = known.get(article.id) or computed.get(article.id)
                cleaned.append(book.cleaned(article, analysis))
                if index % 50 == 0:
                    self.post_message(messages.ExportProgress(index, len(articles)))
            written = write_outputs(cleaned, directory, fmt)
        except Exception as error:
            self.post_message(messages.ExportFinished(error=str(error)))
            return
        self.post_message(messages.ExportFinished(paths=written, analyses=computed))

    @on(messages.ExportProgress)
    def show_export_progress(self, event: messages.ExportProgress) -> None:
        self.query_one("#progress", ProgressBar).update(total=event.total, progress=event.done)

    @on(messages.ExportFinished)
    def report_export(self, event: messages.ExportFinished) -> None:
        for ident, analysis in event.analyses.items():
            self.book.analyses.setdefault(ident, analysis)
        self.query_one("#progress", ProgressBar).display = False
        count = len(self.book.articles)
        self.query_one("#progress-label", Static).update(
            Content(f"{count} article{'s' if count != 1 else ''}")
        )
        if event.error:
            self.notify(f"Export failed: {event.error}", severity="error", markup=False)
            return
        names = "\n".join(str(path) for path in event.paths[:8])
        if len(event.paths) > 8:
            names += f"\n… and {len(event.paths) - 8} more"
        self.notify(names, title=f"Exported {len(event.paths)} file(s)", timeout=8, markup=False)


def source_label(article: Article) -> str:
    """Outlet (URL host or file name) and, for files, the folder they came from."""
    name = outlet(article)
    if article.url:
        return f"{name} · {article.url}"
    parent = Path(article.source.split("#", 1)[0]).parent.name
    return f"{name} · {parent}/" if parent else name


def default_export_dir() -> Path:
    """Where in-app exports go unless the user picks another directory."""
    return Path.cwd() / "cleaned"


def highlight(span: TaggedSpan) -> Highlight:
    """A tagged span as the article view colours it (by its first tag)."""
    return Highlight(span.start, span.end, tag_class(span.tag), span.annotation_id)
