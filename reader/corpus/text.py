"""Text normalization and decoding: what every loaded article goes through once.

Normalized text has `\\n` line endings, no BOM, and no C0/C1 control characters other
than tab and newline, so nothing downstream (the detector, offsets, the terminal)
ever sees NUL bytes or escape sequences.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"\r\n?")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE = 64 * 1024


class DecodeError(ValueError):
    """The bytes are not text we can read: binary, or in no encoding we can detect."""


def strip_controls(text: str) -> str:
    """Remove C0/C1 control characters except tab and newline (no escape sequence survives)."""
    return _CONTROL.sub("", text)


def normalize(text: str) -> str:
    """Unify line endings, drop a BOM and control characters."""
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
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if _control_ratio(text[:_SAMPLE]) > 0.05:
            raise DecodeError("binary data (control bytes throughout)")
        return text
    if sample.count(b"\x00") > len(sample) // 20:
        utf16 = _try_bomless_utf16(data)
        if utf16 is not None:
            return utf16
        raise DecodeError("binary data (NUL bytes)")
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise DecodeError("not text in any encoding that could be detected")
    text = str(best)
    if _control_ratio(text[:_SAMPLE]) > 0.05:
        raise DecodeError("binary data (control bytes throughout)")
    return text


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
