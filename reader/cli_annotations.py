"""Annotation commands: `copydesk annotate`, `copydesk annotations ...`, `copydesk export`.

Every command takes `--db FILE` (else `COPYDESK_DB`, else the data dir) and `--user NAME`
(else the config file, else the login name), reports errors as one line on stderr with a
non-zero exit, and strips control characters from anything untrusted it prints. A
command that says an annotation is saved has it on disk already.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from annotations.anchoring import anchor, make_target
from annotations.decisions import rejected_ids
from annotations.formats import (
    EXPORT_FORMATS,
    MAX_IMPORT_BYTES,
    ImportFormatError,
    export_text,
    parse_annotations,
)
from annotations.model import Annotation, AnnotationError, Motivation
from annotations.store import AnnotationStore, CorruptDatabaseError, StoreError, open_store
from reader import paths
from reader.config import load_settings, resolve_user
from reader.corpus import Article, iter_corpus, normalize, strip_controls
from reader.corpus.text import one_line
from reader.files import replaceable_target

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

CORRUPT_CHOICES = ("stop", "read-only", "fresh")


class CommandError(click.ClickException):
    """A one-line failure: `copydesk: MESSAGE` on stderr, exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"copydesk: {one_line(self.message)}", err=True)


def database_options(function: F) -> F:
    """`--db`, `--user` and `--if-corrupt`, shared by every annotation command."""
    function = click.option(
        "--if-corrupt",
        "if_corrupt",
        type=click.Choice(CORRUPT_CHOICES),
        default="stop",
        show_default=True,
        help="When a database file is corrupt: stop and say so; read what is intact "
        "(read-only); or rename the corrupt file to NAME.corrupt-TIME and start a fresh one.",
    )(function)
    function = click.option(
        "--user", help="Your author name (default: the config file, then your login name)."
    )(function)
    function = click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Annotation database file (default: $COPYDESK_DB, then the data directory).",
    )(function)
    return function


def reports_errors(function: F) -> F:
    """Turn every failure into one line on stderr and exit status 1, never a traceback."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise  # click ends quietly when stdout's reader has gone (`| head`)
        except CorruptDatabaseError as error:
            used = kwargs.get("if_corrupt") or "stop"
            raise CommandError(corrupt_advice(error, used, writing=used != "read-only")) from None
        except (StoreError, ImportFormatError, AnnotationError) as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            raise CommandError(f"{where}{error.strerror or error}") from None
        except Exception as error:  # a bug: still one line, with its kind
            raise CommandError(f"unexpected {type(error).__name__}: {error}") from None

    return wrapper  # type: ignore[return-value]


def corrupt_advice(error: CorruptDatabaseError, used: str, *, writing: bool) -> str:
    """The corrupt-database message, with only the ways out not already tried: never
    "rerun with" the option just given, never read-only to a command that writes."""
    fresh = ("--if-corrupt fresh to set the file aside (kept as NAME.corrupt-TIME) and start "
             "a fresh one")
    if used == "read-only":
        return (f"{error}; --if-corrupt read-only cannot read past a corrupt main file: "
                f"rerun with {fresh}")
    if used == "fresh":
        return f"{error}; even --if-corrupt fresh could not set it aside"
    if writing:
        return f"{error}; rerun with {fresh}"
    return f"{error}; rerun with --if-corrupt read-only to read what is intact, or {fresh}"


def open_database(db_path: Path | None, if_corrupt: str, *, writing: bool) -> AnnotationStore:
    """Open the database as `--if-corrupt` asks, telling the user about anything set aside."""
    if if_corrupt == "read-only" and writing:
        raise CommandError("--if-corrupt read-only cannot be used by a command that writes")
    try:
        store = open_store(paths.database_file(db_path), if_corrupt=if_corrupt).store
    except CorruptDatabaseError as error:
        raise CommandError(corrupt_advice(error, if_corrupt, writing=writing)) from None
    assert store is not None  # only the reader's "fallback" can open nothing
    for moved in store.set_aside:
        warn(f"corrupt file kept as {moved}; a fresh one replaces it")
    return store


def report_skipped(store: AnnotationStore) -> None:
    for problem in store.problems:
        warn(f"skipped corrupt file {problem.path} ({problem.reason})")


def warn(message: str) -> None:
    click.echo(f"copydesk: {one_line(message)}", err=True)


def tell(message: str) -> None:
    """A summary of what was done: logged at INFO, so `--quiet` leaves it out."""
    log.info(one_line(message))


def load_articles(inputs: Sequence[str]) -> list[Article]:
    """Load PATHs, reporting unreadable files; an error if nothing loads."""
    settings = load_settings()
    articles: list[Article] = []
    for item in iter_corpus(inputs, max_file_bytes=settings.max_file_bytes):
        if isinstance(item, Article):
            articles.append(item)
        else:
            warn(str(item))
    if not articles:
        raise CommandError(f"no article could be loaded from {', '.join(inputs)}")
    return articles


# --------------------------------------------------------------------- annotate


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Where `quote` occurs in `text`: exactly, else with any run of whitespace between words."""
    spans: list[tuple[int, int]] = []
    position = text.find(quote)
    while position != -1:
        spans.append((position, position + len(quote)))
        position = text.find(quote, position + 1)
    if spans:
        return spans
    words = quote.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    return [(match.start(), match.end()) for match in pattern.finditer(text)]


