"""Writes never replace a symlink, FIFO or device with a regular file.

`annotations export -o`, `export -o DIR`, `clean -o DIR` and the theme saved into the
config file all write a temporary file and rename it over the target. Renamed over a
symlink, that replaced the link (its target left stale); over a FIFO or a device, it
replaced the special file. Now a symlink is written through to its target and anything
but a regular file is refused with one line naming it.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.annotations_support import STORY

from reader.cli import cli
from reader.config import load_settings, save_setting

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    assert run("annotate", str(path), "--quote", "central bank").exit_code == 0
    return path


def linked(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A symlink `name` in tmp_path pointing at a regular file in another folder."""
    real_dir = tmp_path / "real"
    real_dir.mkdir(exist_ok=True)
    real = real_dir / name
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / name
    link.symlink_to(real)
    return link, real


def test_annotations_export_writes_through_a_symlink(story_file: Path, tmp_path: Path) -> None:
    link, real = linked(tmp_path, "out.json")
    result = run("annotations", "export", "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert '"central bank"' in real.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.tmp")) and not list(real.parent.glob(".*.tmp"))


def test_annotations_export_follows_a_chain_of_links(story_file: Path, tmp_path: Path) -> None:
    link, real = linked(tmp_path, "out.json")
    second = tmp_path / "second.json"
    second.symlink_to(link)
    assert run("annotations", "export", "-o", str(second)).exit_code == 0
    assert second.is_symlink() and link.is_symlink()
    assert '"central bank"' in real.read_text(encoding="utf-8")


def test_annotations_export_refuses_a_symlink_loop(story_file: Path, tmp_path: Path) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(tmp_path / "loop.json")
    result = run("annotations", "export", "-o", str(loop))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and str(loop) in result.stderr
    assert loop.is_symlink()


@needs_fifo
def test_annotations_export_refuses_a_fifo(story_file: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    result = run("annotations", "export", "-o", str(fifo))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert f"{fifo}: a FIFO, not a regular file" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.skipif(os.name != "posix", reason="needs device files")
def test_annotations_export_refuses_a_device(story_file: Path, tmp_path: Path) -> None:
    device = tmp_path / "null"
    if os.geteuid() == 0:  # a private twin of /dev/null: nothing shared is ever at risk
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    else:  # /dev is not writable, so nothing can replace /dev/null
        device = Path("/dev/null")
    result = run("annotations", "export", "-o", str(device))
    assert result.exit_code == 1
    assert f"{device}: a character device, not a regular file" in result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_export_dir_writes_through_a_symlinked_output(story_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    real = tmp_path / "kept" / "story.txt"
    real.parent.mkdir()
    real.write_text("old\n")
    (out / "story.txt").symlink_to(real)
    result = run("export", str(story_file), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "story.txt").is_symlink()
    assert "central bank left its key rate" in real.read_text(encoding="utf-8")


@needs_fifo
@pytest.mark.parametrize("command", ["export", "clean"])
def test_output_dirs_refuse_a_fifo_in_place_of_an_output(
    story_file: Path, tmp_path: Path, command: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "story.txt")
    result = subprocess.run(
        [sys.executable, "-m", "reader", command, str(story_file), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode != 0
    assert f"{out / 'story.txt'}: a FIFO, not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
    assert stat.S_ISFIFO(os.lstat(out / "story.txt").st_mode)


def test_clean_dir_writes_through_a_symlinked_output(tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    real = tmp_path / "story-clean.txt"
    real.write_text("old\n")
    (out / "story.txt").symlink_to(real)
    result = run("clean", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "story.txt").is_symlink()
    assert "central bank left its key rate" in real.read_text(encoding="utf-8")


def test_theme_save_writes_through_a_symlinked_config(tmp_path: Path) -> None:
    link, real = linked(tmp_path, "config.toml")
    real.write_text('user = "ana"\n', encoding="utf-8")
    save_setting("theme", "nord", path=link)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == 'user = "ana"\ntheme = "nord"\n'
    assert load_settings(link).theme == "nord"
    assert not list(real.parent.glob("*.tmp")) and not list(tmp_path.glob("*.tmp"))


@needs_fifo
def test_theme_save_refuses_a_fifo_config(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="a FIFO, not a regular file"):
        save_setting("theme", "nord", path=fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
