"""Right after the first paint, the reader's own work stands aside for the user's keys.

The parts the first frame goes without mount in a pause of the keyboard, and a key that
needs one of them mounts them at once; a resize to the size already laid out lays
nothing out again; and the first frame is drawn once, not drawn and thrown away.
"""

from __future__ import annotations

import pytest
from reader_helpers import main_screen, reader, settle
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen

from reader.screens import main_startup
from reader.screens.main import MainScreen
from reader.widgets.annotations_panel import AnnotationsPanel
from reader.widgets.kind_legend import KindLegend
from reader.widgets.search_bar import SearchBar

ROUNDS = 500
"""A bound on waiting rounds, not a schedule."""


async def keys_let_through(pilot: Pilot) -> MainScreen:
    """The main screen once the first frame is drawn and the held keys were let go."""
    for _ in range(ROUNDS):
        screen = next((s for s in pilot.app.screen_stack if isinstance(s, MainScreen)), None)
        if screen is not None and screen._after_keys:
            return screen
        await pilot.pause()
    raise AssertionError("the reader never let the first keys through")


@pytest.fixture
def busy_keyboard(monkeypatch: pytest.MonkeyPatch) -> None:
    """A keyboard that never pauses long enough for the hidden parts to mount."""
    monkeypatch.setattr(main_startup, "HIDDEN_PARTS_QUIET", 600.0)
    monkeypatch.setattr(main_startup, "HIDDEN_PARTS_WAIT_MOST", 600.0)


@pytest.mark.usefixtures("busy_keyboard")
@pytest.mark.parametrize(
    ("key", "part"),
    [("p", AnnotationsPanel), ("K", KindLegend), ("slash", SearchBar)],
    ids=["panel", "legend", "search"],
)
async def test_a_key_for_a_hidden_part_mounts_it_while_the_keyboard_is_busy(
    key: str, part: type
) -> None:
    """While keys keep coming the hidden parts wait; `p`, `K` or `/` mounts them all
    and then does what it says (before, it did nothing until the footer showed)."""
    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j")
        screen = await keys_let_through(pilot)
        for _ in range(5):
            await pilot.pause()
        assert not screen.hidden_parts_mounted
        assert not screen.query(part)
        await pilot.press(key)
        await pilot.pause()
        assert screen.hidden_parts_mounted
        shown = screen.query_one(part)
        assert shown.display
        if part is AnnotationsPanel:
            assert screen.focused is shown.options
        if part is SearchBar:
            assert shown.has_focus_within


@pytest.mark.usefixtures("busy_keyboard")
async def test_the_hidden_parts_wait_a_moment_after_the_first_paint_without_keys() -> None:
    """The first key of someone who starts reading comes a moment after the first
    paint: the parts wait for that moment of quiet even before any key was pressed."""
    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await keys_let_through(pilot)
        for _ in range(5):
            await pilot.pause()
        assert screen.book.input.quiet_for() == float("inf")  # no key at all
        assert not screen.hidden_parts_mounted


@pytest.mark.usefixtures("busy_keyboard")
async def test_the_store_opens_while_the_hidden_parts_wait() -> None:
    """A busy keyboard holds the hidden parts back, not the annotation store: a change
    made then is saved, not refused as "still opening"."""
    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j")
        screen = await keys_let_through(pilot)
        for _ in range(ROUNDS):
            if screen.book.opened:
                break
            await pilot.pause()
        assert screen.book.opened
        assert not screen.hidden_parts_mounted


async def test_the_hidden_parts_mount_once_the_keyboard_pauses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """However busy the keyboard, every part is mounted by the time they are due."""
    monkeypatch.setattr(main_startup, "HIDDEN_PARTS_QUIET", 600.0)
    monkeypatch.setattr(main_startup, "HIDDEN_PARTS_WAIT_MOST", 0.0)
    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j")
        await settle(pilot)
        screen = main_screen(app)
        assert screen.hidden_parts_mounted
        assert screen.query(AnnotationsPanel) and screen.query(SearchBar)


async def test_a_resize_to_the_size_laid_out_lays_nothing_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The terminal's size read again after the first paint (the same size) lays the
    screen out no more; a real resize still does."""
    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        layouts: list[object] = []
        resized = MainScreen._screen_resized

        def counted(self: MainScreen, size: object) -> None:
            layouts.append(size)
            resized(self, size)  # type: ignore[arg-type]

        monkeypatch.setattr(MainScreen, "_screen_resized", counted)
        size = screen.size
        screen.post_message(events.Resize(size, size))
        await pilot.pause()
        await pilot.pause()
        assert layouts == []
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert layouts
        assert screen.size.width == 100


async def test_the_first_frame_is_drawn_once_outside_the_start_up_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The main screen is the app's first screen, so its first frame is composed after
    Textual's start-up batch ends. Pushed over a default screen from `on_mount`, it was
    drawn inside the batch (a frame Textual throws away) and then drawn again."""
    drawn: list[bool] = []
    refresh = Screen._compositor_refresh

    def counted(self: Screen) -> None:
        if isinstance(self, MainScreen):
            drawn.append(bool(self.app._batch_count))
        refresh(self)

    monkeypatch.setattr(Screen, "_compositor_refresh", counted)
    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_let_through(pilot)
        assert drawn, "the main screen was never drawn"
        assert drawn[0] is False, "the first frame was drawn inside the start-up batch"
        assert app.screen_stack == [main_screen(app)]


