"""Inline furniture inside a kept line: "(RELATED: ...)", "[ADVERTISEMENT]", "Click To Tweet".

The line stays content; each piece of furniture becomes an `InlineSpan` with offsets
into `Article.text`. Patterns start with a bracket or a literal and have bounded
bodies, so scanning is linear in the line, however long.
"""

from __future__ import annotations

import re

from reader.boilerplate.model import InlineSpan, Kind

_BRACKETED = re.compile(
    r"[(\[{]\s{0,3}(?:"
    r"(related|see also|read more|read also|also read|more|watch|listen|lesen sie auch|"
    r"leia também|lea también|lire aussi|leggi anche)\s{0,3}[:\-–—][^)\]}\n]{0,240}[)\]}]"
    r"|(advertisement|advertising|ad|sponsored|anzeige|publicidad|publicité|реклама)\s{0,3}[)\]}]"
    r"|(photo|photos|image|video|credit|foto)\s{0,3}:[^)\]}\n]{0,160}[)\]}]"
    r")",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"(click to tweet|tweet this|\(opens in new window\)|share this quote)\s{0,3}$",
    re.IGNORECASE,
)

_SPAN_REASONS: dict[str, tuple[Kind, str]] = {
    "related": (Kind.RELATED, "an inline link to another story"),
    "advertisement": (Kind.ADVERTISEMENT, "an inline advertisement marker"),
    "credit": (Kind.CREDIT, "an inline photo or video credit"),
    "chrome": (Kind.CHROME, "an inline share widget"),
}


def may_have_spans(line: str) -> bool:
    """Cheap pre-check on a line's text: a bracket in it, or a share widget glued to its end."""
    if "(" in line or "[" in line or "{" in line:
        return True
    tail = line[-40:].lower()
    return "weet" in tail or "window)" in tail or "quote" in tail


def find_spans(text: str, start: int, end: int) -> tuple[InlineSpan, ...]:
    """Inline boilerplate inside `text[start:end]` (one line), as article-text offsets."""
    if end <= start:
        return ()
    spans: list[InlineSpan] = []
    for found in _BRACKETED.finditer(text, start, end):
        if found.group(1):
            key = "related"
        elif found.group(2):
            key = "advertisement"
        else:
            key = "credit"
        # A bracket that is the whole line is line-level furniture, not an inline span.
        if found.start() == start and found.end() == end:
            continue
        kind, reason = _SPAN_REASONS[key]
        spans.append(InlineSpan(found.start(), found.end(), kind, reason))
    tail_start = max(start, end - 40)
    trailing = _TRAILING.search(text, tail_start, end)
    if trailing is not None and trailing.start() > start:
        kind, reason = _SPAN_REASONS["chrome"]
        spans.append(InlineSpan(trailing.start(), trailing.end(), kind, reason))
    return tuple(spans)
