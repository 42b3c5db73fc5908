"""Temporary files left by a killed write are removed the next time the store opens,
including a kill during the very first write, before the database existed at all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers.annotations_support import annotate, article, bucket_files

from annotations.store import AnnotationStore

ROOT = Path(__file__).resolve().parents[2]

KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, sys.argv[3])
    from helpers.annotations_support import annotate, article
    from annotations.store import AnnotationStore

    store = AnnotationStore.open(sys.argv[1])
    replaces = {"left": int(sys.argv[2])}
    real_replace = os.replace

    def replace_then_die(src, dst):
        # Die as a SIGKILL would, right before the rename that completes a write.
        if replaces["left"] == 0:
            os.kill(os.getpid(), signal.SIGKILL)
        replaces["left"] -= 1
        return real_replace(src, dst)

    os.replace = replace_then_die
    store.add(annotate(article(), "central bank"))
    """
)


def kill_during_first_add(db_path: Path, completed_renames: int) -> None:
    """A real process adds the first annotation and is SIGKILLed before a rename."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLED_WRITER,
            str(db_path),
            str(completed_renames),
            str(ROOT / "tests"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr


def leftovers(db_path: Path) -> list[Path]:
    bucket_dir = db_path.with_name(db_path.name + ".d")
    found = list(db_path.parent.glob(".*.tmp"))
    if bucket_dir.is_dir():
        found += list(bucket_dir.glob(".*.tmp"))
    return found


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_kill_in_the_very_first_write_leaves_nothing_after_the_next_open(
    db_path: Path,
) -> None:
    kill_during_first_add(db_path, completed_renames=0)
    assert not db_path.exists()
    assert len(leftovers(db_path)) == 1
    store = AnnotationStore.open(db_path)
    assert leftovers(db_path) == []
    saved = store.add(annotate(article(), "Analysts"))
    assert [a.id for a in AnnotationStore.open(db_path).all()] == [saved.id]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_kill_in_the_first_bucket_write_leaves_nothing_after_the_next_open(
    db_path: Path,
) -> None:
    kill_during_first_add(db_path, completed_renames=1)
    assert db_path.exists() and not bucket_files(db_path)
    assert len(leftovers(db_path)) == 1
    AnnotationStore.open(db_path)
    assert leftovers(db_path) == []
    assert AnnotationStore.open(db_path).all() == []


def test_a_read_only_open_never_deletes(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    stray = db_path.parent / f".{db_path.name}.{os.getpid()}.abcd1234.tmp"
    stray.write_text("{}")
    AnnotationStore.open(db_path, read_only=True)
    assert stray.exists()
