"""Stored annotations built on demand: the store's records kept as read, each turned into
an `Annotation` the first time something reads it.

A whole-database read for one screen (the review queue's first page) needs every
record's fields (to filter, sort and place it) but only a page of `Annotation` objects;
building all 100,000 costs as much as reading them. `StoredAnnotations` holds the
records and builds what is asked for (cached, so every reader shares one object per
annotation); `ArticleAnnotations` is the book's article id -> annotations, oldest first,
each article's list built the first time it is read.

Both are read from the UI thread and from workers: a build is idempotent and the first
one stored wins (`dict.setdefault`), and `ArticleAnnotations` changes under a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from operator import itemgetter
from typing import Any, TypeVar, overload

from annotations.model import Annotation

Item = TypeVar("Item")

_CREATION = itemgetter("created", "id")
"""Oldest first, as the store's `all()` orders annotations."""


class StoredAnnotations:
    """Every annotation a store read gave, as its records; `[id]` builds (once) and
    returns the annotation, iterating yields them all oldest first (building them).

    The records are the store's cache: never changed (the store replaces a record it
    updates, it does not change it in place)."""

    def __init__(self, records: Iterable[Mapping[str, Any]] = ()) -> None:
        self.records: dict[str, Mapping[str, Any]] = {r["id"]: r for r in records}
        """Annotation id -> its stored record (every field, as `Annotation.to_dict`)."""
        self._built: dict[str, Annotation] = {}
        self._by_article: ArticleAnnotations | None = None

    @classmethod
    def of(cls, annotations: Iterable[Annotation]) -> StoredAnnotations:
        """Annotations that exist already (nothing left to build)."""
        stored = cls()
        for annotation in annotations:
            stored.records[annotation.id] = annotation.to_dict()
            stored._built[annotation.id] = annotation
        return stored

    def __len__(self) -> int:
        return len(self.records)

    def __contains__(self, ident: object) -> bool:
        return ident in self.records

    def __getitem__(self, ident: str) -> Annotation:
        found = self._built.get(ident)
        if found is None:
            found = self._built.setdefault(ident, Annotation._trusted(self.records[ident]))
        return found

    def __iter__(self) -> Iterator[Annotation]:
        for record in sorted(self.records.values(), key=_CREATION):
            yield self[record["id"]]

    @property
    def built(self) -> int:
        """How many annotations have been built so far."""
        return len(self._built)

    def add(self, annotation: Annotation) -> Mapping[str, Any]:
        """Hold an annotation saved since the read (or a newer version of one), built
        already, and return a record of it for `ArticleAnnotations`; `records` stay what
        the read gave (workers may be reading them)."""
        self._built[annotation.id] = annotation
        return annotation.to_dict()

    def by_article(self) -> ArticleAnnotations:
        """Article id -> its annotations oldest first, each list built when first read
        (one mapping, made on the first call: the book keeps it current from then on)."""
        if self._by_article is None:
            self._by_article = ArticleAnnotations(self)
        return self._by_article


