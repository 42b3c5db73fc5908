"""Train the detector's line models (text and HTML) from the labelled train/ pages.

Usage:
    python bench/train_line_model.py [--train DIR] [--html DIR] [--folds 5] [--seed 0]
                                     [--cv-only] [--hidden 32] [--ensemble 1]
                                     [--minimal-share S] [--only text|html]
                                     [--out reader/boilerplate]

For every page of train/ the rules run first (`reader.boilerplate.detector`), then each
non-empty line becomes one row of features (`reader.boilerplate.learned`) with its gold
label; ambiguous lines are left out. HTML rows come from `html/NAME.html.gz` rendered by
copydesk's own HTML reader, each rendered line matched to its labelled line by text.

Each page also gives a minimal page: its headline and content lines alone, or with up
to three of its menu lines above and two of its footer lines below (`minimal_page`), as
a reader-mode save, an already-cleaned corpus or a bare page looks. A share of them
(`--minimal-share`, `MINIMAL_SHARE`) is trained on beside the real pages, so the model does
not take the last lines of a page with no footer for one.

Cross-validation is grouped by site (manifest `domain`): no site is both trained on and
scored, as the detector meets sites nobody has seen. The minimal pages of the scored
sites give two more figures: how much of their article is removed, and how much of
their menu and footer is kept. It prints line-level B-F1 and C-F1
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
from collections.abc import Sequence
from difflib import SequenceMatcher
from html import escape
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
MINIMAL_SHARE = {"text": 0.0, "html": 0.25}
"""Share of the train pages whose minimal page is trained on beside the real pages, per
model. Without them the HTML model learned that the end of a page's outermost block is
its footer: cross-validated on train/, it removed 8.2% of the minimal pages' article
lines, 1.9% with a quarter of them trained on, real pages no worse (bench/README.md);
for text the same share cost half a point of C-F1 on real pages."""


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


def minimal_page(records: list[dict], variant: int, *, html: bool) -> tuple[str, list[dict]]:
    """The page with its article alone, or with a little chrome around it: its headline
    and content lines, then (`variant` 1 and 2) up to three of the boilerplate lines
    above the article as a menu, and (`variant` 2) up to two of those below it as a
    footer. A reader-mode save, an already-cleaned corpus or a bare page looks like
    this. Returns the source and the records it is made of, in order."""
    headline = [r for r in records if r["label"] == "content" and r.get("headline")][:1]
    body = [r for r in records if _in_body(r)]
    content = [i for i, r in enumerate(records) if r["label"] == "content"]
    if not content:
        return "", []
    above = [r for r in records[: content[0]] if r["label"] == "boilerplate"]
    below = [r for r in records[content[-1] + 1 :] if r["label"] == "boilerplate"]
    menu = above[:3] if variant >= 1 else []
    footer = below[-2:] if variant >= 2 else []
    used = menu + headline + body + footer
    if not html:
        return "\n\n".join(r["text"] for r in used), used
    title = f"<title>{escape(headline[0]['text'])}</title>" if headline else ""
    items = "".join(f'<li><a href="/{n}">{escape(r["text"])}</a></li>' for n, r in enumerate(menu))
    parts = [f"<header><nav><ul>{items}</ul></nav></header>"] if menu else []
    article = [f"<h1>{escape(r['text'])}</h1>" for r in headline]
    article += [f"<p>{escape(r['text'])}</p>" for r in body]
    parts.append(f"<main><article>{''.join(article)}</article></main>")
    if footer:
        notes = "".join(f"<p>{escape(r['text'])}</p>" for r in footer)
        parts.append(f"<footer>{notes}</footer>")
    return f"<html><head>{title}</head><body>{''.join(parts)}</body></html>", used


def build(train: Path, html_dir: Path, *, html: bool) -> tuple[list, list, list, list, list]:
    """Per page: features, labels, site, which labelled lines lie in the gold span, and
    whether the page is a minimal one made from a real one (`minimal_page`: one after each
    real page, its variant by turns)."""
    sites = manifest(train)
    features, labels, groups, spans, minimal = [], [], [], [], []

    def add(x: np.ndarray, y: np.ndarray, inside: np.ndarray, site: str, made: bool) -> None:
        features.append(x)
        labels.append(y)
        groups.append(site)
        spans.append(inside)
        minimal.append(made)

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
        if not len(y):
            continue
        site = row.get("domain") or name
        add(x, y, inside, site, made=False)
        # The variants by turns, counted over every page built so far.
        source, used = minimal_page(records, len(features) % 3, html=html)
        if used:
            x, y = minimal_rows(source, used, name, html)
            if len(y):
                add(x, y, np.ones(len(y), dtype=bool), site, made=True)
    return features, labels, groups, spans, minimal


def minimal_rows(
    source: str, records: list[dict], name: str, html: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of a minimal page's lines (`minimal_page`)."""
    if html:
        page = render_html(source)
        article = Article(text=normalize(page.text), source=name, name=name, markup=page.markup)
    else:
        article = Article(text=normalize(source), source=name, name=name)
    placed = rendered_gold(article.text, records)
    gold = {number: record["label"] for number, record in placed.items()}
    x, y, _inside = page_rows(article, gold, html)
    return x, y


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


