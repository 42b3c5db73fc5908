"""Inline furniture inside a kept line: "(RELATED: ...)", "[ADVERTISEMENT]"."""

from __future__ import annotations

from reader.boilerplate.model import InlineSpan


def find_spans(text: str, start: int, end: int) -> tuple[InlineSpan, ...]:
    return ()
