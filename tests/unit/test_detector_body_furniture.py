"""Rules for furniture inside the article body, on small pages written for these tests:
a lone run-together line, chart and photo sources, contributors lines."""

from __future__ import annotations

import pytest
from helpers.pages import BODY, MORE_BODY, page

from reader.boilerplate import Kind, detect
from reader.corpus.model import Article

GLUED = (
    "Lighthouse Pier Restoration Plan Approved By VoteThe commission approved the plan "
    "after a long debate on Tuesday night."
)
OTHER_GLUED = (
    "Ferry Timetable Changes Announced For SummerBoats will leave the harbour every hour from June."
)


def analyse(text: str, *, line_model: bool = False) -> tuple[Article, dict[str, object]]:
    article = Article(text=text, source="test", name="test")
    analysis = detect(article, line_model=line_model)
    by_text = {
        line.text.strip(): analysis.verdicts[line.number]
        for line in article.lines
        if line.text.strip()
    }
    return article, by_text


def inside_the_body(line: str, *, line_model: bool = False) -> dict[str, object]:
    """Verdicts, by line text, of a page whose body has `line` after its second paragraph."""
    body = [*BODY[:2], line, *BODY[2:], *MORE_BODY]
    return analyse(page("Home", body=body), line_model=line_model)[1]


@pytest.mark.parametrize("line_model", [False, True])
def test_a_lone_run_together_line_inside_the_body_is_kept(line_model: bool) -> None:
    verdicts = inside_the_body(GLUED, line_model=line_model)
    verdict = verdicts[GLUED]
    assert not verdict.boilerplate
    assert verdict.kind is Kind.CONTENT
    assert "run together" in verdict.reason


def test_run_together_lines_in_a_run_inside_the_body_stay_teasers() -> None:
    verdicts = inside_the_body(GLUED + "\n" + OTHER_GLUED)  # two lines, packed
    for line in (GLUED, OTHER_GLUED):
        assert verdicts[line].boilerplate
        assert verdicts[line].kind is Kind.RELATED


@pytest.mark.parametrize(
    "line", ["Source: Statista", "Image via Harbour Gazette", "Source: Harbour Commission survey"]
)
@pytest.mark.parametrize("line_model", [False, True])
def test_a_short_source_line_inside_the_body_is_a_credit(line: str, line_model: bool) -> None:
    verdicts = inside_the_body(line, line_model=line_model)
    assert verdicts[line].boilerplate
    assert verdicts[line].kind is Kind.CREDIT
    assert all(not verdicts[paragraph].boilerplate for paragraph in BODY)


def test_a_sentence_opening_with_source_is_kept() -> None:
    line = "Source: the harbour survey, which found the pier unsafe for walkers."
    verdicts = inside_the_body(line)
    assert not verdicts[line].boilerplate


@pytest.mark.parametrize(
    "line",
    [
        "Harbour Gazette writers Jane Doe and John Roe contributed to this report.",
        "Jane Doe contributed reporting.",
        "John Roe contributed to this article",
    ],
)
@pytest.mark.parametrize("line_model", [False, True])
def test_a_contributors_line_at_the_tail_is_removed(line: str, line_model: bool) -> None:
    body = [*BODY, *MORE_BODY, line]
    _, verdicts = analyse(
        page("Home", body=body, after=("About us", "Contact")), line_model=line_model
    )
    assert verdicts[line].boilerplate
    assert verdicts[line].kind is Kind.CREDIT
    assert "contributors" in verdicts[line].reason
    assert all(not verdicts[paragraph].boilerplate for paragraph in [*BODY, *MORE_BODY])


def test_a_sentence_about_contributions_is_kept() -> None:
    line = "Fishermen said every family in the harbour had contributed to the restoration fund."
    verdicts = inside_the_body(line)
    assert not verdicts[line].boilerplate


