"""Agreement statistics for `copydesk review stats` and the review screen.

Line level: each annotator's keep/remove decision per line is a rating of the unit
`(article_id, line)`; Cohen's kappa per pair and Krippendorff's alpha (nominal) for
everyone, per article and for the corpus. Tags: pairwise F1 over tagged spans. Reviews:
how many of each author's annotations were reviewed, accepted, rejected, edited.

Lines an annotator never decided are left out, unless `fill_with_suggestions`: then, in
each article where the annotator decided at least one line, every other non-blank line
counts as the detector's suggestion. Without the articles' text (no corpus given),
decisions cannot be mapped to lines; the unit is then the decided span itself
`(article_id, start, end)`, which matches line units for decisions made line by line.
The report says which unit and which filling were used.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotations.agreement import (
    PairAgreement,
    TaggedSpan,
    krippendorff_alpha,
    pairwise_kappa,
    span_f1,
)
from annotations.curation import CURATED_AUTHOR, annotator_decisions, suggestions
from annotations.model import Annotation, Motivation, order_key
from annotations.review import SPAN_MOTIVATIONS, ReviewCounts, review_counts

if TYPE_CHECKING:
    from reader.boilerplate.model import Analysis
    from reader.corpus.model import Article

LINE_UNIT = "line"
SPAN_UNIT = "span"


@dataclass(frozen=True, slots=True)
class ScopeAgreement:
    """Line agreement within one scope (an article, or the whole corpus)."""

    scope: str
    """"corpus" or the article's name."""
    article_id: str | None
    annotators: tuple[str, ...]
    units: int
    """Units rated by at least two annotators."""
    pairs: tuple[PairAgreement, ...]
    alpha: float | None


@dataclass(frozen=True, slots=True)
class TagAgreement:
    first: str
    second: str
    spans: int
    """Tagged spans of both together."""
    f1: float | None


@dataclass
class AgreementReport:
    """Everything `review stats` prints."""

    unit: str
    fill_with_suggestions: bool
    corpus: ScopeAgreement
    articles: list[ScopeAgreement] = field(default_factory=list)
    tags: list[TagAgreement] = field(default_factory=list)
    reviews: list[ReviewCounts] = field(default_factory=list)
    unknown_articles: dict[str, int] = field(default_factory=dict)
    """Article id -> annotations, for annotated articles not in the corpus given."""

    @property
    def note(self) -> str:
        """One sentence saying what the line figures count."""
        if self.unit == SPAN_UNIT:
            base = "units: decided spans (no corpus given, so lines are unknown)"
        else:
            base = "units: (article, line)"
        if self.fill_with_suggestions:
            return base + "; undecided lines filled with the detector's suggestion"
        return base + "; only lines each annotator decided"


def line_ratings(
    annotations: Sequence[Annotation],
    articles: Sequence[Article],
    analyses: Mapping[str, Analysis] | None = None,
    *,
    fill_with_suggestions: bool = False,
) -> dict[str, dict[str, dict[Any, bool]]]:
    """Article id -> annotator -> ((article_id, line) -> remove?)."""
    analyses = analyses or {}
    result: dict[str, dict[str, dict[Any, bool]]] = {}
    by_article: dict[str, list[Annotation]] = {}
    by_source: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        if annotation.motivation is Motivation.EDITING and annotation.author != CURATED_AUTHOR:
            by_article.setdefault(annotation.article_id, []).append(annotation)
            if annotation.source_hint:
                by_source.setdefault(annotation.source_hint, []).append(annotation)
    for article in articles:
        mine = {a.id: a for a in by_article.get(article.id, []) + by_source.get(article.source, [])}
        if not mine:
            continue
        per_author = annotator_decisions(list(mine.values()), article)
        suggested = (
            suggestions(article, analyses.get(article.id)) if fill_with_suggestions else {}
        )
        ratings: dict[str, dict[Any, bool]] = {}
        for name, decided in per_author.items():
            if not decided:
                continue
            merged = {**suggested, **decided} if fill_with_suggestions else decided
            ratings[name] = {(article.id, line): remove for line, remove in merged.items()}
        if ratings:
            result[article.id] = ratings
    return result


