"""Where copydesk's `logging` goes: stderr for the plain commands, a file for the reader.

The command-line commands log on stderr at INFO (`--verbose`: DEBUG, `--quiet`: errors
only), beside the one-line problem reports they print there. The reader, the review
screen and every browser session of `copydesk serve` own the terminal (or the page), so
a log line on stderr would be drawn over the screen: they log to `paths.log_file()`
instead, with nothing on stderr, not even Python's last-resort handler.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from reader import paths

VERBOSE, NORMAL, QUIET = 1, 0, -1
"""The verbosity the CLI group's `--verbose` / `--quiet` choose."""

LOG_FILE_BYTES = 1_000_000
"""The log file rolls over at this size, keeping `LOG_FILE_BACKUPS` older ones."""
LOG_FILE_BACKUPS = 3

_HANDLER_MARK = "_copydesk_handler"


def level_for(verbosity: int) -> int:
    """DEBUG with `--verbose`, ERROR with `--quiet`, INFO otherwise."""
    if verbosity >= VERBOSE:
        return logging.DEBUG
    if verbosity <= QUIET:
        return logging.ERROR
    return logging.INFO


class StderrFormatter(logging.Formatter):
    """`copydesk: message` (as the commands' own reports), `copydesk: debug: name: message`."""

    def format(self, record: logging.LogRecord) -> str:
        from reader.corpus.text import strip_controls  # messages may name untrusted files

        message = strip_controls(record.getMessage())
        if record.exc_info:
            message += "\n" + self.formatException(record.exc_info)
        if record.levelno < logging.INFO:
            return f"copydesk: debug: {record.name}: {message}"
        if record.levelno >= logging.WARNING:
            return f"copydesk: {record.levelname.lower()}: {message}"
        return f"copydesk: {message}"


class StderrHandler(logging.StreamHandler):
    """A stream handler writing to whatever `sys.stderr` is when a record comes (click's
    test runner and redirections swap it; the stream it started with may be closed)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        """Ignored: the stream is always the current `sys.stderr`."""


def _replace_handlers(handler: logging.Handler, level: int) -> None:
    """Install `handler` as copydesk's one root handler (again after a second call)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
        old.close()
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)


def to_stderr(verbosity: int = NORMAL) -> None:
    """Log on stderr, for the commands that do not take over the terminal."""
    handler = StderrHandler()
    handler.setFormatter(StderrFormatter())
    _replace_handlers(handler, level_for(verbosity))


def to_file(verbosity: int = NORMAL) -> Path | None:
    """Log to the reader's log file, and nowhere else (the app owns the terminal).

    Returns the file, or None when it cannot be opened (then nothing is logged at all:
    a log must never stop the reader from opening or reach its screen).
    """
    path = paths.log_file()
    handler: logging.Handler
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8"
        )
    except OSError:
        handler, path = logging.NullHandler(), None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    _replace_handlers(handler, level_for(verbosity))
    logging.getLogger(__name__).debug("logging to %s (pid %d)", path, os.getpid())
    return path
