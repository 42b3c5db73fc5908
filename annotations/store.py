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
from pathlib import Path
from typing import Any, TypeVar

import filelock
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
LOCK_TIMEOUT = 30.0
"""Seconds a writer waits for another process's write before giving up."""

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
        """Store new annotations, one durable write per bucket; returns how many.

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
            for bucket, group in by_bucket.items():
                self._change(bucket, _inserter(group))
        return len(records)

    def merge(self, annotations: Iterable[Annotation]) -> MergeResult:
        """Import: add unknown ids, replace stored ones that are older, keep the rest.

        Ids, authors and times are kept as given, so importing a file twice adds nothing.
        """
        records = [validate_record(a.to_dict()) for a in annotations]
        added = updated = unchanged = kept = 0
        with self._lock, self._locked():
            for bucket, group in _group(records).items():
                state = self._bucket(bucket)
                new: dict[str, dict[str, Any]] = {}
                replace: dict[str, dict[str, Any]] = {}
                for record in group:
                    current = state.records.get(record["id"]) or new.get(record["id"])
                    if current is None:
                        new[record["id"]] = record
                    elif current == record:
                        unchanged += 1
                    elif parse_time(record["modified"]) > parse_time(current["modified"]):
                        (new if record["id"] in new else replace)[record["id"]] = record
                    else:
                        kept += 1
                if replace:
                    self._change(bucket, _replacer(replace))
                if new:
                    self._change(bucket, _inserter(list(new.values())))
                added += len(new)
                updated += len(replace)
        return MergeResult(added, updated, unchanged, kept)

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

    # -------------------------------------------------------------- internals

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: opened read-only; nothing was written")
        _ensure_dir(self.path.parent)
        try:
            self._file_lock.acquire()
        except filelock.Timeout as error:
            raise DatabaseLockedError(
                f"{self.path}: another copydesk process has held the database lock for "
                f"{self.lock_timeout:g} s; try again"
            ) from error
        try:
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
        """Write `data` to `state.path` atomically and durably, then update the cache."""
        payload = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")
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
        table.update(_by_id(records), doc_ids=[state.doc_ids[i] for i in records])
        state.records.update(records)

    return replace


def _by_id(records: dict[str, dict[str, Any]]) -> Callable[[dict[str, Any]], None]:
    def transform(document: dict[str, Any]) -> None:
        replacement = records[document["id"]]
        document.clear()
        document.update(replacement)

    return transform


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
    ordered = sorted(records, key=lambda r: (r["created"], r["id"]))
    return [Annotation._trusted(record) for record in ordered]


def _later_than(previous: str) -> str:
    """Now, or one microsecond after `previous` if the clock has not moved past it."""
    current = now_iso()
    if current > previous:
        return current
    return format_time(parse_time(previous) + timedelta(microseconds=1))


def _signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _read_json(path: Path) -> tuple[Any, Signature]:
    try:
        with open(path, "rb") as handle:
            signature = _signature(os.fstat(handle.fileno()))
            data = handle.read()
    except FileNotFoundError:
        raise
    except OSError as error:  # a directory, a symlink loop, permission denied
        raise CorruptDatabaseError(path, f"cannot be read ({_os_reason(error)})") from error
    if not data.strip():
        raise CorruptDatabaseError(path, "empty file (truncated?)")
    try:
        return json.loads(data, parse_constant=_reject_constant), signature
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
    path: Path, bucket: str, key: Callable[[dict[str, Any]], str] | None = None
) -> _File:
    data, signature = _read_json(path)
    tables = _tables(path, data)
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
