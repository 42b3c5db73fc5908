"""Parsed stylesheets kept between launches, so the first frame does not wait for them.

Textual parses every stylesheet (the app's `.tcss` files and the `DEFAULT_CSS` of each
widget class it mounts) at every start, about 10 ms of the reader's first frame on a
2-core machine. What a parse gives depends only on the CSS text, the theme's variables
and Textual itself, so the parsed rules are kept in the cache directory, one file per
theme and Textual install, and put back into the stylesheet's own parse cache before
anything is parsed. A source that is new or has changed is parsed as before (its text is
part of the key), and the file is written again when the reader ends if it learnt
anything. A file that cannot be read (damaged, from another Textual, another Python) is
ignored and replaced. The file is trusted as the bytecode Python keeps for the package
is: it lives in the user's own cache directory.

This reaches into `Stylesheet._parse_cache` and `Stylesheet._variables`: Textual is
pinned to one version, and `tests/app/test_style_cache.py` fails if either changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

import textual
from textual.css.stylesheet import Stylesheet

from reader import paths

log = logging.getLogger(__name__)

FORMAT = 1
"""Bumped when what the file holds changes shape."""

MAX_ENTRIES = 128
"""Parsed sources a file keeps: this session's first, then earlier ones (a source that
changed leaves its old text behind, which would otherwise pile up)."""

Entries = dict[tuple[Any, ...], list[Any]]


def _textual_install() -> str:
    """What identifies the Textual the rules were parsed by: its path and the time its
    package was written (a reinstall or upgrade changes it)."""
    package = Path(textual.__file__)
    return f"{package}:{package.stat().st_mtime_ns}"


def cache_file(variables: dict[str, str], directory: Path | None = None) -> Path:
    """The file for rules parsed with these CSS variables (the theme's, plus copydesk's)."""
    digest = hashlib.blake2b(digest_size=12)
    for part in (str(FORMAT), sys.version, _textual_install()):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for name, value in sorted(variables.items()):
        digest.update(f"{name}={value}\0".encode("utf-8", "surrogatepass"))
    return (directory or paths.cache_dir()) / f"styles-{digest.hexdigest()}.pickle"


def _read(path: Path) -> Entries:
    """The entries of `path`, or none if it is missing or cannot be used."""
    try:
        with path.open("rb") as handle:
            entries = pickle.load(handle)
    except FileNotFoundError:
        return {}
    except Exception as error:  # a damaged or foreign file of any kind: parse afresh
        log.debug("parsed styles in %s not used: %s", path, error)
        return {}
    if not isinstance(entries, dict) or not all(
        isinstance(key, tuple) and isinstance(rules, list) for key, rules in entries.items()
    ):
        log.debug("parsed styles in %s not used: not a table of parsed sources", path)
        return {}
    return entries


class ParsedStyles:
    """An app's parsed sources: restored into its stylesheet as it starts, stored from
    it as it ends."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        """Where the files go (default: the cache directory, `paths.cache_dir`)."""
        self._path: Path | None = None
        self._stored: Entries = {}

    def restore(self, stylesheet: Stylesheet) -> int:
        """Put the cached parses for the stylesheet's variables into its parse cache;
        how many sources were restored. Never raises: without the cache, Textual parses."""
        try:
            self._path = cache_file(stylesheet._variables, self.directory)
            self._stored = _read(self._path)
            parse_cache = stylesheet._parse_cache
            parse_cache.grow(len(self._stored) + 64)
            for key, rules in self._stored.items():
                parse_cache.set(key, rules)
        except Exception as error:  # a cache only saves time: the app starts without it
            log.warning("parsed styles not restored: %s", error)
            self._path, self._stored = None, {}
            return 0
        return len(self._stored)

    def store(self, stylesheet: Stylesheet) -> bool:
        """Write the cache again if the stylesheet parsed a source it did not hold (for
        the variables it has now: a theme chosen meanwhile gets its own file); whether
        it wrote. An error is logged, never raised: the cache only saves time."""
        try:
            path = cache_file(stylesheet._variables, self.directory)
            known = self._stored if path == self._path else _read(path)
            parse_cache = stylesheet._parse_cache
            parsed: Entries = {}
            for key in list(parse_cache.keys()):
                rules = parse_cache.get(key)
                if rules is not None and not any(rule.errors for rule in rules):
                    parsed[key] = rules
            if all(key in known for key in parsed):
                return False
            entries = dict(parsed)
            for key, rules in known.items():
                if len(entries) >= MAX_ENTRIES:
                    break
                entries.setdefault(key, rules)
            _write(path, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception as error:  # unpicklable rules, an unwritable directory
            log.warning("could not keep the parsed styles: %s", error)
            return False
        self._path, self._stored = path, entries
        return True


def _write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it, so a reader running at
    the same time sees the old file or the new one, never half of one.

    Not `reader.files.atomic_write`: that writes text through one fixed temporary name,
    and two readers ending at once would write the same temporary file; here each gets
    its own (`mkstemp`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