@pytest.mark.parametrize(
    "line",
    [
        "The restored granite blocks, stacked by the harbour office. Source: Harbour Gazette",
        "Pier traffic by month, from the survey of the harbour. Source: Harbour Commission",
        "A fishing boat moored beside the lighthouse. Photo: John Roe",
    ],
)
@pytest.mark.parametrize("line_model", [False, True])
def test_a_caption_ending_in_its_source_or_credit_is_removed(line: str, line_model: bool) -> None:
    verdicts = inside_the_body(line, line_model=line_model)
    assert verdicts[line].boilerplate
    assert verdicts[line].kind is Kind.CAPTION
    assert "source or credit" in verdicts[line].reason
    assert all(not verdicts[paragraph].boilerplate for paragraph in BODY)


@pytest.mark.parametrize(
    "line",
    [
        "The commission gave walkers one promise about the pier: it will reopen in two years",
        "The commission asked residents for one kind of photo: pictures of the pier in storms",
    ],
)
def test_a_sentence_with_a_colon_near_its_end_is_kept(line: str) -> None:
    verdicts = inside_the_body(line)
    assert not verdicts[line].boilerplate


CONTENTS = ["Why the pier matters", "What the survey found", "When the works begin"]


@pytest.mark.parametrize("heading", ["Table of Contents", "In this article:"])
@pytest.mark.parametrize("line_model", [False, True])
def test_the_links_under_a_table_of_contents_heading_are_removed(
    heading: str, line_model: bool
) -> None:
    subheading = "The harbour after the storms"
    body = [*BODY[:2], heading + "\n" + "\n".join(CONTENTS), *BODY[2:4], subheading, *BODY[4:]]
    body += MORE_BODY
    _, verdicts = analyse(page("Home", body=body), line_model=line_model)
    assert verdicts[heading].boilerplate
    for line in CONTENTS:
        assert verdicts[line].boilerplate
        assert verdicts[line].kind is Kind.CHROME
        assert "table of contents" in verdicts[line].reason
    assert not verdicts[subheading].boilerplate
    assert all(not verdicts[paragraph].boilerplate for paragraph in [*BODY, *MORE_BODY])


def test_the_contents_run_ends_at_a_blank_line() -> None:
    heading, later = "Contents", "What the new railings look like"
    body = [*BODY[:2], "\n".join([heading, *CONTENTS]), later, *BODY[2:], *MORE_BODY]
    _, verdicts = analyse(page("Home", body=body))
    assert all(verdicts[line].boilerplate for line in CONTENTS)
    assert not verdicts[later].boilerplate


def test_the_contents_run_ends_at_a_sentence() -> None:
    body = [*BODY[:2], "\n".join(["Table of Contents", *CONTENTS, BODY[2]]), *BODY[3:], *MORE_BODY]
    _, verdicts = analyse(page("Home", body=body))
    assert all(verdicts[line].boilerplate for line in CONTENTS)
    assert all(not verdicts[paragraph].boilerplate for paragraph in [*BODY, *MORE_BODY])


@pytest.mark.parametrize(
    "line",
    [
        "$35 at Harbour Supply",
        "$42 $35 from Pier Outfitters",
        "View on Harbour Supply",
        "Read full review",
    ],
)
@pytest.mark.parametrize("line_model", [False, True])
def test_a_shopping_link_inside_the_body_is_removed(line: str, line_model: bool) -> None:
    verdicts = inside_the_body(line, line_model=line_model)
    assert verdicts[line].boilerplate
    assert verdicts[line].kind is Kind.ADVERTISEMENT
    assert "shopping link" in verdicts[line].reason


@pytest.mark.parametrize(
    "line",
    [
        "$35 at the harbour shop buys a season ticket.",
        "Price comparisons",
        "Read the full review here.",
    ],
)
def test_sentences_about_prices_and_reviews_are_kept(line: str) -> None:
    verdicts = inside_the_body(line)
    assert not verdicts[line].boilerplate
