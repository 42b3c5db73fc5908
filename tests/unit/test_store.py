"""The annotation store: every call reaches the disk, and other instances see it."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import filelock
import pytest
from helpers.annotations_support import annotate, article, bucket_files
from tinydb import TinyDB

from annotations.model import Motivation
from annotations.store import (
    SCHEMA_VERSION,
    AnnotationNotFound,
    AnnotationStore,
    DatabaseLockedError,
    DuplicateIdError,
    ReadOnlyError,
    SchemaError,
)


@pytest.fixture
def store(db_path: Path) -> AnnotationStore:
    return AnnotationStore.open(db_path)


def test_opening_creates_nothing(db_path: Path) -> None:
    AnnotationStore.open(db_path)
    assert not db_path.exists()


def test_add_is_visible_to_a_fresh_instance(store: AnnotationStore, db_path: Path) -> None:
    made = store.add(annotate(article(), "central bank", tags=("economy",), note="*n*"))
    other = AnnotationStore.open(db_path)
    assert other.all() == [made]
    assert other.get(made.id) == made
    meta = json.loads(db_path.read_text())
    assert meta["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    # Each bucket is a plain TinyDB file.
    with TinyDB(bucket_files(db_path)[0]) as raw:
        assert raw.table("annotations").all()[0]["id"] == made.id


def test_update_and_delete(store: AnnotationStore, db_path: Path) -> None:
    made = store.add(annotate(article(), "central bank"))
    made.note = "changed"
    made.tags = ["x"]
    saved = store.update(made)
    assert saved.modified > made.created
    assert saved.created == made.created
    assert AnnotationStore.open(db_path).get(made.id).note == "changed"
    removed = store.delete(made.id)
    assert removed.note == "changed"
    assert AnnotationStore.open(db_path).all() == []
    # Undo: add the deleted annotation back.
    store.add(removed)
    assert AnnotationStore.open(db_path).get(made.id) == removed


def test_missing_and_duplicate_ids(store: AnnotationStore) -> None:
    made = store.add(annotate(article(), "central bank"))
    with pytest.raises(DuplicateIdError):
        store.add(made)
    with pytest.raises(AnnotationNotFound):
        store.delete("00000000-0000-4000-8000-000000000000")
    store.delete(made.id)
    with pytest.raises(AnnotationNotFound):
        store.update(made)


def test_returned_annotations_are_copies(store: AnnotationStore) -> None:
    made = store.add(annotate(article(), "central bank", tags=("a",)))
    store.get(made.id).tags.append("b")
    assert store.get(made.id).tags == ["a"]


def test_queries_tags_and_authors(store: AnnotationStore) -> None:
    story = article()
    other = article("Another story entirely, about football.\n", "corpus/other.txt")
    store.add(annotate(story, "central bank", author="ana", tags=("economy", "rates")))
    store.add(annotate(story, "Analysts", author="ben", tags=("economy",)))
    store.add(annotate(other, "football", author="ben", tags=("sport",), motivation="tagging"))
    assert len(store.for_article(story.id)) == 2
    assert [a.author for a in store.query(tag="economy")] == ["ana", "ben"]
    assert len(store.query(author="ben")) == 2
    assert len(store.query(author="ben", tag="economy")) == 1
    assert len(store.query(motivation=Motivation.TAGGING)) == 1
    assert len(store.query(article_ids=[other.id])) == 1
    assert store.tags() == [("economy", 2), ("rates", 1), ("sport", 1)]
    assert store.authors() == [("ben", 2), ("ana", 1)]
    assert store.count() == 3
    assert len(store.for_source("corpus/other.txt")) == 1


def test_add_many_writes_each_bucket_once(store: AnnotationStore, db_path: Path) -> None:
    stories = [article(f"Story number {n} about things.\n", f"s{n}.txt") for n in range(40)]
    made = [annotate(s, "about things") for s in stories]
    assert store.add_many(made) == 40
    assert AnnotationStore.open(db_path).count() == 40
    with pytest.raises(DuplicateIdError):
        store.add_many([*made[:1], annotate(stories[0], "Story")])
    assert AnnotationStore.open(db_path).count() == 40


def test_two_instances_in_one_process_do_not_overwrite_each_other(db_path: Path) -> None:
    first = AnnotationStore.open(db_path)
    second = AnnotationStore.open(db_path)
    story = article()
    ids = []
    for n in range(10):
        writer = first if n % 2 else second
        ids.append(writer.add(annotate(story, "central bank", note=str(n))).id)
    assert sorted(a.id for a in AnnotationStore.open(db_path).all()) == sorted(ids)
    first.delete(ids[0])
    second.delete(ids[1])
    assert {a.id for a in first.all()} == set(ids[2:])


def test_read_only_refuses_to_write(db_path: Path) -> None:
    AnnotationStore.open(db_path).add(annotate(article(), "central bank"))
    reader = AnnotationStore.open(db_path, read_only=True)
    assert len(reader.all()) == 1
    with pytest.raises(ReadOnlyError):
        reader.add(annotate(article(), "Analysts"))


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    AnnotationStore.open(db_path).add(annotate(article(), "central bank"))
    data = json.loads(db_path.read_text())
    data["_meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    db_path.write_text(json.dumps(data))
    with pytest.raises(SchemaError, match="newer"):
        AnnotationStore.open(db_path)


def test_plain_tinydb_file_is_migrated(db_path: Path) -> None:
    made = [annotate(article(), "central bank"), annotate(article(), "Analysts")]
    with TinyDB(db_path) as plain:
        plain.insert_multiple(a.to_dict() for a in made)
        plain.table("settings").insert({"theme": "nord"})
    store = AnnotationStore.open(db_path)
    assert sorted(a.id for a in store.all()) == sorted(a.id for a in made)
    data = json.loads(db_path.read_text())
    assert data["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert data["settings"] == {"1": {"theme": "nord"}}
    assert "_default" not in data
    assert (db_path.parent / (db_path.name + ".v0-backup")).exists()
    assert len(AnnotationStore.open(db_path).all()) == 2


def test_read_only_does_not_migrate(db_path: Path) -> None:
    with TinyDB(db_path) as plain:
        plain.insert(annotate(article(), "central bank").to_dict())
    before = db_path.read_bytes()
    with pytest.raises(SchemaError, match="upgrade"):
        AnnotationStore.open(db_path, read_only=True)
    assert db_path.read_bytes() == before


def test_leftover_temp_files_are_removed_and_mode_kept(
    store: AnnotationStore, db_path: Path
) -> None:
    store.add(annotate(article(), "central bank"))
    bucket = bucket_files(db_path)[0]
    os.chmod(bucket, 0o600)
    leftover = bucket.with_name(f".{bucket.name}.1234.abcd.tmp")
    leftover.write_text("{half")
    again = AnnotationStore.open(db_path)
    assert not leftover.exists()
    again.add(annotate(article(), "Analysts"))
    assert stat.S_IMODE(os.stat(bucket).st_mode) == 0o600


def test_each_write_moves_the_mtime_forward(store: AnnotationStore, db_path: Path) -> None:
    made = store.add(annotate(article(), "central bank"))
    bucket = bucket_files(db_path)[0]
    seen = [os.stat(bucket).st_mtime_ns]
    for n in range(20):
        made.note = "ab"[n % 2]  # same size every time
        store.update(made)
        seen.append(os.stat(bucket).st_mtime_ns)
    assert seen == sorted(set(seen))


def test_a_held_lock_gives_a_clear_error(db_path: Path) -> None:
    store = AnnotationStore.open(db_path, lock_timeout=0.2)
    holder = filelock.FileLock(str(db_path) + ".lock")
    with holder, pytest.raises(DatabaseLockedError, match="another copydesk process"):
        store.add(annotate(article(), "central bank"))
    store.add(annotate(article(), "central bank"))


def test_leftovers_of_a_first_write_are_removed(db_path: Path) -> None:
    buckets = db_path.parent / (db_path.name + ".d")
    buckets.mkdir()
    leftover = buckets / ".00.json.99.beef.tmp"
    leftover.write_text("{")
    AnnotationStore.open(db_path)
    assert not leftover.exists()


def test_version_1_buckets_are_split_into_version_2(db_path: Path) -> None:
    """Version 1 kept an article's annotations in one `ab.json` bucket."""
    made = [annotate(article(), "central bank"), annotate(article(), "Analysts")]
    made.append(annotate(article("Other story text here.\n", "o.txt"), "story"))
    meta = {"_meta": {"1": {"schema_version": 1, "layout": "article-prefix-2"}}}
    db_path.write_text(json.dumps(meta))
    buckets = db_path.parent / (db_path.name + ".d")
    buckets.mkdir()
    for item in made:
        with TinyDB(buckets / f"{item.article_id[:2]}.json") as v1:
            v1.table("annotations").insert(item.to_dict())
    store = AnnotationStore.open(db_path)
    assert sorted(a.id for a in store.all()) == sorted(a.id for a in made)
    assert all(len(p.stem) == 3 for p in bucket_files(db_path))
    assert json.loads(db_path.read_text())["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert len(AnnotationStore.open(db_path).for_article(article().id)) == 2


def test_one_article_spreads_over_sixteen_buckets(store: AnnotationStore, db_path: Path) -> None:
    story = article()
    store.add_many(annotate(story, "central bank") for _ in range(200))
    assert 1 < len(bucket_files(db_path)) <= 16
    assert len(AnnotationStore.open(db_path).for_article(story.id)) == 200
