"""Which spans of an article overlap a given one, without pairing every span with every other.

A `SpanIndex` keeps an article's spans in sorted lists of starts, one list per length
class (lengths 1, 2-3, 4-7, 8-15, ...). A span of class k that overlaps `[start, end)`
starts before `end` and at most 2**(k+1) - 1 characters before `start`, so each class
is searched with two bisections over a window a little wider than the hits. Building
costs O(n log n), a query O(log n per class + what it finds), an add or a remove
O(log n) to find the place (plus the list's memmove). Twenty thousand spans crowded on
one article, each overlapping hundreds of others, are answered item by item instead of
as the tens of millions of pairs an all-pairs sweep makes.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Hashable, Iterable, Iterator

Span = tuple[int, int]


def length_class(start: int, end: int) -> int:
    """0 for length 1, 1 for 2-3, 2 for 4-7, ...: `bit_length(length) - 1`."""
    return (end - start).bit_length() - 1


class SpanIndex:
    """Spans `[start, end)` with keys, answering "which overlap this span?".

    Empty spans (start == end) share no character with anything: they are kept out.
    Keys must be unique; entries are `(start, end, key)` tuples, so keys of one index
    must be mutually comparable (annotation ids are strings).
    """

    def __init__(self, spans: Iterable[tuple[Span, Hashable]] = ()) -> None:
        self._classes: dict[int, list[tuple[int, int, Hashable]]] = {}
        """Length class -> (start, end, key), sorted."""
        self._where: dict[Hashable, Span] = {}
        for (start, end), key in spans:
            if end > start and key not in self._where:
                self._where[key] = (start, end)
                self._classes.setdefault(length_class(start, end), []).append((start, end, key))
        for entries in self._classes.values():
            entries.sort()

    @classmethod
    def from_entries(cls, entries: list[tuple[int, int, Hashable]]) -> SpanIndex:
        """The index of `(start, end, key)` tuples (the list is taken over, not copied):
        `SpanIndex(((start, end), key) ...)` without a pair built per span."""
        index = cls()
        where, classes = index._where, index._classes
        for entry in entries:
            start, end, key = entry
            if end > start and key not in where:
                where[key] = (start, end)
                size = (end - start).bit_length() - 1
                found = classes.get(size)
                if found is None:
                    found = classes[size] = []
                found.append(entry)
        for sized in classes.values():
            sized.sort()
        return index

    def __len__(self) -> int:
        return len(self._where)

    def copy(self) -> SpanIndex:
        """An index of the same spans that later changes to this one leave alone."""
        copied = SpanIndex()
        copied._where = dict(self._where)
        copied._classes = {size: list(entries) for size, entries in self._classes.items()}
        return copied

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def span(self, key: Hashable) -> Span | None:
        return self._where.get(key)

    def items(self) -> Iterator[tuple[Hashable, Span]]:
        """Every indexed `(key, span)`."""
        return iter(self._where.items())

    def add(self, span: Span, key: Hashable) -> None:
        """Index `key` at `span` (moving it if it is indexed already)."""
        self.remove(key)
        start, end = span
        if end <= start:
            return
        self._where[key] = span
        insort(self._classes.setdefault(length_class(start, end), []), (start, end, key))

    def remove(self, key: Hashable) -> None:
        """Forget `key` (nothing happens if it is not indexed)."""
        span = self._where.pop(key, None)
        if span is None:
            return
        entries = self._classes[length_class(*span)]
        entry = (span[0], span[1], key)
        position = bisect_left(entries, entry)
        if position < len(entries) and entries[position] == entry:
            del entries[position]

    def overlapping(self, span: Span) -> Iterator[Hashable]:
        """Keys of the spans sharing at least one character with `span` (in no set order)."""
        start, end = span
        if end <= start:
            return
        for size, entries in self._classes.items():
            longest = (1 << (size + 1)) - 1
            low = bisect_left(entries, (start - longest + 1,))
            high = bisect_left(entries, (end,))
            for index in range(low, high):
                _, other_end, key = entries[index]
                if other_end > start:
                    yield key
