"""Time and memory of passage alignment (`reader.align`) as the corpus grows.

Usage:
    python bench/alignment_speed.py [--sizes 100,500,2000] [--skip-naive]

The corpus is the dev and train pages (plain text) plus the seeds, repeated where a
size needs more pages than there are; each repeat gets a word changed in every line so
copies are near-duplicates rather than byte-identical (the shingle index then has real
work: every copy of a page shares most of its passages with the others). The detector
runs first (not timed); the figures are for `similarity_matrix` alone: CPU seconds;
peak traced memory (tracemalloc, in a second run, since tracing slows allocation);
the number of article pairs that share a passage; and the growth against the previous
size. The baseline is naive all-pairs alignment with difflib (`SequenceMatcher` over every
pair of articles' content words), on the first size's corpus in the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from difflib import SequenceMatcher
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.align import content_sentences, similarity_matrix  # noqa: E402
from reader.boilerplate import detect  # noqa: E402
from reader.corpus.model import Article  # noqa: E402
from reader.corpus.text import normalize  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def base_pages() -> list[tuple[str, str]]:
    paths = sorted((ROOT / "reader" / "demo").glob("*.txt"))
    for split in ("dev", "train"):
        paths += sorted((CORPUS / split).glob("*.txt"))
    return [(p.stem, normalize(p.read_text(encoding="utf-8", errors="replace"))) for p in paths]


def corpus(size: int, pages: list[tuple[str, str]]) -> list[Article]:
    articles: list[Article] = []
    copy = 0
    while len(articles) < size:
        for name, text in pages:
            if len(articles) >= size:
                break
            if copy:
                text = "\n".join(f"{line} {copy}" if line else line for line in text.split("\n"))
            articles.append(Article(text=text, source=name, name=f"{name}_{copy}"))
        copy += 1
    return articles


def naive(articles, analyses) -> int:
    """All pairs: difflib's longest matching blocks over the two articles' content words;
    a pair shares a passage when a block of 8 words or more matches."""
    words = [
        [w for s in content_sentences(a, x) for w in s.words]
        for a, x in zip(articles, analyses, strict=True)
    ]
    shared = 0
    for left, right in combinations(words, 2):
        blocks = SequenceMatcher(None, left, right, autojunk=False).get_matching_blocks()
        shared += any(block.size >= 8 for block in blocks)
    return shared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    pages = base_pages()
    print(f"{len(pages)} distinct pages (seeds, dev, train)\n")
    print("| articles | pairs sharing | CPU s | x previous | peak MiB |")
    print("|---|---|---|---|---|")
    previous = None
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        articles = corpus(size, pages)
        analyses = [detect(a) for a in articles]
        started = time.process_time()
        matrix = similarity_matrix(articles, analyses)
        elapsed = time.process_time() - started
        # Memory in a second run: tracing allocations slows them several times over.
        tracemalloc.start()
        similarity_matrix(articles, analyses)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        pairs = sum(1 for i in range(size) for j in range(i + 1, size) if matrix[i][j] > 0)
        growth = f"{elapsed / previous:.1f}x" if previous else "-"
        print(f"| {size} | {pairs} | {elapsed:.2f} | {growth} | {peak:.0f} |")
        previous = elapsed
    if not args.skip_naive:
        articles = corpus(sizes[0], pages)
        analyses = [detect(a) for a in articles]
        started = time.process_time()
        shared = naive(articles, analyses)
        elapsed = time.process_time() - started
        print(f"\nnaive all-pairs difflib, {sizes[0]} articles: {elapsed:.2f} CPU s, "
              f"{shared} pairs sharing a passage")  # fmt: skip


if __name__ == "__main__":
    main()
