"""Score the boilerplate detector on line-labelled pages (dev set and seeds), alone or
side by side with other cleaners, on text and on the pages' HTML.

Usage:
    python bench/detector_quality.py [DIR ...] [--subset en] [--zone span] [--corpus]
                                     [--errors] [--split even|odd] [--limit N] [--write OUT]
    python bench/detector_quality.py --sets dev,train [--tools all] [--jobs 2]
                                     [--cache DIR] [--write DIR] [--limit N] [--errors]

DIR holds NAME.txt and NAME.labels.jsonl per page (`manifest.jsonl` with `lang` for
--subset). Default: ../shared/corpus/dev beside the repository (or beside a folder above
it, as for a git worktree) if present, plus the bundled seeds (`reader/demo` with
`tests/data/gold`). Each page is analysed on its own (as the hidden pages are scored)
unless --corpus, which gives every page the rest of its directory as cross-article
evidence.

Figures are micro precision/recall/F1 for boilerplate (positive class) and content,
computed as `shared/corpus/score.py` does with per-line labels; ambiguous lines are not
scored. --zone span keeps only lines inside the gold article span. --errors prints every
wrong line; --split scores every other page (cross-validation halves).

With --sets (or --tools) it prints one markdown table row per (set, input, tool), English
pages only unless --subset says otherwise, scored by the functions of the official
scorer (`score.py` beside the sets, or --scorer):

* text input: copydesk (`detect` on NAME.txt, scored by per-line labels as
  `score.py --labels`), copydesk-rules (the same with the line model off: the rules
  alone), jusText and boilerpy3 (each line of NAME.txt wrapped in <p>);
* HTML input (html/NAME.html.gz, decompressed to a temporary NAME.html): copydesk
  (`load_corpus` then `detect`, kept text = the lines not judged boilerplate) and
  trafilatura (`extract`, comments off, text output).

Kept text is mapped back onto the lines of NAME.txt by `score.kept_from_text`. Columns:
B-F1 and C-F1 over all lines, span B-F1 (`--zone span`), content precision and recall,
pages where nothing was kept, and the CPU seconds of the tool alone summed over pages
(reading the file included for HTML; decompression and scoring not). --cache DIR keeps
the peers' outputs (keyed by tool version and input) and the text-to-line mappings, so
later runs re-run only copydesk; --refresh re-runs the peers (to time them again).
--jobs N runs the peers and the mappings in N processes; copydesk runs alone first.
--write DIR keeps every output as DIR/SET/INPUT-TOOL/NAME.txt (NAME.pred.jsonl for
copydesk on text), which `score.py SETDIR DIR/SET/* --subset en` scores the same way.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import importlib.util
import json
import logging
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.boilerplate import Analysis, detect  # noqa: E402
from reader.corpus.loader import load_corpus  # noqa: E402
from reader.corpus.model import Article  # noqa: E402
from reader.corpus.text import normalize  # noqa: E402


def find_corpus(start: Path = ROOT) -> Path | None:
    """`shared/corpus` beside the repository, or beside a folder above it (a git worktree)."""
    for parent in start.parents:
        candidate = parent / "shared" / "corpus"
        if candidate.is_dir():
            return candidate
    return None


CORPUS = find_corpus() or ROOT.parent / "shared" / "corpus"
DEV = CORPUS / "dev"


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


def select_pages(
    pages: list, langs: dict[str, str], subset: str, split: str | None, limit: int | None
) -> list:
    """The pages of one language subset ('all', 'other' or a manifest lang), half, prefix."""
    if subset != "all" and langs:
        if subset == "other":
            pages = [p for p in pages if langs.get(p[0]) != "en"]
        else:
            pages = [p for p in pages if langs.get(p[0]) == subset]
    if split:
        pages = pages[0 if split == "even" else 1 :: 2]
    if limit is not None:
        pages = pages[:limit]
    return pages


def span_mask(records: list[dict]) -> list[bool]:
    body = [k for k, r in enumerate(records) if r["label"] == "content" and not r.get("headline")]
    lo, hi = (body[0], body[-1]) if body else (0, -1)
    return [lo <= k <= hi for k in range(len(records))]


def write_pred(path: Path, analysis: Analysis) -> None:
    """NAME.pred.jsonl: one {"line", "label"} per analysed line, as score.py reads it."""
    with open(path, "w", encoding="utf-8") as handle:
        for number in sorted(analysis.verdicts):
            label = analysis.verdicts[number].label
            handle.write(json.dumps({"line": number, "label": label}) + "\n")


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
            write_pred(write / f"{name}.pred.jsonl", analysis)
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


# --- Side by side: copydesk and other cleaners, on text and on HTML ----------------------

TOOLS = (
    "text:copydesk",
    "text:copydesk-rules",
    "text:justext",
    "text:boilerpy3",
    "html:copydesk",
    "html:trafilatura",
)
PEERS = {
    "text:justext": "jusText",
    "text:boilerpy3": "boilerpy3",
    "html:trafilatura": "trafilatura",
}
"""Peer tool -> the distribution whose version keys its cached outputs."""
BOILERPY3 = "CanolaExtractor"
"""boilerpy3's extractor with the best C-F1 and span B-F1 on the English dev + train pages
given as text (see bench/README.md)."""


def select_tools(spec: str) -> list[str]:
    """Tools named by a comma list: `text:justext`, an input (`html`), a tool (`copydesk`)."""
    chosen: set[str] = set()
    for item in (part.strip().lower() for part in spec.split(",")):
        if not item:
            continue
        matches = [t for t in TOOLS if item in ("all", t, *t.split(":"))]
        if not matches:
            raise ValueError(f"unknown tool {item!r} (one of {', '.join(TOOLS)}, text, html)")
        chosen.update(matches)
    return [t for t in TOOLS if t in chosen]


@dataclass
class Page:
    """One labelled page: its text (as copydesk reads it), labels, and original HTML."""

    name: str
    text: str
    records: list[dict]
    html: Path | None = None
    """NAME.html.gz, when the set has one for the page."""


def load_set(
    directory: Path, html_dir: Path | None, *, subset: str, split: str | None, limit: int | None
) -> list[Page]:
    found = select_pages(load_pages(directory), languages(directory), subset, split, limit)
    pages = []
    for name, text, records in found:
        gz = html_dir / f"{name}.html.gz" if html_dir is not None else None
        pages.append(Page(name, text, records, gz if gz is not None and gz.exists() else None))
    return pages


@cache
def load_scorer(path: Path) -> ModuleType:
    """The official scorer (`shared/corpus/score.py`) as a module."""
    spec = importlib.util.spec_from_file_location("corpus_score", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the scorer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_counts(records: list[dict], kept: list[bool], mask: list[bool], name: str) -> dict:
    """One page's counts, exactly as `score.score_dir` builds them for `score.summarize`."""
    c = dict(tp=0, fp=0, fn=0, tn=0, ch_all=0, ch_kept=0, ch_c=0, ch_c_kept=0, ch_b=0, ch_b_drop=0)
    for r, k, m in zip(records, kept, mask, strict=True):
        if not m:
            continue
        is_b = r["label"] == "boilerplate"
        n = len(r["text"].strip())
        c["ch_all"] += n
        c["ch_kept"] += n if k else 0
        if is_b:
            c["ch_b"] += n
            c["ch_b_drop"] += 0 if k else n
            c["tp" if not k else "fn"] += 1
        else:
            c["ch_c"] += n
            c["ch_c_kept"] += n if k else 0
            c["fp" if not k else "tn"] += 1
    c["name"] = name
    return c


