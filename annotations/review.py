"""Reviewing other people's annotations: the queue, its filters, threads and verdicts.

A reviewer goes through annotations written by someone else. Each verdict is itself an
annotation by the reviewer (motivation `assessing`, decision `accept`/`reject`,
`refers_to` the reviewed one), and each reply is a `replying` annotation, so reviews
travel through the same store, formats and imports as everything else and can be
reviewed in turn. An "edit" is an accept that carries the tags and note the reviewer
settled on.

Everything here works on plain lists of `Annotation`s (the store's `all()`), so the CLI,
the review screen and the tests share it. `ReviewIndex` answers the screen at any size:
overlaps come from an interval index per article (`annotations.intervals`) when an
item is built, and a queue's items are built when first read (`QueueItems`).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter, itemgetter
from typing import Any, overload

from annotations.anchoring import stays_in_place
from annotations.intervals import SpanIndex
from annotations.lazy import ReadOnDemand, StoredAnnotations
from annotations.model import (
    Annotation,
    Motivation,
    latest_verdicts,
    normalize_tags,
    order_key,
)
from annotations.query import filter_terms

REVIEWABLE = frozenset(
    {Motivation.TAGGING, Motivation.COMMENTING, Motivation.HIGHLIGHTING, Motivation.EDITING}
)
"""Motivations a reviewer can accept or reject (verdicts and replies are threaded instead)."""
SPAN_MOTIVATIONS = frozenset({Motivation.TAGGING, Motivation.COMMENTING, Motivation.HIGHLIGHTING})
"""Tags, notes and highlights: the queue's default (line decisions go to the curation view)."""


class Status(StrEnum):
    """Where an annotation stands after review: the latest verdict on it wins."""

    UNREVIEWED = "unreviewed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Order(StrEnum):
    """How the queue is sorted."""

    NEWEST = "newest"
    DISAGREEMENTS = "disagreements"
    """Items whose span other annotators tagged differently first, then newest."""


def status_of(verdict: Annotation | None) -> Status:
    if verdict is None:
        return Status.UNREVIEWED
    return Status.ACCEPTED if verdict.decision == "accept" else Status.REJECTED


def thread(annotations: Iterable[Annotation], root_id: str) -> list[tuple[int, Annotation]]:
    """Replies and verdicts under `root_id`, depth-first, oldest first: `(depth, annotation)`.

    Replies to replies nest; a cycle of `refers_to` (only a hostile import can make one)
    is cut at the first repeat.
    """
    children: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        if annotation.refers_to is not None and annotation.motivation in (
            Motivation.REPLYING,
            Motivation.ASSESSING,
        ):
            children.setdefault(annotation.refers_to, []).append(annotation)
    return walk_thread(lambda parent: children.get(parent, ()), root_id)


def walk_thread(
    children_of: Callable[[str], Iterable[Annotation]], root_id: str
) -> list[tuple[int, Annotation]]:
    """`(depth, annotation)` under `root_id`, depth-first, oldest first; a cycle of
    `refers_to` is cut at the first repeat. `children_of(id)` lists the direct replies
    and verdicts."""
    result: list[tuple[int, Annotation]] = []
    seen = {root_id}

    def walk(parent: str, depth: int) -> None:
        for child in sorted(children_of(parent), key=lambda a: (a.created, a.id)):
            if child.id in seen:
                continue
            seen.add(child.id)
            result.append((depth, child))
            walk(child.id, depth + 1)

    walk(root_id, 1)
    return result


def span_of(annotation: Annotation) -> tuple[int, int] | None:
    """The stored character offsets of the annotation's target (None: whole article)."""
    if annotation.target is None:
        return None
    return annotation.target.start, annotation.target.end


def overlaps(first: tuple[int, int] | None, second: tuple[int, int] | None) -> bool:
    """Whether two spans share a character (an article-level annotation overlaps nothing)."""
    if first is None or second is None:
        return False
    return min(first[1], second[1]) > max(first[0], second[0])


Locate = Callable[[Annotation], "tuple[int, int] | None"]
"""Where an annotation lies in the current article text (e.g. re-anchored); default: stored."""


def same_span(
    annotation: Annotation, others: Iterable[Annotation], locate: Locate = span_of
) -> list[Annotation]:
    """What other annotators did on the same span: reviewable annotations by other authors
    on the same article whose spans overlap this one's, oldest first."""
    where = locate(annotation)
    found = [
        other
        for other in others
        if other.id != annotation.id
        and other.author != annotation.author
        and other.article_id == annotation.article_id
        and other.motivation in REVIEWABLE
        and overlaps(where, locate(other))
    ]
    return sorted(found, key=lambda a: (a.created, a.id))


