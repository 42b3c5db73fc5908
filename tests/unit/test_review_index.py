"""The review index kept current change by change answers as one built from scratch."""

from __future__ import annotations

import random
from dataclasses import replace

from helpers.annotations_support import article

from annotations import review
from annotations.anchoring import make_target
from annotations.model import Annotation, Motivation, latest_verdicts
from annotations.review import QueueFilter, ReviewIndex


def made(seed: int, count: int = 120) -> list[Annotation]:
    """Span annotations, line decisions, verdicts and replies by a few authors."""
    rng = random.Random(seed)
    story = article()
    found: list[Annotation] = []
    for number in range(count):
        stamp = f"2024-05-01T10:{number // 60:02d}:{number % 60:02d}.000000Z"
        reviewable = [a for a in found if a.motivation in review.REVIEWABLE]
        if reviewable and rng.random() < 0.3:
            about = rng.choice(reviewable)
            made_now = rng.choice(
                [review.accept(about, "me"), review.reject(about, "me"),
                 review.reply(about, rng.choice(["ana", "me"]), "why?")]
            )
        else:
            start = rng.randrange(0, len(story.text) - 20)
            motivation = rng.choice(
                [Motivation.TAGGING, Motivation.HIGHLIGHTING, Motivation.EDITING]
            )
            made_now = Annotation.create(
                article_id=story.id,
                author=rng.choice(["ana", "bo", "chloe"]),
                motivation=motivation,
                target=make_target(story.text, start, start + rng.randint(1, 20)),
                tags=[rng.choice(["a", "b"])] if motivation is Motivation.TAGGING else [],
                decision="remove" if motivation is Motivation.EDITING else None,
            )
        found.append(replace(made_now, created=stamp, modified=stamp))
    return found


def snapshot(index: ReviewIndex) -> tuple:
    queue = index.queue("me", queue_filter=QueueFilter(include_decisions=True))
    return (
        [(i.annotation.id, i.status, i.verdict, i.others, i.replies) for i in queue.items],
        {root: index.thread(root) for root in index.by_id},
    )


def test_adding_and_removing_one_by_one_matches_a_fresh_index() -> None:
    everything = made(1)
    index = ReviewIndex(everything[:40])
    for annotation in everything[40:]:
        index.add(annotation)
    assert snapshot(index) == snapshot(ReviewIndex(everything))
    rng = random.Random(2)
    gone = set(rng.sample([a.id for a in everything], 30))
    for ident in gone:
        index.remove(ident)
    kept = [a for a in everything if a.id not in gone]
    assert snapshot(index) == snapshot(ReviewIndex(kept))


def test_index_queue_matches_the_plain_functions() -> None:
    everything = made(3)
    index = ReviewIndex(everything)
    assert index.latest == latest_verdicts(everything)
    root = next(a.id for a in everything if a.motivation is Motivation.TAGGING)
    assert index.thread(root) == review.thread(everything, root)


def test_hidden_decisions_counts_what_the_filter_leaves_out() -> None:
    everything = made(4)
    index = ReviewIndex(everything)
    decisions = [a for a in everything if a.motivation is Motivation.EDITING]
    assert index.hidden_decisions("me") == len(decisions)
    assert index.hidden_decisions("me", QueueFilter.parse("decisions")) == 0
    by_ana = QueueFilter.parse("@ana")
    assert index.hidden_decisions("me", by_ana) == sum(1 for a in decisions if a.author == "ana")


def test_a_copy_answers_as_the_index_did_whatever_the_index_does_next() -> None:
    everything = made(4)
    index = ReviewIndex(everything[:80])
    copied = index.copy()
    before = snapshot(index)
    disagreements = review.Order.DISAGREEMENTS
    sorted_before = index.queue("me", order=disagreements).items.annotations
    for annotation in everything[80:]:
        index.add(annotation)
    for ident in [a.id for a in everything[:80:3]]:
        index.remove(ident)
    assert snapshot(copied) == before
    assert copied.queue("me", order=disagreements).items.annotations == sorted_before
    assert snapshot(index) == snapshot(ReviewIndex([*everything[80:], *(
        a for n, a in enumerate(everything[:80]) if n % 3)]))
