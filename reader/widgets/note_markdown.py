"""Short Markdown notes rendered to styled `Content`, for line-API panes.

The `Markdown` widget mounts one widget per block and lays the screen out again on each
update (a first note with a link took ~220 ms to show); a review pane shows one note per
keypress. This renders a note with markdown-it-py into a single `Content`: emphasis,
code, headings, lists, quotes, fences and tables keep their shape; links are inert text
with the address shown after them (notes come from other people, so nothing here is
clickable or markup). HTML is shown as typed. Callers strip control characters first.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from textual.content import Content

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_INLINE_STYLES = {"strong_open": "bold", "em_open": "italic", "s_open": "strike"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _inline(children: list[Token]) -> Content:
    """One inline run (a paragraph's or heading's text) as styled content."""
    parts: list[Content | str | tuple[str, str]] = []
    styles: list[str] = []
    links: list[tuple[str, int]] = []
    """(href, index in `parts` where the link text starts) for each open link."""
    for token in children:
        kind = token.type
        style = " ".join(styles)
        if kind == "text" or kind == "html_inline":
            parts.append((token.content, style) if style else token.content)
        elif kind in _INLINE_STYLES:
            styles.append(_INLINE_STYLES[kind])
        elif kind in ("strong_close", "em_close", "s_close") and styles:
            styles.pop()
        elif kind == "code_inline":
            parts.append((token.content, f"{style} bold".strip()))
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "link_open":
            links.append((str(token.attrs.get("href", "")), len(parts)))
            styles.append("underline")
        elif kind == "link_close" and links:
            href, start = links.pop()
            if styles:
                styles.pop()
            text = "".join(p if isinstance(p, str) else p[0] if isinstance(p, tuple)
                           else p.plain for p in parts[start:])
            if href and href != text and f"mailto:{text}" != href:
                parts.append((f" ‹{href}›", "dim"))
        elif kind == "image":
            alt = "".join(child.content for child in token.children or [])
            # A plain (text, style) segment: the alt text is never parsed as markup.
            parts.append(("[image: " + alt + "]" if alt else "[image]", "dim"))
    return Content.assemble(*parts)


def _prefixed(content: Content, first: str, rest: str, style: str = "") -> list[Content]:
    """`content`'s lines, the first after `first` and the others after `rest`."""
    lines = content.split("\n") if "\n" in content.plain else [content]
    return [
        Content.assemble((first if n == 0 else rest, style) if style else
                         (first if n == 0 else rest), line)
        for n, line in enumerate(lines)
    ]


@lru_cache(maxsize=512)
def render_note(text: str) -> Content:
    """`text` (Markdown) as styled content; cached, so an unchanged note costs nothing."""
    tokens = _parser().parse(text)
    blocks: list[list[Content]] = []
    """Lines of each top-level block (blank lines go between blocks)."""
    lines: list[Content] = []
    containers: list[list[int | str]] = []
    """Open lists and quotes: ["ul"], ["ol", next number] or ["quote"]."""
    pending_marker: str | None = None
    """The bullet or number to put before the next line of the list item just opened."""
    table_row: list[Content] = []
    header_cell = False

    def prefix() -> tuple[str, str]:
        """(first-line prefix, continuation prefix) for a block at the current depth."""
        nonlocal pending_marker
        head = ""
        for container in containers:
            head += "▌ " if container[0] == "quote" else "  "
        if containers and containers[-1][0] != "quote":
            head = head[:-2]
        if pending_marker is not None:
            marker, pending_marker = pending_marker, None
            return head + marker, head + " " * len(marker)
        indent = "  " if containers and containers[-1][0] != "quote" else ""
        return head + indent, head + indent

    def add(content: Content, style: str = "") -> None:
        first, rest = prefix()
        lines.extend(_prefixed(content, first, rest, style))

    def close_block() -> None:
        nonlocal lines
        if lines and not containers:
            blocks.append(lines)
            lines = []

    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            parent = tokens[index - 1].type if index else ""
            if parent in ("th_open", "td_open"):
                cell = _inline(token.children or [])
                table_row.append(cell.stylize("bold") if header_cell else cell)
                continue
            content = _inline(token.children or [])
            if parent == "heading_open":
                level = int(tokens[index - 1].tag[1:])
                content = content.stylize("bold underline" if level == 1 else "bold")
            add(content)
        elif kind in ("paragraph_close", "heading_close", "hr", "code_block", "fence",
                      "html_block", "table_close"):
            if kind == "hr":
                add(Content.styled("─" * 20, "dim"))
            elif kind in ("code_block", "fence", "html_block"):
                add(Content.styled(token.content.rstrip("\n"), "dim"))
            close_block()
        elif kind == "bullet_list_open":
            containers.append(["ul"])
        elif kind == "ordered_list_open":
            containers.append(["ol", int(token.attrs.get("start", 1) or 1)])
        elif kind == "blockquote_open":
            containers.append(["quote"])
        elif kind in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            if containers:
                containers.pop()
            close_block()
        elif kind == "list_item_open" and containers:
            container = containers[-1]
            if container[0] == "ol":
                number = int(container[1])
                container[1] = number + 1
                pending_marker = f"{number}. "
            else:
                pending_marker = "• "
        elif kind in ("th_open", "td_open"):
            header_cell = kind == "th_open"
        elif kind == "tr_close":
            add(Content(" │ ").join(table_row))
            table_row = []
    close_block()
    if lines:
        blocks.append(lines)
    return Content("\n\n").join(Content("\n").join(block) for block in blocks)
