"""Annotation files: the lossless JSON bundle, W3C Web Annotation JSON-LD, and CSV.

Export writes all three. Import reads the bundle and both W3C shapes (one `Annotation`
per line, or an `AnnotationCollection`), and validates the whole file before returning
anything, so a malformed or hostile file changes nothing: sizes, counts and nesting are
capped, every field is type-checked by `Annotation.from_dict`, and the first problems are
reported with where they are.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

import ijson
import orjson

from annotations.model import (
    Annotation,
    AnnotationError,
    Motivation,
    is_article_id,
    is_uuid,
    now_iso,
)
from annotations.text import strip_controls

BUNDLE_FORMAT = "copydesk-annotations"
BUNDLE_VERSION = 1
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
COPYDESK_NS = "urn:copydesk:"
"""Namespace of the one property W3C has no place for: the article's source path."""
_CONTEXT = [W3C_CONTEXT, {"copydesk": COPYDESK_NS}]
_SOURCE_HINT = "copydesk:sourceHint"
_LINKED = "copydesk:linkedAnnotation"
"""On the second target of a linking annotation: the annotation on that passage."""

MAX_IMPORT_BYTES = 256 * 1024 * 1024
"""Largest file `parse_annotations` accepts."""
MAX_IMPORT_ANNOTATIONS = 200_000
"""Most annotations one import file may hold (split bigger ones)."""
MAX_JSON_OBJECTS = 2_000_000
"""JSON objects parsed before giving up, whatever the file's shape."""
MAX_JSON_EVENTS = 12_000_000
"""JSON values (numbers, strings, keys, brackets) read before giving up: about 60 per
annotation at `MAX_IMPORT_ANNOTATIONS`, so memory stays bounded whatever the file holds."""
MAX_JSON_DEPTH = 64
"""Deepest nesting of JSON containers accepted (an annotation needs four)."""
MAX_REPORTED = 5
"""Problems listed in one `ImportFormatError`."""

CSV_FIELDS = (
    "id",
    "article_id",
    "source_hint",
    "author",
    "created",
    "modified",
    "motivation",
    "decision",
    "refers_to",
    "tags",
    "note",
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
)
_C1 = re.compile("[\x7f-\x9f]")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


class ImportFormatError(ValueError):
    """The file cannot be imported; nothing was written. The message says why and where."""


# ------------------------------------------------------------------------ export


def dump_bundle(annotations: Iterable[Annotation]) -> str:
    """Everything, losslessly: `{"format", "version", "exported", "annotations": [...]}`."""
    items = [a.to_dict() for a in annotations]
    bundle = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "exported": now_iso(),
        "count": len(items),
        "annotations": items,
    }
    return _escape_c1(json.dumps(bundle, ensure_ascii=False, indent=1)) + "\n"


def _escape_c1(encoded: str) -> str:
    """Write DEL and C1 controls (e.g. U+009B, a terminal CSI) as JSON escapes.

    `json.dumps` escapes C0 controls but leaves these raw; escaped, the file means the
    same and stays harmless when printed to a terminal.
    """
    if encoded.isascii() and "\x7f" not in encoded:
        return encoded  # nothing to escape: two scans in C, not the regex's
    return _C1.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)


