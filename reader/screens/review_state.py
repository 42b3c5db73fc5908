"""What the review and curation screens share: corpus, store, annotations, undo.

Loading and store writes are blocking; the screens call these from thread workers and
adopt the results in message handlers. Changes are `reader.screens.session.Change`s, so
undo works as in the reader: undoing a change applies its inverse.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotations.anchoring import anchor
from annotations.model import Annotation
from annotations.review import ReviewIndex
from reader.boilerplate import Analysis, detect
from reader.corpus import Article
from reader.screens.session import Change, ChangeQueue, apply_change


class Locator:
    """Finds an annotation's article in the corpus and its span there now (re-anchored).

    Anchoring is not free, so spans are cached by (annotation id, modified).
    """

    def __init__(self, articles: Iterable[Article] = ()) -> None:
        self.articles: list[Article] = []
        self.by_id: dict[str, Article] = {}
        self.by_source: dict[str, Article] = {}
        self._spans: dict[tuple[str, str], tuple[int, int] | None] = {}
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

    def __call__(self, annotation: Annotation) -> tuple[int, int] | None:
        key = (annotation.id, annotation.modified)
        if key in self._spans:
            return self._spans[key]
        span: tuple[int, int] | None = None
        if annotation.target is not None:
            article = self.article_for(annotation)
            if article is None:
                span = annotation.target.start, annotation.target.end
            else:
                found = anchor(annotation.target, article.text)
                span = (found.start, found.end) if found.attached else None
        self._spans[key] = span
        return span

    def known_articles(self, annotations: Iterable[Annotation]) -> set[str]:
        """Ids of loaded articles, plus those of annotations matched to one by source path."""
        known = set(self.by_id)
        sources = self.by_source
        known.update(a.article_id for a in annotations if a.source_hint in sources)
        return known


class ReviewState:
    """The reviewer, the corpus, every annotation, and the review undo stack."""

    def __init__(self, user: str, db_path: Path) -> None:
        self.user = user
        self.db_path = db_path
        self.store: Any = None
        self.read_only = False
        self.loaded = False
        """True once the corpus and the annotations have been read."""
        self.locator = Locator()
        self.index = ReviewIndex(locate=self.locator)
        """Every annotation indexed for the queue; `adopt` keeps it current."""
        self.analyses: dict[str, Analysis] = {}
        self.annotations: list[Annotation] = []
        self.undo_stack: list[Change] = []
        self.pending = ChangeQueue()
        """Changes waiting for the writer thread, written one at a time, in order."""

    @property
    def articles(self) -> list[Article]:
        return self.locator.articles

    @property
    def by_id(self) -> dict[str, Article]:
        return self.locator.by_id

    @property
    def by_source(self) -> dict[str, Article]:
        return self.locator.by_source

    def set_articles(self, articles: Iterable[Article]) -> None:
        self.locator = Locator(articles)

    def adopt_loaded(self, annotations: list[Annotation], index: ReviewIndex) -> None:
        """Take the annotations and the index the loading worker built."""
        self.locator = index.locate  # type: ignore[assignment]
        self.annotations = annotations
        self.index = index
        self.loaded = True

    def article_for(self, annotation: Annotation) -> Article | None:
        """The loaded article an annotation is on: by content hash, else by source path."""
        return self.locator.article_for(annotation)

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
        if gone:
            self.annotations = [a for a in self.annotations if a.id not in gone]
        self.annotations.extend((*change.after, *change.added))
        for annotation in change.removed:
            self.index.remove(annotation.id)
        for annotation in (*change.after, *change.added):
            self.index.add(annotation)
        if undoable:
            self.undo_stack.append(change)

    def write(self, change: Change) -> Change:
        """Write a change (blocking; from the writer thread)."""
        return apply_change(self.store, change)


def load(
    state: ReviewState, inputs: list[str], max_file_bytes: int, *, corpus: bool
) -> tuple[list[Article], list[Annotation], Any, bool, str | None, ReviewIndex]:
    """Read the corpus (when `corpus`) and the database, and index it (blocking).

    Returns `(articles, annotations, store, read_only, message, index)`; a database that
    cannot be written is opened read-only and the message says why. The index locates
    spans in the articles read here (or the state's, when not `corpus`).
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
    locator = Locator(articles) if corpus else Locator(state.articles)
    index = ReviewIndex(annotations, locate=locator)
    return articles, annotations, store, read_only, message, index
