"""The blocking loops the reader's workers run: batches of articles, detection in steps."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reader.paths import demo_corpus_dir
from reader.state.loading import (
    Batch,
    BatchDrawn,
    FirstBatch,
    InputGate,
    batches,
    detect_steps,
    read_articles,
)


def test_detection_in_steps_ends_with_every_verdict_and_reports_progress_before() -> None:
    articles = read_articles([], 10**7)
    steps = list(detect_steps(articles, cancelled=lambda: False, every=0))
    *progress, (done, found) = steps
    assert done == len(articles) and found is not None
    assert set(found) == {article.id for article in articles}
    assert progress and all(verdicts is None and n < len(articles) for n, verdicts in progress)


def test_detection_stops_once_cancelled_without_the_verdicts() -> None:
    articles = read_articles([], 10**7)
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) >= 2

    steps = list(detect_steps(articles, cancelled=cancelled, every=0))
    assert all(found is None for _, found in steps)
    assert len(asked) == 2


def test_loading_stops_once_cancelled() -> None:
    files = sorted(demo_corpus_dir().glob("*.txt"))
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2

    loaded = list(batches([], 10**7, after_first=lambda: True, cancelled=cancelled, every=0))
    assert sum(len(batch.articles) for batch in loaded) == 2 < len(files)
    assert not any(batch.done for batch in loaded)


def test_a_batch_never_holds_more_than_its_most_articles(tmp_path) -> None:
    """However quickly files load, the UI gets them a bounded number at a time (the
    first alone), every article once, the problems and `done` with the last batch."""
    body = sorted(demo_corpus_dir().glob("*.txt"))[0].read_text(encoding="utf-8")
    for index in range(23):
        (tmp_path / f"{index:03d}.txt").write_text(f"{body}\n\nStory {index}.\n",
                                                  encoding="utf-8")
    loaded = list(batches([str(tmp_path)], 10**7, after_first=lambda: True,
                          every=3600, most=5))
    sizes = [len(batch.articles) for batch in loaded]
    assert sizes[0] == 1 and max(sizes) <= 5
    assert sum(sizes) == 23 and loaded[-1].done and not any(b.done for b in loaded[:-1])


def test_an_untouched_input_gate_lets_workers_through() -> None:
    gate = InputGate(hold=3600)
    gate.wait(cancelled=lambda: False)  # returns: no input yet
    loaded = list(batches([], 10**7, after_first=lambda: True, gate=gate, every=0))
    assert loaded[-1].done


def cancelled_after(asks: int) -> Callable[[], bool]:
    """A `cancelled` callback that answers no `asks` times, then yes: a waiting loop
    that asks only it ends after that many asks."""
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked > asks

    return cancelled


def test_the_loader_stands_aside_while_input_comes() -> None:
    """Input just arrived (and `hold` is long): after its first article the loader waits,
    asking only whether it is cancelled, until it is."""
    gate = InputGate(hold=3600)
    gate.touch()
    cancelled = cancelled_after(3)
    loaded = list(batches([], 10**7, after_first=lambda: True, cancelled=cancelled,
                          gate=gate, every=0))
    assert sum(len(batch.articles) for batch in loaded) == 1
    assert not any(batch.done for batch in loaded)


def test_the_detector_stands_aside_while_input_comes() -> None:
    articles = read_articles([], 10**7)
    gate = InputGate(hold=3600)
    gate.touch()
    cancelled = cancelled_after(3)
    steps = list(detect_steps(articles, cancelled=cancelled, every=0, gate=gate))
    assert steps == [(1, None)]  # stood aside after the first article until cancelled


def test_the_articles_that_fill_the_columns_come_one_by_one() -> None:
    """Up to the `fill`th article each is handed over as soon as it is read (the reader
    holds keys until every column shows one), then batches are timed again."""
    loaded = list(batches([], 10**7, after_first=lambda: True, every=3600, fill=3))
    assert [len(batch.articles) for batch in loaded] == [1, 1, 1, 2]
    assert loaded[-1].done


def test_the_loader_fills_the_columns_before_it_stands_aside_for_input() -> None:
    """Input just arrived (and `hold` is long): the articles that fill the columns are
    handed over all the same, and only then does the loader wait until cancelled."""
    gate = InputGate(hold=3600)
    gate.touch()
    loaded = list(batches([], 10**7, after_first=lambda: True, cancelled=cancelled_after(10),
                          gate=gate, every=3600, fill=2))
    assert [len(batch.articles) for batch in loaded] == [1, 1]
    assert not any(batch.done for batch in loaded)


def test_the_loader_reads_on_only_once_the_batch_it_handed_over_is_drawn() -> None:
    """After a batch other than the first, the loader waits, asking only whether it is
    cancelled, until that batch is drawn: never drawn, loading ends there."""
    drawn = BatchDrawn(most=3600)
    loaded = list(batches([], 10**7, after_first=lambda: True, cancelled=cancelled_after(3),
                          every=3600, most=1, drawn=drawn))
    assert [len(batch.articles) for batch in loaded] == [1, 1]


def test_a_loader_whose_batches_are_drawn_reads_the_whole_corpus() -> None:
    drawn = BatchDrawn(most=3600)
    loaded = []
    for batch in batches([], 10**7, after_first=lambda: True, every=3600, most=1, drawn=drawn):
        loaded.append(batch)
        drawn.set()  # as the screen does once the frame after the batch is on screen
    assert [len(batch.articles) for batch in loaded] == [1, 1, 1, 1, 1, 0]
    assert loaded[-1].done


def test_a_batch_that_is_never_drawn_holds_the_loader_up_only_so_long() -> None:
    drawn = BatchDrawn(most=0.01)
    drawn.expect()
    assert not drawn.wait()
    drawn.set()
    assert drawn.wait()


def test_reading_the_store_imports_what_its_decisions_need(tmp_path) -> None:
    """The store's worker imports `annotations.decisions` (and rapidfuzz), so the UI
    thread does not when it first draws an article's decisions. In a fresh interpreter,
    as the reader's worker would be the first to import them."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reader.state.loading import read_store\n"
        "assert 'annotations.decisions' not in sys.modules\n"
        f"read_store(Path({str(tmp_path / 'db.json')!r}))\n"
        "assert 'annotations.decisions' in sys.modules and 'rapidfuzz' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_the_loader_waits_for_the_first_paint_once_the_columns_articles_are_read() -> None:
    """`after_first` (the wait for the first frame) comes after the `fill`th article, so
    every column's article can be in that frame, not after the first article."""
    handed: list[int] = []
    seen_by_wait: list[int] = []

    def after_first() -> bool:
        seen_by_wait.append(sum(handed))
        return True

    for batch in batches([], 10**7, after_first=after_first, every=3600, fill=2):
        handed.append(len(batch.articles))
    assert seen_by_wait == [2]
    assert handed == [1, 1, 3]  # the demo corpus: five articles


