"""App-level messages: workers post them, handlers on the main screen change state."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from reader.corpus import Article
from reader.corpus.loader import LoadProblem

if TYPE_CHECKING:
    from reader.boilerplate import Analysis
    from reader.screens.session import Change


@dataclass
class CorpusProgress(Message):
    """A batch of loaded articles (and files that failed); `done` on the last batch."""

    articles: list[Article]
    problems: list[LoadProblem]
    loaded: int
    done: bool = False


@dataclass
class AnalysesReady(Message):
    """Detector verdicts for some articles (keyed by article id)."""

    analyses: dict[str, Analysis]
    done: int
    total: int


@dataclass
class StoreOpened(Message):
    """The annotation store opened (or not): every stored annotation, read-only flag, message."""

    store: Any
    annotations: list[Any]
    read_only: bool
    message: str | None = None


@dataclass
class ChangeSaved(Message):
    """A change is durable in the store."""

    change: Change
    undo: bool = False


@dataclass
class ChangeFailed(Message):
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
    """Export finished: the files written, or the error that stopped it."""

    paths: list[Path] = field(default_factory=list)
    error: str | None = None
