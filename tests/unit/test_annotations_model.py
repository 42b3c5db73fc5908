"""The annotation model: round trips, and validation of every field."""

from __future__ import annotations

import pytest
from helpers.annotations_support import annotate, article

from annotations.model import Annotation, AnnotationError, Motivation, TextTarget


def valid() -> dict:
    return annotate(article(), "central bank", tags=("economy",), note="**why**").to_dict()


def test_round_trip_keeps_every_field() -> None:
    original = annotate(article(), "central bank", tags=("a", "b"), note="n")
    again = Annotation.from_dict(original.to_dict())
    assert again == original
    assert again.to_dict() == original.to_dict()


def test_create_stamps_id_and_times() -> None:
    first = annotate(article(), "central bank")
    second = annotate(article(), "central bank")
    assert first.id != second.id
    assert first.created == first.modified
    assert first.created.endswith("Z")


def test_tags_are_trimmed_and_deduplicated() -> None:
    made = annotate(article(), "central bank", tags=(" economy ", "economy", "", "rates  cut"))
    assert made.tags == ["economy", "rates cut"]


def test_times_are_normalized_to_utc() -> None:
    data = valid()
    data["created"] = "2024-05-01T14:00:00+02:00"
    assert Annotation.from_dict(data).created == "2024-05-01T12:00:00.000000Z"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", "not-a-uuid", "id"),
        ("id", 5, "id"),
        ("article_id", "abc", "article_id"),
        ("author", "", "author"),
        ("author", ["ana"], "author"),
        ("created", "yesterday", "created"),
        ("created", "2024-05-01T12:00:00", "created"),
        ("motivation", "bookmarking", "motivation"),
        ("motivation", None, "motivation"),
        ("tags", "economy", "tags"),
        ("tags", [1, 2], "tags"),
        ("tags", ["x"] * 500, "tags"),
        ("note", 3, "note"),
        ("note", "x" * 1_000_001, "note"),
        ("decision", "remove", "decision"),
        ("refers_to", "nope", "refers_to"),
        ("target", "central bank", "target"),
        ("target", {"exact": "x", "prefix": "", "suffix": "", "start": True, "end": 1}, "start"),
        ("target", {"exact": "x", "prefix": "", "suffix": "", "start": 5, "end": 2}, "end"),
        ("target", {"exact": "", "prefix": "", "suffix": "", "start": 0, "end": 0}, "exact"),
        ("target", {"exact": "x", "start": -1, "end": 1}, "start"),
        ("target", {"exact": "x" * 100_001, "start": 0, "end": 1}, "exact"),
        ("target", {"exact": "x", "start": 0, "end": 1, "evil": 1}, "evil"),
        ("surprise", 1, "surprise"),
    ],
)
def test_invalid_fields_are_named(field: str, value: object, message: str) -> None:
    data = valid()
    data[field] = value
    with pytest.raises(AnnotationError, match=message):
        Annotation.from_dict(data)


def test_editing_needs_a_decision_and_a_target() -> None:
    data = valid()
    data["motivation"] = "editing"
    with pytest.raises(AnnotationError, match="decision"):
        Annotation.from_dict(data)
    data["decision"] = "accept"
    with pytest.raises(AnnotationError, match="decision"):
        Annotation.from_dict(data)
    data["decision"] = "remove"
    assert Annotation.from_dict(data).decision == "remove"
    data["target"] = None
    with pytest.raises(AnnotationError, match="target"):
        Annotation.from_dict(data)


def test_assessing_and_replying_need_the_annotation_they_are_about() -> None:
    base = annotate(article(), "central bank")
    for motivation, decision in ((Motivation.ASSESSING, "accept"), (Motivation.REPLYING, None)):
        data = valid()
        data["motivation"] = str(motivation)
        data["decision"] = decision
        with pytest.raises(AnnotationError, match="refers_to"):
            Annotation.from_dict(data)
        data["refers_to"] = base.id
        assert Annotation.from_dict(data).refers_to == base.id


def test_constructing_an_invalid_annotation_fails() -> None:
    data = Annotation.from_dict(valid())
    with pytest.raises(AnnotationError):
        Annotation(
            id=data.id,
            article_id=data.article_id,
            source_hint="",
            author="ana",
            created=data.created,
            modified=data.modified,
            motivation=Motivation.EDITING,
            target=TextTarget("x", "", "", 0, 1),
            decision=None,
        )
