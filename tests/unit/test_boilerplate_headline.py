"""Choosing the headline: small pages written for these tests, one layout each."""

from __future__ import annotations

from reader.boilerplate import Kind, detect
from reader.corpus.model import Article
from reader.corpus.text import normalize

BODY = [
    "The county water board approved on Thursday a plan to replace the lead pipes that "
    "still serve about four thousand homes, ending a long dispute over who should pay.",
    "Water board members said the pipe replacement would begin in the spring and take "
    "three years, with the oldest neighbourhoods of the county served first.",
    "Residents who still draw water through lead pipes will be offered free filters until "
    "the replacement reaches their street, the water board said in a statement.",
    "The plan is paid for by a state grant and a small rise in water rates, which the board "
    "said would cost an average household about two dollars a month.",
]
HEADLINE = "Water board approves plan to replace county lead pipes"


def analyse(lines: list[str]) -> tuple[Article, str | None]:
    text = "\n".join(lines) + "\n"
    article = Article(text=text, source="test", name="test")
    return article, detect(article).headline


def body_lines() -> list[str]:
    out: list[str] = []
    for paragraph in BODY:
        out += [paragraph, ""]
    return out


def test_headline_over_the_byline_beats_a_video_playlist_above_the_body() -> None:
    playlist = [
        "Water rates: what the county board decided",
        "County water board meets on lead pipes",
        "How lead pipes reach the water in old homes",
        "Water board members explain the pipe plan",
    ]
    lines = ["Home", "Local", "Weather", "", HEADLINE, "", "By Dana Reyes, County Desk", ""]
    lines += ["Updated 0412 GMT November 19, 2031", "", "JUST WATCHED", "", playlist[0], ""]
    lines += ["Replay", "", "More Videos ...", ""]
    for title in playlist:
        lines += [title, ""]
    lines += body_lines()
    _article, headline = analyse(lines)
    assert headline == HEADLINE


def test_date_then_title_then_body_picks_the_title_under_the_date() -> None:
    kicker = "Lead pipes in the county: a long story"
    lines = ["Home", "Local", "", kicker, "2031-11-19", HEADLINE, "", *body_lines()]
    article, headline = analyse(lines)
    assert headline == HEADLINE
    analysis = detect(article)
    number = next(n for n, line in enumerate(article.lines) if line.text == kicker)
    assert analysis.verdicts[number].boilerplate


def test_headline_without_metadata_is_still_found() -> None:
    lines = ["Home", "Local", "", HEADLINE, "", *body_lines()]
    article, headline = analyse(lines)
    assert headline == HEADLINE
    analysis = detect(article)
    number = next(n for n, line in enumerate(article.lines) if line.text == HEADLINE)
    assert analysis.verdicts[number].kind is Kind.HEADLINE


def test_headline_beats_a_variant_printed_twice_over_a_video_near_the_body() -> None:
    variant = "Water board approves plan to replace lead pipes in county homes"
    lines = ["Home", "Local", "", HEADLINE, "", "Watch the latest local news", ""]
    lines += ["By Dana Reyes", "", "Newsletters", "", variant, "", "Replay", "", variant, ""]
    lines += body_lines()
    article, headline = analyse(lines)
    assert headline == HEADLINE
    analysis = detect(article)
    numbers = [n for n, line in enumerate(article.lines) if line.text == variant]
    assert all(analysis.verdicts[number].boilerplate for number in numbers)


STANDFIRST = "A long dispute ends as the water board agrees to replace the old lead pipes."


def test_the_rules_call_a_summary_between_headline_and_byline_a_standfirst() -> None:
    lines = ["Home News", "", HEADLINE, "", STANDFIRST, "", "By Jane Doe", "12 May 2024", ""]
    text = normalize("\n".join(lines + [p + "\n" for p in BODY]))
    story = Article(text=text, source="site/story.txt", name="story")
    verdicts = detect(story, line_model=False).verdicts
    number = next(line.number for line in story.lines if line.text == STANDFIRST)
    assert (verdicts[number].kind, verdicts[number].boilerplate) == (Kind.STANDFIRST, True)
