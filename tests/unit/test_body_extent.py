"""How far the article body reaches: lists the text introduces, tables, sales buttons."""

from __future__ import annotations

import pytest
from helpers.pages import BODY, MORE_BODY, page

from reader.boilerplate import Kind, detect
from reader.boilerplate.features import line_infos
from reader.boilerplate.span import find_body
from reader.corpus.model import Article

WORKS = [
    "granite blocks from the old quarry",
    "new concrete footings under the pier",
    "iron railings along the jetty",
    "a ramp for wheelchairs and prams",
    "lamps along the walkway",
    "a shelter at the end of the pier",
    "new mooring rings for the boats",
    "repairs to the cottage roof",
    "a viewing platform by the light",
    "benches facing the harbour",
    "drainage for the upper deck",
    "a gate that closes in storms",
    "signs about the pier's history",
    "cleaning of the lighthouse glass",
    "paint for the lantern room",
    "a survey of the sea wall",
    "steps down to the beach",
    "a store for the lifeboat",
    "lighting for the slipway",
    "a new flagpole on the quay",
]
INTRO = "The commission listed the works its budget for the lighthouse pier will pay for:"
TABLE = [
    f"Phase {n}\t{n * 3} months\t£{n * 120},000\t{'stone' if n % 2 else 'steel'}"
    for n in range(1, 16)
]


def body_lines(text: str) -> list[str]:
    """The lines of the rules' body span (the densest run of prose, as `find_body` sees it)."""
    infos = line_infos(Article(text=text, source="test", name="test"))
    span = find_body(infos)
    assert span is not None
    return [info.text for info in infos[span.start : span.end + 1]]


def kept_by_rules(text: str) -> list[str]:
    article = Article(text=text, source="test", name="test")
    analysis = detect(article, line_model=False)
    return [
        line.text.strip()
        for line in article.lines
        if line.number in analysis.verdicts and not analysis.is_boilerplate(line.number)
    ]


def listing(intro: str, items: list[str]) -> list[str]:
    """Body paragraphs, then `intro` over `items` packed one per line, then more body."""
    return [*BODY[:2], "\n".join([intro, *items]), *MORE_BODY]


def test_a_list_the_text_introduces_stays_in_the_body() -> None:
    text = page("Home", "News", body=listing(INTRO, WORKS))
    inside = body_lines(text)
    assert all(item in inside for item in WORKS)
    assert MORE_BODY[-1] in inside
    kept = kept_by_rules(text)
    assert all(item in kept for item in WORKS)


def test_the_same_list_without_an_introduction_ends_the_body() -> None:
    """Twenty short packed lines with nothing announcing them read as a menu: the rule
    above rests on the sentence ending in a colon, not on the items' shape."""
    text = page("Home", "News", body=listing("", WORKS))
    inside = body_lines(text)
    assert not any(item in inside for item in WORKS)


def test_a_short_label_with_a_colon_does_not_open_a_list() -> None:
    text = page("Home", "News", body=listing("Follow us:", WORKS))
    assert not any(item in body_lines(text) for item in WORKS)


def test_a_list_stops_being_neutral_after_its_first_thirty_items() -> None:
    """A directory of hundreds of links under one sentence is not article text: past
    thirty items the lines count as furniture again, and the body does not span them."""
    directory = [f"{name} harbour movers" for name in WORKS * 3]
    inside = body_lines(page("Home", body=listing(INTRO, directory)))
    assert not (BODY[0] in inside and MORE_BODY[0] in inside)


def test_table_rows_stay_in_the_body() -> None:
    text = page("Home", "News", body=[*BODY[:2], "\n".join(TABLE), *MORE_BODY])
    inside = body_lines(text)
    assert all(row in inside for row in TABLE)
    assert all(row in kept_by_rules(text) for row in TABLE)


@pytest.mark.parametrize(
    "button",
    ["Buy Now", "Check Price on Amazon", "Get a demo", "Book now!", "Compare prices"],
)
def test_sales_buttons_in_the_body_are_advertisements(button: str) -> None:
    text = page("Home", body=[*BODY[:3], button, *BODY[3:]])
    article = Article(text=text, source="test", name="test")
    analysis = detect(article, line_model=False)
    line = next(line for line in article.lines if line.text == button)
    verdict = analysis.verdicts[line.number]
    assert verdict.boilerplate
    assert verdict.kind is Kind.ADVERTISEMENT
    assert "call-to-action" in verdict.reason


