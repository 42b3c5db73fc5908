"""HTML rendered to text the way a copy-paste from a browser looks: one block per line.

Scripts, styles and other non-text elements are dropped; whitespace inside a block is
collapsed as a browser would. The walk is iterative, so deeply nested pages cannot
exhaust the recursion limit.

While it renders, the walk keeps what the markup says about each line (`Markup`): the
elements around it (nav, footer, figure, a link...), the words of their class and id
attributes (share, related, comment, cookie...), how much of the line is link text,
whether it sits in the container that holds most of the page's prose, and what the
blocks around it hold (a box of short links, a column of prose). The detector
weighs that evidence beside the line's text; the text itself is all a reader shows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

_DROP = ["script", "style", "noscript", "template", "svg", "iframe", "canvas", "object", "head"]
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "caption",
        "option",
        "select",
        "button",
        "label",
    }
)

_CELLS = frozenset({"td", "th"})
"""Table cells: a row's cells make one line, apart by tabs (`_CELL` while rendering)."""
_CELL = "\x1f"
"""Marks where a cell starts inside a row's pending text (a control character, which
rendered text never holds)."""

# One bit per piece of structural evidence. Element bits come from the tag; the others
# from words in the element's class, id, role and aria-label attributes.
ELEMENT_BITS: dict[str, int] = {}
WORD_BITS: dict[str, int] = {}


def _bits(names: str, table: dict[str, int], offset: int) -> None:
    for index, name in enumerate(names.split()):
        table[name] = 1 << (offset + index)


_bits(
    "a li nav header footer aside form figure figcaption h1 heading button control table"
    " blockquote article main p time list address pre section dialog details strong",
    ELEMENT_BITS,
    0,
)
_bits(
    "navigation share related newsletter comment consent advert sidebar footer header caption"
    " meta content hidden modal tags author breadcrumb promo",
    WORD_BITS,
    32,
)
ELEMENT_COUNT = 27
WORD_COUNT = 20
_FURNITURE_WORDS = sum(WORD_BITS.values()) & ~WORD_BITS["content"]
"""The attribute words that name page furniture (all but "content")."""
MARKUP_BITS = [*ELEMENT_BITS, *(f"word:{name}" for name in WORD_BITS)]
"""Names of the bits of `Markup.around`/`Markup.own`, lowest bit first."""

_TAG_BIT: dict[str, int] = {
    "a": ELEMENT_BITS["a"],
    "li": ELEMENT_BITS["li"],
    "nav": ELEMENT_BITS["nav"],
    "header": ELEMENT_BITS["header"],
    "footer": ELEMENT_BITS["footer"],
    "aside": ELEMENT_BITS["aside"],
    "form": ELEMENT_BITS["form"],
    "figure": ELEMENT_BITS["figure"],
    "figcaption": ELEMENT_BITS["figcaption"],
    "h1": ELEMENT_BITS["h1"],
    **dict.fromkeys(("h2", "h3", "h4", "h5", "h6"), ELEMENT_BITS["heading"]),
    "button": ELEMENT_BITS["button"],
    **dict.fromkeys(("label", "select", "option", "input", "textarea"), ELEMENT_BITS["control"]),
    **dict.fromkeys(("table", "tr", "td", "th", "thead", "tbody", "tfoot"), ELEMENT_BITS["table"]),
    "blockquote": ELEMENT_BITS["blockquote"],
    "article": ELEMENT_BITS["article"],
    "main": ELEMENT_BITS["main"],
    "p": ELEMENT_BITS["p"],
    "time": ELEMENT_BITS["time"],
    **dict.fromkeys(("ul", "ol", "dl", "dd", "dt", "menu"), ELEMENT_BITS["list"]),
    "address": ELEMENT_BITS["address"],
    **dict.fromkeys(("pre", "code"), ELEMENT_BITS["pre"]),
    "section": ELEMENT_BITS["section"],
    "dialog": ELEMENT_BITS["dialog"],
    **dict.fromkeys(("details", "summary"), ELEMENT_BITS["details"]),
    **dict.fromkeys(("strong", "b"), ELEMENT_BITS["strong"]),
}

