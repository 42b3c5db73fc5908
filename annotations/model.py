"""The annotation model: one dataclass for tags, notes, highlights and decisions.

Boilerplate decisions ("remove this line", "keep it") and review verdicts are annotations
too, so one store, one set of formats and one review flow serve them all. Every dict that
enters from disk or from an import file goes through `Annotation.from_dict`, which checks
types, sizes and vocabularies and raises `AnnotationError` with a message naming the field.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from annotations.text import clean_line, clean_note

MAX_QUOTE_CHARS = 100_000
"""Longest quote a target may carry (a very long paragraph)."""
MAX_CONTEXT_CHARS = 1_000
"""Longest prefix or suffix."""
MAX_NOTE_CHARS = 1_000_000
"""Longest note (1 M characters); bigger notes belong in files."""
MAX_TAGS = 200
MAX_TAG_CHARS = 200
MAX_NAME_CHARS = 500
"""Longest author name."""
MAX_SOURCE_CHARS = 4_096
"""Longest source hint (a path)."""
MAX_OFFSET = 2**40
"""Offsets beyond this cannot point into any article we would load."""

DEFAULT_CONTEXT = 32
"""Characters of prefix and suffix stored with a quote."""

_HEX64 = re.compile(r"[0-9a-f]{64}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_FIELDS = frozenset(
    {
        "id",
        "article_id",
        "source_hint",
        "author",
        "created",
        "modified",
        "target",
        "tags",
        "note",
        "motivation",
        "decision",
        "refers_to",
        "link",
    }
)
_PLAIN_FIELDS = _FIELDS - {"link"}
"""The fields of every record but a linked pair's halves (which alone carry "link")."""
_TARGET_FIELDS = frozenset({"exact", "prefix", "suffix", "start", "end"})
_LINK_FIELDS = frozenset({"annotation_id", "article_id", "target"})
_SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: not a character, cannot be written as UTF-8 (breaks every export)."""


class AnnotationError(ValueError):
    """A dict does not describe a valid annotation; the message names the field."""


class Motivation(StrEnum):
    """Why an annotation exists (the W3C Web Annotation motivations we use)."""

    TAGGING = "tagging"
    COMMENTING = "commenting"
    HIGHLIGHTING = "highlighting"
    EDITING = "editing"
    """A boilerplate decision: the targeted line(s) are removed or kept."""
    ASSESSING = "assessing"
    """A review verdict (accept/reject) on the annotation named by `refers_to`."""
    REPLYING = "replying"
    """A reply to the annotation named by `refers_to`."""
    LINKING = "linking"
    """One half of a linked pair: a passage another article prints too (see `link`)."""


_MOTIVATIONS: dict[str, Motivation] = {m.value: m for m in Motivation}
_CANONICAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")

DECISIONS: dict[Motivation, frozenset[str]] = {
    Motivation.EDITING: frozenset({"remove", "keep"}),
    Motivation.ASSESSING: frozenset({"accept", "reject"}),
}
"""The decisions each motivation allows; other motivations carry none."""


def now_iso() -> str:
    """The current time as an ISO 8601 UTC string with microseconds (`...Z`)."""
    return format_time(datetime.now(UTC))


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(value: str) -> datetime:
    """Parse an ISO 8601 time that names its offset; raises ValueError otherwise."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("no time zone")
    return moment


@dataclass(frozen=True, slots=True)
class TextTarget:
    """Where an annotation points: a quote selector plus a position selector.

    `start`/`end` are code-point offsets into the article's normalized text; `exact` is
    the text between them when the annotation was made, with up to 32 characters of
    `prefix` and `suffix` around it so the quote can be found again after the text changes.
    """

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int

    def __post_init__(self) -> None:
        for name in ("exact", "prefix", "suffix"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, clean_note(value))

    @classmethod
    def _trusted(cls, data: Mapping[str, Any]) -> TextTarget:
        """Build from a dict `from_dict` already validated and cleaned (the store's cache),
        without cleaning it again."""
        target = object.__new__(cls)
        set_exact, set_prefix, set_suffix, set_start, set_end = _TARGET_SLOTS
        set_exact(target, data["exact"])
        set_prefix(target, data["prefix"])
        set_suffix(target, data["suffix"])
        set_start(target, data["start"])
        set_end(target, data["end"])
        return target

    def to_dict(self) -> dict[str, Any]:
        return {
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "start": self.start,
            "end": self.end,
        }

    @classmethod
    def from_dict(cls, data: object) -> TextTarget:
        data = _object(data, _TARGET_FIELDS, "target: ")
        exact = clean_note(_text(data, "exact", MAX_QUOTE_CHARS, where="target."))
        prefix = clean_note(_text(data, "prefix", MAX_CONTEXT_CHARS, where="target.", default=""))
        suffix = clean_note(_text(data, "suffix", MAX_CONTEXT_CHARS, where="target.", default=""))
        start = _offset(data, "start")
        end = _offset(data, "end")
        if end < start:
            raise AnnotationError("target.end: before target.start")
        if not exact:
            raise AnnotationError("target.exact: empty quote")
        return cls(exact, prefix, suffix, start, end)


