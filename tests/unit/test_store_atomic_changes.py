"""A user's change is one atomic store operation, and never overwrites a newer version.

The crash test runs the reader's own code (`Book.decide`, `apply_change`) in a child
process that SIGKILLs itself at the Nth write-related system call of a change, for every
N, then reopens the database: the line holds the old decision or the new one, never
neither, and the new one whenever the child had been told it was saved.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.annotations_support import annotate, article, bucket_files

from annotations.model import Annotation
from annotations.store import AnnotationStore, ConflictError, StoreError, bucket_of
from reader.state import Book, Change, apply_change

REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from annotations.store import AnnotationStore, bucket_of
    from helpers.annotations_support import article
    from reader.state import Book, apply_change

    db, kill_at = sys.argv[1], int(sys.argv[2])
    story = article()
    line = next(n for n, l in enumerate(story.lines) if "Share this article" in l.text)

    def book_on(store):
        book = Book("ana", db)
        book.add_articles([story])
        book.open(store, store.all(), read_only=False)
        return book

    store = AnnotationStore.open(db)
    book = book_on(store)
    book.adopt(apply_change(store, book.decide(story, [line], True, "accept")))
    print("first saved", flush=True)

    # The new decision must land in another bucket than the one it replaces.
    while True:
        change = book.decide(story, [line], False, "reject")
        if bucket_of(change.removed[0].to_dict()) != bucket_of(change.added[0].to_dict()):
            break

    calls = [0]
    def killing(function):
        def wrapped(*args, **kwargs):
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return function(*args, **kwargs)
        return wrapped
    for name in ("write", "fsync", "replace", "rename", "unlink"):
        setattr(os, name, killing(getattr(os, name)))

    apply_change(store, change)
    print("second saved", calls[0], flush=True)
    """
)


def run_child(db: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])}
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(db), str(kill_at)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def stored_decisions(db: Path) -> list[str]:
    store = AnnotationStore.open(db)
    assert store.check() == []
    return [a.decision for a in store.all() if a.decision]


def test_a_kill_at_any_step_of_a_changed_decision_keeps_one_decision(tmp_path: Path) -> None:
    finished = run_child(tmp_path / "probe.json", kill_at=10**9)
    assert finished.returncode == 0, finished.stderr
    steps = int(finished.stdout.split()[-1])
    assert steps >= 6  # journal, two buckets, the journal's removal: each a write + fsync...
    outcomes = set()
    for kill_at in range(1, steps + 2):
        db = tmp_path / f"kill-{kill_at}.json"
        child = run_child(db, kill_at)
        assert "first saved" in child.stdout, child.stderr
        told_saved = "second saved" in child.stdout
        assert told_saved == (kill_at > steps)
        assert child.returncode == (0 if told_saved else -signal.SIGKILL), child.stderr
        decisions = stored_decisions(db)
        assert decisions in (["remove"], ["keep"]), (kill_at, decisions)
        if told_saved:
            assert decisions == ["keep"]
        outcomes.add(decisions[0])
        leftovers = [
            p
            for p in db.parent.rglob("*")
            if p.name.startswith(db.name)
            and (p.suffix == ".tmp" or p.name.endswith(".change.json"))
        ]
        assert leftovers == []  # the reopening finished or dropped whatever was pending
    assert outcomes == {"remove", "keep"}  # kills before and after the commit point


def decided_book(db: Path) -> tuple[Book, AnnotationStore, int]:
    story = article()
    store = AnnotationStore.open(db)
    book = Book("ana", db)
    book.add_articles([story])
    book.open(store, store.all(), read_only=False)
    line = next(n for n, ln in enumerate(story.lines) if "Share this article" in ln.text)
    return book, store, line


def test_a_changed_decision_writes_each_bucket_once(db_path: Path) -> None:
    book, store, line = decided_book(db_path)
    story = book.articles[0]
    book.adopt(apply_change(store, book.decide(story, [line], True, "accept")))
    change = book.decide(story, [line], False, "reject")
    old, new = change.removed[0], change.added[0]
    inodes = {p.name: p.stat().st_ino for p in bucket_files(db_path)}
    book.adopt(apply_change(store, change))
    after = {p.name: p.stat().st_ino for p in bucket_files(db_path)}
    touched = {f"{bucket_of(old.to_dict())}.json", f"{bucket_of(new.to_dict())}.json"}
    assert {name for name in after if after[name] != inodes.get(name)} == touched
    assert [a.decision for a in AnnotationStore.open(db_path).all()] == ["keep"]
    assert not list((db_path.parent / (db_path.name + ".d") / "pending").glob("*.json"))


EDITOR = textwrap.dedent(
    """
    import sys
    from dataclasses import replace
    from annotations.store import AnnotationStore

    db, annotation_id = sys.argv[1], sys.argv[2]
    store = AnnotationStore.open(db)
    found = store.get(annotation_id)
    stored = store.apply(update=[(found, replace(found, note="Their newer note."))])
    print(stored[0].modified)
    """
)


