"""Turn an article plus the detector's verdicts (and any stored decisions) into cleaned text.

Kept lines are verbatim and in their original order. Three formats:
`txt` (the kept lines), `md` (YAML front matter with metadata and tags, the body, notes
as an appendix) and `jsonl` (one record per article with the same fields).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotations.text import clean_line
from reader.boilerplate.model import Analysis
from reader.corpus.model import Article
from reader.corpus.text import strip_controls
from reader.files import atomic_write

FORMATS = ("txt", "md", "jsonl")
_SPACES = re.compile(" {2,}")


@dataclass(frozen=True, slots=True)
class NoteEntry:
    """A note attached to a quote, carried into md and jsonl exports."""

    quote: str
    author: str
    note: str
    tags: tuple[str, ...] = ()


@dataclass
class CleanedArticle:
    """An article with the lines that survive cleaning."""

    article: Article
    analysis: Analysis
    kept_lines: list[str]
    removed: list[int]
    """Line numbers removed (detector or decisions)."""
    tags: list[str] = field(default_factory=list)
    notes: list[NoteEntry] = field(default_factory=list)

    @property
    def title(self) -> str:
        from reader.export.title import article_title

        return article_title(self.article, self.analysis)

    @property
    def text(self) -> str:
        return "\n".join(self.kept_lines)


def clean_article(
    article: Article,
    analysis: Analysis,
    decisions: Mapping[int, bool] | None = None,
    *,
    drop_inline_spans: bool = False,
) -> CleanedArticle:
    """Keep the content lines; `decisions` (line -> remove?) override the detector.

    Blank lines are kept between kept lines (collapsed to one) so paragraphs survive.
    With `drop_inline_spans`, inline boilerplate such as "(RELATED: ...)" is cut out of
    the lines that keep.
    """
    decisions = decisions or {}
    kept: list[str] = []
    removed: list[int] = []
    verdicts = analysis.verdicts
    # Plain line strings (not `article.lines`, whose `Line` objects cost more to build than
    # the rest of cleaning); a line's start offset is needed only to cut inline spans.
    for number, text in enumerate(article.text.split("\n")):
        if not text or text.isspace():  # blank (as `not text.strip()`, without a copy)
            if kept and kept[-1] != "":
                kept.append("")
            continue
        verdict = verdicts.get(number)
        remove = decisions.get(number) if decisions else None
        if remove is None:
            remove = verdict is not None and verdict.boilerplate
        if remove:
            removed.append(number)
            continue
        if drop_inline_spans and verdict is not None and verdict.spans:
            text = _cut_spans(text, article.lines.bounds(number)[0], verdict.spans)
        kept.append(text)
    while kept and kept[-1] == "":
        kept.pop()
    return CleanedArticle(article=article, analysis=analysis, kept_lines=kept, removed=removed)


def _cut_spans(text: str, line_start: int, spans: Iterable) -> str:
    pieces: list[str] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: s.start):
        start = max(span.start - line_start, cursor)
        end = min(span.end - line_start, len(text))
        if start >= end:
            continue
        pieces.append(text[cursor:start])
        cursor = end
    pieces.append(text[cursor:])
    return _SPACES.sub(" ", "".join(pieces)).rstrip()


def _metadata(cleaned: CleanedArticle) -> dict[str, object]:
    article = cleaned.article
    meta: dict[str, object] = {
        "title": strip_controls(cleaned.title),
        "source": strip_controls(article.source),
        "id": article.id,
    }
    if article.url:
        meta["url"] = strip_controls(article.url)
    if cleaned.analysis.author:
        meta["author"] = cleaned.analysis.author
    if cleaned.analysis.date:
        meta["date"] = cleaned.analysis.date
    if cleaned.tags:
        meta["tags"] = list(cleaned.tags)
    return meta


def _yaml_scalar(value: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def render_markdown(cleaned: CleanedArticle) -> str:
    lines = ["---"]
    for key, value in _metadata(cleaned).items():
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(_yaml_scalar(str(v)) for v in value)}]")
        else:
            lines.append(f"{key}: {_yaml_scalar(str(value))}")
    lines.append("---")
    lines.append("")
    lines.append(cleaned.text)
    if cleaned.notes:
        lines += ["", "## Notes", ""]
        for number, entry in enumerate(cleaned.notes, start=1):
            quote = " ".join(entry.quote.split())
            tag_text = f" [{', '.join(entry.tags)}]" if entry.tags else ""
            lines.append(f"{number}. > {quote}")
            lines.append(f"   — {entry.author}{tag_text}")
            if entry.note.strip():
                lines.append("")
                lines.extend("   " + note_line for note_line in entry.note.strip().split("\n"))
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def jsonl_record(cleaned: CleanedArticle) -> dict[str, object]:
    record = _metadata(cleaned)
    record["name"] = strip_controls(cleaned.article.name)
    record["text"] = cleaned.text
    record["removed_lines"] = cleaned.removed
    if cleaned.notes:
        record["notes"] = [
            {"quote": n.quote, "author": n.author, "note": n.note, "tags": list(n.tags)}
            for n in cleaned.notes
        ]
    return record


def render(cleaned: CleanedArticle, fmt: str) -> str:
    """The cleaned article as one output in `fmt` (jsonl: one line).

    No control character but tab and newline is ever written: the text is normalized,
    but a source path, a URL or a name from the input may carry one (json.dumps escapes
    C0 controls and leaves C1 ones such as U+009B raw)."""
    if fmt == "txt":
        return strip_controls(cleaned.text) + "\n" if cleaned.text else ""
    if fmt == "md":
        return strip_controls(render_markdown(cleaned))
    if fmt == "jsonl":
        return strip_controls(json.dumps(jsonl_record(cleaned), ensure_ascii=False)) + "\n"
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def output_name(article: Article, fmt: str, taken: set[str]) -> str:
    """`NAME.fmt`, made unique within one export (two inputs may share a stem)."""
    name = clean_line(article.name) or article.id[:8]  # no escape sequence in a file name
    candidate = f"{name}.{fmt}"
    if candidate in taken:
        candidate = f"{name}-{article.id[:8]}.{fmt}"
    taken.add(candidate)
    return candidate


def write_outputs(
    cleaned_articles: Sequence[CleanedArticle], out_dir: Path, fmt: str
) -> list[Path]:
    """Write one file per input: `NAME.txt` in gives `DIR/NAME.fmt` out.

    Articles that came from one jsonl corpus go, one record each, to one `DIR/STEM.jsonl`
    (or `.txt`/`.md` per record). Each file is written to a temporary name and renamed,
    so nobody ever sees half a file.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    groups: dict[str, list[CleanedArticle]] = {}
    for cleaned in cleaned_articles:
        corpus = cleaned.article.meta.get("corpus") if fmt == "jsonl" else None
        if corpus is None:
            groups[output_name(cleaned.article, fmt, taken)] = [cleaned]
        else:
            groups.setdefault(f"{corpus}.jsonl", []).append(cleaned)
    written: list[Path] = []
    for file_name, members in groups.items():
        target = out_dir / file_name
        atomic_write(target, "".join(render(member, fmt) for member in members))
        written.append(target)
    return written


