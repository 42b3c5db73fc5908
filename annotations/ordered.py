"""Whole-database output in the store's order without holding the database in memory.

The store keeps annotations in buckets by article and id, but every listing and export
is oldest first (`created`, then `id`). `OrderedTexts` renders each record as it is
read, writes the text to a temporary file and keeps only its sort key and place; it
then gives the texts back in order, read from that file. Memory holds one bucket and
about 100 bytes a record, whatever the size of the database; the temporary file is as
large as the output.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from annotations.model import Annotation

Record = dict[str, Any]


class OrderedTexts:
    """`render(annotation)` for each record, oldest first; `len()` is known before the
    first text is given back (exports write a count ahead of their items)."""

    def __init__(self, records: Iterable[Record], render: Callable[[Annotation], str]) -> None:
        self._spill = tempfile.TemporaryFile()  # noqa: SIM115  (closed when iterated or collected)
        self._places: list[tuple[str, str, int, int]] = []
        """(created, id, offset, length) of each text in the spill file."""
        offset = 0
        write = self._spill.write
        for record in records:
            data = render(Annotation._trusted(record)).encode("utf-8", "surrogatepass")
            write(data)
            self._places.append((record["created"], record["id"], offset, len(data)))
            offset += len(data)
        self._spill.flush()
        self._places.sort()

    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self) -> Iterator[str]:
        """The texts in order (once: the spill file is closed at the end)."""
        descriptor = self._spill.fileno()
        try:
            for _, _, offset, length in self._places:
                yield os.pread(descriptor, length, offset).decode("utf-8", "surrogatepass")
        finally:
            self._spill.close()


class GroupedTexts:
    """Texts that `render(annotation)` files under numbered groups (an annotation may go
    under several, or none), given back by group, then oldest first within one: a
    listing by article, written as the store is read, in the memory `OrderedTexts`
    takes (one bucket, and a sort key and place per text)."""

    def __init__(
        self,
        records: Iterable[Record],
        render: Callable[[Annotation], Iterable[tuple[int, str]]],
    ) -> None:
        self._spill = tempfile.TemporaryFile()  # noqa: SIM115  (closed when iterated or collected)
        self._places: list[tuple[int, str, str, int, int]] = []
        """(group, created, id, offset, length) of each text in the spill file."""
        offset = 0
        write = self._spill.write
        places = self._places
        for record in records:
            for group, text in render(Annotation._trusted(record)):
                data = text.encode("utf-8", "surrogatepass")
                write(data)
                places.append((group, record["created"], record["id"], offset, len(data)))
                offset += len(data)
        self._spill.flush()
        places.sort()

    def __len__(self) -> int:
        return len(self._places)

    def items(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[int, str]]:
        """`(group, text)` in order from the `start`th to before the `stop`th (once: the
        spill file is closed at the end); those skipped are not read back."""
        descriptor = self._spill.fileno()
        try:
            for group, _, _, offset, length in self._places[start:stop]:
                text = os.pread(descriptor, length, offset).decode("utf-8", "surrogatepass")
                yield group, text
        finally:
            self._spill.close()
