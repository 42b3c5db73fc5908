"""Blocking reads for thread workers: the corpus (with the demo fallback) and the store."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader import paths

if TYPE_CHECKING:
    from annotations.model import Annotation
    from reader.boilerplate import Analysis
    from reader.corpus import Article
    from reader.corpus.loader import LoadProblem


def iter_sources(
    inputs: Sequence[str], max_file_bytes: int, stdin_data: bytes | None = None
) -> Iterator[Article | LoadProblem]:
    """Articles and load problems from `inputs`, or from the demo corpus when none.

    `stdin_data` is what `-` stands for: the CLI reads the pipe before the app starts,
    because the app's terminal driver reads keys from that file descriptor afterwards.
    """
    from reader.corpus import iter_corpus

    stdin = io.BytesIO(stdin_data) if stdin_data is not None else None
    yield from iter_corpus(
        paths.corpus_sources(inputs), max_file_bytes=max_file_bytes, stdin=stdin
    )


def read_articles(
    inputs: Sequence[str], max_file_bytes: int, stdin_data: bytes | None = None
) -> list[Article]:
    """Every article `iter_sources` yields (problems are skipped)."""
    from reader.corpus import Article

    items = iter_sources(inputs, max_file_bytes, stdin_data)
    return [item for item in items if isinstance(item, Article)]


def read_store(db_path: Path) -> tuple[Any, list[Annotation], bool, str | None]:
    """Open the annotation store the reader's way and read it: `(store, annotations,
    read_only, message)`. A corrupt database is opened read-only (its readable parts are
    still shown) and never overwritten; the message names the file. Blocking: call it
    from a thread worker. It also imports what applying the stored decisions needs
    (`annotations.decisions`, with rapidfuzz for re-anchoring): imported by the UI thread
    when it first drew an article's decisions, that was 17 to 29 ms while keys waited."""
    import annotations.decisions  # noqa: F401
    from annotations.store import open_store

    opened = open_store(db_path, if_corrupt="fallback")
    found = opened.store.all() if opened.store is not None else []
    return opened.store, found, opened.read_only, opened.message


def read_store_records(db_path: Path) -> tuple[Any, list[dict[str, Any]], bool, str | None]:
    """`read_store`, giving the stored records (the store's own, not to be changed)
    instead of annotations: for a reader that builds only what it shows
    (`annotations.lazy.StoredAnnotations`)."""
    from annotations.store import open_store

    opened = open_store(db_path, if_corrupt="fallback")
    found = opened.store.records() if opened.store is not None else []
    return opened.store, found, opened.read_only, opened.message


INPUT_HOLD = 0.05
"""Seconds the loader and the detector stand aside after a key, a click or a scroll."""


class InputGate:
    """Lets the UI's input go first: the app `touch()`es it on every key, click and
    scroll, and the worker threads `wait()` after each article while the last input is
    younger than `hold` seconds.

    However short a worker holds the GIL at a time, on a busy machine the operating
    system may pause it while it holds it, and a key then waits at each hand-over
    between the threads that read, handle and draw it (keys of 200 to 500 ms while
    2,000 articles loaded, under a load average of 7 on two cores). Standing aside
    while the user types costs the corpus a few moments of loading, and nothing while
    nobody does."""

    def __init__(self, hold: float = INPUT_HOLD) -> None:
        self.hold = hold
        self._last = float("-inf")

    def touch(self) -> None:
        """From the UI thread: input just arrived."""
        self._last = time.monotonic()

    def quiet_for(self) -> float:
        """Seconds since the last input (infinite before any)."""
        return time.monotonic() - self._last

    def wait(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """From a worker: return once no input came for `hold` seconds (or once
        `cancelled()`), sleeping meanwhile."""
        while not cancelled():
            left = self.hold - self.quiet_for()
            if left <= 0:
                return
            time.sleep(min(left, 0.05))


BATCH_SECONDS = 0.25
"""How often loaded articles are handed to the UI at most: every batch costs the UI
thread a message, a repaint of the list and its progress line, and measuring the new
entries, so a few batches a second keep it mostly idle for keys while thousands of
articles load (at 20 a second it was busy most of the time)."""

BATCH_MOST = 100
"""The most articles in one batch: the UI thread measures each new entry of the list
(about 0.1 ms each), and a key that arrives meanwhile waits for the whole batch, so a
batch is handed over early rather than grow past this (a few hundred arrived at once
when loading was quick, or after the UI had been busy)."""


DRAWN_WAIT_MOST = 1.0
"""Seconds the loader waits at most for a batch to be drawn (see `BatchDrawn`): a
screen that is not shown, or not refreshing, never holds loading up for longer."""


class BatchDrawn:
    """The loader waits, after handing a batch over, until the UI thread has adopted it
    and drawn the frame that shows it.

    Both threads want the GIL: while the loader read on, the UI thread's work for a
    batch (appending to the list, measuring the new entries, repainting) took three to
    five times its CPU time on the clock, and a key that arrived meanwhile waited for
    all of it. Standing aside for that one frame costs loading the frame's CPU time, a
    few times a second.
    """

    def __init__(self, most: float = DRAWN_WAIT_MOST) -> None:
        self.most = most
        """Seconds `wait` waits at most."""
        self.missed = 0
        """How many waits ran out before the batch was drawn."""
        self._drawn = threading.Event()
        self._drawn.set()

    def expect(self) -> None:
        """From the loader, before it posts a batch."""
        self._drawn.clear()

    def set(self) -> None:
        """From the UI thread, once the frame after the batch is on screen."""
        self._drawn.set()

    def wait(self, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """From the loader: True once the batch is drawn; False when `most` seconds
        passed first, or `cancelled()` became true."""
        deadline = time.monotonic() + self.most
        while not cancelled():
            left = deadline - time.monotonic()
            if left <= 0:
                self.missed += 1
                return False
            if self._drawn.wait(min(left, 0.05)):
                return True
        return False


@dataclass
class Batch:
    """Articles loaded since the last batch; on the last one, every problem and `done`."""

    articles: list[Article]
    problems: list[LoadProblem]
    loaded: int
    done: bool = False


def batches(
    inputs: Sequence[str],
    max_file_bytes: int,
    *,
    after_first: Callable[[], bool],
    cancelled: Callable[[], bool] = lambda: False,
    every: float = BATCH_SECONDS,
    most: int = BATCH_MOST,
    gate: InputGate | None = None,
    stdin_data: bytes | None = None,
    fill: int = 1,
    drawn: BatchDrawn | None = None,
) -> Iterator[Batch]:
    """The corpus in batches about `every` seconds apart (or of `most` articles, if
    that comes first), and the first `fill` articles (the columns the first screen
    shows) one by one as soon as they are read, without standing aside for input: the
    reader holds the keys typed before every column shows an article, so the first key
    after the first paint waited for the next timed batch (a quarter of a second, longer
    while that key made the loader stand aside).

    Once the `fill`th article is handed over, `after_first()` is called (it waits for
    the first frame to be drawn: the columns' articles are in it, see `FirstBatch`);
    loading stops when it returns False or when `cancelled()` becomes true (checked
    after every file, so a quit does not wait for the rest of the corpus). After each
    item the GIL is offered to the UI thread (`time.sleep(0)`), which otherwise waits up
    to the interpreter's switch interval for it on every draw, and the loader stands
    aside while input is being handled (`gate`). Each batch after the first `fill`
    articles is announced to `drawn` as it is yielded, and reading goes on once it has
    been drawn.
    """
    from reader.corpus import Article

    articles: list[Article] = []
    batch: list[Article] = []
    problems: list[LoadProblem] = []
    last = time.monotonic()
    filled = False
    for item in iter_sources(inputs, max_file_bytes, stdin_data):
        if cancelled():
            return
        if isinstance(item, Article):
            articles.append(item)
            batch.append(item)
        else:
            problems.append(item)
        filling = not filled and bool(batch)
        if filling or len(batch) >= most or time.monotonic() - last > every:
            if drawn is not None and not filling:
                drawn.expect()
            yield Batch(batch, [], len(articles))
            batch = []
            if filling and len(articles) >= fill:
                filled = True
                if not after_first():
                    return
            if drawn is not None and not filling:
                drawn.wait(cancelled)
            last = time.monotonic()
        time.sleep(0)
        if gate is not None and len(articles) >= fill:
            gate.wait(cancelled)
    yield Batch(batch, problems, len(articles), done=True)


DETECT_PROGRESS_SECONDS = 0.25
"""How often `detect_steps` reports how far it got."""


def detect_steps(
    articles: Sequence[Article],
    *,
    cancelled: Callable[[], bool],
    every: float = DETECT_PROGRESS_SECONDS,
    gate: InputGate | None = None,
) -> Iterator[tuple[int, dict[str, Analysis] | None]]:
    """Run the detector over `articles` one at a time, for a thread worker.

    Yields `(done, None)` about every `every` seconds, then `(len(articles), verdicts)`
    (keyed by article id) at the end. Stops, yielding nothing more, as soon as
    `cancelled()` is true after an article, so a quit never waits for the rest of the
    corpus; after each article the GIL is offered to the UI thread, and the detector
    stands aside while input is being handled (`gate`).
    """
    from reader.boilerplate import iter_detect_corpus

    found: dict[str, Analysis] = {}
    last = time.monotonic()
    for analysis in iter_detect_corpus(articles):
        if cancelled():
            return
        found[analysis.article_id] = analysis
        if time.monotonic() - last > every and len(found) < len(articles):
            yield len(found), None
            last = time.monotonic()
        time.sleep(0)
        if gate is not None:
            gate.wait(cancelled)
    yield len(found), found


def article_titles(articles: Sequence[Article], analyses: dict[str, Analysis]) -> dict[str, str]:
    """Article id -> the title its analysis gives (`reader.export.title`), for the
    articles analysed: chosen off the UI thread, with the verdicts."""
    from reader.export.title import article_title

    return {
        article.id: article_title(article, analyses[article.id])
        for article in articles
        if article.id in analyses
    }


class FirstBatch:
    """Hands the loader's first articles straight to the UI thread when they come quickly.

    The screen waits a moment for them before its first layout (`take`): the articles
    read in that time are in the very first frame, instead of a frame of empty columns
    drawn first and the articles in the next ones. It waits for one article per column
    (`fill`), but for the second and later ones only `grace` seconds after the first
    came: a slow second file does not hold the first article back. Each column filled
    later cost a frame of its own, and the first key waited for it (the reader holds
    keys until every column shows an article). Once taken, the loader posts what it
    reads as usual (`offer` says which).
    """

    def __init__(self, fill: int = 1) -> None:
        self.fill = fill
        """How many articles the first frame can show (one per column)."""
        self._lock = threading.Lock()
        self._arrived = threading.Event()
        self._complete = threading.Event()
        self._batch: Batch | None = None
        self._first_at = 0.0
        self._closed = False

    def offer(self, batch: Batch) -> bool:
        """From the loader: True when the UI thread takes `batch` itself (else post it)."""
        with self._lock:
            if self._closed:
                return False
            held = self._batch
            if held is None:
                self._batch = held = batch
                self._first_at = time.monotonic()
            else:
                held.articles.extend(batch.articles)
                held.problems.extend(batch.problems)
                held.loaded, held.done = batch.loaded, batch.done
            self._arrived.set()
            if held.done or len(held.articles) >= self.fill:
                self._complete.set()
            return True

    def take(self, timeout: float, grace: float = 0.0) -> Batch | None:
        """From the UI thread: what was offered within `timeout` (and within `grace` of
        the first article, for the rest), else None; the loader posts the rest."""
        deadline = time.monotonic() + timeout
        if self._arrived.wait(timeout):
            self._complete.wait(max(0.0, min(deadline, self._first_at + grace) - time.monotonic()))
        with self._lock:
            self._closed = True
            batch, self._batch = self._batch, None
            return batch


def problem_summary(problems: Sequence[LoadProblem], shown: int = 10) -> str:
    """The first `shown` problems, one a line (control characters stripped), and a count."""
    from reader.corpus import strip_controls

    text = "\n".join(strip_controls(str(p)) for p in problems[:shown])
    if len(problems) > shown:
        text += f"\n… and {len(problems) - shown} more"
    return text


def duplicate_summary(duplicates: Sequence[tuple[Article, Article]], shown: int = 10) -> str:
    """One line per article shown once because another file holds the same text."""
    from reader.corpus import strip_controls

    lines = [
        f"{strip_controls(copy.source)}: same text as {strip_controls(original.source)}"
        for copy, original in duplicates[:shown]
    ]
    if len(duplicates) > shown:
        lines.append(f"… and {len(duplicates) - shown} more")
    return "\n".join(lines)
