"""The alignment cache on disk (a real SQLite file), and what the reader reads from it."""

from __future__ import annotations

import pickle
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.align import AlignmentCache, align_cached, content_key, content_lines
from reader.align.cache import compute_rows, plan_alignment
from reader.boilerplate import detect_corpus
from reader.corpus.loader import load_corpus

ROOT = Path(__file__).resolve().parents[2]
AP, EURONEWS = "004_3170b4733c281065", "003_1ca05d51f9810f23"


@pytest.fixture(scope="module")
def demo():
    articles = load_corpus([ROOT / "reader" / "demo"]).articles
    return articles, detect_corpus(articles)


def none(articles) -> list[dict[int, bool]]:
    return [{} for _ in articles]


def test_a_second_run_reads_every_pair_from_the_file(demo, tmp_path: Path) -> None:
    articles, analyses = demo
    cache = AlignmentCache(tmp_path / "cache" / "alignment.sqlite3")
    first = align_cached(articles, analyses, none(articles), cache)
    assert (first.computed, first.cached) == (5, 0)
    assert cache.path.is_file()
    again = align_cached(articles, analyses, none(articles), cache)
    assert (again.computed, again.cached) == (0, 5)
    assert again.passages == first.passages and again.shares == first.shares
    # What came back is the file's: emptied, the next run has nothing to read.
    with sqlite3.connect(cache.path) as connection:
        connection.execute("DELETE FROM pairs")
    assert align_cached(articles, analyses, none(articles), cache).passages == {}


def test_a_decision_realigns_only_the_article_it_changes(demo, tmp_path: Path) -> None:
    articles, analyses = demo
    cache = AlignmentCache(tmp_path / "alignment.sqlite3")
    before = align_cached(articles, analyses, none(articles), cache)
    euronews = next(i for i, a in enumerate(articles) if a.name == EURONEWS)
    ap = next(a for a in articles if a.name == AP)
    line = before.between(articles[euronews].id, ap.id)[0].line
    decisions = none(articles)
    decisions[euronews] = {line: True}
    key = content_key(articles[euronews], analyses[euronews], decisions[euronews])
    assert key != content_key(articles[euronews], analyses[euronews], {})
    assert line not in content_lines(analyses[euronews], decisions[euronews])
    after = align_cached(articles, analyses, decisions, cache)
    assert (after.computed, after.cached) == (1, 4)
    assert line not in {p.line for p in after.of(articles[euronews].id)}
    assert len(after.of(ap.id)) == len(before.of(ap.id)) - 1
    # Undoing it finds the first state in the cache again.
    undone = align_cached(articles, analyses, none(articles), cache)
    assert undone.computed == 0 and undone.passages == before.passages


def test_an_unreadable_cache_is_bypassed(demo, tmp_path: Path) -> None:
    articles, analyses = demo
    path = tmp_path / "alignment.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    found = align_cached(articles, analyses, none(articles), AlignmentCache(path))
    assert found.computed == 5 and found.passages


def test_near_duplicates_and_similarity(demo) -> None:
    articles, analyses = demo
    found = align_cached(articles, analyses, none(articles), None)
    by_name = {a.name: a.id for a in articles}
    euronews, ap = by_name[EURONEWS], by_name[AP]
    assert found.share(euronews, ap) > 0.6 > found.share(ap, euronews) > 0
    assert found.similar_to(ap) == {euronews: found.share(euronews, ap)}
    assert found.near_duplicates(0.6) == {euronews: ap}
    assert found.near_duplicates() == {}
    spans = found.spans(euronews)
    assert spans == sorted(spans) and all(a < b for a, b in spans)
    passage = found.of(euronews)[0]
    assert found.at(euronews, passage.start)[0] == passage


def test_a_separate_process_aligns_the_same(demo, tmp_path: Path) -> None:
    articles, analyses = demo
    here = align_cached(articles, analyses, none(articles), None, process=False)
    there = align_cached(articles, analyses, none(articles), None, process=True)
    assert there.passages == here.passages and there.shares == here.shares
    assert there.computed == 5


def test_the_child_interpreter_computes_the_rows(demo) -> None:
    """`python -m reader.align.cache`, as `in_process` runs it, answers what
    `compute_rows` does here (not the fallback: the child is run directly)."""
    articles, analyses = demo
    plan = plan_alignment(articles, analyses, none(articles), None)
    args = ([a.text.encode() for a in articles], plan.lines, plan.keys, None)
    child = subprocess.run(
        [sys.executable, "-m", "reader.align.cache"],
        input=pickle.dumps(args),
        capture_output=True,
        check=True,
    )
    rows = pickle.loads(child.stdout)
    assert rows and rows == compute_rows(*args)
