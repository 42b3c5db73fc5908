"""The annotation database: TinyDB files made durable, shared and fast enough.

Layout. A database is a small TinyDB file (the path `--db`, `COPYDESK_DB` or the
platform data dir names, e.g. `annotations.json`) holding only a `_meta` table with the
`schema_version`, plus a directory beside it, `annotations.json.d/`, of TinyDB files
called buckets: `000.json` ... `fff.json`. An annotation lives in the bucket named by
the first two hex digits of its article id (the article's SHA-256) and the first hex
digit of its own (random) id, so one article's annotations sit in at most 16 buckets
and the 4096 buckets share the database evenly.

Why buckets. TinyDB re-reads and re-serializes its whole file on every write; with
everything in one file an insert costs ~70 ms at 10k annotations and ~0.7 s at 50k.
Here a write rewrites one bucket, about 1/4096 of the data (1/16 of one article's
annotations however heavily that article is annotated), and listing an article's
annotations reads 16 small files, so both stay fast as the database grows.

Durability. Every change runs under one file lock (`annotations.json.lock`, filelock)
that serializes writers across processes. Under the lock the writer re-reads the bucket
if its (inode, size, mtime) changed since it last read it (another process wrote it),
applies the change through a fresh TinyDB instance (no stale cached document ids),
writes the new bucket to a temporary file, fsyncs it, atomically `os.replace`s the old
one and fsyncs the directory. Only then does the call return. A SIGKILL at any moment
leaves either the old or the new bucket, never half of one. Each bucket's mtime strictly
increases with every write, so (inode, size, mtime) can never repeat and a cached copy
is never mistaken for the current one. Readers take no lock: they see whole files.

Atomic changes. A user's action (`apply`: remove, edit and add at once) or an import
(`merge`) that touches several buckets is first written whole to a journal,
`annotations.json.d/pending/TOKEN.change.json` (or `.import.json`), then bucket by
bucket with one write each, and the journal is deleted. A writer killed midway leaves
the journal; the next writer, on taking the lock, finishes the change from it, so after
a crash the database holds all of a change or none of it. An import releases the lock
between batches of buckets (other writers get in) and holds its own owner lock, so that
only an abandoned import's journal is finished by someone else. Edits and removals name
the version they were made from, and are refused (`ConflictError`) if another process
changed it since: a newer version is never overwritten.

Corruption. A file that is not JSON, has the wrong shape, holds an invalid
annotation, or cannot be read at all (a directory, a symlink loop, permission denied)
raises `CorruptDatabaseError` naming it, and is never written over. Opened
`read_only`, the store skips such files (listing them in `problems`) and serves the rest;
`open_fresh_beside` renames each corrupt file to `NAME.corrupt-TIMESTAMP` (kept, for
recovery by hand) so that fresh, empty files take their place.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

import filelock
import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from annotations.model import (
    Annotation,
    AnnotationError,
    Motivation,
    format_time,
    now_iso,
    parse_time,
    stored_record,
    validate_record,
)

SCHEMA_VERSION = 2
"""1: 256 buckets keyed by article-id prefix. 2: 4096, adding the annotation id's first digit."""
LAYOUT = "article-2-annotation-1"
TABLE = "annotations"
"""The TinyDB table each bucket keeps its annotations in."""
META_TABLE = "_meta"
SEAL_TABLE = "_sealed"
"""The last table of each bucket the store writes: a digest of the bucket's name, the
schema and the rest of the file, so a read can tell the store's own writing (validated
when it came in) from a hand edit or another program's, and skip the per-record check."""
LOCK_TIMEOUT = 30.0
"""Seconds a writer waits for another process's write before giving up."""
LOCK_POLL = 0.005
"""Seconds between a waiting writer's tries for the lock (an import lets others in often)."""
IMPORT_HOLD = 0.25
"""Seconds an import holds the write lock at a time before letting other writers in."""
PENDING = "pending"
"""Folder of the bucket directory holding the journals of changes being written."""

_BUCKET = re.compile(r"[0-9a-f]{3}")
_V1_BUCKET = re.compile(r"[0-9a-f]{2}")
_HEX = "0123456789abcdef"
_T = TypeVar("_T")


class StoreError(Exception):
    """Something about the database stops the operation; the message is one line."""


class CorruptDatabaseError(StoreError):
    """A database file cannot be read as what it should be; it has been left untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: corrupt annotation database ({reason}); the file was left as is")


class DatabaseLockedError(StoreError):
    """Another process held the write lock for longer than `LOCK_TIMEOUT`."""


class ReadOnlyError(StoreError):
    """A write was attempted on a store opened read-only."""


class SchemaError(StoreError):
    """The database was written by a newer copydesk, or cannot be upgraded."""


class AnnotationNotFound(StoreError, KeyError):
    """No annotation has the given id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "annotation not found"


class DuplicateIdError(StoreError):
    """`add` was given an id that is already stored."""


class ConflictError(StoreError):
    """An annotation changed (or went) in the database since the caller read it.

    Nothing was written: the newer version stays, and the caller should read it again.
    """


