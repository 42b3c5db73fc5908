"""The reader stays usable while it loads and detects, and quits at once during detection.

Conditions, never the clock: a key reaches the list while the corpus is still loading,
and a quit during detection cancels the detector worker, whose thread stops between two
articles instead of running through the rest of the corpus.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from reader_helpers import main_screen, reader, settle
from textual import errors, events
from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import WorkerState

from reader import collector
from reader.corpus import Article
from reader.paths import demo_corpus_dir
from reader.screens.main import MainScreen
from reader.widgets.progress_line import ProgressLine

MAX_ROUNDS = 5000
"""A bound on waiting rounds, not a schedule: a condition never met fails the test."""


def write_corpus(directory: Path, count: int) -> Path:
    """`count` distinct articles made from the demo corpus."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(demo_corpus_dir().glob("*.txt"))]
    corpus = directory / "corpus"
    corpus.mkdir(parents=True)
    for index in range(count):
        text = texts[index % len(texts)]
        (corpus / f"{index:05d}.txt").write_text(f"{text}\n\nStory {index}.\n", encoding="utf-8")
    return corpus


class GatedArticles(list[Article]):
    """A list of articles that counts, for each pass over it, how many items were taken,
    and holds the detector's thread after the first article of its second pass (the
    analyses; the first gathers the corpus's repeated lines) until `release()` is true."""

    def __init__(self, articles: list[Article]) -> None:
        super().__init__(articles)
        self.passes: list[int] = []
        self.at_gate = threading.Event()
        self.release: Callable[[], bool] = lambda: True

    def __iter__(self) -> Iterator[Article]:
        self.passes.append(0)
        index = len(self.passes) - 1
        for article in super().__iter__():
            if index == 1 and self.passes[index] == 1:
                self.at_gate.set()
                for _ in range(3000):  # a bound, so a broken release cannot hang the run
                    if self.release():
                        break
                    time.sleep(0.01)
            self.passes[index] += 1
            yield article


async def test_a_key_in_the_list_is_handled_while_the_corpus_is_still_loading(
    tmp_path: Path,
) -> None:
    """Articles arrive in batches the UI handles between keys: with the list showing the
    first ones, a key reaches the list (and moves its highlight) before loading ends."""
    corpus = write_corpus(tmp_path, 4000)
    app = reader([str(corpus)])
    loaded_when_handled: list[bool] = []
    screens: list[MainScreen] = []

    def record(message: Message) -> None:
        if isinstance(message, events.Key) and message.key == "j" and screens:
            loaded_when_handled.append(screens[0].book.corpus_done)

    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        screen = main_screen(app)
        # Polled without `pilot.pause()`, which waits for every pump to be idle: the
        # second batch is looked for as soon as it can have arrived.
        for _ in range(MAX_ROUNDS):
            if screen.book.corpus_done or screen.article_list.option_count >= 2:
                break
            await asyncio.sleep(0.002)
        assert not screen.book.corpus_done, "loading ended before the list showed a batch"
        screen.article_list.focus()
        screen.article_list.highlighted = 0
        screens.append(screen)
        await pilot.press("j")
        assert loaded_when_handled and loaded_when_handled[0] is False
        await settle(pilot)
        assert screen.article_list.highlighted == 1
        assert screen.article_list.option_count == 4000


async def test_quitting_during_detection_cancels_the_detector_and_its_thread_stops(
    tmp_path: Path,
) -> None:
    corpus = write_corpus(tmp_path, 400)
    app = reader([str(corpus)])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        articles = GatedArticles(list(screen.book.articles))
        worker = screen.detect_articles(articles)
        articles.release = lambda: worker.is_cancelled
        for _ in range(MAX_ROUNDS):
            if articles.at_gate.is_set():
                break
            await pilot.pause()
        assert worker.state == WorkerState.RUNNING
        await pilot.press("q")
    assert not app.is_running
    assert worker.state == WorkerState.CANCELLED and worker.is_cancelled
    # Wait for the worker threads to finish what they were doing: released by the
    # cancellation, the detector's stops after the article it holds.
    await asyncio.get_running_loop().shutdown_default_executor()
    assert articles.passes[-1] < len(articles)