@click.command("annotate")
@click.argument("path", type=click.Path(exists=True, dir_okay=True, path_type=Path))
@click.option("--quote", required=True, help="Text of the article to annotate (must occur in it).")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for several.")
@click.option("--note", default="", help="A Markdown note; `-` reads it from stdin.")
@click.option("--remove", is_flag=True, help="Decide the quoted line(s) are boilerplate.")
@click.option("--keep", is_flag=True, help="Decide the quoted line(s) stay.")
@click.option(
    "--occurrence",
    type=click.IntRange(min=1),
    default=None,
    help="Which occurrence to annotate when the quote occurs more than once.",
)
@database_options
@reports_errors
def annotate_command(
    path: Path,
    quote: str,
    tags: tuple[str, ...],
    note: str,
    remove: bool,
    keep: bool,
    occurrence: int | None,
    db_path: Path | None,
    user: str | None,
    if_corrupt: str,
) -> None:
    """Add an annotation to the article at PATH, non-interactively.

    The annotation's id is printed once it is safely on disk. With --remove or --keep,
    it records your boilerplate decision on the line(s) the quote covers.
    """
    if remove and keep:
        raise click.UsageError("--remove and --keep cannot be used together: choose one")
    decision = "remove" if remove else "keep" if keep else None
    if note == "-":
        note = sys.stdin.read()
    wanted = normalize(quote)
    if not wanted.strip():
        raise CommandError("--quote is empty")
    matches = [
        (a, spans) for a in load_articles([str(path)]) if (spans := find_quote(a.text, wanted))
    ]
    if not matches:
        raise CommandError(f"the quote does not occur in {path}: {one_line(quote, 60)!r}")
    if len(matches) > 1:
        names = ", ".join(one_line(a.source, 60) for a, _ in matches[:3])
        raise CommandError(
            f"the quote occurs in {len(matches)} articles of {path} ({names}); quote more text"
        )
    article, spans = matches[0]
    if occurrence is None:
        if len(spans) > 1:
            warn(f"the quote occurs {len(spans)} times; annotating the first (see --occurrence)")
        occurrence = 1
    if occurrence > len(spans):
        raise CommandError(
            f"the quote occurs only {len(spans)} time(s); no occurrence {occurrence}"
        )
    start, end = spans[occurrence - 1]
    if decision is not None:
        motivation = Motivation.EDITING
    elif note.strip():
        motivation = Motivation.COMMENTING
    elif tags:
        motivation = Motivation.TAGGING
    else:
        motivation = Motivation.HIGHLIGHTING
    author = resolve_user(user)
    annotation = Annotation.create(
        article_id=article.id,
        source_hint=article.source,
        author=author,
        motivation=motivation,
        target=make_target(article.text, start, end),
        tags=tags,
        note=note,
        decision=decision,
    )
    store = open_database(db_path, if_corrupt, writing=True)
    saved = store.add(annotation)
    first = article.line_at(start).number + 1
    last = article.line_at(max(start, end - 1)).number + 1
    lines = f"line {first}" if first == last else f"lines {first}-{last}"
    what = f"{decision} decision" if decision else str(motivation)
    tell(f"saved {what} by {author} on {article.source}, {lines}")
    click.echo(saved.id)


# ------------------------------------------------------------------ annotations


@click.group("annotations")
def annotations_group() -> None:
    """List, export, import and count annotations."""


