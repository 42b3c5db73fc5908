"""The curation view: every annotator's keep/remove decisions on one article, side by side.

Lines where the annotators agree and where they disagree are coloured (in the spirit of
INCEpTION's curation panes). The reviewer settles a line with a key: remove, keep, take
annotator N's decision or the detector's suggestion; `A` settles every agreed line at
once. Settled decisions belong to the curated author (`annotations.curation`), so the
export and the formats treat the result like anyone's decisions. Writes go through the
review screen's worker and share its undo stack.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from annotations.curation import (
    CurationLine,
    LineState,
    agreed_lines,
    annotators,
    curation_table,
    settle,
)
from reader import actions, messages, paths
from reader.actions import MAX_ANNOTATOR_KEYS, Action, Command, bindings, commands_for
from reader.corpus import Article, strip_controls
from reader.corpus.text import one_line
from reader.screens.saving import request_save, request_undo
from reader.state import REVIEW, Book, Change
from reader.widgets.curation_grid import CurationGrid, glyph
from reader.widgets.footer import ReaderFooter

if TYPE_CHECKING:
    from reader.boilerplate import Analysis



class CurationScreen(Screen[None]):
    """One article's line decisions by each annotator, and the settled result."""

    CSS_PATH: ClassVar = [paths.styles_dir() / "curation.tcss"]
    AUTO_FOCUS = "CurationGrid"

    BINDINGS: ClassVar[list[BindingType]] = bindings(actions.CURATION)

    def __init__(
        self, book: Book, articles: list[Article], article: Article | None = None
    ) -> None:
        super().__init__()
        self.book = book
        """The state shared with the review screen (one undo history with it)."""
        self.articles = articles
        """The corpus the review screen reads."""
        self.candidates = self._candidates()
        if article is None or article.id not in {a.id for a in self.candidates}:
            article = self.candidates[0] if self.candidates else article
        self.article = article
        self.fill = False
        """Whether undecided votes show the detector's suggestion."""
        self.rows: list[CurationLine] = []

    def _candidates(self) -> list[Article]:
        """Articles with line decisions, those with two or more annotators first."""
        found = []
        for article in self.articles:
            names = annotators(self.book.on_article(article), article)
            if names:
                found.append((len(names) < 2, article))
        return [article for _, article in sorted(found, key=lambda pair: pair[0])]

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="curation-title", markup=False)
        yield CurationGrid(id="curation-grid")
        yield Static(Content(""), id="curation-line", markup=False)
        yield Static(
            Content("✗ remove  ✓ keep  · undecided  ~ suggestion   green: agreed  red: "
                    "disagreed  yellow: one annotator"),
            id="curation-legend",
            markup=False,
        )
        yield ReaderFooter()

    def on_mount(self) -> None:
        self.refresh_table()

    def analysis_for(self, article: Article) -> Analysis | None:
        """The detector's verdicts (computed by the review loader, or the reader's)."""
        return self.book.analyses.get(article.id)

    @on(messages.ChangeSaved)
    def show_saved(self) -> None:
        self.refresh_table()

    @property
    def grid(self) -> CurationGrid:
        return self.query_one(CurationGrid)

    def palette_commands(self) -> Iterator[Command]:
        """The curation view's actions, named for the line and annotators at hand."""
        yield from commands_for(self, actions.CURATION)

    def command_name(self, action: Action) -> str | None:
        from reader.commands import curation_names

        return curation_names(self, action)

    def help_groups(self) -> list[tuple[str, Iterable[BindingType]]]:
        """The keys `?` lists here: settling, moving, and the grid's cursor keys."""
        return [("Curation", self.BINDINGS), ("Curation grid", CurationGrid.BINDINGS)]

    def refresh_table(self) -> None:
        """Rebuild the rows from the shared annotations (after a save or undo)."""
        title = self.query_one("#curation-title", Static)
        article = self.article
        if article is None:
            title.update(Content("No article has line decisions yet."))
            self.rows = []
            self.grid.show([], [])
            return
        annotations = self.book.on_article(article)
        names = annotators(annotations, article)
        analysis = self.analysis_for(article)
        self.rows = curation_table(
            annotations, article, analysis, authors=names, fill_with_suggestions=self.fill
        )
        self.grid.show(self.rows, names)
        agreed = sum(1 for r in self.rows if r.state is LineState.AGREED)
        disagreed = sum(1 for r in self.rows if r.state is LineState.DISAGREED)
        unsettled = sum(
            1 for r in self.rows if r.state is LineState.DISAGREED and r.curated is None
        )
        settled = sum(1 for r in self.rows if r.curated is not None)
        position = ""
        if article in self.candidates:
            position = f" ({self.candidates.index(article) + 1}/{len(self.candidates)})"
        keys = "  ".join(
            f"{n}: {' '.join(strip_controls(name).split())[:20]}"
            for n, name in enumerate(names[:MAX_ANNOTATOR_KEYS], 1)
        )
        title.update(
            Content.assemble(
                ("Curation", "bold"),
                f"{position} · ",
                (one_line(article.name)[:60], "bold"),
                f" · {len(names)} annotator(s) · {agreed} agreed · {disagreed} disagreed"
                f" ({unsettled} unsettled) · {settled} settled"
                + (" · undecided shown as suggestion" if self.fill else ""),
                "\n",
                (keys, "dim"),
            )
        )

    @on(CurationGrid.CursorMoved)
    def show_line(self, event: CurationGrid.CursorMoved) -> None:
        row = event.row
        line = self.query_one("#curation-line", Static)
        if row is None:
            line.update(Content(""))
            return
        votes = "  ".join(
            f"{' '.join(strip_controls(name).split())[:20]} {glyph(vote, name in row.filled)}"
            for name, vote in row.votes.items()
        )
        suggestion = "n/a" if row.suggestion is None else glyph(row.suggestion)
        verdict = None
        if self.article is not None:
            analysis = self.analysis_for(self.article)
            verdict = analysis.verdicts.get(row.number) if analysis is not None else None
        reason = f" — {verdict.kind}: {verdict.reason}" if verdict is not None else ""
        line.update(
            Content.assemble(
                (f"Line {row.number + 1} · {row.state}", "bold"),
                f" · {votes} · suggestion {suggestion}{reason}\n",
                strip_controls(row.text),
            )
        )

    # ---- settling ------------------------------------------------------------------------

    def _settle(self, decisions: dict[int, bool], what: str) -> None:
        if self.article is None or not decisions:
            return
        made = settle(self.book.on_article(self.article), self.article, decisions, what)
        if not made.added:
            self.notify("Already settled that way.", timeout=2, markup=False)
            return
        request_save(self, self.book, Change(what, added=made.added, removed=made.removed), REVIEW)

    def action_settle(self, remove: bool) -> None:
        row = self.grid.current_row
        if row is None:
            return
        self._settle({row.number: remove},
                     f"settled line {row.number + 1}: {'remove' if remove else 'keep'}")
        self.grid.action_cursor_down()

    def action_take(self, number: int) -> None:
        row = self.grid.current_row
        names = list(row.votes) if row is not None else []
        if row is None or not 1 <= number <= len(names):
            return
        vote = row.votes[names[number - 1]]
        if vote is None:
            self.notify("That annotator did not decide this line.", timeout=2, markup=False)
            return
        self.action_settle(vote)

    def action_take_suggestion(self) -> None:
        row = self.grid.current_row
        if row is not None and row.suggestion is not None:
            self.action_settle(row.suggestion)

    def action_accept_agreed(self) -> None:
        agreed = agreed_lines(self.rows)
        if not agreed:
            self.notify("No agreed line is left to settle.", timeout=2, markup=False)
            return
        self._settle(agreed, f"accepted {len(agreed)} agreed line(s)")

    def action_undo(self) -> None:
        request_undo(self, self.book, REVIEW)

    # ---- moving ---------------------------------------------------------------------------

    def _jump(self, step: int) -> None:
        count = len(self.rows)
        index = self.grid.cursor
        for _ in range(count):
            index += step
            if not 0 <= index < count:
                break
            if self.rows[index].state is LineState.DISAGREED:
                self.grid.move_to(index)
                return
        self.notify("No further disagreement.", timeout=2, markup=False)

    def action_next_disagreement(self) -> None:
        self._jump(1)

    def action_previous_disagreement(self) -> None:
        self._jump(-1)

    def _switch(self, step: int) -> None:
        if not self.candidates:
            return
        index = self.candidates.index(self.article) if self.article in self.candidates else -1
        self.article = self.candidates[(index + step) % len(self.candidates)]
        self.grid.cursor = 0
        self.grid.scroll_to(y=0, animate=False)
        self.refresh_table()

    def action_next_article(self) -> None:
        self._switch(1)

    def action_previous_article(self) -> None:
        self._switch(-1)

    def action_toggle_fill(self) -> None:
        self.fill = not self.fill
        self.refresh_table()

    def action_back(self) -> None:
        self.dismiss()
