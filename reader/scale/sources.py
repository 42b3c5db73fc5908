"""Lazy input for corpus-scale cleaning: the inputs become a stream of small work items.

The main process only walks directories and splits containers (jsonl lines, WARC
records) into items; reading, decompressing and parsing a file happens where the item
is processed (a worker). Nothing here holds more than one container record at a time, so
memory does not grow with the corpus.

Every item carries the *site* its articles count their repeated lines against: the
folder the input came from; a worker replaces it with the host of the article's URL when
the article has one (`site_of`).
"""

from __future__ import annotations

import codecs
import io
import json
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple
from urllib.parse import urlsplit

from reader.corpus.loader import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    LABELS_REASON,
    NOT_REGULAR,
    STDIN,
    TEXT_SUFFIXES,
    LoadProblem,
    is_label_record,
    open_regular,
    safe_stem,
    walk_files,
)

COMPRESSIONS = (".gz", ".zst")
"""Compressed inputs read as the file inside them (`pages.jsonl.gz`, `story.txt.zst`)."""
WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.zst")
"""Web archives: plain, gzipped per record, or zstd-compressed per record (with the
optional dictionary of the WARC zstd convention in a leading skippable frame)."""
PLAIN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
INPUT_SUFFIXES = frozenset(
    {*PLAIN_SUFFIXES, *WARC_SUFFIXES}
    | {suffix + compression for suffix in PLAIN_SUFFIXES for compression in COMPRESSIONS}
)
"""Every file name ending a directory walk picks up."""

BLOCK_ITEMS = 64
"""Items per block: the unit sent to a worker, and the unit a resumed run skips."""
BLOCK_BYTES = 4 * 1024 * 1024
"""A block of container records (jsonl lines, WARC pages) closes early past this size."""


class Item(NamedTuple):
    """One unit of input: a file to read, or a record already cut out of a container."""

    kind: str
    """"file" (read by path), "record" (one jsonl line), "page" (HTML bytes, from a WARC),
    "stdin" (the bytes read from standard input)."""
    source: str
    stem: str
    site: str
    payload: bytes = b""
    number: int = 0
    url: str | None = None


def inner_suffix(name: str) -> tuple[str, str]:
    """(suffix of the file inside, compression): "a.jsonl.gz" -> (".jsonl", ".gz")."""
    lowered = name.lower()
    for compression in COMPRESSIONS:
        if lowered.endswith(compression):
            return Path(lowered[: -len(compression)]).suffix, compression
    return Path(lowered).suffix, ""


def stem_of(name: str) -> str:
    """The file-name stem with any compression suffix removed ("a.jsonl.gz" -> "a")."""
    for warc in WARC_SUFFIXES[1:]:
        if name.lower().endswith(warc):
            return name[: -len(warc)]
    suffix, compression = inner_suffix(name)
    base = name[: len(name) - len(compression)]
    return base[: len(base) - len(suffix)] if suffix else base


def site_of(url: str | None, fallback: str) -> str:
    """The site an article belongs to: its URL's host without "www." and port, else `fallback`."""
    if url:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        if host:
            return host.removeprefix("www.")
    return fallback


def open_decompressed(path: Path) -> BinaryIO:
    """A binary stream of the file's content, decompressed by its suffix (.gz, .zst)."""
    name = path.name.lower()
    if name.endswith(".gz"):
        import gzip

        return gzip.open(path, "rb")  # type: ignore[return-value]
    if name.endswith(".zst"):
        import zstandard

        raw = open_regular(path)
        reader = zstandard.ZstdDecompressor().stream_reader(raw, closefd=True)
        return io.BufferedReader(reader)  # type: ignore[arg-type]
    return open_regular(path)


def iter_items(
    inputs: Iterable[str], *, stdin_data: bytes | None = None, max_record_bytes: int
) -> Iterator[Item | LoadProblem]:
    """Every input as items, lazily, in a stable order (directories sorted by name)."""
    for raw in inputs:
        if raw == STDIN:
            yield Item("stdin", "<stdin>", "stdin", "<stdin>", stdin_data or b"")
            continue
        path = Path(raw)
        try:
            info = path.stat()
        except OSError as error:
            yield LoadProblem(str(path), f"skipped: {error.strerror or error}")
            continue
        if stat.S_ISDIR(info.st_mode):
            for found in walk_files(path, INPUT_SUFFIXES):
                if isinstance(found, LoadProblem):
                    yield found
                else:
                    yield from _file_items(found, max_record_bytes)
        elif not stat.S_ISREG(info.st_mode):
            yield LoadProblem(str(path), NOT_REGULAR)
        else:
            yield from _file_items(path, max_record_bytes)


def _file_items(path: Path, max_record_bytes: int) -> Iterator[Item | LoadProblem]:
    name = path.name.lower()
    site = str(path.parent)
    if name.endswith(WARC_SUFFIXES):
        yield from _warc_items(path, site, max_record_bytes)
        return
    suffix, _ = inner_suffix(name)
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_items(path, site, max_record_bytes)
        return
    yield Item("file", str(path), stem_of(path.name), site)


