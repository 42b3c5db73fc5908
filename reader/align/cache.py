"""The alignment of a corpus, cached on disk by pairs of content keys.

Textual-free. An article's content key hashes its id (the content hash of its text),
the lines that count as content (the detector's verdicts with the user's decisions on
top) and the alignment's settings, so a decision that removes or keeps a line gives
the article a new key and its pairs are aligned again; nothing else is.

The cache is one SQLite file: `pairs` holds, for every pair of keys that shares a
passage, both sides' shares and the matches; `runs` holds the key sets aligned
together, so the absence of a pair means "shares nothing" for two keys of one run.
Reopening a corpus finds a run holding all its keys and aligns nothing; after a
decision, only the changed article is aligned (against an index of the whole corpus).
A cache that cannot be read or written is bypassed: alignment is computed afresh.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import pickle
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reader.align.passages import (
    COMMON_SHARE,
    MAX_ARTICLES,
    MIN_SHARED_SHINGLES,
    MIN_WORDS,
    PARTIAL_BELOW,
    SHINGLE,
    THRESHOLD,
    PairAlignment,
    align_sentences,
    content_lines,
    sentences_of,
)
from reader.align.shared import Alignment
from reader.boilerplate.model import Analysis
from reader.corpus.model import Article

CACHE_FILE = "alignment.sqlite3"
"""The cache's file name inside the cache directory (`reader.paths.cache_dir`)."""
KEEP_RUNS = 16
"""Key sets remembered (the corpora opened most recently, and their edited states)."""
VERSION = 1
"""Bumped when the stored shape or the alignment itself changes meaning."""
_SETTINGS = (
    VERSION, SHINGLE, MIN_WORDS, MIN_SHARED_SHINGLES, THRESHOLD, PARTIAL_BELOW, COMMON_SHARE,
    MAX_ARTICLES,
)  # fmt: skip

Match = tuple[int, int, int, int, int, int, float]
Row = tuple[str, str, float, float, list[Match]]
"""A stored pair: both keys, both shares, the matches (see `Alignment.add_pair`)."""


def content_key(article: Article, analysis: Analysis, decisions: Mapping[int, bool]) -> str:
    """What an article's alignment depends on: its text, its content lines, the settings."""
    return _key(article.id, content_lines(analysis, decisions))


def _key(article_id: str, lines: Sequence[int]) -> str:
    digest = hashlib.sha256(f"{_SETTINGS}|{article_id}|{','.join(map(str, lines))}".encode())
    return digest.hexdigest()[:40]


class AlignmentCache:
    """The SQLite file of aligned pairs and runs (opened per use, closed after)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=5)
        connection.executescript(
            "CREATE TABLE IF NOT EXISTS pairs (a TEXT, b TEXT, a_share REAL, b_share REAL,"
            " matches TEXT, PRIMARY KEY (a, b));"
            "CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " keys TEXT);"
        )
        return connection

    def best_run(self, keys: set[str]) -> set[str]:
        """The remembered key set sharing the most keys with `keys` (empty if none)."""
        with contextlib.closing(self._connect()) as connection:
            rows = connection.execute("SELECT keys FROM runs ORDER BY id DESC").fetchall()
        best: set[str] = set()
        for (stored,) in rows:
            run = set(stored.split(","))
            if len(run & keys) > len(best & keys):
                best = run
        return best

    def pairs(self, keys: set[str]) -> list[Row]:
        """Every stored pair of two of `keys`."""
        with contextlib.closing(self._connect()) as connection:
            connection.execute("CREATE TEMP TABLE wanted (key TEXT PRIMARY KEY)")
            connection.executemany("INSERT INTO wanted VALUES (?)", [(k,) for k in keys])
            rows = connection.execute(
                "SELECT a, b, a_share, b_share, matches FROM pairs"
                " WHERE a IN (SELECT key FROM wanted) AND b IN (SELECT key FROM wanted)"
            ).fetchall()
        return [(a, b, x, y, [tuple(m) for m in json.loads(found)]) for a, b, x, y, found in rows]

    def store(self, rows: Sequence[Row], keys: Sequence[str]) -> None:
        """Add aligned pairs and the run of `keys` they complete (forgetting old runs)."""
        with contextlib.closing(self._connect()) as connection, connection:
            connection.executemany(
                "INSERT OR REPLACE INTO pairs VALUES (?, ?, ?, ?, ?)",
                [(a, b, x, y, json.dumps(m)) for a, b, x, y, m in rows],
            )
            connection.execute("INSERT INTO runs (keys) VALUES (?)", (",".join(sorted(keys)),))
            connection.execute(
                "DELETE FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?)",
                (KEEP_RUNS,),
            )


PROCESS_FROM = 50
"""From this many articles the alignment runs in a separate process: in a thread it would
share the interpreter with the one drawing the reader, and on a busy machine a key could
wait a tenth of a second behind it. Below, a process would cost more than it saves."""


@dataclass
class Plan:
    """What an alignment run must do: every article's key and content lines, the keys the
    cache covers and the articles (by index) to align afresh."""

    articles: Sequence[Article]
    keys: list[str]
    lines: list[list[int]]
    known: set[str]
    missing: list[int]
    cache: AlignmentCache | None


def plan_alignment(
    articles: Sequence[Article],
    analyses: Sequence[Analysis],
    decisions: Sequence[Mapping[int, bool]],
    cache: AlignmentCache | None,
) -> Plan:
    """Keys for every article, and which of them the cache's best run covers."""
    lines = [content_lines(x, d) for x, d in zip(analyses, decisions, strict=True)]
    keys = [_key(a.id, found) for a, found in zip(articles, lines, strict=True)]
    wanted = set(keys)
    known: set[str] = set()
    if cache is not None:
        try:
            known = cache.best_run(wanted) & wanted
        except sqlite3.Error:
            cache = None
    missing = [index for index, key in enumerate(keys) if key not in known]
    return Plan(articles, keys, lines, known, missing, cache)


