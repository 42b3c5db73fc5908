"""Pinned SVG snapshots of the review screen and the curation view (textual==8.2.8,
pytest-textual-snapshot==1.1.0), on fixed data: two annotators, fixed ids and times.

Regenerate deliberately with `pytest --snapshot-update tests/snapshots`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.pilot import settle
from helpers.review_support import corpus_articles, fixed_analysis
from helpers.review_support import review_app as open_review
from textual.pilot import Pilot

SIZE = (120, 40)


@pytest.fixture
def review_app(corpus: Path, db_path: Path, seeded: dict):
    return open_review(corpus, db_path)



def test_review_screen_on_a_disagreement(snap_compare, review_app) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("o")  # disagreements first: bo's "council approved the budget"
        await settle(pilot)

    assert snap_compare(review_app, terminal_size=SIZE, run_before=run_before)


def test_curation_view_with_two_annotators(snap_compare, review_app, corpus: Path) -> None:
    council = corpus_articles(corpus)["council"]

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        # Suggestions from hand-written verdicts: the snapshot must not follow the detector.
        pilot.app.screen.book.analyses[council.id] = fixed_analysis(council)
        await pilot.press("C")
        await settle(pilot)
        await pilot.press("n")  # onto the disagreement
        await settle(pilot)

    assert snap_compare(review_app, terminal_size=SIZE, run_before=run_before)


def test_help_on_the_review_screen(snap_compare, review_app) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(review_app, terminal_size=SIZE, run_before=run_before)
