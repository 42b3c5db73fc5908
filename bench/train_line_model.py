"""Train the detector's line models (text and HTML) from the labelled train/ pages.

Usage:
    python bench/train_line_model.py [--train DIR] [--html DIR] [--folds 5] [--seed 0]
                                     [--cv-only] [--hidden 32] [--ensemble 1]
                                     [--only text|html] [--out reader/boilerplate]

For every page of train/ the rules run first (`reader.boilerplate.detector`), then each
non-empty line becomes one row of features (`reader.boilerplate.learned`) with its gold
label; ambiguous lines are left out. HTML rows come from `html/NAME.html.gz` rendered by
copydesk's own HTML reader, each rendered line matched to its labelled line by text.

Cross-validation is grouped by site (manifest `domain`): no site is both trained on and
scored, as the detector meets sites nobody has seen. It prints line-level B-F1 and C-F1
of the rules alone and of rules + model per fold and overall (and span B-F1: lines
inside the gold article span, as score.py --zone span), then (without --cv-only)
fits on all of train/ and writes `line_model_text.npz` and `line_model_html.npz`.
Needs scikit-learn (`pip install -e '.[bench]'`); the shipped models need only numpy.
Reproducible: the same data, seed and versions give the same weights.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.boilerplate import detector  # noqa: E402
from reader.boilerplate.detector import OVERRULE  # noqa: E402
from reader.boilerplate.learned import (  # noqa: E402
    RULE_BOILERPLATE,
    TEXT_FEATURES,
    LineModel,
    markup_features,
    text_features,
)
from reader.corpus.html import render_html  # noqa: E402
from reader.corpus.model import Article  # noqa: E402
from reader.corpus.text import decode_bytes, normalize  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def manifest(directory: Path) -> dict[str, dict]:
    with open(directory / "manifest.jsonl", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {row["name"]: row for row in rows}


def labels_of(directory: Path, name: str) -> list[dict]:
    with open(directory / f"{name}.labels.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def page_rows(
    article: Article, gold: dict[int, str], html: bool, span: tuple[int, int] = (0, -1)
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features and labels (1 = boilerplate) of an article's labelled lines, and which of
    them lie inside the gold article span (line numbers `span[0]`..`span[1]`)."""
    draft = detector._rule_pass(article, None)
    if draft is None:
        return np.zeros((0, 0)), np.zeros(0), np.zeros(0, dtype=bool)
    firm = draft.firm_lines()
    features = text_features(
        draft.infos, draft.kinds, draft.scores, draft.headline, draft.body, draft.raw_body, firm
    )
    if html:
        features = np.hstack([features, markup_features(draft.infos, article.markup or {})])
    keep, labels, inside = [], [], []
    for row, info in enumerate(draft.infos):
        label = gold.get(info.number)
        if label in ("content", "boilerplate"):
            keep.append(row)
            labels.append(label == "boilerplate")
            inside.append(span[0] <= info.number <= span[1])
    return features[keep], np.array(labels, dtype=np.float64), np.array(inside, dtype=bool)


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def gold_span(records: dict[int, dict]) -> tuple[int, int]:
    """First and last line of the gold article span, as score.py's --zone span takes it:
    from the first content line that is not the headline to the last."""
    body = [number for number, record in records.items() if _in_body(record)]
    return (min(body), max(body)) if body else (0, -1)


def _in_body(record: dict) -> bool:
    return record["label"] == "content" and not record.get("headline")


def rendered_gold(rendered: str, records: list[dict]) -> dict[int, dict]:
    """Gold records moved onto the lines of copydesk's own rendering of the HTML."""
    ours = [(number, _key(line)) for number, line in enumerate(rendered.split("\n"))]
    ours = [(number, key) for number, key in ours if key]
    theirs = [(_key(record["text"]), record) for record in records]
    matcher = SequenceMatcher(None, [k for _, k in ours], [k for k, _ in theirs], autojunk=False)
    gold: dict[int, dict] = {}
    for a, b, size in matcher.get_matching_blocks():
        for offset in range(size):
            gold[ours[a + offset][0]] = theirs[b + offset][1]
    return gold


