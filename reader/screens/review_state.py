"""What the review and curation screens share: corpus, store, annotations, undo.

Loading and store writes are blocking; the screens call these from thread workers and
adopt the results in message handlers. Changes are `reader.screens.session.Change`s, so
undo works as in the reader: undoing a change applies its inverse.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotations.model import Annotation
from reader.boilerplate import Analysis, detect
from reader.corpus import Article
from reader.screens.session import Change, apply_change


class ReviewState:
    """The reviewer, the corpus, every annotation, and the review undo stack."""

    def __init__(self, user: str, db_path: Path) -> None:
        self.user = user
        self.db_path = db_path
        self.store: Any = None
        self.read_only = False
        self.loaded = False
        """True once the corpus and the annotations have been read."""
        self.articles: list[Article] = []
        self.by_id: dict[str, Article] = {}
        self.by_source: dict[str, Article] = {}
        self.analyses: dict[str, Analysis] = {}
        self.annotations: list[Annotation] = []
        self.undo_stack: list[Change] = []
        self.write_lock = threading.Lock()
        """Serializes store writes from worker threads."""

    def set_articles(self, articles: Iterable[Article]) -> None:
        self.articles = []
        self.by_id = {}
        self.by_source = {}
        for article in articles:
            if article.id in self.by_id:
                continue
            self.articles.append(article)
            self.by_id[article.id] = article
            self.by_source.setdefault(article.source, article)

    def article_for(self, annotation: Annotation) -> Article | None:
        """The loaded article an annotation is on: by content hash, else by source path."""
        found = self.by_id.get(annotation.article_id)
        if found is None and annotation.source_hint:
            found = self.by_source.get(annotation.source_hint)
        return found

    def analysis_for(self, article: Article) -> Analysis:
        """The detector's verdicts (corpus-wide when the reader ran it, else this article's)."""
        found = self.analyses.get(article.id)
        if found is None:
            found = self.analyses[article.id] = detect(article)
        return found

    def on_article(self, article: Article) -> list[Annotation]:
        return [
            a
            for a in self.annotations
            if a.article_id == article.id or (a.source_hint and a.source_hint == article.source)
        ]

    def adopt(self, change: Change, *, undoable: bool) -> None:
        """Reflect a change the store has made durable."""
        gone = {a.id for a in (*change.removed, *change.after)}
        self.annotations = [a for a in self.annotations if a.id not in gone]
        self.annotations.extend((*change.after, *change.added))
        if undoable:
            self.undo_stack.append(change)

    def write(self, change: Change) -> Change:
        """Write a change (blocking; from a thread worker), one writer at a time."""
        with self.write_lock:
            return apply_change(self.store, change)


def load(
    state: ReviewState, inputs: list[str], max_file_bytes: int, *, corpus: bool
) -> tuple[list[Article], list[Annotation], Any, bool, str | None]:
    """Read the corpus (when `corpus`) and the database (blocking).

    Returns `(articles, annotations, store, read_only, message)`; a database that cannot
    be written is opened read-only and the message says why.
    """
    from reader import paths
    from reader.corpus import iter_corpus
    from reader.screens.session import open_store

    articles: list[Article] = []
    if corpus:
        sources = inputs or [str(paths.demo_corpus_dir())]
        articles = [
            item
            for item in iter_corpus(sources, max_file_bytes=max_file_bytes)
            if isinstance(item, Article)
        ]
    store, annotations, read_only, message = open_store(state.db_path)
    return articles, annotations, store, read_only, message