# Attribute words, matched inside the lowercased class/id/role text. Long stems match
# anywhere ("post-share-bar", "relatedPosts"); short words only as whole tokens.
_STEMS: dict[str, str] = {
    "navigation": "navigation nav-",
    "share": "share sharing social follow-us",
    "related": "related recommend read-next readnext more-stories morestories trending"
    " popular most-read mostread outbrain taboola also-like",
    "newsletter": "newsletter subscri signup sign-up optin opt-in paywall donat membership",
    "comment": "comment disqus respond discussion",
    "consent": "cookie consent gdpr onetrust privacy",
    "advert": "advert sponsor dfp-ad google-ad adslot ad-slot adunit ad-unit ad-container"
    " ad-wrapper banner-ad",
    "sidebar": "sidebar side-bar widget rail",
    "footer": "footer colophon copyright",
    "header": "header masthead topbar top-bar navbar",
    "caption": "caption credit wp-caption gallery",
    "meta": "byline dateline published timestamp post-meta entry-meta article-meta",
    "content": "article-body articlebody article-content entry-content post-content"
    " story-body storybody post-body main-content rich-text richtext prose",
    "hidden": "hidden sr-only visually-hidden screen-reader screenreader offscreen",
    "modal": "modal popup pop-up overlay lightbox dialog",
    "tags": "tags tag-list taglist categor topics keywords",
    "author": "author-bio authorbio author-box authorbox about-author bio",
    "breadcrumb": "breadcrumb",
    "promo": "promo teaser cta call-to-action upsell",
}
_TOKENS: dict[str, str] = {
    "nav": "navigation",
    "menu": "navigation",
    "ad": "advert",
    "ads": "advert",
    "tag": "tags",
    "meta": "meta",
    "author": "meta",
    "date": "meta",
    "content": "content",
    "article": "content",
    "story": "content",
    "entry": "content",
    "main": "content",
    "complementary": "sidebar",
    "banner": "header",
    "contentinfo": "footer",
}
_STEM_PATTERN = re.compile(
    "|".join(
        sorted(
            (re.escape(stem) for stems in _STEMS.values() for stem in stems.split()),
            key=len,
            reverse=True,
        )
    )
)
_STEM_WORD = {stem: word for word, stems in _STEMS.items() for stem in stems.split()}
_SPLIT = re.compile(r"[^a-z0-9]+")
_ATTRIBUTE_CACHE: dict[str, int] = {}


def attribute_bits(value: str) -> int:
    """The word bits for an element's lowercased class/id/role/aria text."""
    found = _ATTRIBUTE_CACHE.get(value)
    if found is not None:
        return found
    bits = 0
    for stem in _STEM_PATTERN.findall(value):
        bits |= WORD_BITS[_STEM_WORD[stem]]
    for token in _SPLIT.split(value):
        word = _TOKENS.get(token)
        if word is not None:
            bits |= WORD_BITS[word]
    if len(_ATTRIBUTE_CACHE) > 50_000:
        _ATTRIBUTE_CACHE.clear()
    _ATTRIBUTE_CACHE[value] = bits
    return bits


_PROSE_LENGTH = 60
"""A line this long ending like a sentence counts as prose when finding the main container."""
_MAIN_SHARE = 0.6
"""The main container is the innermost element holding this share of the page's prose."""
CONTAINER_SIZES = (2, 5, 15, 40)
"""A line's surroundings are described by its innermost enclosing blocks holding at least
this many lines each: roughly its list or paragraph group, its box, its column and the
part of the page it sits in. A related-stories box is short linked lines; the article's
container is long prose."""
CONTAINER_MEASURES = (
    "lines",  # log(1 + lines) / 5
    "prose",  # share of its characters in prose lines
    "links",  # share of its characters in link text
    "page_prose",  # share of the page's prose inside it
    "linked_lines",  # share of its lines that are mostly link text
    "short_lines",  # share of its lines under `_SHORT_LINE` characters
    "holds_main",  # it is the main container or encloses it
    "place",  # where the line sits in it, 0 at its first line
    "opens",  # the line is its first
    "none",  # no enclosing block holds that many lines (the outermost one is measured)
)
"""What `Markup.containers` says of each container, in order, each scaled to 0..1."""
CONTAINER_FIELDS = len(CONTAINER_MEASURES)
_SHORT_LINE = 40
"""A line shorter than this counts as short (a link title, a label) in a container."""
_LINKED_LINE = 0.5
"""A line with more than this share of link text counts as a link in a container."""


@dataclass(frozen=True, slots=True)
class Markup:
    """What the HTML says about one rendered line."""

    around: int
    """Bits (`MARKUP_BITS`) of every element enclosing the line's text, ORed."""
    own: int
    """Bits of the innermost block element the line was rendered from."""
    link_share: float
    """Share of the line's characters inside links."""
    depth: int
    """Number of enclosing elements."""
    in_main: bool
    """Inside the innermost element holding most of the page's prose."""
    containers: bytes = b""
    """What the blocks around the line hold (`CONTAINER_SIZES`, `CONTAINER_FIELDS`
    measures each), every measure scaled to one byte: read as one array per page by
    the line model (`reader.boilerplate.learned.markup_features`)."""


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """An HTML page as text, its title, and the markup evidence per physical line."""

    title: str
    text: str
    markup: dict[int, Markup]
    """Line number -> evidence, for every non-empty rendered line."""


