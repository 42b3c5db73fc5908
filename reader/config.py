"""User settings from a TOML file (see `reader.paths.config_file`).

Unknown keys are ignored; a value of the wrong type or out of range falls back to its
default with a one-line warning naming the setting (the reader notifies it, the CLI
prints it on stderr), so a typo in the config never stops anything from running.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from annotations.text import clean_line
from reader import paths
from reader.files import replaceable_target

DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FILE_BYTES_LIMIT = 2**30
"""The largest `max_file_bytes` accepted (1 GiB): a file is read into memory whole, and
a limit beyond what fits (1e12, 2**63-1) only gave MemoryError/OverflowError."""
DEFAULT_COLUMNS = 2
MAX_COLUMNS = 6


class Settings(NamedTuple):
    """Everything the config file can set."""

    user: str | None = None
    """Author name recorded on annotations; defaults to the login name."""
    theme: str | None = None
    """Textual theme remembered between sessions."""
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    """Files larger than this are skipped with a message rather than loaded."""
    columns: int = DEFAULT_COLUMNS
    """How many article columns the reader opens with."""
    keymap: Mapping[str, str] = MappingProxyType({})
    """Binding id -> keys, applied with `App.set_keymap` (read-only, as the rest is)."""
    warnings: tuple[str, ...] = ()
    """Problems found while reading the file, for the UI or CLI to show."""


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from `path` (default: the config file); a missing file gives defaults."""
    path = path or paths.config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as error:
        return Settings(warnings=(clean_line(f"{path}: ignored, cannot read settings ({error})"),))
    import tomllib  # only when there is a file to parse: start-up without one skips it

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Settings(warnings=(clean_line(f"{path}: ignored, cannot read settings ({error})"),))

    warnings: list[str] = []

    def pick(key: str, kind: type, default: object) -> object:
        value = raw.get(key, default)
        if value is default or (isinstance(value, kind) and not isinstance(value, bool)):
            return value
        warnings.append(
            f"{path}: '{key}' should be {_KIND_NAMES.get(kind, kind.__name__)}, not "
            f"{_shown(value)}; using the default"
        )
        return default

    def pick_int(key: str, default: int, low: int, high: int, unit: str = "") -> int:
        value = pick(key, int, default)
        assert isinstance(value, int)
        if low <= value <= high:
            return value
        warnings.append(
            f"{path}: '{key}' should be between {low} and {high:,}{unit}, not {_shown(value)};"
            f" using the default ({default:,})"
        )
        return default

    keymap = pick("keymap", dict, {})
    assert isinstance(keymap, dict)
    clean_keymap = {
        clean_line(str(k)): clean_line(v) for k, v in keymap.items() if isinstance(v, str)
    }
    if len(clean_keymap) < len(keymap):
        bad = next(str(k) for k, v in keymap.items() if not isinstance(v, str))
        warnings.append(
            f"{path}: 'keymap.{_shown(bad, 40)[1:-1]}' should be a string of keys;"
            " that entry is ignored"
        )
    user = pick("user", str, None)
    theme = pick("theme", str, None)
    return Settings(
        user=clean_line(user) if isinstance(user, str) else None,
        theme=clean_line(theme) if isinstance(theme, str) else None,
        max_file_bytes=pick_int(
            "max_file_bytes", DEFAULT_MAX_FILE_BYTES, 1, MAX_FILE_BYTES_LIMIT, " bytes"
        ),
        columns=pick_int("columns", DEFAULT_COLUMNS, 1, MAX_COLUMNS),
        keymap=MappingProxyType(clean_keymap),
        warnings=tuple(clean_line(warning) for warning in warnings),
    )


_KIND_NAMES = {int: "a whole number", str: "a string", dict: "a table"}


def _shown(value: object, limit: int = 30) -> str:
    """A short, printable rendering of a config value for a warning."""
    text = repr(value)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def save_setting(key: str, value: str, path: Path | None = None) -> None:
    """Set one top-level string setting, keeping the rest of the file as written.

    Used to remember the theme; a line `key = "value"` is replaced or appended. A
    symlinked config file is written through (the link stays); a special file is refused.
    """
    path = replaceable_target(path or paths.config_file())
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    new_line = f'{key} = "{escaped}"'
    for index, line in enumerate(lines):
        if line.split("=", 1)[0].strip() == key and not line.lstrip().startswith("["):
            lines[index] = new_line
            break
    else:
        # Top-level keys must come before the first table header.
        first_table = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("[")), None)
        lines.insert(len(lines) if first_table is None else first_table, new_line)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def resolve_user(explicit: str | None = None, settings: Settings | None = None) -> str:
    """The author name: `--user`, then the config file, then the login name (control
    characters removed: the name is shown and stored)."""
    if explicit and clean_line(explicit).strip():
        return clean_line(explicit)
    settings = settings or load_settings()
    if settings.user and settings.user.strip():
        return settings.user
    try:
        name = clean_line(getpass.getuser())
    except (KeyError, OSError):
        name = clean_line(os.environ.get("USER") or "")
    return name if name.strip() else "anonymous"
