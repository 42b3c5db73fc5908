"""How fast the annotation store is as it grows, next to plain TinyDB.

Prints, for 1k, 10k and 50k annotations already in the database, the time to add one
annotation durably (p50/p95), and the time to open a 50k database and list one
article's annotations. Plain TinyDB (one JSON file, no fsync, no lock) is measured the
same way as the peer, with the ratio. Annotations are spread 20 to an article, as a
reading team would make them; a last row puts 10k on one article, the worst case for bucketing.

    .venv/bin/python bench/annotations_store.py [--quick] [--dir DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tinydb import Query, TinyDB

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotation_data import corpus, make_annotation

from annotations.store import AnnotationStore

PER_ARTICLE = 20


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        action()
        samples.append((time.perf_counter() - begin) * 1000)
    return samples


def bench_size(
    workdir: Path,
    size: int,
    rng: random.Random,
    samples: int,
    peer_samples: int,
    per_article: int = PER_ARTICLE,
) -> tuple[list[float], list[float], Path, str]:
    articles = corpus(rng, max(1, size // per_article))
    population = [
        make_annotation(rng, articles[i % len(articles)][1], articles[i % len(articles)][0])
        for i in range(size)
    ]
    ours_path = workdir / f"ours-{size}-{per_article}" / "annotations.json"
    store = AnnotationStore.open(ours_path)
    store.add_many(population)

    def add_ours() -> None:
        article_id, text = rng.choice(articles)
        store.add(make_annotation(rng, text, article_id))

    ours = timed(add_ours, samples)

    peer_path = workdir / f"peer-{size}-{per_article}.json"
    with TinyDB(peer_path) as peer:
        peer.table("annotations").insert_multiple(a.to_dict() for a in population)

    def add_peer() -> None:
        article_id, text = rng.choice(articles)
        with TinyDB(peer_path) as db:
            db.table("annotations").insert(make_annotation(rng, text, article_id).to_dict())

    theirs = timed(add_peer, peer_samples)
    return ours, theirs, ours_path, articles[0][0]


def row(label: str, ours: list[float], theirs: list[float]) -> str:
    return (
        f"{label:>12} {statistics.median(ours):>9.2f} {percentile(ours, 0.95):>9.2f} "
        f"{statistics.median(theirs):>11.2f} {percentile(theirs, 0.95):>11.2f} "
        f"{statistics.median(theirs) / statistics.median(ours):>9.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    parser.add_argument(
        "--dir", type=Path, help="where to build the databases (default: a temp dir)"
    )
    options = parser.parse_args()
    rng = random.Random(7)
    scale = 0.25 if options.quick else 1.0
    with tempfile.TemporaryDirectory(dir=options.dir) as tmp:
        workdir = Path(tmp)
        print(
            f"{'annotations':>12} {'ours p50':>9} {'ours p95':>9} {'tinydb p50':>11} "
            f"{'tinydb p95':>11} {'p50 ratio':>10}   (ms per add; ours fsyncs, tinydb does not)"
        )
        last_path: Path | None = None
        last_article = ""
        for size, samples, peer_samples in (
            (1_000, 300, 100),
            (10_000, 300, 40),
            (50_000, 200, 12),
        ):
            ours, theirs, last_path, last_article = bench_size(
                workdir, size, rng, max(20, int(samples * scale)), max(5, int(peer_samples * scale))
            )
            print(row(f"{size:,}", ours, theirs))
        ours, theirs, _, _ = bench_size(
            workdir, 10_000, rng, max(20, int(100 * scale)), 5, per_article=10_000
        )
        print(row("10k, 1 art.", ours, theirs))

        assert last_path is not None

        def open_and_list() -> None:
            AnnotationStore.open(last_path, read_only=True).for_article(last_article)

        def open_and_list_peer() -> None:
            with TinyDB(workdir / "peer-50000-20.json") as db:
                db.table("annotations").search(Query().article_id == last_article)

        def open_and_all() -> None:
            AnnotationStore.open(last_path, read_only=True).all()

        ours_open = timed(open_and_list, 20)
        peer_open = timed(open_and_list_peer, 5)
        ours_all = timed(open_and_all, 3)
        print(
            f"\nopen a 50k database and list one article's annotations: ours "
            f"{statistics.median(ours_open):.2f} ms, tinydb {statistics.median(peer_open):.1f} ms "
            f"({statistics.median(peer_open) / statistics.median(ours_open):.0f}x)"
        )
        every = statistics.median(ours_all)
        print(f"open a 50k database and load every annotation: ours {every:.0f} ms")


if __name__ == "__main__":
    main()
