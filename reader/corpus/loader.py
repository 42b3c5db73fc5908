"""Load a corpus from files, directories, jsonl corpora and stdin.

Bad input never stops the rest: each file that cannot be loaded yields one
`LoadProblem` naming it and the reason, and every other article still loads.
"""

from __future__ import annotations

import errno
import io
import json
import logging
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from reader.config import DEFAULT_MAX_FILE_BYTES
from reader.corpus.model import Article
from reader.corpus.text import DecodeError, decode_bytes, normalize, one_line

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
COMPRESSED_SUFFIXES = frozenset({".gz"})
"""`NAME.html.gz`, `NAME.txt.gz`, `NAME.jsonl.gz`: read as the suffix before it says."""
STDIN = "-"
NOT_REGULAR = "skipped: not a regular file"
"""The problem reported for a FIFO, socket or device, which is never opened for reading."""


class LoadProblem(NamedTuple):
    """A file (or jsonl record) that could not be loaded, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)


def load_corpus(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    stdin: BinaryIO | None = None,
) -> LoadResult:
    """Load every article named by `inputs` (files, directories, or `-` for stdin)."""
    result = LoadResult()
    for item in iter_corpus(inputs, max_file_bytes=max_file_bytes, stdin=stdin):
        if isinstance(item, Article):
            result.articles.append(item)
        else:
            result.problems.append(item)
    return result


def iter_corpus(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Article | LoadProblem]:
    """Yield articles and problems one by one, so callers can show progress."""
    for raw in inputs:
        if str(raw) == STDIN:
            yield from _load_stdin(stdin or sys.stdin.buffer, max_file_bytes)
            continue
        path = Path(raw)
        try:
            info = path.stat()
        except OSError as error:
            yield LoadProblem(str(path), _os_reason(error))
            continue
        if stat.S_ISDIR(info.st_mode):
            for file_path_or_problem in _walk(path):
                if isinstance(file_path_or_problem, LoadProblem):
                    yield file_path_or_problem
                else:
                    yield from load_file(file_path_or_problem, max_file_bytes=max_file_bytes)
        elif not stat.S_ISREG(info.st_mode):
            yield LoadProblem(str(path), NOT_REGULAR)
        else:
            yield from load_file(path, max_file_bytes=max_file_bytes)


def walk_files(
    top: Path, suffixes: frozenset[str] = SUPPORTED_SUFFIXES
) -> Iterator[Path | LoadProblem]:
    """Files below `top` whose name ends in one of `suffixes` (".txt", ".jsonl.gz"), sorted,
    following links but never around a loop; unreadable entries are `LoadProblem`s."""
    return _walk(top, suffixes)


def _walk(
    top: Path, suffixes: frozenset[str] = SUPPORTED_SUFFIXES
) -> Iterator[Path | LoadProblem]:
    """Supported files below `top`, sorted, following links but never around a loop."""
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            info = directory.stat()
        except OSError as error:
            yield LoadProblem(str(directory), _os_reason(error))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            yield LoadProblem(str(directory), "skipped: symlink loop (directory already visited)")
            continue
        seen.add(key)
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            yield LoadProblem(str(directory), _os_reason(error))
            continue
        subdirectories: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            entry_path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError as error:
                yield LoadProblem(entry.path, _os_reason(error))
                continue
            if is_dir:
                subdirectories.append(entry_path)
            elif is_file:
                if _has_suffix(entry_path, suffixes):
                    yield entry_path
            else:
                try:
                    entry_path.stat()
                except OSError as error:
                    if entry.is_symlink():
                        yield LoadProblem(entry.path, _os_reason(error))
                    continue
                if _has_suffix(entry_path, suffixes):
                    # A FIFO, socket or device: opening it could block forever.
                    yield LoadProblem(entry.path, NOT_REGULAR)
        stack.extend(reversed(subdirectories))


def _has_suffix(path: Path, suffixes: frozenset[str]) -> bool:
    if suffixes is SUPPORTED_SUFFIXES:
        return _inner_suffix(path) in suffixes
    name = path.name.lower()
    return any(name.endswith(suffix) for suffix in suffixes)


def load_file(
    path: Path, *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> Iterator[Article | LoadProblem]:
    """Load one file by its suffix (unknown suffixes are read as plain text)."""
    source = str(path)
    stem, suffix = path.stem, path.suffix.lower()
    try:
        data = _read_limited(path, max_file_bytes)
        if suffix in COMPRESSED_SUFFIXES:
            data = _gunzip_limited(data, max_file_bytes)
            stem, suffix = Path(stem).stem, _inner_suffix(path)
    except _TooLarge as error:
        yield LoadProblem(source, str(error))
        return
    except (OSError, EOFError, zlib.error) as error:
        reason = _os_reason(error) if isinstance(error, OSError) and error.errno else None
        yield LoadProblem(source, reason or f"skipped: not a readable gzip file ({error})")
        return
    log.debug("%s: %d bytes, read as %s", source, len(data), suffix or "text")
    yield from _parse(data, source, stem, suffix)


def _inner_suffix(path: Path) -> str:
    """The suffix that says how to read a file: `.html` for both `a.html` and `a.html.gz`."""
    suffix = path.suffix.lower()
    if suffix in COMPRESSED_SUFFIXES:
        return Path(path.stem).suffix.lower()
    return suffix


def _gunzip_limited(data: bytes, limit: int) -> bytes:
    """Decompress gzip data, refusing output over `limit` bytes (a gzip bomb stops there)."""
    import gzip  # only for .gz inputs

    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        out = stream.read(limit + 1)
    if len(out) > limit:
        raise _TooLarge(
            f"skipped: over the {_human(limit)} limit once decompressed (max_file_bytes)"
        )
    return out


def parse_bytes(
    data: bytes, source: str, stem: str, suffix: str
) -> Iterator[Article | LoadProblem]:
    """The articles in one file's bytes, read as its `suffix` (".txt", ".html", ".jsonl")."""
    return _parse(data, source, stem, suffix)