class ArticleAnnotations(MutableMapping[str, list[Annotation]]):
    """Article id -> its annotations, oldest first, in the order a dict filled from the
    store's `all()` has (articles by their oldest annotation); an article's list is
    built from `StoredAnnotations` the first time it is read, then kept and changed like
    any dict value. Grouping the records by article is done once, on first use or by
    `prepare()` (a worker calls it so the UI thread does not)."""

    def __init__(self, stored: StoredAnnotations) -> None:
        self._stored = stored
        self._lock = threading.RLock()
        self._pending: dict[str, list[Mapping[str, Any]]] | None = None
        """Article id -> records of the articles whose list is not built yet."""
        self._lists: dict[str, list[Annotation]] = {}
        self._order: dict[str, None] = {}
        """Every article id, in dict order (the oldest annotation's article first)."""

    def prepare(self) -> None:
        """Group the records by article (once)."""
        with self._lock:
            if self._pending is not None:
                return
            groups: dict[str, list[Mapping[str, Any]]] = {}
            for record in self._stored.records.values():
                groups.setdefault(record["article_id"], []).append(record)
            for records in groups.values():
                records.sort(key=_CREATION)
            for article_id in sorted(groups, key=lambda a: _CREATION(groups[a][0])):
                self._order.setdefault(article_id, None)
            self._pending = groups

    def __getitem__(self, article_id: str) -> list[Annotation]:
        found = self._lists.get(article_id)
        if found is not None:
            return found
        with self._lock:
            self.prepare()
            found = self._lists.get(article_id)
            if found is None:
                records = self._pending.pop(article_id)  # type: ignore[union-attr]
                stored = self._stored
                found = self._lists[article_id] = [stored[r["id"]] for r in records]
            return found

    def __setitem__(self, article_id: str, annotations: list[Annotation]) -> None:
        with self._lock:
            self.prepare()
            self._pending.pop(article_id, None)  # type: ignore[union-attr]
            self._lists[article_id] = annotations
            self._order.setdefault(article_id, None)

    def __delitem__(self, article_id: str) -> None:
        with self._lock:
            self.prepare()
            if article_id not in self._order:
                raise KeyError(article_id)
            self._pending.pop(article_id, None)  # type: ignore[union-attr]
            self._lists.pop(article_id, None)
            del self._order[article_id]

    def __contains__(self, article_id: object) -> bool:
        with self._lock:
            self.prepare()
            return article_id in self._order

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            self.prepare()
            return iter(list(self._order))

    def __len__(self) -> int:
        with self._lock:
            self.prepare()
            return len(self._order)

    @property
    def built(self) -> int:
        """How many articles' lists have been built so far."""
        return len(self._lists)

    def scan(self) -> list[tuple[str, list[Annotation] | None, list[Mapping[str, Any]]]]:
        """`(article id, its list, its records)` for every article in order, building
        nothing: the list where it was built (records empty), else None and the records
        it will be built from, oldest first. For questions about every annotation that
        read a field or two (tags in use, source hints) without building them all."""
        with self._lock:
            self.prepare()
            pending = self._pending or {}
            return [(ident, self._lists.get(ident), pending.get(ident, []))
                    for ident in self._order]

    def adopt(
        self, article_ids: Iterable[str], gone: set[str], added: Iterable[Annotation]
    ) -> None:
        """What `Book.adopt` does to a dict (each of `article_ids` keeps its annotations
        not in `gone`, then each of `added` is appended to its article's), without
        building an article's list that was not built: its records are filtered, and
        an added annotation joins them as its record (a saved change costs the same
        whether or not its article was read)."""
        with self._lock:
            self.prepare()
            pending = self._pending
            assert pending is not None
            for article_id in article_ids:
                built = self._lists.get(article_id)
                if built is not None:
                    self._lists[article_id] = [a for a in built if a.id not in gone]
                elif article_id in pending:
                    pending[article_id] = [r for r in pending[article_id]
                                           if r["id"] not in gone]
                else:
                    self._lists[article_id] = []
                self._order.setdefault(article_id, None)
            for annotation in added:
                article_id = annotation.article_id
                built = self._lists.get(article_id)
                if built is None and article_id not in pending:
                    built = self._lists[article_id] = []
                    self._order.setdefault(article_id, None)
                if built is not None:
                    built.append(annotation)
                else:
                    pending[article_id].append(self._stored.add(annotation))

    def build(self, record: Mapping[str, Any]) -> Annotation:
        """The annotation of one of `scan`'s records (built once, shared)."""
        return self._stored[record["id"]]


class ReadOnDemand(Sequence[Item]):
    """A sequence whose items are made when read: a subclass gives `__len__` and
    `_read(position)` for a position in range; indexing from the end, slices and the
    IndexError past either end are handled here once."""

    def _read(self, position: int) -> Item:
        raise NotImplementedError

    @overload
    def __getitem__(self, position: int) -> Item: ...

    @overload
    def __getitem__(self, position: slice) -> list[Item]: ...

    def __getitem__(self, position: int | slice) -> Item | list[Item]:
        size = len(self)
        if isinstance(position, slice):
            return [self._read(n) for n in range(*position.indices(size))]
        if position < 0:
            position += size
        if not 0 <= position < size:
            raise IndexError(position)
        return self._read(position)
