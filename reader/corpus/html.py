"""HTML rendered to text the way a copy-paste from a browser looks: one block per line.

Scripts, styles and other non-text elements are dropped; whitespace inside a block is
collapsed as a browser would. The walk is iterative, so deeply nested pages cannot
exhaust the recursion limit.
"""

from __future__ import annotations

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
        "td",
        "th",
        "ul",
        "caption",
        "option",
        "select",
        "button",
        "label",
    }
)


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
    tree = HTMLParser(markup)
    title = html_title(tree)
    tree.strip_tags(_DROP)
    root = tree.body or tree.root
    lines: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        block = " ".join("".join(pending).split())
        if block:
            lines.append(block)
        pending.clear()

    if root is None:
        return title, ""
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            flush()
            continue
        if tag == "-text":
            pending.append(node.text_content or "")
        elif tag == "br":
            flush()
        elif tag in ("-comment", "-doctype"):
            continue
        else:
            if tag in _BLOCK:
                flush()
                stack.append((node, True))
            children = list(node.iter(include_text=True))
            stack.extend((child, False) for child in reversed(children))
    flush()
    return title, "\n".join(lines)
