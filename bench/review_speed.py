"""How fast the review screen is on a big database, measured through Pilot.

Builds a database of `--count` annotations (default 10,000) in a temporary directory:
four annotators (ana, bo, chloe, dev) tag, note, highlight and decide lines of the demo
corpus (about 70%) and of articles not in the corpus (the rest, imported from
elsewhere); the reviewer ("me") has already given some verdicts and replies. Then it
opens `copydesk review` headless (`App.run_test`) and prints:

- open: from mounting the app until the queue is shown (wall clock, and CPU time of
  the UI thread, i.e. the event loop's thread; workers' CPU is not counted);
- accept: pressing `a` until the verdict is saved and shown (mean/p95);
- next: pressing `j` until the next item is shown (mean/p95);
- floor: pressing a key bound to nothing, the same way: what Pilot and the settling
  loop cost on their own (subtract it from the rows above to get the screen's cost).

UI-thread CPU is what makes a keypress feel slow; wall clock adds the worker's durable
write (fsync), which runs beside the UI.

    .venv/bin/python bench/review_speed.py [--count 10000] [--presses 40] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotation_data import REVIEWER, build_annotations

from annotations.store import AnnotationStore
from reader import paths
from reader.corpus import load_corpus

KEYS = [("x", "floor"), ("j", "next"), ("a", "accept")]
UNKNOWN_ARTICLES = 300


async def measure(db_path: Path, presses: int) -> dict[str, list[float]]:
    from reader.app import make_app
    from reader.screens.review import ReviewScreen

    app = make_app([], db_path, REVIEWER, cursor_blink=False, start="review")
    figures: dict[str, list[float]] = {}

    async def settle(pilot) -> None:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()

    wall0, cpu0 = time.perf_counter(), time.thread_time()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = None
        while screen is None or not screen.loaded:
            await pilot.pause(0.005)
            screen = next((s for s in app.screen_stack if isinstance(s, ReviewScreen)), None)
        await settle(pilot)
        figures["open wall"] = [time.perf_counter() - wall0]
        figures["open UI CPU"] = [time.thread_time() - cpu0]
        figures["queue"] = [len(screen.items)]
        for key, name in KEYS:
            walls, cpus = [], []
            for _ in range(presses):
                wall, cpu = time.perf_counter(), time.thread_time()
                await pilot.press(key)
                await settle(pilot)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.thread_time() - cpu)
            figures[f"{name} wall"] = walls
            figures[f"{name} UI CPU"] = cpus
    return figures


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="build the database here (kept)")
    args = parser.parse_args()

    articles = load_corpus([str(paths.demo_corpus_dir())]).articles
    annotations = build_annotations(articles, args.count, args.seed)
    with tempfile.TemporaryDirectory(prefix="copydesk-review-bench-") as tmp:
        directory = args.dir or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        db_path = directory / "annotations.json"
        started = time.perf_counter()
        AnnotationStore.open(db_path).add_many(annotations)
        print(f"database: {len(annotations)} annotations on {len(articles)} corpus articles "
              f"and {UNKNOWN_ARTICLES} others, built in {time.perf_counter() - started:.1f} s")
        figures = asyncio.run(measure(db_path, args.presses))
    print(f"queue: {figures.pop('queue')[0]:.0f} items (default filter)")
    print(f"{'':16} {'median ms':>9} {'mean ms':>9} {'p95 ms':>9}")
    for name, values in figures.items():
        print(f"{name:16} {statistics.median(values) * 1000:9.1f} "
              f"{statistics.fmean(values) * 1000:9.1f} {p95(values) * 1000:9.1f}")


if __name__ == "__main__":
    main()
