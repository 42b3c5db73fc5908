"""The book: the corpus, the detector's verdicts and every annotation, in memory.

One `Book` is owned by the app and shared by the reader, review and curation screens.
It holds the store (opened by a thread worker), the annotations indexed by article, a
cache of where each annotation's target lies now, one undo history per kind of work,
and the one ordered queue of changes waiting for the writer thread. Changes are built
here (`decide`, `annotate`, `edit`), written by the writer, and `adopt`ed here once
durable, so every screen reads the same state. Textual-free.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.state.changes import READER, REVIEW, Change, ChangeQueue
from reader.state.loading import InputGate

if TYPE_CHECKING:
    from annotations.anchoring import Anchor
    from annotations.model import Annotation
    from annotations.review import ReviewIndex
    from reader.align import Alignment
    from reader.boilerplate import Analysis
    from reader.corpus.model import Article
    from reader.export import CleanedArticle


class TaggedSpan(NamedTuple):
    """Where a tag or note lies in the article now, and its first tag (for colouring)."""

    start: int
    end: int
    tag: str | None
    annotation_id: str


class Book:
    """Articles, their analyses and annotations, undo histories and the change queue."""

    def __init__(self, user: str, db_path: Path) -> None:
        self.user = user
        self.db_path = db_path
        self.articles: list[Article] = []
        self.by_id: dict[str, Article] = {}
        self.by_source: dict[str, Article] = {}
        self.analyses: dict[str, Analysis] = {}
        self._titles: dict[str, tuple[Analysis, str]] = {}
        """Article id -> the analysis its title was chosen with, and that title (an
        analysis never changes once made, so the title holds while it is the one held)."""
        self.corpus_done = False
        """True once every article has been loaded."""
        self.annotations: MutableMapping[str, list[Annotation]] = {}
        """Article id -> its annotations, oldest first (a dict, or after a lazy read an
        `annotations.lazy.ArticleAnnotations`, which builds each list when first read)."""
        self.store: Any = None
        self.read_only = False
        self.opened = False
        """True once the store has been read (or found unusable)."""
        self.review_index: ReviewIndex | None = None
        """Every annotation indexed for the review queue (built by the review screen's
        loader); `adopt` keeps it current."""
        self.duplicates: list[tuple[Article, Article]] = []
        """Articles not shown because another file has the same text: (copy, original)."""
        self.histories: dict[str, list[Change]] = {READER: [], REVIEW: []}
        self.queue = ChangeQueue()
        """Changes waiting for the writer thread, written one at a time, in order."""
        self.generation = 0
        """Counts adopted changes: a read of the store taken before it may be stale."""
        self._anchors: dict[tuple[str, str], Anchor] = {}
        self.alignment: Alignment | None = None
        """The passages articles share (`reader.align`), once the alignment worker ran."""
        self.input = InputGate()
        """Touched by the app on every key, click and scroll; the loader and the detector
        stand aside while input comes (`reader.state.loading.InputGate`)."""

    # ---- corpus ----------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> list[Article]:
        """Add newly loaded articles; returns the new ones. An article with the same text
        as one already added is shown once and kept in `duplicates` (copy, original)."""
        added = []
        for article in articles:
            original = self.by_id.get(article.id)
            if original is not None:
                self.duplicates.append((article, original))
                continue
            self.by_id[article.id] = article
            self.by_source.setdefault(article.source, article)
            self.articles.append(article)
            added.append(article)
        return added

    def title(self, article: Article) -> str:
        """The title shown and exported (`reader.export.title`: never a flagged line)."""
        analysis = self.analyses.get(article.id)
        if analysis is None:
            return article.title
        known = self._titles.get(article.id)
        if known is not None and known[0] is analysis:
            return known[1]
        from reader.export.title import article_title

        title = article_title(article, analysis)
        self._titles[article.id] = (analysis, title)
        return title

    def adopt_analyses(self, analyses: dict[str, Analysis], titles: dict[str, str]) -> None:
        """Take the detector's verdicts, with the titles they give (`titles`, chosen by
        the detecting thread so the UI thread need not choose 2,000 of them at once)."""
        self.analyses.update(analyses)
        for ident, title in titles.items():
            analysis = analyses.get(ident)
            if analysis is not None:
                self._titles[ident] = (analysis, title)

    def article_for(self, annotation: Annotation) -> Article | None:
        """The loaded article an annotation is on: by content hash, else by source path."""
        found = self.by_id.get(annotation.article_id)
        if found is None and annotation.source_hint:
            found = self.by_source.get(annotation.source_hint)
        return found

    # ---- the store ---------------------------------------------------------------------

    def open(self, store: Any, annotations: Iterable[Annotation], read_only: bool) -> None:
        """Take the store a worker opened and everything it read: annotations, or
        stored annotations built as read (`annotations.lazy.StoredAnnotations`, whose
        articles' lists are then built when first read)."""
        self.store = store
        self.read_only = read_only
        self.opened = True
        by_article = getattr(annotations, "by_article", None)
        if by_article is not None:
            self.annotations = by_article()
        else:
            self.annotations = {}
            for annotation in annotations:
                self.annotations.setdefault(annotation.article_id, []).append(annotation)
        self._anchors.clear()

    @property
    def writable(self) -> bool:
        return self.store is not None and not self.read_only

    def undo_history(self, history: str) -> list[Change]:
        return self.histories[history]

    def adopt(self, change: Change, *, undoable: bool = True) -> None:
        """Reflect a change the store has made durable in the in-memory copy.

        Idempotent: adopting a change whose annotations the book already holds (it read
        them from the store first) leaves one copy of each."""
        self.generation += 1
        gone = {a.id for a in (*change.removed, *change.after, *change.added)}
        lazily = getattr(self.annotations, "adopt", None)
        if lazily is not None:  # an `ArticleAnnotations`: lists not built stay so
            lazily(change.article_ids, gone, (*change.after, *change.added))
        else:
            for article_id in change.article_ids:
                kept = [a for a in self.annotations.get(article_id, []) if a.id not in gone]
                self.annotations[article_id] = kept
            for annotation in (*change.after, *change.added):
                self.annotations.setdefault(annotation.article_id, []).append(annotation)
        for annotation in (*change.removed, *change.after, *change.added):
            self._anchors.pop((annotation.id, annotation.modified), None)
        index = self.review_index
        if index is not None:
            for annotation in change.removed:
                index.remove(annotation.id)
            for annotation in (*change.after, *change.added):
                index.add(annotation)
        if undoable:
            self.histories[change.history].append(change)

    def take_outside(self, stored: dict[str, list[Annotation]]) -> Change:
        """Adopt what the store now holds for some articles (written by another process)
        and return it as a change (empty when nothing differs), for the screens to redraw.
        Not undoable: it is not this user's action."""
        change = Change("changes by another process")
        for article_id, fresh in stored.items():
            held = {a.id: a for a in self.annotations.get(article_id, [])}
            now = {a.id: a for a in fresh}
            change.removed.extend(a for key, a in held.items() if key not in now)
            change.added.extend(a for key, a in now.items() if key not in held)
            for key, annotation in now.items():
                before = held.get(key)
                if before is not None and before.modified != annotation.modified:
                    change.before.append(before)
                    change.after.append(annotation)
        if not change.empty:
            self.adopt(change, undoable=False)
        return change

    # ---- reading annotations -----------------------------------------------------------

    def all_annotations(self) -> list[Annotation]:
        return [a for items in self.annotations.values() for a in items]

    def for_article(self, article_id: str) -> list[Annotation]:
        return self.annotations.get(article_id, [])

    def on_article(self, article: Article) -> list[Annotation]:
        """Annotations on `article`, those matched to it by source path included (of
        annotations not built yet, only those)."""
        scan = getattr(self.annotations, "scan", None)
        if scan is None:
            return [
                a
                for a in self.all_annotations()
                if a.article_id == article.id
                or (a.source_hint and a.source_hint == article.source)
            ]
        found: list[Annotation] = []
        for _, built, records in scan():
            if built is not None:
                found.extend(a for a in built if a.article_id == article.id
                             or (a.source_hint and a.source_hint == article.source))
                continue
            found.extend(
                self.annotations.build(r)  # type: ignore[attr-defined]
                for r in records
                if r["article_id"] == article.id
                or (r["source_hint"] and r["source_hint"] == article.source)
            )
        return found

    def tags_in_use(self) -> set[str]:
        """Every tag of every annotation (read from the records of those not built)."""
        scan = getattr(self.annotations, "scan", None)
        if scan is None:
            return {t for a in self.all_annotations() for t in a.tags}
        found: set[str] = set()
        for _, built, records in scan():
            for tags in ([a.tags for a in built] if built is not None
                         else [r["tags"] for r in records]):
                found.update(tags)
        return found

    def anchor_of(self, annotation: Annotation, article: Article) -> Anchor:
        """Where the annotation's target lies in the article now (cached)."""
        from annotations.anchoring import ORPHANED, anchor

        key = (annotation.id, annotation.modified)
        found = self._anchors.get(key)
        if found is None:
            target = annotation.target
            found = ORPHANED if target is None else anchor(target, article.text)
            self._anchors[key] = found
        return found

    def notes(self, article: Article) -> list[Annotation]:
        """Tags, notes and highlights (not decisions or reviews) on the article."""
        annotations = self.for_article(article.id)
        if not annotations:  # as before the store is read: the model is not needed yet
            return []
        from annotations.model import Motivation

        shown = {
            Motivation.TAGGING, Motivation.COMMENTING, Motivation.HIGHLIGHTING,
            Motivation.LINKING,
        }  # fmt: skip
        return [a for a in annotations if a.motivation in shown]

    def tagged_spans(self, article: Article) -> list[TaggedSpan]:
        """Annotated spans that are still in the text, with their first tag."""
        spans = []
        for annotation in self.notes(article):
            found = self.anchor_of(annotation, article)
            if found.attached:
                first = annotation.tags[0] if annotation.tags else None
                spans.append(TaggedSpan(found.start, found.end, first, annotation.id))
        return spans

    def decisions(self, article: Article) -> dict[int, bool]:
        """Line -> remove? from this user's stored decisions (as `copydesk export` applies them)."""
        if self.store is None and not self.annotations:
            return {}
        from annotations.decisions import line_decisions

        return line_decisions(self.for_article(article.id), article, author=self.user)

    def line_decision_annotations(self, article: Article) -> list[Annotation]:
        """Every line decision (editing annotation) on `article`, by any author."""
        from annotations.model import Motivation

        return [a for a in self.for_article(article.id) if a.motivation == Motivation.EDITING]

    def decision_annotations(self, article: Article, line: int) -> list[Annotation]:
        """The current user's editing decisions that target `line`."""
        from annotations.model import Motivation

        found = []
        for annotation in self.for_article(article.id):
            if annotation.motivation != Motivation.EDITING or annotation.author != self.user:
                continue
            place = self.anchor_of(annotation, article)
            if place.attached and article.line_at(place.start).number == line:
                found.append(annotation)
        return found

    def tags_by_use(self) -> list[str]:
        """Every tag in use, most used first."""
        counts: Counter[str] = Counter()
        for items in self.annotations.values():
            for annotation in items:
                counts.update(annotation.tags)
        return [tag for tag, _ in counts.most_common()]

    def authors(self) -> list[str]:
        return sorted({a.author for items in self.annotations.values() for a in items})

    def article_tags(self, article_id: str) -> list[str]:
        seen: dict[str, None] = {}
        for annotation in self.for_article(article_id):
            for tag in annotation.tags:
                seen.setdefault(tag, None)
        return list(seen)

    # ---- line decisions ------------------------------------------------------------------

    def split_by_verdict(
        self, article: Article, lines: Iterable[int], accept: bool
    ) -> tuple[list[int], list[int]]:
        """`(remove, keep)`: the lines to mark removed and kept when the user accepts
        (or rejects) the detector's verdict on each of `lines` (blank lines drop out)."""
        analysis = self.analyses.get(article.id)
        remove_lines: list[int] = []
        keep_lines: list[int] = []
        for number in lines:
            verdict = analysis.verdicts.get(number) if analysis else None
            if verdict is None:
                continue
            remove = verdict.boilerplate if accept else not verdict.boilerplate
            (remove_lines if remove else keep_lines).append(number)
        return remove_lines, keep_lines

    def block(self, article: Article, line: int) -> list[int]:
        """The run of non-blank lines around `line` that share its verdict's kind."""
        analysis = self.analyses.get(article.id)
        verdict = analysis.verdicts.get(line) if analysis else None
        if analysis is None or verdict is None:
            return []
        block = [line]
        for step in (-1, 1):
            number = line + step
            while 0 <= number < len(article.lines):
                other = analysis.verdicts.get(number)
                if other is None:
                    number += step
                    continue
                if other.kind != verdict.kind or other.boilerplate != verdict.boilerplate:
                    break
                block.append(number)
                number += step
        return sorted(block)

    def undecided_suggestions(self, article: Article) -> list[int]:
        """Lines the detector marks as boilerplate that the user has not decided."""
        analysis = self.analyses.get(article.id)
        if analysis is None:
            return []
        decided = self.decisions(article)
        return [
            number
            for number, verdict in sorted(analysis.verdicts.items())
            if verdict.boilerplate and number not in decided
        ]

    # ---- building changes ----------------------------------------------------------------

    def decide(self, article: Article, lines: Sequence[int], remove: bool, what: str) -> Change:
        """Record `remove`/`keep` on each line, replacing the user's earlier decisions there."""
        from annotations.anchoring import make_target
        from annotations.model import Annotation, Motivation

        change = Change(what)
        for number in lines:
            line = article.lines[number]
            if line.is_blank:
                continue
            change.removed.extend(self.decision_annotations(article, number))
            change.added.append(
                Annotation.create(
                    article_id=article.id,
                    author=self.user,
                    motivation=Motivation.EDITING,
                    target=make_target(article.text, line.start, line.end),
                    decision="remove" if remove else "keep",
                    source_hint=article.source,
                )
            )
        return change

    def annotate(
        self, article: Article, span: tuple[int, int] | None, tags: Sequence[str], note: str
    ) -> Change:
        """A new tag/note annotation on `span` (None: the whole article)."""
        from annotations.anchoring import make_target
        from annotations.model import Annotation, Motivation

        motivation = Motivation.COMMENTING if note.strip() else Motivation.TAGGING
        target = make_target(article.text, *span) if span else None
        created = Annotation.create(
            article_id=article.id,
            author=self.user,
            motivation=motivation,
            target=target,
            tags=tags,
            note=note,
            source_hint=article.source,
        )
        return Change("annotation", added=[created])

    def link(
        self, article: Article, span: tuple[int, int], other: Article, other_span: tuple[int, int]
    ) -> Change:
        """A shared passage as a linked pair: a `linking` annotation on each article's
        passage, each naming the other (annotation, article and passage)."""
        from annotations.anchoring import make_target
        from annotations.model import Annotation, Link, Motivation

        here, there = make_target(article.text, *span), make_target(other.text, *other_span)

        def half(on: Article, target: object, link: Link | None) -> Annotation:
            return Annotation.create(
                article_id=on.id, author=self.user, motivation=Motivation.LINKING,
                target=target, tags=["shared"], source_hint=on.source, link=link,
            )  # fmt: skip

        first = half(article, here, None)
        second = half(other, there, Link(first.id, article.id, here))
        first = replace(first, link=Link(second.id, other.id, there))
        return Change("linked pair", added=[first, second])

    def edit(self, annotation: Annotation, tags: Sequence[str], note: str) -> Change:
        from annotations.model import Motivation, normalize_tags, now_iso

        motivation = Motivation.COMMENTING if note.strip() else Motivation.TAGGING
        if annotation.motivation not in (Motivation.COMMENTING, Motivation.TAGGING):
            motivation = annotation.motivation
        updated = replace(
            annotation,
            tags=normalize_tags(tags),
            note=note,
            motivation=motivation,
            modified=now_iso(),
        )
        return Change("edit", before=[annotation], after=[updated])

    # ---- export ------------------------------------------------------------------------------

    def cleaned(
        self,
        article: Article,
        analysis: Analysis | None = None,
        annotations: Sequence[Annotation] | None = None,
    ) -> CleanedArticle:
        """The article as `copydesk export` writes it for this user: same code, same text.

        A worker passes the `analysis` and `annotations` it was handed (a snapshot taken
        on the UI thread) instead of reading the book while it changes."""
        from reader.boilerplate.model import Analysis
        from reader.export import clean_with_annotations

        analysis = analysis or self.analyses.get(article.id) or Analysis(article_id=article.id)
        if annotations is None:
            annotations = self.for_article(article.id)
        return clean_with_annotations(article, analysis, list(annotations), author=self.user)
