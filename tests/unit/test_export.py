"""Cleaned-text writers: verbatim kept lines, decisions overriding the detector, formats."""

from __future__ import annotations

import json
from pathlib import Path

from reader.boilerplate import Analysis, InlineSpan, Kind, LineVerdict
from reader.corpus import Article
from reader.export import NoteEntry, clean_article, render, write_outputs

TEXT = "Menu\n\nThe headline\n\nBody one (RELATED: other story) ends.\nBy Jane Roe\n\nBody two.\n"


def make() -> tuple[Article, Analysis]:
    article = Article(text=TEXT, source="story.txt", name="story")
    analysis = Analysis(article_id=article.id, headline="The headline", author="Jane Roe")
    body = article.lines[4]
    span_start = body.start + body.text.index("(RELATED")
    span_end = body.start + body.text.index(")") + 1
    verdicts = [
        LineVerdict(0, True, Kind.CHROME, "navigation menu", 0.9),
        LineVerdict(2, False, Kind.HEADLINE, "headline", 0.1),
        LineVerdict(
            4,
            False,
            Kind.CONTENT,
            "article text",
            0.1,
            (InlineSpan(span_start, span_end, Kind.RELATED, "inline related link"),),
        ),
        LineVerdict(5, True, Kind.BYLINE, "byline", 0.8),
        LineVerdict(7, False, Kind.CONTENT, "article text", 0.1),
    ]
    analysis.verdicts = {v.line: v for v in verdicts}
    return article, analysis


def test_clean_keeps_content_lines_verbatim_in_order() -> None:
    cleaned = clean_article(*make())
    assert cleaned.kept_lines == [
        "The headline",
        "",
        "Body one (RELATED: other story) ends.",
        "",
        "Body two.",
    ]
    assert cleaned.removed == [0, 5]


def test_decisions_override_the_detector() -> None:
    cleaned = clean_article(*make(), decisions={0: False, 7: True})
    assert cleaned.kept_lines[0] == "Menu"
    assert "Body two." not in cleaned.kept_lines


def test_inline_spans_dropped_on_request() -> None:
    cleaned = clean_article(*make(), drop_inline_spans=True)
    assert "Body one ends." in cleaned.kept_lines


def test_markdown_front_matter_and_notes() -> None:
    cleaned = clean_article(*make())
    cleaned.tags = ["policy", 'quote"d']
    cleaned.notes = [NoteEntry("Body two.", "ada", "A *markdown* note.", ("policy",))]
    text = render(cleaned, "md")
    front, body = text.split("---\n", 2)[1:]
    assert 'title: "The headline"' in front
    assert 'author: "Jane Roe"' in front
    assert 'tags: ["policy", "quote\\"d"]' in front
    assert "Body two." in body and "A *markdown* note." in body and "— ada [policy]" in body


def test_jsonl_record_fields() -> None:
    record = json.loads(render(clean_article(*make()), "jsonl"))
    assert record["title"] == "The headline"
    assert record["author"] == "Jane Roe"
    assert record["removed_lines"] == [0, 5]
    assert record["text"].startswith("The headline")


def test_write_outputs_one_file_per_article_with_unique_names(tmp_path: Path) -> None:
    article, analysis = make()
    twin = Article(text=TEXT + "x\n", source="other/story.txt", name="story")
    written = write_outputs(
        [clean_article(article, analysis), clean_article(twin, Analysis(twin.id))], tmp_path, "txt"
    )
    assert [p.name for p in written] == ["story.txt", f"story-{twin.id[:8]}.txt"]
    assert written[0].read_text(encoding="utf-8").startswith("The headline\n")
    assert not list(tmp_path.glob(".*.tmp"))


def test_lines_of_only_whitespace_count_as_blank_and_collapse_to_one() -> None:
    text = "First paragraph.\n \t \n\u00a0\u2003\n\nSecond paragraph.\n  \n"
    article = Article(text=text, source="story.txt", name="story")
    analysis = Analysis(article_id=article.id)
    analysis.verdicts = {
        number: LineVerdict(number, False, Kind.CONTENT, "article text", 0.1)
        for number in (0, 4)
    }
    cleaned = clean_article(article, analysis)
    assert cleaned.kept_lines == ["First paragraph.", "", "Second paragraph."]
    assert render(cleaned, "txt") == "First paragraph.\n\nSecond paragraph.\n"
