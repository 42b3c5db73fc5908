"""Per-line features: cheap, capped measurements the rules and the span finder share.

Every measurement looks at a bounded head/tail of the line (see `HEAD`, `TAIL`) or uses
C-speed string methods over the whole line, so a 1 MB line costs about as much as a
short one and a 100,000-line file is linear.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from itertools import filterfalse

from reader.boilerplate import cues
from reader.boilerplate.inline import may_have_spans
from reader.boilerplate.model import Kind
from reader.corpus.model import Article

TAIL = 80
"""How many trailing characters the credit/caption matchers look at."""

TERMINAL = frozenset(".!?。！？…\"”’'»)]")
"""Characters that end a sentence-like line (closing quotes and brackets included)."""
CLOSERS = frozenset("\"”’'»)]")
"""A closing quote or bracket ends a sentence only after sentence punctuation."""

_WIDE = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
"""CJK and Hangul characters: each carries about as much text as a short word."""

# How far a kind's line-start cue may run: a sentence that merely starts with "By" or
# "Comments" is not a byline or comment furniture.
_CUE_MAX_LEN: dict[Kind, int] = {
    Kind.CHROME: 110,
    Kind.ADVERTISEMENT: 90,
    Kind.RELATED: 180,
    Kind.NEWSLETTER: 220,
    Kind.LEGAL: 600,
    Kind.COMMENTS: 240,
    Kind.CAPTION: 400,
    Kind.CREDIT: 160,
    Kind.READING_TIME: 40,
    Kind.BYLINE: 90,
    Kind.TIMESTAMP: 90,
}


@dataclass(slots=True, init=False)
class LineInfo:
    """What the detector knows about one non-empty line."""

    number: int
    """Physical line number in the article."""
    text: str
    """The line with surrounding whitespace removed."""
    blank_before: bool
    blank_after: bool
    length: int
    """Effective length in characters; wide (CJK) characters count three times."""
    words: int
    terminal: bool
    """Ends like a sentence (period, question mark, closing quote...)."""
    colon: bool
    """Ends with a colon: introduces a list or a quote."""
    title: bool
    """Not a sentence, four words or more, mostly capitalized: a title (of a link, often)."""
    cue: Kind | None
    """Kind suggested by cue words alone, if any."""
    cue_reason: str
    dateish: bool
    """A short line that carries a date, a clock time or a relative stamp."""
    bracketed: bool
    """May hold inline furniture: a bracket, or a share widget at its end (`inline`)."""
    row: bytes
    """The text's numeric measures packed as doubles (`ROW`), for the line model."""
    score: float = 0.0
    """Contribution to the body-span search: positive for prose, negative for furniture."""
    topic: set[str] | None = None
    """Content words, filled in when the topic comparison first needs them."""

    def __init__(
        self, number: int, text: str, blank_before: bool, blank_after: bool, found: Measures
    ) -> None:
        """Built once per line from the text features `measure` found (often cached):
        one tuple unpacked into the fields costs less than twelve arguments."""
        self.number = number
        self.text = text
        self.blank_before = blank_before
        self.blank_after = blank_after
        (
            self.length,
            self.words,
            self.terminal,
            self.colon,
            self.title,
            self.cue,
            self.cue_reason,
            self.dateish,
            self.bracketed,
            self.row,
        ) = found
        self.score = 0.0
        self.topic = None

    @property
    def isolated(self) -> bool:
        return self.blank_before and self.blank_after


def line_infos(article: Article) -> list[LineInfo]:
    """Features for every non-empty line of `article`, in order."""
    stripped = list(map(str.strip, article.text.split("\n")))
    stripped.append("")
    infos: list[LineInfo] = []
    append = infos.append
    cache = _SHORT_CACHE
    previous_blank = True
    for number, text in enumerate(stripped):
        if not text:
            previous_blank = True
            continue
        if len(text) <= CACHED_LENGTH:
            found = cache.get(text)
            if found is None:
                if len(cache) >= CACHE_SIZE:
                    cache.clear()
                found = cache[text] = measure(text)
        else:
            found = measure(text)
        append(LineInfo(number, text, previous_blank, not stripped[number + 1], found))
        previous_blank = False
    return infos


Measures = tuple[int, int, bool, bool, bool, Kind | None, str, bool, bool, bytes]
"""What `measure` finds in a line's text, in `LineInfo` field order from `length` on."""

ROW = struct.Struct("=8d")
"""A line's numeric measures packed as doubles: length, words, terminal, colon, title,
dateish, bracketed and all capitals. Packed once per distinct text (and cached with the
rest of `measure`), so the line model reads a whole page's as one array (`numpy.frombuffer`
over the joined rows) instead of converting attributes line by line."""
ROW_FIELDS = ROW.size // 8


