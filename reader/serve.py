"""`copydesk serve`: the same reader in a web browser, through textual-serve.

textual-serve's `Server(command)` runs `command` in a shell once per browser session,
with Textual's web driver, and relays the screen and the keys over a websocket. The
command here is this Python running `python -m reader open` on the same paths (made
absolute), database and user, so each tab is the reader `copydesk PATH...` would open,
writing to the same annotation database (the store's lock serializes its writers).
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reader.corpus.loader import STDIN

if TYPE_CHECKING:
    from textual_serve.server import Server

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
"""Only this machine can connect unless `--host` says otherwise."""
DEFAULT_PORT = 8000
SHUTDOWN_SECONDS = 2.0
"""How long ctrl+c waits for browser sessions to end by themselves before ending them."""


def session_command(
    inputs: tuple[str, ...],
    *,
    db_path: Path | None = None,
    user: str | None = None,
    verbosity: int = 0,
) -> str:
    """The shell command each browser session runs: the reader on `inputs`."""
    words = [sys.executable, "-m", "reader"]
    if verbosity > 0:
        words.append("--verbose")
    elif verbosity < 0:
        words.append("--quiet")
    words.append("open")
    if db_path is not None:
        words += ["--db", str(db_path.expanduser().resolve())]
    if user is not None:
        words += ["--user", user]
    words += ["--", *(str(Path(path).expanduser().resolve()) for path in inputs)]
    return shlex.join(words)


def make_server(command: str, host: str, port: int, public_url: str | None = None) -> Server:
    """A textual-serve `Server` for `command` that logs through copydesk's logging and says
    where it listens once it does."""
    from textual_serve.server import Server

    class ReaderServer(Server):
        def initialize_logging(self) -> None:
            """Keep copydesk's handlers (the CLI set them up): no second, rich one."""

        async def on_startup(self, app: object) -> None:
            """No banner: `announce` speaks once the socket is listening."""

        def announce(self, *_: object) -> None:
            click.echo(f"copydesk: serving the reader on {self.public_url} (ctrl+c stops)")
            log.debug("each session runs %s", self.command)

        def serve(self, debug: bool = False) -> None:
            """`Server.serve` on a loop of its own, announcing the address once bound."""
            from aiohttp import web

            self.debug = debug
            if log.getEffectiveLevel() > logging.DEBUG:  # requests only with --verbose
                logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            # aiohttp's own SIGINT/SIGTERM handling: a graceful exit, handlers removed after.
            # Open sessions are cancelled after SHUTDOWN_SECONDS; each then tells its reader
            # to quit and waits for it (saves are already on disk).
            web.run_app(self._make_app(), host=self.host, port=self.port,
                        handle_signals=True, loop=loop, print=self.announce,
                        shutdown_timeout=SHUTDOWN_SECONDS)

    return ReaderServer(command, host=host, port=port, title="copydesk", public_url=public_url)


@click.command("serve")
@click.argument("inputs", nargs=-1, metavar="[PATH]...")
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on (0.0.0.0: every interface; anyone who can reach "
              "it can read and annotate).")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT,
              show_default=True, help="TCP port to listen on.")
@click.option("--public-url", metavar="URL",
              help="The address browsers use, behind a proxy (default: http://HOST:PORT).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Annotation database file.")
@click.option("--user", help="Author name for the annotations made in the browser.")
@click.pass_context
def serve_command(
    ctx: click.Context,
    inputs: tuple[str, ...],
    host: str,
    port: int,
    public_url: str | None,
    db_path: Path | None,
    user: str | None,
) -> None:
    """Serve the reader on PATH (the demo corpus when none is given) to web browsers.

    Open the printed address; every browser tab gets its own reader, as `copydesk PATH...`
    would open it in a terminal, saving to the same annotation database. Listens on
    127.0.0.1 (this machine only) unless --host says otherwise; ctrl+c stops it.
    """
    if STDIN in inputs:
        raise click.UsageError("serve reads files and folders, not stdin (-)")
    try:
        import textual_serve  # noqa: F401
    except ImportError as exc:  # a broken install: say what is missing
        raise click.ClickException(f"copydesk serve needs textual-serve ({exc})") from exc
    command = session_command(inputs, db_path=db_path, user=user, verbosity=ctx.obj or 0)
    server = make_server(command, host, port, public_url)
    try:
        server.serve()
    except OSError as exc:  # the port is taken, the address is not this machine's
        reason = exc.strerror or exc
        raise click.ClickException(f"cannot listen on {host}:{port}: {reason}") from exc
