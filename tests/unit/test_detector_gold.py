"""The five bundled seed articles against their gold line labels.

Every `boilerplate` line must be removed and every `content` line kept; `ambiguous`
lines may go either way. The seeds ship as `reader/demo/*.txt`, the labels in
`tests/data/gold/` (the repository stays self-contained).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.boilerplate import Kind, detect, detect_corpus
from reader.corpus.loader import load_corpus

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "reader" / "demo"
GOLD = ROOT / "tests" / "data" / "gold"
NAMES = sorted(path.name[: -len(".labels.jsonl")] for path in GOLD.glob("*.labels.jsonl"))


def _gold(name: str) -> list[dict]:
    with open(GOLD / f"{name}.labels.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _wrong(name: str, analysis) -> list[str]:
    wrong = []
    for record in _gold(name):
        if record["label"] == "ambiguous":
            continue
        verdict = analysis.verdicts.get(record["line"])
        assert verdict is not None, f"{name}:{record['line']} has no verdict"
        if verdict.boilerplate != (record["label"] == "boilerplate"):
            wrong.append(
                f"{name}:{record['line']} gold={record['label']} got={verdict.kind}: "
                f"{record['text'][:70]!r}"
            )
    return wrong


def test_there_are_five_seeds() -> None:
    assert len(NAMES) == 5
    for name in NAMES:
        assert (DEMO / f"{name}.txt").exists()


@pytest.mark.parametrize("name", NAMES)
def test_seed_matches_gold_on_its_own(name: str) -> None:
    articles = load_corpus([DEMO / f"{name}.txt"]).articles
    assert len(articles) == 1
    assert _wrong(name, detect(articles[0])) == []


def test_seeds_match_gold_as_a_corpus() -> None:
    articles = load_corpus([DEMO]).articles
    by_name = {article.name: article for article in articles}
    analyses = dict(zip([a.name for a in articles], detect_corpus(articles), strict=True))
    wrong = [line for name in NAMES for line in _wrong(name, analyses[by_name[name].name])]
    assert wrong == []


def test_appended_wire_stories_are_found_as_such() -> None:
    """The seed with wire teasers after the story labels them appended, not just removed."""
    name = next(n for n in NAMES if any(r["line"] > 90 for r in _gold(n)))
    analysis = detect(load_corpus([DEMO / f"{name}.txt"]).articles[0])
    kinds = {analysis.verdicts[r["line"]].kind for r in _gold(name) if r["line"] >= 55}
    assert Kind.APPENDED_STORY in kinds


def test_headlines_are_set() -> None:
    for name in NAMES:
        analysis = detect(load_corpus([DEMO / f"{name}.txt"]).articles[0])
        headline_lines = [r["line"] for r in _gold(name) if r["line"] == 0]
        if headline_lines and _gold(name)[0]["label"] == "content":
            assert analysis.headline is not None
            assert analysis.verdicts[0].kind is Kind.HEADLINE
