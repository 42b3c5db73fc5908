"""What the review queue needs from the book: where annotations lie, and one blocking
load (corpus, store, index, verdicts for curation) for the review screen's worker."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotations.anchoring import anchor, stays_in_place
from annotations.lazy import StoredAnnotations
from annotations.model import Annotation, Motivation, TextTarget
from annotations.review import Order, QueueFilter, ReviewIndex, ReviewQueue
from reader import collector
from reader.corpus.model import Article
from reader.state.loading import read_articles, read_store_records

if TYPE_CHECKING:
    from reader.boilerplate import Analysis


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
        return self.article_at(annotation.article_id, annotation.source_hint)

    def article_at(self, article_id: str, source_hint: str) -> Article | None:
        """`article_for` an annotation of this article id and source hint."""
        found = self.by_id.get(article_id)
        if found is None and source_hint:
            found = self.by_source.get(source_hint)
        return found

    def __call__(self, annotation: Annotation) -> tuple[int, int] | None:
        key = (annotation.id, annotation.modified)
        spans = self._spans
        if key in spans:
            return spans[key]
        span: tuple[int, int] | None = None
        target = annotation.target
        if target is not None:
            article = self.by_id.get(annotation.article_id)
            if article is None:
                article = self.article_for(annotation)
            if article is None:
                span = target.start, target.end
            elif _exact_in_place(target, article.text):
                # What `anchor` finds first, without its call and its result object: on an
                # article with the id it was made on (the text it was made on), nearly
                # every span is still in place. At 100,000 annotations this halves the
                # review index.
                span = target.start, target.end
            else:
                found = anchor(target, article.text)
                span = (found.start, found.end) if found.attached else None
        spans[key] = span
        return span

    def known_articles(self, annotations: Iterable[Annotation]) -> set[str]:
        """Ids of loaded articles, plus those of annotations matched to one by source path."""
        known = set(self.by_id)
        sources = self.by_source
        known.update(a.article_id for a in annotations if a.source_hint in sources)
        return known

    def known_in(self, index: ReviewIndex) -> set[str]:
        """`known_articles` of everything `index` holds, read from its fields."""
        known = set(self.by_id)
        sources = self.by_source
        known.update(index.known_articles(lambda _, source_hint: source_hint in sources))
        return known

    @property
    def texts(self) -> dict[str, str]:
        """Article id -> its text (what `ReviewIndex.from_stored` places spans in)."""
        return {ident: article.text for ident, article in self.by_id.items()}


def _exact_in_place(target: TextTarget, text: str) -> bool:
    """Whether `anchor` would find `target` exactly where it was made (its first test)."""
    return stays_in_place(target.exact, target.prefix, target.suffix, target.start,
                          target.end, text)


@dataclass
class ReviewData:
    """What the review screen's loader read and built (handed over in a message)."""

    articles: list[Article]
    """The corpus it read (empty when the book already had one)."""
    annotations: StoredAnnotations | None
    """Every stored annotation, built as read (None when the book had read the store
    already)."""
    store: Any
    read_only: bool
    message: str | None
    index: ReviewIndex
    analyses: dict[str, Analysis] = field(default_factory=dict)
    """Verdicts for articles with line decisions that had none (curation suggests them)."""


def load_review(
    inputs: Sequence[str],
    db_path: Path,
    max_file_bytes: int,
    *,
    articles: Sequence[Article] = (),
    annotations: Sequence[Annotation] | None = None,
    analysed: Iterable[str] = (),
    stdin_data: bytes | None = None,
    analyse: bool = True,
) -> ReviewData:
    """Read what the book does not hold yet and index it (blocking: a thread worker).

    `articles` and `annotations` are the book's (copies): the corpus is read only when
    there are no articles, the store only when `annotations` is None. A database that
    cannot be written is opened read-only and the message says why. Articles with line
    decisions and no verdict in `analysed` are run through the detector here, so the
    curation view never runs it on the UI thread; with `analyse=False` that is left to
    `curation_analyses`, which the screen runs after the first page is shown.
    """
    with collector.paused():
        return _load_review(inputs, db_path, max_file_bytes, articles=articles,
                            annotations=annotations, analysed=analysed, stdin_data=stdin_data,
                            analyse=analyse)


def load_first_page(
    inputs: Sequence[str],
    db_path: Path,
    max_file_bytes: int,
    reviewer: str,
    wanted: tuple[QueueFilter, Order],
    **book: Any,
) -> tuple[ReviewData, ReviewQueue]:
    """`load_review` without the detector (`curation_analyses` runs after the first page
    is shown) and the first queue for `wanted` = (filter, order), all with the collector
    paused and what was built frozen out of its sight (`collector.paused(freeze=True)`).
    `book` holds `load_review`'s keyword arguments."""
    with collector.paused(freeze=True):
        data = load_review(inputs, db_path, max_file_bytes, analyse=False, **book)
        index = data.index
        locator: Locator = index.locate  # type: ignore[assignment]
        queue = index.queue(
            reviewer,
            known_articles=locator.known_in(index),
            queue_filter=wanted[0],
            order=wanted[1],
        )
    return data, queue


def curation_analyses(
    locator: Locator,
    annotations: Iterable[Annotation] | StoredAnnotations,
    analysed: Iterable[str] = (),
) -> dict[str, Analysis]:
    """The detector's verdicts for loaded articles with line decisions that are not in
    `analysed` (the curation view suggests them), in article-id order. Stored
    annotations are read from their records (none is built)."""
    if isinstance(annotations, StoredAnnotations):
        decisions = [(r["article_id"], r["source_hint"]) for r in annotations.records.values()
                     if r["motivation"] == Motivation.EDITING]
    else:
        decisions = [(a.article_id, a.source_hint) for a in annotations
                     if a.motivation is Motivation.EDITING]
    wanted = {
        found.id
        for article_id, source_hint in decisions
        if (found := locator.article_at(article_id, source_hint)) is not None
    } - set(analysed)
    if not wanted:
        return {}
    from reader.boilerplate import detect

    return {ident: detect(locator.by_id[ident]) for ident in sorted(wanted)}


def _load_review(
    inputs: Sequence[str],
    db_path: Path,
    max_file_bytes: int,
    *,
    articles: Sequence[Article],
    annotations: Sequence[Annotation] | None,
    analysed: Iterable[str],
    stdin_data: bytes | None,
    analyse: bool,
) -> ReviewData:
    read: list[Article] = []
    corpus = list(articles)
    if not corpus:
        read = corpus = read_articles(inputs, max_file_bytes, stdin_data)
    store, read_only, message = None, False, None
    locator = Locator(corpus)
    stored: StoredAnnotations | None = None
    if annotations is None:
        store, records, read_only, message = read_store_records(db_path)
        stored = StoredAnnotations(records)
        index = ReviewIndex.from_stored(stored, locate=locator, texts=locator.texts)
    else:
        index = ReviewIndex(annotations, locate=locator)
    analyses = (
        curation_analyses(locator, annotations if stored is None else stored, analysed)
        if analyse else {}
    )
    return ReviewData(read, stored, store, read_only, message, index, analyses)
