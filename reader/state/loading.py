"""Blocking reads for thread workers: the corpus (with the demo fallback) and the store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader import paths

if TYPE_CHECKING:
    from annotations.model import Annotation
    from reader.corpus import Article
    from reader.corpus.loader import LoadProblem


def iter_sources(inputs: Sequence[str], max_file_bytes: int) -> Iterator[Article | LoadProblem]:
    """Articles and load problems from `inputs`, or from the demo corpus when none."""
    from reader.corpus import iter_corpus

    yield from iter_corpus(paths.corpus_sources(inputs), max_file_bytes=max_file_bytes)


def read_articles(inputs: Sequence[str], max_file_bytes: int) -> list[Article]:
    """Every article `iter_sources` yields (problems are skipped)."""
    from reader.corpus import Article

    return [item for item in iter_sources(inputs, max_file_bytes) if isinstance(item, Article)]


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