def parsed_stylesheets(app: App) -> set[str]:
    """The names of the .tcss files in the app's stylesheet."""
    return {
        Path(path).name
        for path, _ in app.stylesheet.source
        if path.endswith(".tcss")
    }


async def test_only_the_main_screens_stylesheets_are_parsed_before_a_dialog_opens() -> None:
    """The first frame parses app.tcss and main.tcss only; a screen's own stylesheet is
    read when the screen first opens (and styles it, as the snapshots show)."""
    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert parsed_stylesheets(app) == {"app.tcss", "main.tcss"}
        await pilot.press("question_mark")
        await pilot.pause()
        assert "help.tcss" in parsed_stylesheets(app)


def test_every_stylesheet_is_read_by_the_app_or_by_the_screen_it_styles() -> None:
    import importlib
    import pkgutil

    import reader.screens
    from reader.app import STYLE_FILES
    from reader.paths import styles_dir

    named = set(STYLE_FILES)
    for info in pkgutil.iter_modules(reader.screens.__path__, "reader.screens."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Screen):
                named |= {Path(path).name for path in value.CSS_PATH or []}
    assert named == {path.name for path in styles_dir().glob("*.tcss")}


async def test_the_collector_held_at_start_runs_again_once_the_corpus_is_loaded(
    tmp_path: Path,
) -> None:
    """Held from the start, through the first frame and while the corpus loads, and
    resumed (with what was loaded frozen) once loading is done."""
    collector.hold()
    try:
        app = reader([str(write_corpus(tmp_path, 300))])
        async with app.run_test(size=(120, 40)) as pilot:
            screen = main_screen(app)
            for _ in range(MAX_ROUNDS):
                if screen.book.corpus_done:
                    break
                assert not gc.isenabled()
                await asyncio.sleep(0.002)
            assert screen.first_paint.is_set() and screen.book.corpus_done
            await pilot.pause()
            assert not collector.held()
            # The detector, started at once, pauses the collector while it builds each
            # analysis (`collector.paused`): once it is done, collecting is back.
            await settle(pilot)
            assert gc.isenabled()
    finally:
        collector.release(freeze=False)
        gc.enable()
        gc.unfreeze()


async def test_entries_added_to_a_long_list_repaint_it_without_laying_the_screen_out(
    tmp_path: Path,
) -> None:
    """A batch of loaded articles grows the list (its scrollbar included) without a
    layout of the whole screen, which cost a full repaint per batch while loading."""
    from reader.state.loading import read_articles
    from reader.widgets.article_list import entry_for

    app = reader([str(write_corpus(tmp_path / "first", 60))])
    more = read_articles([str(write_corpus(tmp_path / "more", 80))], 10**7)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        article_list = screen.article_list
        assert article_list.show_vertical_scrollbar
        height = article_list.virtual_size.height
        layouts: list[Screen] = []
        screen.screen_layout_refresh_signal.subscribe(screen, layouts.append)
        new = [a for a in more if a.id not in screen.book.by_id]  # stories 60 to 79
        assert len(new) == 20
        screen.book.add_articles(new)
        article_list.add_entries([entry_for(screen.book, a) for a in new])
        await pilot.pause()
        await pilot.pause()
        assert article_list.option_count == 80
        assert article_list.virtual_size.height > height
        assert article_list.vertical_scrollbar.window_virtual_size == (
            article_list.virtual_size.height
        )
        assert layouts == []


async def test_threads_hand_the_gil_over_quickly_while_the_app_runs() -> None:
    """Workers keep the GIL at most SWITCH_INTERVAL while the UI waits; Python's own
    interval is back once the app has ended."""
    import sys

    from reader.app import SWITCH_INTERVAL

    before = sys.getswitchinterval()
    assert before > SWITCH_INTERVAL
    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL)
    assert sys.getswitchinterval() == pytest.approx(before)