def article_batch(count: int, loaded: int, done: bool = False) -> Batch:
    articles = read_articles([], 10**7)
    return Batch(articles[loaded - count : loaded], [], loaded, done)


def test_the_first_frame_takes_one_article_per_column_offered_in_time() -> None:
    first = FirstBatch(fill=2)
    assert first.offer(article_batch(1, 1))
    assert first.offer(article_batch(1, 2))
    taken = first.take(timeout=5, grace=5)  # returns at once: both columns are filled
    assert taken is not None and taken.loaded == 2
    assert [a.id for a in taken.articles] == [a.id for a in read_articles([], 10**7)[:2]]
    assert not first.offer(article_batch(1, 3))  # taken: the loader posts the rest


@pytest.mark.timeout(60)
def test_a_slow_second_article_does_not_hold_the_first_back() -> None:
    """The second column's article misses the grace after the first: the first frame
    shows the first article alone, and the second is posted as usual."""
    first = FirstBatch(fill=2)
    assert first.offer(article_batch(1, 1))
    taken = first.take(timeout=3600, grace=0.01)  # a take that ignored the grace would hang
    assert taken is not None and len(taken.articles) == 1
    assert not first.offer(article_batch(1, 2))


def test_a_corpus_smaller_than_the_columns_is_taken_whole() -> None:
    first = FirstBatch(fill=3)
    assert first.offer(article_batch(1, 1))
    assert first.offer(Batch([], [], 1, done=True))
    taken = first.take(timeout=5, grace=5)  # returns at once: nothing more will come
    assert taken is not None and taken.done and len(taken.articles) == 1


def test_nothing_offered_in_time_leaves_the_loader_to_post_it() -> None:
    first = FirstBatch(fill=2)
    assert first.take(timeout=0.01, grace=5) is None
    assert not first.offer(article_batch(1, 1))