def _parse(data: bytes, source: str, stem: str, suffix: str) -> Iterator[Article | LoadProblem]:
    if not data.strip():
        yield LoadProblem(source, "skipped: empty file")
        return
    try:
        decoded = decode_bytes(data)
    except DecodeError as error:
        yield LoadProblem(source, f"skipped: {error}")
        return
    if suffix in JSONL_SUFFIXES:
        yield from _parse_jsonl(decoded, source, stem)
        return
    title = ""
    markup = None
    if suffix in HTML_SUFFIXES:
        from reader.corpus.html import render_html  # the HTML parser loads on first use

        page = render_html(decoded)
        title, decoded, markup = page.title, page.text, page.markup
    # Normalizing keeps every newline, so the markup's line numbers still hold.
    text = normalize(decoded)
    if not text.strip():
        yield LoadProblem(source, "skipped: no text")
        return
    if suffix in (".md", ".markdown"):
        title = _markdown_title(text)
    yield Article(
        text=text, source=source, name=stem, title=normalize(title).strip(), markup=markup
    )


def _markdown_title(text: str) -> str:
    for line in text.split("\n", 200)[:200]:
        stripped = line.strip()
        if stripped.startswith("# "):
            return stripped[2:].strip()
    return ""


def _parse_jsonl(decoded: str, source: str, stem: str) -> Iterator[Article | LoadProblem]:
    """The records of a jsonl corpus, each an article; a file that is not one says so once.

    A file of line labels (see `is_label_record`) is skipped whole, in one problem, rather
    than read as one "article" per labelled line; a file none of whose records has a
    string `text` gives one problem naming the fields it has, not one per record.
    """
    loaded = records = 0
    held: list[LoadProblem] = []  # per-record problems, until a record loads
    fields: set[str] = set()
    for number, raw_line in enumerate(decoded.split("\n"), start=1):
        if not raw_line.strip():
            continue
        records += 1
        if records == 1 and is_label_record(_json_object(raw_line)):
            yield LoadProblem(source, LABELS_REASON)
            return
        item = parse_record(raw_line, source, stem, number)
        if isinstance(item, Article):
            loaded += 1
            yield from held
            held.clear()
            yield item
        elif loaded:
            yield item
        else:
            held.append(item)
            if len(fields) < 50:
                fields.update(_json_object(raw_line) or ())
    if loaded == 0:
        yield LoadProblem(source, _no_usable_records(records, held, fields))
        return
    log.info("%s: read %d of %d records as articles", source, loaded, records)