def measure(text: str) -> Measures:
    """Everything about a (stripped, non-empty) line that depends on its text alone."""
    size = len(text)
    if text.isascii():
        length = size
        words = text.count(" ") + 1
    else:
        wide = 0
        if _WIDE.search(text, 0, 2000) is not None:
            wide = len(_WIDE.findall(text, 0, 2000))
            if size > 2000:
                wide = wide * size // 2000
        length = size + 2 * wide
        words = text.count(" ") + text.count("\xa0") + 1 + wide // 2
    last = text[-1]
    terminal = last in TERMINAL
    if terminal and last in CLOSERS and size > 1:
        terminal = text[-2] in TERMINAL
    colon = last == ":" or last == "："
    title = not (terminal or colon) and words >= 4 and length < 150 and title_case(text)
    cue, reason, dateish = classify(text, size, words)
    bracketed = may_have_spans(text)
    row = ROW.pack(length, words, terminal, colon, title, dateish, bracketed, text.isupper())
    return length, words, terminal, colon, title, cue, reason, dateish, bracketed, row


_WORD_START = re.compile(r"(?<!\S)[^\W\d_]")


def title_case(text: str) -> bool:
    """Most words start with a capital letter (English-style headline or link title)."""
    if text.isascii():
        # The letters `_WORD_START` finds, from the words' first characters: faster.
        starts = [word[0] for word in text[:160].split() if word[0].isalpha()]
    else:
        starts = _WORD_START.findall(text, 0, 160)
    if len(starts) < 3:
        return False
    return sum(map(str.isupper, starts)) >= 0.6 * len(starts)


_LATIN_WORD, _WORD = cues.word_pattern(4)
_WIDE_PAIR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{2}")
_STOP_WORDS = """that this with from have were will would there their about which when what your
    they them than then been into also more some such only other over said says just like
    very most many much after before could should while where these those being because
    does each even here make made well back still through during between against under
    both same without within upon among around away first last year years time news week
    today people according told says including monday tuesday wednesday thursday friday
    saturday sunday"""
_STOP = frozenset(_STOP_WORDS.split())


_NOT_ASCII_LETTER = str.maketrans({code: " " for code in range(128) if not chr(code).islower()})
"""ASCII characters other than lowercase letters, to spaces: what separates words."""


def topic_words(text: str) -> set[str]:
    """Content words of `text` (capped): 4+ letter words, or CJK/Hangul character pairs."""
    head = text[:3000].lower()
    if head.isascii():
        # The words `_LATIN_WORD` finds, by splitting at everything else: a third faster.
        return {
            word
            for word in head.translate(_NOT_ASCII_LETTER).split()
            if len(word) > 3 and word not in _STOP
        }
    if cues.latin(head):
        words = _LATIN_WORD.findall(head)
    else:
        words = _WORD.findall(head)
        words += _WIDE_PAIR.findall(head)
    # Filtering the words is cheaper than `-= _STOP`, which walks the whole stop list.
    return set(filterfalse(_STOP.__contains__, words))


def line_words(info: LineInfo) -> set[str]:
    """Topic words of one line, computed once per line (and remembered for short lines,
    which repeat across a site's pages, as `measure` is). Callers never change the set."""
    topic = info.topic
    if topic is None:
        text = info.text
        if len(text) <= CACHED_LENGTH:
            topic = _TOPIC_CACHE.get(text)
            if topic is None:
                if len(_TOPIC_CACHE) >= TOPIC_CACHE_SIZE:
                    _TOPIC_CACHE.clear()
                topic = _TOPIC_CACHE[text] = topic_words(text)
        else:
            topic = topic_words(text)
        info.topic = topic
    return topic


_CLOSERS_OF = {"[": "]", "(": ")"}
_ABOUT = ("about ", "sobre ", "über ", "à propos ")
ABOUT_REASON = 'an "About ..." link or heading'
"""\"About ...\" in a few languages: the start of a site link or an author-box heading."""
_STRIP_KEY = " :|>»›.…!"

CACHED_LENGTH = 100
"""Lines up to this long (menus, footers, labels) repeat across a site's pages, so their
classification, a pure function of the text, is remembered (a bounded cache)."""


CACHE_SIZE = 1 << 16
_SHORT_CACHE: dict[str, Measures] = {}
"""Text -> `measure` result for short lines; cleared whole when it reaches `CACHE_SIZE`."""
TOPIC_CACHE_SIZE = 1 << 13
"""A set of words costs about a kilobyte (`_SHORT_CACHE`'s entries about a third of that), so
fewer are kept: about 8 MB, enough for the lines a site repeats."""
_TOPIC_CACHE: dict[str, set[str]] = {}
"""Text -> `topic_words` of short lines; cleared whole when it reaches `TOPIC_CACHE_SIZE`."""


