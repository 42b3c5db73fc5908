"""Unrelated stories glued after the article (wire teasers and the like)."""

from __future__ import annotations

from typing import Any

from reader.boilerplate.features import LineInfo
from reader.boilerplate.span import Span


def trim(infos: list[LineInfo], body: Span, verdicts: Any) -> Span:
    return body
