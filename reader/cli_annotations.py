"""Annotation commands: `copydesk annotate`, `copydesk annotations ...`, `copydesk export`.

Every command takes `--db FILE` (else `COPYDESK_DB`, else the data dir) and `--user NAME`
(else the config file, else the login name), reports errors as one line on stderr with a
non-zero exit, and strips control characters from anything untrusted it prints. A
command that says an annotation is saved has it on disk already.
"""

from __future__ import annotations

import errno
import functools
import itertools
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from annotations.anchoring import anchor, make_target
from annotations.decisions import rejected_ids
from annotations.formats import (
    EXPORT_FORMATS,
    ImportFormatError,
    export_chunks,
    export_item,
    read_annotation_file,
)
from annotations.model import Annotation, AnnotationError, Motivation
from annotations.ordered import GroupedTexts, OrderedTexts
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
    """Open the database as `--if-corrupt` asks, telling the user about anything set aside.

    A command that only reads opens a database it may not write (a read-only folder or
    file system, another user's files) read-only, saying so, and never creates the lock
    file; a command that writes says why it cannot.
    """
    if if_corrupt == "read-only" and writing:
        raise CommandError("--if-corrupt read-only cannot be used by a command that writes")
    path = paths.database_file(db_path)
    try:
        try:
            store = open_store(path, if_corrupt=if_corrupt).store
        except OSError as error:
            if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise
            where = f" {error.filename}" if error.filename else ""
            if writing:
                raise CommandError(
                    f"{path}: the database cannot be written (permission denied:{where}); "
                    "nothing was changed"
                ) from None
            warn(f"{path}: the database cannot be written ({error.strerror}:{where}); read-only")
            store = AnnotationStore.open(path, read_only=True)
    except CorruptDatabaseError as error:
        raise CommandError(corrupt_advice(error, if_corrupt, writing=writing)) from None
    assert store is not None  # only the reader's "fallback" can open nothing
    if store.read_only and store.unfinished():
        warn(
            f"{path}: a change interrupted by a crash is not finished yet; it is completed "
            "the next time copydesk writes to this database"
        )
    for moved in store.set_aside:
        warn(f"corrupt file kept as {moved}; a fresh one replaces it")
    for finished in store.recovered:
        warn(f"{store.path}: {finished}")
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


def list_line(annotation: Annotation) -> str:
    """One line of `annotations list` without PATH: the description and the source."""
    source = f"  ({one_line(annotation.source_hint, 60)})" if annotation.source_hint else ""
    return describe(annotation, "-") + source


@annotations_group.command("list")
@click.argument("inputs", nargs=-1, metavar="[PATH]...")
@click.option("--tag", help="Only annotations with this tag.")
@click.option("--author", help="Only annotations by this author.")
@click.option("--limit", type=click.IntRange(min=0), metavar="N",
              help="Show at most N annotations.")
@click.option("--offset", type=click.IntRange(min=0), default=0, metavar="N",
              help="Skip the first N annotations (with --limit: one page at a time).")
@database_options
@reports_errors
def list_command(
    inputs: tuple[str, ...],
    tag: str | None,
    author: str | None,
    limit: int | None,
    offset: int,
    db_path: Path | None,
    user: str | None,
    if_corrupt: str,
) -> None:
    """List annotations, with where each is anchored when PATHs are given.

    With PATH, each article's annotations are re-anchored to its current text and shown
    as exact, moved, fuzzy or orphaned (orphans are kept, never dropped). Without PATH,
    every annotation in the database is listed. Lines are written as the database is
    read; --offset and --limit count annotations, not the article headers.
    """
    store = open_database(db_path, if_corrupt, writing=False)
    end = None if limit is None else offset + limit
    if not inputs:
        # Streamed: each line made as its bucket is read, printed oldest first.
        lines = OrderedTexts(store.iter_records(tag=tag, author=author), list_line)
        shown = itertools.islice(lines, offset, end)
        while batch := list(itertools.islice(shown, ECHO_BATCH)):
            click.echo("\n".join(batch))
        report_skipped(store)
        return
    articles = load_articles(inputs)
    listing = article_listing(store, articles, tag=tag, author=author)
    shown: int | None = None
    lines: list[str] = []
    for number, line in listing.items(offset, end):
        if number != shown:
            lines.append(f"==> {one_line(articles[number].source)} <==")
            shown = number
        lines.append(line)
        if len(lines) >= ECHO_BATCH:
            click.echo("\n".join(lines))
            lines.clear()
    if lines:
        click.echo("\n".join(lines))
    report_skipped(store)


ECHO_BATCH = 1000
"""Lines written in one `click.echo` (one call per line was a third of a listing)."""


def article_listing(
    store: AnnotationStore, articles: Sequence[Article], *, tag: str | None,
    author: str | None,
) -> GroupedTexts:
    """`annotations list PATH...`: under the number of each article (in the order
    given), its annotations' lines, oldest first: those made on it (by content id) and
    those made on another version of its file (by source path), each once, with where it
    anchors in the text now. Each line is made as its bucket is read and parked until its
    turn (`GroupedTexts`), so memory never holds the database."""
    by_id: dict[str, list[int]] = {}
    by_source: dict[str, list[int]] = {}
    for number, article in enumerate(articles):
        by_id.setdefault(article.id, []).append(number)
        by_source.setdefault(article.source, []).append(number)

    def lines(annotation: Annotation) -> Iterator[tuple[int, str]]:
        found = by_id.get(annotation.article_id, [])
        also = by_source.get(annotation.source_hint)
        if also:
            found = sorted({*found, *also})
        for number in found:
            status = "article"
            if annotation.target is not None:
                status = anchor(annotation.target, articles[number].text).status
            yield number, describe(annotation, status)

    records = (
        record
        for record in store.iter_records(tag=tag, author=author)
        if record["article_id"] in by_id or record["source_hint"] in by_source
    )
    return GroupedTexts(records, lines)


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
    # Written as read: each annotation rendered once, its text parked in a temporary file
    # until its turn (memory holds one bucket and the sort keys, whatever the size).
    chosen = OrderedTexts(
        store.iter_records(tag=tag, author=author), export_item(fmt, collection=collection)
    )
    report_skipped(store)
    chunks = export_chunks(chosen, len(chosen), fmt, collection=collection)
    if output is None:
        if sys.stdout.isatty():
            # JSON is escaped already; CSV cells may not be
            chunks = (strip_controls(chunk) for chunk in chunks)
        for chunk in chunks:
            click.echo(chunk, nl=False)
        return
    write_atomically(output, chunks)
    tell(f"wrote {len(chosen)} annotation(s) to {output}")


def write_atomically(target: Path, text: str | Iterable[str]) -> None:
    """Write `text` (or its pieces, as they come) through a temporary file and a rename,
    so nobody sees half an export.

    A symlink is written through (its target replaced); a FIFO or device is refused.
    """
    shown = target
    target = replaceable_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                handle.writelines(text)
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
    try:
        if str(file) == "-":
            incoming = read_annotation_file(sys.stdin.buffer)
        else:
            with file.open("rb") as handle:
                incoming = read_annotation_file(handle)
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