@pytest.mark.usefixtures("busy_keyboard")
async def test_an_article_of_another_length_resizes_the_scrollbar_without_a_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A column given an article of another length (another number of rows) moves its
    scrollbar's thumb and lays nothing out: the view's scrollbar always shows, so its
    rows never change the screen's layout (Textual's virtual size laid it all out)."""
    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await keys_let_through(pilot)
        for _ in range(ROUNDS):  # no part mounts meanwhile: nothing else lays out
            if screen.book.corpus_done:
                break
            await pilot.pause()
        await pilot.pause()
        view = screen.pane.columns[0].view
        before = view.virtual_size.height
        other = min(screen.book.articles, key=lambda article: len(article.text))
        laid_out_for: set[object] = set()
        refresh_layout = Screen._refresh_layout

        def counted(self: Screen, *args: object, **kwargs: object) -> None:
            # The widgets that asked for this layout (other parts may, meanwhile).
            laid_out_for.update(w for ws in self._layout_widgets.values() for w in ws)
            refresh_layout(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        view.show(other)
        await pilot.pause()
        await pilot.pause()
        assert view.virtual_size.height == len(view._rows) < before
        assert view.vertical_scrollbar.window_virtual_size == view.virtual_size.height
        assert view not in laid_out_for


async def test_the_empty_toast_rack_is_hidden_before_the_first_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual hides its empty toast rack by an inline style just after the first frame,
    which laid the whole screen out again; the reader sets that style before the first
    frame, so Textual's setting it again changes nothing; a notification still shows."""
    from textual.widgets._toast import ToastRack

    already_hidden: list[bool] = []
    show = ToastRack.show

    def recorded(self: ToastRack, notifications: object) -> None:
        already_hidden.append(self.styles.inline.has_rule("display"))
        show(self, notifications)  # type: ignore[arg-type]

    monkeypatch.setattr(ToastRack, "show", recorded)
    app = reader([])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert already_hidden[:1] == [True]
        app.notify("A message", timeout=30)
        await pilot.pause()
        await pilot.pause()
        assert main_screen(app).query_children(ToastRack).first().display


async def test_rows_built_before_the_first_layout_are_one_per_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An article shown before the view is laid out gets one row per line, wrapped at
    the real width when it is drawn; at a width of one cell every character was a row."""
    from reader.widgets import article_view
    from reader.widgets.wrapping import RowMap

    built: list[tuple[int, int, int]] = []

    class CountedRowMap(RowMap):
        def __init__(self, article, line_numbers, width: int) -> None:  # type: ignore[no-untyped-def]
            super().__init__(article, line_numbers, width)
            built.append((width, len(self), len(line_numbers)))

    monkeypatch.setattr(article_view, "RowMap", CountedRowMap)
    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_let_through(pilot)
        widths = {width for width, _, _ in built}
        assert article_view.UNLAID_WIDTH in widths  # the columns' articles, before layout
        assert all(rows == lines for width, rows, lines in built
                   if width == article_view.UNLAID_WIDTH)
        laid_out = widths - {article_view.UNLAID_WIDTH}
        assert laid_out and min(laid_out) > 10, built


@pytest.mark.usefixtures("busy_keyboard")
async def test_after_the_first_layout_nothing_lays_the_screen_out_as_the_corpus_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the hidden parts held back, the screen is laid out once: not again for the
    layouts its widgets asked for as they were sized, nor as the second column fills,
    the list grows, the progress bar comes and goes, or the verdicts arrive."""
    layouts: list[list[str]] = []  # who asked, for each layout
    refresh_layout = Screen._refresh_layout

    def counted(self: Screen, *args: object, scroll: bool = False, **kwargs: object) -> None:
        if isinstance(self, MainScreen) and not (scroll and not self._layout_widgets):
            asked = (w for ws in self._layout_widgets.values() for w in ws)
            layouts.append(sorted(type(w).__name__ for w in asked))
        refresh_layout(self, *args, scroll=scroll, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    app = reader([])
    # Wide enough for the columns' status to keep one line (narrower, a column's
    # status takes a second line once its width is known: a layout of its own).
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await keys_let_through(pilot)
        for _ in range(ROUNDS):
            if screen.book.corpus_done and screen.book.analyses:
                break
            await pilot.pause()
        for _ in range(5):
            await pilot.pause()
        assert screen.book.analyses
        assert not screen.hidden_parts_mounted
        assert len(layouts) == 1, layouts  # the first
