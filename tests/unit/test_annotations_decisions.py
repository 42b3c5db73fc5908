"""Line decisions from editing annotations: latest wins, per author, reviews honored."""

from __future__ import annotations

from dataclasses import replace

from helpers.annotations_support import annotate, article

from annotations.decisions import line_decisions, rejected_ids
from annotations.model import Annotation, Motivation


def line_of(story, quote: str) -> int:
    return story.line_at(story.text.index(quote)).number


def test_decisions_cover_the_lines_of_the_quote() -> None:
    story = article()
    remove = annotate(story, "Share this article\nSign up", motivation="editing", decision="remove")
    decided = line_decisions([remove], story)
    assert decided == {line_of(story, "Share this"): True, line_of(story, "Sign up"): True}


def test_latest_decision_per_line_wins() -> None:
    story = article()
    first = annotate(story, "Skip to content", motivation="editing", decision="remove")
    later = replace(
        annotate(story, "Skip to", motivation="editing", decision="keep"),
        modified="2999-01-01T00:00:00.000000Z",
    )
    assert line_decisions([later, first], story) == {0: False}
    assert line_decisions([first], story) == {0: True}


def test_author_filter_and_other_motivations() -> None:
    story = article()
    ana = annotate(story, "Skip to content", author="ana", motivation="editing", decision="remove")
    ben = annotate(story, "By Jane Doe", author="ben", motivation="editing", decision="keep")
    note = annotate(story, "Analysts", author="ana", note="not a decision")
    assert line_decisions([ana, ben, note], story, author="ana") == {0: True}
    assert line_decisions([ana, ben, note], story) == {0: True, 2: False}


def test_rejected_decisions_are_ignored() -> None:
    story = article()
    removal = annotate(story, "Skip to content", motivation="editing", decision="remove")
    reject = annotate(
        story, "Skip to content", motivation="assessing", decision="reject", refers_to=removal.id
    )
    assert rejected_ids([removal, reject]) == {removal.id}
    assert line_decisions([removal, reject], story) == {}
    assert line_decisions([removal, reject], story, honor_reviews=False) == {0: True}
    accept = replace(
        reject,
        id="5b8a7f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
        decision="accept",
        modified="2999-01-01T00:00:00.000000Z",
    )
    assert line_decisions([removal, reject, accept], story) == {0: True}


def test_decisions_follow_the_text_and_skip_orphans() -> None:
    story = article()
    removal = annotate(story, "Sign up for our newsletter", motivation="editing", decision="remove")
    lost = annotate(story, "Skip to content", motivation="editing", decision="remove")
    changed = article(
        "Breaking banner\n" + story.text.replace("Skip to content\n", ""), story.source
    )
    decided = line_decisions([removal, lost], changed)
    assert decided == {line_of(changed, "Sign up"): True}


def test_decisions_of_other_articles_are_ignored() -> None:
    story = article()
    other = article("Sign up for our newsletter\n", "elsewhere.txt")
    foreign = annotate(other, "Sign up for our newsletter", motivation="editing", decision="remove")
    assert line_decisions([foreign], story) == {}
    assert isinstance(foreign, Annotation) and foreign.motivation is Motivation.EDITING
