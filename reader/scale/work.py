"""What is done to one block of items, in whichever process runs it (the main one, a pool
worker, a Dask worker): load the items, then count their short lines (pass 1) or classify
and render them against their sites' shared lines (pass 2).

Counted lines are the detector's own keys (`count_short_lines`), hashed with their site
into 64-bit integers, so the counts of a million articles fit in a few arrays and a key
means the same thing in every process (Python's `hash` differs between processes).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
import time
from collections.abc import Sequence
from hashlib import blake2b
from itertools import compress
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from reader import collector
from reader.boilerplate.detector import (
    SHARED_MIN_ARTICLES,
    count_short_lines,
    detect_with_shared,
)
from reader.boilerplate.model import Analysis
from reader.corpus.loader import (
    LoadProblem,
    iter_corpus,
    load_file,
    parse_bytes,
    parse_record,
)
from reader.corpus.model import Article
from reader.corpus.text import DecodeError, decode_bytes
from reader.export.writers import clean_article, render
from reader.scale.sources import Item, inner_suffix, open_decompressed, site_of

KEY_DTYPE = np.dtype("<u8")


class Options(NamedTuple):
    """How pass 2 renders each article (the `copydesk clean` flags that shape output)."""

    fmt: str = "txt"
    labels: bool = False
    drop_inline: bool = False
    explain: bool = False
    line_model: bool = True
    """Give the detector's line model its say (`--rules-only` turns it off)."""
    max_file_bytes: int = 50 * 1024 * 1024


class Counted(NamedTuple):
    """Pass 1 over a block: how much it held, what could not be loaded, its line keys."""

    articles: int
    text_bytes: int
    problems: list[str]
    keys: Any
    """One site-and-line key per distinct short line of each article (repeats across
    articles are what is counted): an array, or (keys, counts) once partly counted."""
    sites: frozenset[str]


class Output(NamedTuple):
    """Pass 2 over one article: what to write and what to say about it."""

    name: str
    article_id: str
    corpus: str | None
    source: str
    rendered: str
    explain: list[str]
    text_bytes: int
    detector_seconds: float = 0.0
    """CPU seconds the detector took over this article (`copydesk -v clean` sums them),
    so a run can tell the detector's cost from everything around it."""


def load_item(item: Item, max_file_bytes: int) -> list[Article | LoadProblem]:
    """The articles (or the reason there are none) in one item."""
    if item.kind == "record":
        return [parse_record(_decode_line(item.payload), item.source, item.stem, item.number)]
    if item.kind == "page":
        loaded = list(parse_bytes(item.payload, item.source, item.stem, ".html"))
        for article in loaded:
            if isinstance(article, Article):
                article.url = item.url
        return loaded
    if item.kind == "stdin":
        stdin = io.BytesIO(item.payload)
        return list(iter_corpus(["-"], max_file_bytes=max_file_bytes, stdin=stdin))
    path = Path(item.source)
    suffix, compression = inner_suffix(path.name)
    if not compression:
        return list(load_file(path, max_file_bytes=max_file_bytes))
    try:
        with open_decompressed(path) as handle:
            data = handle.read(max_file_bytes + 1)
    except (OSError, EOFError, ValueError) as error:
        return [LoadProblem(item.source, f"skipped: unreadable ({error})")]
    if len(data) > max_file_bytes:
        return [LoadProblem(item.source, "skipped: over the size limit (max_file_bytes)")]
    return list(parse_bytes(data, item.source, item.stem, suffix))


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return decode_bytes(raw)
        except DecodeError:
            return raw.decode("utf-8", "replace")


def line_keys(article: Article) -> list[str]:
    """The article's distinct short lines, normalized as the detector counts them."""
    return list(count_short_lines([article]))


SITE_KEY = "\n"
"""Counted once per article beside its lines: no line is a newline, so its count is the
number of the site's articles. Below `SHARED_MIN_ARTICLES` no line of the site can be
shared, and pass 2 skips hashing its articles' lines."""


def hash_keys(site: str, keys: Sequence[str]) -> bytes:
    """Each key with its site as 8 bytes (little-endian 64-bit), concatenated."""
    prefix = blake2b(site.encode("utf-8", "surrogatepass") + b"\0", digest_size=8)
    digests = []
    for key in keys:  # the site's state copied: its bytes are not hashed again per key
        hashed = prefix.copy()
        hashed.update(key.encode("utf-8", "surrogatepass"))
        digests.append(hashed.digest())
    return b"".join(digests)