@dataclass(frozen=True, slots=True)
class CorruptFile:
    """One unreadable file: where it is and why."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What `merge` did with each incoming annotation."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_newer: int = 0
    """Already stored with a later `modified` time: the stored one was kept."""


Signature = tuple[int, int, int]
"""(inode, size, mtime_ns): changes whenever a file is replaced."""


@dataclass
class _File:
    """The cached, validated content of one TinyDB file of the database."""

    path: Path
    signature: Signature | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    """The file's JSON as TinyDB reads and writes it."""
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Annotation id -> validated, normalized dict (buckets only)."""
    doc_ids: dict[str, int] = field(default_factory=dict)
    """Annotation id -> TinyDB document id."""


class _AtomicStorage(Storage):
    """TinyDB storage over one cached file: reads from the cache, writes durably."""

    def __init__(self, store: AnnotationStore, state: _File) -> None:
        self._store = store
        self._state = state

    def read(self) -> dict[str, Any] | None:
        return self._state.raw or None

    def write(self, data: dict[str, Any]) -> None:
        self._store._write_file(self._state, data)

    def close(self) -> None:
        pass


class _DeferredStorage(_AtomicStorage):
    """`_AtomicStorage` that keeps TinyDB's writes in memory until `flush`, so several
    operations on one bucket (remove, update, insert) reach the disk as one write."""

    def __init__(self, store: AnnotationStore, state: _File) -> None:
        super().__init__(store, state)
        self.pending: dict[str, Any] | None = None

    def write(self, data: dict[str, Any]) -> None:
        self._state.raw = data
        self.pending = data

    def flush(self) -> None:
        if self.pending is not None:
            self._store._write_file(self._state, self.pending)
            self.pending = None


@dataclass
class _BucketOps:
    """What one change does to one bucket: ids to remove, records to store as given,
    records to merge (stored unless a version as new or newer is there already)."""

    remove: set[str] = field(default_factory=set)
    put: dict[str, dict[str, Any]] = field(default_factory=dict)
    merge: list[dict[str, Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.remove or self.put or self.merge)


class AnnotationStore:
    """Annotations on disk. Every mutating call is durable when it returns.

    Safe to share between threads of one process and between processes. Returned
    annotations are copies: change one and pass it to `update` to save it.
    """

    def __init__(
        self, path: Path, *, read_only: bool = False, lock_timeout: float = LOCK_TIMEOUT
    ) -> None:
        """Use `AnnotationStore.open`; this does not touch the disk."""
        self.path = Path(path)
        self.read_only = read_only
        self.bucket_dir = self.path.with_name(self.path.name + ".d")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.problems: list[CorruptFile] = []
        """Files skipped because they are corrupt (read-only stores only)."""
        self.set_aside: list[Path] = []
        """Where `open_fresh_beside` moved corrupt files."""
        self.recovered: list[str] = []
        """Changes and imports a killed writer left half-written, finished by this store."""
        self._lock = threading.RLock()
        self._file_lock = filelock.FileLock(
            str(self.lock_path), timeout=lock_timeout, thread_local=False
        )
        self.lock_timeout = lock_timeout
        self._meta = _File(self.path)
        self._buckets: dict[str, _File] = {}

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> AnnotationStore:
        """Open (not yet create) the database at `path`.

        Raises `CorruptDatabaseError` if its main file is corrupt (buckets are checked when
        first read) and `SchemaError` if it comes from a newer copydesk. A database with an
        older schema is upgraded here, unless `read_only`.
        """
        store = cls(Path(path), read_only=read_only, lock_timeout=lock_timeout)
        with store._lock:
            store._read_meta()
            if not read_only and (
                store.path.exists() or store.bucket_dir.exists() or store._has_temp_files()
            ):
                with store._locked():
                    store._remove_temp_files()
                    store._read_meta()
                    store._migrate()
                    _remove_v1_leftovers(store)
            elif read_only and store._stored_version() < SCHEMA_VERSION:
                raise SchemaError(
                    f"{store.path}: database schema {store._stored_version()} needs an upgrade;"
                    " open it once without read-only"
                )
        return store

    @classmethod
    def open_fresh_beside(cls, path: str | os.PathLike[str]) -> AnnotationStore:
        """Open for writing after renaming each corrupt file to `NAME.corrupt-TIMESTAMP`.

        The renamed files are kept (see `set_aside`); empty files take their place, and
        every intact bucket stays in use.
        """
        store = cls(Path(path))
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        with store._lock, store._locked():
            store._remove_temp_files()
            for problem in store._scan():
                target = problem.path.with_name(f"{problem.path.name}.corrupt-{stamp}")
                counter = 1
                while target.exists():
                    counter += 1
                    target = problem.path.with_name(
                        f"{problem.path.name}.corrupt-{stamp}-{counter}"
                    )
                os.rename(problem.path, target)
                _fsync_dir(target.parent)
                store.set_aside.append(target)
            store._meta = _File(store.path)
            store._buckets.clear()
            store._read_meta()
            store._migrate()
            _remove_v1_leftovers(store)
        return store

    def check(self) -> list[CorruptFile]:
        """Read every file of the database and report the corrupt ones (nothing raises)."""
        with self._lock, _paused_gc():
            return self._scan()

    def close(self) -> None:
        """Drop cached data. Nothing needs flushing: every write is already on disk."""
        with self._lock:
            self._buckets.clear()

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ---------------------------------------------------------------- reading

    def get(self, annotation_id: str, *, article_id: str | None = None) -> Annotation | None:
        """The annotation with this id, or None; `article_id` narrows the search to one bucket."""
        with self._lock:
            if article_id is None:
                buckets = self._existing_buckets()
            else:
                buckets = [bucket_of({"article_id": article_id, "id": annotation_id})]
            for bucket in buckets:
                record = self._bucket(bucket).records.get(annotation_id)
                if record is not None:
                    return Annotation._trusted(record)
            return None

    def all(self) -> list[Annotation]:
        """Every annotation, oldest first."""
        return self.query()

    def for_article(self, article_id: str) -> list[Annotation]:
        """One article's annotations, oldest first (reads one bucket)."""
        return self.query(article_ids=[article_id])

    def for_source(self, source_hint: str) -> list[Annotation]:
        """Annotations made on any version of the article loaded from `source_hint`.

        Use it to find annotations whose article has since changed (its id changed with
        its text); they then need `anchoring.anchor`. Reads every bucket.
        """
        with self._lock, _paused_gc():
            records = [
                record
                for bucket in self._existing_buckets()
                for record in self._bucket(bucket).records.values()
                if record["source_hint"] == source_hint
            ]
            return _sorted_annotations(records)

    def query(
        self,
        *,
        tag: str | None = None,
        author: str | None = None,
        article_ids: Iterable[str] | None = None,
        motivation: Motivation | str | None = None,
    ) -> list[Annotation]:
        """Annotations matching every filter given, oldest first."""
        wanted_articles = None if article_ids is None else set(article_ids)
        wanted_motivation = None if motivation is None else str(Motivation(motivation))
        with self._lock, _paused_gc():
            if wanted_articles is None:
                buckets: Iterable[str] = self._existing_buckets()
            else:
                buckets = sorted(
                    {b for article in wanted_articles for b in article_buckets(article)}
                )
            records = [
                record
                for bucket in buckets
                for record in self._bucket(bucket).records.values()
                if (wanted_articles is None or record["article_id"] in wanted_articles)
                and (tag is None or tag in record["tags"])
                and (author is None or record["author"] == author)
                and (wanted_motivation is None or record["motivation"] == wanted_motivation)
            ]
            return _sorted_annotations(records)

    def records(self) -> list[dict[str, Any]]:
        """Every stored record, in no set order, without building annotations (what
        `annotations.lazy.StoredAnnotations` builds them from, as they are read). The
        records are the store's cache: do not change them. The store never changes one
        in place either (an update stores a new record), so they stay as read."""
        with self._lock, _paused_gc():
            return [
                record
                for bucket in self._existing_buckets()
                for record in self._bucket(bucket).records.values()
            ]

    def iter_records(
        self, *, tag: str | None = None, author: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """The stored records matching the filters (as `query`), bucket by bucket, in no
        set order: for commands that write everything as they read it.

        A bucket that was not cached already is read, checked and dropped again, so
        memory holds one bucket at a time. The records are the store's: do not change them.
        """
        for bucket in self._existing_buckets():
            yield from self._bucket_records(bucket, tag, author)

    def _bucket_records(
        self, bucket: str, tag: str | None, author: str | None
    ) -> list[dict[str, Any]]:
        with self._lock, _paused_gc():
            cached = bucket in self._buckets
            records = self._bucket(bucket).records.values()
            if not cached:
                self._buckets.pop(bucket, None)
            return [
                record
                for record in records
                if (tag is None or tag in record["tags"])
                and (author is None or record["author"] == author)
            ]

    def count(self) -> int:
        with self._lock, _paused_gc():
            return sum(len(self._bucket(b).records) for b in self._existing_buckets())

    def tags(self) -> list[tuple[str, int]]:
        """Each tag with how many annotations carry it, most used first."""
        return self._tally(lambda record: record["tags"])

    def authors(self) -> list[tuple[str, int]]:
        """Each author with how many annotations they wrote, most prolific first."""
        return self._tally(lambda record: [record["author"]])

    def article_ids(self) -> list[tuple[str, int]]:
        """Each annotated article id with its number of annotations, most annotated first."""
        return self._tally(lambda record: [record["article_id"]])

    # ---------------------------------------------------------------- writing

    def add(self, annotation: Annotation) -> Annotation:
        """Store a new annotation (durably) and return a copy of what was stored."""
        record = validate_record(annotation.to_dict())

        def insert(table: Table, state: _File) -> None:
            if record["id"] in state.records:
                raise DuplicateIdError(f"annotation {record['id']} is already stored")
            doc_id = table.insert(record)
            state.records[record["id"]] = record
            state.doc_ids[record["id"]] = doc_id

        self._change(bucket_of(record), insert)
        return Annotation._trusted(record)

    def add_many(self, annotations: Iterable[Annotation]) -> int:
        """Store new annotations in one atomic change (one write per bucket); returns how many.

        Raises `DuplicateIdError` (before writing anything) if an id is already stored.
        """
        records = [validate_record(a.to_dict()) for a in annotations]
        with self._lock, self._locked():
            by_bucket = _group(records)
            for bucket, group in by_bucket.items():
                state = self._bucket(bucket)
                for record in group:
                    if record["id"] in state.records:
                        raise DuplicateIdError(f"annotation {record['id']} is already stored")
            self._commit(
                {b: _BucketOps(put={r["id"]: r for r in group}) for b, group in by_bucket.items()}
            )
        return len(records)

    def update(self, annotation: Annotation) -> Annotation:
        """Save changes to a stored annotation; `modified` is set to now. Returns the copy stored.

        The article id cannot change (delete and add instead).
        """
        annotation.validate()

        def replace(table: Table, state: _File) -> dict[str, Any]:
            current = state.records.get(annotation.id)
            if current is None:
                raise AnnotationNotFound(f"no annotation {annotation.id} in this article's bucket")
            record = annotation.to_dict()
            record["created"] = current["created"]
            record["modified"] = _later_than(current["modified"])
            record = validate_record(record)
            _detach(state, [annotation.id])
            table.update(_replace_with(record), doc_ids=[state.doc_ids[annotation.id]])
            state.records[annotation.id] = record
            return record

        bucket = bucket_of(annotation.to_dict())
        return Annotation._trusted(self._change(bucket, replace))

    def delete(self, annotation_id: str, *, article_id: str | None = None) -> Annotation:
        """Remove an annotation durably and return it (add it again to undo)."""
        with self._lock:
            found = self.get(annotation_id, article_id=article_id)
            if found is None:
                raise AnnotationNotFound(f"no annotation with id {annotation_id}")

            def remove(table: Table, state: _File) -> dict[str, Any]:
                record = state.records.get(annotation_id)
                if record is None:
                    raise AnnotationNotFound(f"no annotation with id {annotation_id}")
                table.remove(doc_ids=[state.doc_ids[annotation_id]])
                del state.records[annotation_id]
                del state.doc_ids[annotation_id]
                return record

            return Annotation._trusted(self._change(bucket_of(found.to_dict()), remove))

    # ------------------------------------------------------- atomic changes

    def apply(
        self,
        *,
        remove: Iterable[Annotation] = (),
        update: Iterable[tuple[Annotation, Annotation]] = (),
        add: Iterable[Annotation] = (),
    ) -> list[Annotation]:
        """Remove, update and add annotations as one atomic, durable change.

        After a crash at any moment the database holds all of the change or none of it.
        `remove`, and the first of each `update` pair `(as read, as edited)`, are the
        versions the caller read: if the stored one has another `modified` time (another
        process changed it since) or is gone, `ConflictError` says so and nothing is
        written. Returns the stored versions of the edited annotations (`modified` now).
        """
        removals, updates = list(remove), list(update)
        additions = [validate_record(a.to_dict()) for a in add]
        for _, edited in updates:
            edited.validate()
        stored: list[dict[str, Any]] = []
        with self._lock, self._locked():
            self._ensure_meta()
            ops: dict[str, _BucketOps] = {}
            for seen in removals:
                bucket = bucket_of(seen.to_dict())
                self._current(seen, bucket)
                ops.setdefault(bucket, _BucketOps()).remove.add(seen.id)
            for seen, edited in updates:
                if (edited.id, edited.article_id) != (seen.id, seen.article_id):
                    raise StoreError(
                        f"annotation {seen.id}: an edit cannot change its id or article"
                    )
                bucket = bucket_of(seen.to_dict())
                current = self._current(seen, bucket)
                record = edited.to_dict()
                record["created"] = current["created"]
                record["modified"] = _later_than(current["modified"])
                record = validate_record(record)
                ops.setdefault(bucket, _BucketOps()).put[record["id"]] = record
                stored.append(record)
            for record in additions:
                bucket = bucket_of(record)
                bucket_ops = ops.setdefault(bucket, _BucketOps())
                if record["id"] in self._bucket(bucket).records or record["id"] in bucket_ops.put:
                    raise DuplicateIdError(f"annotation {record['id']} is already stored")
                bucket_ops.put[record["id"]] = record
            self._commit(ops)
        return [Annotation._trusted(record) for record in stored]

    def merge(self, annotations: Iterable[Annotation]) -> MergeResult:
        """Import: add unknown ids, replace stored ones that are older, keep the rest.

        Ids, authors and times are kept as given, so importing a file twice adds nothing.
        All or nothing: the whole import is first written to a journal, then bucket by
        bucket, holding the write lock for at most about `IMPORT_HOLD` seconds at a time
        so that other writers get in. If the import is killed midway, the next writer (any
        copydesk opening the database for writing) finishes it from the journal.
        """
        records = [validate_record(a.to_dict()) for a in annotations]
        ops = {bucket: _BucketOps(merge=group) for bucket, group in _group(records).items()}
        counts: Counter[str] = Counter()
        if len(ops) <= 1:
            with self._lock, self._locked():
                self._ensure_meta()
                for bucket, bucket_ops in ops.items():
                    counts.update(self._change_once(bucket, _applier(bucket_ops)))
            return _merge_result(counts)
        pending = self.bucket_dir / PENDING
        token = secrets.token_hex(8)
        journal = pending / f"{token}.import.json"
        owner = filelock.FileLock(str(pending / f"{token}.import.lock"), thread_local=False)
        with self._lock:
            with self._locked():
                self._ensure_meta()
                _ensure_dir(pending)
                owner.acquire(timeout=0)
                try:
                    _atomic_write(journal, _journal_payload(ops), mode_from=self.path)
                except BaseException:
                    _release_owner(owner)
                    raise
            remaining = sorted(ops)
            try:
                while remaining:
                    with self._locked():
                        held = time.monotonic()
                        done: list[str] = []
                        while remaining and (not done or time.monotonic() - held < IMPORT_HOLD):
                            bucket = remaining[0]
                            counts.update(self._change_once(bucket, _applier(ops[bucket])))
                            done.append(remaining.pop(0))
                        if remaining:
                            _append_done(journal, done)
                        else:
                            _remove_journal(journal)
                    if remaining:
                        time.sleep(LOCK_POLL * 2)  # let a waiting writer take the lock
            except BaseException as error:
                written = len(ops) - len(remaining)
                raise StoreError(
                    f"{self.path}: import interrupted after {written} of {len(ops)} database "
                    f"files ({_os_reason(error) if isinstance(error, OSError) else error}); the "
                    "rest is kept in a journal and is written the next time copydesk writes "
                    "to this database (or run the same import again)"
                ) from error
            finally:
                _release_owner(owner)
        return _merge_result(counts)

    def changed_buckets(self) -> dict[str, tuple[set[str], set[str]]]:
        """Buckets another process rewrote since this store last read them, re-read now.

        For each: the article ids of its annotations before and after. Cheap when nothing
        changed (one `stat` per bucket); the reader calls it to see others' writes.
        """
        changed: dict[str, tuple[set[str], set[str]]] = {}
        with self._lock:
            names = set(self._existing_buckets()) | set(self._buckets)
            for bucket in sorted(names):
                before = self._buckets.get(bucket)
                signature = before.signature if before is not None else None
                old = {r["article_id"] for r in before.records.values()} if before else set()
                state = self._bucket(bucket)
                if state is before and state.signature == signature:
                    continue
                new = {r["article_id"] for r in state.records.values()}
                if old or new:
                    changed[bucket] = (old, new)
        return changed

    def unfinished(self) -> list[Path]:
        """Journals of changes a killed writer left (finished by the next writer; a
        read-only store shows the database without them)."""
        pending = self.bucket_dir / PENDING
        try:
            names = sorted(os.listdir(pending))
        except OSError:
            return []
        return [pending / n for n in names if n.endswith((".change.json", ".import.json"))]

    def _current(self, seen: Annotation, bucket: str) -> dict[str, Any]:
        """The stored version of `seen`, if it is still the one the caller read."""
        current = self._bucket(bucket).records.get(seen.id)
        if current is None:
            raise ConflictError(
                f"annotation {seen.id} was removed from the database since it was read "
                "(by another copydesk?); nothing was saved"
            )
        if current["modified"] != seen.modified:
            raise ConflictError(
                f"annotation {seen.id} was changed in the database at {current['modified']}, "
                "after it was read (by another copydesk?); nothing was saved and the newer "
                "version is kept"
            )
        return current

    def _commit(self, ops: dict[str, _BucketOps]) -> None:
        """Write each bucket's part of a change once (we hold the lock).

        A change touching more than one bucket is first written whole to a journal; a
        crash midway is then finished by the next writer (`_finish_pending`). A failure
        midway (a full disk) restores the buckets already written, so nothing changed.
        """
        ops = {bucket: bucket_ops for bucket, bucket_ops in ops.items() if bucket_ops}
        if len(ops) <= 1:
            for bucket, bucket_ops in ops.items():
                self._change_once(bucket, _applier(bucket_ops))
            return
        journal = self.bucket_dir / PENDING / f"{secrets.token_hex(8)}.change.json"
        _atomic_write(journal, _journal_payload(ops), mode_from=self.path)
        written: list[tuple[Path, bytes | None]] = []
        try:
            for bucket, bucket_ops in sorted(ops.items()):
                state = self._bucket(bucket)
                previous = _dump(state.raw) if state.signature is not None else None
                self._change_once(bucket, _applier(bucket_ops))
                written.append((state.path, previous))
        except BaseException as error:
            self._roll_back(journal, written, error)
            raise
        _remove_journal(journal)

    def _roll_back(
        self, journal: Path, written: list[tuple[Path, bytes | None]], error: BaseException
    ) -> None:
        """Put back the buckets a failed change had written, then drop its journal."""
        try:
            for path, previous in reversed(written):
                self._buckets.pop(path.stem, None)
                if previous is None:
                    path.unlink(missing_ok=True)
                    _fsync_dir(path.parent)
                else:
                    _atomic_write(path, previous, mode_from=self.path)
            _remove_journal(journal)
        except OSError as undo_error:
            raise StoreError(
                f"{self.path}: a change failed midway ({error}) and could not be undone "
                f"({_os_reason(undo_error)}); it is kept in {journal} and is completed the "
                "next time copydesk writes to this database"
            ) from error

    def _change_once(self, bucket: str, change: Callable[[Table, _File], _T]) -> _T:
        """Like `_change`, but every TinyDB operation of `change` goes into one write."""
        with self._lock, self._locked():
            state = self._bucket(bucket)
            database = TinyDB(store=self, state=state, storage=_DeferredStorage)
            try:
                result = change(database.table(TABLE), state)
                database.storage.flush()  # type: ignore[attr-defined]
                return result
            except BaseException:
                self._buckets.pop(bucket, None)
                raise

    def _finish_pending(self) -> None:
        """Finish changes and imports whose writer was killed midway (we hold the lock).

        A change journal found now is always abandoned (its writer held the lock for its
        whole life); an import's is abandoned only if nobody holds its owner lock.
        """
        pending = self.bucket_dir / PENDING
        try:
            names = sorted(os.listdir(pending))
        except (FileNotFoundError, NotADirectoryError):
            return
        for name in names:
            if name.endswith(".change.json"):
                ops = _read_journal(pending / name)
                for bucket, bucket_ops in sorted(ops.items()):
                    self._change_once(bucket, _applier(bucket_ops))
                _remove_journal(pending / name)
                self.recovered.append("finished a change interrupted by a crash")
            elif name.endswith(".import.lock") and name[: -len(".lock")] + ".json" not in names:
                # An importer killed before its journal was written: nothing to finish.
                owner = filelock.FileLock(str(pending / name), thread_local=False)
                with contextlib.suppress(filelock.Timeout):
                    owner.acquire(timeout=0)
                    _release_owner(owner)
            elif name.endswith(".import.json"):
                owner = filelock.FileLock(
                    str(pending / (name[: -len(".json")] + ".lock")), thread_local=False
                )
                try:
                    owner.acquire(timeout=0)
                except filelock.Timeout:
                    continue  # its importer is still at work
                try:
                    ops = _read_journal(pending / name)
                    finished = _done_buckets(pending / name)
                    for bucket, bucket_ops in sorted(ops.items()):
                        if bucket not in finished:
                            self._change_once(bucket, _applier(bucket_ops))
                    count = sum(len(bucket_ops.merge) for bucket_ops in ops.values())
                    _remove_journal(pending / name)
                    self.recovered.append(
                        f"finished an import of {count} annotation(s) that was interrupted"
                    )
                finally:
                    _release_owner(owner)

    # -------------------------------------------------------------- internals

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: opened read-only; nothing was written")
        _ensure_dir(self.path.parent)
        try:
            self._file_lock.acquire(poll_interval=LOCK_POLL)
        except filelock.Timeout as error:
            raise DatabaseLockedError(
                f"{self.path}: another copydesk process has held the database lock for "
                f"{self.lock_timeout:g} s; try again"
            ) from error
        try:
            if self._file_lock.lock_counter == 1 and self._stored_version() == SCHEMA_VERSION:
                self._finish_pending()
            yield
        finally:
            self._file_lock.release()

    def _change(
        self, bucket: str, change: Callable[[Table, _File], _T], *, migrating: bool = False
    ) -> _T:
        """Run `change` on a bucket's table under the write lock, with fresh data.

        Migrations pass `migrating` (they write the main file last, themselves).
        """
        with self._lock, self._locked():
            if not migrating:
                self._ensure_meta()
            state = self._bucket(bucket)
            database = TinyDB(store=self, state=state, storage=_AtomicStorage)
            try:
                return change(database.table(TABLE), state)
            except BaseException:
                # TinyDB may have changed the cached dicts before failing: read again next time.
                self._buckets.pop(bucket, None)
                raise

    def _write_file(self, state: _File, data: dict[str, Any]) -> None:
        """Write `data` to `state.path` atomically and durably, then update the cache. A
        bucket is sealed (`SEAL_TABLE`), whatever seal it was read with dropped."""
        data.pop(SEAL_TABLE, None)
        payload = _dump(data)
        if state.path.parent == self.bucket_dir and _BUCKET.fullmatch(state.path.stem):
            payload = _seal(state.path.stem, payload)
        state.signature = _atomic_write(state.path, payload, mode_from=self.path)
        state.raw = data

    def _bucket(self, bucket: str) -> _File:
        """A bucket's content, re-read only if the file changed since it was cached."""
        state = self._buckets.get(bucket)
        path = self.bucket_dir / f"{bucket}.json"
        if state is None:
            state = self._buckets[bucket] = _File(path)
        try:
            signature = _signature(os.stat(path))
        except FileNotFoundError:
            if state.signature is not None or state.raw:
                state = self._buckets[bucket] = _File(path)
            return state
        except OSError as error:  # a symlink loop, a directory we may not search
            problem = CorruptFile(path, f"cannot be read ({_os_reason(error)})")
            if not self.read_only:
                raise CorruptDatabaseError(path, problem.reason) from error
            self._note_problem(problem)
            state = self._buckets[bucket] = _File(path)
            return state
        if signature == state.signature:
            return state
        try:
            fresh = _load_bucket_file(path, bucket)
        except CorruptDatabaseError as error:
            if not self.read_only:
                raise
            self._note_problem(CorruptFile(path, error.reason))
            fresh = _File(path, signature=signature)
        self._buckets[bucket] = fresh
        return fresh

    def _existing_buckets(self) -> list[str]:
        try:
            names = os.listdir(self.bucket_dir)
        except FileNotFoundError:
            return []
        return sorted(n[:-5] for n in names if n.endswith(".json") and _BUCKET.fullmatch(n[:-5]))

    def _tally(self, keys: Callable[[dict[str, Any]], Iterable[str]]) -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        with self._lock, _paused_gc():
            for bucket in self._existing_buckets():
                for record in self._bucket(bucket).records.values():
                    counts.update(keys(record))
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def _note_problem(self, problem: CorruptFile) -> None:
        if all(p.path != problem.path for p in self.problems):
            self.problems.append(problem)

    def _read_meta(self) -> None:
        try:
            signature = _signature(os.stat(self.path))
        except FileNotFoundError:
            self._meta = _File(self.path)
            return
        if signature == self._meta.signature:
            return
        try:
            self._meta = _load_meta_file(self.path)
        except CorruptDatabaseError as error:
            if not self.read_only or not self.bucket_dir.is_dir():
                raise
            # Read-only: the annotations live in the buckets; serve those that are intact.
            self._note_problem(CorruptFile(self.path, error.reason))
            self._meta = _File(self.path, signature=signature)
            return
        version = self._stored_version()
        if version > SCHEMA_VERSION:
            raise SchemaError(
                f"{self.path}: written by a newer copydesk (schema {version}, this one reads "
                f"up to {SCHEMA_VERSION}); upgrade copydesk"
            )

    def _stored_version(self) -> int:
        meta = self._meta.raw.get(META_TABLE)
        if not meta:
            return SCHEMA_VERSION if not self._meta.raw else 0
        return int(next(iter(meta.values()))["schema_version"])

    def _ensure_meta(self) -> None:
        """Create the main file on first write; refuse if another process upgraded it."""
        self._read_meta()
        if self._meta.signature is None:
            self._write_meta({})
        elif self._stored_version() != SCHEMA_VERSION:
            raise SchemaError(f"{self.path}: schema {self._stored_version()} changed underneath")

    def _write_meta(self, other_tables: dict[str, Any]) -> None:
        """Write the main file: the `_meta` table (one write) plus any tables to keep."""
        meta = {"schema_version": SCHEMA_VERSION, "layout": LAYOUT, "created": now_iso()}
        state = _File(self.path, raw=dict(other_tables))
        TinyDB(store=self, state=state, storage=_AtomicStorage).table(META_TABLE).insert(meta)
        self._meta = state

    def _migrate(self) -> None:
        """Upgrade an older database in place (called under the write lock)."""
        version = self._stored_version()
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](self)
            self._read_meta()
            version = self._stored_version()

    def _temp_files(self) -> Iterator[Path]:
        """Temporary files a writer leaves only if it is killed before its rename."""
        for directory, pattern in (
            (self.path.parent, f".{self.path.name}.*.tmp"),
            (self.bucket_dir, ".*.tmp"),
            (self.bucket_dir / PENDING, ".*.tmp"),
        ):
            if directory.is_dir():
                yield from directory.glob(pattern)

    def _has_temp_files(self) -> bool:
        """Whether a killed write left temporary files, even one killed in the very first
        write, before the main file or the bucket directory existed."""
        return next(self._temp_files(), None) is not None

    def _remove_temp_files(self) -> None:
        """Delete temporary files left by a writer that was killed (we hold the lock)."""
        for leftover in list(self._temp_files()):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()

    def _scan(self) -> list[CorruptFile]:
        problems: list[CorruptFile] = []
        if self.path.exists():
            try:
                _load_meta_file(self.path)
            except CorruptDatabaseError as error:
                problems.append(CorruptFile(self.path, error.reason))
        if self._stored_version() == 1:
            for path in _v1_bucket_files(self.bucket_dir):
                try:
                    _load_bucket_file(path, path.stem, key=lambda record: record["article_id"][:2])
                except CorruptDatabaseError as error:
                    problems.append(CorruptFile(path, error.reason))
        for bucket in self._existing_buckets():
            path = self.bucket_dir / f"{bucket}.json"
            try:
                self._buckets[bucket] = _load_bucket_file(path, bucket)
            except CorruptDatabaseError as error:
                problems.append(CorruptFile(path, error.reason))
            except FileNotFoundError:
                continue
        return problems


