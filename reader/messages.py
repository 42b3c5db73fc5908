"""App-level messages: workers post them, handlers on the app and the screens change state."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from reader.corpus import Article
from reader.corpus.loader import LoadProblem

if TYPE_CHECKING:
    from reader.boilerplate import Analysis
    from reader.state import Change


@dataclass
class CorpusProgress(Message):
    """A batch of loaded articles (and files that failed); `done` on the last batch."""

    articles: list[Article]
    problems: list[LoadProblem]
    loaded: int
    done: bool = False


@dataclass
class ReaderReady(Message):
    """The main screen has drawn its first article (or knows there is none), or has
    waited long enough for it: keys typed before now can take effect."""


@dataclass
class AnalysesReady(Message):
    """How far the detector got (`done` of `total` articles); the last message, with
    `done == total`, carries every verdict (keyed by article id)."""

    analyses: dict[str, Analysis]
    done: int
    total: int
    titles: dict[str, str] = field(default_factory=dict)
    """Article id -> the title its analysis gives (`Book.title`), with the verdicts."""


@dataclass
class AlignmentReady(Message):
    """The passages the articles share (a `reader.align.Alignment`), from the disk cache
    or computed by the alignment worker."""

    alignment: Any


@dataclass
class StoreOpened(Message):
    """The annotation store opened (or not): every stored annotation, read-only flag, message."""

    store: Any
    annotations: list[Any]
    read_only: bool
    message: str | None = None


@dataclass
class SaveRequested(Message):
    """A screen asks the app to write a change (in order, by the one writer thread)."""

    change: Change
    undo: bool = False


@dataclass
class ChangeSaved(Message, bubble=False):
    """A change is durable in the store and adopted by the book. The writer posts it to
    the app, which adopts the change and hands the same news to every open screen."""

    change: Change
    undo: bool = False


@dataclass
class StoreChangedOutside(Message):
    """What the store holds now for the articles another process wrote to (article id ->
    every annotation), read when the book had adopted `generation` changes."""

    annotations: dict[str, list[Any]]
    generation: int
    signature: Any


@dataclass
class ChangeFailed(Message, bubble=False):
    """A change could not be saved; nothing in memory changed."""

    description: str
    error: str


@dataclass
class ExportProgress(Message):
    """Export progress, for the progress bar."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ExportProgress)


@dataclass
class ExportFinished(Message):
    """Export finished: the files written, or the error that stopped it, and the
    verdicts the export had to compute (for the book to keep)."""

    paths: list[Path] = field(default_factory=list)
    error: str | None = None
    analyses: dict[str, Analysis] = field(default_factory=dict)
