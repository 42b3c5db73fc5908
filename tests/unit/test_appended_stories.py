"""Stories glued under the article: a second wire dateline opens another story; a block
behind furniture that names the article's end, or clearly off topic, is another story."""

from __future__ import annotations

from helpers.pages import BODY, MORE_BODY, page

from reader.boilerplate import Kind, detect
from reader.boilerplate.appended import wire_dateline
from reader.boilerplate.features import line_infos
from reader.corpus.model import Article

WIRE_BODY = [
    "HARBOURTON (Wire) — " + BODY[0],
    *BODY[1:],
    *MORE_BODY,
]
GLUED = (
    "Orchestra announces its winter season of symphonies",
    "",
    "VIENNA, Austria (Wire) — The philharmonic orchestra unveiled a winter programme of "
    "symphonies and chamber works, with tickets on sale to subscribers from the start of May.",
    "",
    "5 hours ago",
    "",
    "Markets rise as chip makers recover their losses",
    "",
    "NEW YORK (Wire) — Share prices climbed on Friday as investors bought back semiconductor "
    "companies after a week of heavy selling, with the main index closing at a record high.",
    "",
    "6 hours ago",
    "",
)


def analyse(text: str, *, line_model: bool = True):
    article = Article(text=text, source="test", name="test")
    return article, detect(article, line_model=line_model)


def verdict(article: Article, analysis, text: str):
    for line in article.lines:
        if line.text.strip() == text:
            return analysis.verdicts[line.number]
    raise AssertionError(f"no line {text!r}")


def test_a_second_wire_dateline_cuts_the_story_below_it_with_its_title() -> None:
    for line_model in (False, True):
        text = page("Home", body=WIRE_BODY, after=GLUED)
        article, analysis = analyse(text, line_model=line_model)
        for paragraph in WIRE_BODY:
            assert not verdict(article, analysis, paragraph).boilerplate
        for line in (GLUED[0], GLUED[2], GLUED[6], GLUED[8]):
            found = verdict(article, analysis, line)
            assert found.boilerplate, line
            assert found.kind is Kind.APPENDED_STORY
            assert "dateline" in found.reason
            assert "line model" not in found.reason  # cut on exact evidence: not overruled


def test_the_article_own_dateline_opens_it_and_is_kept() -> None:
    article, analysis = analyse(page("Home", body=WIRE_BODY), line_model=False)
    assert all(not verdict(article, analysis, p).boilerplate for p in WIRE_BODY)


def test_a_dateline_shaped_sentence_early_in_the_body_is_not_a_new_story() -> None:
    """Before a few paragraphs of the article have gone by, nothing is cut."""
    body = [BODY[0], "LONDON (Wire) — " + BODY[1], *BODY[2:], *MORE_BODY]
    article, analysis = analyse(page("Home", body=body), line_model=False)
    assert all(not verdict(article, analysis, p).boilerplate for p in body)


def test_the_dateline_pattern() -> None:
    infos = line_infos(
        Article(
            text="\n\n".join(
                [
                    "HONG KONG (Wire) — " + BODY[0],
                    "PARIS, France (Agency) - " + BODY[1],
                    "Search Engine Marketing (SEM) — " + BODY[2],
                    "HONG KONG — " + BODY[3],
                    "HONG KONG (Wire) — short",
                ]
            ),
            source="t",
            name="t",
        )
    )
    assert [wire_dateline(info) for info in infos] == [True, True, False, False, False]


AD_BOX = (
    "Advertisement",
    "",
    "Waterproof walking boots, now half price",
    "",
    "$49 at Trailhead Outfitters",
    "",
    "Shop now",
    "",
)
LATER_BODY = [
    "Inside the lighthouse keeper's cottage, volunteers have started sorting the logbooks, "
    "charts and brass instruments that will go on show in a small museum beside the pier.",
    "The oldest logbook, kept by hand from 1871, records every ship that entered the harbour "
    "and every night the lamp failed, and the volunteers hope to publish it next year.",
]
FOOTER = ("About us", "", "Contact", "")


def paragraphs(lines: list[str]) -> tuple[str, ...]:
    return tuple(part for line in lines for part in (line, ""))


def test_a_body_interrupted_by_an_ad_box_goes_on_below_it() -> None:
    """An ad box does not say the article has ended: the paragraphs below it, which speak
    of other things than the opening but not of another subject altogether, are kept."""
    body = [*BODY, *MORE_BODY]
    for line_model in (False, True):
        text = page("Home", body=body, after=AD_BOX + paragraphs(LATER_BODY) + FOOTER)
        article, analysis = analyse(text, line_model=line_model)
        for paragraph in (*body, *LATER_BODY):
            assert not verdict(article, analysis, paragraph).boilerplate, paragraph
        assert verdict(article, analysis, "$49 at Trailhead Outfitters").boilerplate


OTHER_STORY = [
    "Orchestra announces a winter season of symphonies",
    "The philharmonic orchestra unveiled a winter programme of symphonies and chamber music, "
    "with concerts in the harbour hall and tickets on sale to subscribers from the start of May.",
    "Its conductor said the season would open with a cycle of Beethoven's symphonies and close "
    "with a new violin work, a commission from a young composer, for the orchestra's leader.",
]
"""Another story, sharing a few words with the article (the harbour, a commission): off
topic by the usual measure, not clearly so."""
UNRELATED_STORY = [
    "Markets rise as chip makers recover their losses",
    "Share prices climbed on Friday as investors bought back semiconductor companies after "
    "a week of heavy selling, with the main index closing at a record high.",
    "Analysts said the rally was driven by strong quarterly results from two memory makers, "
    "whose profits beat forecasts despite the slowdown in smartphone sales.",
]


def test_an_unrelated_story_after_a_more_stories_heading_is_cut() -> None:
    body = [*BODY, *MORE_BODY]
    heading = ("More stories", "", "Share this story", "")
    text = page("Home", body=body, after=heading + paragraphs(OTHER_STORY) + FOOTER)
    article, analysis = analyse(text, line_model=False)
    for paragraph in body:
        assert not verdict(article, analysis, paragraph).boilerplate
    for line in OTHER_STORY[1:]:
        found = verdict(article, analysis, line)
        assert found.boilerplate, line
        assert found.kind in (Kind.APPENDED_STORY, Kind.RELATED)


def test_an_unrelated_story_right_after_an_ad_box_is_still_cut() -> None:
    """With nothing between them that names the end of the article, a block clearly on
    another subject is still another story."""
    body = [*BODY, *MORE_BODY]
    text = page("Home", body=body, after=AD_BOX + paragraphs(UNRELATED_STORY) + FOOTER)
    article, analysis = analyse(text, line_model=False)
    for paragraph in body:
        assert not verdict(article, analysis, paragraph).boilerplate
    for line in UNRELATED_STORY[1:]:
        assert verdict(article, analysis, line).boilerplate, line