def html_title(tree: HTMLParser) -> str:
    for selector in ("title", "h1"):
        node = tree.css_first(selector)
        if node is not None:
            text = " ".join(node.text(deep=True).split())
            if text:
                return text
    return ""


def html_to_text(markup: str) -> tuple[str, str]:
    """Return `(title, text)` for an HTML document."""
    page = render_html(markup)
    return page.title, page.text


def render_html(markup: str) -> RenderedPage:
    """Render an HTML document to lines, keeping each line's markup evidence."""
    tree = HTMLParser(markup)
    title = html_title(tree)
    tree.strip_tags(_DROP)
    root = tree.body or tree.root
    if root is None:
        return RenderedPage(title, "", {})
    walk = _Walk()
    walk.run(root)
    return RenderedPage(title, "\n".join(walk.lines), walk.evidence())


class _Walk:
    """One depth-first pass over the DOM, emitting a line per block of text."""

    __slots__ = (
        "blocks", "chars", "element_words", "inline_masks", "inline_words", "lines",
        "link_chars", "masks", "paths", "pending", "records",
    )

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.pending: list[str] = []
        self.chars = 0
        self.link_chars = 0
        self.masks = 0
        self.inline_masks = 0
        self.inline_words: list[int] = []
        """Per emitted line: the furniture words of the inline elements around its text."""
        # Per emitted line: (around, own, link share, depth) and the enclosing element ids.
        self.records: list[tuple[int, int, float, int]] = []
        self.paths: list[tuple[int, ...]] = []
        self.blocks: list[tuple[int, int]] = []
        """Open elements as (element id, own bits), outermost first."""
        self.element_words: list[int] = [0]
        """Per block element id: the furniture words of its own class, id, role, label."""

    def flush(self, cumulative: list[int]) -> None:
        pending = self.pending
        if not pending:
            return
        text = "".join(pending)
        if _CELL in text:
            # A table row: its cells apart by tabs, as a browser copies them.
            block = "\t".join(" ".join(cell.split()) for cell in text.split(_CELL)).strip("\t")
        else:
            block = " ".join(text.split())
        pending.clear()
        if block:
            self.lines.append(block)
            own = self.blocks[-1][1] if self.blocks else 0
            share = self.link_chars / self.chars if self.chars else 0.0
            self.records.append((self.masks, own, share, len(cumulative)))
            self.paths.append(tuple(element for element, _bits in self.blocks))
            self.inline_words.append(self.inline_masks)
        self.chars = self.link_chars = self.masks = self.inline_masks = 0

    def run(self, root: Node) -> None:
        link_bit = ELEMENT_BITS["a"]
        tag_bits = _TAG_BIT
        block_tags = _BLOCK
        cumulative: list[int] = [0]
        inline: list[int] = [0]
        """Furniture words of the open inline elements (`cumulative`: all open elements' bits)."""
        # (node, leaving, is_block)
        stack: list[tuple[Node | None, bool, bool]] = [(root, False, False)]
        element_id = 0
        pending = self.pending
        while stack:
            node, leaving, is_block = stack.pop()
            if leaving:
                if is_block:
                    self.flush(cumulative)
                    self.blocks.pop()
                cumulative.pop()
                inline.pop()
                continue
            assert node is not None
            tag = node.tag
            if tag == "-text":
                text = node.text_content or ""
                if text:
                    pending.append(text)
                    size = len(text.strip())
                    if size:
                        bits = cumulative[-1]
                        self.chars += size
                        if bits & link_bit:
                            self.link_chars += size
                        self.masks |= bits
                        self.inline_masks |= inline[-1]
                continue
            if tag == "br":
                self.flush(cumulative)
                continue
            if tag in ("-comment", "-doctype"):
                continue
            bits = tag_bits.get(tag, 0)
            # The body's and the root's classes describe the whole page (templates, themes).
            attributes = node.attributes if tag != "body" and tag != "html" else None
            if attributes:
                words = " ".join(
                    value
                    for key in ("class", "id", "role", "aria-label")
                    if (value := attributes.get(key))
                )
                if words:
                    bits |= attribute_bits(words.lower())
                if "hidden" in attributes or attributes.get("aria-hidden") == "true":
                    bits |= WORD_BITS["hidden"]
            if tag in _CELLS and pending:
                pending.append(_CELL)  # the row's next cell: on the same line
            block = tag in block_tags
            if block:
                self.flush(cumulative)
                element_id += 1
                self.blocks.append((element_id, bits))
                self.element_words.append(bits & _FURNITURE_WORDS)
            cumulative.append(cumulative[-1] | bits)
            inline.append(inline[-1] if block else inline[-1] | (bits & _FURNITURE_WORDS))
            stack.append((None, True, block))
            children = list(node.iter(include_text=True))
            stack.extend((child, False, False) for child in reversed(children))
        self.flush(cumulative)

    def evidence(self) -> dict[int, Markup]:
        """Markup per line number, with the main container and the lines' surroundings
        worked out."""
        lines, paths = self.lines, self.paths
        size = max((path[-1] for path in paths if path), default=0) + 1
        # Per element (ids grow in document order): what its lines hold.
        held = [0] * size
        chars = [0] * size
        link_chars = [0.0] * size
        prose = [0] * size
        linked = [0] * size
        short = [0] * size
        first = [-1] * size
        total = 0
        for number, (line, path, record) in enumerate(zip(lines, paths, self.records, strict=True)):
            length = len(line)
            is_prose = length >= _PROSE_LENGTH and line[-1] in '.!?"”’:)'
            if is_prose:
                total += length
            link_length = record[2] * length
            is_linked = record[2] > _LINKED_LINE
            is_short = length < _SHORT_LINE
            for element in path:
                held[element] += 1
                chars[element] += length
                link_chars[element] += link_length
                if is_prose:
                    prose[element] += length
                if is_linked:
                    linked[element] += 1
                if is_short:
                    short[element] += 1
                if first[element] < 0:
                    first[element] = number
        main = 0
        if total:
            # Element ids grow with depth along a path, so the deepest qualifying id wins.
            needed = _MAIN_SHARE * total
            main = max(
                (element for element in range(size) if prose[element] >= needed), default=0
            )
        main_and_above: set[int] = set()
        for path in paths:
            if main in path:
                main_and_above = set(path[: path.index(main) + 1])
                break
        measures = _ContainerMeasures(
            held, chars, link_chars, prose, linked, short, first, main_and_above, total
        )
        # The article's container and the blocks around it hold most of the page's prose:
        # their furniture words name a template ("page-section promo-area", "has-breadcrumb"),
        # not furniture, so they are left out of what encloses a line, unless a block
        # nearer the line (a block inside them, an inline element) says the same word.
        # Their "content" word stays: it is the article's.
        words = self.element_words
        wrapper = 0
        for element in main_and_above:
            wrapper |= words[element]
        markup: dict[int, Markup] = {}
        for number, ((around, own, share, depth), path, inline_words) in enumerate(
            zip(self.records, paths, self.inline_words, strict=True)
        ):
            if wrapper and around & wrapper:
                nearer = inline_words
                for element in path:
                    if element not in main_and_above:
                        nearer |= words[element]
                around &= ~(wrapper & ~nearer)
            markup[number] = Markup(around, own, share, depth, main in path,
                                    measures.of(number, path))
        return markup


