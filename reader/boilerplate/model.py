"""What the detector says about an article: a verdict per non-empty line, spans, metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Kind(StrEnum):
    """Why a line is (or is not) boilerplate. Values are stable: they appear in `--labels`."""

    CONTENT = "content"
    HEADLINE = "headline"
    """The article's headline: kept, and used as its title."""
    CHROME = "chrome"
    """Site chrome and navigation: skip links, menus, font-size and share/copy widgets."""
    ADVERTISEMENT = "advertisement"
    CAPTION = "caption"
    """Photo and video captions, including a caption repeated twice."""
    CREDIT = "credit"
    """Photo credits and copyright lines ("Copyright AP/...", "Getty Images")."""
    SECTION_LABEL = "section-label"
    """Section or category labels above a story ("Middle East", "Politics")."""
    READING_TIME = "reading-time"
    TIMESTAMP = "timestamp"
    """Relative or absolute publication stamps ("10 hours ago", "Updated 8:52 pm")."""
    RELATED = "related"
    """Related-links and "You might also like" lists."""
    LEGAL = "legal"
    """Republishing, copyright and legal notices."""
    NEWSLETTER = "newsletter"
    """Newsletter, subscription and donation calls to action."""
    REPEATED_HEADLINE = "repeated-headline"
    APPENDED_STORY = "appended-story"
    """A whole unrelated story glued after the article (wire teasers and the like)."""
    STANDFIRST = "standfirst"
    """A dek or summary line printed above the body."""
    COMMENTS = "comments"
    """Comment-section furniture and reader comments."""
    SHARED_CHROME = "shared-chrome"
    """A line that repeats across several articles of the corpus."""
    BYLINE = "byline"
    """Author line: metadata, carried as the `author` field."""
    DATELINE = "dateline"
    """Date line: metadata, carried as the `date` field."""

    @property
    def is_metadata(self) -> bool:
        return self in (Kind.BYLINE, Kind.DATELINE)


@dataclass(frozen=True, slots=True)
class InlineSpan:
    """Boilerplate inside a content line, e.g. "(RELATED: ...)"; offsets into `Article.text`."""

    start: int
    end: int
    kind: Kind
    reason: str


class LineVerdict(NamedTuple):
    """The detector's verdict on one non-empty line.

    Immutable like the other model types, but a named tuple rather than a frozen
    dataclass: the detector builds one per line, hundreds of thousands per corpus, and a
    tuple is about four times cheaper to build.
    """

    line: int
    """0-based physical line number."""
    boilerplate: bool
    kind: Kind
    reason: str
    """One human-readable sentence, shown in the reader and in `--explain`."""
    score: float
    """Confidence that the line is boilerplate, 0..1."""
    spans: tuple[InlineSpan, ...] = ()

    @property
    def label(self) -> str:
        return "boilerplate" if self.boilerplate else "content"


@dataclass
class Analysis:
    """Everything the detector found in one article."""

    article_id: str
    verdicts: dict[int, LineVerdict] = field(default_factory=dict)
    """Line number -> verdict, for every non-empty line."""
    headline: str | None = None
    author: str | None = None
    date: str | None = None

    def is_boilerplate(self, line: int) -> bool:
        verdict = self.verdicts.get(line)
        return verdict is not None and verdict.boilerplate

    @property
    def boilerplate_count(self) -> int:
        return sum(1 for verdict in self.verdicts.values() if verdict.boilerplate)
