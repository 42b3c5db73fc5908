"""Dump every detector verdict, to check that a speed change leaves the output alone.

Usage:
    python bench/detector_dump.py OUT [DIR ...] [--html HTMLDIR]

For every .txt page of each DIR (default: ../shared/corpus/dev and reader/demo), one
page at a time, and then with `detect_corpus` over each DIR, it writes each line's
verdict (line, boilerplate, kind, reason, score to 4 places, spans) and the headline,
author and date to OUT. With `--html HTMLDIR`, every NAME.html.gz there is loaded as
`copydesk` loads it (the HTML path) and its verdicts are dumped too. Dump before a change
and after it, then diff the two files.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.boilerplate import Analysis, detect, detect_corpus  # noqa: E402
from reader.corpus.loader import load_corpus  # noqa: E402
from reader.corpus.model import Article  # noqa: E402
from reader.corpus.text import normalize  # noqa: E402

DEFAULT_DIRS = (ROOT.parent / "shared" / "corpus" / "dev", ROOT / "reader" / "demo")


def load(directory: Path) -> list[Article]:
    articles = []
    for path in sorted(directory.glob("*.txt")):
        text = normalize(path.read_text(encoding="utf-8", errors="replace"))
        articles.append(Article(text=text, source=str(path), name=path.stem))
    return articles


def dump(label: str, article: Article, analysis: Analysis, out: list[str]) -> None:
    out.append(f"== {label} {article.name} text={zlib.crc32(article.text.encode('utf-8')):08x}")
    out.append(f"headline={analysis.headline!r} author={analysis.author!r} date={analysis.date!r}")
    for number in sorted(analysis.verdicts):
        verdict = analysis.verdicts[number]
        spans = [(span.start, span.end, str(span.kind), span.reason) for span in verdict.spans]
        out.append(
            f"{verdict.line}\t{verdict.boilerplate}\t{verdict.kind}\t{verdict.reason}\t"
            f"{round(verdict.score, 4)}\t{spans}"
        )


def main() -> None:
    args = sys.argv[1:]
    html_dir = None
    if "--html" in args:
        at = args.index("--html")
        html_dir = Path(args[at + 1])
        del args[at : at + 2]
    target = Path(args[0])
    directories = [Path(arg) for arg in args[1:]] or list(DEFAULT_DIRS)
    out: list[str] = []
    for directory in directories:
        articles = load(directory)
        for article in articles:
            dump("page", article, detect(article), out)
        for article, analysis in zip(articles, detect_corpus(articles), strict=True):
            dump("corpus", article, analysis, out)
    if html_dir is not None:
        for path in sorted(html_dir.glob("*.html.gz")):
            for article in load_corpus([path]).articles:
                dump("html", article, detect(article), out)
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{len(out)} lines written to {target}")


if __name__ == "__main__":
    main()
