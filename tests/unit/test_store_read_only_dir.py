"""Read-only commands work on a database the user cannot write, and create no lock file.

The database folder and files are made read-only with chmod. Root ignores file modes, so
as root the real `copydesk` script runs under `setpriv` without the capabilities that
override them (skipped where `setpriv` is missing).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers.annotations_support import STORY, annotate, article
from helpers.terminal import copydesk_script

from annotations.store import AnnotationStore

REPO = Path(__file__).resolve().parents[2]
NO_OVERRIDE = ["--bounding-set", "-dac_override,-dac_read_search,-fowner"]


def unprivileged(command: list[str]) -> list[str]:
    """`command` as a user whom file modes bind."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file modes cannot be enforced")
    return [setpriv, *NO_OVERRIDE, *command]


@pytest.fixture
def locked_down(tmp_path: Path) -> tuple[Path, Path]:
    """A database with one note, its folder and files read-only, and no lock file."""
    folder = tmp_path / "shared"
    db = folder / "annotations.json"
    AnnotationStore.open(db).add(annotate(article(), "central bank", note="Check the date."))
    (folder / "annotations.json.lock").unlink()
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    for path in [*folder.rglob("*"), folder]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    probe = subprocess.run(unprivileged(["touch", str(folder / "probe")]), capture_output=True)
    if probe.returncode == 0:
        pytest.skip("file modes are not enforced here")
    yield db, story
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COPYDESK_DB": str(db)}
    return subprocess.run(
        unprivileged([copydesk_script(), *args]),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("annotations", "list"),
        ("annotations", "stats"),
        ("annotations", "export", "-f", "csv"),
    ],
)
def test_read_commands_read_a_database_they_cannot_write(
    locked_down: tuple[Path, Path], args: tuple[str, ...]
) -> None:
    db, _ = locked_down
    done = run(*args, db=db)
    assert done.returncode == 0, done.stderr
    assert "Check the date." in done.stdout or "annotations  1" in done.stdout
    assert "cannot be written" in done.stderr and "read-only" in done.stderr
    assert not (db.parent / "annotations.json.lock").exists()


def test_list_with_a_path_and_the_explicit_read_only_mode(locked_down: tuple[Path, Path]) -> None:
    db, story = locked_down
    done = run("annotations", "list", str(story), "--if-corrupt", "read-only", db=db)
    assert done.returncode == 0, done.stderr
    assert "exact" in done.stdout and "Check the date." in done.stdout
    assert done.stderr == ""  # asked for read-only: nothing to warn about
    assert not (db.parent / "annotations.json.lock").exists()


def test_a_write_says_the_database_cannot_be_written(locked_down: tuple[Path, Path]) -> None:
    db, story = locked_down
    done = run("annotate", str(story), "--quote", "Analysts had expected", "--tag", "x", db=db)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"copydesk: {db}: the database cannot be written (permission denied: "
        f"{db.parent / 'annotations.json.lock'}); nothing was changed"
    )


READER = textwrap.dedent(
    """
    import sys
    from reader.state.loading import read_store
    store, found, read_only, message = read_store(sys.argv[1])
    print(read_only, [a.note for a in found], message is not None)
    """
)


def test_the_reader_opens_it_read_only(locked_down: tuple[Path, Path]) -> None:
    db, _ = locked_down
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        unprivileged([sys.executable, "-c", READER, str(db)]),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True ['Check the date.'] True"
    assert not (db.parent / "annotations.json.lock").exists()
