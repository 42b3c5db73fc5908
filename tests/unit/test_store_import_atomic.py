"""Imports are all or nothing under a kill, and let other writers in while they run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers.annotations_support import annotate, article

from annotations.store import AnnotationStore, StoreError

REPO = Path(__file__).resolve().parents[2]

IMPORTER = textwrap.dedent(
    """
    import hashlib, os, signal, sys, time
    from annotations.anchoring import make_target
    from annotations.model import Annotation
    from annotations.store import AnnotationStore

    db, count, kill_at, slow = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    text = "The council met on Monday to discuss the budget and the new harbour."
    incoming = [
        Annotation.create(
            article_id=hashlib.sha256(f"article {n % 97}".encode()).hexdigest(),
            author="colleague", motivation="commenting", target=make_target(text, 4, 11),
            note=f"note {n}",
        )
        for n in range(count)
    ]
    store = AnnotationStore.open(db)
    calls = [0]
    real_replace, real_fsync = os.replace, os.fsync
    def replace(*args):
        calls[0] += 1
        if calls[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real_replace(*args)
    def fsync(fd):
        if slow == "slow":
            time.sleep(0.004)  # a slow disk: the import takes seconds
        return real_fsync(fd)
    os.replace, os.fsync = replace, fsync
    print("importing", flush=True)
    result = store.merge(incoming)
    print("imported", result.added, calls[0], flush=True)
    """
)


def importer(db: Path, count: int, kill_at: int = 0, slow: bool = False) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            IMPORTER,
            str(db),
            str(count),
            str(kill_at),
            "slow" if slow else "fast",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


COUNT = 300


@pytest.mark.parametrize("kill_at", [1, 2, 3, 60, 150])
def test_a_killed_import_is_all_or_nothing_after_reopening(tmp_path: Path, kill_at: int) -> None:
    """Rename 1 commits the journal: a kill before it leaves nothing; any later kill
    leaves a journal the next writable open finishes (and says so)."""
    db = tmp_path / "annotations.json"
    AnnotationStore.open(db).add(annotate(article(), "central bank", author="me"))
    child = importer(db, COUNT, kill_at)
    _, err = child.communicate(timeout=300)
    assert child.returncode == -signal.SIGKILL, err
    store = AnnotationStore.open(db)
    assert store.check() == []
    imported = sum(1 for a in store.all() if a.author == "colleague")
    if kill_at == 1:
        assert imported == 0
        assert store.recovered == []
    else:
        assert imported == COUNT
        assert store.recovered == [
            f"finished an import of {COUNT} annotation(s) that was interrupted"
        ]
    assert [a.author for a in store.all()].count("me") == 1
    pending = db.parent / (db.name + ".d") / "pending"
    assert sorted(pending.iterdir()) == []  # journal, progress, owner lock, temp files: gone


def test_the_import_runs_to_the_end_with_every_bucket_written_once(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    child = importer(db, COUNT)
    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    _, added, renames = out.split("\n")[1].split()
    buckets = len(list((db.parent / (db.name + ".d")).glob("*.json")))
    assert int(added) == COUNT
    assert int(renames) == buckets + 2  # the journal, each bucket once, the main file


def test_another_writer_gets_in_while_a_long_import_runs(tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    AnnotationStore.open(db).add(annotate(article(), "central bank", author="me"))
    child = importer(db, 600, slow=True)
    assert child.stdout.readline().strip() == "importing"
    buckets = db.parent / (db.name + ".d")
    deadline = time.monotonic() + 60
    while len(list(buckets.glob("*.json"))) < 3 and child.poll() is None:  # under way
        assert time.monotonic() < deadline
        time.sleep(0.01)
    other = AnnotationStore.open(db, lock_timeout=1.0)
    story = article()
    for n in range(5):
        other.add(annotate(story, "central bank", author="me", note=f"during {n}"))
    assert child.poll() is None, "the import ended before the writes: nothing was tested"
    _, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    authors = [a.author for a in AnnotationStore.open(db).all()]
    assert authors.count("me") == 6
    assert authors.count("colleague") == 600


def test_a_failed_import_says_it_will_be_finished(tmp_path: Path) -> None:
    """A write failing midway (a full disk, here a bucket made a directory) reports how
    far it got; the journal is kept and the next write finishes the import."""
    db = tmp_path / "annotations.json"
    store = AnnotationStore.open(db)
    incoming = [annotate(article(), "central bank", author="colleague")]
    incoming += [
        annotate(
            article("Other story.\nMore of it.\n", f"s{n}.txt"), "Other story", author="colleague"
        )
        for n in range(40)
    ]
    from annotations.store import bucket_of

    blocked = sorted({bucket_of(a.to_dict()) for a in incoming})[-1]
    (db.parent / (db.name + ".d") / f"{blocked}.json").mkdir(parents=True)
    with pytest.raises(StoreError, match=r"import interrupted after .* the rest is kept"):
        store.merge(incoming)
    (db.parent / (db.name + ".d") / f"{blocked}.json").rmdir()
    again = AnnotationStore.open(db)
    assert again.recovered == ["finished an import of 41 annotation(s) that was interrupted"]
    assert len(again.all()) == 41
