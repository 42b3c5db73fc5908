"""A corrupt database file is reported in one line, never overwritten, and can be set aside."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.annotations_support import annotate, article, bucket_files

from annotations.store import SCHEMA_VERSION, AnnotationStore, CorruptDatabaseError

CORRUPTIONS = {
    "not JSON": b"this is not json",
    "truncated": b'{"annotations": {"1": {"id": "3f',
    "empty": b"",
    "wrong shape": b"[1, 2, 3]",
    "table not an object": b'{"annotations": [1, 2]}',
    "bad document": b'{"annotations": {"1": {"id": 7}}}',
    "binary": bytes(range(256)),
    "NaN": b'{"annotations": {"1": NaN}}',
    "deep": b"[" * 100_000,
}


def populated(db_path: Path) -> tuple[AnnotationStore, list[str]]:
    store = AnnotationStore.open(db_path)
    other = article("A second story about weather.\n", "corpus/weather.txt")
    ids = [
        store.add(annotate(article(), "central bank")).id,
        store.add(annotate(other, "weather")).id,
    ]
    return store, ids


@pytest.mark.parametrize("content", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_corrupt_bucket_is_reported_and_left_alone(db_path: Path, content: bytes) -> None:
    store, ids = populated(db_path)
    bucket = db_path.parent / (db_path.name + ".d") / f"{article().id[:2]}{ids[0][0]}.json"
    bucket.write_bytes(content)
    with pytest.raises(CorruptDatabaseError) as caught:
        store.all()
    message = str(caught.value)
    assert "\n" not in message
    assert str(bucket) in message
    # A write to that bucket fails too, and the file keeps its bytes.
    same_bucket = replace(annotate(article(), "Analysts"), id=ids[0][0] + str(uuid.uuid4())[1:])
    with pytest.raises(CorruptDatabaseError):
        AnnotationStore.open(db_path).add(same_bucket)
    assert bucket.read_bytes() == content


@pytest.mark.parametrize("content", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_corrupt_main_file_is_reported_and_left_alone(db_path: Path, content: bytes) -> None:
    populated(db_path)
    db_path.write_bytes(content)
    with pytest.raises(CorruptDatabaseError, match="corrupt annotation database") as caught:
        AnnotationStore.open(db_path)
    assert str(db_path) in str(caught.value)
    assert db_path.read_bytes() == content


def test_read_only_serves_the_intact_buckets(db_path: Path) -> None:
    _, ids = populated(db_path)
    broken = bucket_files(db_path)[0]
    broken.write_bytes(b"{garbage")
    reader = AnnotationStore.open(db_path, read_only=True)
    survivors = reader.all()
    assert len(survivors) == 1 and survivors[0].id in ids
    assert [p.path for p in reader.problems] == [broken]
    assert broken.read_bytes() == b"{garbage"


# "bad document" is valid JSON in the shape of a plain TinyDB file, read as one to upgrade.
UNREADABLE_MAIN = {k: v for k, v in CORRUPTIONS.items() if k != "bad document"}


@pytest.mark.parametrize("content", UNREADABLE_MAIN.values(), ids=UNREADABLE_MAIN.keys())
def test_read_only_reads_the_buckets_past_a_corrupt_main_file(
    db_path: Path, content: bytes
) -> None:
    _, ids = populated(db_path)
    db_path.write_bytes(content)
    store = AnnotationStore.open(db_path, read_only=True)
    assert sorted(a.id for a in store.all()) == sorted(ids)
    assert [p.path for p in store.problems] == [db_path]
    assert db_path.read_bytes() == content


def test_fresh_beside_sets_corrupt_files_aside(db_path: Path) -> None:
    _, _ids = populated(db_path)
    broken = bucket_files(db_path)[0]
    broken.write_bytes(b"{garbage")
    store = AnnotationStore.open_fresh_beside(db_path)
    assert len(store.set_aside) == 1
    assert store.set_aside[0].read_bytes() == b"{garbage"
    assert store.set_aside[0].name.startswith(broken.name + ".corrupt-")
    assert len(store.all()) == 1
    store.add(annotate(article(), "central bank"))
    store.add(annotate(article("A second story about weather.\n", "w.txt"), "weather"))
    assert len(AnnotationStore.open(db_path).all()) == 3
    assert AnnotationStore.open(db_path).check() == []


def test_fresh_beside_handles_a_corrupt_main_file(db_path: Path) -> None:
    populated(db_path)
    db_path.write_text("not json")
    store = AnnotationStore.open_fresh_beside(db_path)
    assert [p.name.split(".corrupt-")[0] for p in store.set_aside] == [db_path.name]
    assert len(store.all()) == 2  # the buckets were intact
    store.add(annotate(article(), "Analysts"))
    assert json.loads(db_path.read_text())["_meta"]["1"]["schema_version"] == SCHEMA_VERSION


def test_check_lists_every_corrupt_file(db_path: Path) -> None:
    populated(db_path)
    for bucket in bucket_files(db_path):
        bucket.write_text("[]")
    problems = AnnotationStore.open(db_path).check()
    assert sorted(p.path for p in problems) == bucket_files(db_path)
    assert all("expected a TinyDB object" in p.reason for p in problems)