# ------------------------------------------------------------------ migrations


def _migrate_plain_tinydb(store: AnnotationStore) -> None:
    """Version 0, a plain TinyDB file (annotations in `_default` or `annotations`), becomes
    the current layout.

    The original is kept as `NAME.v0-backup`; buckets are written first, so a crash
    midway leaves the old file intact and re-running the upgrade finishes the job.
    """
    raw = store._meta.raw
    records: list[dict[str, Any]] = []
    for table_name in ("_default", TABLE):
        table = raw.get(table_name) or {}
        for doc_id, doc in table.items():
            try:
                records.append(validate_record(doc))
            except AnnotationError as error:
                raise CorruptDatabaseError(
                    store.path, f"table {table_name!r} document {doc_id}: {error}"
                ) from error
    backup = store.path.with_name(store.path.name + ".v0-backup")
    if not backup.exists():
        _atomic_write(backup, store.path.read_bytes(), mode_from=store.path)
    _copy_into_buckets(store, records)
    others = {k: v for k, v in raw.items() if k not in ("_default", TABLE, META_TABLE)}
    store._write_meta(others)


def _migrate_1_to_2(store: AnnotationStore) -> None:
    """256 buckets (`ab.json`) become 4096 (`abc.json`).

    New buckets are written first (skipping ids already copied), then the main file
    says version 2, then the old buckets go; a crash at any point is finished by the
    next upgrade or by `_remove_v1_leftovers`.
    """
    records: list[dict[str, Any]] = []
    old_files = _v1_bucket_files(store.bucket_dir)
    for path in old_files:
        state = _load_bucket_file(path, path.stem, key=lambda record: record["article_id"][:2])
        records.extend(state.records.values())
    _copy_into_buckets(store, records)
    others = {k: v for k, v in store._meta.raw.items() if k != META_TABLE}
    store._write_meta(others)
    _remove_v1_leftovers(store)