def _jsonl_items(path: Path, site: str, max_record_bytes: int) -> Iterator[Item | LoadProblem]:
    source, stem = str(path), stem_of(path.name)
    found = False
    try:
        with open_decompressed(path) as handle:
            for number, line in enumerate(handle, start=1):
                if number == 1:
                    line = line.removeprefix(codecs.BOM_UTF8)
                if not line or line.isspace():  # blank, tested without copying the line
                    continue
                if not found and len(line) <= max_record_bytes and _labels_line(line):
                    yield LoadProblem(source, LABELS_REASON)
                    return
                found = True
                if len(line) > max_record_bytes:
                    yield LoadProblem(f"{source}#{number}", "skipped: record over the size limit")
                    continue
                yield Item("record", source, stem, site, line, number)
    except (OSError, EOFError, ValueError) as error:
        yield LoadProblem(source, f"skipped: unreadable ({error})")
        return
    if not found:
        yield LoadProblem(source, "skipped: empty file")


def _labels_line(line: bytes) -> bool:
    """Whether a jsonl file's first record says it is a file of line labels."""
    try:
        return is_label_record(json.loads(line))
    except (ValueError, RecursionError):
        return False


def _warc_items(path: Path, site: str, max_record_bytes: int) -> Iterator[Item | LoadProblem]:
    """HTML responses of a WARC file (plain, gzipped or zstd), one item each, through warcio."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    source = str(path)
    found = False
    unreadable: tuple[type[BaseException], ...] = (OSError, ArchiveLoadFailed, EOFError, ValueError)
    if path.name.lower().endswith(".zst"):
        import zstandard

        unreadable += (zstandard.ZstdError,)
    try:
        with _open_warc(path) as handle:
            for number, record in enumerate(ArchiveIterator(handle), start=1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                status = record.http_headers.get_statuscode() or ""
                if "html" not in content_type.lower() or not status.startswith("2"):
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                body = record.content_stream().read(max_record_bytes + 1)
                where = f"{source}#{number}"
                found = True
                if len(body) > max_record_bytes:
                    yield LoadProblem(where, "skipped: page over the size limit")
                    continue
                yield Item("page", where, _url_stem(url, number), site, body, number, url)
    except unreadable as error:
        yield LoadProblem(source, f"skipped: not a readable WARC file ({error})")
        return
    if not found:
        yield LoadProblem(source, "skipped: no HTML responses")


_SKIPPABLE_DICTIONARY = 0x184D2A5D
"""Magic number of the skippable frame that carries a .warc.zst file's dictionary."""
_ZSTD_FRAME = b"\x28\xb5\x2f\xfd"


def _open_warc(path: Path) -> BinaryIO:
    """The WARC's bytes for warcio: as stored, or decompressed from zstd frames.

    warcio reads plain and gzipped WARCs itself; a .warc.zst holds one zstd frame per
    record, after an optional skippable frame with the dictionary the frames were
    compressed with (itself possibly zstd-compressed).
    """
    raw = open_regular(path)
    if not path.name.lower().endswith(".zst"):
        return raw
    import zstandard

    try:
        head = raw.read(8)
        dictionary = None
        if len(head) == 8 and int.from_bytes(head[:4], "little") == _SKIPPABLE_DICTIONARY:
            data = raw.read(int.from_bytes(head[4:], "little"))
            if data.startswith(_ZSTD_FRAME):
                data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
            dictionary = zstandard.ZstdCompressionDict(data)
        else:
            raw.seek(0)
        decompressor = zstandard.ZstdDecompressor(dict_data=dictionary)
        reader = decompressor.stream_reader(raw, read_across_frames=True, closefd=True)
    except BaseException:
        raw.close()
        raise
    return io.BufferedReader(reader)  # type: ignore[arg-type]


def _url_stem(url: str | None, number: int) -> str:
    if not url:
        return f"page-{number}"
    parts = urlsplit(url)
    stem = safe_stem(f"{parts.hostname or ''}{parts.path}".replace("/", "_"))
    return stem[-100:].strip("._") or f"page-{number}"


def blocks(
    items: Iterable[Item | LoadProblem],
) -> Iterator[tuple[int, list[Item | LoadProblem]]]:
    """Items grouped into numbered blocks by count and size; the same input always gives
    the same blocks, whatever the number of workers, so a resumed run can skip the first
    ones."""
    block: list[Item | LoadProblem] = []
    size = 0
    index = 0
    for item in items:
        block.append(item)
        if isinstance(item, Item):
            size += len(item.payload)
        if len(block) >= BLOCK_ITEMS or size >= BLOCK_BYTES:
            yield index, block
            index += 1
            block, size = [], 0
    if block:
        yield index, block
