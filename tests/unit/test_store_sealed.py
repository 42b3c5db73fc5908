"""Buckets the store writes are sealed (a digest of the bucket's name, the schema and the
file), so reading them back skips the per-record checks; anything else is checked."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.annotations_support import annotate, article, bucket_files

from annotations import review
from annotations.store import (
    SEAL_TABLE,
    AnnotationStore,
    CorruptDatabaseError,
    _seal,
    _sealed_by_us,
)
from reader.corpus.model import Article
from reader.state import Book

LEFT = Article(text="Intro line.\nThe pier reopens in two years, the commission said.\n",
               source="a", name="a")
RIGHT = Article(text="The pier reopens in two years, officials said.\nMore.\n",
                source="b", name="b")


def test_every_bucket_the_store_writes_is_sealed_and_read_back_as_written(
    db_path: Path,
) -> None:
    story = article()
    store = AnnotationStore.open(db_path)
    made = [annotate(story, "central bank", author="ana", tags=("economy",),
                     note="Check «this» 😀"),
            annotate(story, "Analysts", author="bo")]
    store.add_many(made)
    store.add(review.accept(made[0], "me"))
    store.update(replace(made[1], tags=["people"]))
    start = LEFT.text.index("The pier")
    linked = Book("ada", db_path).link(LEFT, (start, len(LEFT.text) - 1), RIGHT,
                                       (0, RIGHT.text.index("\n"))).added
    store.add_many(linked)
    store.delete(made[0].id)
    files = bucket_files(db_path)
    assert files
    assert all(_sealed_by_us(path.stem, path.read_bytes()) for path in files)
    fresh = AnnotationStore.open(db_path, read_only=True).all()
    assert fresh == store.all()
    assert {a.id for a in fresh} >= {a.id for a in linked}
    assert json.loads(files[0].read_text())[SEAL_TABLE]


def seeded_bucket(db_path: Path) -> tuple[Path, dict]:
    AnnotationStore.open(db_path).add(annotate(article(), "central bank", tags=("economy",)))
    (bucket,) = bucket_files(db_path)
    return bucket, json.loads(bucket.read_bytes())


def test_an_edit_breaks_the_seal_and_gets_the_full_check(db_path: Path) -> None:
    bucket, data = seeded_bucket(db_path)
    (doc,) = data["annotations"].values()
    doc["created"] = "2024-05-01T12:00:00+02:00"
    # Written back compactly, the old seal kept: the bytes no longer match it.
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode()
    bucket.write_bytes(payload)
    assert not _sealed_by_us(bucket.stem, payload)
    (read,) = AnnotationStore.open(db_path, read_only=True).all()
    assert read.created == "2024-05-01T10:00:00.000000Z"  # made canonical by the full check
    doc["author"] = " "
    bucket.write_text(json.dumps(data))
    with pytest.raises(CorruptDatabaseError, match="author"):
        AnnotationStore.open(db_path).all()


def test_what_the_seal_vouches_for_is_used_as_read(db_path: Path) -> None:
    bucket, data = seeded_bucket(db_path)
    data.pop(SEAL_TABLE)
    (doc,) = data["annotations"].values()
    doc["created"] = "2024-05-01T12:00:00+02:00"
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode()
    bucket.write_bytes(_seal(bucket.stem, payload))
    (read,) = AnnotationStore.open(db_path, read_only=True).all()
    assert read.created == "2024-05-01T12:00:00+02:00"  # no check: the seal vouched for it


def test_a_sealed_bucket_under_another_name_is_checked(db_path: Path) -> None:
    bucket, _ = seeded_bucket(db_path)
    other = "fff" if bucket.stem != "fff" else "eee"
    shutil.copy(bucket, bucket.with_name(f"{other}.json"))
    with pytest.raises(CorruptDatabaseError, match=f"belongs in bucket {bucket.stem}"):
        AnnotationStore.open(db_path).all()
