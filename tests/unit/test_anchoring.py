"""Re-anchoring: exact, moved, fuzzy, or orphaned — never attached to the wrong place."""

from __future__ import annotations

import os

import pytest
from helpers.annotations_support import STORY
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from annotations.anchoring import anchor, make_target
from annotations.model import DEFAULT_CONTEXT

QUOTE = "left its key rate unchanged on Tuesday"


def target_of(text: str, quote: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return make_target(text, start, start + len(quote))


def test_make_target_takes_32_characters_of_context() -> None:
    target = target_of(STORY, QUOTE)
    assert target.exact == QUOTE
    assert STORY[target.start - DEFAULT_CONTEXT : target.start] == target.prefix
    assert len(target.prefix) == len(target.suffix) == DEFAULT_CONTEXT
    with pytest.raises(ValueError):
        make_target(STORY, 5, 5)


def test_unchanged_text_is_exact() -> None:
    target = target_of(STORY, QUOTE)
    where = anchor(target, STORY)
    assert (where.status, where.start, where.end) == ("exact", target.start, target.end)


def test_inserted_paragraph_moves_the_anchor() -> None:
    target = target_of(STORY, QUOTE)
    changed = "UPDATE: this story has been corrected.\n\n" + STORY
    where = anchor(target, changed)
    assert where.status == "moved"
    assert changed[where.start : where.end] == QUOTE


def test_small_changes_inside_the_quote_are_fuzzy() -> None:
    text = STORY.replace("citing easing", "citing easing")
    target = target_of(text, "unchanged on Tuesday, citing easing inflation")
    changed = text.replace("unchanged on Tuesday", "unchanged on tuesday").replace(
        "citing easing", "citing  easing"
    )
    where = anchor(target, changed)
    assert where.status == "fuzzy"
    assert changed[where.start : where.end] == "unchanged on tuesday, citing  easing inflation"


def test_re_encoded_quotes_are_fuzzy() -> None:
    text = "He said “we will not move” and left.\nThe vote is on Friday."
    target = target_of(text, "“we will not move” and left")
    changed = '"Breaking" banner\nHe said "we will not move" and left.\nThe vote is on Friday.'
    where = anchor(target, changed)
    assert where.status == "fuzzy"
    assert changed[where.start : where.end] == '"we will not move" and left'


def test_deleted_paragraph_is_orphaned() -> None:
    target = target_of(STORY, "Analysts had expected the decision")
    changed = STORY.replace(
        "Analysts had expected the decision after a run of softer price data.\n", ""
    )
    assert anchor(target, changed).status == "orphaned"
    assert not anchor(target, changed).attached


def test_rewritten_sentence_is_orphaned_not_attached_nearby() -> None:
    target = target_of(STORY, QUOTE)
    changed = STORY.replace(QUOTE, "raised rates by half a point late on Wednesday")
    assert anchor(target, changed).status == "orphaned"


@pytest.mark.parametrize(
    "rewrite",
    ["left the main rate unchanged this Tuesday",  # 0.73 similar to the quote
     "held its key rate steady on Tuesday"],  # 0.71
)
def test_a_rewrite_just_below_the_quote_threshold_stays_orphaned(rewrite: str) -> None:
    """Its context is intact, so only the quote threshold (0.8) keeps it from attaching."""
    assert 0.7 < Levenshtein.normalized_similarity(QUOTE, rewrite) < 0.8
    target = target_of(STORY, QUOTE)
    assert anchor(target, STORY.replace(QUOTE, rewrite)).status == "orphaned"


def test_repeated_quote_keeps_its_own_occurrence() -> None:
    text = "Share this article\nFirst paragraph text.\nShare this article\nSecond paragraph text.\n"
    target = target_of(text, "Share this article", occurrence=1)
    changed = "New lead.\n" + text
    where = anchor(target, changed)
    assert where.status == "moved"
    assert where.start == changed.index("Share this article", changed.index("First"))


def test_short_quote_found_elsewhere_without_its_context_is_orphaned() -> None:
    text = "The mayor resigned on Monday after the vote."
    target = target_of(text, "mayor")
    changed = "A completely different report in which a mayor is mentioned once."
    assert anchor(target, changed).status == "orphaned"


def test_empty_text_orphans() -> None:
    assert anchor(target_of(STORY, QUOTE), "").status == "orphaned"


# ----------------------------------------------------------------- properties


def occurrences(text: str, needle: str) -> int:
    """Overlapping occurrences (str.count skips overlapping ones)."""
    count, position = 0, text.find(needle)
    while position != -1:
        count, position = count + 1, text.find(needle, position + 1)
    return count


ALPHABET = "abcdefghijklmnopqrstuvwxyz      .,\n"
texts = st.text(alphabet=ALPHABET, min_size=0, max_size=400)


@st.composite
def edited_away(draw: st.DrawFn) -> tuple[str, str, int, int, int]:
    """A text, a span in it, and the text after random edits outside span and context."""
    core = draw(st.text(alphabet=ALPHABET, min_size=DEFAULT_CONTEXT * 2 + 8, max_size=300))
    before = draw(texts)
    after = draw(texts)
    text = before + core + after
    length = draw(st.integers(3, 60).filter(lambda n: n <= len(core) - 2 * DEFAULT_CONTEXT))
    offset = draw(st.integers(DEFAULT_CONTEXT, len(core) - DEFAULT_CONTEXT - length))
    start = len(before) + offset
    edits = st.lists(st.tuples(st.integers(0, 400), st.integers(0, 20), texts), max_size=4)

    def apply(piece: str, changes: list[tuple[int, int, str]]) -> str:
        for position, delete, insert in changes:
            position = min(position, len(piece))
            piece = piece[:position] + insert + piece[position + delete :]
        return piece

    new_before = apply(before, draw(edits))
    new_after = apply(after, draw(edits))
    new_text = new_before + core + new_after
    return text, new_text, start, start + length, len(new_before) + offset


@settings(
    max_examples=int(os.environ.get("ANCHOR_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(edited_away())
def test_edits_away_from_the_span_keep_it_anchored(case: tuple[str, str, int, int, int]) -> None:
    text, new_text, start, end, expected = case
    target = make_target(text, start, end)
    # Ambiguous only if the span with all its context occurs twice; then any copy is right.
    assume(occurrences(new_text, target.prefix + target.exact + target.suffix) == 1)
    where = anchor(target, new_text)
    assert where.attached
    assert new_text[where.start : where.end] == target.exact
    assert where.start == expected


@st.composite
def destroyed(draw: st.DrawFn) -> tuple[str, str, int, int]:
    """A text, a span in it, and the text with that span replaced by unrelated text."""
    text = draw(st.text(alphabet=ALPHABET, min_size=20, max_size=600))
    length = draw(st.integers(8, min(80, len(text))))
    start = draw(st.integers(0, len(text) - length))
    replacement = draw(st.text(alphabet=ALPHABET, max_size=100))
    return text, text[:start] + replacement + text[start + length :], start, start + length


@settings(
    max_examples=int(os.environ.get("ANCHOR_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(destroyed())
def test_a_destroyed_span_is_orphaned_never_misattached(case: tuple[str, str, int, int]) -> None:
    text, new_text, start, end = case
    target = make_target(text, start, end)
    # Only a real loss counts: no copy, exact or close, of the quote survives anywhere.
    assume(fuzz.partial_ratio(target.exact, new_text) < 70)
    where = anchor(target, new_text)
    assert where.status == "orphaned", (
        where,
        new_text[where.start : where.end],
        Levenshtein.normalized_similarity(target.exact, new_text[where.start : where.end]),
    )