def neighbours(
    annotations: Iterable[Annotation], locate: Locate = span_of
) -> dict[str, list[Annotation]]:
    """`same_span` for every annotation at once (a sweep over spans sorted by start):
    annotation id -> overlapping annotations by other authors on the same article."""
    placed: dict[str, list[tuple[tuple[int, int], Annotation]]] = {}
    for annotation in annotations:
        if annotation.motivation not in REVIEWABLE:
            continue
        where = locate(annotation)
        if where is not None:
            placed.setdefault(annotation.article_id, []).append((where, annotation))
    result: dict[str, list[Annotation]] = {}
    for spans in placed.values():
        spans.sort(key=lambda pair: pair[0])
        for index, ((_, end), annotation) in enumerate(spans):
            author = annotation.author
            for (other_start, other_end), other in spans[index + 1 :]:
                # Sorted by start: `other` starts at or after this one, so they share a
                # character when it starts before this one ends and is not empty.
                if other_start >= end:
                    break
                if other_end > other_start and other.author != author:
                    result.setdefault(annotation.id, []).append(other)
                    result.setdefault(other.id, []).append(annotation)
    by_creation = attrgetter("created", "id")
    for found in result.values():
        found.sort(key=by_creation)
    return result


def _treatment(annotation: Annotation) -> tuple[object, ...]:
    """What `disagrees` compares: two annotations disagree when their treatments differ
    (a line decision's decision; otherwise the set of tags, since span annotations
    carry no decision)."""
    if annotation.motivation is Motivation.EDITING:
        return ("decision", annotation.decision)
    return ("tags", frozenset(annotation.tags))


def disagrees(annotation: Annotation, neighbours: Sequence[Annotation]) -> bool:
    """Whether someone else treated the span differently: other tags, or another decision."""
    for other in neighbours:
        if annotation.motivation is Motivation.EDITING or other.motivation is Motivation.EDITING:
            if annotation.decision != other.decision:
                return True
        elif set(annotation.tags) != set(other.tags):
            return True
    return False


def same_term(a: str, b: str) -> bool:
    """Filter terms match without regard to case (as in the article list)."""
    return a.casefold() == b.casefold()


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Which annotations the queue shows; None means "any"."""

    author: str | None = None
    tag: str | None = None
    article_id: str | None = None
    """An article id, or a prefix of one (at least 4 hex digits)."""
    status: Status | None = None
    include_decisions: bool = False
    """Also queue line decisions (editing annotations); they are many, so off by default."""

    @classmethod
    def parse(cls, text: str) -> QueueFilter:
        """Filter words as typed in the review screen: `@author #tag is:STATUS art:ID`,
        plus `decisions` to include line decisions. Unknown words are ignored."""
        author = tag = article = None
        status: Status | None = None
        decisions = False
        for word in filter_terms(text):
            if word.startswith("@") and len(word) > 1:
                author = word[1:]
            elif word.startswith("#") and len(word) > 1:
                tag = word[1:]
            elif word.startswith("is:"):
                wanted = word[3:].casefold()
                status = next((s for s in Status if s.value.startswith(wanted) and wanted), None)
            elif word.startswith(("art:", "article:")):
                article = word.split(":", 1)[1] or None
            elif word.casefold() in ("decisions", "+decisions"):
                decisions = True
        return cls(author, tag, article, status, decisions)

    def describe(self) -> str:
        parts = []
        if self.author:
            parts.append(f"@{self.author}")
        if self.tag:
            parts.append(f"#{self.tag}")
        if self.status:
            parts.append(f"is:{self.status}")
        if self.article_id:
            parts.append(f"art:{self.article_id[:12]}")
        if self.include_decisions:
            parts.append("decisions")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One annotation in the queue, with what the reviewer needs beside it."""

    annotation: Annotation
    status: Status
    verdict: Annotation | None
    """The latest verdict on it (by anyone), if any."""
    others: Sequence[Annotation] = ()
    """What other annotators did on the same span, oldest first (from the index, an
    `Others`: each built when first read)."""
    replies: int = 0
    known_article: bool = True
    """False when the article is not in the loaded corpus (imported from elsewhere)."""

    @property
    def disagreement(self) -> bool:
        return disagrees(self.annotation, self.others)

    @property
    def edited(self) -> bool:
        """Accepted with changed tags or note (the verdict carries them)."""
        verdict = self.verdict
        return (
            verdict is not None
            and verdict.decision == "accept"
            and bool(verdict.tags or verdict.note.strip())
        )

    @property
    def effective_tags(self) -> list[str]:
        """The tags that stand after review: the edited ones, else the author's."""
        return list(self.verdict.tags) if self.edited and self.verdict else list(
            self.annotation.tags
        )

    @property
    def effective_note(self) -> str:
        return self.verdict.note if self.edited and self.verdict else self.annotation.note