def compute_rows(
    texts: Sequence[str | bytes],
    lines: Sequence[Sequence[int]],
    keys: Sequence[str],
    only: list[int] | None,
) -> list[Row]:
    """Align texts (str, or UTF-8 bytes) by their content lines (a module-level function:
    it may run in another process, which gets only the texts, line numbers and keys)."""
    articles = [
        Article(text=t if isinstance(t, str) else t.decode("utf-8", "surrogatepass"), source="",
                name="")
        for t in texts
    ]  # fmt: skip
    enabled = gc.isenabled()
    gc.disable()  # many small objects, no cycles: collections would walk them again and again
    try:
        sentences = [sentences_of(a, found) for a, found in zip(articles, lines, strict=True)]
        rows: list[Row] = []
        for (i, j), matches in align_sentences(sentences, only).items():
            pair = PairAlignment(articles[i], articles[j], matches, sentences[i], sentences[j])
            found = [
                (m.a.line, m.a.start, m.a.end, m.b.line, m.b.start, m.b.end, m.score)
                for m in matches
            ]
            rows.append((keys[i], keys[j], pair.a_shared, pair.b_shared, found))
        return rows
    finally:
        if enabled:
            gc.enable()


def in_process(function: Callable[..., list[Row]], *args: object) -> list[Row]:
    """Run `compute_rows(*args)` in a child interpreter (`python -m reader.align.cache`,
    arguments and result pickled through its pipes; waiting on a pipe leaves this
    process's interpreter to the others), or here if the child cannot run.

    A plain child process rather than `multiprocessing`: it needs no re-import of the
    caller's `__main__` and no file descriptors of the caller's (the reader's terminal
    driver has replaced them)."""
    if function is not compute_rows:
        return function(*args)
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (package_root, env.get("PYTHONPATH"))))
    try:
        child = subprocess.run(
            [sys.executable, "-m", "reader.align.cache"],
            input=pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL),
            capture_output=True, env=env, check=True,
        )  # fmt: skip
        return pickle.loads(child.stdout)
    except (OSError, subprocess.CalledProcessError, pickle.UnpicklingError, EOFError):
        return function(*args)


def finish_alignment(plan: Plan, rows: list[Row]) -> Alignment:
    """Store the new rows, read the known ones, and index every article's passages."""
    stored = list(rows)
    cache = plan.cache
    if cache is not None:
        try:
            if plan.known:
                fresh = {(a, b) for a, b, *_ in rows}
                stored += [row for row in cache.pairs(plan.known) if (row[0], row[1]) not in fresh]
            if plan.missing:
                cache.store(rows, plan.keys)
        except sqlite3.Error:
            pass
    articles = plan.articles
    by_key = {key: article.id for key, article in zip(plan.keys, articles, strict=True)}
    alignment = Alignment(computed=len(plan.missing) if len(articles) > 1 else 0)
    alignment.cached = len(articles) - alignment.computed
    for a, b, a_share, b_share, matches in stored:
        if a in by_key and b in by_key:
            alignment.add_pair(by_key[a], by_key[b], a_share, b_share, matches)
    return alignment.finish()


def align_cached(
    articles: Sequence[Article],
    analyses: Sequence[Analysis],
    decisions: Sequence[Mapping[int, bool]],
    cache: AlignmentCache | None,
    *,
    process: bool | None = None,
) -> Alignment:
    """The corpus's alignment: pairs of keys the cache knows are read from it, the
    others aligned (and stored); `alignment.computed` counts the articles aligned.
    `process` runs the aligning in another process (default: from `PROCESS_FROM`
    articles)."""
    plan = plan_alignment(articles, analyses, decisions, cache)
    rows: list[Row] = []
    if plan.missing and len(articles) > 1:
        only = None if len(plan.missing) == len(articles) else plan.missing
        if process is None:
            process = len(articles) >= PROCESS_FROM
        if process:
            # Bytes, encoded one article at a time: the pickle sent to the process is then
            # a copy, not one long encoding that would hold the interpreter.
            texts = [a.text.encode("utf-8", "surrogatepass") for a in articles]
            rows = in_process(compute_rows, texts, plan.lines, plan.keys, only)
        else:
            rows = compute_rows([a.text for a in articles], plan.lines, plan.keys, only)
    return finish_alignment(plan, rows)


def _child() -> None:
    """`python -m reader.align.cache`: `compute_rows` on the pickled arguments on stdin,
    the pickled rows on stdout (only ever run by `in_process`, on its own pickle)."""
    args = pickle.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(pickle.dumps(compute_rows(*args), protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _child()