async def test_the_first_frame_has_the_list_and_columns_and_the_hidden_parts_come_after(
) -> None:
    """The first article is drawn before the annotations panel, legend, search bar and
    footer exist (all but the footer hidden until their keys); they are there once the
    first frame is on screen, and their keys work. The progress bar, one widget, is
    there from the start, blank until there is a total to show."""
    from reader.widgets.article_view import ArticleView

    present_at_first_paint: list[list[str]] = []
    app = reader([])

    def record(message: Message) -> None:
        if isinstance(message, ArticleView.Painted) and not present_at_first_paint:
            screen = main_screen(app)
            present_at_first_paint.append([
                selector for selector in
                ("#annotations-panel", "#legend", "#searchbar", "ReaderFooter")
                if screen.query(selector)
            ])

    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert present_at_first_paint == [[]]
        assert screen.hidden_parts_mounted
        assert not screen.query_one("#progress", ProgressLine).shown
        await pilot.press("K")
        assert screen.query_one("#legend").display
        await pilot.press("p")
        assert screen.panel.display


async def test_every_column_shows_its_article_in_the_first_frame() -> None:
    """The first frame shows an article in each column, side by side: filled one frame
    after another, each column cost a repaint that the first key waited for."""
    from reader.widgets.article_view import ArticleView

    columns_at_first_paint: list[list[str | None]] = []
    app = reader([])

    def record(message: Message) -> None:
        if isinstance(message, ArticleView.Painted) and not columns_at_first_paint:
            columns_at_first_paint.append([c.article_id for c in main_screen(app).pane.columns])

    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await settle(pilot)
        shown = columns_at_first_paint[0]
        assert len(shown) == 2 and all(shown), shown
        assert len(set(shown)) == 2


COVERED_CONTAINERS = ("#body", "#sidebar", "#columns", "#footer-slot")
"""The main screen's containers that their children cover whole (`styles/main.tcss`)."""


def drawn(screen: Screen, widget: Widget) -> bool:
    """Whether the compositor draws `widget` (it is in the screen's map)."""
    try:
        screen.find_widget(widget)
    except errors.NoWidget:
        return False
    return True


async def test_containers_covered_by_their_children_are_not_drawn_but_their_children_are(
) -> None:
    """The body, sidebar, columns pane and footer row are left out of the compositor's
    map, in the first frame and once the hidden parts are mounted and shown; every
    widget in them that is displayed is drawn, the annotations panel and footer too."""
    from reader.widgets.article_view import ArticleView

    at_first_paint: list[tuple[list[str], list[str]]] = []
    app = reader([])

    def shown_inside(screen: Screen) -> list[Widget]:
        """Every displayed widget inside the covered containers but themselves (#body and
        #footer-slot hold the other two)."""
        covered = {screen.query_one(container) for container in COVERED_CONTAINERS}
        return [
            widget
            for outermost in ("#body", "#footer-slot")
            for widget in screen.query_one(outermost).walk_children(Widget)
            if widget not in covered
            and all(node.display for node in widget.ancestors_with_self if node is not screen)
        ]

    def record(message: Message) -> None:
        if isinstance(message, ArticleView.Painted) and not at_first_paint:
            screen = main_screen(app)
            at_first_paint.append((
                [c for c in COVERED_CONTAINERS if drawn(screen, screen.query_one(c))],
                [repr(w) for w in shown_inside(screen) if not drawn(screen, w)],
            ))

    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await settle(pilot)
        assert at_first_paint == [([], [])]
        await pilot.press("p")
        await pilot.pause()
        screen = main_screen(app)
        inside = shown_inside(screen)
        assert screen.panel in inside
        assert screen.query_one("#footer-slot").children[0] in inside  # the footer
        assert [c for c in COVERED_CONTAINERS if drawn(screen, screen.query_one(c))] == []
        assert [repr(w) for w in inside if not drawn(screen, w)] == []


