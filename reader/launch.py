"""The console script's entry point, and how the process ends after the reader.

`copydesk` with no argument (the commonest launch: the reader on the demo corpus, or on
the corpus the config names) opens the reader straight away, as `copydesk open` would
with its defaults, without importing click or building the command line: both cost the
first frame about 15 ms and are of no use to it. Every other command line goes to
`reader.cli`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def main() -> None:
    """Console-script entry point: the reader at once for a bare `copydesk`, else the
    click command line (`reader.cli.main`)."""
    if sys.argv[1:]:
        from reader.cli import main as cli_main

        cli_main()
        return
    from reader import collector, logs

    collector.hold()  # until the reader's first frame (see `reader.collector`)
    code = run_reader([], verbosity=logs.NORMAL)
    end_after_reader(code)


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