@pytest.mark.parametrize(
    "sentence",
    [
        "Book now, the commission said.",
        "Check the harbour office noticeboard for the dates of the works today.",
        "See what the engineers changed between the first plan and the second",
    ],
)
def test_sentences_that_start_like_a_button_are_not(sentence: str) -> None:
    text = page("Home", body=[*BODY[:3], sentence, *BODY[3:]])
    assert sentence in kept_by_rules(text)


@pytest.mark.parametrize(
    "line",
    ["repairs to the cottage roof", "a separate gate", "chapter and verse", "an imaginary line"],
)
def test_words_that_contain_an_agency_name_are_not_credits(line: str) -> None:
    """"epa" in "repairs", "ap" in "chapter": credits name agencies as words."""
    text = page("Home", body=[*BODY[:3], line, *BODY[3:]])
    article = Article(text=text, source="test", name="test")
    analysis = detect(article, line_model=False)
    number = next(line_.number for line_ in article.lines if line_.text == line)
    assert analysis.verdicts[number].kind is not Kind.CREDIT


@pytest.mark.parametrize("line", ["Jane Doe / Getty Images", "(AP Photo/Jane Doe)", "Jane Doe/EPA"])
def test_agency_credits_are_still_credits(line: str) -> None:
    text = page("Home", body=[*BODY[:3], line, *BODY[3:]])
    article = Article(text=text, source="test", name="test")
    analysis = detect(article, line_model=False)
    number = next(line_.number for line_ in article.lines if line_.text == line)
    assert analysis.verdicts[number].kind is Kind.CREDIT


TOUR = [
    "June 17 -- Harbour Arena, Portsmouth",
    "June 19 -- Pier Pavilion, Brighton",
    "June 20 -- Lighthouse Hall at the Quay, Whitby",
    "June 23 -- Granite Amphitheatre, Aberdeen",
    "July 2 -- Seafront Theatre, Margate",
]


def test_a_dated_list_inside_the_body_is_kept_and_firm() -> None:
    """Tour dates or a schedule between paragraphs: items of the article, kept on their
    shape even where the line model takes each one for a link title."""
    body = [*BODY[:3], "The band will play these harbour towns:", *TOUR, *BODY[3:], *MORE_BODY]
    article = Article(text=page("Home", body=body), source="t", name="t")
    for line_model in (False, True):
        analysis = detect(article, line_model=line_model)
        for line in article.lines:
            if line.text in TOUR:
                verdict = analysis.verdicts[line.number]
                assert not verdict.boilerplate, line.text
                assert verdict.reason == "an item of a dated list (a schedule, tour dates)"


def test_two_dated_lines_or_mixed_separators_are_not_a_list() -> None:
    body = [*BODY[:3], TOUR[0], "June 19: Pier Pavilion, Brighton", TOUR[2].replace(" --", ","),
            *BODY[3:]]  # fmt: skip
    article = Article(text=page("Home", body=body), source="t", name="t")
    analysis = detect(article, line_model=False)
    reasons = {
        analysis.verdicts[line.number].reason for line in article.lines if line.text in body[3:6]
    }
    assert "an item of a dated list (a schedule, tour dates)" not in reasons


INGREDIENTS = [
    "8 large pears, cored and peeled",
    "1 1/2 cups harbour honey",
    "6 tbsp fruit pectin powder",
    "1 tsp ground ginger",
    "½ tsp ground cloves",
]


def test_an_ingredient_list_after_the_body_is_kept_and_firm() -> None:
    """A recipe card below the story: quantity-led lines are the recipe, not a footer."""
    text = page("Home", body=[*BODY, *MORE_BODY], after=("Ingredients", "", *INGREDIENTS))
    article = Article(text=text, source="t", name="t")
    for line_model in (False, True):
        analysis = detect(article, line_model=line_model)
        for line in article.lines:
            if line.text in INGREDIENTS:
                verdict = analysis.verdicts[line.number]
                assert not verdict.boilerplate, line.text
                assert verdict.reason.startswith("an item of a list of quantities")


def test_two_quantity_lines_are_not_an_ingredient_list() -> None:
    text = page("Home", body=[*BODY, *MORE_BODY], after=(*INGREDIENTS[:2], "Contact us"))
    article = Article(text=text, source="t", name="t")
    analysis = detect(article, line_model=False)
    for line in article.lines:
        if line.text in INGREDIENTS:
            reason = analysis.verdicts[line.number].reason
            assert not reason.startswith("an item of a list of quantities")
