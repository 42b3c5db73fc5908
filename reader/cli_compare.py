"""`copydesk compare`: the passages outlets share, and what each prints alone."""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from reader.cli import analyze, load_inputs
from reader.corpus.text import strip_controls


@click.command("compare")
@click.argument("inputs", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--matrix", is_flag=True, help="Print the pairwise similarity matrix of all the articles."
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table",
    show_default=True,
)  # fmt: skip
def compare_command(inputs: tuple[str, ...], matrix: bool, fmt: str) -> None:
    """Show what two articles share, passage by passage (with character offsets and a
    similarity score), and what each prints alone; with --matrix, how much of each
    article's content every other article prints too.

    Only content is compared: lines the detector removes (and headlines) never count.
    """
    from reader.align import align_pair, similarity_matrix

    result = load_inputs(inputs)
    articles = result.articles
    if not articles:
        raise SystemExit(1)
    analyses = analyze(articles)
    if matrix:
        table = similarity_matrix(articles, analyses)
        if fmt == "json":
            rows = [{"article": a.name, "source": a.source, "shares": row} for a, row in
                    zip(articles, table, strict=True)]  # fmt: skip
            click.echo(json.dumps({"articles": rows}, ensure_ascii=False))
        else:
            _print_matrix([a.name for a in articles], table)
        return
    if len(articles) != 2:
        raise click.UsageError(
            f"compare needs exactly two articles ({len(articles)} loaded); "
            "use --matrix for a whole corpus"
        )
    pair = align_pair(articles[0], articles[1], analyses[0], analyses[1])
    if fmt == "json":
        click.echo(json.dumps(_pair_json(pair), ensure_ascii=False))
        return
    a, b = pair.a, pair.b
    click.echo(f"A: {_flat(a.source)}   B: {_flat(b.source)}")
    click.echo(
        f"{len(pair.matches)} shared passages; {pair.a_shared:.0%} of A's content is in B, "
        f"{pair.b_shared:.0%} of B's is in A\n"
    )
    for match in pair.matches:
        click.echo(
            f"{match.score:5.1f}  A L{match.a.line + 1} [{match.a.start}-{match.a.end}]"
            f"  B L{match.b.line + 1} [{match.b.start}-{match.b.end}]"
        )
        click.echo(f"       A: {_flat(match.a.text)}")
        click.echo(f"       B: {_flat(match.b.text)}")
    for label, unique in (("A", pair.a_unique), ("B", pair.b_unique)):
        click.echo(f"\nOnly in {label} ({len(unique)} sentences):")
        for sentence in unique:
            click.echo(f"  L{sentence.line + 1} [{sentence.start}-{sentence.end}] "
                       f"{_flat(sentence.text)}")  # fmt: skip


def _flat(text: str, limit: int = 160) -> str:
    """One terminal-safe line: control characters removed, shortened."""
    line = " ".join(strip_controls(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _print_matrix(names: Sequence[str], table: list[list[float]]) -> None:
    width = max(8, *(len(name) for name in names))
    click.echo(" " * width + "".join(f"{index + 1:>6}" for index in range(len(names))))
    for index, (name, row) in enumerate(zip(names, table, strict=True)):
        cells = "".join(f"{value:6.2f}" for value in row)
        click.echo(f"{_flat(name, width):<{width}}{cells}   {index + 1}")


def _pair_json(pair) -> dict:
    def sentence(s) -> dict:
        return {"line": s.line, "start": s.start, "end": s.end, "text": s.text}

    return {
        "a": {"name": pair.a.name, "source": pair.a.source, "shared": pair.a_shared},
        "b": {"name": pair.b.name, "source": pair.b.source, "shared": pair.b_shared},
        "matches": [
            {"score": m.score, "a": sentence(m.a), "b": sentence(m.b)} for m in pair.matches
        ],
        "a_unique": [sentence(s) for s in pair.a_unique],
        "b_unique": [sentence(s) for s in pair.b_unique],
    }