def _v1_bucket_files(bucket_dir: Path) -> list[Path]:
    if not bucket_dir.is_dir():
        return []
    return sorted(
        bucket_dir / name
        for name in os.listdir(bucket_dir)
        if name.endswith(".json") and _V1_BUCKET.fullmatch(name[:-5])
    )


def _remove_v1_leftovers(store: AnnotationStore) -> None:
    """Delete version-1 buckets once the main file says version 2 (all were copied)."""
    for path in _v1_bucket_files(store.bucket_dir):
        path.unlink()
    _fsync_dir(store.bucket_dir)


def _copy_into_buckets(store: AnnotationStore, records: list[dict[str, Any]]) -> None:
    for bucket, group in _group(records).items():
        state = store._bucket(bucket)
        fresh = [r for r in group if r["id"] not in state.records]
        if fresh:
            store._change(bucket, _inserter(fresh), migrating=True)


MIGRATIONS: dict[int, Callable[[AnnotationStore], None]] = {
    0: _migrate_plain_tinydb,
    1: _migrate_1_to_2,
}
"""From-version -> function that upgrades the database (under the lock) by one version."""


# --------------------------------------------------------------------- helpers


def _inserter(records: Sequence[dict[str, Any]]) -> Callable[[Table, _File], None]:
    def insert(table: Table, state: _File) -> None:
        doc_ids = table.insert_multiple(records)
        for record, doc_id in zip(records, doc_ids, strict=True):
            state.records[record["id"]] = record
            state.doc_ids[record["id"]] = doc_id

    return insert


