"""Annotation databases for the benches: one generator, shared by every annotation bench.

`article_text`/`corpus`/`make_annotation` make plain commenting annotations (the store
bench); `build_annotations` makes a reviewing team's mix over given articles: line
decisions, tags, notes and highlights by several annotators on overlapping spans, plus
the reviewer's verdicts and replies (the review and scale benches).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotations import review
from annotations.anchoring import make_target
from annotations.model import Annotation, Motivation, format_time
from reader.corpus import Article

WORDS = [
    "the", "minister", "said", "on", "tuesday", "that", "talks", "would", "resume",
    "after", "a", "short", "break", "in",
]
OTHERS = ["ana", "bo", "chloe", "dev"]
REVIEWER = "me"
TAGS = ["politics", "economy", "quote", "claim", "source", "sport", "ad", "byline", "data"]
NOTES = [
    "Check this against the **original** report.",
    "Is the figure right?",
    "Attribution missing.",
    "See [the agency copy](https://example.org/wire).",
    "",
]
UNKNOWN_TEXT = (
    "Officials said on Monday that the talks would resume after a short break.\n"
    "The minister told reporters the plan was on track.\n"
    "Share this article\n"
)


def article_text(rng: random.Random, number: int, lines: int = 30) -> str:
    """A plausible article: `lines` lines of wire-copy words, each line unique."""
    made = [" ".join(rng.choices(WORDS, k=14)) + f" ({number}-{i})" for i in range(lines)]
    return "\n".join(made)


def corpus(rng: random.Random, articles: int) -> list[tuple[str, str]]:
    """`(article id, text)` for `articles` generated articles."""
    texts = [article_text(rng, n) for n in range(articles)]
    return [(hashlib.sha256(t.encode()).hexdigest(), t) for t in texts]


def make_annotation(rng: random.Random, text: str, article_id: str) -> Annotation:
    """A commenting annotation with two tags and a note on a random 60-character span."""
    start = rng.randrange(0, len(text) - 80)
    return Annotation.create(
        article_id=article_id,
        author=rng.choice(["ana", "ben", "chloe"]),
        motivation=Motivation.COMMENTING,
        target=make_target(text, start, start + 60),
        tags=rng.sample(["quote", "claim", "source", "number", "check"], 2),
        note="Worth checking against the wire copy; the figure differs from yesterday's.",
        source_hint=f"corpus/article-{article_id[:8]}.txt",
    )


def write_corpus(directory: Path, rng: random.Random, articles: int) -> list[Path]:
    """Write `articles` generated articles as `article-N.txt` files into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(articles):
        path = directory / f"article-{number:03d}.txt"
        path.write_text(f"Story {number}\n" + article_text(rng, number) + "\n", encoding="utf-8")
        written.append(path)
    return written


def unknown_articles(count: int) -> list[Article]:
    """Articles that are not in the corpus (annotations imported from elsewhere)."""
    return [
        Article(text=f"Story {n}\n{UNKNOWN_TEXT}", source=f"/elsewhere/story-{n}.txt",
                name=f"story-{n}")
        for n in range(count)
    ]


def _stamp(base: datetime, number: int) -> str:
    return format_time(base + timedelta(seconds=number))


def build_annotations(
    articles: list[Article],
    count: int,
    seed: int,
    *,
    others: list[str] | None = None,
    elsewhere: list[Article] | None = None,
    share_known: float = 0.7,
) -> list[Annotation]:
    """`count` annotations with fixed, increasing times and a realistic mix.

    About `share_known` of them are on `articles`, the rest on `elsewhere`; authors are
    drawn from `others` (default `OTHERS`), and about 6% are the reviewer's verdicts and
    replies. Spans are random, so annotators overlap wherever articles are crowded.
    """
    rng = random.Random(seed)
    base = datetime(2024, 1, 1, tzinfo=UTC)
    authors = others or OTHERS
    unknown = elsewhere if elsewhere is not None else unknown_articles(300)
    if not unknown:
        share_known = 1.0
    made: list[Annotation] = []
    reviewable: list[Annotation] = []
    lines_of = {a.id: [line for line in a.lines if not line.is_blank] for a in articles}
    for number in range(count):
        article = rng.choice(articles) if rng.random() < share_known else rng.choice(unknown)
        text = article.text
        author = rng.choice(authors)
        roll = rng.random()
        fields: dict = {}
        if roll < 0.06 and reviewable:
            # The reviewer's earlier verdicts and replies.
            about = rng.choice(reviewable)
            if rng.random() < 0.8:
                made_now = (review.accept if rng.random() < 0.7 else review.reject)(
                    about, REVIEWER
                )
            else:
                made_now = review.reply(about, rng.choice([*authors, REVIEWER]),
                                        "Agreed, see note.")
            made.append(replace(made_now, created=_stamp(base, number),
                                modified=_stamp(base, number)))
            continue
        if roll < 0.40:
            lines = lines_of.get(article.id) or [
                line for line in article.lines if not line.is_blank
            ]
            line = rng.choice(lines)
            target = make_target(text, line.start, line.end)
            motivation = Motivation.EDITING
            fields["decision"] = "remove" if rng.random() < 0.5 else "keep"
        else:
            start = rng.randrange(0, max(1, len(text) - 60))
            end = min(len(text), start + rng.randint(8, 60))
            target = make_target(text, start, end)
            fields["tags"] = rng.sample(TAGS, rng.randint(0, 2))
            note = rng.choice(NOTES)
            if roll < 0.55:
                motivation = Motivation.HIGHLIGHTING
                fields["tags"] = []
            elif note:
                motivation = Motivation.COMMENTING
                fields["note"] = note
            else:
                motivation = Motivation.TAGGING
                fields["tags"] = fields["tags"] or [rng.choice(TAGS)]
        annotation = Annotation.create(
            article_id=article.id,
            source_hint=article.source,
            author=author,
            motivation=motivation,
            target=target,
            **fields,
        )
        annotation = replace(annotation, created=_stamp(base, number),
                             modified=_stamp(base, number))
        made.append(annotation)
        if motivation is not Motivation.EDITING:
            reviewable.append(annotation)
    return made
