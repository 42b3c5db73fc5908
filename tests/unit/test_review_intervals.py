"""Overlaps from the per-article interval index equal the eager all-pairs results."""

from __future__ import annotations

from dataclasses import replace

from helpers.annotations_support import article
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import review
from annotations.anchoring import make_target
from annotations.intervals import SpanIndex
from annotations.model import Annotation, Motivation
from annotations.review import Order, QueueFilter, ReviewIndex

STORY = article()
TEXT_LENGTH = len(STORY.text)

spans = st.lists(
    st.tuples(st.integers(0, 300), st.integers(0, 300)).map(lambda p: (min(p), max(p))),
    max_size=60,
)


def brute_overlaps(stored: list[tuple[int, int]], query: tuple[int, int]) -> set[int]:
    return {n for n, span in enumerate(stored) if review.overlaps(span, query)}


@settings(max_examples=200, deadline=None)
@given(stored=spans, queries=spans)
def test_span_index_finds_exactly_the_overlapping_spans(
    stored: list[tuple[int, int]], queries: list[tuple[int, int]]
) -> None:
    index = SpanIndex((span, n) for n, span in enumerate(stored))
    for query in queries:
        assert set(index.overlapping(query)) == brute_overlaps(stored, query)


@settings(max_examples=100, deadline=None)
@given(stored=spans, moves=st.lists(st.tuples(st.integers(0, 59), spans), max_size=20))
def test_span_index_kept_current_by_add_and_remove(
    stored: list[tuple[int, int]], moves: list[tuple[int, list[tuple[int, int]]]]
) -> None:
    index = SpanIndex()
    current: dict[int, tuple[int, int]] = {}
    for n, span in enumerate(stored):
        index.add(span, n)
        current[n] = span
    for key, new_spans in moves:
        if new_spans:
            index.add(new_spans[0], key)
            current[key] = new_spans[0]
        else:
            index.remove(key)
            current.pop(key, None)
    for query in [*stored, (0, 301)]:
        expected = {k for k, span in current.items() if review.overlaps(span, query)}
        assert set(index.overlapping(query)) == expected


def made(draw_spans: list[tuple[int, int, int, int, int]]) -> list[Annotation]:
    """Annotations from (start, length, author, kind, tag) tuples on one article."""
    found = []
    for number, (start, length, author, kind, tag) in enumerate(draw_spans):
        start = min(start, TEXT_LENGTH - 1)
        end = min(TEXT_LENGTH, start + length)
        motivation = [Motivation.TAGGING, Motivation.HIGHLIGHTING, Motivation.EDITING,
                      Motivation.COMMENTING][kind]
        annotation = Annotation.create(
            article_id=STORY.id,
            author=("a", "b", "c", "curated")[author],
            motivation=motivation,
            target=make_target(STORY.text, start, end),
            tags=["xy"[tag]] if motivation is Motivation.TAGGING else [],
            decision=("remove", "keep")[tag] if motivation is Motivation.EDITING else None,
        )
        stamp = f"2024-05-01T10:{number // 60:02d}:{number % 60:02d}.000000Z"
        found.append(replace(annotation, created=stamp, modified=stamp))
    return found


annotation_specs = st.lists(
    st.tuples(st.integers(0, TEXT_LENGTH), st.integers(1, 80), st.integers(0, 3),
              st.integers(0, 3), st.integers(0, 1)),
    max_size=50,
)


@settings(max_examples=100, deadline=None)
@given(specs=annotation_specs)
def test_index_overlaps_equal_the_eager_sweep_and_same_span(specs) -> None:
    everything = made(specs)
    index = ReviewIndex(everything)
    swept = review.neighbours(everything)
    for annotation in everything:
        expected = [o.id for o in swept.get(annotation.id, [])]
        assert [o.id for o in index.others(annotation)] == expected
        assert [o.id for o in review.same_span(annotation, everything)] == expected
    counted = index.disagreements()
    for annotation in everything:
        item = index.item(annotation)
        assert index.disagreement(annotation) is item.disagreement
        assert counted(annotation) is item.disagreement


@settings(max_examples=50, deadline=None)
@given(specs=annotation_specs)
def test_disagreements_first_matches_sorting_built_items(specs) -> None:
    everything = made(specs)
    index = ReviewIndex(everything)
    wanted = QueueFilter(include_decisions=True)
    newest = list(index.queue("me", queue_filter=wanted).items)
    expected = sorted(newest, key=lambda item: not item.disagreement)
    ordered = index.queue("me", queue_filter=wanted, order=Order.DISAGREEMENTS)
    assert [i.annotation.id for i in ordered.items] == [i.annotation.id for i in expected]


def test_queue_items_are_built_when_read() -> None:
    everything = made([(n * 3, 20, n % 3, n % 2, n % 2) for n in range(60)])
    queue = ReviewIndex(everything).queue("me")
    assert len(queue) == 60 and queue.items.built == 0
    first = queue.items[0]
    assert queue.items.built == 1 and queue.items[0] is first
    assert [i.annotation.id for i in queue.items[:3]] == [
        a.id for a in queue.items.annotations[:3]
    ]
    assert queue.items.built == 3
    assert queue.items[-1].annotation is queue.items.annotations[-1]
    assert queue.items.unreviewed() == 60
