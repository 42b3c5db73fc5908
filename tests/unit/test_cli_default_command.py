"""The default-command group: paths open the reader, typos and completion do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reader import cli as cli_module
from reader.cli import cli


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """What `open` would have opened, without starting the app."""
    calls: list[tuple[str, ...]] = []

    def fake_open(inputs: tuple[str, ...], db_path: Path | None, user: str | None) -> None:
        calls.append(inputs)

    monkeypatch.setattr(cli_module.open_command, "callback", fake_open)
    return calls


def test_a_typo_names_the_closest_command(opened: list) -> None:
    result = CliRunner().invoke(cli, ["anotations", "list"])
    assert result.exit_code == 2
    assert "No such command 'anotations'. Did you mean 'annotations'?" in result.output
    assert opened == []


def test_a_word_that_is_no_command_and_no_path_is_an_error(opened: list) -> None:
    result = CliRunner().invoke(cli, ["zzqx"])
    assert result.exit_code == 2
    assert "No such command 'zzqx'" in result.output
    assert opened == []


def test_paths_and_stdin_still_open_the_reader(
    opened: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").write_text("Headline\n\nA file without a suffix.\n")
    (tmp_path / "story.txt").write_text("Headline\n\nBody.\n")
    runner = CliRunner()
    cases = (["story.txt"], ["notes"], [str(tmp_path / "story.txt")], ["-"], [], ["--db", "x"])
    for args in cases:
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
    assert opened == [("story.txt",), ("notes",), (str(tmp_path / "story.txt"),), ("-",), (), ()]


def complete(words: str) -> str:
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {
        "_COPYDESK_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }
    return CliRunner().invoke(cli, [], env=env, prog_name="copydesk").output


def test_shell_completion_offers_the_subcommands(opened: list) -> None:
    assert complete("copydesk anno").split() == ["plain,annotate", "plain,annotations"]
    offered = complete("copydesk ").split()
    assert {"plain,clean", "plain,review", "plain,open"} <= set(offered)
    assert "plain,list" in complete("copydesk annotations ").split()
    assert opened == []
