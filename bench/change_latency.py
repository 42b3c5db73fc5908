"""What one atomic change costs: a changed decision saved with `store.apply` (one journaled
operation) next to the peer, the same change as a delete then an add (two durable writes,
not atomic), in the same run.

Each round replaces the decision on a line of an article that already has N other
annotations (default 1,000 spread 20 to an article; the article itself holds 20), so
the removed and the added annotation usually sit in two buckets.

    .venv/bin/python bench/change_latency.py [--rounds 200] [--dir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotations.anchoring import make_target
from annotations.model import Annotation
from annotations.store import AnnotationStore, bucket_of

TEXT = "The council met on Monday to discuss the budget and the new harbour."


def decision(article: str, remove: bool) -> Annotation:
    return Annotation.create(
        article_id=article,
        author="me",
        motivation="editing",
        target=make_target(TEXT, 0, len(TEXT)),
        decision="remove" if remove else "keep",
    )


def run(store: AnnotationStore, article: str, rounds: int, atomic: bool) -> tuple[list[float], int]:
    current = store.add(decision(article, True))
    times: list[float] = []
    two_buckets = 0
    for n in range(rounds):
        new = decision(article, n % 2 == 1)
        two_buckets += bucket_of(new.to_dict()) != bucket_of(current.to_dict())
        started = time.perf_counter()
        if atomic:
            store.apply(remove=[current], add=[new])
        else:
            store.delete(current.id, article_id=current.article_id)
            store.add(new)
        times.append(time.perf_counter() - started)
        current = new
    return times, two_buckets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--others", type=int, default=1_000)
    parser.add_argument("--dir", type=Path)
    options = parser.parse_args()
    base = options.dir or Path(tempfile.mkdtemp(prefix="copydesk-change-bench-"))
    for label, atomic in (("store.apply (journaled, atomic)", True), ("peer: delete + add", False)):
        store = AnnotationStore.open(base / label.split()[0].strip(":") / "annotations.json")
        store.add_many(
            Annotation.create(
                article_id=hashlib.sha256(f"article {n // 20}".encode()).hexdigest(),
                author="other",
                motivation="commenting",
                target=make_target(TEXT, 4, 11),
                note=f"note {n}",
            )
            for n in range(options.others)
        )
        article = hashlib.sha256(b"article 0").hexdigest()
        times, two = run(store, article, options.rounds, atomic)
        p95 = statistics.quantiles(times, n=20)[18]
        print(
            f"{label:<34} p50 {statistics.median(times) * 1000:5.1f} ms  "
            f"p95 {p95 * 1000:5.1f} ms  ({two} of {options.rounds} changes in two buckets)"
        )


if __name__ == "__main__":
    main()
