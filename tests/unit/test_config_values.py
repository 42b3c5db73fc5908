"""Config values out of range or of the wrong type fall back to their default with one
warning naming the setting, shown by the CLI on stderr (the reader notifies it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.annotations_support import STORY

from reader.cli import cli
from reader.config import (
    DEFAULT_COLUMNS,
    DEFAULT_MAX_FILE_BYTES,
    MAX_FILE_BYTES_LIMIT,
    load_settings,
)


def write_config(isolated_paths: Path, text: str) -> Path:
    config = isolated_paths / "config.toml"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.mark.parametrize(
    "value",
    ["1e12", str(2**63 - 1), str(MAX_FILE_BYTES_LIMIT + 1), "0", "-5", "true", '"50MB"', "[1]"],
)
def test_bad_max_file_bytes_falls_back_with_a_warning(isolated_paths: Path, value: str) -> None:
    config = write_config(isolated_paths, f"max_file_bytes = {value}\n")
    settings = load_settings()
    assert settings.max_file_bytes == DEFAULT_MAX_FILE_BYTES
    (warning,) = settings.warnings
    assert warning.startswith(f"{config}: 'max_file_bytes' should be")
    assert "using the default" in warning and "\n" not in warning


@pytest.mark.parametrize("value", ["0", "99", "-1", "2.5", "false", '"two"'])
def test_bad_columns_fall_back_with_a_warning(isolated_paths: Path, value: str) -> None:
    write_config(isolated_paths, f"columns = {value}\n")
    settings = load_settings()
    assert settings.columns == DEFAULT_COLUMNS
    (warning,) = settings.warnings
    assert "'columns' should be" in warning


def test_good_values_are_kept_without_warnings(isolated_paths: Path) -> None:
    write_config(
        isolated_paths,
        f'user = "ana"\nmax_file_bytes = {MAX_FILE_BYTES_LIMIT}\ncolumns = 3\n'
        '[keymap]\n"decide.accept" = "y"\n',
    )
    settings = load_settings()
    assert settings.warnings == ()
    assert (settings.user, settings.max_file_bytes, settings.columns) == (
        "ana",
        MAX_FILE_BYTES_LIMIT,
        3,
    )
    assert settings.keymap == {"decide.accept": "y"}


def test_wrong_types_for_strings_and_keymap_are_named(isolated_paths: Path) -> None:
    write_config(isolated_paths, 'user = 7\ntheme = true\n[keymap]\n"decide.accept" = 1\n')
    settings = load_settings()
    assert (settings.user, settings.theme, settings.keymap) == (None, None, {})
    assert len(settings.warnings) == 3
    assert any("'user' should be a string" in w for w in settings.warnings)
    assert any("'theme' should be a string" in w for w in settings.warnings)
    assert any("'keymap.decide.accept'" in w for w in settings.warnings)


@pytest.mark.parametrize("value", ["1e12", str(2**63 - 1), "-1"])
def test_the_cli_warns_on_stderr_and_still_works(
    isolated_paths: Path, tmp_path: Path, value: str
) -> None:
    config = write_config(isolated_paths, f"max_file_bytes = {value}\n")
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(cli, ["clean", str(story)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "central bank left its key rate" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if "max_file_bytes" in line]
    assert len(warnings) == 1 and warnings[0].startswith(f"copydesk: {config}: 'max_file_bytes'")
    stats = CliRunner().invoke(cli, ["annotations", "stats"], catch_exceptions=False)
    assert stats.exit_code == 0 and "'max_file_bytes' should be" in stats.stderr
