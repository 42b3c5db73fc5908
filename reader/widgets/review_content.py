"""What the review screen shows, as literal content: queue lines and the detail pane's
blocks (context, note, thread, others on the same span). Untrusted text is flattened to
one line (`one_line`) or stripped of control characters; notes go through the inert
Markdown renderer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content

from annotations import review
from annotations.anchoring import anchor
from annotations.model import Annotation, Motivation
from annotations.review import (
    Order,
    QueueFilter,
    QueueItems,
    ReviewIndex,
    ReviewItem,
    Status,
)
from reader.corpus import Article, strip_controls
from reader.corpus.text import one_line
from reader.state.review import Locator
from reader.widgets.note_markdown import render_note
from reader.widgets.review_detail import Block

if TYPE_CHECKING:
    from annotations.review_stats import AgreementReport

CONTEXT_CHARS = 240
"""Characters of article text shown on each side of the span."""
NOTE_MARKDOWN_LIMIT = 4_000
"""Longer notes are shown as plain text, cut here (Markdown is parsed on the UI thread)."""
QUOTE_PREVIEW = 60
THREAD_PREVIEW = 300
OTHERS_SHOWN = 12
"""Others on the same span listed in full; the rest are counted (a busy span has hundreds)."""
STATUS_GLYPHS = {Status.UNREVIEWED: "·", Status.ACCEPTED: "✓", Status.REJECTED: "✗"}


def queue_prompt(item: ReviewItem, article_name: str) -> Content:
    """One queue line: status, disagreement mark, author, tags, quote."""
    annotation = item.annotation
    mark = "≠" if item.disagreement else " "
    parts: list[str | tuple[str, str]] = [
        (STATUS_GLYPHS[item.status] + mark + " ", "bold"),
        (one_line(annotation.author, 20), "bold"),
        " ",
    ]
    if annotation.motivation is Motivation.EDITING:
        parts.append((f"{annotation.decision} ", "italic"))
    if item.effective_tags:
        shown = " #".join(one_line(t, 24) for t in item.effective_tags[:4])
        parts.append((f"#{shown} ", "italic"))
    quote = annotation.target.exact if annotation.target else "(whole article)"
    parts.append(f"“{one_line(quote, QUOTE_PREVIEW)}”")
    parts.append((f"  {one_line(article_name, 30)}", "dim"))
    return Content.assemble(*parts)


def detail_blocks(
    item: ReviewItem, article_name: str, locator: Locator, index: ReviewIndex
) -> list[Block]:
    """The detail pane's blocks for `item`: header, context, tags, note, thread, others."""
    annotation = item.annotation
    status = str(item.status) + (" with edits" if item.edited else "")
    if item.verdict is not None:
        status += f" by {one_line(item.verdict.author, 30)}"
    header = Content.assemble(
        (one_line(annotation.author, 40), "bold"),
        f" · {annotation.motivation}",
        f" {annotation.decision}" if annotation.decision else "",
        f" · {annotation.created[:10]}",
        " · ",
        (status, "italic"),
        "\n",
        (article_name, "dim"),
    )
    tag_line: list[str | tuple[str, str]] = [("Tags: ", "bold")]
    tag_line.append(", ".join(one_line(t, 40) for t in annotation.tags) or "none")
    if item.edited:
        tag_line.append(("  → edited: ", "bold"))
        tag_line.append(", ".join(one_line(t, 40) for t in item.effective_tags) or "none")
    blocks = [
        Block("header", header),
        Block("context", context_text(annotation, locator.article_for(annotation)),
              "detail-view--context"),
        Block("tags", Content.assemble(*tag_line)),
    ]
    note = note_content(item.effective_note if item.edited else annotation.note)
    if note is not None:
        blocks.append(Block("note", note, "detail-view--note"))
    blocks.append(Block("thread", thread_content(index, annotation)))
    blocks.append(Block("others", others_content(index, item)))
    return blocks


def context_text(annotation: Annotation, article: Article | None) -> Content:
    """The article text around the annotation's span now (or why it cannot be shown)."""
    target = annotation.target
    if target is None:
        return Content.styled("(about the whole article)", "italic")
    if article is None:
        return Content.assemble(
            ("Article not in the loaded corpus; the stored quote:\n", "italic dim"),
            "…" + one_line(target.prefix),
            (one_line(target.exact, 1_000), "reverse"),
            one_line(target.suffix) + "…",
        )
    found = anchor(target, article.text)
    if not found.attached:
        return Content.assemble(
            ("The quote is no longer in the article (orphaned):\n", "italic dim"),
            (one_line(target.exact, 1_000), "reverse"),
        )
    text = article.text
    before = text[max(0, found.start - CONTEXT_CHARS) : found.start]
    after = text[found.end : found.end + CONTEXT_CHARS]
    span = text[found.start : found.end]
    if len(span) > 1_000:
        span = span[:999] + "…"
    status = "" if found.status == "exact" else f" ({found.status})"
    return Content.assemble(
        (f"Context{status}\n", "bold"),
        ("…" if found.start > CONTEXT_CHARS else "") + strip_controls(before),
        (strip_controls(span), "reverse"),
        strip_controls(after) + ("…" if found.end + CONTEXT_CHARS < len(text) else ""),
    )