def span_ratings(annotations: Iterable[Annotation]) -> dict[str, dict[str, dict[Any, bool]]]:
    """Without article text: article id -> annotator -> ((article, start, end) -> remove?)."""
    result: dict[str, dict[str, dict[Any, bool]]] = {}
    latest: dict[tuple[str, Any], Annotation] = {}
    for annotation in annotations:
        if (
            annotation.motivation is not Motivation.EDITING
            or annotation.author == CURATED_AUTHOR
            or annotation.target is None
        ):
            continue
        unit = (annotation.article_id, annotation.target.start, annotation.target.end)
        key = (annotation.author, unit)
        if key not in latest or order_key(annotation) > order_key(latest[key]):
            latest[key] = annotation
    for (author, unit), annotation in latest.items():
        per_article = result.setdefault(annotation.article_id, {})
        per_article.setdefault(author, {})[unit] = annotation.decision == "remove"
    return result


def _scope(
    scope: str, article_id: str | None, ratings: Mapping[str, Mapping[Any, bool]]
) -> ScopeAgreement:
    counts: dict[Any, int] = {}
    for rated in ratings.values():
        for unit in rated:
            counts[unit] = counts.get(unit, 0) + 1
    return ScopeAgreement(
        scope=scope,
        article_id=article_id,
        annotators=tuple(sorted(ratings)),
        units=sum(1 for n in counts.values() if n >= 2),
        pairs=tuple(pairwise_kappa(ratings)),
        alpha=krippendorff_alpha(ratings),
    )


def tagged_spans(annotations: Iterable[Annotation]) -> dict[str, list[TaggedSpan]]:
    """Author -> one `TaggedSpan` per tag of each tagged span annotation."""
    spans: dict[str, list[TaggedSpan]] = {}
    for annotation in annotations:
        if (
            annotation.motivation not in SPAN_MOTIVATIONS
            or annotation.author == CURATED_AUTHOR
            or annotation.target is None
            or not annotation.tags
        ):
            continue
        for tag in annotation.tags:
            spans.setdefault(annotation.author, []).append(
                TaggedSpan(
                    annotation.article_id, annotation.target.start, annotation.target.end, tag
                )
            )
    return spans


def tag_agreement(annotations: Iterable[Annotation]) -> list[TagAgreement]:
    """Span F1 for every pair of authors who tagged something, in name order."""
    spans = tagged_spans(annotations)
    return [
        TagAgreement(a, b, len(spans[a]) + len(spans[b]), span_f1(spans[a], spans[b]))
        for a, b in itertools.combinations(sorted(spans), 2)
    ]


def build_report(
    annotations: Iterable[Annotation],
    articles: Sequence[Article] | None = None,
    analyses: Mapping[str, Analysis] | None = None,
    *,
    fill_with_suggestions: bool = False,
) -> AgreementReport:
    """The whole report. `articles` None: no corpus, so spans stand in for lines."""
    everything = list(annotations)
    if articles is None:
        per_article = span_ratings(everything)
        names: dict[str, str] = {}
        unit = SPAN_UNIT
        fill_with_suggestions = False
    else:
        per_article = line_ratings(
            everything, articles, analyses, fill_with_suggestions=fill_with_suggestions
        )
        names = {a.id: a.name for a in articles}
        unit = LINE_UNIT
    corpus: dict[str, dict[Any, bool]] = {}
    scopes = []
    for article_id, ratings in per_article.items():
        for name, rated in ratings.items():
            corpus.setdefault(name, {}).update(rated)
        scopes.append(_scope(names.get(article_id, article_id[:12]), article_id, ratings))
    scopes.sort(key=lambda s: (s.scope, s.article_id or ""))
    unknown: dict[str, int] = {}
    if articles is not None:
        known = {a.id for a in articles}
        sources = {a.source for a in articles}
        for annotation in everything:
            if annotation.article_id not in known and annotation.source_hint not in sources:
                unknown[annotation.article_id] = unknown.get(annotation.article_id, 0) + 1
    return AgreementReport(
        unit=unit,
        fill_with_suggestions=fill_with_suggestions,
        corpus=_scope("corpus", None, corpus),
        articles=scopes,
        tags=tag_agreement(everything),
        reviews=review_counts(everything),
        unknown_articles=dict(sorted(unknown.items())),
    )


ROW_FIELDS = ("section", "scope", "annotators", "measure", "value", "units")