def describe(annotation: Annotation, status: str) -> str:
    """One line for `annotations list`."""
    kind = str(annotation.motivation)
    if annotation.decision:
        kind += f":{annotation.decision}"
    parts = [annotation.id[:8], f"{status:<8}", one_line(annotation.author, 20), kind]
    if annotation.tags:
        parts.append("[" + ", ".join(one_line(t, 30) for t in annotation.tags) + "]")
    if annotation.target is not None:
        parts.append(repr(one_line(annotation.target.exact, 60)))
    if annotation.note.strip():
        parts.append("— " + one_line(annotation.note, 80))
    return "  ".join(parts)


@annotations_group.command("list")
@click.argument("inputs", nargs=-1, metavar="[PATH]...")
@click.option("--tag", help="Only annotations with this tag.")
@click.option("--author", help="Only annotations by this author.")
@database_options
@reports_errors
def list_command(
    inputs: tuple[str, ...],
    tag: str | None,
    author: str | None,
    db_path: Path | None,
    user: str | None,
    if_corrupt: str,
) -> None:
    """List annotations, with where each is anchored when PATHs are given.

    With PATH, each article's annotations are re-anchored to its current text and shown
    as exact, moved, fuzzy or orphaned (orphans are kept, never dropped). Without PATH,
    every annotation in the database is listed.
    """
    store = open_database(db_path, if_corrupt, writing=False)
    if not inputs:
        for annotation in store.query(tag=tag, author=author):
            source = f"  ({one_line(annotation.source_hint, 60)})" if annotation.source_hint else ""
            click.echo(describe(annotation, "-") + source)
        report_skipped(store)
        return
    articles = load_articles(inputs)
    everything = store.query(tag=tag, author=author)
    for article in articles:
        own = [
            a for a in everything if a.article_id == article.id or a.source_hint == article.source
        ]
        if not own:
            continue
        click.echo(f"==> {one_line(article.source)} <==")
        for annotation in own:
            status = "article"
            if annotation.target is not None:
                status = anchor(annotation.target, article.text).status
            click.echo(describe(annotation, status))
    report_skipped(store)


