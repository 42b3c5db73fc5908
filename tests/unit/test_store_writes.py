"""How the store writes a bucket: a new file each time (temp file, fsync, rename, fsync of
the directory), with an mtime later than the old one's.

These are the properties the crash tests rely on without seeing them directly: a write
that skipped the fsync, rewrote the bucket in place or reused an mtime would still pass
a test that only reads back what it wrote.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import sys
import time
from pathlib import Path

import pytest
from helpers.annotations_support import annotate, article, bucket_files

from annotations.store import AnnotationStore

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="names fds through /proc/self/fd"
)


def in_one_bucket(quote: str, number: int):
    """An annotation on the test story whose id puts it in the same bucket as every other
    made here (the bucket is named by the article id and the id's first hex digit)."""
    return dataclasses.replace(
        annotate(article(), quote), id=f"0000{number:04x}-0000-4000-8000-{number:012x}"
    )


def the_bucket(db_path: Path) -> Path:
    (bucket,) = bucket_files(db_path)
    return bucket


def record_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record `os.fsync` (the path behind the fd) and `os.replace` (source, target) as the
    store makes them; both still do their work."""
    calls: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(source, target, **kwargs) -> None:
        calls.append(("replace", f"{os.fspath(source)} -> {os.fspath(target)}"))
        real_replace(source, target, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return calls


def test_each_bucket_write_is_fsynced_renamed_then_its_directory_fsynced(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore.open(db_path)
    store.add(in_one_bucket("central bank", 1))
    calls = record_calls(monkeypatch)
    store.add(in_one_bucket("Analysts", 2))
    bucket = the_bucket(db_path)
    renames = [i for i, (kind, what) in enumerate(calls)
               if kind == "replace" and what.endswith(f"-> {bucket}")]
    assert renames, f"the bucket was not replaced: {calls}"
    for index in renames:
        temp = calls[index][1].split(" -> ")[0]
        assert ("fsync", temp) in calls[:index], "the temp file was not fsynced before the rename"
        assert ("fsync", str(bucket.parent)) in calls[index + 1:], (
            "the directory was not fsynced after the rename"
        )


def test_every_write_makes_a_new_bucket_file(db_path: Path) -> None:
    """A bucket is never rewritten in place (a kill mid-write would leave half of it)."""
    store = AnnotationStore.open(db_path)
    store.add(in_one_bucket("central bank", 1))
    bucket = the_bucket(db_path)
    inodes = [bucket.stat().st_ino]
    for number, quote in enumerate(("Analysts", "softer price data", "key rate"), start=2):
        store.add(in_one_bucket(quote, number))
        assert the_bucket(db_path) == bucket
        inodes.append(bucket.stat().st_ino)
    # The new file exists beside the old one until the rename, so each write's inode
    # differs from the one before (the file system may reuse older ones).
    assert all(before != after for before, after in itertools.pairwise(inodes))


def test_a_bucket_mtime_only_ever_increases(db_path: Path) -> None:
    """Even when the clock says otherwise (a file from a machine ahead of this one), the
    next write moves the mtime forward, so a cached (inode, size, mtime) never repeats."""
    store = AnnotationStore.open(db_path)
    store.add(in_one_bucket("central bank", 1))
    bucket = the_bucket(db_path)
    future = time.time_ns() + 3_600 * 10**9
    os.utime(bucket, ns=(future, future))
    store.add(in_one_bucket("Analysts", 2))
    assert the_bucket(db_path) == bucket
    assert bucket.stat().st_mtime_ns > future