def report_rows(report: AgreementReport) -> list[dict[str, Any]]:
    """The report flattened to rows (for CSV, JSON and the review screen's table).

    `value` is None where a measure is undefined (e.g. one category only).
    """
    rows: list[dict[str, Any]] = []

    def lines(scope: ScopeAgreement) -> None:
        for pair in scope.pairs:
            rows.append(
                {
                    "section": "lines",
                    "scope": scope.scope,
                    "annotators": f"{pair.first} / {pair.second}",
                    "measure": "cohen_kappa",
                    "value": pair.kappa,
                    "units": pair.units,
                }
            )
        if len(scope.annotators) >= 2:
            rows.append(
                {
                    "section": "lines",
                    "scope": scope.scope,
                    "annotators": "all",
                    "measure": "krippendorff_alpha",
                    "value": scope.alpha,
                    "units": scope.units,
                }
            )

    lines(report.corpus)
    for scope in report.articles:
        lines(scope)
    for tag in report.tags:
        rows.append(
            {
                "section": "tags",
                "scope": "corpus",
                "annotators": f"{tag.first} / {tag.second}",
                "measure": "span_f1",
                "value": tag.f1,
                "units": tag.spans,
            }
        )
    for counts in report.reviews:
        for measure in ("reviewed", "accepted", "rejected", "edited", "unreviewed"):
            rows.append(
                {
                    "section": "reviews",
                    "scope": counts.author,
                    "annotators": counts.author,
                    "measure": measure,
                    "value": getattr(counts, measure),
                    "units": counts.annotations,
                }
            )
    return rows


def report_json(report: AgreementReport) -> dict[str, Any]:
    """A JSON-ready dict of the report."""

    def scope(item: ScopeAgreement) -> dict[str, Any]:
        return {
            "scope": item.scope,
            "article_id": item.article_id,
            "annotators": list(item.annotators),
            "units": item.units,
            "alpha": item.alpha,
            "pairs": [
                {
                    "first": p.first,
                    "second": p.second,
                    "units": p.units,
                    "observed": p.observed,
                    "expected": p.expected,
                    "kappa": p.kappa,
                }
                for p in item.pairs
            ],
        }

    return {
        "unit": report.unit,
        "fill_with_suggestions": report.fill_with_suggestions,
        "note": report.note,
        "corpus": scope(report.corpus),
        "articles": [scope(a) for a in report.articles],
        "tags": [
            {"first": t.first, "second": t.second, "spans": t.spans, "f1": t.f1}
            for t in report.tags
        ],
        "reviews": [
            {
                "author": c.author,
                "annotations": c.annotations,
                "reviewed": c.reviewed,
                "accepted": c.accepted,
                "rejected": c.rejected,
                "edited": c.edited,
                "unreviewed": c.unreviewed,
            }
            for c in report.reviews
        ],
        "unknown_articles": report.unknown_articles,
    }


def format_value(value: float | int | None) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def report_table(report: AgreementReport) -> list[str]:
    """Plain-text lines of the report (names are untrusted: the caller strips controls)."""
    out = [f"# {report.note}"]

    def scope_lines(item: ScopeAgreement) -> None:
        if not item.pairs:
            out.append(f"  {item.scope}: fewer than two annotators")
            return
        alpha = format_value(item.alpha)
        out.append(f"  {item.scope}: alpha {alpha} over {item.units} unit(s)")
        for pair in item.pairs:
            out.append(
                f"    {pair.first} / {pair.second}: kappa {format_value(pair.kappa)}"
                f" (observed {pair.observed:.3f}, chance {pair.expected:.3f}, {pair.units} units)"
            )

    out.append("line agreement (keep/remove)")
    scope_lines(report.corpus)
    if report.articles:
        out.append("per article")
        for item in report.articles:
            scope_lines(item)
    out.append("tag agreement (span F1)")
    if not report.tags:
        out.append("  fewer than two taggers")
    for tag in report.tags:
        out.append(f"  {tag.first} / {tag.second}: F1 {format_value(tag.f1)} ({tag.spans} spans)")
    out.append("reviews per author")
    if not report.reviews:
        out.append("  no annotations to review")
    for counts in report.reviews:
        out.append(
            f"  {counts.author}: {counts.annotations} annotation(s), {counts.reviewed} reviewed"
            f" ({counts.accepted} accepted, {counts.edited} of them edited,"
            f" {counts.rejected} rejected), {counts.unreviewed} unreviewed"
        )
    if report.unknown_articles:
        out.append("annotations on articles not in the corpus")
        for article_id, count in report.unknown_articles.items():
            out.append(f"  {article_id[:16]}: {count}")
    return out