async def test_keys_reach_the_input_gate_the_workers_stand_aside_for() -> None:
    """(Pilot's clicks go to the widgets, not through the app as a terminal's do.)"""
    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        gate = main_screen(app).book.input
        assert gate.quiet_for() == float("inf")
        await pilot.press("j")
        touched = time.monotonic() - gate.quiet_for()  # when the key came
        assert touched > float("-inf")
        await pilot.press("k")
        assert time.monotonic() - gate.quiet_for() > touched


async def test_workers_are_not_described_by_the_repr_of_their_arguments() -> None:
    """Textual describes a `@work` worker by the repr of its arguments, on the UI thread,
    unless it is given a description: for the detector that was the whole corpus (about
    50 ms and 9 MB for 2,000 articles), built as loading ended."""
    from textual.worker import Worker

    described: dict[str, str] = {}

    def record(message: Message) -> None:
        if isinstance(message, Worker.StateChanged):
            described[message.worker.group] = message.worker.description

    app = reader([])
    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await settle(pilot)
    assert {"corpus", "detect"} <= set(described)
    long = {group: len(text) for group, text in described.items() if len(text) > 200}
    assert not long, f"workers described at length: {long}"


async def test_the_first_frame_resolves_no_boilerplate_kind_style_and_they_come_on_use(
) -> None:
    """The stylesheet does not resolve the article view's component classes up front:
    when the first article is drawn (no detector has run), no kind of boilerplate has
    its style worked out; once the highlights are shown, the kinds they use have."""
    from reader.widgets.article_view import BOILERPLATE_KINDS, ArticleView

    resolved_at_first_paint: list[set[str]] = []
    app = reader([])
    kinds = {f"article-view--{kind}" for kind in BOILERPLATE_KINDS}

    def record(message: Message) -> None:
        if isinstance(message, ArticleView.Painted) and not resolved_at_first_paint:
            view = message.view
            resolved_at_first_paint.append(set(view._component_styles) & kinds)

    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await settle(pilot)
        assert resolved_at_first_paint == [set()]
        view = main_screen(app).current_view()
        assert view is not None and view.analysis is not None
        assert set(view._component_styles) & kinds


def footer_mounts(app: App) -> Callable[[Message], None]:
    """A message hook noting, as each `ReaderFooter` mounts, how many keys it already
    has and whether the progress bar is there (in `app.footer_mounts`)."""
    from textual.widgets._footer import FooterKey

    from reader.widgets.footer import ReaderFooter

    app.footer_mounts = []  # type: ignore[attr-defined]

    def record(message: Message) -> None:
        sender = getattr(message, "_sender", None)
        if isinstance(message, events.Mount) and isinstance(sender, ReaderFooter):
            app.footer_mounts.append(  # type: ignore[attr-defined]
                (len(sender.query(FooterKey)), bool(sender.screen.query(ProgressLine)))
            )

    return record


async def test_the_footer_mounts_with_its_keys() -> None:
    """Composed as it mounts: Textual's footer mounted empty and composed its keys on
    the screen's next bindings update, a second layout of the screen (about 85 ms of the
    UI thread) just after the first paint, while the first keys waited."""
    from textual.widgets._footer import FooterKey

    from reader.widgets.footer import ReaderFooter

    app = reader([])
    async with app.run_test(size=(120, 40), message_hook=footer_mounts(app)) as pilot:
        await settle(pilot)
        assert main_screen(app).query_one(ReaderFooter).query(FooterKey)
    keys, _ = app.footer_mounts[0]
    assert keys > 0


