"""Seeing what other processes write to the annotation database while the reader runs.

A cheap check on a timer (`Watch.due`: one `stat` of the bucket folder and of the main
file, whose times change with every file renamed into them) decides whether to look;
looking (`read_outside`, in a thread) asks the store which buckets another process
rewrote and reads the annotations of the articles in them afresh. Textual-free.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotations.model import Annotation

SETTLE_NS = 2_000_000_000
"""For this long after a folder's mtime, look on every tick: two renames within one tick
of the file system's clock leave the same mtime."""


def folder_signature(store: Any) -> tuple[tuple[int, int] | None, ...]:
    """(inode, mtime_ns) of the bucket folder and the main file (None where missing)."""
    found: list[tuple[int, int] | None] = []
    for path in (store.bucket_dir, store.path):
        try:
            status = os.stat(path)
        except OSError:
            found.append(None)
        else:
            found.append((status.st_ino, status.st_mtime_ns))
    return tuple(found)


class Watch:
    """When to look at the store again: after its folder changed, and while it may still
    change within the file system's clock tick."""

    def __init__(self) -> None:
        self.seen: tuple[tuple[int, int] | None, ...] | None = None
        self.recheck: set[str] = set()
        """Articles whose fresh read was overtaken by a change of ours: read them again."""

    def due(self, store: Any) -> tuple[tuple[int, int] | None, ...] | None:
        """The signature to look at, or None when nothing can have changed."""
        signature = folder_signature(store)
        recent = any(
            part is not None and time.time_ns() - part[1] < SETTLE_NS for part in signature
        )
        if signature == self.seen and not recent and not self.recheck:
            return None
        return signature


def read_outside(store: Any, also: Iterable[str] = ()) -> dict[str, list[Annotation]]:
    """Each article another process changed (and each of `also`) with all its annotations
    as stored now (blocking: run it in a thread worker)."""
    articles = set(also)
    for before, after in store.changed_buckets().values():
        articles |= before | after
    return {article_id: store.for_article(article_id) for article_id in sorted(articles)}
