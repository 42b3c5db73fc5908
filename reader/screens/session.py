"""The reader's state: the corpus, the detector's verdicts, and the user's annotations.

The main screen owns one `Session`. Store calls are blocking file I/O, so the screen runs
`apply_change` in a thread worker and adopts the finished `Change` in a message handler;
everything else here is quick, in-memory bookkeeping. Undo is a stack of `Change`s:
undoing one applies its inverse.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.corpus.model import Article
from reader.widgets.article_view import Highlight, tag_class

if TYPE_CHECKING:
    from annotations.anchoring import Anchor
    from annotations.model import Annotation
    from reader.boilerplate import Analysis
    from reader.export import CleanedArticle


@dataclass
class Change:
    """One user action on the store, and what it takes to undo it."""

    description: str
    added: list[Annotation] = field(default_factory=list)
    removed: list[Annotation] = field(default_factory=list)
    before: list[Annotation] = field(default_factory=list)
    """Previous versions of updated annotations."""
    after: list[Annotation] = field(default_factory=list)
    """New versions of updated annotations."""

    def inverse(self) -> Change:
        """The change that undoes this one."""
        return Change(
            f"undo {self.description}",
            added=list(self.removed),
            removed=list(self.added),
            before=list(self.after),
            after=list(self.before),
        )

    @property
    def article_ids(self) -> set[str]:
        return {a.article_id for a in (*self.added, *self.removed, *self.after)}


class ChangeQueue:
    """Changes waiting for one writer thread, in order (thread-safe).

    `push` says whether a writer must be started (none is running); the writer `pop`s
    until it gets None, which also marks it finished, so no change is left behind and
    two writers never run at once.
    """

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._items: deque[tuple[Change, bool]] = deque()
        self._busy = False

    def push(self, change: Change, *, undo: bool = False) -> bool:
        """Queue a change; True when the caller should start the writer."""
        with self._lock:
            self._items.append((change, undo))
            if self._busy:
                return False
            self._busy = True
            return True

    def pop(self) -> tuple[Change, bool] | None:
        """The next `(change, undo)`, or None (the writer then stops)."""
        with self._lock:
            if not self._items:
                self._busy = False
                return None
            return self._items.popleft()


def open_store(db_path: Path) -> tuple[Any, list[Annotation], bool, str | None]:
    """Open the annotation store and read it: `(store, annotations, read_only, message)`.

    A corrupt database is opened read-only (its readable parts are still shown) and never
    overwritten; the message names the file. Blocking: call it from a thread worker.
    """
    from annotations.store import AnnotationStore, StoreError

    try:
        store = AnnotationStore.open(db_path)
        return store, store.all(), False, None
    except StoreError as error:
        message = (
            f"The annotation database cannot be used for writing: {error}. "
            f"It was opened read-only and will not be changed ({db_path})."
        )
    except OSError as error:
        message = f"Cannot open the annotation database {db_path}: {error}. Read-only."
    try:
        store = AnnotationStore.open(db_path, read_only=True)
        return store, store.all(), True, message
    except (StoreError, OSError):
        return None, [], True, message


def apply_change(store: Any, change: Change) -> Change:
    """Write `change` to the store (blocking; run it in a thread worker)."""
    for annotation in change.removed:
        store.delete(annotation.id, article_id=annotation.article_id)
    for annotation in change.after:
        store.update(annotation)
    for annotation in change.added:
        store.add(annotation)
    return change


class Session:
    """Articles, their analyses and annotations, and the user's undo history."""

    def __init__(self, user: str) -> None:
        self.user = user
        self.articles: list[Article] = []
        self.by_id: dict[str, Article] = {}
        self.analyses: dict[str, Analysis] = {}
        self.annotations: dict[str, list[Annotation]] = {}
        self.store: Any = None
        self.read_only = False
        self.undo_stack: list[Change] = []
        self._anchors: dict[tuple[str, str], Anchor] = {}

    # ---- corpus --------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> list[Article]:
        """Add newly loaded articles (duplicates by content are skipped); returns the new ones."""
        added = []
        for article in articles:
            if article.id in self.by_id:
                continue
            self.by_id[article.id] = article
            self.articles.append(article)
            added.append(article)
        return added

    def title(self, article: Article) -> str:
        analysis = self.analyses.get(article.id)
        return (analysis.headline if analysis else None) or article.title

    # ---- annotations ------------------------------------------------------------------

    def set_annotations(self, annotations: Iterable[Annotation]) -> None:
        self.annotations = {}
        for annotation in annotations:
            self.annotations.setdefault(annotation.article_id, []).append(annotation)
        self._anchors.clear()

    def for_article(self, article_id: str) -> list[Annotation]:
        return self.annotations.get(article_id, [])

    def adopt(self, change: Change, *, undoable: bool = True) -> None:
        """Reflect a change the store has made durable in the in-memory copy."""
        gone = {a.id for a in (*change.removed, *change.after)}
        for article_id in change.article_ids:
            kept = [a for a in self.annotations.get(article_id, []) if a.id not in gone]
            self.annotations[article_id] = kept
        for annotation in (*change.after, *change.added):
            self.annotations.setdefault(annotation.article_id, []).append(annotation)
        for annotation in (*change.removed, *change.after, *change.added):
            self._anchors.pop((annotation.id, annotation.modified), None)
        if undoable:
            self.undo_stack.append(change)

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
        from annotations.model import Motivation

        shown = {Motivation.TAGGING, Motivation.COMMENTING, Motivation.HIGHLIGHTING}
        return [a for a in self.for_article(article.id) if a.motivation in shown]

    def highlights(self, article: Article) -> list[Highlight]:
        """Annotated spans to colour, by first tag."""
        spans = []
        for annotation in self.notes(article):
            found = self.anchor_of(annotation, article)
            if found.attached:
                first = annotation.tags[0] if annotation.tags else None
                spans.append(Highlight(found.start, found.end, tag_class(first), annotation.id))
        return spans

    def decisions(self, article: Article) -> dict[int, bool]:
        """Line -> remove? from this user's stored decisions (as `copydesk export` applies them)."""
        from annotations.decisions import line_decisions

        return line_decisions(self.for_article(article.id), article, author=self.user)

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

    def cleaned(self, article: Article) -> CleanedArticle:
        """The article as `copydesk export` writes it for this user: same code, same text."""
        from reader.boilerplate import Analysis
        from reader.export import clean_with_annotations

        analysis = self.analyses.get(article.id) or Analysis(article_id=article.id)
        return clean_with_annotations(
            article, analysis, self.for_article(article.id), author=self.user
        )
