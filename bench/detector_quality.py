"""Score the boilerplate detector on line-labelled pages (dev set and seeds).

Usage:
    python bench/detector_quality.py [DIR ...] [--subset en] [--zone span] [--corpus]
                                     [--errors] [--split even|odd]

DIR holds NAME.txt and NAME.labels.jsonl per page (`manifest.jsonl` with `lang` for
--subset). Default: ../shared/corpus/dev beside the repository if present, plus the
bundled seeds (`reader/demo` with `tests/data/gold`). Each page is analysed on its own
(as the hidden pages are scored) unless --corpus, which gives every page the rest of
its directory as cross-article evidence.

Figures are micro precision/recall/F1 for boilerplate (positive class) and content,
computed as `shared/corpus/score.py` does with per-line labels; ambiguous lines are not
scored. --zone span keeps only lines inside the gold article span. --errors prints every
wrong line; --split scores every other page (cross-validation halves).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.boilerplate import detect  # noqa: E402
from reader.corpus.model import Article  # noqa: E402
from reader.corpus.text import normalize  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "dev"


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    pages: list[str] = field(default_factory=list)

    def add(self, gold_boilerplate: bool, removed: bool) -> None:
        if gold_boilerplate:
            if removed:
                self.tp += 1
            else:
                self.fn += 1
        elif removed:
            self.fp += 1
        else:
            self.tn += 1

    def row(self) -> str:
        def f1(tp: int, fp: int, fn: int) -> float:
            return 2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) else 1.0

        def ratio(a: int, b: int) -> float:
            return a / b if b else float("nan")

        tp, fp, fn, tn = self.tp, self.fp, self.fn, self.tn
        return (
            f"B-P {ratio(tp, tp + fp):.3f}  B-R {ratio(tp, tp + fn):.3f}"
            f"  B-F1 {f1(tp, fp, fn):.3f}   "
            f"C-P {ratio(tn, tn + fn):.3f}  C-R {ratio(tn, tn + fp):.3f}"
            f"  C-F1 {f1(tn, fn, fp):.3f}   "
            f"(lines {self.tp + self.fp + self.fn + self.tn}, pages {len(self.pages)})"
        )


def load_pages(directory: Path, gold_dir: Path | None = None) -> list[tuple[str, str, list[dict]]]:
    """(name, text, label records) for every labelled page of `directory`."""
    gold_dir = gold_dir or directory
    pages = []
    for labels in sorted(gold_dir.glob("*.labels.jsonl")):
        name = labels.name[: -len(".labels.jsonl")]
        text_path = directory / f"{name}.txt"
        if not text_path.exists():
            continue
        text = normalize(text_path.read_text(encoding="utf-8", errors="replace"))
        with open(labels, encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
        pages.append((name, text, records))
    return pages


def languages(directory: Path) -> dict[str, str]:
    manifest = directory / "manifest.jsonl"
    if not manifest.exists():
        return {}
    with open(manifest, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {row["name"]: row.get("lang", "") for row in rows}


def span_mask(records: list[dict]) -> list[bool]:
    body = [k for k, r in enumerate(records) if r["label"] == "content" and not r.get("headline")]
    lo, hi = (body[0], body[-1]) if body else (0, -1)
    return [lo <= k <= hi for k in range(len(records))]


def score(
    pages: list[tuple[str, str, list[dict]]],
    *,
    zone: str,
    corpus: bool,
    errors: bool,
    write: Path | None = None,
) -> Counts:
    counts = Counts()
    articles = [Article(text=text, source=name, name=name) for name, text, _ in pages]
    for (name, _text, records), article in zip(pages, articles, strict=True):
        analysis = detect(article, articles if corpus else None)
        if write is not None:
            write.mkdir(parents=True, exist_ok=True)
            with open(write / f"{name}.pred.jsonl", "w", encoding="utf-8") as handle:
                for number in sorted(analysis.verdicts):
                    label = analysis.verdicts[number].label
                    handle.write(json.dumps({"line": number, "label": label}) + "\n")
        mask = span_mask(records) if zone == "span" else [True] * len(records)
        counts.pages.append(name)
        for record, keep in zip(records, mask, strict=True):
            if not keep or record["label"] == "ambiguous":
                continue
            verdict = analysis.verdicts.get(record["line"])
            removed = verdict is not None and verdict.boilerplate
            gold = record["label"] == "boilerplate"
            counts.add(gold, removed)
            if errors and gold != removed:
                what = "MISSED" if gold else "DROPPED"
                kind = verdict.kind.value if verdict else "-"
                print(f"{name} {record['line']:4d} {what:7s} {kind:17s} {record['text'][:90]!r}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--subset", default="all", help="'all' or a manifest lang such as 'en'")
    parser.add_argument("--zone", choices=("all", "span"), default="all")
    parser.add_argument("--corpus", action="store_true", help="use each directory as evidence")
    parser.add_argument("--errors", action="store_true", help="print every wrong line")
    parser.add_argument("--split", choices=("even", "odd"), help="score every other page")
    parser.add_argument(
        "--write", type=Path, help="also write NAME.pred.jsonl here (for shared/corpus/score.py)"
    )
    args = parser.parse_args()

    targets: list[tuple[str, Path, Path | None]] = []
    for directory in args.dirs or ([DEV] if DEV.exists() else []):
        targets.append((str(directory), directory, None))
    if not args.dirs:
        targets.append(("seeds", ROOT / "reader" / "demo", ROOT / "tests" / "data" / "gold"))

    for label, directory, gold_dir in targets:
        pages = load_pages(directory, gold_dir)
        langs = languages(directory)
        if args.subset != "all" and langs:
            if args.subset == "other":
                pages = [p for p in pages if langs.get(p[0]) != "en"]
            else:
                pages = [p for p in pages if langs.get(p[0]) == args.subset]
        if args.split:
            pages = pages[0 if args.split == "even" else 1 :: 2]
        if not pages:
            print(f"{label}: no labelled pages")
            continue
        counts = score(
            pages, zone=args.zone, corpus=args.corpus, errors=args.errors, write=args.write
        )
        print(f"{label} [{args.subset}, zone={args.zone}]: {counts.row()}")


if __name__ == "__main__":
    main()
