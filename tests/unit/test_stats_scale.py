"""The faster agreement figures equal the ones computed the direct way."""

from __future__ import annotations

import random
from dataclasses import replace

from helpers.annotations_support import article
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import review
from annotations.agreement import TaggedSpan, _overlap, span_f1, span_matches
from annotations.anchoring import make_target
from annotations.curation import annotator_decisions, annotators
from annotations.decisions import line_decisions
from annotations.model import Annotation, Motivation
from annotations.review_stats import build_report, report_json, tagged_spans


def matches_all_pairs(left, right, min_overlap: float = 0.5) -> list[tuple[int, int]]:
    """The greedy all-pairs matching `span_f1` is defined by (its earlier implementation):
    each span of `left` in turn takes the best-scoring unused span of `right`, the
    earliest on a tie."""
    unused = list(enumerate(right))
    found = []
    for number, span in enumerate(left):
        best_index, best_score = -1, 0.0
        for index, (_, other) in enumerate(unused):
            if other.article_id != span.article_id or other.tag != span.tag:
                continue
            score = _overlap(span, other)
            if score >= min_overlap and score > best_score:
                best_index, best_score = index, score
        if best_index >= 0:
            found.append((number, unused.pop(best_index)[0]))
    return found


def span_f1_all_pairs(first, second, min_overlap: float = 0.5) -> float | None:
    left, right = list(first), list(second)
    if not left and not right:
        return None
    return 2 * len(matches_all_pairs(left, right, min_overlap)) / (len(left) + len(right))


tagged = st.lists(
    st.builds(
        lambda art, start, length, tag: TaggedSpan("ab"[art], start, start + length, "xy"[tag]),
        st.integers(0, 1), st.integers(0, 40), st.integers(0, 30), st.integers(0, 1),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(first=tagged, second=tagged,
       min_overlap=st.sampled_from([0.0, 0.1, 0.2, 0.5, 0.75, 1.0]))
def test_span_matching_equals_the_all_pairs_matching(first, second, min_overlap) -> None:
    assert span_matches(first, second, min_overlap) == matches_all_pairs(
        first, second, min_overlap
    )
    assert span_f1(first, second, min_overlap) == span_f1_all_pairs(first, second, min_overlap)


def test_a_tie_goes_to_the_earlier_span_whatever_their_starts() -> None:
    left = [TaggedSpan("a", 10, 20, "x")]
    right = [TaggedSpan("a", 12, 22, "x"), TaggedSpan("a", 8, 18, "x")]
    assert span_matches(left, right) == matches_all_pairs(left, right) == [(0, 0)]


def test_a_wide_tolerance_still_finds_distant_starts() -> None:
    left = [TaggedSpan("a", 0, 10, "x")]
    right = [TaggedSpan("a", 5, 50, "x")]
    assert span_matches(left, right, 0.1) == matches_all_pairs(left, right, 0.1) == [(0, 0)]


STORY = article()
LINES = [line for line in STORY.lines if not line.is_blank]


def team(seed: int, count: int = 150) -> list[Annotation]:
    """Line decisions, tags and verdicts by four authors on one article."""
    rng = random.Random(seed)
    found: list[Annotation] = []
    for number in range(count):
        author = rng.choice(["ana", "bo", "chloe", "curated"])
        if rng.random() < 0.5:
            line = rng.choice(LINES)
            made = Annotation.create(
                article_id=STORY.id, source_hint=STORY.source, author=author,
                motivation=Motivation.EDITING, target=make_target(STORY.text, line.start,
                                                                  line.end),
                decision=rng.choice(["remove", "keep"]),
            )
        elif found and rng.random() < 0.2:
            made = review.accept(rng.choice(found), "me")
        else:
            start = rng.randrange(len(STORY.text) - 30)
            made = Annotation.create(
                article_id=STORY.id, source_hint=STORY.source, author=author,
                motivation=Motivation.TAGGING,
                target=make_target(STORY.text, start, start + rng.randint(3, 30)),
                tags=[rng.choice(["x", "y"])],
            )
        stamp = f"2024-05-01T10:{number // 60:02d}:{number % 60:02d}.{rng.randrange(10):06d}Z"
        found.append(replace(made, created=stamp, modified=stamp))
    return found


def test_each_annotators_line_table_in_one_pass_equals_line_decisions() -> None:
    for seed in range(5):
        everything = team(seed)
        names = annotators(everything, STORY)
        expected = {
            name: line_decisions(everything, STORY, author=name, honor_reviews=False)
            for name in names
        }
        assert annotator_decisions(everything, STORY) == expected


def test_the_report_equals_the_direct_computation() -> None:
    for seed in range(3):
        everything = team(seed)
        report = build_report(everything, [STORY])
        spans = tagged_spans(everything)
        expected_tags = {
            (a, b): span_f1_all_pairs(spans[a], spans[b])
            for a in sorted(spans) for b in sorted(spans) if a < b
        }
        assert {(t.first, t.second): t.f1 for t in report.tags} == expected_tags
        (scope,) = report.articles
        decided = {
            name: line_decisions(everything, STORY, author=name, honor_reviews=False)
            for name in annotators(everything, STORY)
        }
        assert scope.annotators == tuple(sorted(n for n, d in decided.items() if d))
        assert report_json(report) == report_json(build_report(list(reversed(everything)),
                                                               [STORY]))
