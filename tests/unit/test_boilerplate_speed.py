"""The detector's fast paths give the answers of the plain computations they replace."""

from __future__ import annotations

import random
from pathlib import Path

from reader.boilerplate.features import topic_words
from reader.corpus.model import Article, Line

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "tests" / "data" / "gold").rglob("*.txt")) + sorted(
    (ROOT / "reader" / "demo").glob("*.txt")
)
ODD = [
    "Das Café „Über“ öffnet — wieder!",
    "İstanbul'da yağmur: ½ gün, x² ölçüm",
    "東京の天気 and Tokyo weather (Ōsaka)",
    "naïve façade ‘quoted’ ab-cd e_f 123abc abc123",
    "",
]


def _texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in PAGES] + ODD


def test_topic_words_leave_out_stop_words() -> None:
    words = topic_words("They said that the harbour commission would rebuild the pier there")
    assert words == {"harbour", "commission", "rebuild", "pier"}


def _split_lines(text: str) -> list[Line]:
    lines = []
    start = 0
    for number, piece in enumerate(text.split("\n")):
        lines.append(Line(number, start, start + len(piece), piece))
        start += len(piece) + 1
    return lines


def test_article_lines_built_on_demand_match_a_plain_split() -> None:
    rng = random.Random(3)
    samples = ["", "\n", "a", "a\n", "\nb\n\nccc", *_texts()]
    samples += ["".join(rng.choice("ab \n") for _ in range(rng.randint(0, 40))) for _ in range(200)]
    for text in samples:
        article = Article(text=text, source="test", name="test")
        expected = _split_lines(text)
        lines = article.lines
        assert len(lines) == len(expected) and list(lines) == expected and lines == expected
        assert [lines[i] for i in range(-len(expected), len(expected))] == expected * 2
        assert lines[1:3] == expected[1:3] and lines[::-1] == expected[::-1]
        for offset in range(-2, min(len(text), 300) + 3):
            inside = [line for line in expected if line.start <= offset]
            assert article.line_at(offset) == (inside[-1] if inside else expected[0])


def test_corpus_line_counts_count_short_lowercased_lines_once_per_article() -> None:
    from collections import Counter

    from reader.boilerplate.detector import SHARED_MAX_LENGTH, _line_counts

    texts = [
        "İ" * 150 + "\n" + "İ" * 99 + "\n  ΑΣ  \nΣ\n\n" + "a" * 201 + "\n " + "b" * 200 + " \nMenu",
        "ΑΣ\nαΣ β\nmenu\nMENU\n" * 3,
        *_texts(),
    ]
    expected: Counter[str] = Counter()
    for text in texts:
        keys = {line.lower().strip() for line in text.split("\n")}
        expected.update(key for key in keys if key and len(key) <= SHARED_MAX_LENGTH)
    articles = [Article(text=text, source="test", name="test") for text in texts]
    assert _line_counts(articles) == expected


def test_line_bounds_need_no_line_objects() -> None:
    text = "Menu\n\n  Body text here.  \nlast"
    lines = Article(text=text, source="test", name="test").lines
    assert [lines.bounds(number) for number in range(len(lines))] == [
        (line.start, line.end) for line in _split_lines(text)
    ]