async def test_the_progress_bar_shows_how_far_detection_got(tmp_path: Path) -> None:
    """Blank while loading, the bar shows detection's progress as it goes, and is blank
    again once the verdicts are in."""
    from reader import messages

    app = reader([str(write_corpus(tmp_path, 300))])
    shown: list[tuple[bool, float]] = []

    def record(message: Message) -> None:
        if isinstance(message, messages.AnalysesReady) and message.done < message.total:
            bar = main_screen(app).query_one("#progress", ProgressLine)
            shown.append((bar.shown, bar.percentage))

    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await settle(pilot)
        assert not main_screen(app).query_one("#progress", ProgressLine).shown
    assert shown and all(display for display, _ in shown)
    percentages = [percentage for _, percentage in shown]
    assert percentages == sorted(percentages) and percentages[-1] < 1.0


async def test_the_hidden_parts_mount_one_a_frame_and_the_store_opens_once_loaded(
    tmp_path: Path,
) -> None:
    """Each hidden part mounts in a frame of its own (a key waits for one part at most,
    not for one layout of all of them), the footer last (the keys it shows work once it
    shows them), and the store's worker starts only once the
    corpus is loaded (its imports took the GIL from the first keys)."""
    from textual.worker import Worker

    from reader.widgets.annotations_panel import AnnotationsPanel
    from reader.widgets.footer import ReaderFooter

    app = reader([str(write_corpus(tmp_path, 300))])
    frames: dict[str, int] = {}
    store_started_loaded: list[bool] = []
    refreshes = 0
    original = app._display

    def count_frames(*args: object, **kwargs: object) -> object:
        nonlocal refreshes
        refreshes += 1
        return original(*args, **kwargs)

    app._display = count_frames  # type: ignore[method-assign]

    def record(message: Message) -> None:
        sender = getattr(message, "_sender", None)
        if isinstance(message, events.Mount):
            for name, kind in (("footer", ReaderFooter), ("panel", AnnotationsPanel)):
                if isinstance(sender, kind):
                    frames[name] = refreshes
        if (
            isinstance(message, Worker.StateChanged)
            and message.worker.group == "store-open"
            and not store_started_loaded
        ):
            store_started_loaded.append(main_screen(app).book.corpus_done)

    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await settle(pilot)
        assert main_screen(app).hidden_parts_mounted
    assert frames["panel"] < frames["footer"]
    assert store_started_loaded == [True]


async def test_entries_measured_at_one_width_are_measured_again_at_another(
    tmp_path: Path,
) -> None:
    """The list's scrollbar always shows (it appeared as loaded entries outgrew the list,
    and laid the whole screen out again); a terminal narrowed enough narrows the list,
    and every entry then wraps at the new width, those measured before included.
    (Titles of every length from 20 to 50 characters, so some wrap at one width and not
    at the other.)"""
    from reader.state.loading import read_articles
    from reader.widgets.article_list import entry_for

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = (demo_corpus_dir() / "000_d47079e6fb0cf4ff.txt").read_text(encoding="utf-8")
    for index in range(60):
        title = (f"Story {index} " + "x" * 50)[: 20 + index % 31]
        (corpus / f"{index:05d}.txt").write_text(f"{title}\n\n{body}", encoding="utf-8")
    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        article_list = screen.article_list
        assert article_list.show_vertical_scrollbar  # before the entries outgrow the list
        new = screen.book.add_articles(read_articles([str(corpus)], 10**7))
        article_list.add_entries([entry_for(screen.book, article) for article in new])
        await pilot.pause()
        wide = dict(article_list._line_cache.heights)
        width = article_list.scrollable_content_region.width
        await pilot.resize_terminal(100, 40)  # the sidebar is at most 30% wide
        await pilot.pause()
        await pilot.pause()
        assert article_list.scrollable_content_region.width < width
        heights = dict(article_list._line_cache.heights)
        assert len(heights) == 65
        assert heights != wide
        article_list._clear_caches()
        article_list._update_lines()
        assert article_list._line_cache.heights == heights


