"""The `copydesk` command line.

`copydesk [PATH...]` opens the reader (the demo corpus when no PATH is given);
`copydesk clean` writes cleaned text; the annotation and review commands live in their
own modules, imported only when one of them runs (or `--help` lists them), so opening the
reader does not pay for them.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reader import __version__, collector, logs, paths
from reader.config import load_settings
from reader.corpus import Article, LoadResult, iter_corpus, strip_controls
from reader.corpus.loader import NO_TEXT_REASON

if TYPE_CHECKING:
    from reader.boilerplate import Analysis

log = logging.getLogger(__name__)

TUI_COMMANDS = frozenset({"open", "review"})
"""Commands that (may) take over the terminal, so they log to the log file. (`review
stats` logs there too: one group.)"""

PROGRESS_THRESHOLD = 25
"""Show a progress bar on stderr once a run covers this many articles."""

EXPORT_FORMATS = ("txt", "md", "jsonl")
"""`reader.export.FORMATS`, spelled here so building the CLI does not import the writers
(a test keeps the two equal)."""

LAZY_COMMANDS = {
    "annotate": "reader.cli_annotations:annotate_command",
    "annotations": "reader.cli_annotations:annotations_group",
    "compare": "reader.cli_compare:compare_command",
    "export": "reader.cli_annotations:export_command",
    "review": "reader.cli_review:review_group",
    "serve": "reader.serve:serve_command",
}
"""Commands defined in other modules, as "module:attribute", imported on first use."""


GROUP_FLAGS = frozenset({"-v", "--verbose", "-q", "--quiet"})
"""The group's own options, which may stand before the PATH of `copydesk [PATH...]`."""


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a command, goes to `open`.

    So `copydesk article.txt` opens the reader while `copydesk clean ...` still works.
    Commands named in `LAZY_COMMANDS` are imported when they are looked up (click's
    "lazily loading subcommands" pattern), so `copydesk` itself starts without them.
    """

    default_command = "open"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        lead = 0  # the group's own flags come first: `copydesk --verbose story.txt`
        while lead < len(args) and args[lead] in GROUP_FLAGS:
            lead += 1
        if not ctx.resilient_parsing and self.opens_reader(args[lead:]):
            args = [*args[:lead], self.default_command, *args[lead:]]
        return super().parse_args(ctx, args)

    def opens_reader(self, args: Sequence[str]) -> bool:
        """Whether `args` go to `open`: none, an option, `-` or an existing path first.

        A first word that is neither a command nor a path is a mistyped command, reported
        by `resolve_command`. Shell completion (resilient parsing) never gets `open`
        inserted, so it offers the subcommands.
        """
        if not args:
            return True
        first = args[0]
        if first in ("--help", "-h", "--version") or self.is_command(first):
            return False
        return first.startswith("-") or Path(first).exists()

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if ctx.resilient_parsing or name.startswith("-") or self.is_command(name):
            return super().resolve_command(ctx, args)
        import difflib  # only for a mistyped command

        close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
        if close:
            message = f"No such command {name!r}. Did you mean {close[0]!r}?"
        else:
            message = f"No such command {name!r}, and no file or folder of that name."
        raise click.UsageError(message, ctx)

    def is_command(self, name: str) -> bool:
        """Whether `name` is a command, without importing a lazy one."""
        return name in self.commands or name in LAZY_COMMANDS

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            module_name, attribute = LAZY_COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{LAZY_COMMANDS[cmd_name]} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="copydesk")
@click.option("-v", "--verbose", is_flag=True,
              help="Log debugging detail (stderr; the reader's log file for the reader).")
@click.option("-q", "--quiet", is_flag=True,
              help="Log only errors: no summaries or per-file counts on stderr.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool, quiet: bool) -> None:
    """copydesk: read scraped news articles side by side, strip their boilerplate,
    tag and annotate them, and export clean text.

    With no command, `copydesk [PATH...]` opens the reader on PATH (files or
    directories of .txt, .md, .html and .jsonl; `-` for stdin), or on the bundled
    demo corpus when no PATH is given.

    The reader logs to copydesk.log in the platform log directory (e.g.
    ~/.local/state/copydesk/log/), never on the terminal it draws on; the other commands
    log on stderr.
    """
    if verbose and quiet:
        raise click.UsageError("--verbose and --quiet exclude each other")
    verbosity = logs.VERBOSE if verbose else logs.QUIET if quiet else logs.NORMAL
    ctx.obj = verbosity
    if ctx.invoked_subcommand != "open":
        collector.release(freeze=False)  # held for the reader's first frame only
    if ctx.invoked_subcommand in TUI_COMMANDS:
        logs.to_file(verbosity)
    else:
        logs.to_stderr(verbosity)
    log.debug("copydesk %s, Python %s: %s", __version__, sys.version.split()[0], sys.argv[1:])
    log.debug("config %s, database %s", paths.config_file(), paths.database_file())
    if ctx.invoked_subcommand != "open":  # the reader shows them in notifications
        for warning in load_settings().warnings:
            error(warning)


def error(message: str) -> None:
    """One line on stderr, with control characters removed (file names are untrusted)."""
    click.echo(f"copydesk: {strip_controls(message)}", err=True)


def load_inputs(inputs: Sequence[str], *, quiet: bool = False) -> LoadResult:
    """Load the corpus, reporting each bad file on stderr; the demo corpus when none given."""
    settings = load_settings()
    sources = paths.corpus_sources(inputs)
    result = LoadResult()
    for item in iter_corpus(sources, max_file_bytes=settings.max_file_bytes):
        if isinstance(item, Article):
            result.articles.append(item)
        else:
            result.problems.append(item)
            if not quiet:
                error(str(item))
    return result


def analyze(articles: Sequence[Article]) -> list[Analysis]:
    """Run the detector, with a progress bar on stderr for long interactive runs."""
    from reader.boilerplate import detect_corpus, iter_detect_corpus

    if len(articles) < PROGRESS_THRESHOLD or not sys.stderr.isatty():
        return detect_corpus(articles)
    analyses: list[Analysis] = []
    with click.progressbar(
        length=len(articles), label="Detecting boilerplate", file=sys.stderr
    ) as bar:
        for analysis in iter_detect_corpus(articles):
            analyses.append(analysis)
            bar.update(1)
    return analyses


@cli.command("clean")
@click.argument("inputs", nargs=-1, metavar="[PATH]...")
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for one output per input article (NAME.txt in, DIR/NAME.txt out).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="txt",
    show_default=True,
    help="txt: the kept lines; md: YAML front matter (title, source, author, date) and "
    "the body; jsonl: one record per article.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="List each removed line (NAME:LINE, 1-based as everywhere people read line "
    "numbers) with its kind and reason on stderr.",
)
@click.option(
    "--labels",
    is_flag=True,
    help='Instead of cleaned text, write one JSON object per non-empty line: {"line", '
    '"label", "kind", "reason", "score"} (to DIR/NAME.pred.jsonl with -o). "line" is the '
    "0-based index the labels format and the gold files use: line 0 here is line 1 in "
    "--explain and the reader.",
)
@click.option(
    "--drop-inline", is_flag=True, help='Also cut inline boilerplate such as "(RELATED: ...)".'
)
@click.option(
    "--rules-only",
    is_flag=True,
    help="Judge lines by the rules alone, without the line model: about twice as fast, "
    "less accurate on sites unlike the ones the rules were written for.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes (default: every core). The output is the same for any number.",
)
@click.option(
    "--shard-size",
    type=click.IntRange(min=1),
    help="With -f jsonl -o DIR: write DIR/part-00000.jsonl, ... of this many records each.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue an interrupted run into the same -o DIR without redoing finished outputs.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: this machine's processes; dask: a Dask distributed cluster "
    "(pip install 'copydesk[dask]').",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --engine dask: the scheduler to use (tcp://host:8786); without it a "
    "LocalCluster of --jobs workers is started.",
)
def clean_command(
    inputs: tuple[str, ...],
    out_dir: Path | None,
    fmt: str,
    explain: bool,
    labels: bool,
    drop_inline: bool,
    rules_only: bool,
    jobs: int | None,
    shard_size: int | None,
    resume: bool,
    engine: str,
    scheduler: str | None,
) -> None:
    """Write the cleaned text of each article: boilerplate lines removed, kept lines verbatim
    and in order.

    PATH may be files, directories (searched recursively for .txt, .md, .html, .htm,
    .jsonl, the same compressed as .gz or .zst, and .warc/.warc.gz web archives, whose
    HTML responses are cleaned), or `-` for stdin; with none, the bundled demo corpus.
    Files that cannot be read are reported on stderr, one line each, and the rest are
    still cleaned; the exit status is non-zero only when nothing could be loaded.

    Lines repeated across the articles of one site (the host of an article's URL, or the
    folder it came from) count as that site's chrome: a first pass counts them, a second
    cleans. Inputs are read lazily and outputs written as they are ready, so a corpus of
    any size runs in flat memory.

    Without -o, output goes to stdout; several articles in txt or md are each preceded by
    a `==> SOURCE <==` line. Progress shows on stderr when it is a terminal, and a one-line
    summary ends every run; stdout carries nothing but the cleaned data.
    """
    import signal

    from reader.scale.early import default_jobs, start_workers_early

    if shard_size is not None and (fmt != "jsonl" or out_dir is None or labels):
        raise click.UsageError("--shard-size needs -f jsonl and -o DIR")
    if resume and out_dir is None:
        raise click.UsageError("--resume needs the -o DIR of the interrupted run")
    if scheduler is not None and engine != "dask":
        raise click.UsageError("--scheduler goes with --engine dask")
    sources = paths.corpus_sources(inputs)
    jobs = jobs or default_jobs()
    # Before importing the cleaning code: the workers' forkserver imports it meanwhile.
    start_workers_early(sources, jobs, engine)

    from reader.scale.run import Plan, ResumeError, run
    from reader.scale.work import Options

    settings = load_settings()
    stdin_data = None
    if "-" in sources:
        stdin_data = sys.stdin.buffer.read(settings.max_file_bytes + 1)
    plan = Plan(
        inputs=sources,
        out_dir=out_dir,
        options=Options(
            fmt=fmt,
            labels=labels,
            drop_inline=drop_inline,
            explain=explain,
            max_file_bytes=settings.max_file_bytes,
            line_model=not rules_only,
        ),
        shard_size=shard_size,
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
        resume=resume,
        progress=sys.stderr.isatty(),
        stdin_data=stdin_data,
    )

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.getsignal(signal.SIGTERM)
    in_main = threading_is_main()
    if in_main:
        signal.signal(signal.SIGTERM, stop)
    try:
        report = RecordProblems()
        try:
            summary = run(plan, problem=report, explain=explain_line)
        finally:
            report.flush()
    except ResumeError as problem:
        error(str(problem))
        sys.exit(2)
    except BrokenPipeError:
        raise  # stdout's reader has gone (`| head`): click ends quietly
    except OSError as problem:  # an output that cannot be written: one line, no traceback
        where = f"{problem.filename}: " if problem.filename else ""
        error(f"{where}{problem.strerror or problem}")
        sys.exit(1)
    except KeyboardInterrupt:
        if out_dir is not None:
            error(f"interrupted; run the same command with --resume to finish {out_dir}")
        else:
            error("interrupted")
        sys.exit(130)
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
    if summary.nothing:
        error("nothing to clean: no article could be loaded")
        sys.exit(1)
    log.info(summary.line(plan.jobs, engine))
    log.debug(
        "detector: %.2f CPU s over %.1f MB (%.2f MB per CPU s); the run: %.2f s",
        summary.detector_seconds,
        summary.text_bytes / 1e6,
        summary.text_bytes / 1e6 / summary.detector_seconds if summary.detector_seconds else 0,
        summary.seconds,
    )


class RecordProblems:
    """Load problems on stderr, one line each, except that a run of records of one jsonl
    file without a `text` field is the first such line, then one line counting the rest
    (a file of something else than articles would otherwise fill the terminal)."""

    def __init__(self) -> None:
        self.file: str | None = None
        self.more = 0

    def __call__(self, line: str) -> None:
        suffix = f": {NO_TEXT_REASON}"
        file = line.removesuffix(suffix).rpartition("#")[0] if line.endswith(suffix) else None
        if file is not None and file == self.file:
            self.more += 1
            return
        self.flush()
        self.file = file
        error(line)

    def flush(self) -> None:
        if self.file is not None and self.more:
            error(f"{self.file}: {self.more} more record(s) skipped: no string 'text' field")
        self.file, self.more = None, 0


def threading_is_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def take_piped_stdin(inputs: Sequence[str]) -> bytes | None:
    """For `-` among `inputs`: read stdin to the end, then give fd 0 to the terminal.

    The app's terminal driver reads keys from fd 0, so a pipe left there is read as
    keypresses and never reaches the loader. The whole pipe (up to the size limit, plus
    one byte so the loader can report it as too large) is read first, and `/dev/tty`
    takes its place. None when `-` is not asked for.
    """
    import os

    if "-" not in inputs:
        return None
    data = sys.stdin.buffer.read(load_settings().max_file_bytes + 1)
    if not os.isatty(0):
        try:
            terminal = os.open("/dev/tty", os.O_RDWR)
        except OSError as exc:
            error(f"stdin was piped and there is no terminal for the keys (/dev/tty: {exc})")
            sys.exit(1)
        os.dup2(terminal, 0)
        os.close(terminal)
    return data


def explain_line(line: str) -> None:
    """An --explain line on stderr (article text is untrusted)."""
    click.echo(strip_controls(line), err=True)


_reader_finished = False
"""Set once the reader has run to its end in this process (see `main`)."""


@cli.command("open")
@click.argument("inputs", nargs=-1, metavar="[PATH]...")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Annotation database file.",
)
@click.option("--user", help="Author name for your annotations (default: config, then login name).")
def open_command(inputs: tuple[str, ...], db_path: Path | None, user: str | None) -> None:
    """Open the reader on PATH (the demo corpus when none is given)."""
    from reader.reader_run import run_reader

    stdin_data = take_piped_stdin(inputs)
    code = run_reader(list(inputs), db_path=db_path, user=user, stdin_data=stdin_data)
    global _reader_finished
    _reader_finished = True
    if code:
        sys.exit(code)



def main() -> None:
    """The click command line's entry point (a bare `copydesk` goes to `reader.launch`).

    The cyclic collector is paused until the reader's first frame (any other command
    resumes it at once): see `reader.collector`. After the reader, the process ends
    without tearing the interpreter down (`reader.reader_run.end_after_reader`).
    """
    collector.hold()  # until the reader's first frame (see `reader.collector`)
    try:
        cli(prog_name="copydesk")
    except SystemExit as done:
        if not _reader_finished:
            raise
        code = done.code
    else:
        if not _reader_finished:
            return
        code = 0
    from reader.reader_run import end_after_reader

    end_after_reader(code)