def _replacer(records: dict[str, dict[str, Any]]) -> Callable[[Table, _File], None]:
    def replace(table: Table, state: _File) -> None:
        _detach(state, records)
        table.update(_by_id(records), doc_ids=[state.doc_ids[i] for i in records])
        state.records.update(records)

    return replace


def _by_id(records: dict[str, dict[str, Any]]) -> Callable[[dict[str, Any]], None]:
    def transform(document: dict[str, Any]) -> None:
        replacement = records[document["id"]]
        document.clear()
        document.update(replacement)

    return transform


def _applier(ops: _BucketOps) -> Callable[[Table, _File], Counter[str]]:
    """Apply one bucket's operations (idempotent: a replayed journal changes nothing more).

    Counts what merging did: `added`, `updated`, `unchanged`, `kept_newer`."""

    def apply(table: Table, state: _File) -> Counter[str]:
        counts: Counter[str] = Counter()
        gone = [i for i in ops.remove if i in state.doc_ids]
        if gone:
            table.remove(doc_ids=[state.doc_ids[i] for i in gone])
            for annotation_id in gone:
                del state.records[annotation_id]
                del state.doc_ids[annotation_id]
        puts = dict(ops.put)
        added: set[str] = set()
        updated: set[str] = set()
        for record in ops.merge:
            key = record["id"]
            current = puts.get(key) or state.records.get(key)
            if current is None:
                added.add(key)
            elif current == record:
                counts["unchanged"] += 1
                continue
            elif parse_time(record["modified"]) <= parse_time(current["modified"]):
                counts["kept_newer"] += 1
                continue
            elif key not in added:
                updated.add(key)
            puts[key] = record
        counts["added"] += len(added)
        counts["updated"] += len(updated)
        replace = {i: r for i, r in puts.items() if i in state.records}
        new = [r for i, r in puts.items() if i not in state.records]
        if replace:
            _detach(state, replace)
            table.update(_by_id(replace), doc_ids=[state.doc_ids[i] for i in replace])
            state.records.update(replace)
        if new:
            _inserter(new)(table, state)
        return counts

    return apply