class Others(ReadOnDemand[Annotation]):
    """An item's overlapping annotations by others, oldest first, ordered from the
    index's fields and each built when first read: a queue row reads only until the
    first disagreement, and a span crowded by hundreds builds none it does not show.
    Equal to any sequence of the same annotations (a tuple included)."""

    def __init__(self, index: ReviewIndex, ids: list[str]) -> None:
        self._index = index
        self._ids = ids
        self._built: dict[int, Annotation] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def _read(self, position: int) -> Annotation:
        found = self._built.get(position)
        if found is None:
            found = self._built[position] = self._index.annotation(self._ids[position])
        return found

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Others({list(self)!r})"


FIRST_PAGE = 200
"""Queue positions `NewestFirst` orders before the rest (a page or more of any screen)."""


class NewestFirst(Sequence[str]):
    """Ids in queue order, newest first, without sorting all of them for the first page:
    the first `head` come from `heapq.nlargest`, the whole order is sorted the first
    time a later position is read, or by `complete()` (a worker calls it once the first
    page is shown). Iterating yields the whole order."""

    def __init__(self, chosen: list[Fields], head: int = FIRST_PAGE) -> None:
        self._chosen = chosen
        self._head = [f["id"] for f in heapq.nlargest(head, chosen, key=_ORDER)]
        self._all: list[str] | None = None if len(chosen) > head else self._head

    def complete(self) -> list[str]:
        """The whole order (sorted once; safe to call from a worker meanwhile)."""
        found = self._all
        if found is None:
            ordered = sorted(self._chosen, key=_ORDER, reverse=True)
            found = self._all = [f["id"] for f in ordered]
        return found

    @property
    def sorted(self) -> bool:
        """Whether the whole order is known yet."""
        return self._all is not None

    def unordered(self) -> Iterator[str]:
        """Every id, in no set order (for counting: sorts nothing)."""
        return (f["id"] for f in self._chosen)

    def __len__(self) -> int:
        return len(self._chosen)

    @overload
    def __getitem__(self, position: int) -> str: ...

    @overload
    def __getitem__(self, position: slice) -> list[str]: ...

    def __getitem__(self, position: int | slice) -> str | list[str]:
        if isinstance(position, int) and 0 <= position < len(self._head):
            return self._head[position]
        return self.complete()[position]

    def __iter__(self) -> Iterator[str]:
        return iter(self.complete())

    def index(self, ident: object, start: int = 0, stop: int | None = None) -> int:
        """The position of `ident` (the first page searched before anything is sorted)."""
        if start == 0 and stop is None and ident in self._head:
            return self._head.index(ident)
        return self.complete().index(ident, start, *(() if stop is None else (stop,)))


class QueuedAnnotations(ReadOnDemand[Annotation]):
    """A queue's annotations in queue order, read from the index by id (an annotation
    still held only as its stored record is built when read here)."""

    def __init__(self, index: ReviewIndex | None, ids: Sequence[str]) -> None:
        self._index = index
        self._ids = ids

    def __len__(self) -> int:
        return len(self._ids)

    def _read(self, position: int) -> Annotation:
        assert self._index is not None
        return self._index.annotation(self._ids[position])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, QueuedAnnotations | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class QueueItems(ReadOnDemand[ReviewItem]):
    """A queue's items in order, each built from the index the first time it is read
    (drawn as it scrolls into view, or asked for), then kept until replaced."""

    def __init__(
        self,
        index: ReviewIndex | None = None,
        ids: Sequence[str] = (),
        known_articles: set[str] | None = None,
    ) -> None:
        self.index = index
        self.ids: Sequence[str] = ids
        """The queued annotations' ids, in queue order."""
        self.known_articles = known_articles
        self._built: dict[int, ReviewItem] = {}
        self._unreviewed: tuple[int, int] | None = None
        """(the index's version, unreviewed items) counted when the queue was built."""

    @property
    def annotations(self) -> QueuedAnnotations:
        """The queued annotations, in queue order (each built when read)."""
        return QueuedAnnotations(self.index, self.ids)

    @property
    def built(self) -> int:
        """How many items have been built so far."""
        return len(self._built)

    def __len__(self) -> int:
        return len(self.ids)

    def _read(self, position: int) -> ReviewItem:
        item = self._built.get(position)
        if item is None:
            ident = self.ids[position]
            assert self.index is not None
            annotation = self.index.annotation(ident)
            known = self.known_articles is None or annotation.article_id in self.known_articles
            item = self._built[position] = self.index.item(annotation, known)
        return item

    def __setitem__(self, position: int, item: ReviewItem) -> None:
        """Replace one item (after a verdict or reply changed it)."""
        if not 0 <= position < len(self):
            raise IndexError(position)
        self._built[position] = item

    def built_at(self, ident: str) -> list[int]:
        """Positions of the items built so far of the annotation `ident` (an item not
        built yet is built from the index as it stands when read)."""
        return [n for n, item in self._built.items() if item.annotation.id == ident]

    def _ids(self) -> Iterable[str]:
        """Every queued id, in no set order."""
        ids = self.ids
        return ids.unordered() if isinstance(ids, NewestFirst) else ids

    def unreviewed(self) -> int:
        """Items still unreviewed, counted from the index without building them."""
        if self.index is None:
            return 0
        counted = self._unreviewed
        if counted is not None and counted[0] == self.index.version:
            return counted[1]
        latest = self.index.latest
        return sum(1 for ident in self._ids() if ident not in latest)

    def authors(self) -> set[str]:
        """The queued annotations' authors, read from the index without building them."""
        if self.index is None:
            return set()
        fields = self.index.fields
        return {fields[ident]["author"] for ident in self._ids() if ident in fields}


