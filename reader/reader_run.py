"""Running the reader in this process, and ending the process after it.

Shared by the console script's bare launch (`reader.launch`) and `copydesk open`
(`reader.cli`); Textual-free until the reader is opened.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def run_reader(
    inputs: list[str],
    *,
    db_path: Path | None = None,
    user: str | None = None,
    stdin_data: bytes | None = None,
    verbosity: int | None = None,
) -> int:
    """Open the reader on `inputs` and run it to its end; its return code. With
    `verbosity`, logging goes to the log file first (`copydesk open` has done that)."""
    from reader import logs
    from reader.app import make_app

    if verbosity is not None:  # else the caller has set logging up
        logs.to_file(verbosity)

    app = make_app(inputs=inputs, db_path=db_path, user=user, stdin_data=stdin_data)
    app.run()
    # Every worker thread has finished by now (the app's event loop waited for them).
    return app.return_code or 0


def end_after_reader(code: object) -> None:
    """End the process once the reader has run, without tearing the interpreter down.

    Freeing the corpus, its list and its caches object by object took about a second for
    2,000 articles after the window had closed. That is only done when no other thread
    is left (the app's event loop has waited for its workers, saves included); output is
    flushed and exit handlers run first.
    """
    import atexit
    import os
    import threading

    others = [t for t in threading.enumerate() if t is not threading.current_thread()]
    if any(not t.daemon for t in others):
        sys.exit(code)  # a thread is still at work: the ordinary exit waits for it
    if not isinstance(code, int):
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code)