def _merge_result(counts: Counter[str]) -> MergeResult:
    return MergeResult(
        counts["added"], counts["updated"], counts["unchanged"], counts["kept_newer"]
    )


def _dump(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _journal_payload(ops: dict[str, _BucketOps]) -> bytes:
    """A whole change as JSON: per bucket, the ids to remove and the records to store."""
    return _dump(
        {
            "format": "copydesk-pending-change",
            "version": 1,
            "buckets": {
                bucket: {
                    "remove": sorted(bucket_ops.remove),
                    "put": list(bucket_ops.put.values()),
                    "merge": bucket_ops.merge,
                }
                for bucket, bucket_ops in ops.items()
            },
        }
    )


def _read_journal(path: Path) -> dict[str, _BucketOps]:
    """The change a journal holds; `CorruptDatabaseError` if it is not one."""
    data, _ = _read_json(path)
    buckets = data.get("buckets") if isinstance(data, dict) else None
    if not isinstance(buckets, dict):
        raise CorruptDatabaseError(path, "not a copydesk journal")
    ops: dict[str, _BucketOps] = {}
    try:
        for bucket, part in buckets.items():
            if not _BUCKET.fullmatch(bucket):
                raise CorruptDatabaseError(path, f"bad bucket name {bucket[:10]!r}")
            put = [validate_record(r) for r in part["put"]]
            merge = [validate_record(r) for r in part["merge"]]
            if any(bucket_of(r) != bucket for r in (*put, *merge)):
                raise CorruptDatabaseError(path, f"a record does not belong in bucket {bucket}")
            ops[bucket] = _BucketOps(
                remove={str(i) for i in part["remove"]}, put={r["id"]: r for r in put}, merge=merge
            )
    except (AnnotationError, KeyError, TypeError, AttributeError) as error:
        raise CorruptDatabaseError(path, f"not a copydesk journal ({error})") from error
    return ops


def _append_done(journal: Path, buckets: list[str]) -> None:
    """Record durably that an import has written these buckets (so a resume skips them)."""
    fd = os.open(journal.with_suffix(".done"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
    try:
        os.write(fd, "".join(f"{bucket}\n" for bucket in buckets).encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _done_buckets(journal: Path) -> set[str]:
    try:
        lines = journal.with_suffix(".done").read_text("ascii", "replace").split("\n")
    except FileNotFoundError:
        return set()
    return {line for line in lines if _BUCKET.fullmatch(line)}


def _remove_journal(journal: Path) -> None:
    """The change is complete: drop its journal (and an import's progress file)."""
    journal.with_suffix(".done").unlink(missing_ok=True)
    journal.unlink(missing_ok=True)
    _fsync_dir(journal.parent)


def _release_owner(owner: filelock.BaseFileLock) -> None:
    owner.release()
    with contextlib.suppress(OSError):
        Path(owner.lock_file).unlink()


def _detach(state: _File, ids: Iterable[str]) -> None:
    """Give TinyDB a copy of each document it is about to update in place: the records
    read from a bucket are its documents themselves, and readers hold them
    (`AnnotationStore.records`), possibly on another thread, so they must not change."""
    table = state.raw.get(TABLE)
    if table is None:
        return
    for annotation_id in ids:
        key = str(state.doc_ids[annotation_id])
        document = table.get(key)
        if document is not None:
            table[key] = dict(document)


def _replace_with(record: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def transform(document: dict[str, Any]) -> None:
        document.clear()
        document.update(record)

    return transform


@contextlib.contextmanager
def _paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading many small objects.

    Loading 50k annotations allocates millions of containers; each allocation burst
    triggers full collections that scan them all again (measured: ~40% of load time).
    Nothing loaded here forms cycles, so pausing loses nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def bucket_of(record: dict[str, Any]) -> str:
    """The bucket of an annotation dict: article-id prefix plus annotation-id digit."""
    return record["article_id"][:2] + record["id"][0]


def article_buckets(article_id: str) -> list[str]:
    """The 16 buckets that can hold an article's annotations (none for a malformed id)."""
    prefix = article_id[:2]
    if not _V1_BUCKET.fullmatch(prefix):
        return []
    return [prefix + digit for digit in _HEX]


def _group(records: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(bucket_of(record), []).append(record)
    return groups


def _sorted_annotations(records: Iterable[dict[str, Any]]) -> list[Annotation]:
    ordered = sorted(records, key=itemgetter("created", "id"))
    return [Annotation._trusted(record) for record in ordered]


def _later_than(previous: str) -> str:
    """Now, or one microsecond after `previous` if the clock has not moved past it."""
    current = now_iso()
    if current > previous:
        return current
    return format_time(parse_time(previous) + timedelta(microseconds=1))


def _signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _read_json(path: Path, *, fast: bool = False) -> tuple[Any, Signature]:
    """The file's JSON and its signature, or `CorruptDatabaseError` saying why not.

    With `fast`, orjson parses it (three times faster than json on a bucket); anything
    it refuses (not JSON, not UTF-8, a lone surrogate escape, NaN) is parsed again by
    json, so what is refused and every reason stay json's. orjson reads an integer past
    64 bits as a float, which no record the store writes holds: `_load_bucket_file`
    reads a bucket again with `fast=False` when a record fails its checks."""
    try:
        with open(path, "rb") as handle:
            signature = _signature(os.fstat(handle.fileno()))
            data = handle.read()
    except FileNotFoundError:
        raise
    except OSError as error:  # a directory, a symlink loop, permission denied
        raise CorruptDatabaseError(path, f"cannot be read ({_os_reason(error)})") from error
    return _parse_json(path, data, fast=fast), signature


def _parse_json(path: Path, data: bytes, *, fast: bool) -> Any:
    """`data` parsed as `_read_json` says."""
    if not data.strip():
        raise CorruptDatabaseError(path, "empty file (truncated?)")
    if fast:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except UnicodeDecodeError as error:
        raise CorruptDatabaseError(path, "not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise CorruptDatabaseError(path, f"not JSON: {error.msg} (byte {error.pos})") from error
    except (ValueError, RecursionError) as error:
        raise CorruptDatabaseError(path, f"not JSON: {str(error)[:80]}") from error


def _os_reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _tables(path: Path, data: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(data, dict):
        raise CorruptDatabaseError(path, f"expected a TinyDB object, found {type(data).__name__}")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise CorruptDatabaseError(path, f"table {name!r} is not an object")
        for doc_id, doc in table.items():
            if not doc_id.isdigit() or not isinstance(doc, dict):
                raise CorruptDatabaseError(
                    path, f"table {name!r} has a malformed document {doc_id!r}"
                )
    return data


def _load_meta_file(path: Path) -> _File:
    data, signature = _read_json(path)
    tables = _tables(path, data)
    meta = tables.get(META_TABLE)
    if meta is not None:
        docs = list(meta.values())
        if len(docs) != 1:
            raise CorruptDatabaseError(path, "the _meta table should hold one document")
        version = docs[0].get("schema_version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise CorruptDatabaseError(path, "schema_version is missing or not a positive integer")
    return _File(path, signature=signature, raw=tables)


def _load_bucket_file(
    path: Path,
    bucket: str,
    key: Callable[[dict[str, Any]], str] | None = None,
    *,
    fast: bool = True,
) -> _File:
    if key is None and fast:
        try:
            with open(path, "rb") as handle:
                signature = _signature(os.fstat(handle.fileno()))
                raw = handle.read()
        except FileNotFoundError:
            raise
        except OSError as error:
            raise CorruptDatabaseError(path, f"cannot be read ({_os_reason(error)})") from error
        data = _parse_json(path, raw, fast=True)
        if _sealed_by_us(bucket, raw):
            return _sealed_state(path, data, signature)
    else:
        data, signature = _read_json(path, fast=fast)
    try:
        return _bucket_state(path, bucket, key, data, signature)
    except CorruptDatabaseError:
        if not fast:
            raise
    # orjson read an integer past 64 bits as a float: json's reading decides.
    return _load_bucket_file(path, bucket, key, fast=False)


_SEAL_HEAD = b',"' + SEAL_TABLE.encode() + b'":{"1":{"blake2b":"'
_SEAL_TAIL = b'"}}}'
_SEAL_LENGTH = len(_SEAL_HEAD) + 64 + len(_SEAL_TAIL)


def _seal_digest(bucket: str, payload: bytes) -> bytes:
    salt = f"copydesk bucket {bucket} schema {SCHEMA_VERSION}\n".encode()
    return hashlib.blake2b(salt + payload, digest_size=32).hexdigest().encode("ascii")


def _seal(bucket: str, payload: bytes) -> bytes:
    """`payload` (a bucket's tables as `_dump` writes them) with `SEAL_TABLE` added last:
    the same bytes `_dump` gives for the tables plus the seal, so a bucket put back from
    its cached tables (a change rolled back) keeps its seal."""
    if payload == b"{}":
        return payload  # nothing to vouch for
    return payload[:-1] + _SEAL_HEAD + _seal_digest(bucket, payload) + _SEAL_TAIL


def _sealed_by_us(bucket: str, data: bytes) -> bool:
    """Whether `data` is a bucket file exactly as the store wrote it for `bucket` under
    this schema (the seal checks out); anything else gets the per-record checks."""
    head = len(data) - _SEAL_LENGTH
    if head < 2 or not data.endswith(_SEAL_TAIL):
        return False
    if data[head : head + len(_SEAL_HEAD)] != _SEAL_HEAD:
        return False
    digest = data[head + len(_SEAL_HEAD) : -len(_SEAL_TAIL)]
    return hmac.compare_digest(digest, _seal_digest(bucket, data[:head] + b"}"))


def _sealed_state(path: Path, data: dict[str, Any], signature: Signature) -> _File:
    """A sealed bucket's content: its records are used as read, their checks done when
    they came in (a save, an import) and the seal saying nothing changed since."""
    state = _File(path, signature=signature, raw=data)
    records, doc_ids = state.records, state.doc_ids
    for doc_id, record in data.get(TABLE, {}).items():
        records[record["id"]] = record
        doc_ids[record["id"]] = int(doc_id)
    return state


def _bucket_state(
    path: Path,
    bucket: str,
    key: Callable[[dict[str, Any]], str] | None,
    data: Any,
    signature: Signature,
) -> _File:
    tables = _tables(path, data)
    tables.pop(SEAL_TABLE, None)
    state = _File(path, signature=signature, raw=tables)
    for doc_id, doc in tables.get(TABLE, {}).items():
        record = _checked_record(path, doc_id, doc)
        belongs = (key or bucket_of)(record)
        if belongs != bucket:
            raise CorruptDatabaseError(path, f"document {doc_id} belongs in bucket {belongs}")
        if record["id"] in state.records:
            raise CorruptDatabaseError(path, f"annotation {record['id']} is stored twice")
        state.records[record["id"]] = record
        state.doc_ids[record["id"]] = int(doc_id)
    return state


def _checked_record(path: Path, doc_id: str, doc: Any) -> dict[str, Any]:
    """A bucket's document as a record: the store's own writing passes a cheap shape check
    (and is used as read, no copy); anything else is validated in full, or named corrupt."""
    record = stored_record(doc)
    if record is not None:
        return record
    try:
        return validate_record(doc)
    except AnnotationError as error:
        raise CorruptDatabaseError(path, f"document {doc_id}: {error}") from error


def _atomic_write(path: Path, payload: bytes, *, mode_from: Path | None = None) -> Signature:
    """Replace `path` with `payload`: temp file, fsync, rename, fsync the directory.

    The new file keeps the old one's permissions (or `mode_from`'s) and gets an mtime
    strictly later than the old one's, so its signature never repeats.
    """
    _ensure_dir(path.parent)
    previous: os.stat_result | None = None
    with contextlib.suppress(FileNotFoundError):
        previous = os.stat(path)
    mode = previous.st_mode if previous else None
    if mode is None and mode_from is not None and mode_from != path:
        with contextlib.suppress(FileNotFoundError):
            mode = os.stat(mode_from).st_mode
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, mode & 0o7777)
        now = time.time_ns()
        mtime = max(now, previous.st_mtime_ns + 1) if previous else now
        os.utime(fd if os.utime in os.supports_fd else tmp, ns=(now, mtime))
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)
    return _signature(os.stat(path))


def _ensure_dir(directory: Path) -> None:
    """Create `directory` (and parents) durably if it is missing."""
    if directory.is_dir():
        return
    _ensure_dir(directory.parent)
    with contextlib.suppress(FileExistsError):
        directory.mkdir()
    _fsync_dir(directory.parent)


def _fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in `directory` durable (a no-op where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


IF_CORRUPT = ("stop", "fresh", "read-only", "fallback")
"""What `open_store` does with a corrupt database: raise (stop); set the corrupt files aside and
start fresh; open it read-only; or try writable and fall back to read-only with a
message (the reader's way: never overwrite what cannot be read)."""


@dataclass
class OpenedStore:
    """What `open_store` opened: the store (None if nothing could be opened), whether it
    is read-only, and why, when it fell back."""

    store: AnnotationStore | None
    read_only: bool = False
    message: str | None = None


def open_store(path: str | os.PathLike[str], *, if_corrupt: str = "stop") -> OpenedStore:
    """Open the annotation database at `path` as `if_corrupt` says (see `IF_CORRUPT`).

    The one way the reader, the review screen and the commands open the database.
    """
    if if_corrupt == "fresh":
        return OpenedStore(AnnotationStore.open_fresh_beside(path))
    if if_corrupt == "read-only":
        return OpenedStore(AnnotationStore.open(path, read_only=True), read_only=True)
    if if_corrupt == "stop":
        return OpenedStore(AnnotationStore.open(path))
    if if_corrupt != "fallback":
        raise ValueError(f"if_corrupt must be one of {IF_CORRUPT}, not {if_corrupt!r}")
    try:
        return OpenedStore(AnnotationStore.open(path))
    except StoreError as error:
        message = (
            f"The annotation database cannot be used for writing: {error}. "
            f"It was opened read-only and will not be changed ({path})."
        )
    except OSError as error:
        message = f"Cannot open the annotation database {path}: {error}. Read-only."
    try:
        return OpenedStore(AnnotationStore.open(path, read_only=True), True, message)
    except (StoreError, OSError):
        return OpenedStore(None, True, message)