@dataclass
class ReviewQueue:
    """The reviewer's queue: built from every annotation, filtered and sorted."""

    items: QueueItems = field(default_factory=QueueItems)
    unknown_articles: list[str] = field(default_factory=list)
    """Article ids of queued annotations that are not in the loaded corpus."""
    hidden_decisions: int = 0
    """`ReviewIndex.hidden_decisions` for the queue's filter, counted as it was built."""

    def __len__(self) -> int:
        return len(self.items)


Fields = Mapping[str, Any]
"""What the index reads of an annotation without building it: a stored record, or the
same keys taken from an `Annotation` (`fields_of`); "modified" canonical."""

_ORDER = itemgetter("modified", "created", "id")
_CREATION = itemgetter("created", "id")
"""`order_key` read from fields (stored times are canonical)."""
_RESPONSES = frozenset({Motivation.REPLYING, Motivation.ASSESSING})


def fields_of(annotation: Annotation) -> dict[str, Any]:
    """The fields the index reads, taken from an annotation (its sort key's time)."""
    return {
        "id": annotation.id,
        "article_id": annotation.article_id,
        "source_hint": annotation.source_hint,
        "author": annotation.author,
        "created": annotation.created,
        "modified": order_key(annotation)[0],
        "motivation": annotation.motivation,
        "target": annotation.target,
        "tags": annotation.tags,
        "decision": annotation.decision,
        "refers_to": annotation.refers_to,
    }


def _chosen_by(chosen: QueueFilter, found: Fields, latest: Mapping[str, Annotation]) -> bool:
    """Whether a queueable annotation's fields pass the filter's author, tag, article
    and status words."""
    return (
        (chosen.author is None or same_term(found["author"], chosen.author))
        and (chosen.tag is None or any(same_term(t, chosen.tag) for t in found["tags"]))
        and (chosen.article_id is None or found["article_id"].startswith(chosen.article_id))
        and (chosen.status is None or status_of(latest.get(found["id"])) is chosen.status)
    )


def _fields_treatment(fields: Fields) -> tuple[object, ...]:
    """`_treatment` read from fields."""
    if fields["motivation"] == Motivation.EDITING:
        return ("decision", fields["decision"])
    return ("tags", frozenset(fields["tags"]))


class _ById(Mapping[str, Annotation]):
    """The index's annotation id -> annotation: added ones as given, stored ones built
    from their records when first read."""

    def __init__(self, index: ReviewIndex) -> None:
        self._index = index

    def __getitem__(self, ident: str) -> Annotation:
        index = self._index
        if ident not in index.fields:
            raise KeyError(ident)
        given = index._given.get(ident)
        if given is not None:
            return given
        assert index.stored is not None
        return index.stored[ident]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._index.fields))

    def __len__(self) -> int:
        return len(self._index.fields)

    def __contains__(self, ident: object) -> bool:
        return ident in self._index.fields