_TARGET_SLOTS = tuple(
    getattr(TextTarget, name).__set__ for name in ("exact", "prefix", "suffix", "start", "end")
)
"""The slots' own setters: `TextTarget._trusted` fills a frozen target without
`object.__setattr__` looking each name up (a whole-database read builds 100,000)."""


@dataclass(frozen=True, slots=True)
class Link:
    """The other half of a linked pair: its annotation, its article and its passage.

    A shared passage turned into annotations is two `linking` annotations, one on each
    article, each naming the other here, so either leads to its counterpart.
    """

    annotation_id: str
    article_id: str
    target: TextTarget

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotation_id": self.annotation_id,
            "article_id": self.article_id,
            "target": self.target.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: object) -> Link:
        data = _object(data, _LINK_FIELDS, "link: ")
        ident = data.get("annotation_id")
        if not is_uuid(ident):
            raise AnnotationError("link.annotation_id: expected an annotation id (UUID)")
        article_id = data.get("article_id")
        if not is_article_id(article_id):
            raise AnnotationError("link.article_id: expected 64 lowercase hex digits (SHA-256)")
        return cls(ident, article_id, TextTarget.from_dict(data.get("target")))


@dataclass(slots=True)
class Annotation:
    """One annotation. Build new ones with `Annotation.create`; the store keeps copies."""

    id: str
    article_id: str
    """The article's content hash (`Article.id`)."""
    source_hint: str
    """Where the article was loaded from when annotated; helps find it after it changes."""
    author: str
    created: str
    modified: str
    motivation: Motivation
    target: TextTarget | None = None
    """None: the annotation is about the whole article."""
    tags: list[str] = field(default_factory=list)
    note: str = ""
    """Markdown."""
    decision: str | None = None
    """"remove"/"keep" for editing, "accept"/"reject" for assessing, else None."""
    refers_to: str | None = None
    """The id of the annotation an assessing or replying one is about."""
    link: Link | None = None
    """For a `linking` annotation, the other half of its pair."""

    def __post_init__(self) -> None:
        self._clean_text()
        self.validate()

    def _clean_text(self) -> None:
        """Control characters out of every text field, whichever way it was built
        (`create`, `dataclasses.replace`), so no escape sequence is ever stored."""
        if isinstance(self.note, str):
            self.note = clean_note(self.note)
        for name in ("author", "source_hint"):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, clean_line(value))
        if isinstance(self.tags, list) and all(isinstance(t, str) for t in self.tags):
            self.tags = normalize_tags(self.tags)

    @classmethod
    def create(
        cls,
        *,
        article_id: str,
        author: str,
        motivation: Motivation | str,
        target: TextTarget | None = None,
        tags: Iterable[str] = (),
        note: str = "",
        decision: str | None = None,
        refers_to: str | None = None,
        source_hint: str = "",
        link: Link | None = None,
    ) -> Annotation:
        """A new annotation with a fresh id and both times set to now."""
        stamp = now_iso()
        return cls(
            id=str(uuid.uuid4()),
            article_id=article_id,
            source_hint=source_hint,
            author=author,
            created=stamp,
            modified=stamp,
            motivation=Motivation(motivation),
            target=target,
            tags=normalize_tags(tags),
            note=note,
            decision=decision,
            refers_to=refers_to,
            link=link,
        )

    def validate(self) -> None:
        """Raise `AnnotationError` unless every field holds a sensible value."""
        Annotation.from_dict(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; `from_dict(to_dict())` gives an equal annotation ("link"
        appears only on the linking annotations that have one)."""
        found = {
            "id": self.id,
            "article_id": self.article_id,
            "source_hint": self.source_hint,
            "author": self.author,
            "created": self.created,
            "modified": self.modified,
            "motivation": str(self.motivation),
            "target": self.target.to_dict() if self.target is not None else None,
            "tags": list(self.tags),
            "note": self.note,
            "decision": self.decision,
            "refers_to": self.refers_to,
        }
        if self.link is not None:
            found["link"] = self.link.to_dict()
        return found

    @classmethod
    def from_dict(cls, data: object) -> Annotation:
        """Validate `data` (from disk or an import) and build the annotation."""
        values = _validated(data)
        annotation = object.__new__(cls)
        for name, value in values.items():
            object.__setattr__(annotation, name, value)
        return annotation

    @classmethod
    def _trusted(cls, data: Mapping[str, Any]) -> Annotation:
        """Build from a dict already validated by `from_dict` (the store's cache)."""
        annotation = object.__new__(cls)
        target = data["target"]
        annotation.id = data["id"]
        annotation.article_id = data["article_id"]
        annotation.source_hint = data["source_hint"]
        annotation.author = data["author"]
        annotation.created = data["created"]
        annotation.modified = data["modified"]
        annotation.motivation = _MOTIVATIONS[data["motivation"]]
        annotation.target = None if target is None else TextTarget._trusted(target)
        annotation.tags = list(data["tags"])
        annotation.note = data["note"]
        annotation.decision = data["decision"]
        annotation.refers_to = data["refers_to"]
        link = data.get("link")
        annotation.link = None if link is None else Link.from_dict(link)
        return annotation

    @property
    def modified_at(self) -> datetime:
        return parse_time(self.modified)


def normalize_tags(tags: Iterable[str]) -> list[str]:
    """Strip each tag (control characters too), drop empty ones and duplicates, keep the
    order given."""
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = " ".join(clean_line(str(tag)).split())
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


def _tags_normal(tags: list[str]) -> bool:
    return len(set(tags)) == len(tags) and all(
        t and " ".join(t.split()) == t and clean_line(t) == t for t in tags
    )


def validate_record(data: object) -> dict[str, Any]:
    """`Annotation.from_dict(data).to_dict()` without building the object (the store's path)."""
    values = _validated(data)
    values["motivation"] = values["motivation"].value
    target = values["target"]
    if target is not None:
        values["target"] = target.to_dict()
    values["tags"] = list(values["tags"])
    link = values.pop("link")
    if link is not None:
        values["link"] = link.to_dict()
    return values


def stored_record(data: object) -> dict[str, Any] | None:
    """`data` itself when it has exactly the shape `validate_record` gives (what the store
    writes), else None: the caller then runs `validate_record`.

    A cheap check of a record read back from a bucket, without rebuilding it: every
    field present and of its type, times canonical, the decision and `refers_to` the
    motivation needs, no lone surrogate. Lengths, id formats and tag normalization were
    checked when the record came in (a save or an import) and are not checked again.
    The halves of a linked pair (the only records with a "link") take the full check.
    """
    if type(data) is not dict or data.keys() != _PLAIN_FIELDS:
        return None
    target = data["target"]
    motivation = _MOTIVATIONS.get(data["motivation"])  # type: ignore[call-overload]
    texts = [data["id"], data["article_id"], data["source_hint"], data["author"],
             data["created"], data["modified"], data["note"]]
    if target is not None:
        if (
            type(target) is not dict
            or target.keys() != _TARGET_FIELDS
            or type(target["start"]) is not int
            or type(target["end"]) is not int
            or not 0 <= target["start"] <= target["end"]
        ):
            return None
        texts += [target["exact"], target["prefix"], target["suffix"]]
        if not target["exact"]:
            return None
    tags = data["tags"]
    if motivation is None or type(tags) is not list:
        return None
    texts += tags
    try:
        joined = "".join(texts)  # one pass for the types and for lone surrogates
    except TypeError:
        return None
    if not joined.isascii() and _SURROGATE.search(joined):
        return None
    if not data["author"].strip():
        return None
    if not (_CANONICAL_TIME.fullmatch(data["created"])
            and _CANONICAL_TIME.fullmatch(data["modified"])):
        return None
    decision, refers_to = data["decision"], data["refers_to"]
    allowed = DECISIONS.get(motivation)
    if (decision is None) if allowed else (decision is not None):
        return None
    if allowed and decision not in allowed:
        return None
    if refers_to is not None and type(refers_to) is not str:
        return None
    if refers_to is None and motivation in (Motivation.ASSESSING, Motivation.REPLYING):
        return None
    if motivation is Motivation.EDITING and target is None:
        return None
    return data


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def is_article_id(value: object) -> bool:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def _object(data: object, fields: frozenset[str], where: str = "") -> Mapping[str, Any]:
    """`data` when it is a JSON object with no field outside `fields`; else the error
    names the first unknown field (`where` says whose: "target: ", "link: ")."""
    if not isinstance(data, Mapping):
        raise AnnotationError(f"{where}expected an object")
    unknown = set(data) - fields
    if unknown:
        raise AnnotationError(f"{where}unknown field {sorted(map(str, unknown))[0]!r}")
    return data


def _validated(data: object) -> dict[str, Any]:
    data = _object(data, _FIELDS)
    ident = data.get("id")
    if not is_uuid(ident):
        raise AnnotationError("id: expected a lowercase UUID string")
    article_id = data.get("article_id")
    if not is_article_id(article_id):
        raise AnnotationError("article_id: expected 64 lowercase hex digits (SHA-256)")
    values: dict[str, Any] = {"id": ident, "article_id": article_id}
    values["source_hint"] = clean_line(_text(data, "source_hint", MAX_SOURCE_CHARS, default=""))
    author = clean_line(_text(data, "author", MAX_NAME_CHARS))
    if not author.strip():
        raise AnnotationError("author: empty")
    values["author"] = author
    for name in ("created", "modified"):
        raw = _text(data, name, 64)
        if _CANONICAL_TIME.fullmatch(raw):
            values[name] = raw
            continue
        try:
            values[name] = format_time(parse_time(raw))
        except ValueError as error:
            raise AnnotationError(f"{name}: not an ISO 8601 time with a zone ({raw!r})") from error
    raw_motivation = data.get("motivation")
    motivation = _MOTIVATIONS.get(raw_motivation) if isinstance(raw_motivation, str) else None
    if motivation is None:
        allowed = ", ".join(m.value for m in Motivation)
        shown = repr(raw_motivation)[:40]
        raise AnnotationError(f"motivation: unknown {shown}; expected one of {allowed}")
    values["motivation"] = motivation
    target = data.get("target")
    values["target"] = None if target is None else TextTarget.from_dict(target)
    tags = data.get("tags", [])
    if not isinstance(tags, list):
        raise AnnotationError("tags: expected a list of strings")
    if len(tags) > MAX_TAGS:
        raise AnnotationError(f"tags: more than {MAX_TAGS}")
    for tag in tags:
        if not isinstance(tag, str) or len(tag) > MAX_TAG_CHARS:
            raise AnnotationError(f"tags: each tag must be a string of at most {MAX_TAG_CHARS}")
        _check_unicode(tag, "tags")
    values["tags"] = tags if _tags_normal(tags) else normalize_tags(tags)
    values["note"] = clean_note(_text(data, "note", MAX_NOTE_CHARS, default=""))
    decision = data.get("decision")
    allowed_decisions = DECISIONS.get(motivation, frozenset())
    if decision is None:
        if allowed_decisions:
            choices = "/".join(sorted(allowed_decisions))
            raise AnnotationError(f"decision: {motivation} needs one of {choices}")
    elif decision not in allowed_decisions:
        shown = repr(decision)[:40]
        raise AnnotationError(f"decision: {shown} is not allowed for {motivation}")
    values["decision"] = decision
    refers_to = data.get("refers_to")
    if refers_to is not None and not is_uuid(refers_to):
        raise AnnotationError("refers_to: expected an annotation id (UUID)")
    if motivation in (Motivation.ASSESSING, Motivation.REPLYING) and refers_to is None:
        raise AnnotationError(f"refers_to: {motivation} needs the id of the annotation it is about")
    values["refers_to"] = refers_to
    if motivation is Motivation.EDITING and values["target"] is None:
        raise AnnotationError("target: an editing decision needs a target")
    link = data.get("link")
    values["link"] = None if link is None else Link.from_dict(link)
    if values["link"] is not None and motivation is not Motivation.LINKING:
        raise AnnotationError(f"link: only a linking annotation has one, not {motivation}")
    return values


def _text(
    data: Mapping[str, Any], name: str, limit: int, *, where: str = "", default: str | None = None
) -> str:
    value = data.get(name, default)
    if not isinstance(value, str):
        raise AnnotationError(f"{where}{name}: expected a string")
    if len(value) > limit:
        raise AnnotationError(f"{where}{name}: longer than {limit} characters")
    _check_unicode(value, f"{where}{name}")
    return value


def _check_unicode(value: str, field_name: str) -> None:
    """Refuse text that is not proper Unicode (a lone surrogate), naming the field."""
    if value.isascii():
        return
    found = _SURROGATE.search(value)
    if found is not None:
        raise AnnotationError(
            f"{field_name}: not valid Unicode (lone surrogate U+{ord(found.group()):04X}"
            f" at character {found.start()})"
        )


def _offset(data: Mapping[str, Any], name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_OFFSET:
        raise AnnotationError(f"target.{name}: expected a non-negative integer offset")
    return value


def order_key(annotation: Annotation) -> tuple[object, ...]:
    """Chronological order of annotations: modified time, then created, then id."""
    modified = annotation.modified
    if not _CANONICAL_TIME.fullmatch(modified):
        modified = format_time(parse_time(modified))
    # Canonical UTC times (what validation stores) sort as strings in time order.
    return (modified, annotation.created, annotation.id)


def latest_verdicts(annotations: Iterable[Annotation]) -> dict[str, Annotation]:
    """Annotation id -> the latest assessing annotation about it (the one that counts)."""
    latest: dict[str, Annotation] = {}
    for annotation in annotations:
        if annotation.motivation is not Motivation.ASSESSING or annotation.refers_to is None:
            continue
        current = latest.get(annotation.refers_to)
        if current is None or order_key(annotation) > order_key(current):
            latest[annotation.refers_to] = annotation
    return latest
