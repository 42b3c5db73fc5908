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
import hashlib
import json
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

from reader.align.passages import (
    COMMON_SHARE,
    MAX_ARTICLES,
    MIN_SHARED_SHINGLES,
    MIN_WORDS,
    PARTIAL_BELOW,
    SHINGLE,
    THRESHOLD,
    align_corpus,
    content_lines,
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


def content_key(article: Article, analysis: Analysis, decisions: Mapping[int, bool]) -> str:
    """What an article's alignment depends on: its text, its content lines, the settings."""
    lines = ",".join(map(str, content_lines(analysis, decisions)))
    digest = hashlib.sha256(f"{_SETTINGS}|{article.id}|{lines}".encode())
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

    def pairs(self, keys: set[str]) -> list[tuple[str, str, float, float, list[Match]]]:
        """Every stored pair of two of `keys`."""
        with contextlib.closing(self._connect()) as connection:
            connection.execute("CREATE TEMP TABLE wanted (key TEXT PRIMARY KEY)")
            connection.executemany("INSERT INTO wanted VALUES (?)", [(k,) for k in keys])
            rows = connection.execute(
                "SELECT a, b, a_share, b_share, matches FROM pairs"
                " WHERE a IN (SELECT key FROM wanted) AND b IN (SELECT key FROM wanted)"
            ).fetchall()
        return [(a, b, x, y, [tuple(m) for m in json.loads(found)]) for a, b, x, y, found in rows]

    def store(
        self, rows: Sequence[tuple[str, str, float, float, list[Match]]], keys: Sequence[str]
    ) -> None:
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


def align_cached(
    articles: Sequence[Article],
    analyses: Sequence[Analysis],
    decisions: Sequence[Mapping[int, bool]],
    cache: AlignmentCache | None,
) -> Alignment:
    """The corpus's alignment: pairs of keys the cache knows are read from it, the
    others aligned (and stored). `alignment.computed` counts the articles aligned."""
    keys = [content_key(a, x, d) for a, x, d in zip(articles, analyses, decisions, strict=True)]
    wanted = set(keys)
    known: set[str] = set()
    if cache is not None:
        try:
            known = cache.best_run(wanted) & wanted
        except sqlite3.Error:
            cache = None
    missing = [index for index, key in enumerate(keys) if key not in known]
    rows: list[tuple[str, str, float, float, list[Match]]] = []
    if missing and len(articles) > 1:
        only = None if len(missing) == len(keys) else missing
        for (i, j), pair in align_corpus(articles, analyses, decisions, only=only).items():
            matches = [
                (m.a.line, m.a.start, m.a.end, m.b.line, m.b.start, m.b.end, m.score)
                for m in pair.matches
            ]
            rows.append((keys[i], keys[j], pair.a_shared, pair.b_shared, matches))
    stored = list(rows)
    if cache is not None:
        try:
            if known:
                fresh = {(a, b) for a, b, *_ in rows}
                stored += [row for row in cache.pairs(known) if (row[0], row[1]) not in fresh]
            if missing:
                cache.store(rows, keys)
        except sqlite3.Error:
            pass
    by_key = {key: article.id for key, article in zip(keys, articles, strict=True)}
    alignment = Alignment(computed=len(missing) if len(articles) > 1 else 0)
    alignment.cached = len(articles) - alignment.computed
    for a, b, a_share, b_share, matches in stored:
        if a in by_key and b in by_key:
            alignment.add_pair(by_key[a], by_key[b], a_share, b_share, matches)
    return alignment.finish()
