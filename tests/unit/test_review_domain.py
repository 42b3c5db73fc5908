"""The review queue, verdicts, threads and neighbours, over a real store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from helpers.annotations_support import STORY, annotate, article, build_queue

from annotations import review
from annotations.model import Annotation, Motivation
from annotations.review import Order, QueueFilter, Status
from annotations.store import AnnotationStore


def at(annotation: Annotation, stamp: str) -> Annotation:
    """The annotation with both times set to `stamp` (deterministic order)."""
    return replace(annotation, created=stamp, modified=stamp)


def stamp(second: int) -> str:
    return f"2024-05-01T10:00:{second:02d}.000000Z"


def seeded(db_path: Path) -> tuple[AnnotationStore, dict[str, Annotation]]:
    story = article()
    made = {
        "ana_bank": at(annotate(story, "The central bank", author="ana", tags=("economy",)),
                       stamp(1)),
        "bo_bank": at(annotate(story, "central bank left", author="bo", tags=("politics",)),
                      stamp(2)),
        "bo_analysts": at(annotate(story, "Analysts", author="bo", tags=("economy",),
                                   note="**check**"), stamp(3)),
        "me_note": at(annotate(story, "Markets", author="me", tags=("economy",)), stamp(4)),
        "ana_remove": at(annotate(story, "Share this article", author="ana",
                                  motivation=Motivation.EDITING, decision="remove"), stamp(5)),
    }
    store = AnnotationStore.open(db_path)
    store.add_many(made.values())
    return store, made


def test_queue_holds_others_annotations_newest_first(db_path: Path) -> None:
    store, made = seeded(db_path)
    queue = build_queue(store.all(), "me")
    assert [i.annotation.id for i in queue.items] == [
        made["bo_analysts"].id, made["bo_bank"].id, made["ana_bank"].id
    ]
    assert all(i.status is Status.UNREVIEWED for i in queue.items)


def test_disagreements_first_and_neighbours(db_path: Path) -> None:
    store, made = seeded(db_path)
    queue = build_queue(store.all(), "me", order=Order.DISAGREEMENTS)
    first, second, third = queue.items
    assert {first.annotation.id, second.annotation.id} == {made["ana_bank"].id, made["bo_bank"].id}
    assert first.disagreement and second.disagreement and not third.disagreement
    assert [o.id for o in first.others] in ([made["ana_bank"].id], [made["bo_bank"].id])
    assert third.others == ()


def test_filters_and_decisions(db_path: Path) -> None:
    store, made = seeded(db_path)
    everything = store.all()
    assert [i.annotation.id for i in build_queue(
        everything, "me", queue_filter=QueueFilter(author="ana")).items] == [made["ana_bank"].id]
    by_tag = build_queue(everything, "me", queue_filter=QueueFilter.parse("#economy"))
    assert {i.annotation.id for i in by_tag.items} == {made["ana_bank"].id, made["bo_analysts"].id}
    with_decisions = build_queue(everything, "me", queue_filter=QueueFilter.parse("decisions"))
    assert made["ana_remove"].id in {i.annotation.id for i in with_decisions.items}
    prefix = made["ana_bank"].article_id[:6]
    assert len(build_queue(everything, "me", queue_filter=QueueFilter.parse(f"art:{prefix}"))) == 3
    assert len(build_queue(everything, "me", queue_filter=QueueFilter.parse("art:ffff0000"))) == 0


def test_verdicts_statuses_edit_and_thread(db_path: Path) -> None:
    store, made = seeded(db_path)
    store.add(at(review.accept(made["ana_bank"], "me"), stamp(10)))
    store.add(at(review.reject(made["bo_bank"], "me"), stamp(11)))
    edited = at(review.accept_edited(made["bo_analysts"], "me", ["economy", "rates"], "fine"),
                stamp(12))
    store.add(edited)
    first_reply = at(review.reply(made["bo_analysts"], "me", "Why *this*?"), stamp(13))
    store.add(first_reply)
    store.add(at(review.reply(first_reply, "bo", "Because."), stamp(14)))
    everything = store.all()
    queue = {i.annotation.id: i for i in build_queue(everything, "me").items}
    assert queue[made["ana_bank"].id].status is Status.ACCEPTED
    assert queue[made["bo_bank"].id].status is Status.REJECTED
    item = queue[made["bo_analysts"].id]
    assert item.status is Status.ACCEPTED and item.edited
    assert item.effective_tags == ["economy", "rates"] and item.effective_note == "fine"
    assert item.replies == 1
    threaded = review.thread(everything, made["bo_analysts"].id)
    assert [(depth, a.motivation, a.author) for depth, a in threaded] == [
        (1, Motivation.ASSESSING, "me"),
        (1, Motivation.REPLYING, "me"),
        (2, Motivation.REPLYING, "bo"),
    ]
    rejected = build_queue(everything, "me", queue_filter=QueueFilter(status=Status.REJECTED))
    assert [i.annotation.id for i in rejected.items] == [made["bo_bank"].id]
    # The verdicts are ordinary annotations: motivation, decision, refers_to, the same span.
    verdict = queue[made["bo_bank"].id].verdict
    assert verdict is not None
    assert (verdict.motivation, verdict.decision, verdict.refers_to, verdict.author) == (
        Motivation.ASSESSING, "reject", made["bo_bank"].id, "me"
    )
    assert verdict.target == made["bo_bank"].target


def test_a_later_verdict_wins_and_unchanged_edit_is_accept(db_path: Path) -> None:
    store, made = seeded(db_path)
    store.add(at(review.reject(made["ana_bank"], "me"), stamp(10)))
    store.add(at(review.accept_edited(made["ana_bank"], "me", ["economy"], ""), stamp(11)))
    item = next(i for i in build_queue(store.all(), "me").items
                if i.annotation.id == made["ana_bank"].id)
    assert item.status is Status.ACCEPTED and not item.edited


def test_unknown_articles_are_kept_and_listed(db_path: Path) -> None:
    store, _made = seeded(db_path)
    elsewhere = article(STORY.replace("Markets", "Stocks"), "other/story.txt")
    foreign = at(annotate(elsewhere, "Stocks", author="cy", tags=("x",)), stamp(20))
    store.add(foreign)
    queue = build_queue(store.all(), "me", known_articles=[article().id])
    assert queue.unknown_articles == [elsewhere.id]
    item = queue.items[0]
    assert item.annotation.id == foreign.id and not item.known_article


def test_filter_parse_roundtrip() -> None:
    parsed = QueueFilter.parse("@ana #economy is:rej art:abcd decisions junk")
    assert parsed == QueueFilter("ana", "economy", "abcd", Status.REJECTED, True)
    assert parsed.describe() == "@ana #economy is:rejected art:abcd decisions"


def test_review_counts(db_path: Path) -> None:
    store, made = seeded(db_path)
    store.add(review.accept(made["ana_bank"], "me"))
    store.add(review.accept_edited(made["bo_bank"], "me", ["x"], ""))
    store.add(review.reject(made["bo_analysts"], "me"))
    counts = {c.author: c for c in review.review_counts(store.all())}
    assert (counts["ana"].annotations, counts["ana"].reviewed, counts["ana"].accepted) == (2, 1, 1)
    bo = counts["bo"]
    assert (bo.annotations, bo.reviewed, bo.accepted, bo.rejected, bo.edited, bo.unreviewed) == (
        2, 2, 1, 1, 1, 0
    )


def test_neighbours_sweep_matches_same_span() -> None:
    import random

    rng = random.Random(7)
    story = article()
    made = []
    for _ in range(60):
        start = rng.randrange(len(story.text) - 20)
        end = start + rng.randrange(1, 20)
        quote = story.text[start:end]
        if not quote.strip():
            continue
        made.append(annotate(story, quote, author=rng.choice("abc"), tags=("t",)))
    swept = review.neighbours(made)
    for annotation in made:
        expected = [o.id for o in review.same_span(annotation, made)]
        assert [o.id for o in swept.get(annotation.id, [])] == expected


def test_queue_filter_takes_quotes_and_ignores_case_like_the_article_list() -> None:
    from annotations.query import filter_terms

    parsed = QueueFilter.parse('@"Ana Lima" #Economy is:unr')
    assert (parsed.author, parsed.tag, parsed.status) == ("Ana Lima", "Economy", Status.UNREVIEWED)
    assert filter_terms('@"Ana Lima" #Economy') == ["@Ana Lima", "#Economy"]
    story = article()
    made = [annotate(story, "central bank", author="ana lima", tags=("economy",))]
    assert len(build_queue(made, "me", queue_filter=parsed)) == 1