class ReviewIndex:
    """Every annotation indexed for the review queue, kept current change by change.

    Built once (by id, by `refers_to`, each article's located spans in an interval
    index) in O(n log n); `add` and `remove` update it in O(log n) (a verdict or reply:
    constant). What overlaps an annotation is asked of the interval index when its item
    is built, so queues, items, threads and verdicts are read without scanning
    everything, and no pair is computed before it is shown.

    Built from stored records (`from_stored`), it reads their fields to filter, sort
    and place them, and builds an `Annotation` only for what is read: the items drawn,
    their overlaps, verdicts and replies.
    """

    def __init__(self, annotations: Iterable[Annotation] = (), locate: Locate = span_of) -> None:
        self.locate = locate
        self.stored: StoredAnnotations | None = None
        """Where annotations not added as objects are built from (`from_stored`)."""
        self.fields: dict[str, Fields] = {}
        """Annotation id -> what the index reads of it (`Fields`)."""
        self._given: dict[str, Annotation] = {}
        """Annotations indexed as objects (`add`, or the constructor)."""
        self._departed: dict[str, Annotation] = {}
        """Annotations removed since: a queue on screen may still show them until rebuilt."""
        self.children: dict[str, dict[str, Annotation]] = {}
        """refers_to -> id -> the replies and verdicts about it."""
        self.latest: dict[str, Annotation] = {}
        """Annotation id -> the latest verdict about it."""
        self.reply_counts: dict[str, int] = {}
        """Annotation id -> replies to it."""
        self._spans: dict[str, SpanIndex] = {}
        """Article id -> the located spans of its reviewable annotations."""
        self.version = 0
        """Counts `add`s and `remove`s (a count taken at another version is stale)."""
        for annotation in annotations:
            self._given[annotation.id] = annotation
            self.fields[annotation.id] = fields_of(annotation)
        self._index_responses()
        placed: dict[str, list[tuple[int, int, str]]] = {}
        for ident, annotation in self._given.items():
            where = self._placed(annotation)
            if where is not None:
                placed.setdefault(annotation.article_id, []).append((*where, ident))
        self._spans = {article: SpanIndex.from_entries(e) for article, e in placed.items()}

    @classmethod
    def from_stored(
        cls,
        stored: StoredAnnotations,
        locate: Locate = span_of,
        texts: Mapping[str, str] | None = None,
    ) -> ReviewIndex:
        """The index of a store's records, building annotations only as they are read.

        `texts` are the loaded articles' texts by id: a span still exactly where it was
        made in its article (nearly all of them) is placed from its record, every other
        one by `locate` (which then builds it). Without `texts`, `locate` places every
        span, except with the default (`span_of`), which reads the stored offsets."""
        index = cls(locate=locate)
        index.stored = stored
        index.fields = dict(stored.records)
        index._index_responses()
        stored_spans = texts is None and locate is span_of
        texts = texts or {}
        placed: dict[str, list[tuple[int, int, str]]] = {}
        for ident, record in index.fields.items():
            target = record["target"]
            if target is None or record["motivation"] not in REVIEWABLE:
                continue
            article_id = record["article_id"]
            text = texts.get(article_id)
            start, end = target["start"], target["end"]
            if not stored_spans and not (
                text is not None
                and stays_in_place(target["exact"], target["prefix"], target["suffix"],
                                   start, end, text)
            ):
                where = locate(stored[ident])
                if where is None:
                    continue
                start, end = where
            placed.setdefault(article_id, []).append((start, end, ident))
        index._spans = {article: SpanIndex.from_entries(e) for article, e in placed.items()}
        return index

    def _index_responses(self) -> None:
        """Threads, reply counts and latest verdicts from every indexed reply and verdict."""
        latest_keys: dict[str, tuple[object, ...]] = {}
        for ident, found in self.fields.items():
            if found["motivation"] in _RESPONSES and found["refers_to"] is not None:
                self._index_response(self.annotation(ident), found, latest_keys)

    def _index_response(
        self,
        annotation: Annotation,
        found: Fields,
        latest_keys: dict[str, tuple[object, ...]] | None = None,
    ) -> None:
        parent = found["refers_to"]
        self.children.setdefault(parent, {})[annotation.id] = annotation
        if found["motivation"] == Motivation.REPLYING:
            self.reply_counts[parent] = self.reply_counts.get(parent, 0) + 1
            return
        key = _ORDER(found)
        current = self.latest.get(parent)
        if current is not None:
            current_key = (latest_keys or {}).get(parent) or _ORDER(self.fields[current.id])
        if current is None or key > current_key:
            self.latest[parent] = annotation
            if latest_keys is not None:
                latest_keys[parent] = key

    def __len__(self) -> int:
        return len(self.fields)

    @property
    def by_id(self) -> Mapping[str, Annotation]:
        """Annotation id -> annotation (a stored one is built when read)."""
        return _ById(self)

    def annotation(self, ident: str) -> Annotation:
        """The indexed annotation `ident` (or one removed since, for a queue still shown)."""
        given = self._given.get(ident)
        if given is not None:
            return given
        if ident in self.fields and self.stored is not None:
            return self.stored[ident]
        return self._departed[ident]

    def copy(self) -> ReviewIndex:
        """A copy of the index (sharing the annotations, which are not changed in place)
        that later `add`s and `remove`s leave alone: a worker reads it to sort a queue
        while the screen keeps this one current. Copying costs tens of milliseconds at
        100,000 annotations; the sort it allows off the UI thread costs about a second."""
        copied = ReviewIndex(locate=self.locate)
        copied.stored = self.stored
        copied.fields = dict(self.fields)
        copied._given = dict(self._given)
        copied._departed = dict(self._departed)
        copied.children = {parent: dict(found) for parent, found in self.children.items()}
        copied.latest = dict(self.latest)
        copied.reply_counts = dict(self.reply_counts)
        copied._spans = {article: spans.copy() for article, spans in self._spans.items()}
        copied.version = self.version
        return copied

    def _placed(self, annotation: Annotation) -> tuple[int, int] | None:
        if annotation.motivation not in REVIEWABLE:
            return None
        return self.locate(annotation)

    # ---- changes ------------------------------------------------------------------------

    def add(self, annotation: Annotation) -> None:
        """Index a new (or newly updated) annotation."""
        self.version += 1
        if annotation.id in self.fields:
            self.remove(annotation.id)
        found = self.fields[annotation.id] = fields_of(annotation)
        self._given[annotation.id] = annotation
        self._departed.pop(annotation.id, None)
        if annotation.motivation in _RESPONSES and annotation.refers_to is not None:
            self._index_response(annotation, found)
        where = self._placed(annotation)
        if where is not None:
            self._spans.setdefault(annotation.article_id, SpanIndex()).add(where, annotation.id)

    def remove(self, annotation_id: str) -> None:
        """Forget an annotation (deleted, or about to be replaced by its update)."""
        if annotation_id not in self.fields:
            return
        self.version += 1
        annotation = self.annotation(annotation_id)
        del self.fields[annotation_id]
        self._given.pop(annotation_id, None)
        self._departed[annotation_id] = annotation
        parent = annotation.refers_to
        siblings = self.children.get(parent or "")
        if siblings is not None and siblings.pop(annotation_id, None) is not None:
            if not siblings:
                del self.children[parent or ""]
            if annotation.motivation is Motivation.REPLYING:
                left = self.reply_counts.get(parent or "", 1) - 1
                if left > 0:
                    self.reply_counts[parent or ""] = left
                else:
                    self.reply_counts.pop(parent or "", None)
            if self.latest.get(parent or "") is annotation:
                remaining = [
                    a for a in siblings.values() if a.motivation is Motivation.ASSESSING
                ]
                if remaining:
                    self.latest[parent or ""] = max(remaining, key=order_key)
                else:
                    del self.latest[parent or ""]
        placed = self._spans.get(annotation.article_id)
        if placed is not None:
            placed.remove(annotation_id)

    # ---- overlaps -------------------------------------------------------------------------

    def _overlapping(self, annotation: Annotation) -> Iterator[Annotation]:
        """Indexed annotations by other authors whose spans overlap this one's (any order)."""
        spans = self._spans.get(annotation.article_id)
        if spans is None:
            return
        where = spans.span(annotation.id)
        if where is None:
            return
        fields, author = self.fields, annotation.author
        for key in spans.overlapping(where):
            if fields[key]["author"] != author:  # type: ignore[index]
                yield self.annotation(key)  # type: ignore[arg-type]

    def _others_ids(self, annotation: Annotation) -> list[str]:
        """Ids of what `_overlapping` yields, oldest first, read from the fields."""
        spans = self._spans.get(annotation.article_id)
        where = spans.span(annotation.id) if spans is not None else None
        if where is None:
            return []
        fields, author = self.fields, annotation.author
        found = [fields[key] for key in spans.overlapping(where)  # type: ignore[union-attr]
                 if fields[key]["author"] != author]  # type: ignore[index]
        found.sort(key=_CREATION)
        return [f["id"] for f in found]

    def others(self, annotation: Annotation) -> list[Annotation]:
        """`same_span` from the index: reviewable annotations by other authors on the same
        article overlapping this one (as located), oldest first."""
        return sorted(self._overlapping(annotation), key=attrgetter("created", "id"))

    def disagreement(self, annotation: Annotation) -> bool:
        """`ReviewItem.disagreement` without building the item: stops at the first other
        annotator who treated the span differently."""
        from annotations.curation import CURATED_AUTHOR

        return any(
            disagrees(annotation, (other,))
            for other in self._overlapping(annotation)
            if other.author != CURATED_AUTHOR
        )

    def disagreements(self) -> Callable[[Annotation], bool]:
        """`disagreement` for a whole queue at once (disagreements first), counting instead
        of looking: per article, the starts and ends of the spans of each author, of each
        treatment (a decision, or a set of tags) and of both, sorted. The spans overlapping
        `[s, e)` in a group number `#(start < e) - #(end <= s)`, and an annotation has a
        disagreement when other authors' overlapping spans outnumber those among them
        treated alike. O(n log n) to build, O(log n) per annotation."""
        disagreement = self._fields_disagreements()
        return lambda annotation: disagreement(fields_of(annotation))

    def _fields_disagreements(self) -> Callable[[Fields], bool]:
        """`disagreements`, asked with an annotation's fields."""
        from annotations.curation import CURATED_AUTHOR

        fields = self.fields
        groups: dict[tuple[object, ...], tuple[list[int], list[int]]] = {}
        for article_id, spans in self._spans.items():
            for key, (start, end) in spans.items():
                other = fields[key]  # type: ignore[index]
                if other["author"] == CURATED_AUTHOR:
                    continue
                treatment = _fields_treatment(other)
                for group in ((article_id,), (article_id, other["author"]),
                              (article_id, treatment), (article_id, treatment, other["author"])):
                    starts, ends = groups.setdefault(group, ([], []))
                    starts.append(start)
                    ends.append(end)
        for starts, ends in groups.values():
            starts.sort()
            ends.sort()

        def overlapping(group: tuple[object, ...], start: int, end: int) -> int:
            found = groups.get(group)
            if found is None:
                return 0
            return bisect_left(found[0], end) - bisect_right(found[1], start)

        def disagreement(annotation: Fields) -> bool:
            article = annotation["article_id"]
            spans = self._spans.get(article)
            where = spans.span(annotation["id"]) if spans is not None else None
            if where is None:
                return False
            start, end = where
            author, treatment = annotation["author"], _fields_treatment(annotation)
            others = overlapping((article,), start, end) - overlapping(
                (article, author), start, end
            )
            alike = overlapping((article, treatment), start, end) - overlapping(
                (article, treatment, author), start, end
            )
            return others > alike

        return disagreement

    # ---- reading ------------------------------------------------------------------------

    def verdict(self, annotation_id: str) -> Annotation | None:
        return self.latest.get(annotation_id)

    def replies(self, annotation_id: str) -> int:
        return self.reply_counts.get(annotation_id, 0)

    def thread(self, root_id: str) -> list[tuple[int, Annotation]]:
        """`thread` read from the index: `(depth, annotation)`, depth-first, oldest first."""
        return walk_thread(lambda parent: self.children.get(parent, {}).values(), root_id)

    def known_articles(self, known: Callable[[str, str], bool]) -> set[str]:
        """Ids of the indexed annotations' articles for which `known(article_id,
        source_hint)` holds (read from the fields, building nothing)."""
        found: set[str] = set()
        for item in self.fields.values():
            article_id = item["article_id"]
            if article_id not in found and known(article_id, item["source_hint"]):
                found.add(article_id)
        return found

    def item(self, annotation: Annotation, known_article: bool = True) -> ReviewItem:
        """The queue item of one annotation as things stand now."""
        from annotations.curation import CURATED_AUTHOR

        verdict = self.latest.get(annotation.id)
        return ReviewItem(
            annotation=annotation,
            status=status_of(verdict),
            verdict=verdict,
            others=Others(self, [
                ident for ident in self._others_ids(annotation)
                if self.fields[ident]["author"] != CURATED_AUTHOR
            ]),
            replies=self.replies(annotation.id),
            known_article=known_article,
        )

    def queue(
        self,
        reviewer: str,
        *,
        known_articles: Iterable[str] | None = None,
        queue_filter: QueueFilter | None = None,
        order: Order = Order.NEWEST,
    ) -> ReviewQueue:
        """Annotations by people other than `reviewer`, with status, neighbours and replies.

        `known_articles` are the ids of the loaded corpus; annotations on other articles
        are kept (marked `known_article=False`) and their ids listed in
        `unknown_articles`. The curated author's decisions are never queued: they are the
        reviewers' own result. Filtered and sorted from the fields: no annotation is
        built here.
        """
        from annotations.curation import CURATED_AUTHOR

        chosen = queue_filter or QueueFilter()
        known = None if known_articles is None else set(known_articles)
        wanted = REVIEWABLE if chosen.include_decisions else SPAN_MOTIVATIONS
        latest = self.latest
        chosen_ones: list[Fields] = []
        hidden = unreviewed = 0
        skipped = (reviewer, CURATED_AUTHOR)
        count_hidden = not chosen.include_decisions
        narrowed = any(value is not None for value in (
            chosen.author, chosen.tag, chosen.article_id, chosen.status))
        for found in self.fields.values():
            author = found["author"]
            if author in skipped:
                continue
            motivation = found["motivation"]
            if motivation not in wanted:
                if count_hidden and motivation == Motivation.EDITING and (
                    (chosen.author is None or same_term(author, chosen.author))
                    and (chosen.article_id is None
                         or found["article_id"].startswith(chosen.article_id))
                ):
                    hidden += 1
                continue
            if narrowed and not _chosen_by(chosen, found, latest):
                continue
            chosen_ones.append(found)
            if found["id"] not in latest:
                unreviewed += 1
        ids: Sequence[str]
        if order is Order.DISAGREEMENTS:
            chosen_ones.sort(key=_ORDER, reverse=True)
            # Stable: newest first within each group.
            disagreement = self._fields_disagreements()
            chosen_ones.sort(key=lambda found: not disagreement(found))
            ids = [f["id"] for f in chosen_ones]
        else:
            ids = NewestFirst(chosen_ones)
        unknown: list[str] = []
        if known is not None:
            articles = {f["article_id"] for f in chosen_ones}
            unknown = sorted(articles - known)
        items = QueueItems(self, ids, known)
        items._unreviewed = (self.version, unreviewed)
        return ReviewQueue(items, unknown, hidden)

    def hidden_decisions(self, reviewer: str, queue_filter: QueueFilter | None = None) -> int:
        """Line decisions by others that the queue leaves out because the filter does not
        ask for `decisions` (its author and article words still apply)."""
        from annotations.curation import CURATED_AUTHOR

        chosen = queue_filter or QueueFilter()
        if chosen.include_decisions:
            return 0
        return sum(
            1
            for a in self.fields.values()
            if a["motivation"] == Motivation.EDITING
            and a["author"] not in (reviewer, CURATED_AUTHOR)
            and (chosen.author is None or same_term(a["author"], chosen.author))
            and (chosen.article_id is None or a["article_id"].startswith(chosen.article_id))
        )


