"""Exports and listings written as the database is read equal the ones built in memory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.annotations_support import annotate, article

from annotations import review
from annotations.formats import EXPORT_FORMATS, export_chunks, export_item, export_text
from annotations.model import Annotation, Motivation, stored_record, validate_record
from annotations.ordered import OrderedTexts
from annotations.store import AnnotationStore, CorruptDatabaseError
from reader.cli_annotations import list_line

SHAPES = [(fmt, False) for fmt in EXPORT_FORMATS] + [("w3c", True)]


def varied(count: int = 60) -> list[Annotation]:
    """Annotations of every kind on several articles, with awkward text."""
    stories = [
        article(f"Story {n}\nThe mayor said «ça va» on Tuesday 😀.\nShare this\x9b article\n",
                source=f"corpus/story-{n}.txt")
        for n in range(7)
    ]
    made: list[Annotation] = []
    for number in range(count):
        story = stories[number % len(stories)]
        kind = number % 5
        if kind == 0:
            made.append(annotate(story, "mayor", author="ana", tags=("people", "=cmd"),
                                 note="Check *this*\nnext line \x1b[31m"))
        elif kind == 1:
            made.append(annotate(story, "Share this\x9b article", author="bo",
                                 motivation=Motivation.EDITING, decision="remove"))
        elif kind == 2 and made:
            made.append(review.accept_edited(made[-2], "me", ["x"], "fine"))
        elif kind == 3 and made:
            made.append(review.reply(made[-1], "chloe", "Why? 😀"))
        else:
            made.append(Annotation.create(article_id=story.id, author="dev",
                                          motivation=Motivation.HIGHLIGHTING, target=None))
    return made


@pytest.fixture
def store(db_path: Path) -> AnnotationStore:
    opened = AnnotationStore.open(db_path)
    opened.add_many(varied())
    return opened


def streamed(store: AnnotationStore, fmt: str, collection: bool, exported: str | None,
             **filters: str) -> str:
    texts = OrderedTexts(store.iter_records(**filters), export_item(fmt, collection=collection))
    return "".join(
        export_chunks(texts, len(texts), fmt, collection=collection, exported=exported)
    )


def exported_time(text: str, fmt: str) -> str | None:
    return json.loads(text)["exported"] if fmt == "json" else None


@pytest.mark.parametrize(("fmt", "collection"), SHAPES)
def test_streamed_export_equals_the_in_memory_one(
    store: AnnotationStore, fmt: str, collection: bool
) -> None:
    expected = export_text(store.all(), fmt, collection=collection)
    assert streamed(store, fmt, collection, exported_time(expected, fmt)) == expected


@pytest.mark.parametrize(("fmt", "collection"), SHAPES)
def test_streamed_export_of_nothing_and_of_a_filter(
    store: AnnotationStore, db_path: Path, fmt: str, collection: bool
) -> None:
    empty = AnnotationStore.open(db_path.with_name("empty.json"))
    expected = export_text([], fmt, collection=collection)
    assert streamed(empty, fmt, collection, exported_time(expected, fmt)) == expected
    expected = export_text(store.query(tag="people"), fmt, collection=collection)
    assert streamed(store, fmt, collection, exported_time(expected, fmt), tag="people") == (
        expected
    )
    expected = export_text(store.query(author="bo"), fmt, collection=collection)
    assert streamed(store, fmt, collection, exported_time(expected, fmt), author="bo") == (
        expected
    )


def test_streaming_keeps_no_bucket_it_had_not_read(store: AnnotationStore, db_path: Path) -> None:
    fresh = AnnotationStore.open(db_path, read_only=True)
    assert sum(1 for _ in fresh.iter_records()) == len(store.all())
    assert fresh._buckets == {}


def script() -> Path:
    found = Path(sys.executable).parent / "copydesk"
    if not found.exists():
        found = Path(shutil.which("copydesk") or "")
    if not found.is_file():
        pytest.skip("the copydesk console script is not installed (pip install -e .)")
    return found


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_the_installed_command_writes_what_export_text_builds(
    store: AnnotationStore, db_path: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    subprocess.run([str(script()), "annotations", "export", "-f", fmt, "-o", str(out),
                    "--db", str(db_path)], check=True, capture_output=True)
    written = out.read_bytes().decode("utf-8")
    expected = export_text(store.all(), fmt)
    if fmt == "json":
        expected = expected.replace(json.loads(expected)["exported"],
                                    json.loads(written)["exported"])
    assert written == expected


def test_the_installed_list_prints_every_annotation_oldest_first(
    store: AnnotationStore, db_path: Path
) -> None:
    listed = subprocess.run([str(script()), "annotations", "list", "--db", str(db_path)],
                            check=True, capture_output=True, text=True).stdout
    assert listed == "".join(list_line(a) + "\n" for a in store.all())


def test_a_record_as_the_store_writes_it_is_used_as_read(store: AnnotationStore) -> None:
    for annotation in store.all():
        record = validate_record(annotation.to_dict())
        assert stored_record(record) is record


@pytest.mark.parametrize(
    "change",
    [
        {"created": "2024-05-01T12:00:00+02:00"},
        {"note": 7},
        {"tags": ["ok", None]},
        {"note": "lone \ud800 surrogate"},
        {"motivation": "shouting"},
        {"decision": "remove"},
        {"extra": 1},
        {"target": {"exact": "x", "prefix": "", "suffix": "", "start": 5, "end": 2}},
        {"author": "  "},
    ],
)
def test_anything_else_gets_the_full_check(store: AnnotationStore, change: dict) -> None:
    record = validate_record(store.all()[0].to_dict())
    assert stored_record({**record, **change}) is None


def test_a_hand_edited_bucket_is_still_normalized_or_named(db_path: Path) -> None:
    story = article()
    saved = AnnotationStore.open(db_path).add(annotate(story, "central bank"))
    (bucket,) = sorted((db_path.parent / (db_path.name + ".d")).glob("*.json"))
    data = json.loads(bucket.read_text())
    (doc,) = data["annotations"].values()
    doc["created"] = "2024-05-01T12:00:00+02:00"
    bucket.write_text(json.dumps(data))
    (read,) = AnnotationStore.open(db_path, read_only=True).all()
    assert read.created == "2024-05-01T10:00:00.000000Z" and read.id == saved.id
    doc["note"] = "\ud800"
    bucket.write_text(json.dumps(data))
    with pytest.raises(CorruptDatabaseError, match="surrogate"):
        AnnotationStore.open(db_path).all()