def training_pages(pages: Sequence[int], minimal: list[bool], minimal_share: float) -> list[int]:
    """The real pages among `pages`, and every `1 / minimal_share`-th of their minimal
    pages (none at 0), in order."""
    chosen: list[int] = []
    made = 0.0
    for page in pages:
        if not minimal[page]:
            chosen.append(page)
            continue
        made += minimal_share
        if made >= 1.0:
            made -= 1.0
            chosen.append(page)
    return chosen


def cross_validate(
    features,
    labels,
    groups,
    spans,
    minimal,
    *,
    folds: int,
    hidden: int,
    seed: int,
    ensemble: int = 1,
    minimal_share: float = 0.0,
) -> None:
    """Site-grouped folds: the model is fitted on the other folds' pages (and a share of
    their minimal pages), scored on this fold's real pages; its minimal pages say how
    much of an article with little or nothing around it the detector would remove."""
    from sklearn.model_selection import GroupKFold

    pages = np.arange(len(features))
    all_gold, all_rules, all_probability, all_inside = [], [], [], []
    tally = np.zeros((2, 2, 2))  # minimal pages: [rules, model][content, chrome][kept, removed]
    splitter = GroupKFold(n_splits=folds)
    for fold, (train_pages, test_pages) in enumerate(splitter.split(pages, groups=groups)):
        fitted_on = training_pages(train_pages, minimal, minimal_share)
        x = np.vstack([features[i] for i in fitted_on])
        y = np.concatenate([labels[i] for i in fitted_on])
        model = fit(x, y, hidden, seed, ensemble)
        scored = [i for i in test_pages if not minimal[i]]
        gold = np.concatenate([labels[i] for i in scored]).astype(bool)
        x_test = np.vstack([features[i] for i in scored])
        rules = x_test[:, RULE_BOILERPLATE] > 0.5
        probability = model.probabilities(x_test)
        all_gold.append(gold)
        all_rules.append(x_test)
        all_probability.append(probability)
        all_inside.append(np.concatenate([spans[i] for i in scored]))
        b, c = f1s(gold, decide(x_test, probability, OVERRULE))
        print(
            f"  fold {fold}: rules B-F1 {f1s(gold, rules)[0]:.3f} C-F1 {f1s(gold, rules)[1]:.3f}"
            f"  with the model B-F1 {b:.3f} C-F1 {c:.3f}",
            flush=True,
        )
        for i in test_pages:
            if minimal[i]:
                chrome = labels[i].astype(bool)
                ruled = features[i][:, RULE_BOILERPLATE] > 0.5
                removed = decide(features[i], model.probabilities(features[i]), OVERRULE)
                for who, verdict in enumerate((ruled, removed)):
                    for label, lines in enumerate((~chrome, chrome)):
                        tally[who, label, 1] += np.sum(verdict & lines)
                        tally[who, label, 0] += np.sum(~verdict & lines)
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
    if tally.sum():
        lost = tally[:, 0, 1] / np.maximum(tally[:, 0].sum(axis=1), 1)
        kept = tally[:, 1, 0] / np.maximum(tally[:, 1].sum(axis=1), 1)
        print(
            f"  minimal pages ({int(tally[0, 0].sum())} article lines,"
            f" {int(tally[0, 1].sum())} menu and footer lines): article removed"
            f" {lost[0]:.1%} by the rules, {lost[1]:.1%} with the model; menu and footer"
            f" kept {kept[0]:.1%} by the rules, {kept[1]:.1%} with the model"
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
    parser.add_argument(
        "--minimal-share",
        type=float,
        help="share of the pages whose minimal page (the article alone, or with a little "
        "menu and footer) joins the training pages (default: text 0, html 0.25)",
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
        features, labels, groups, spans, minimal = build(args.train, args.html, html=name == "html")
        minimal_share = MINIMAL_SHARE[name] if args.minimal_share is None else args.minimal_share
        real = [i for i, made in enumerate(minimal) if not made]
        lines = sum(len(labels[i]) for i in real)
        print(f"{name}: {len(real)} pages, {lines} labelled lines, {len(set(groups))} sites")
        if args.folds > 1:
            cross_validate(
                features,
                labels,
                groups,
                spans,
                minimal,
                folds=args.folds,
                hidden=args.hidden,
                seed=args.seed,
                ensemble=args.ensemble,
                minimal_share=minimal_share,
            )
        if not args.cv_only:
            fitted_on = training_pages(range(len(features)), minimal, minimal_share)
            model = fit(
                np.vstack([features[i] for i in fitted_on]),
                np.concatenate([labels[i] for i in fitted_on]),
                args.hidden,
                args.seed,
                args.ensemble,
            )
            target = args.out / f"line_model_{name}.npz"
            model.save(str(target))
            print(f"  wrote {target}")


if __name__ == "__main__":
    main()