def test_an_edit_from_a_stale_copy_is_refused_and_the_newer_version_kept(db_path: Path) -> None:
    """Process A (this one) reads; process B edits the same note; A's edit is refused."""
    book, store, _ = decided_book(db_path)
    story = book.articles[0]
    note = annotate(story, "central bank", note="My first note.")
    book.adopt(apply_change(store, _adding(note)))
    mine = book.notes(story)[0]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    other = subprocess.run(
        [sys.executable, "-c", EDITOR, str(db_path), mine.id],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert other.returncode == 0, other.stderr
    edit = book.edit(mine, ["claim"], "My overwriting note.")
    with pytest.raises(ConflictError, match="changed in the database"):
        apply_change(store, edit)
    fresh = AnnotationStore.open(db_path).get(mine.id)
    assert fresh is not None
    assert fresh.note == "Their newer note."
    assert fresh.modified == other.stdout.strip()
    assert fresh.tags == []


def _adding(note: Annotation) -> Change:
    return Change("annotation", added=[note])


def test_an_edit_from_the_current_copy_is_saved_and_can_be_edited_again(db_path: Path) -> None:
    book, store, _ = decided_book(db_path)
    story = book.articles[0]
    book.adopt(apply_change(store, _adding(annotate(story, "central bank", note="One."))))
    first = book.edit(book.notes(story)[0], ["a"], "Two.")
    book.adopt(apply_change(store, first))
    second = book.edit(book.notes(story)[0], ["b"], "Three.")
    book.adopt(apply_change(store, second))  # the book holds what the store wrote
    book.adopt(apply_change(store, book.histories["reader"][-1].inverse()), undoable=False)
    assert AnnotationStore.open(db_path).all()[0].note == "Two."


def test_removing_an_annotation_another_process_changed_is_refused(db_path: Path) -> None:
    book, store, _ = decided_book(db_path)
    story = book.articles[0]
    book.adopt(apply_change(store, _adding(annotate(story, "central bank", note="One."))))
    mine = book.notes(story)[0]
    other = AnnotationStore.open(db_path)
    other.apply(update=[(mine, replace(mine, note="Kept."))])
    with pytest.raises(ConflictError):
        apply_change(store, Change("delete", removed=[mine]))
    assert AnnotationStore.open(db_path).all()[0].note == "Kept."


def failing_renames(
    monkeypatch: pytest.MonkeyPatch, fail_from: int, fail_to: int, *, unlinks: bool = False
) -> None:
    """Make the store's renames number `fail_from`..`fail_to` fail as on a full disk;
    with `unlinks`, its unlinks too from then on (undoing a bucket the change created
    is an unlink)."""
    real_replace, real_unlink = os.replace, os.unlink
    calls = [0]

    def failing() -> bool:
        return fail_from <= calls[0] <= fail_to

    def replace_or_fail(source: object, target: object) -> None:
        calls[0] += 1
        if failing():
            raise OSError(28, "No space left on device", str(target))
        real_replace(source, target)  # type: ignore[arg-type]

    def unlink_or_fail(path: object, *args: object, **kwargs: object) -> None:
        if unlinks and failing():
            raise OSError(28, "No space left on device", str(path))
        real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace_or_fail)
    monkeypatch.setattr(os, "unlink", unlink_or_fail)


def two_bucket_change(db: Path) -> tuple[Book, AnnotationStore, Change]:
    book, store, line = decided_book(db)
    story = book.articles[0]
    book.adopt(apply_change(store, book.decide(story, [line], True, "accept")))
    while True:
        change = book.decide(story, [line], False, "reject")
        if bucket_of(change.removed[0].to_dict()) != bucket_of(change.added[0].to_dict()):
            return book, store, change


def test_a_change_failing_midway_is_undone(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rename 1 commits the journal, 2 writes the first bucket, 3 (the second) fails:
    the first bucket is put back and the journal dropped; nothing changed."""
    _, store, change = two_bucket_change(db_path)
    failing_renames(monkeypatch, 3, 3)
    with pytest.raises(OSError, match="No space left"):
        apply_change(store, change)
    monkeypatch.undo()
    reopened = AnnotationStore.open(db_path)
    assert [a.decision for a in reopened.all()] == ["remove"]
    assert reopened.recovered == []
    assert reopened.unfinished() == []


def test_a_change_that_cannot_be_undone_is_finished_by_the_next_writer(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, store, change = two_bucket_change(db_path)
    failing_renames(monkeypatch, 3, 10**9, unlinks=True)  # the undo cannot write either
    with pytest.raises(StoreError, match=r"could not be undone .* completed the next time"):
        apply_change(store, change)
    monkeypatch.undo()
    assert len(AnnotationStore.open(db_path, read_only=True).unfinished()) == 1
    reopened = AnnotationStore.open(db_path)
    assert [a.decision for a in reopened.all()] == ["keep"]
    assert reopened.recovered == ["finished a change interrupted by a crash"]
    assert reopened.unfinished() == []