LABELS_REASON = "skipped: line labels (records with 'line' and 'label'), not articles"


def is_label_record(record: object) -> bool:
    """Whether a jsonl record labels one line of an article (`clean --labels` output, the
    gold `*.labels.jsonl` files): an integer `line` and a `label`, rather than an article."""
    return (
        isinstance(record, dict)
        and isinstance(record.get("line"), int)
        and "label" in record
    )


def _json_object(raw_line: str) -> dict | None:
    try:
        record = json.loads(raw_line)
    except (json.JSONDecodeError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


def _no_usable_records(records: int, problems: list[LoadProblem], fields: set[str]) -> str:
    """Why a jsonl file gave no article, in one line."""
    if problems and all(p.reason == NO_TEXT_REASON for p in problems):
        found = ", ".join(sorted(one_line(f)[:40] for f in fields)[:8]) or "none"
        return (f"skipped: no usable records: none of its {records} records has a string "
                f"'text' field (fields found: {found})")
    reasons = sorted({p.reason.removeprefix("skipped: ") for p in problems})
    return f"skipped: no usable records in {records} ({'; '.join(reasons)[:200]})"


NO_TEXT_REASON = "skipped: record has no string 'text' field"


def parse_record(raw_line: str, source: str, stem: str, number: int) -> Article | LoadProblem:
    """One jsonl record (line `number` of `source`, a corpus named `stem`) as an article."""
    where = f"{source}#{number}"
    try:
        record = json.loads(raw_line)
    except (json.JSONDecodeError, RecursionError) as error:
        return LoadProblem(where, f"skipped: not a JSON object ({error})")
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return LoadProblem(where, NO_TEXT_REASON)
    text = normalize(record["text"])
    if not text.strip():
        return LoadProblem(where, "skipped: empty 'text'")
    title = record.get("title")
    url = record.get("url")
    record_id = record.get("id")
    name = _safe_stem(str(record_id)) if isinstance(record_id, (str, int)) else f"{stem}-{number}"
    meta = {"corpus": stem}
    if record_id is not None:
        meta["id"] = str(record_id)
    return Article(
        text=text,
        source=where,
        name=name or f"{stem}-{number}",
        title=normalize(title).strip() if isinstance(title, str) else "",
        url=url if isinstance(url, str) else None,
        meta=meta,
    )


def safe_stem(value: str) -> str:
    """`value` cut down to a file-name stem (letters, digits, `-_.`)."""
    return _safe_stem(value)


def _safe_stem(value: str) -> str:
    kept = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in value.strip())
    return kept.strip("._")[:120]


def _load_stdin(stream: BinaryIO, max_file_bytes: int) -> Iterator[Article | LoadProblem]:
    data = stream.read(max_file_bytes + 1)
    if len(data) > max_file_bytes:
        yield LoadProblem("<stdin>", f"skipped: larger than the {_human(max_file_bytes)} limit")
        return
    suffix = ".jsonl" if data.lstrip()[:1] == b"{" else ".txt"
    if data.lstrip()[:1] == b"<" and b"<html" in data[:4096].lower():
        suffix = ".html"
    yield from _parse(data, "<stdin>", "stdin", suffix)


class _TooLarge(Exception):
    pass


def open_regular(path: Path) -> BinaryIO:
    """Open `path` for reading only if it is a regular file, without ever blocking.

    `O_NONBLOCK` keeps the open of a FIFO with no writer from hanging (a plain open
    waits for one forever); anything but a regular file raises `OSError(EINVAL)`.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_limited(path: Path, limit: int) -> bytes:
    with open_regular(path) as handle:
        info = os.fstat(handle.fileno())
        if info.st_size > limit:
            raise _TooLarge(
                f"skipped: {_human(info.st_size)}, over the {_human(limit)} limit (max_file_bytes)"
            )
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise _TooLarge(f"skipped: over the {_human(limit)} limit (max_file_bytes)")
    return data


def _human(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def _os_reason(error: OSError) -> str:
    reasons = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENOENT: "no such file or directory",
        errno.ELOOP: "symlink loop",
        errno.EISDIR: "is a directory",
        errno.EINVAL: "not a regular file",
    }
    return "skipped: " + reasons.get(error.errno or 0, error.strerror or str(error))
