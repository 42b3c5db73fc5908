"""Changes to the annotation store: what a user action adds, removes and updates.

A `Change` is built in memory, written by one writer thread in order (`ChangeQueue`,
`apply_change`), and adopted by the `Book` once the store has made it durable. Undo
applies its inverse.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotations.model import Annotation

READER = "reader"
"""Undo history of the reader's decisions, tags and notes."""
REVIEW = "review"
"""Undo history of verdicts, replies and settlements (review and curation share it)."""


@dataclass
class Change:
    """One user action on the store, and what it takes to undo it."""

    description: str
    added: list[Annotation] = field(default_factory=list)
    removed: list[Annotation] = field(default_factory=list)
    before: list[Annotation] = field(default_factory=list)
    """Previous versions of updated annotations."""
    after: list[Annotation] = field(default_factory=list)
    """New versions of updated annotations."""
    history: str = READER
    """The undo history the change belongs to (`READER` or `REVIEW`)."""

    def inverse(self) -> Change:
        """The change that undoes this one."""
        return Change(
            f"undo {self.description}",
            added=list(self.removed),
            removed=list(self.added),
            before=list(self.after),
            after=list(self.before),
            history=self.history,
        )

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.after)

    @property
    def article_ids(self) -> set[str]:
        return {a.article_id for a in (*self.added, *self.removed, *self.after)}


class ChangeQueue:
    """Changes waiting for one writer thread, in order (thread-safe).

    `push` says whether a writer must be started (none is running); the writer `pop`s
    until it gets None, which also marks it finished, so no change is left behind and
    two writers never run at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: deque[tuple[Change, bool]] = deque()
        self._busy = False

    def push(self, change: Change, *, undo: bool = False) -> bool:
        """Queue a change; True when the caller should start the writer."""
        with self._lock:
            self._items.append((change, undo))
            if self._busy:
                return False
            self._busy = True
            return True

    @property
    def busy(self) -> bool:
        """Whether a writer is at work (changes queued or being written)."""
        with self._lock:
            return self._busy

    def pop(self) -> tuple[Change, bool] | None:
        """The next `(change, undo)`, or None (the writer then stops)."""
        with self._lock:
            if not self._items:
                self._busy = False
                return None
            return self._items.popleft()


def apply_change(store: Any, change: Change) -> Change:
    """Write `change` to the store as one atomic operation (blocking; run it in a thread
    worker) and return it as stored (edited annotations carry their new `modified`).

    Removals and edits name the versions the book holds: if another process changed or
    removed one since, the store raises `ConflictError` and writes nothing.
    """
    stored = store.apply(
        remove=change.removed,
        update=list(zip(change.before, change.after, strict=True)),
        add=change.added,
    )
    return replace(change, after=stored)
