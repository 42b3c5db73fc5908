"""Lists inside the article: label rows, dated lists, ingredient lists, schedule items.

Each is found by its shape (a run of short packed rows, lines opening with a date or a
quantity and the same separator), never by wording; the detector keeps or labels their
lines on that evidence, which the line model does not overrule.
"""

from __future__ import annotations

import re
from itertools import compress
from operator import attrgetter

from reader.boilerplate.features import LineInfo
from reader.boilerplate.model import Kind
from reader.boilerplate.span import Span

_TEXT = attrgetter("text")


def label_runs(infos: list[LineInfo], body: Span) -> set[int]:
    """Short label rows inside the body ("Politics" / "Live story" between paragraphs).

    Two or three packed lines, each short and unpunctuated, with a blank line before and
    after and an ordinary paragraph (not a list intro) just above: section labels or
    widget titles that landed in the story, not a list and not a subheading.
    """
    found: set[int] = set()
    index = body.start + 1
    while index < body.end:
        info = infos[index]
        if not info.blank_before or info.blank_after:
            index += 1
            continue
        end = index
        while end < body.end and not infos[end].blank_after:
            end += 1
        run = range(index, end + 1)
        above = infos[index - 1]
        if (
            2 <= len(run) <= 3
            and end < body.end
            and above.length >= PARAGRAPH_LENGTH
            and not above.colon
            and all(infos[i].length < 30 and not infos[i].terminal for i in run)
        ):
            found.update(run)
        index = end + 1
    return found


PARAGRAPH_LENGTH = 80

_DATED_ITEM = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?,? )?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.? \d{1,2}(?:st|nd|rd|th)?"
    r",?(?: \d{4})?\s?(--|[-–—:,])\s",
    re.IGNORECASE,
)
"""A line that opens with a month and day and a separator ("June 17 -- Arena, City")."""
DATED_RUN = 3
"""Consecutive dated lines with the same separator that make a list."""
DATED_ITEM_LENGTH = 200


def dated_runs(infos: list[LineInfo], body: Span) -> list[int]:
    """Lines of the body in runs of `DATED_RUN` or more that each open with a date and the
    same separator: a schedule, a timeline, tour dates (items of the article, however
    link-like each one looks)."""
    found: list[int] = []
    run: list[int] = []
    mark: str | None = None
    for index in range(body.start, body.end + 2):
        matched = None
        if index <= body.end and infos[index].length < DATED_ITEM_LENGTH:
            matched = _DATED_ITEM.match(infos[index].text)
        separator = matched.group(1) if matched is not None else None
        if separator is not None and separator == mark:
            run.append(index)
            continue
        if len(run) >= DATED_RUN:
            found.extend(run)
        run, mark = ([index], separator) if separator is not None else ([], None)
    return found


_QUANTITY_ITEM = re.compile(
    r"(?:\d{1,4}(?:[/.-]\d{1,3})?(?: \d/\d)?|\d{0,2}[½¼¾⅓⅔⅛])\s?"
    r"(?:cups?|c\.|tbsps?|tablespoons?|tsps?|teaspoons?|g|grams?|kg|ml|l|oz|ounces?|lbs?"
    r"|pounds?|pinch|cloves?|large|medium|small|cans?|jars?|sticks?|slices?|bunch)\b",
    re.IGNORECASE,
)
"""A line that opens with a quantity and a unit ("1 1/2 cups honey", "2 tbsp butter")."""
_QUANTITY_START = re.compile(r"[\d½¼¾⅓⅔⅛]").match
"""What `_QUANTITY_ITEM` must open with: a digit or a fraction."""
QUANTITY_RUN = 3
"""Consecutive quantity lines that make an ingredient list."""


def quantity_runs(infos: list[LineInfo]) -> list[int]:
    """Lines in runs of `QUANTITY_RUN` or more that each open with a quantity and a unit:
    a recipe's ingredients, which a recipe card often prints outside the prose."""
    # Only a line opening with a digit or a fraction can match: found in C-level passes.
    opens = map(_QUANTITY_START, map(_TEXT, infos))
    found: list[int] = []
    run: list[int] = []
    for index in compress(range(len(infos)), opens):
        info = infos[index]
        if info.length < DATED_ITEM_LENGTH and _QUANTITY_ITEM.match(info.text) is not None:
            if run and run[-1] != index - 1:
                if len(run) >= QUANTITY_RUN:
                    found.extend(run)
                run = []
            run.append(index)
    if len(run) >= QUANTITY_RUN:
        found.extend(run)
    return found


LIST_NEIGHBOURS = 2
"""Plain or dated lines with a number, packed around a dated line, that make it a list item."""
_DIGIT = re.compile(r"\d")


def in_list(infos: list[LineInfo], index: int, first: int, last: int) -> bool:
    """A dated line packed among other numbered lines of the body: an item of a schedule
    or a timeline ("June 26 -- Allentown, PA"), not the article's date stamp."""
    info = infos[index]
    if info.cue is not Kind.TIMESTAMP or (info.blank_before and info.blank_after):
        return False
    plain = 0
    for other in range(max(first, index - 3), min(last, index + 3) + 1):
        neighbour = infos[other]
        if (
            other != index
            and (neighbour.cue is None or neighbour.cue is Kind.TIMESTAMP)
            and not (neighbour.blank_before and neighbour.blank_after)
            and _DIGIT.search(neighbour.text, 0, 40) is not None
        ):
            plain += 1
    return plain >= LIST_NEIGHBOURS