def build(train: Path, html_dir: Path, *, html: bool) -> tuple[list, list, list, list]:
    """Per page: features, labels, site, and which labelled lines lie in the gold span."""
    sites = manifest(train)
    features, labels, groups, spans = [], [], [], []
    for name, row in sorted(sites.items()):
        records = labels_of(train, name)
        if html:
            path = html_dir / f"{name}.html.gz"
            if not path.exists():
                continue
            page = render_html(decode_bytes(gzip.decompress(path.read_bytes())))
            text = normalize(page.text)
            article = Article(text=text, source=name, name=name, markup=page.markup)
            placed = rendered_gold(text, records)
        else:
            text = normalize((train / f"{name}.txt").read_text(encoding="utf-8", errors="replace"))
            article = Article(text=text, source=name, name=name)
            placed = {record["line"]: record for record in records}
        gold = {number: record["label"] for number, record in placed.items()}
        x, y, inside = page_rows(article, gold, html, gold_span(placed))
        if len(y):
            features.append(x)
            labels.append(y)
            groups.append(row.get("domain") or name)
            spans.append(inside)
    return features, labels, groups, spans


def fit(x: np.ndarray, y: np.ndarray, hidden: int, seed: int, ensemble: int = 1) -> LineModel:
    """Fit `ensemble` perceptrons (seeds `seed`, `seed + 1`, ...) and average their logits.

    Averaging the logits of networks that share the standardization is itself one
    two-layer perceptron (the hidden layers side by side, the output weights divided by
    the count), so the shipped model keeps its form; the average varies less from one
    seed to the next than any single network does.
    """
    from sklearn.neural_network import MLPClassifier

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    standardized = (x - mean) / scale
    networks = []
    for member in range(ensemble):
        network = MLPClassifier(
            hidden_layer_sizes=(hidden,),
            alpha=1e-3,
            batch_size=512,
            learning_rate_init=2e-3,
            max_iter=60,
            early_stopping=True,
            n_iter_no_change=6,
            random_state=seed + member,
        )
        network.fit(standardized, y)
        networks.append(
            (
                network.coefs_[0],
                network.intercepts_[0],
                network.coefs_[1][:, 0],
                float(network.intercepts_[1][0]),
            )
        )
    return combine(mean, scale, networks)


Member = tuple[np.ndarray, np.ndarray, np.ndarray, float]
"""One network's hidden weights, hidden bias, output weights and output bias."""


def combine(mean: np.ndarray, scale: np.ndarray, members: list[Member]) -> LineModel:
    """One perceptron whose logit is the mean of the members' logits (same inputs)."""
    count = len(members)
    return LineModel(
        mean=mean,
        scale=scale,
        hidden_weights=np.hstack([member[0] for member in members]),
        hidden_bias=np.concatenate([member[1] for member in members]),
        output_weights=np.concatenate([member[2] for member in members]) / count,
        output_bias=float(np.mean([member[3] for member in members])),
    )


def f1s(gold: np.ndarray, removed: np.ndarray) -> tuple[float, float]:
    tp = float(np.sum(gold & removed))
    fp = float(np.sum(~gold & removed))
    fn = float(np.sum(gold & ~removed))
    tn = float(np.sum(~gold & ~removed))
    return 2 * tp / max(1.0, 2 * tp + fp + fn), 2 * tn / max(1.0, 2 * tn + fn + fp)


FIRM_COLUMN = TEXT_FEATURES.index("firm")


def decide(
    features: np.ndarray, probability: np.ndarray, overrule: float, keep_above: float | None = None
) -> np.ndarray:
    """The detector's decision (as `detector._second_opinion` makes it): the rules,
    overruled where the model is confident, except on removals that rest on exact evidence."""
    rules = features[:, RULE_BOILERPLATE] > 0.5
    firm = features[:, FIRM_COLUMN] > 0.5
    removed = rules.copy()
    removed[~rules & (probability > overrule)] = True
    keep_above = overrule if keep_above is None else keep_above
    removed[rules & ~firm & (probability < 1.0 - keep_above)] = False
    return removed


