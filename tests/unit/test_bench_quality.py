"""The scoring glue of bench/detector_quality.py against the official scorer.

Tiny pages written here: a perfect prediction scores 1.0 whether it comes as per-line
labels or as kept text, kept text maps back to the same lines as per-line labels, and
the bench's counts are the ones `shared/corpus/score.py` computes from files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.bench import load_bench

from reader.boilerplate import Analysis, Kind, LineVerdict

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    return load_bench("detector_quality")


quality = _bench()
CORPUS = quality.find_corpus()
SCORER = CORPUS / "score.py" if CORPUS is not None else None
pytestmark = pytest.mark.skipif(
    SCORER is None or not SCORER.exists(), reason="shared/corpus/score.py is not beside the repo"
)

# line number -> (text, gold label); line 3 is blank, so it has no label record
PAGE = {
    0: ("Home | World | Sport | Sign in", "boilerplate"),
    1: ("Harbour crane falls onto moored ferry", "content"),
    2: ("By A. Reporter", "ambiguous"),
    4: ("A harbour crane toppled onto a moored ferry on Tuesday, officials said.", "content"),
    5: ("Advertisement", "boilerplate"),
    6: ("Nobody was on board; the port reopened two hours later.", "content"),
    7: ("Related: Ferry fares rise again", "boilerplate"),
    8: ("Inspectors will examine the crane's footings this week.", "content"),
    9: ("© 2026 Harbour News. All rights reserved.", "boilerplate"),
}
TEXT = "\n".join(PAGE.get(n, ("", ""))[0] for n in range(max(PAGE) + 1))
RECORDS = [
    {"line": n, "text": text, "label": label} | ({"headline": True} if n == 1 else {})
    for n, (text, label) in sorted(PAGE.items())
]


def _scorer():
    return quality.load_scorer(SCORER)


def _analysis(removed: set[int]) -> Analysis:
    verdicts = {
        n: LineVerdict(n, n in removed, Kind.CHROME if n in removed else Kind.CONTENT, "test", 0.5)
        for n in PAGE
    }
    return Analysis(article_id="test", verdicts=verdicts)


def _kept_text(removed: set[int]) -> str:
    return "\n".join(text for n, (text, _label) in sorted(PAGE.items()) if n not in removed)


def _summaries(scored) -> tuple[dict, dict]:
    scorer = _scorer()
    return quality.summarize(scorer, [scored], "all"), quality.summarize(scorer, [scored], "span")


GOLD_REMOVED = {n for n, (_text, label) in PAGE.items() if label == "boilerplate"}
# one content line dropped, one in-body boilerplate line kept
WRONG_REMOVED = (GOLD_REMOVED - {7}) | {6}


def test_a_perfect_prediction_scores_one_as_labels_and_as_kept_text(tmp_path: Path) -> None:
    scorer = _scorer()
    kept, missing = quality.kept_from_analysis(
        scorer, RECORDS, _analysis(GOLD_REMOVED), tmp_path / "page.pred.jsonl"
    )
    from_text = scorer.kept_from_text(RECORDS, _kept_text(GOLD_REMOVED), 0.5)
    assert missing == 0
    for flags in (kept, from_text):
        whole, span = _summaries(quality.Scored("page", RECORDS, flags))
        assert (whole["B_F1"], whole["C_F1"], span["B_F1"], span["C_F1"]) == (1.0,) * 4
        assert whole["lines"] == len(RECORDS) - 1  # the ambiguous byline is not scored


def test_kept_text_maps_back_to_the_lines_per_line_labels_name(tmp_path: Path) -> None:
    scorer = _scorer()
    by_labels, _missing = quality.kept_from_analysis(
        scorer, RECORDS, _analysis(WRONG_REMOVED), tmp_path / "page.pred.jsonl"
    )
    by_text = scorer.kept_from_text(RECORDS, _kept_text(WRONG_REMOVED), 0.5)
    assert by_text == by_labels == [r["line"] not in WRONG_REMOVED for r in RECORDS]
    whole, span = _summaries(quality.Scored("page", RECORDS, by_text))
    assert whole["counts"] == {"tp": 3, "fp": 1, "fn": 1, "tn": 3}
    assert span["counts"] == {"tp": 1, "fp": 1, "fn": 1, "tn": 2}  # lines 4..8


def test_the_bench_counts_what_score_py_counts_from_files(tmp_path: Path) -> None:
    scorer = _scorer()
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    outputs.mkdir()
    (inputs / "page.txt").write_text(TEXT, encoding="utf-8")
    with open(inputs / "page.labels.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(record) + "\n" for record in RECORDS)
    kept_text = _kept_text(WRONG_REMOVED)
    (outputs / "page.txt").write_text(kept_text, encoding="utf-8")

    kept = scorer.kept_from_text(RECORDS, kept_text, 0.5)
    for zone in ("all", "span"):
        pages, missing = scorer.score_dir(inputs, ["page"], outputs, False, 0.5, zone)
        official = scorer.summarize(pages, missing)
        ours = quality.summarize(scorer, [quality.Scored("page", RECORDS, kept)], zone)
        assert ours == official


def test_tools_are_picked_by_name_input_or_tool() -> None:
    assert quality.select_tools("all") == list(quality.TOOLS)
    assert quality.select_tools("html") == ["html:copydesk", "html:trafilatura"]
    assert quality.select_tools("copydesk,text:justext") == [
        "text:copydesk",
        "text:justext",
        "html:copydesk",
    ]
    with pytest.raises(ValueError):
        quality.select_tools("readability")