class Kept(NamedTuple):
    """An article as pass 1 leaves it for pass 2: loaded, with its line keys and their
    hashes, so pass 2 neither loads, normalizes nor hashes it again."""

    article: Article
    keys: str
    """The article's distinct short-line keys (`line_keys`), joined by newlines (no key
    holds one): one string pickles and unpickles far faster than a list of them."""
    hashes: bytes
    """`hash_keys` of its site with `SITE_KEY` first, then each of `keys`."""


def count_block(
    block: Sequence[Item | LoadProblem], max_file_bytes: int, keep: str | None = None
) -> Counted:
    """Pass 1 over one block. With `keep` (a file path), the block's articles are pickled
    there with their keys (`Kept`), so that pass 2 reads them back instead of loading,
    rendering and hashing them again (`classify_block`)."""
    with collector.paused():  # the block's objects hold no cycles: collect once, after it
        return _count_block(block, max_file_bytes, keep)


def _count_block(
    block: Sequence[Item | LoadProblem], max_file_bytes: int, keep: str | None
) -> Counted:
    articles = text_bytes = 0
    problems: list[str] = []
    keys: list[bytes] = []
    sites: set[str] = set()
    kept: dict[int, list[Kept]] = {}
    for position, entry in enumerate(block):
        if isinstance(entry, LoadProblem):
            problems.append(str(entry))
            continue
        found: list[Kept] = []
        for loaded in load_item(entry, max_file_bytes):
            if isinstance(loaded, LoadProblem):
                problems.append(str(loaded))
                continue
            articles += 1
            text_bytes += len(loaded.text.encode("utf-8", "surrogatepass"))
            site = site_of(loaded.url, entry.site)
            sites.add(site)
            lines = line_keys(loaded)
            hashes = hash_keys(site, [SITE_KEY, *lines])
            keys.append(hashes)
            found.append(Kept(loaded, "\n".join(lines), hashes))
        if keep is not None:
            kept[position] = found
    if keep is not None:
        _keep(keep, kept)
    keyed = np.frombuffer(b"".join(keys), KEY_DTYPE)
    return Counted(articles, text_bytes, problems, keyed, frozenset(sites))


def _keep(path: str, kept: dict[int, list[Kept]]) -> None:
    """Pickle a block's loaded articles to `path` (whole or not at all: a temporary file
    renamed into place); a failed write only means pass 2 loads them again."""
    tmp = f"{path}.tmp"
    try:
        with open(tmp, "wb") as handle:
            pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _take_kept(path: str | None) -> dict[int, list[Kept]] | None:
    """The articles pass 1 kept for a block (`_keep`), removing the file; None if none."""
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            kept = pickle.load(handle)
    except FileNotFoundError:
        return None
    with contextlib.suppress(OSError):
        os.unlink(path)
    return kept


_shared_cache: tuple[object, np.ndarray] = (None, np.empty(0, KEY_DTYPE))


def _shared_keys(shared: str | np.ndarray | None) -> np.ndarray:
    """The sorted shared keys, loaded once per process: a path to a .npy file (mapped, so
    the workers of one machine share its pages) or the array a Dask worker holds."""
    global _shared_cache
    if shared is None:
        return _shared_cache[1][:0]
    token, found = _shared_cache
    if token is shared or (isinstance(shared, str) and token == shared):
        return found
    found = np.load(shared, mmap_mode="r") if isinstance(shared, str) else shared
    _shared_cache = (shared, found)
    return found