@dataclass(frozen=True, slots=True)
class _ContainerMeasures:
    """Per element: its lines, characters, link characters, prose characters, linked and
    short lines, and first line; which elements are the main container or hold it; and
    the page's prose in characters."""

    held: list[int]
    chars: list[int]
    link_chars: list[float]
    prose: list[int]
    linked: list[int]
    short: list[int]
    first: list[int]
    main_and_above: set[int]
    total_prose: int

    packed: dict[int, bytes] = field(default_factory=dict)
    """Element -> its measures that do not depend on the line, packed (computed once)."""

    def of(self, number: int, path: tuple[int, ...]) -> bytes:
        """The packed measures of line `number`'s containers, innermost size first."""
        if not path:
            return _NO_CONTAINERS
        held, first = self.held, self.first
        parts: list[bytes] = []
        position = len(path) - 1
        for needed in CONTAINER_SIZES:
            # Ancestors hold at least what their descendants hold: walk outwards once.
            while position > 0 and held[path[position]] < needed:
                position -= 1
            # On a page too short for this size, the outermost block stands in (flagged).
            element = path[position]
            packed = self.packed.get(element)
            if packed is None:
                packed = self.packed[element] = self._pack(element)
            lines, opening = held[element], first[element]
            too_small = 255 * (lines < needed)
            place = _byte((number - opening) / lines), 255 * (number == opening), too_small
            parts.append(packed + bytes(place))
        return b"".join(parts)

    def _pack(self, element: int) -> bytes:
        lines = self.held[element]
        chars = self.chars[element] or 1
        return bytes(
            _byte(value)
            for value in (
                math.log1p(lines) / 5.0,
                self.prose[element] / chars,
                self.link_chars[element] / chars,
                self.prose[element] / (self.total_prose or 1),
                self.linked[element] / lines,
                self.short[element] / lines,
                element in self.main_and_above,
            )
        )


_NO_CONTAINERS = (bytes(CONTAINER_FIELDS - 1) + b"\xff") * len(CONTAINER_SIZES)
"""The measures of a line outside every block: zeros, and the flag at every size."""


def _byte(value: float) -> int:
    """A measure in 0..1 (clipped) as 0..255."""
    return 255 if value >= 1.0 else 0 if value <= 0.0 else round(value * 255)
