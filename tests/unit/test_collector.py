"""The collector held for the reader's first frame: paused by `copydesk`'s entry point,
resumed after the first paint, or at once by every command that is not the reader."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader import collector
from reader.cli import cli


@pytest.fixture(autouse=True)
def collecting() -> Iterator[None]:
    """Every test starts and ends with the collector running and nothing held."""
    collector.release(freeze=False)
    gc.enable()
    yield
    collector.release(freeze=False)
    gc.enable()
    gc.unfreeze()


def test_hold_pauses_and_release_resumes_freezing_what_is_alive() -> None:
    collector.hold()
    assert collector.held() and not gc.isenabled()
    collector.hold()  # a second hold changes nothing
    frozen = gc.get_freeze_count()
    collector.release()
    assert not collector.held() and gc.isenabled()
    assert gc.get_freeze_count() > frozen


def test_release_resumes_only_what_hold_paused() -> None:
    gc.disable()  # paused by someone else (e.g. a batch that builds many objects)
    collector.hold()
    assert not collector.held()
    collector.release()
    assert not gc.isenabled()


def test_a_command_other_than_the_reader_collects_from_its_start(tmp_path: Path) -> None:
    article = tmp_path / "story.txt"
    article.write_text("A headline\n\nThe body of the story, long enough to keep.\n",
                       encoding="utf-8")
    collector.hold()
    result = CliRunner().invoke(cli, ["clean", str(article)])
    assert result.exit_code == 0, result.output
    assert gc.isenabled() and not collector.held()