async def test_a_resize_that_keeps_the_lists_width_measures_no_entry_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change of height (a shorter terminal) leaves the
    measured entries as they are; a change of width measures them again."""
    from reader.widgets.article_list import ArticleList

    measured: list[object] = []
    height = ArticleList._height

    def counted(self: ArticleList, option: object, *args: object) -> int:
        measured.append(option)
        return height(self, option, *args)  # type: ignore[arg-type]

    app = reader([str(write_corpus(tmp_path, 60))])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        article_list = main_screen(app).article_list
        width = article_list.scrollable_content_region.width
        monkeypatch.setattr(ArticleList, "_height", counted)
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        await pilot.pause()
        assert article_list.scrollable_content_region.width == width
        assert article_list.size.height < 30
        assert measured == []
        app.screen.query_one("#sidebar").styles.width = width - 6
        await pilot.pause()
        await pilot.pause()
        assert article_list.scrollable_content_region.width != width
        assert len(measured) >= 60


async def test_keys_typed_as_the_reader_opens_take_effect_before_the_hidden_parts_mount(
) -> None:
    """Held until every column shows an article, the first keys are handled before the
    annotations panel, legend, search bar and footer are mounted and the store opens:
    their layout came first, and those keys waited for it."""
    from reader.widgets.article_view import ArticleView

    handled: list[tuple[bool, bool]] = []
    app = reader([])

    def record(message: Message) -> None:
        # The app passes the key on to the focused article view: that one is handled.
        if isinstance(message, events.Key) and message.key == "G" and message.is_forwarded:
            screen = main_screen(app)
            if isinstance(screen.focused, ArticleView) and handled == []:
                handled.append((screen.hidden_parts_mounted, screen._store_tried))

    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        held = app._early_keys is not None
        app.post_message(events.Key("G", "G"))
        await settle(pilot)
        screen = main_screen(app)
        assert held
        assert handled == [(False, False)]
        assert screen.hidden_parts_mounted
        view = screen.current_view()
        assert view is not None and view.cursor_line > 0


async def test_the_screen_tells_the_loader_each_batch_is_drawn(tmp_path: Path) -> None:
    """The loader waits after each batch until the screen has drawn it: every wait ends
    with the screen's word, none runs out, and every batch is in the list."""
    from reader import messages

    batches: list[int] = []

    def record(message: Message) -> None:
        if isinstance(message, messages.CorpusProgress):
            batches.append(len(message.articles))

    app = reader([str(write_corpus(tmp_path, 250))])
    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert len(batches) >= 4  # the second column's, 100 at most each, the last
        assert screen.batch_drawn.missed == 0
        assert screen.article_list.option_count == 250


async def test_a_change_before_the_store_opens_says_it_is_opening(tmp_path: Path) -> None:
    """Until the store has opened, a change is refused with a word that it is opening,
    not that the database is read-only (it is not known to be)."""
    from reader.screens.saving import writable
    from reader.state import Book

    app = reader([])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert writable(screen, screen.book)
        unopened = Book("tester", tmp_path / "annotations.json")
        assert not writable(screen, unopened)
        await pilot.pause()
        shown = [str(n.message) for n in app._notifications]
        assert any("still opening" in text for text in shown)
        assert not any("read-only" in text for text in shown)


async def test_a_quit_between_two_hidden_parts_closes_the_reader_cleanly() -> None:
    """A `q` that comes while the hidden parts are still mounting, one a frame, ends the
    chain: the parts still to come are not mounted into widgets being taken down."""
    from reader.widgets.annotations_panel import AnnotationsPanel

    app = reader([])
    quit_asked: list[bool] = []

    def record(message: Message) -> None:
        sender = getattr(message, "_sender", None)
        if isinstance(message, events.Mount) and isinstance(sender, AnnotationsPanel):
            quit_asked.append(True)
            app.exit()

    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        for _ in range(MAX_ROUNDS):
            if quit_asked:
                break
            await pilot.pause(0.01)
        for _ in range(20):  # frames in which the chain would go on
            await pilot.pause(0.01)
    assert quit_asked == [True]
    assert app.return_code == 0