@dataclass
class Scored:
    """What a tool kept of one page: a flag per label record (True = kept)."""

    name: str
    records: list[dict]
    kept: list[bool]
    missing: int = 0
    """Label records without a prediction (per-line labels only; they count as kept)."""


def summarize(scorer: ModuleType, scored: list[Scored], zone: str) -> dict:
    """score.py's metrics over `scored` pages for one zone ('all' or 'span')."""
    pages = [
        page_counts(s.records, s.kept, scorer.zone_mask(s.records, zone, False), s.name)
        for s in scored
    ]
    return scorer.summarize(pages, sum(s.missing for s in scored))


def kept_from_analysis(
    scorer: ModuleType, records: list[dict], analysis: Analysis, pred_path: Path
) -> tuple[list[bool], int]:
    """Per-line labels: write NAME.pred.jsonl and read it back with `score.kept_from_pred`."""
    write_pred(pred_path, analysis)
    return scorer.kept_from_pred(records, pred_path)


def kept_text(article: Article, analysis: Analysis) -> str:
    """The lines of `article` the detector keeps, in order."""
    return "\n".join(
        line.text
        for line in article.lines
        if line.text.strip() and not analysis.is_boilerplate(line.number)
    )


def lines_as_html(text: str) -> str:
    """Each non-empty line as one <p>, as bench/detector_speed.py feeds jusText."""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return f"<html><body>{body}</body></html>"


