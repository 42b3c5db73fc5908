"""Text normalization and decoding: what every loaded article goes through once.

Normalized text has `\\n` line endings, no BOM, and no C0/C1 control characters other
than tab and newline, so nothing downstream (the detector, offsets, the terminal)
ever sees NUL bytes or escape sequences.
"""

from __future__ import annotations

import codecs
import re

from annotations.text import CONTROL as _CONTROL
from annotations.text import strip_controls

_NEWLINES = re.compile(r"\r\n?")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE = 64 * 1024
_MAGIC = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "zip archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media"),
    (b"SQLite format 3\x00", "SQLite database"),
)


class DecodeError(ValueError):
    """The bytes are not text we can read: binary, or in no encoding we can detect."""


def one_line(text: str, limit: int | None = None) -> str:
    """Untrusted text made safe for one terminal line: control characters stripped,
    whitespace (newlines included) collapsed, cut at `limit` characters with "…"."""
    flat = " ".join(strip_controls(text).split())
    if limit is not None and len(flat) > limit:
        return flat[: limit - 1] + "…"
    return flat


def normalize(text: str) -> str:
    """Unify line endings, drop a BOM and control characters."""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    if text.startswith("\ufeff"):
        text = text[1:]
    return strip_controls(text)


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def decode_bytes(data: bytes) -> str:
    """Decode file bytes: a BOM, then UTF-8, then detection (cp1252, latin-1, ...).

    Raises `DecodeError` for binary data or bytes no encoding explains.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise DecodeError(f"invalid {encoding} after its byte-order mark") from error
    sample = data[:_SAMPLE]
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"binary data ({what})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if _control_ratio(text[:_SAMPLE]) > 0.05:
            raise DecodeError("binary data (control bytes throughout)")
        return text
    if b"\x00" in sample:
        utf16 = _try_bomless_utf16(data)
        if utf16 is not None:
            return utf16
        raise DecodeError("binary data (NUL bytes)")
    text = _detect(data)
    if _control_ratio(text[:_SAMPLE]) > 0.05:
        raise DecodeError("binary data (control bytes throughout)")
    return text


_CP1252_MARGIN = 0.15
"""How much more 'chaos' cp1252 may show than the best guess and still win: it is by far
the most common legacy encoding on the web, and short Western texts fit several code pages."""


def _detect(data: bytes) -> str:
    import charset_normalizer  # only for the rare non-UTF-8 file: start-up stays fast

    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise DecodeError("not text in any encoding that could be detected")
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + _CP1252_MARGIN:
            return str(match)
    return str(best)


def _try_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: NULs in every other byte of mostly-ASCII text."""
    sample = data[:_SAMPLE]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    encoding = None
    if odd_nuls > half * 0.6 and even_nuls < half * 0.1:
        encoding = "utf-16-le"
    elif even_nuls > half * 0.6 and odd_nuls < half * 0.1:
        encoding = "utf-16-be"
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if _control_ratio(text[:_SAMPLE]) > 0.05 else text
