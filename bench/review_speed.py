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
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotations import review
from annotations.anchoring import make_target
from annotations.model import Annotation, Motivation, format_time
from annotations.store import AnnotationStore
from reader import paths
from reader.corpus import Article, load_corpus

OTHERS = ["ana", "bo", "chloe", "dev"]
REVIEWER = "me"
TAGS = ["politics", "economy", "quote", "claim", "source", "sport", "ad", "byline", "data"]
NOTES = [
    "Check this against the **original** report.",
    "Is the figure right?",
    "Attribution missing.",
    "See [the agency copy](https://example.org/wire).",
    "",
]
KEYS = [("x", "floor"), ("j", "next"), ("a", "accept")]
UNKNOWN_ARTICLES = 300
UNKNOWN_TEXT = (
    "Officials said on Monday that the talks would resume after a short break.\n"
    "The minister told reporters the plan was on track.\n"
    "Share this article\n"
)


def _stamp(base: datetime, number: int) -> str:
    return format_time(base + timedelta(seconds=number))


def build_annotations(articles: list[Article], count: int, seed: int) -> list[Annotation]:
    """`count` annotations with fixed, increasing times and a realistic mix."""
    rng = random.Random(seed)
    base = datetime(2024, 1, 1, tzinfo=UTC)
    unknown = [
        Article(text=f"Story {n}\n{UNKNOWN_TEXT}", source=f"/elsewhere/story-{n}.txt",
                name=f"story-{n}")
        for n in range(UNKNOWN_ARTICLES)
    ]
    made: list[Annotation] = []
    reviewable: list[Annotation] = []
    for number in range(count):
        article = rng.choice(articles) if rng.random() < 0.7 else rng.choice(unknown)
        text = article.text
        author = rng.choice(OTHERS)
        roll = rng.random()
        fields: dict = {}
        if roll < 0.06 and reviewable:
            # The reviewer's earlier verdicts and replies.
            about = rng.choice(reviewable)
            if rng.random() < 0.8:
                made_now = (review.accept if rng.random() < 0.7 else review.reject)(
                    about, REVIEWER
                )
            else:
                made_now = review.reply(about, rng.choice([*OTHERS, REVIEWER]), "Agreed, see note.")
            made.append(replace(made_now, created=_stamp(base, number),
                                modified=_stamp(base, number)))
            continue
        if roll < 0.40:
            lines = [line for line in article.lines if not line.is_blank]
            line = rng.choice(lines)
            target = make_target(text, line.start, line.end)
            motivation = Motivation.EDITING
            fields["decision"] = "remove" if rng.random() < 0.5 else "keep"
        else:
            start = rng.randrange(0, max(1, len(text) - 60))
            end = min(len(text), start + rng.randint(8, 60))
            target = make_target(text, start, end)
            fields["tags"] = rng.sample(TAGS, rng.randint(0, 2))
            note = rng.choice(NOTES)
            if roll < 0.55:
                motivation = Motivation.HIGHLIGHTING
                fields["tags"] = []
            elif note:
                motivation = Motivation.COMMENTING
                fields["note"] = note
            else:
                motivation = Motivation.TAGGING
                fields["tags"] = fields["tags"] or [rng.choice(TAGS)]
        annotation = Annotation.create(
            article_id=article.id,
            source_hint=article.source,
            author=author,
            motivation=motivation,
            target=target,
            **fields,
        )
        annotation = replace(annotation, created=_stamp(base, number),
                             modified=_stamp(base, number))
        made.append(annotation)
        if motivation is not Motivation.EDITING:
            reviewable.append(annotation)
    return made


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