def to_w3c(annotation: Annotation, *, context: bool = True) -> dict[str, Any]:
    """One W3C Web Annotation (JSON-LD) carrying every field of `annotation`."""
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in annotation.tags
    ]
    if annotation.note:
        purpose = "replying" if annotation.motivation is Motivation.REPLYING else "commenting"
        body.append(
            {
                "type": "TextualBody",
                "purpose": purpose,
                "format": "text/markdown",
                "value": annotation.note,
            }
        )
    if annotation.decision is not None:
        body.append(
            {
                "type": "TextualBody",
                "purpose": str(annotation.motivation),
                "value": annotation.decision,
            }
        )
    resource: dict[str, Any] = {"source": f"urn:sha256:{annotation.article_id}"}
    if annotation.source_hint:
        resource[_SOURCE_HINT] = annotation.source_hint
    if annotation.target is not None:
        resource["selector"] = _w3c_selectors(annotation.target)
    targets: list[Any] = [resource]
    if annotation.link is not None:
        # Both passages of a linked pair are targets; the second names its annotation.
        link = annotation.link
        targets.append(
            {
                "source": f"urn:sha256:{link.article_id}",
                "selector": _w3c_selectors(link.target),
                _LINKED: f"urn:uuid:{link.annotation_id}",
            }
        )
    if annotation.refers_to is not None:
        targets.append(f"urn:uuid:{annotation.refers_to}")
    result: dict[str, Any] = {}
    if context:
        result["@context"] = _CONTEXT
    result.update(
        {
            "id": f"urn:uuid:{annotation.id}",
            "type": "Annotation",
            "motivation": str(annotation.motivation),
            "creator": {"type": "Person", "name": annotation.author},
            "created": annotation.created,
            "modified": annotation.modified,
        }
    )
    if body:
        result["body"] = body
    result["target"] = targets[0] if len(targets) == 1 else targets
    return result


def _w3c_selectors(target: Any) -> list[dict[str, Any]]:
    """A quote and a position selector for a `TextTarget`."""
    return [
        {
            "type": "TextQuoteSelector",
            "exact": target.exact,
            "prefix": target.prefix,
            "suffix": target.suffix,
        },
        {"type": "TextPositionSelector", "start": target.start, "end": target.end},
    ]


def _w3c_line(annotation: Annotation) -> str:
    """One line of the W3C JSON Lines export: the annotation as compact JSON, written by
    orjson (several times faster than `json`; the store holds no lone surrogates, the
    one text orjson refuses)."""
    return _escape_c1(orjson.dumps(to_w3c(annotation)).decode("utf-8")) + "\n"


def dump_w3c_jsonl(annotations: Iterable[Annotation]) -> str:
    """One W3C `Annotation` per line."""
    return "".join(map(_w3c_line, annotations))