# ---------------------------------------------------------------- building verdicts


def _response(
    reviewed: Annotation,
    reviewer: str,
    motivation: Motivation,
    *,
    decision: str | None = None,
    tags: Iterable[str] = (),
    note: str = "",
    refers_to: str | None = None,
) -> Annotation:
    """An annotation by `reviewer` about `reviewed`, on the same article and span."""
    return Annotation.create(
        article_id=reviewed.article_id,
        source_hint=reviewed.source_hint,
        author=reviewer,
        motivation=motivation,
        target=reviewed.target,
        tags=tags,
        note=note,
        decision=decision,
        refers_to=refers_to or reviewed.id,
    )


def accept(reviewed: Annotation, reviewer: str) -> Annotation:
    """The reviewer's "accept" verdict on `reviewed`."""
    return _response(reviewed, reviewer, Motivation.ASSESSING, decision="accept")


def reject(reviewed: Annotation, reviewer: str, note: str = "") -> Annotation:
    """The reviewer's "reject" verdict on `reviewed` (optionally saying why)."""
    return _response(reviewed, reviewer, Motivation.ASSESSING, decision="reject", note=note)


def accept_edited(
    reviewed: Annotation, reviewer: str, tags: Iterable[str], note: str
) -> Annotation:
    """Accept with changed tags and/or note: the verdict carries what the reviewer settled on.

    When nothing changed, this is a plain accept.
    """
    tags = normalize_tags(tags)
    if tags == reviewed.tags and note == reviewed.note:
        return accept(reviewed, reviewer)
    return _response(
        reviewed, reviewer, Motivation.ASSESSING, decision="accept", tags=tags, note=note
    )


