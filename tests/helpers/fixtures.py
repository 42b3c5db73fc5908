"""Fixtures several test modules share (registered in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.review_support import seed, write_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The two-article review corpus (council, harbour) in tmp_path."""
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def seeded(db_path: Path, corpus: Path) -> dict:
    """ana's and bo's annotations on the review corpus, stored in the test's database."""
    return seed(db_path, corpus)