def note_content(text: str) -> Content | None:
    """The note rendered from Markdown (inert links), or as plain text when long."""
    cleaned = strip_controls(text)
    if not cleaned.strip():
        return None
    if len(cleaned) <= NOTE_MARKDOWN_LIMIT:
        return render_note(cleaned)
    return Content.assemble(
        cleaned[:NOTE_MARKDOWN_LIMIT],
        (f"\n… ({len(cleaned) - NOTE_MARKDOWN_LIMIT} more characters, shown as plain "
         "text because the note is long)", "italic dim"),
    )


def thread_content(index: ReviewIndex, root: Annotation) -> Content:
    """Verdicts and replies under `root`, indented by depth."""
    entries = index.thread(root.id)
    if not entries:
        return Content.styled("No verdicts or replies yet.", "dim")
    parts: list[str | tuple[str, str]] = [("Thread\n", "bold")]
    for depth, entry in entries:
        indent = "  " * depth
        who = one_line(entry.author, 30)
        if entry.motivation is Motivation.ASSESSING:
            verb = "accepted" if entry.decision == "accept" else "rejected"
            if entry.decision == "accept" and (entry.tags or entry.note.strip()):
                verb = "accepted with edits"
            parts.append((f"{indent}{'✓' if entry.decision == 'accept' else '✗'} ", "bold"))
            parts.append(f"{who} {verb} · {entry.created[:10]}")
            if entry.note.strip():
                parts.append(f": {one_line(entry.note, THREAD_PREVIEW)}")
        else:
            parts.append((f"{indent}↳ ", "bold"))
            parts.append((who, "bold"))
            parts.append(f" · {entry.created[:10]}: {one_line(entry.note, THREAD_PREVIEW)}")
        parts.append("\n")
    return Content.assemble(*parts)


def others_content(index: ReviewIndex, item: ReviewItem) -> Content:
    """What other annotators did on the same span (the first few in full)."""
    if not item.others:
        return Content.styled("No other annotator marked this span.", "dim")
    count = len(item.others)
    parts: list[str | tuple[str, str]] = [
        (f"Others on this span ({count})\n" if count > OTHERS_SHOWN
         else "Others on this span\n", "bold")
    ]
    for other in item.others[:OTHERS_SHOWN]:
        what = other.decision if other.motivation is Motivation.EDITING else ", ".join(
            "#" + one_line(t, 30) for t in other.tags
        ) or str(other.motivation)
        status = review.status_of(index.verdict(other.id))
        parts.append(f"  {STATUS_GLYPHS[status]} ")
        parts.append((one_line(other.author, 30), "bold"))
        parts.append(f" {what}")
        if other.target is not None:
            parts.append((f" “{one_line(other.target.exact, QUOTE_PREVIEW)}”", "dim"))
        if other.note.strip():
            parts.append(f" — {one_line(other.note, 120)}")
        parts.append("\n")
    if count > OTHERS_SHOWN:
        rest: dict[str, int] = {}
        for other in item.others[OTHERS_SHOWN:]:
            rest[other.author] = rest.get(other.author, 0) + 1
        by_author = ", ".join(f"{one_line(a, 20)} {n}" for a, n in sorted(rest.items())[:8])
        parts.append((f"  … and {count - OTHERS_SHOWN} more ({by_author})\n", "dim"))
    return Content.assemble(*parts)


def queue_title(
    items: Sequence[ReviewItem], order: Order, hidden: int, queue_filter: QueueFilter,
    unknown: int,
) -> Content:
    """The queue's title: counts, order, what the filter hides, articles not loaded."""
    if isinstance(items, QueueItems):
        pending = items.unreviewed()  # without building every item
    else:
        pending = sum(1 for item in items if item.status is Status.UNREVIEWED)
    shown = len(items)
    noun = "annotation" if shown == 1 else "annotations"
    parts = [f"{shown} {noun} by others · {pending} unreviewed · {order} first"]
    if hidden:
        parts.append(
            f"{hidden} line decision{'s' if hidden != 1 else ''} hidden (filter: decisions)"
        )
    if described := queue_filter.describe():
        parts.append(f"filter {one_line(described, 40)}")
    if unknown:
        parts.append(f"{unknown} article(s) not in the corpus")
    return Content(" · ".join(parts))


def stats_rows(report: AgreementReport) -> list[tuple[Text, ...]]:
    """The agreement table's rows, as literal text (names are untrusted)."""
    from annotations.review_stats import format_value, report_rows

    return [
        (
            *(Text(one_line(str(row[k]), 40)) for k in ("section", "scope", "annotators",
                                                    "measure")),
            Text(format_value(row["value"]), justify="right"),
            Text(str(row["units"]), justify="right"),
        )
        for row in report_rows(report)
    ]