@cache
def _stoplist() -> frozenset[str]:
    import justext

    return justext.get_stoplist("English")


def run_justext(text: str) -> str:
    import justext

    paragraphs = justext.justext(lines_as_html(text), _stoplist())
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def run_boilerpy3(text: str, extractor: str = BOILERPY3) -> str:
    from boilerpy3 import extractors

    return getattr(extractors, extractor)().get_content(lines_as_html(text))


def run_trafilatura(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(data, include_comments=False, output_format="txt") or ""


def _quiet_worker() -> None:
    # trafilatura logs every page it finds too small or cannot parse
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def run_peer(task: tuple[str, str, str | Path]) -> tuple[str, float, str | None]:
    """Run one peer on one page: (kept text, CPU seconds of the tool, error or None).

    `task` is (tool, option, payload): the page text for text tools, the NAME.html.gz
    path for HTML ones (decompressed to a temporary NAME.html first, untimed).
    """
    tool, option, payload = task
    _quiet_worker()
    run: Callable[[], str]
    with tempfile.TemporaryDirectory(prefix="quality-") as tmp:
        if tool == "text:justext":
            _stoplist()

            def run() -> str:
                return run_justext(str(payload))
        elif tool == "text:boilerpy3":
            import boilerpy3.extractors  # noqa: F401  (imported before the clock starts)

            def run() -> str:
                return run_boilerpy3(str(payload), option)
        elif tool == "html:trafilatura":
            import trafilatura  # noqa: F401

            source = Path(payload)
            target = Path(tmp) / source.name.removesuffix(".gz")
            target.write_bytes(gzip.decompress(source.read_bytes()))

            def run() -> str:
                return run_trafilatura(target.read_bytes())
        else:
            raise ValueError(f"not a peer: {tool}")
        start = time.process_time()
        try:
            out, error = run(), None
        except Exception as exc:  # a peer failing on one page keeps nothing of it
            out, error = "", f"{type(exc).__name__}: {exc}"
        return out, time.process_time() - start, error


def _map_task(task: tuple[Path, list[dict], str, float]) -> list[bool]:
    scorer_path, records, text, threshold = task
    return load_scorer(scorer_path).kept_from_text(records, text, threshold)


class Cache:
    """JSON files under DIR/KIND/KEY.json; a None root caches nothing."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    @staticmethod
    def key(*parts: str | bytes) -> str:
        digest = hashlib.sha256()
        for part in parts:
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        return digest.hexdigest()[:32]

    def _path(self, kind: str, key: str) -> Path:
        assert self.root is not None
        return self.root / kind / f"{key}.json"

    def get(self, kind: str, key: str) -> Any:
        if self.root is None:
            return None
        try:
            return json.loads(self._path(kind, key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        if self.root is None:
            return
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(value), encoding="utf-8")
        partial.replace(path)


@dataclass
class Row:
    """One tool on one set: what it kept of each page, and its time."""

    set: str
    tool: str
    scored: list[Scored] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    """Kept text per page name (every tool but copydesk on text)."""
    analyses: dict[str, Analysis] = field(default_factory=dict)
    seconds: float = 0.0
    cached: int = 0
    """Pages whose output (and time) came from the cache."""
    failed: int = 0
    empty: int = 0


def _pool_map(function: Callable, tasks: list, jobs: int) -> Iterable:
    if jobs <= 1 or len(tasks) < 2:
        return map(function, tasks)
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        chunk = max(1, min(16, len(tasks) // (4 * jobs)))
        return list(pool.map(function, tasks, chunksize=chunk))
    finally:
        pool.shutdown()


_STARTED = time.perf_counter()


def _progress(message: str) -> None:
    print(f"[{time.perf_counter() - _STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


def run_copydesk_text(
    row: Row,
    pages: list[Page],
    scorer: ModuleType,
    pred_dir: Path,
    corpus: bool,
    line_model: bool = True,
) -> None:
    """copydesk on the pages' text; `line_model=False` scores the rules alone."""
    articles = [Article(text=p.text, source=p.name, name=p.name) for p in pages]
    for page, article in zip(pages, articles, strict=True):
        start = time.process_time()
        analysis = detect(article, articles if corpus else None, line_model=line_model)
        row.seconds += time.process_time() - start
        kept, missing = kept_from_analysis(
            scorer, page.records, analysis, pred_dir / f"{page.name}.pred.jsonl"
        )
        row.analyses[page.name] = analysis
        row.scored.append(Scored(page.name, page.records, kept, missing))
        row.empty += not any(kept)


def run_copydesk_html(row: Row, pages: list[Page]) -> None:
    with tempfile.TemporaryDirectory(prefix="quality-html-") as tmp:
        for page in pages:
            assert page.html is not None
            target = Path(tmp) / f"{page.name}.html"
            target.write_bytes(gzip.decompress(page.html.read_bytes()))
            start = time.process_time()
            loaded = load_corpus([target])
            text = ""
            if loaded.articles:
                article = loaded.articles[0]
                analysis = detect(article)
                text = kept_text(article, analysis)
            row.seconds += time.process_time() - start
            target.unlink()
            row.failed += not loaded.articles
            row.outputs[page.name] = text


def run_peers(
    rows: list[tuple[Row, list[Page]]], cache: Cache, jobs: int, refresh: bool, boilerpy3: str
) -> None:
    """Fill every peer row's outputs, from the cache or by running the tool (in a pool)."""
    todo: list[tuple[Row, str, str, tuple]] = []
    for row, pages in rows:
        distribution = PEERS[row.tool]
        option = boilerpy3 if row.tool == "text:boilerpy3" else ""
        version = metadata.version(distribution)
        kind = f"{row.tool.replace(':', '-')}-{version}{'-' + option if option else ''}"
        for page in pages:
            payload: str | Path
            if row.tool.startswith("html:"):
                assert page.html is not None
                payload, data = page.html, page.html.read_bytes()
            else:
                payload, data = page.text, page.text.encode("utf-8", "surrogatepass")
            key = Cache.key(row.tool, version, option, data)
            hit = None if refresh else cache.get(kind, key)
            if hit is not None:
                row.outputs[page.name] = hit["text"]
                row.seconds += hit["seconds"]
                row.failed += hit["error"] is not None
                row.cached += 1
            else:
                todo.append((row, page.name, f"{kind}\0{key}", (row.tool, option, payload)))
    if todo:
        _progress(f"running peers on {len(todo)} pages ({jobs} process(es))")
    results = _pool_map(run_peer, [task for *_, task in todo], jobs)
    for (row, name, where, _task), (text, seconds, error) in zip(todo, results, strict=True):
        kind, key = where.split("\0")
        cache.put(kind, key, {"text": text, "seconds": seconds, "error": error})
        row.outputs[name] = text
        row.seconds += seconds
        row.failed += error is not None


def map_outputs(
    rows: list[tuple[Row, list[Page]]], scorer_path: Path, cache: Cache, jobs: int, threshold: float
) -> None:
    """Map every kept text back onto the lines of NAME.txt (`score.kept_from_text`)."""
    source = scorer_path.read_bytes()
    todo: list[tuple[Row, Page, str]] = []
    done: dict[tuple[int, str], list[bool]] = {}
    for row, pages in rows:
        for page in pages:
            texts = json.dumps([r["text"] for r in page.records])
            key = Cache.key(source, repr(threshold), texts, row.outputs[page.name])
            hit = cache.get("kept", key)
            if hit is not None:
                done[id(row), page.name] = hit
            else:
                todo.append((row, page, key))
    if todo:
        _progress(f"mapping {len(todo)} outputs to lines ({jobs} process(es))")
    tasks = [(scorer_path, p.records, row.outputs[p.name], threshold) for row, p, _ in todo]
    for (row, page, key), kept in zip(todo, _pool_map(_map_task, tasks, jobs), strict=True):
        cache.put("kept", key, kept)
        done[id(row), page.name] = kept
    for row, pages in rows:
        for page in pages:
            kept = done[id(row), page.name]
            row.scored.append(Scored(page.name, page.records, kept))
            row.empty += not row.outputs[page.name].strip()


def write_outputs(row: Row, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in row.outputs.items():
        (directory / f"{name}.txt").write_text(text + "\n" if text else "", encoding="utf-8")


def print_errors(row: Row, zone: str, scorer: ModuleType) -> None:
    for scored in row.scored:
        mask = scorer.zone_mask(scored.records, zone, False)
        analysis = row.analyses.get(scored.name)
        for record, kept, scored_line in zip(scored.records, scored.kept, mask, strict=True):
            gold = record["label"] == "boilerplate"
            if not scored_line or gold != kept:
                continue
            what = "MISSED" if gold else "DROPPED"
            verdict = analysis.verdicts.get(record["line"]) if analysis else None
            kind = verdict.kind.value if verdict else "-"
            print(
                f"{row.set} {row.tool} {scored.name} {record['line']:4d} {what:7s} {kind:17s} "
                f"{record['text'][:90]!r}"
            )


def fmt(value: float | None) -> str:
    return "-" if value is None or value != value else f"{value:.3f}"


COLUMNS = (
    "set",
    "input",
    "tool",
    "pages",
    "B-F1",
    "C-F1",
    "span B-F1",
    "C-P",
    "C-R",
    "empty",
    "CPU s",
    "pages/s",
)
TABLE_HEAD = f"| {' | '.join(COLUMNS)} |\n|{'---|' * len(COLUMNS)}"


def table_row(row: Row, scorer: ModuleType) -> str:
    whole = summarize(scorer, row.scored, "all")
    span = summarize(scorer, row.scored, "span")
    source, tool = row.tool.split(":")
    pages = len(row.scored)
    rate = f"{pages / row.seconds:.1f}" if row.seconds > 0 else "-"
    mark = "*" if row.cached else ""
    failed = f" ({row.failed} failed)" if row.failed else ""
    return (
        f"| {row.set} | {source} | {tool} | {pages} | {fmt(whole['B_F1'])} | "
        f"{fmt(whole['C_F1'])} | {fmt(span['B_F1'])} | {fmt(whole['C_P'])} | "
        f"{fmt(whole['C_R'])} | {row.empty}{failed} | {row.seconds:.1f}{mark} | {rate}{mark} |"
    )


def resolve_set(spec: str, corpus: Path) -> tuple[str, Path]:
    path = Path(spec)
    if len(path.parts) == 1 and not path.exists():
        path = corpus / spec
    return path.name, path


def compare(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    corpus = args.corpus_dir
    scorer_path = (args.scorer or corpus / "score.py").resolve()
    scorer = load_scorer(scorer_path)
    tools = select_tools(args.tools or "all")
    for tool in tools:
        if tool in PEERS:
            try:
                metadata.version(PEERS[tool])
            except metadata.PackageNotFoundError:
                raise ValueError(
                    f"{PEERS[tool]} is not installed: pip install -e '.[bench]' "
                    "(or leave it out with --tools)"
                ) from None
    html_dir = args.html or corpus / "html"
    subset = args.subset or "en"
    cache = Cache(args.cache)
    sets = [resolve_set(s, corpus) for s in (args.sets or "dev,train").split(",") if s.strip()]

    rows: list[Row] = []
    peer_rows: list[tuple[Row, list[Page]]] = []
    mapped_rows: list[tuple[Row, list[Page]]] = []
    with tempfile.TemporaryDirectory(prefix="quality-pred-") as tmp:
        for label, directory in sets:
            pages = load_set(directory, html_dir, subset=subset, split=args.split, limit=args.limit)
            if not pages:
                print(f"{label}: no labelled pages in {directory}")
                continue
            with_html = [p for p in pages if p.html is not None]
            for tool in tools:
                row = Row(label, tool)
                todo = with_html if tool.startswith("html:") else pages
                if not todo:
                    continue
                rows.append(row)
                if tool in ("text:copydesk", "text:copydesk-rules"):
                    rules_only = tool.endswith("-rules")
                    _progress(f"{label}: {tool.split(':')[1]} on {len(pages)} text pages")
                    pred_dir = Path(tmp) / label / tool.split(":")[1]
                    if args.write is not None:
                        pred_dir = args.write / label / tool.replace(":", "-")
                    pred_dir.mkdir(parents=True, exist_ok=True)
                    run_copydesk_text(
                        row, pages, scorer, pred_dir, args.corpus, line_model=not rules_only
                    )
                elif tool == "html:copydesk":
                    _progress(f"{label}: copydesk on {len(todo)} HTML pages")
                    run_copydesk_html(row, todo)
                    mapped_rows.append((row, todo))
                else:
                    peer_rows.append((row, todo))
                    mapped_rows.append((row, todo))
        run_peers(peer_rows, cache, args.jobs, args.refresh, args.boilerpy3)
        map_outputs(mapped_rows, scorer_path, cache, args.jobs, args.keep_threshold)

    if args.write is not None:
        for row in rows:
            if row.outputs:
                write_outputs(row, args.write / row.set / row.tool.replace(":", "-"))
    if args.errors:
        for row in rows:
            print_errors(row, args.zone, scorer)
        print()

    names = ", ".join(f"{label} ({directory})" for label, directory in sets)
    print(f"subset={subset}; sets: {names}; scorer: {scorer_path}\n")
    print(TABLE_HEAD)
    for row in rows:
        print(table_row(row, scorer))
    print(
        "\nB-F1, C-F1, C-P, C-R: all lines; span B-F1: lines inside the gold article span "
        "(score.py --zone span). empty: pages with nothing kept. CPU s: the tool alone, "
        "summed over pages"
        + (
            "; * = timed when its output was cached (--refresh to time it again)"
            if any(r.cached for r in rows)
            else ""
        )
        + f". Whole run: {time.perf_counter() - started:.0f} s wall."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument(
        "--subset",
        help="'all', 'other' or a manifest lang such as 'en' (default: all; en with --sets)",
    )
    parser.add_argument("--zone", choices=("all", "span"), default="all")
    parser.add_argument("--corpus", action="store_true", help="use each directory as evidence")
    parser.add_argument("--errors", action="store_true", help="print every wrong line")
    parser.add_argument("--split", choices=("even", "odd"), help="score every other page")
    parser.add_argument("--limit", type=int, help="only the first N pages of each set")
    parser.add_argument(
        "--write",
        type=Path,
        help="also write NAME.pred.jsonl here (for shared/corpus/score.py); with --sets, "
        "every tool's output under DIR/SET/INPUT-TOOL/",
    )
    table = parser.add_argument_group("side by side (one table)")
    table.add_argument(
        "--sets",
        help="comma list of set names under --corpus-dir or paths "
        "(default with --tools: dev,train)",
    )
    table.add_argument(
        "--tools",
        help=f"comma list of {', '.join(TOOLS)}, or an input "
        "(text, html) or a tool (copydesk); default all",
    )
    table.add_argument(
        "--corpus-dir",
        type=Path,
        default=CORPUS,
        help=f"holds the sets, html/ and score.py (default {CORPUS})",
    )
    table.add_argument("--scorer", type=Path, help="score.py (default: in --corpus-dir)")
    table.add_argument("--html", type=Path, help="NAME.html.gz folder (default CORPUS/html)")
    table.add_argument("--jobs", type=int, default=1, help="processes for the peers")
    table.add_argument("--cache", type=Path, help="keep peer outputs and line mappings here")
    table.add_argument("--refresh", action="store_true", help="re-run cached peers")
    table.add_argument("--boilerpy3", default=BOILERPY3, help="boilerpy3 extractor class")
    table.add_argument(
        "--keep-threshold",
        type=float,
        default=0.5,
        help="as score.py: share of a line's tokens kept for it to count kept",
    )
    args = parser.parse_args()

    if args.sets is not None or args.tools is not None:
        if args.dirs:
            parser.error("give DIRs or --sets, not both")
        try:
            compare(args)
        except ValueError as error:
            parser.error(str(error))
        return

    subset = args.subset or "all"
    targets: list[tuple[str, Path, Path | None]] = []
    for directory in args.dirs or ([DEV] if DEV.exists() else []):
        targets.append((str(directory), directory, None))
    if not args.dirs:
        targets.append(("seeds", ROOT / "reader" / "demo", ROOT / "tests" / "data" / "gold"))

    for label, directory, gold_dir in targets:
        pages = select_pages(
            load_pages(directory, gold_dir), languages(directory), subset, args.split, args.limit
        )
        if not pages:
            print(f"{label}: no labelled pages")
            continue
        counts = score(
            pages, zone=args.zone, corpus=args.corpus, errors=args.errors, write=args.write
        )
        print(f"{label} [{subset}, zone={args.zone}]: {counts.row()}")


if __name__ == "__main__":
    main()
