"""A bucket that cannot be read at all (a directory, a symlink loop) is reported like a
corrupt one: a one-line error naming it, and `--if-corrupt read-only` / `fresh` work."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.annotations_support import STORY, annotate, article, bucket_files

from annotations.store import AnnotationStore, CorruptDatabaseError
from reader.cli import cli

OTHER_ARTICLE = "f" * 64


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def make_unreadable(db_path: Path, how: str) -> Path:
    """Store one good annotation, then put an unreadable bucket beside its bucket."""
    store = AnnotationStore.open(db_path)
    store.add(annotate(article(), "central bank"))
    (good,) = bucket_files(db_path)
    bad = good.with_name("fff.json")
    if how == "directory":
        bad.mkdir()
    else:
        bad.symlink_to(bad.name)  # points at itself: ELOOP
    return bad


@pytest.mark.parametrize("how", ["directory", "symlink loop"])
def test_whole_database_commands_name_the_unreadable_bucket(db_path: Path, how: str) -> None:
    bad = make_unreadable(db_path, how)
    for command in (["annotations", "list"], ["annotations", "stats"], ["annotations", "export"]):
        stopped = run(*command)
        assert stopped.exit_code == 1
        assert stopped.stderr.count("\n") == 1
        assert str(bad) in stopped.stderr and "--if-corrupt" in stopped.stderr
        assert "unexpected" not in stopped.stderr
        read_only = run(*command, "--if-corrupt", "read-only")
        assert read_only.exit_code == 0, read_only.output
        assert f"skipped corrupt file {bad}" in read_only.stderr
    listed = run("annotations", "list", "--if-corrupt", "read-only")
    assert "central bank" in listed.stdout
    assert os.path.lexists(bad)


@pytest.mark.parametrize("how", ["directory", "symlink loop"])
def test_fresh_sets_the_unreadable_bucket_aside(db_path: Path, tmp_path: Path, how: str) -> None:
    bad = make_unreadable(db_path, how)
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    fresh = run("annotate", str(story), "--quote", "Analysts", "--if-corrupt", "fresh")
    assert fresh.exit_code == 0, fresh.output
    assert "corrupt file kept as" in fresh.stderr
    assert not os.path.lexists(bad)
    assert len(list(bad.parent.glob("fff.json.corrupt-*"))) == 1
    assert len(AnnotationStore.open(db_path).all()) == 2


def test_the_store_api_raises_corrupt_not_oserror(db_path: Path) -> None:
    make_unreadable(db_path, "symlink loop")
    with pytest.raises(CorruptDatabaseError, match="cannot be read"):
        AnnotationStore.open(db_path).all()
    problems = AnnotationStore.open(db_path).check()
    assert [p.path.name for p in problems] == ["fff.json"]