@annotations_group.command("export")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="json",
    show_default=True,
    help="json: lossless bundle (re-importable); w3c: W3C Web Annotation JSON-LD, one per "
    "line; csv: one row per annotation, for spreadsheets.",
)
@click.option("--collection", is_flag=True, help="With w3c: one AnnotationCollection document.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
@click.option("--tag", help="Only annotations with this tag.")
@click.option("--author", help="Only annotations by this author.")
@database_options
@reports_errors
def export_annotations_command(
    fmt: str,
    collection: bool,
    output: Path | None,
    tag: str | None,
    author: str | None,
    db_path: Path | None,
    user: str | None,
    if_corrupt: str,
) -> None:
    """Export annotations as a JSON bundle, W3C JSON-LD or CSV."""
    store = open_database(db_path, if_corrupt, writing=False)
    chosen = store.query(tag=tag, author=author)
    text = export_text(chosen, fmt, collection=collection)
    report_skipped(store)
    if output is None:
        if sys.stdout.isatty():
            text = strip_controls(text)  # JSON is escaped already; CSV cells may not be
        click.echo(text, nl=False)
        return
    write_atomically(output, text)
    tell(f"wrote {len(chosen)} annotation(s) to {output}")


def write_atomically(target: Path, text: str) -> None:
    """Write through a temporary file and a rename, so nobody sees half an export.

    A symlink is written through (its target replaced); a FIFO or device is refused.
    """
    shown = target
    target = replaceable_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as error:  # name the user's file, not our temporary one
        raise OSError(error.errno, error.strerror or str(error), str(shown)) from error
    finally:
        tmp.unlink(missing_ok=True)


@annotations_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@database_options
@reports_errors
def import_command(file: Path, db_path: Path | None, user: str | None, if_corrupt: str) -> None:
    """Import a JSON bundle or W3C annotations (JSONL or a collection); `-` reads stdin.

    The whole file is checked first: if anything is wrong, nothing is imported. Ids and
    authors are kept, so importing a file twice adds nothing.
    """
    if str(file) == "-":
        data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
    else:
        with file.open("rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    try:
        incoming = parse_annotations(data)
    except ImportFormatError as error:
        raise CommandError(f"{file}: {error}") from None
    store = open_database(db_path, if_corrupt, writing=True)
    result = store.merge(incoming)
    click.echo(
        f"imported {len(incoming)} annotation(s) from {one_line(str(file))}: {result.added} added, "
        f"{result.updated} updated, {result.unchanged} already present, "
        f"{result.kept_newer} kept (newer in the database)"
    )


@annotations_group.command("stats")
@database_options
@reports_errors
def stats_command(db_path: Path | None, user: str | None, if_corrupt: str) -> None:
    """Counts: annotations, articles, authors, motivations, decisions and top tags."""
    store = open_database(db_path, if_corrupt, writing=False)
    everything = store.all()
    size = sum(
        f.stat().st_size for f in [store.path, *store.bucket_dir.glob("*.json")] if f.is_file()
    )
    click.echo(f"database     {one_line(str(store.path))} ({size / 1024:.1f} KiB)")
    click.echo(f"annotations  {len(everything)}")
    click.echo(f"articles     {len({a.article_id for a in everything})}")
    authors = Counter(a.author for a in everything)
    click.echo("authors      " + _counts(authors.most_common()))
    motivations = Counter(str(a.motivation) for a in everything)
    click.echo("motivations  " + _counts(motivations.most_common()))
    rejected = rejected_ids(everything)
    decisions = Counter(
        a.decision
        for a in everything
        if a.motivation is Motivation.EDITING and a.id not in rejected
    )
    click.echo("decisions    " + _counts(decisions.most_common()))
    click.echo("top tags     " + _counts(store.tags()[:10]))
    report_skipped(store)


def _counts(pairs: Iterable[tuple[Any, int]]) -> str:
    shown = ", ".join(f"{one_line(str(name), 40)} {count}" for name, count in pairs)
    return shown or "-"


# ---------------------------------------------------------------------- export


@click.command("export")
@click.argument("inputs", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for one output per article.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(("txt", "md", "jsonl")),
    default="txt",
    show_default=True,
    help="txt: kept lines; md: YAML front matter (title, source, author, date, tags), the "
    "text and the notes as an appendix; jsonl: the same as fields.",
)
@click.option("--author", help="Whose decisions and notes to apply (default: you, see --user).")
@click.option(
    "--all-authors",
    is_flag=True,
    help="Apply everyone's decisions (the latest per line wins; rejected ones are skipped).",
)
@click.option(
    "--curated",
    is_flag=True,
    help="Apply the curated result (lines settled in the review's curation view).",
)
@click.option(
    "--drop-inline", is_flag=True, help='Also cut inline boilerplate such as "(RELATED: ...)".'
)
@database_options
@reports_errors
def export_command(
    inputs: tuple[str, ...],
    out_dir: Path,
    fmt: str,
    author: str | None,
    all_authors: bool,
    curated: bool,
    drop_inline: bool,
    db_path: Path | None,
    user: str | None,
    if_corrupt: str,
) -> None:
    """Write cleaned text with the stored decisions applied.

    Lines someone decided on (with `copydesk annotate --remove/--keep` or in the reader)
    follow that decision; the rest follow the detector. Tags and notes go into md front
    matter and appendix, or jsonl fields.
    """
    from reader.boilerplate import detect_corpus
    from reader.export import clean_with_annotations, write_outputs

    chosen_author = None if all_authors else (author or resolve_user(user))
    if curated:
        from annotations.curation import CURATED_AUTHOR

        if all_authors or author:
            raise CommandError("--curated cannot be combined with --author or --all-authors")
        chosen_author = CURATED_AUTHOR
    articles = load_articles(inputs)
    store = open_database(db_path, if_corrupt, writing=False)
    by_article: dict[str, list[Annotation]] = {}
    by_source: dict[str, list[Annotation]] = {}
    for annotation in store.all():
        by_article.setdefault(annotation.article_id, []).append(annotation)
        if annotation.source_hint:
            by_source.setdefault(annotation.source_hint, []).append(annotation)
    cleaned_all = []
    for article, analysis in zip(articles, detect_corpus(articles), strict=True):
        # Annotations made on an earlier version of the same file count too.
        on_article = {
            a.id: a for a in by_article.get(article.id, []) + by_source.get(article.source, [])
        }
        cleaned_all.append(
            clean_with_annotations(
                article,
                analysis,
                on_article.values(),
                author=chosen_author,
                drop_inline_spans=drop_inline,
            )
        )
    written = write_outputs(cleaned_all, out_dir, fmt)
    report_skipped(store)
    who = "everyone" if chosen_author is None else chosen_author
    tell(f"wrote {len(written)} file(s) to {out_dir} with decisions by {who}")