def cross_validate(
    features, labels, groups, spans, *, folds: int, hidden: int, seed: int, ensemble: int = 1
) -> None:
    from sklearn.model_selection import GroupKFold

    pages = np.arange(len(features))
    all_gold, all_rules, all_probability, all_inside = [], [], [], []
    splitter = GroupKFold(n_splits=folds)
    for fold, (train_pages, test_pages) in enumerate(splitter.split(pages, groups=groups)):
        x = np.vstack([features[i] for i in train_pages])
        y = np.concatenate([labels[i] for i in train_pages])
        model = fit(x, y, hidden, seed, ensemble)
        gold = np.concatenate([labels[i] for i in test_pages]).astype(bool)
        x_test = np.vstack([features[i] for i in test_pages])
        rules = x_test[:, RULE_BOILERPLATE] > 0.5
        probability = model.probabilities(x_test)
        all_gold.append(gold)
        all_rules.append(x_test)
        all_probability.append(probability)
        all_inside.append(np.concatenate([spans[i] for i in test_pages]))
        b, c = f1s(gold, decide(x_test, probability, OVERRULE))
        print(
            f"  fold {fold}: rules B-F1 {f1s(gold, rules)[0]:.3f} C-F1 {f1s(gold, rules)[1]:.3f}"
            f"  with the model B-F1 {b:.3f} C-F1 {c:.3f}",
            flush=True,
        )
    gold = np.concatenate(all_gold)
    tested = np.vstack(all_rules)
    probability = np.concatenate(all_probability)
    inside = np.concatenate(all_inside)
    rules = tested[:, RULE_BOILERPLATE] > 0.5
    b, c = f1s(gold, rules)
    span_b = f1s(gold[inside], rules[inside])[0]
    print(f"  all folds, rules alone: B-F1 {b:.3f} C-F1 {c:.3f} span B-F1 {span_b:.3f}")
    removed = decide(tested, probability, OVERRULE)
    b, c = f1s(gold, removed)
    span_b = f1s(gold[inside], removed[inside])[0]
    print(
        f"  all folds, with the model (R = K = {OVERRULE}): B-F1 {b:.3f} C-F1 {c:.3f}"
        f" span B-F1 {span_b:.3f}"
    )
    print("  all folds, B-F1 / C-F1 when the model removes above R and keeps above K:")
    grid = (0.5, 0.6, 0.7, 0.8, 0.9)
    print("    R \\ K " + "".join(f"{keep:>14.1f}" for keep in grid))
    for overrule in grid:
        cells = "".join(
            "   {:.3f}/{:.3f}".format(*f1s(gold, decide(tested, probability, overrule, keep)))
            for keep in grid
        )
        print(f"    {overrule:.1f}   {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=CORPUS / "train")
    parser.add_argument("--html", type=Path, default=CORPUS / "html")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--ensemble", type=int, default=1, help="networks (seeds) whose logits are averaged"
    )
    parser.add_argument("--cv-only", action="store_true")
    parser.add_argument("--only", choices=("text", "html"))
    parser.add_argument("--out", type=Path, default=ROOT / "reader" / "boilerplate")
    args = parser.parse_args()
    if not args.cv_only:
        args.out.mkdir(parents=True, exist_ok=True)
    for name in ("text", "html"):
        if args.only and name != args.only:
            continue
        features, labels, groups, spans = build(args.train, args.html, html=name == "html")
        lines = sum(len(y) for y in labels)
        print(f"{name}: {len(features)} pages, {lines} labelled lines, {len(set(groups))} sites")
        if args.folds > 1:
            cross_validate(
                features,
                labels,
                groups,
                spans,
                folds=args.folds,
                hidden=args.hidden,
                seed=args.seed,
                ensemble=args.ensemble,
            )
        if not args.cv_only:
            model = fit(
                np.vstack(features), np.concatenate(labels), args.hidden, args.seed, args.ensemble
            )
            target = args.out / f"line_model_{name}.npz"
            model.save(str(target))
            print(f"  wrote {target}")


if __name__ == "__main__":
    main()