def classify(text: str, size: int, words: int) -> tuple[Kind | None, str, bool]:
    """Cue kind and reason for a line from its wording alone, plus whether it is date-ish."""
    head = text[: cues.HEAD].lower()
    if "\xa0" in head:
        head = head.replace("\xa0", " ")
    # A table row (cells apart by tabs) that opens on a date is data, not a time stamp.
    dateish = size <= 90 and words <= 14 and "\t" not in text and cues.is_dateish(head)
    if size <= cues.HEAD:
        exact = cues.exact_kind(head.strip(_STRIP_KEY))
        if exact is not None:
            return exact, _EXACT_REASON[exact], dateish
    found = cues.prefix_cue(head)
    if found is None and head[:1] in _CLOSERS_OF and text[-1] == _CLOSERS_OF[head[0]]:
        # "[Related: ...]", "(Photo: ...)": a cue wrapped whole in brackets.
        found = cues.prefix_cue(head[1:].lstrip())
    if found is not None:
        kind, reason = found
        if size <= _CUE_MAX_LEN.get(kind, 200) and _plausible(kind, text, head, words, dateish):
            return kind, reason, dateish
    if size <= 120:
        first = head[0]
        if first.isdigit():
            counted = cues.counted_cue(head)
            if counted is not None:
                return counted, _EXACT_REASON[counted], dateish
        elif first == "m" and words <= 6 and cues.more_heading(head):
            return Kind.RELATED, "a heading over more stories", dateish
        elif (
            first in "asüà"
            and words <= 5
            and size <= 40
            and head.startswith(_ABOUT)
            and text[-1] not in ".!?"
        ):
            return Kind.CHROME, ABOUT_REASON, dateish
        if words >= 3 and cues.breadcrumb(text):
            return Kind.CHROME, "a breadcrumb or menu row", dateish
    if words >= 6 and size <= 2000 and cues.glued_teaser(text):
        return Kind.RELATED, GLUED_TEASER_REASON, dateish
    button = words <= 7 and size <= 60 and text[-1] not in ".?"
    if button and cues.call_to_action(head.rstrip("! ")):
        return Kind.ADVERTISEMENT, "a call-to-action button (a sales link)", dateish
    if words <= 8 and size <= 70 and text[-1] != "." and cues.shopping_link(head):
        return Kind.ADVERTISEMENT, "a shopping link (a price or a retailer's button)", dateish
    if words <= 8 and size <= 80 and head.endswith(_LOGO) and text[-1] not in ".!?":
        return Kind.CHROME, "an image's alternative text (a logo)", dateish
    if size <= 60 and "min" in head and cues.is_reading_time(head):
        return Kind.READING_TIME, "a reading-time estimate", dateish
    if dateish and (size <= 40 or not text.endswith(".")):
        return Kind.TIMESTAMP, "a publication date or time stamp", dateish
    if size <= 400 and ":" in text[-cues.LABELLED_CREDIT_TAIL :]:
        credit = cues.labelled_credit(text)
        if credit == 0:
            return Kind.CREDIT, "a source or photo credit", dateish
        if credit is not None:
            return Kind.CAPTION, "a caption ending in its source or credit", dateish
    if size <= 400 and "contributed" in text[-50:] and cues.contributors_tail(text[-50:]):
        return Kind.CREDIT, "a contributors line (who else reported the story)", dateish
    if size <= 400 and _credit_shaped(text) and cues.credit_tail(text[-TAIL:].lower()):
        if size <= 60:
            return Kind.CREDIT, "a photo credit", dateish
        return Kind.CAPTION, "a photo caption ending in a credit", dateish
    return None, "", dateish


def _plausible(kind: Kind, text: str, head: str, words: int, dateish: bool) -> bool:
    """Second look at a line-start cue, to spare sentences that happen to start alike."""
    if kind is Kind.BYLINE:
        if not cues.byline_start(head) and not head.startswith(("author", "written", "text")):
            return False
        return words <= 12 and not text.endswith(".")
    if kind is Kind.TIMESTAMP:
        return dateish or cues.has_digit(head)
    if kind is Kind.CREDIT and head.startswith(("source:", "image via", "photo via")):
        # "Source: Statista" under a chart or photo, not "Source: the study found ...".
        return words <= 6 and text[-1] not in ".!?"
    if kind is Kind.COMMENTS and words > 12:
        return head.startswith(("as you comment", "comment policy", "commenting", "you must"))
    if kind is Kind.RELATED and words > 6:
        # "Related: Title" / "Read more: Title" lists, not a sentence starting "Related ...".
        return ":" in head[:20] or not text.endswith(".") or head.startswith("read more")
    return not (kind is Kind.CHROME and words > 10 and text[-1] in ".!?")


_LOGO = (" logo", " logotype", " wordmark")

GLUED_TEASER_REASON = "a teaser: a link title run into its summary"
"""The reason of a `cues.glued_teaser` line; inside the body the detector looks again."""

_CREDIT_MARKS = re.compile(r"[(\[/|©]")


def _credit_shaped(text: str) -> bool:
    """A credit needs the agency inside brackets, after a slash/pipe, or as the line end."""
    return len(text) <= 40 or _CREDIT_MARKS.search(text, max(0, len(text) - TAIL)) is not None


_EXACT_REASON: dict[Kind, str] = {
    Kind.CHROME: "a navigation, share or page-control item",
    Kind.ADVERTISEMENT: "an advertisement marker",
    Kind.RELATED: "a related-links or recommendation heading",
    Kind.NEWSLETTER: "a subscription or newsletter call to action",
    Kind.COMMENTS: "comment-section furniture",
}
