"""App-level messages: workers post them, handlers on the app and the screens change state.

Each is written as Textual's own messages are, with an `__init__`: a dataclass takes
about 0.2 ms to define (its methods are generated and compiled), and these are defined
before the reader's first frame."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from reader.corpus import Article
from reader.corpus.loader import LoadProblem

if TYPE_CHECKING:
    from reader.boilerplate import Analysis
    from reader.state import Change


class CorpusProgress(Message):
    """A batch of loaded articles (and files that failed); `done` on the last batch."""

    def __init__(
        self,
        articles: list[Article],
        problems: list[LoadProblem],
        loaded: int,
        done: bool = False,
    ) -> None:
        super().__init__()
        self.articles = articles
        self.problems = problems
        self.loaded = loaded
        self.done = done


class ReaderReady(Message):
    """The main screen has drawn its first article (or knows there is none), or has
    waited long enough for it: keys typed before now can take effect."""


class AnalysesReady(Message):
    """How far the detector got (`done` of `total` articles); the last message, with
    `done == total`, carries every verdict (keyed by article id)."""

    def __init__(
        self,
        analyses: dict[str, Analysis],
        done: int,
        total: int,
        titles: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.analyses = analyses
        self.done = done
        self.total = total
        self.titles = {} if titles is None else titles
        """Article id -> the title its analysis gives (`Book.title`), with the verdicts."""


class AlignmentReady(Message):
    """The passages the articles share (a `reader.align.Alignment`), from the disk cache
    or computed by the alignment worker."""

    def __init__(self, alignment: Any) -> None:
        super().__init__()
        self.alignment = alignment


class StoreOpened(Message):
    """The annotation store opened (or not): every stored annotation, read-only flag, message."""

    def __init__(
        self, store: Any, annotations: list[Any], read_only: bool, message: str | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.annotations = annotations
        self.read_only = read_only
        self.message = message


class ChangeMessage(Message):
    """A message about one change (or its undo): what `SaveRequested` and `ChangeSaved`
    carry."""

    def __init__(self, change: Change, undo: bool = False) -> None:
        super().__init__()
        self.change = change
        self.undo = undo


class SaveRequested(ChangeMessage):
    """A screen asks the app to write a change (in order, by the one writer thread)."""


class ChangeSaved(ChangeMessage, bubble=False):
    """A change is durable in the store and adopted by the book. The writer posts it to
    the app, which adopts the change and hands the same news to every open screen."""


class StoreChangedOutside(Message):
    """What the store holds now for the articles another process wrote to (article id ->
    every annotation), read when the book had adopted `generation` changes."""

    def __init__(self, annotations: dict[str, list[Any]], generation: int, signature: Any) -> None:
        super().__init__()
        self.annotations = annotations
        self.generation = generation
        self.signature = signature


class ChangeFailed(Message, bubble=False):
    """A change could not be saved; nothing in memory changed."""

    def __init__(self, description: str, error: str) -> None:
        super().__init__()
        self.description = description
        self.error = error


class ExportProgress(Message):
    """Export progress, for the progress bar."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ExportProgress)


class ExportFinished(Message):
    """Export finished: the files written, or the error that stopped it, and the
    verdicts the export had to compute (for the book to keep)."""

    def __init__(
        self,
        paths: list[Path] | None = None,
        error: str | None = None,
        analyses: dict[str, Analysis] | None = None,
    ) -> None:
        super().__init__()
        self.paths = [] if paths is None else paths
        self.error = error
        self.analyses = {} if analyses is None else analyses
