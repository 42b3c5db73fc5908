"""The main screen's moving-about keys: columns and modes, the next article, the
annotations panel and the legend, a line's details, going to a line, the article list
and its filter, and search in the article and the corpus. Mixed into `MainScreen`,
which composes the widgets these keys drive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.css.query import QueryType
    from textual.notifications import SeverityLevel

    from reader.corpus import Article
    from reader.screens.aligning import Aligner
    from reader.state import Book
    from reader.widgets.annotations_panel import AnnotationsPanel
    from reader.widgets.article_list import ArticleList
    from reader.widgets.article_view import ArticleView
    from reader.widgets.columns_pane import ColumnsPane
    from reader.widgets.search_bar import SearchBar
    from reader.widgets.sidebar import Sidebar


class MainNavigation:
    """Mixed into `MainScreen`, which provides these attributes and the Screen API."""

    book: Book
    aligner: Aligner
    hidden_parts_mounted: bool
    _search_term: str

    if TYPE_CHECKING:
        app: App[None]

        @property
        def pane(self) -> ColumnsPane: ...

        @property
        def panel(self) -> AnnotationsPanel: ...

        @property
        def sidebar(self) -> Sidebar: ...

        @property
        def article_list(self) -> ArticleList: ...

        def current_view(self) -> ArticleView | None: ...

        def current_article(self) -> Article | None: ...

        def refresh_panel(self) -> None: ...

        async def hidden_parts(self) -> bool: ...

        def query_one(self, selector: str | type[QueryType], /) -> QueryType: ...

        def notify(self, message: str, *, markup: bool = ...,
                   severity: SeverityLevel = ...) -> None: ...

    # ---- actions: the columns pane, the panel and the list --------------------------------

    def set_mode(self, mode: str) -> None:
        self.pane.set_mode(mode)

    def action_cycle_mode(self) -> None:
        self.pane.cycle_mode()

    def action_jump_counterpart(self) -> None:
        self.aligner.jump()

    def action_link_counterpart(self) -> None:
        self.aligner.link()

    def action_toggle_sync(self) -> None:
        self.pane.sync_scroll = not self.pane.sync_scroll

    async def action_add_column(self) -> None:
        await self.pane.add_column()

    async def action_remove_column(self) -> None:
        await self.pane.remove_column()

    def action_next_column(self) -> None:
        self.pane.focus_column(1)

    def action_previous_column(self) -> None:
        self.pane.focus_column(-1)

    def _step_article(self, step: int) -> None:
        shown = self.pane.step_article(step, self.article_list.visible_ids())
        if shown is not None:
            self.article_list.select_article(shown)

    def action_next_article(self) -> None:
        self._step_article(1)

    def action_previous_article(self) -> None:
        self._step_article(-1)

    async def action_toggle_panel(self) -> None:
        if not await self.hidden_parts():
            return
        panel = self.panel
        panel.display = not panel.display
        if panel.display:
            self.refresh_panel()
            panel.options.focus()
        elif (view := self.current_view()) is not None:
            view.focus()

    async def action_toggle_legend(self) -> None:
        if not await self.hidden_parts():
            return
        legend = self.query_one("#legend")
        legend.display = not legend.display

    def action_line_details(self) -> None:
        from reader.screens.inspect import LineDetails, line_details

        article, view = self.current_article(), self.current_view()
        if article is not None and view is not None:
            self.app.push_screen(LineDetails(line_details(self.book, article, view.cursor_line)))

    def action_goto_line(self) -> None:
        from reader.screens.inspect import GotoLine

        view = self.current_view()
        if view is None or view.article is None or not view.article.lines:
            return

        def chosen(line: int | None) -> None:
            if line is not None:
                view.goto_line(line)
                view.focus()

        self.app.push_screen(GotoLine(len(view.article.lines), view.cursor_line), chosen)

    def action_toggle_list(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.display = not sidebar.display

    def action_focus_list(self) -> None:
        self.query_one("#sidebar").display = True
        self.article_list.focus()

    def action_filter(self) -> None:
        self.sidebar.focus_filter()

    def apply_filter(self, text: str) -> None:
        """Set the list filter (used by the command palette)."""
        self.sidebar.apply_filter(text)

    # ---- actions: search -------------------------------------------------------------------

    async def action_search(self) -> None:
        if await self.hidden_parts():
            search_bar: SearchBar = self.query_one("#searchbar")  # type: ignore[assignment]
            search_bar.open(self._search_term)

    def run_article_search(self, term: str) -> None:
        """Mark every case-insensitive occurrence of `term` and go to the first after the cursor."""
        self._search_term = term
        if self.pane.search(term) == 0 and term:
            self.notify(f"Not found: {term}", markup=False)

    def action_next_match(self) -> None:
        self.pane.next_match()

    def action_previous_match(self) -> None:
        self.pane.previous_match()

    def action_search_corpus(self) -> None:
        from reader.screens.search import CorpusSearch, SearchHit

        def chosen(hit: SearchHit | None) -> None:
            if hit is None:
                return
            column = self.pane.current_column or self.pane.columns[0]
            self.pane.show_article(column, hit.article_id)
            column.view.move_cursor(hit.start, center=True)
            self.run_article_search(hit.term)
            column.view.focus()

        self.app.push_screen(CorpusSearch(self.book.articles, self.book.title), chosen)