def dump_w3c_collection(annotations: Iterable[Annotation], *, label: str = "copydesk") -> str:
    """A W3C `AnnotationCollection` with every annotation on its first (only) page."""
    items = [to_w3c(a, context=False) for a in annotations]
    collection = {
        "@context": _CONTEXT,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return _escape_c1(json.dumps(collection, ensure_ascii=False, indent=1)) + "\n"


def dump_csv(annotations: Iterable[Annotation]) -> str:
    """One row per annotation, for spreadsheets; cells that a spreadsheet would run as a
    formula (starting with =, +, -, @, tab or CR) are prefixed with a quote."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for annotation in annotations:
        writer.writerow(_csv_row(annotation))
    return out.getvalue()


def _csv_row(annotation: Annotation) -> list[object]:
    """One annotation's CSV cells, formula-safe."""
    target = annotation.target
    row: list[object] = [
        annotation.id,
        annotation.article_id,
        annotation.source_hint,
        annotation.author,
        annotation.created,
        annotation.modified,
        str(annotation.motivation),
        annotation.decision or "",
        annotation.refers_to or "",
        "; ".join(annotation.tags),
        annotation.note,
        target.exact if target else "",
        target.prefix if target else "",
        target.suffix if target else "",
        target.start if target else "",
        target.end if target else "",
    ]
    return [csv_safe(cell) if isinstance(cell, str) else cell for cell in row]


_INVISIBLE_LEAD = re.compile(r"[\s\u00a0\u180e\u200b-\u200f\u2028-\u202f\u2060-\u2064\ufeff]*")
"""Leading characters a spreadsheet may skip before reading a formula: whitespace, NBSP,
zero-width characters, joiners, direction marks and the BOM."""


def csv_safe(cell: str) -> str:
    """A cell safe to open in a spreadsheet and to print: control characters (but tab and
    newline) removed, and formula injection (OWASP) neutralized with a leading quote when
    the first character, or the first after invisible leading ones, could start a formula."""
    cell = strip_controls(cell)
    lead = _INVISIBLE_LEAD.match(cell)
    rest = cell[lead.end() :] if lead else cell
    if cell.startswith(_FORMULA_STARTS) or rest.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


EXPORT_FORMATS = ("json", "w3c", "csv")


def export_text(annotations: Iterable[Annotation], fmt: str, *, collection: bool = False) -> str:
    """An export in `fmt`: "json" (bundle), "w3c" (JSONL, or a collection) or "csv"."""
    if fmt == "json":
        return dump_bundle(annotations)
    if fmt == "w3c":
        return dump_w3c_collection(annotations) if collection else dump_w3c_jsonl(annotations)
    if fmt == "csv":
        return dump_csv(annotations)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")


# ------------------------------------------------------------- streamed export
#
# `export_text` builds the whole document in memory. For a database of any size the CLI
# writes the same bytes as it reads: each annotation rendered alone by `export_item`,
# the document's head and tail around them by `export_chunks`.


def export_item(fmt: str, *, collection: bool = False) -> Callable[[Annotation], str]:
    """How one annotation reads inside `export_text(..., fmt)`'s output (indented to its
    place in the document): the pieces `export_chunks` puts between head and tail."""
    if fmt == "json":
        return lambda a: _escape_c1(_dumps_indented(a.to_dict(), "  "))
    if fmt == "w3c" and collection:
        return lambda a: _escape_c1(_dumps_indented(to_w3c(a, context=False), "   "))
    if fmt == "w3c":
        return _w3c_line
    if fmt == "csv":
        return lambda a: _csv_line(_csv_row(a))
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")


def export_chunks(
    items: Iterable[str],
    count: int,
    fmt: str,
    *,
    collection: bool = False,
    exported: str | None = None,
) -> Iterator[str]:
    """`export_text`'s output in pieces, from the `count` annotations rendered (in order)
    by `export_item`; `exported` is the bundle's time (default: now)."""
    if fmt == "json":
        bundle: dict[str, Any] = {
            "format": BUNDLE_FORMAT,
            "version": BUNDLE_VERSION,
            "exported": exported or now_iso(),
            "count": count,
            "annotations": [],
        }
        yield from _framed(bundle, bundle["annotations"], items, count, depth=2)
    elif fmt == "w3c" and collection:
        page: dict[str, Any] = {"type": "AnnotationPage", "startIndex": 0, "items": []}
        document = {
            "@context": _CONTEXT,
            "type": "AnnotationCollection",
            "label": "copydesk",
            "total": count,
            "first": page,
        }
        yield from _framed(document, page["items"], items, count, depth=3)
    elif fmt == "w3c":
        yield from items
    elif fmt == "csv":
        yield _csv_line(list(CSV_FIELDS))
        yield from items
    else:
        raise ValueError(
            f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}"
        )


