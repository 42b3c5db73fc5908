"""The console script's entry point.

`copydesk` with no argument (the reader on the demo corpus) opens the reader straight
away, as `copydesk open` would with its defaults, without importing click or building
the command line: both cost the first frame about 15 ms and are of no use to it. Every
other command line goes to `reader.cli`.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point: the reader at once for a bare `copydesk`, else the
    click command line (`reader.cli.main`)."""
    if sys.argv[1:]:
        from reader.cli import main as cli_main

        cli_main()
        return
    from reader import collector, logs
    from reader.reader_run import end_after_reader, run_reader

    collector.hold()  # until the reader's first frame (see `reader.collector`)
    code = run_reader([], verbosity=logs.NORMAL)
    end_after_reader(code)
