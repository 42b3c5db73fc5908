"""Review commands: `copydesk review [PATH...]`, `review stats`, `review import-db`.

`copydesk review [PATH...]` opens the review screen on the corpus at PATH (the demo
corpus when none is given); `review stats` prints inter-annotator agreement and review
counts; `review import-db` merges a colleague's annotation database into yours.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import sys
from pathlib import Path

import click

from annotations.review_stats import (
    ROW_FIELDS,
    build_report,
    report_json,
    report_rows,
    report_table,
)
from annotations.store import AnnotationStore
from reader.cli_annotations import (
    CommandError,
    database_options,
    load_articles,
    one_line,
    open_database,
    report_skipped,
    reports_errors,
    warn,
)
from reader.corpus import strip_controls


class ReviewGroup(click.Group):
    """`copydesk review PATH...` means `copydesk review open PATH...`."""

    default_command = "open"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        help_asked = any(arg in ("--help", "-h") for arg in args[:1])
        if not help_asked and (not args or args[0] not in self.commands):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group("review", cls=ReviewGroup)
def review_group() -> None:
    """Review other people's annotations: `copydesk review [PATH...]` opens the review
    screen; `review stats` prints agreement; `review import-db` merges a database."""


@review_group.command("open")
@click.argument("inputs", nargs=-1, metavar="[PATH]...")
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
    help="Annotation database file.",
)
@click.option("--user", help="Your name as reviewer (default: config, then login name).")
def open_review(inputs: tuple[str, ...], db_path: Path | None, user: str | None) -> None:
    """Open the review screen on PATH (the demo corpus when none is given)."""
    from annotations.curation import CURATED_AUTHOR
    from reader.app import make_app
    from reader.cli import take_piped_stdin

    app = make_app(
        inputs=list(inputs), db_path=db_path, user=user, start="review",
        stdin_data=take_piped_stdin(inputs),
    )
    if app.user == CURATED_AUTHOR:
        raise CommandError(f"{CURATED_AUTHOR!r} is reserved for the curated result; use --user")
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


@review_group.command("stats")
@click.argument("inputs", nargs=-1, metavar="[PATH]...")
@click.option(
    "-f", "--format", "fmt", type=click.Choice(("table", "csv", "json")), default="table",
    show_default=True, help="table: for reading; csv: one row per figure; json: everything.",
)
@click.option(
    "--fill-with-suggestions", is_flag=True,
    help="Count lines an annotator left undecided (in an article they worked on) as the "
    "detector's suggestion. Off by default: only decided lines count.",
)
@database_options
@reports_errors
def stats_review(
    inputs: tuple[str, ...],
    fmt: str,
    fill_with_suggestions: bool,
    db_path: Path | None,
    user: str | None,
    if_corrupt: str,
) -> None:
    """Agreement between annotators, and how their annotations fared in review.

    Line level (keep/remove): Cohen's kappa per pair of annotators and Krippendorff's
    alpha (nominal) for all of them, for the corpus and per article. Tags: pairwise F1 on
    tagged spans. Reviews: reviewed/accepted/rejected/edited per author. With PATH,
    decisions are re-anchored to the articles' lines; without, each decided span counts
    as a unit. The output says which units and filling were used.
    """
    store = open_database(db_path, if_corrupt, writing=False)
    everything = store.all()
    # They live until exit: out of the collector's sight, its passes stay short.
    gc.freeze()
    articles = load_articles(inputs) if inputs else None
    analyses = None
    if articles is not None and fill_with_suggestions:
        from reader.boilerplate import detect_corpus

        analyses = {a.article_id: a for a in detect_corpus(articles)}
    elif fill_with_suggestions:
        warn("--fill-with-suggestions needs PATH (the corpus); ignored")
    report = build_report(
        everything, articles, analyses, fill_with_suggestions=fill_with_suggestions
    )
    if fmt == "json":
        click.echo(json.dumps(report_json(report), ensure_ascii=True, indent=1))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=[*ROW_FIELDS, "note"], lineterminator="\n")
        writer.writeheader()
        for row in report_rows(report):
            writer.writerow({**row, "note": report.note})
        click.echo(strip_controls(out.getvalue()), nl=False)
    else:
        for line in report_table(report):
            click.echo(strip_controls(line))
    report_skipped(store)


@review_group.command("import-db")
@click.argument("other", type=click.Path(dir_okay=False, path_type=Path))
@database_options
@reports_errors
def import_database(other: Path, db_path: Path | None, user: str | None, if_corrupt: str) -> None:
    """Merge every annotation of another annotation database (e.g. a colleague's
    annotations.json with its .d directory) into yours.

    The other database is only read. Ids, authors and times are kept, so importing it
    twice adds nothing; corrupt files in it are skipped and named.
    """
    if not other.exists() and not other.with_name(other.name + ".d").is_dir():
        raise CommandError(f"{other}: no annotation database there")
    source = AnnotationStore.open(other, read_only=True)
    incoming = source.all()
    for problem in source.problems:
        warn(f"skipped corrupt file {problem.path} ({problem.reason})")
    store = open_database(db_path, if_corrupt, writing=True)
    if store.path.resolve() == source.path.resolve():
        raise CommandError("that is your own database")
    result = store.merge(incoming)
    authors = sorted({a.author for a in incoming})
    click.echo(
        f"imported {len(incoming)} annotation(s) by {len(authors)} author(s) from "
        f"{one_line(str(other))}: {result.added} added, {result.updated} updated, "
        f"{result.unchanged} already present, {result.kept_newer} kept (newer in the database)"
    )
    report_skipped(store)