def _dumps_indented(value: Any, pad: str = "") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=1)`, placed at indentation `pad`
    (the first line too), byte for byte. The json module writes indented output with its
    pure-Python encoder; orjson writes the same JSON with two spaces a level in C, which
    `_halve_indent` turns into one. What orjson refuses (an integer beyond 64 bits, a
    key that is not a string) goes to json."""
    try:
        encoded = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError is one
        encoded = json.dumps(value, ensure_ascii=False, indent=1)
        return pad + encoded.replace("\n", "\n" + pad)
    return pad + _halve_indent(encoded, pad)


def _halve_indent(encoded: str, pad: str) -> str:
    """JSON indented by two spaces a level, indented by one after `pad` instead.

    In JSON a raw newline only ever starts an indented line (newlines inside strings are
    escapes), and raw \\x00 and \\x01 never occur: each level's indent becomes
    \\x01s behind a \\x00 marker, deepest first so that a shallower indent never
    matches inside a deeper one, in a few passes of `str.replace` over the whole text.
    """
    depth = 0
    while "\n" + "  " * (depth + 1) in encoded:
        depth += 1
    for level in range(depth, 0, -1):
        encoded = encoded.replace("\n" + "  " * level, "\n\x00" + "\x01" * level)
    return encoded.replace("\n\x00", "\n").replace("\n", "\n" + pad).replace("\x01", " ")


def _csv_line(cells: list[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def _framed(
    document: dict[str, Any], slot: list[Any], items: Iterable[str], count: int, depth: int
) -> Iterator[str]:
    """`document` as `json.dumps(..., indent=1)` writes it, with `items` (rendered at
    `depth`) as the elements of its list `slot`."""
    if not count:
        yield _escape_c1(_dumps_indented(document)) + "\n"
        return
    slot.append(0)
    head, tail = _dumps_indented(document).split("\n" + " " * depth + "0\n")
    yield _escape_c1(head) + "\n"
    for number, item in enumerate(items):
        yield item if number == 0 else ",\n" + item
    yield "\n" + _escape_c1(tail) + "\n"


# ------------------------------------------------------------------------ import


def parse_annotations(
    data: bytes | str, *, max_annotations: int = MAX_IMPORT_ANNOTATIONS
) -> list[Annotation]:
    """Read a bundle, a W3C collection, a W3C annotation or W3C JSONL; validate everything.

    Raises `ImportFormatError` describing the first problems; returns only when every
    annotation in the file is valid.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFormatError(
            f"file too large ({len(data):,} bytes; the limit is {MAX_IMPORT_BYTES:,})"
        )
    check_shape(io.BytesIO(data), max_annotations=max_annotations)
    return _parse_checked(data, max_annotations)


def _parse_checked(data: bytes, max_annotations: int) -> list[Annotation]:
    """`parse_annotations` once `check_shape` has passed."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError(f"not UTF-8 text (byte {error.start})") from error
    stripped = text.lstrip()
    if not stripped:
        raise ImportFormatError("empty file")
    try:
        document = _loads(text)
    except _JSONError as error:
        if not error.extra_data:
            raise ImportFormatError(str(error)) from None
        return _parse_jsonl(text, max_annotations)
    return _parse_document(document, max_annotations)


def read_annotation_file(
    handle: BinaryIO, *, max_annotations: int = MAX_IMPORT_ANNOTATIONS
) -> list[Annotation]:
    """`parse_annotations` for an open file: a regular file over `MAX_IMPORT_BYTES` is
    refused by its size before anything is read, and any file's shape is checked as it
    streams by (`check_shape`) before it is read whole and parsed."""
    try:
        status = os.fstat(handle.fileno())
    except (OSError, AttributeError, io.UnsupportedOperation):
        status = None
    if status is not None and stat.S_ISREG(status.st_mode):
        if status.st_size > MAX_IMPORT_BYTES:
            raise ImportFormatError(
                f"file too large ({status.st_size:,} bytes; the limit is {MAX_IMPORT_BYTES:,})"
            )
        check_shape(handle, max_annotations=max_annotations)
        handle.seek(0)
        return _parse_checked(handle.read(MAX_IMPORT_BYTES + 1), max_annotations)
    return parse_annotations(handle.read(MAX_IMPORT_BYTES + 1), max_annotations=max_annotations)


def check_shape(handle: BinaryIO, *, max_annotations: int = MAX_IMPORT_ANNOTATIONS) -> None:
    """Stream through the JSON (ijson's C parser, nothing built) and refuse, as soon as
    it shows, a file that cannot be annotations: an item of the annotation list (or a
    line of JSONL) that is not an object, more than `max_annotations` items, more than
    `MAX_JSON_EVENTS` values or `MAX_JSON_DEPTH` levels. Syntax errors are left to the
    parser, which names their line and column."""
    stack: list[str] = []
    keys: list[str | None] = [None, None]
    """The current key of the top-level object and of the object in it."""
    items = tops = 0
    events = 0
    try:
        for event, value in ijson.basic_parse(handle, multiple_values=True, use_float=True):
            events += 1
            if events > MAX_JSON_EVENTS:
                raise ImportFormatError(f"more than {MAX_JSON_EVENTS:,} JSON values")
            if event == "map_key":
                if len(stack) <= 2:
                    keys[len(stack) - 1] = value
                continue
            if event in ("end_map", "end_array"):
                stack.pop()
                continue
            if not stack:
                tops += 1
                if tops > 1 and event != "start_map":  # JSONL: one annotation a line
                    raise ImportFormatError(
                        f"JSON value {tops}: expected an annotation object, "
                        f"found {_JSON_KINDS[event]}"
                    )
                if tops > max_annotations:
                    raise ImportFormatError(
                        f"more than {max_annotations:,} annotations; split the file"
                    )
            elif _holds_items(stack, keys):
                items += 1
                if items > max_annotations:
                    raise ImportFormatError(
                        f"more than {max_annotations:,} annotations; split the file"
                    )
                if event != "start_map":
                    raise ImportFormatError(
                        f"annotation {items}: expected a JSON object, found {_JSON_KINDS[event]}"
                    )
            if event in ("start_map", "start_array"):
                stack.append(event)
                if len(stack) > MAX_JSON_DEPTH:
                    raise ImportFormatError("JSON nested too deeply")
    except ImportFormatError:
        raise
    except (ijson.JSONError, ValueError):  # bad syntax or UTF-8: the parser reports where
        return


_JSON_KINDS = {
    "start_array": "an array",
    "string": "a string",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _holds_items(stack: list[str], keys: list[str | None]) -> bool:
    """Whether a value starting here (inside a top-level value) is an annotation: an
    element of a top-level array, of a top-level object's `annotations` or `items`, or
    of its `first.items`."""
    depth = len(stack)
    if depth == 1:
        return stack[0] == "start_array"
    if depth == 2 and stack == ["start_map", "start_array"]:
        return keys[0] in ("annotations", "items")
    if depth == 3 and stack == ["start_map", "start_map", "start_array"]:
        return keys[0] == "first" and keys[1] == "items"
    return False


def _parse_document(document: Any, max_annotations: int) -> list[Annotation]:
    if isinstance(document, list):
        return _validate_all(document, max_annotations, _guess_item)
    if not isinstance(document, dict):
        raise ImportFormatError("expected a JSON object or array at the top level")
    if document.get("format") == BUNDLE_FORMAT:
        version = document.get("version")
        if version != BUNDLE_VERSION:
            raise ImportFormatError(
                f"bundle version {str(version)[:20]!r} is not supported (expected {BUNDLE_VERSION})"
            )
        items = document.get("annotations")
        if not isinstance(items, list):
            raise ImportFormatError("bundle: 'annotations' must be a list")
        return _validate_all(items, max_annotations, Annotation.from_dict)
    kind = _types(document.get("type"))
    if "AnnotationCollection" in kind:
        return _validate_all(_collection_items(document), max_annotations, from_w3c)
    if "Annotation" in kind:
        return _validate_all([document], max_annotations, from_w3c)
    raise ImportFormatError(
        "not an annotation file: expected a copydesk bundle, a W3C AnnotationCollection "
        "or W3C Annotations (one per line)"
    )


def _parse_jsonl(text: str, max_annotations: int) -> list[Annotation]:
    items: list[tuple[int, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(items) >= max_annotations:
            raise ImportFormatError(f"more than {max_annotations:,} annotations; split the file")
        try:
            items.append((number, _loads(line)))
        except _JSONError as error:
            raise ImportFormatError(f"line {number}: {error}") from None
    annotations: list[Annotation] = []
    problems: list[str] = []
    for number, item in items:
        try:
            annotations.append(from_w3c(item))
        except AnnotationError as error:
            problems.append(f"line {number}: {error}")
    _raise_problems(problems, len(items))
    return annotations


def _validate_all(items: list[Any], max_annotations: int, convert: Any) -> list[Annotation]:
    if len(items) > max_annotations:
        raise ImportFormatError(
            f"{len(items):,} annotations is more than the {max_annotations:,} one file may hold;"
            " split the file"
        )
    annotations: list[Annotation] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        try:
            annotations.append(convert(item))
        except AnnotationError as error:
            problems.append(f"annotation {index + 1}{_id_hint(item)}: {error}")
    _raise_problems(problems, len(items))
    return annotations


def _raise_problems(problems: list[str], total: int) -> None:
    if not problems:
        return
    shown = "; ".join(problems[:MAX_REPORTED])
    more = f" (and {len(problems) - MAX_REPORTED} more)" if len(problems) > MAX_REPORTED else ""
    raise ImportFormatError(
        f"{len(problems)} of {total} annotations are invalid, nothing was imported: {shown}{more}"
    )


def _id_hint(item: Any) -> str:
    if isinstance(item, dict):
        ident = item.get("id")
        if isinstance(ident, str) and len(ident) <= 60:
            return f" ({ident.encode('ascii', 'replace').decode()})"
    return ""


def _guess_item(item: Any) -> Annotation:
    if isinstance(item, dict) and "Annotation" in _types(item.get("type")):
        return from_w3c(item)
    return Annotation.from_dict(item)


def _collection_items(document: dict[str, Any]) -> list[Any]:
    first = document.get("first")
    if isinstance(first, dict):
        items = first.get("items")
        if not isinstance(items, list):
            raise ImportFormatError("AnnotationCollection: first.items must be a list")
        if first.get("next") is not None:
            raise ImportFormatError("AnnotationCollection: paged collections are not supported")
        return items
    items = document.get("items")
    if isinstance(items, list):
        return items
    if first is None and document.get("total") == 0:
        return []
    raise ImportFormatError("AnnotationCollection: no embedded first page of items")


def _types(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {v for v in value if isinstance(v, str)}
    return set()


def from_w3c(item: Any) -> Annotation:
    """Build an annotation from one W3C `Annotation` object (raises `AnnotationError`)."""
    if not isinstance(item, dict):
        raise AnnotationError("expected a W3C Annotation object")
    if "Annotation" not in _types(item.get("type")):
        raise AnnotationError("type: expected 'Annotation'")
    ident = _strip_prefix(item.get("id"), "urn:uuid:", "id")
    motivation = item.get("motivation")
    if isinstance(motivation, list) and len(motivation) == 1:
        motivation = motivation[0]
    creator = item.get("creator")
    if isinstance(creator, list) and creator:
        creator = creator[0]
    if isinstance(creator, dict):
        creator = creator.get("name", creator.get("nickname"))
    if not isinstance(creator, str):
        raise AnnotationError("creator: expected a name (a string, or an object with 'name')")
    created = item.get("created")
    record: dict[str, Any] = {
        "id": ident,
        "author": creator,
        "created": created,
        "modified": item.get("modified", created),
        "motivation": motivation,
        "tags": [],
        "note": "",
        "decision": None,
        "refers_to": None,
        "target": None,
        "source_hint": "",
    }
    notes: list[str] = []
    for body in _as_list(item.get("body"), "body"):
        if not isinstance(body, dict) or "TextualBody" not in _types(body.get("type")):
            raise AnnotationError("body: only TextualBody bodies are supported")
        value = body.get("value")
        if not isinstance(value, str):
            raise AnnotationError("body.value: expected a string")
        purpose = body.get("purpose", "commenting")
        if purpose == "tagging":
            record["tags"].append(value)
        elif purpose in ("commenting", "replying", "describing"):
            notes.append(value)
        elif purpose in ("editing", "assessing"):
            record["decision"] = value
        else:
            raise AnnotationError(f"body.purpose: unsupported {str(purpose)[:40]!r}")
    record["note"] = "\n\n".join(notes)
    article_id = None
    for target in _as_list(item.get("target"), "target"):
        if isinstance(target, str):
            if target.startswith("urn:uuid:"):
                record["refers_to"] = _strip_prefix(target, "urn:uuid:", "target")
            else:
                article_id = _strip_prefix(target, "urn:sha256:", "target")
        elif isinstance(target, dict) and _LINKED in target:
            record["link"] = {
                "annotation_id": _strip_prefix(target[_LINKED], "urn:uuid:", _LINKED),
                "article_id": _strip_prefix(target.get("source"), "urn:sha256:", "target.source"),
                "target": _selectors(target.get("selector")),
            }
        elif isinstance(target, dict):
            if "source" not in target and isinstance(target.get("id"), str):
                record["refers_to"] = _strip_prefix(target["id"], "urn:uuid:", "target.id")
                continue
            article_id = _strip_prefix(target.get("source"), "urn:sha256:", "target.source")
            hint = target.get(_SOURCE_HINT, "")
            record["source_hint"] = hint
            if "selector" in target:
                record["target"] = _selectors(target["selector"])
        else:
            raise AnnotationError("target: expected a string or an object")
    if article_id is None:
        raise AnnotationError("target: no urn:sha256 article source")
    record["article_id"] = article_id
    return Annotation.from_dict(record)


def _selectors(value: Any) -> dict[str, Any]:
    quote: dict[str, Any] | None = None
    position: dict[str, Any] | None = None
    for selector in _as_list(value, "selector"):
        if not isinstance(selector, dict):
            raise AnnotationError("target.selector: expected objects")
        kinds = _types(selector.get("type"))
        if "TextQuoteSelector" in kinds:
            quote = selector
        elif "TextPositionSelector" in kinds:
            position = selector
        else:
            raise AnnotationError("target.selector: only TextQuote and TextPosition are supported")
    if quote is None:
        raise AnnotationError("target.selector: a TextQuoteSelector is required")
    exact = quote.get("exact")
    if not isinstance(exact, str):
        raise AnnotationError("target.exact: expected a string")
    start, end = (
        (0, len(exact)) if position is None else (position.get("start"), position.get("end"))
    )
    return {
        "exact": exact,
        "prefix": quote.get("prefix", ""),
        "suffix": quote.get("suffix", ""),
        "start": start,
        "end": end,
    }


def _as_list(value: Any, name: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        if len(value) > 10_000:
            raise AnnotationError(f"{name}: too many entries")
        return value
    return [value]


def _strip_prefix(value: Any, prefix: str, name: str) -> str:
    if not isinstance(value, str):
        raise AnnotationError(f"{name}: expected a {prefix} string")
    bare = value[len(prefix) :] if value.startswith(prefix) else value
    valid = is_uuid(bare) if prefix == "urn:uuid:" else is_article_id(bare)
    if not valid:
        raise AnnotationError(
            f"{name}: expected {prefix}<{'uuid' if 'uuid' in prefix else 'sha256'}>"
        )
    return bare


# ---------------------------------------------------------------- guarded JSON


class _JSONError(ValueError):
    def __init__(self, message: str, *, extra_data: bool = False) -> None:
        super().__init__(message)
        self.extra_data = extra_data
        """True when one JSON value parsed and more followed (the file may be JSONL)."""


def _loads(text: str) -> Any:
    """`json.loads` with the object count capped, NaN refused and deep nesting caught."""
    budget = [MAX_JSON_OBJECTS]

    def count(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        budget[0] -= 1
        if budget[0] < 0:
            raise _JSONError(f"more than {MAX_JSON_OBJECTS:,} JSON objects")
        return dict(pairs)

    def reject(name: str) -> None:
        raise _JSONError(f"{name} is not valid JSON")

    try:
        return json.loads(text, object_pairs_hook=count, parse_constant=reject)
    except _JSONError:
        raise
    except json.JSONDecodeError as error:
        raise _JSONError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
            extra_data=error.msg == "Extra data",
        ) from None
    except RecursionError:
        raise _JSONError("JSON nested too deeply") from None
    except ValueError as error:  # e.g. an integer with too many digits
        raise _JSONError(f"not valid JSON: {str(error)[:80]}") from None