def is_shared(hashes: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """Which of `hashes` are among the sorted `shared` keys."""
    if not len(shared) or not len(hashes):
        return np.zeros(len(hashes), bool)
    where = np.searchsorted(shared, hashes)
    where[where == len(shared)] = 0
    return np.asarray(shared[where] == hashes)


def classify_block(
    block: Sequence[Item | LoadProblem] | None,
    shared: str | np.ndarray | None,
    options: Options,
    kept: str | None = None,
) -> list[Output]:
    """Pass 2 over one block: each article classified against its site's shared lines,
    cleaned and rendered. (Load problems were reported by pass 1.) `kept` names the file
    where pass 1 may have left the block's articles (`count_block`); when it did, the
    block itself is not needed (None: the main process need not read the input again)."""
    with collector.paused():  # one collection after the block, not one per article
        return _classify_block(block, shared, options, kept)


def _classify_block(
    block: Sequence[Item | LoadProblem] | None,
    shared: str | np.ndarray | None,
    options: Options,
    kept: str | None,
) -> list[Output]:
    shared_keys = _shared_keys(shared)
    loaded_before = _take_kept(kept)
    outputs: list[Output] = []
    if loaded_before is not None:
        for found in loaded_before.values():
            for before in found:
                outputs.append(classify(before.article, "", shared_keys, options, before))
        return outputs
    if block is None:
        raise RuntimeError(f"the articles pass 1 kept are gone: {kept}")
    for entry in block:
        if isinstance(entry, LoadProblem):
            continue
        for loaded in load_item(entry, options.max_file_bytes):
            if isinstance(loaded, Article):
                outputs.append(classify(loaded, entry.site, shared_keys, options))
    return outputs


def classify(
    article: Article,
    folder_site: str,
    shared_keys: np.ndarray,
    options: Options,
    kept: Kept | None = None,
) -> Output:
    """One article against the shared keys: its output and, with `explain`, its removals.
    `kept` holds its keys and hashes from pass 1, else they are computed here."""
    shared: set[str] | None = None
    if len(shared_keys):
        if kept is not None:
            hashes = np.frombuffer(kept.hashes, KEY_DTYPE)
            if is_shared(hashes[:1], shared_keys)[0]:
                keys = kept.keys.split("\n") if kept.keys else []
                shared = set(compress(keys, is_shared(hashes[1:], shared_keys).tolist()))
        else:
            site = site_of(article.url, folder_site)
            if _site_shares(site, shared_keys):
                keys = line_keys(article)
                hashes = np.frombuffer(hash_keys(site, keys), KEY_DTYPE)
                shared = set(compress(keys, is_shared(hashes, shared_keys).tolist()))
    started = time.process_time()
    analysis = detect_with_shared(article, shared or None, line_model=options.line_model)
    detector_seconds = time.process_time() - started
    explain: list[str] = []
    if options.labels:
        rendered = labels_lines(article, analysis)
    else:
        cleaned = clean_article(article, analysis, drop_inline_spans=options.drop_inline)
        rendered = render(cleaned, options.fmt)
        if options.explain:
            explain = explain_lines(article, analysis, cleaned.removed)
    return Output(
        article.name,
        article.id,
        article.meta.get("corpus"),
        article.source,
        rendered,
        explain,
        len(article.text.encode("utf-8", "surrogatepass")),
        detector_seconds,
    )


def _site_shares(site: str, shared_keys: np.ndarray) -> bool:
    """Whether the site has enough articles for any of its lines to be shared (its
    `SITE_KEY` counted often enough)."""
    return bool(is_shared(np.frombuffer(hash_keys(site, [SITE_KEY]), KEY_DTYPE), shared_keys)[0])


def labels_lines(article: Article, analysis: Analysis) -> str:
    """One JSON object per non-empty line: line, label, kind, reason, score."""
    out = []
    for number in sorted(analysis.verdicts):
        verdict = analysis.verdicts[number]
        out.append(
            json.dumps(
                {
                    "line": number,
                    "label": verdict.label,
                    "kind": str(verdict.kind),
                    "reason": verdict.reason,
                    "score": round(verdict.score, 4),
                },
                ensure_ascii=False,
            )
        )
    return "\n".join(out) + "\n" if out else ""


def explain_lines(article: Article, analysis: Analysis, removed: Sequence[int]) -> list[str]:
    """`--explain`: each removed line with its kind and reason."""
    lines = []
    for number in removed:
        verdict = analysis.verdicts[number]
        text = article.lines[number].text.strip()
        shown = text if len(text) <= 70 else text[:69] + "…"
        lines.append(f"{article.name}:{number + 1}: [{verdict.kind}] {verdict.reason}: {shown}")
    return lines


def unique_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys, how often each occurs): a partial count that `merge_counts` adds up."""
    return np.unique(keys, return_counts=True)


def merge_counts(*parts: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Add partial counts together (the reduction step of pass 1)."""
    keys = np.concatenate([part[0] for part in parts])
    counts = np.concatenate([part[1] for part in parts])
    distinct, inverse = np.unique(keys, return_inverse=True)
    return distinct, np.bincount(inverse, weights=counts, minlength=len(distinct)).astype(np.int64)


def shared_of(counts: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The keys counted in enough articles of their site to be shared chrome, sorted."""
    keys, seen = counts
    return np.sort(keys[seen >= SHARED_MIN_ARTICLES]).astype(KEY_DTYPE)