def reply(reviewed: Annotation, reviewer: str, note: str) -> Annotation:
    """A Markdown reply threaded under `reviewed` (which may itself be a reply)."""
    if not note.strip():
        raise ValueError("a reply needs some text")
    return _response(reviewed, reviewer, Motivation.REPLYING, note=note)


# ----------------------------------------------------------------- review counts


@dataclass(frozen=True, slots=True)
class ReviewCounts:
    """How one author's annotations fared in review."""

    author: str
    annotations: int
    reviewed: int
    accepted: int
    rejected: int
    edited: int

    @property
    def unreviewed(self) -> int:
        return self.annotations - self.reviewed


def review_counts(annotations: Iterable[Annotation]) -> list[ReviewCounts]:
    """Per author (by name): reviewable annotations, reviewed, accepted, rejected, edited.

    The curated author is left out (its decisions are the review's result).
    """
    from annotations.curation import CURATED_AUTHOR

    everything = list(annotations)
    latest = latest_verdicts(everything)
    tally: dict[str, list[int]] = {}
    for annotation in everything:
        if annotation.motivation not in REVIEWABLE or annotation.author == CURATED_AUTHOR:
            continue
        counts = tally.setdefault(annotation.author, [0, 0, 0, 0, 0])
        counts[0] += 1
        verdict = latest.get(annotation.id)
        if verdict is None:
            continue
        counts[1] += 1
        if verdict.decision == "accept":
            counts[2] += 1
            if verdict.tags or verdict.note.strip():
                counts[4] += 1
        else:
            counts[3] += 1
    return [ReviewCounts(author, *values) for author, values in sorted(tally.items())]
