"""The boilerplate detector on small pages written for these tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers.pages import BODY, HEADLINE, MORE_BODY, page

from reader.boilerplate import Analysis, Kind, detect, detect_corpus
from reader.corpus.model import Article

ROOT = Path(__file__).resolve().parents[2]

def analyse(text: str, *, line_model: bool = True) -> tuple[Article, Analysis]:
    article = Article(text=text, source="test", name="test")
    return article, detect(article, line_model=line_model)


def verdict_of(article: Article, analysis: Analysis, text: str):
    for line in article.lines:
        if line.text.strip() == text:
            return analysis.verdicts[line.number]
    raise AssertionError(f"no line {text!r}")


def kept(article: Article, analysis: Analysis) -> list[str]:
    return [
        line.text
        for line in article.lines
        if line.number in analysis.verdicts and not analysis.verdicts[line.number].boilerplate
    ]


def test_every_nonempty_line_gets_a_verdict_with_reason_and_score() -> None:
    article, analysis = analyse(page("Home", "News", "Sport", after=("About us", "Contact")))
    numbers = {line.number for line in article.lines if not line.is_blank}
    assert set(analysis.verdicts) == numbers
    for verdict in analysis.verdicts.values():
        assert verdict.reason
        assert 0.0 <= verdict.score <= 1.0
        assert verdict.label in ("content", "boilerplate")


def test_body_is_kept_and_headline_found() -> None:
    article, analysis = analyse(page("Skip to main content", "Home", "World", "Business"))
    assert all(paragraph in kept(article, analysis) for paragraph in BODY)
    assert analysis.headline == HEADLINE
    assert verdict_of(article, analysis, HEADLINE).kind is Kind.HEADLINE
    assert not verdict_of(article, analysis, HEADLINE).boilerplate


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Skip to main content", Kind.CHROME),
        ("Font Size:", Kind.CHROME),
        ("Share this article", Kind.CHROME),
        ("Copy link", Kind.CHROME),
        ("Advertisement", Kind.ADVERTISEMENT),
        ("4 min read", Kind.READING_TIME),
        ("3 hours ago", Kind.TIMESTAMP),
        ("You might also like", Kind.RELATED),
        ("Sign up for our morning newsletter", Kind.NEWSLETTER),
        ("© 2031 The Harbour Gazette. All rights reserved.", Kind.LEGAL),
    ],
)
def test_furniture_kinds_above_the_article(line: str, kind: Kind) -> None:
    article, analysis = analyse(page("Home", line, "Coast"))
    verdict = verdict_of(article, analysis, line)
    assert verdict.boilerplate
    # The first stamp near the headline is taken as the article's date line.
    assert verdict.kind is kind or (kind is Kind.TIMESTAMP and verdict.kind is Kind.DATELINE)


def test_a_table_row_opening_on_a_date_is_data_not_a_time_stamp() -> None:
    rows = ["Date\tChange in the harbour fee", *(f"{m}/1/2013\t+{m}.5%" for m in range(1, 7))]
    body = [*BODY[:2], "\n".join(rows), *BODY[2:]]
    article, analysis = analyse(page("Home", "March 3, 2031", body=body))
    for row in rows[1:]:
        assert verdict_of(article, analysis, row).kind not in (Kind.TIMESTAMP, Kind.DATELINE)
    # A date on a line of its own is still the article's date line.
    assert verdict_of(article, analysis, "March 3, 2031").kind is Kind.DATELINE


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Advertisement", Kind.ADVERTISEMENT),
        ("ADVERTISEMENT", Kind.ADVERTISEMENT),
        ("Read more: Ferry timetable changes for the summer", Kind.RELATED),
        ("Related: Council approves new sea wall", Kind.RELATED),
        ("Subscribe to our newsletter", Kind.NEWSLETTER),
        ("Image copyright Jane Doe", Kind.CREDIT),
        ("Photo: Harbour Gazette", Kind.CAPTION),
        ("About this statement:", Kind.CHROME),
        ("[Related: Council approves new sea wall]", Kind.RELATED),
        ("(Read more: Ferry timetable changes for the summer)", Kind.RELATED),
    ],
)
def test_cue_lines_inside_the_body_are_removed(line: str, kind: Kind) -> None:
    body = [*BODY[:2], line, *BODY[2:]]
    article, analysis = analyse(page("Home", body=body))
    verdict = verdict_of(article, analysis, line)
    assert verdict.boilerplate
    assert verdict.kind is kind
    assert all(paragraph in kept(article, analysis) for paragraph in BODY)


@pytest.mark.parametrize("line", ["___", "* * *", "\u200b", "•"])
def test_separators_inside_the_body_are_removed(line: str) -> None:
    body = [*BODY[:2], line, *BODY[2:]]
    article, analysis = analyse(page("Home", body=body))
    verdict = verdict_of(article, analysis, line.strip())
    assert verdict.boilerplate
    assert verdict.kind is Kind.CHROME
    assert all(paragraph in kept(article, analysis) for paragraph in BODY)


def test_dated_items_of_a_schedule_inside_the_body_are_kept() -> None:
    schedule = [
        "June 24 -- Harbour Commission Concert Hall at the Old Pier, Kingsport, ME",
        "June 26 -- Pier Hall, Eastwick, ME",
        "June 27 -- The Green, Northcape, ME",
        "June 29 -- Granite Quay Open Air Theatre at Southmoor Harbour, Southmoor, ME",
        "July 2 -- Old Dock Arena and Fishermen's Hall, Westhaven, ME",
    ]
    body = [*BODY[:3], "\n".join(schedule), *BODY[3:], *MORE_BODY]
    article, analysis = analyse(page("Home", body=body))
    for item in schedule:
        assert not verdict_of(article, analysis, item).boilerplate, item
    assert all(paragraph in kept(article, analysis) for paragraph in BODY)


def test_a_caption_printed_twice_inside_the_body_goes_once() -> None:
    caption = "Commissioners walk along the lighthouse pier during a site visit on Monday"
    body = [*BODY[:2], f"{caption}\n{caption}", *BODY[2:]]
    article, analysis = analyse(page("Home", body=body))
    copies = [line.number for line in article.lines if line.text == caption]
    assert len(copies) == 2
    assert analysis.verdicts[copies[0]].kind is Kind.CAPTION
    assert all(paragraph in kept(article, analysis) for paragraph in BODY)


def test_name_slash_outlet_credit_inside_the_body_is_removed() -> None:
    body = [*BODY[:2], "Jane Doe/Harbour Gazette", *BODY[2:]]
    article, analysis = analyse(page("Home", body=body))
    assert verdict_of(article, analysis, "Jane Doe/Harbour Gazette").kind is Kind.CREDIT
    assert all(paragraph in kept(article, analysis) for paragraph in BODY)


def test_caption_printed_twice_with_credit() -> None:
    caption = "The lighthouse pier at low tide on a grey morning"
    text = page(
        "Home",
        caption,
        f"{caption} Copyright Harbour Gazette/Jane Doe",
        "Copyright Harbour Gazette/Jane Doe",
    )
    article, analysis = analyse(text)
    assert verdict_of(article, analysis, caption).kind is Kind.CAPTION
    assert verdict_of(article, analysis, caption).boilerplate
    assert verdict_of(
        article, analysis, f"{caption} Copyright Harbour Gazette/Jane Doe"
    ).boilerplate
    assert verdict_of(article, analysis, "Copyright Harbour Gazette/Jane Doe").boilerplate


def test_byline_and_dateline_are_metadata() -> None:
    text = "\n".join(
        [
            "Home",
            "",
            HEADLINE,
            "",
            "By Mary Quayside",
            "March 3, 2031 at 9:15 am",
            "",
            *[p + "\n" for p in BODY],
        ]
    )
    article, analysis = analyse(text)
    byline = verdict_of(article, analysis, "By Mary Quayside")
    dateline = verdict_of(article, analysis, "March 3, 2031 at 9:15 am")
    assert byline.kind is Kind.BYLINE and byline.boilerplate
    assert dateline.kind is Kind.DATELINE and dateline.boilerplate
    assert analysis.author == "Mary Quayside"
    assert analysis.date == "March 3, 2031 at 9:15 am"


def test_footer_and_related_list_after_the_article() -> None:
    after = (
        "You might also like",
        "Ferry timetable changes for the summer season",
        "New cafe opens on the promenade this weekend",
        "Council approves funding for the sea wall repairs",
        "Privacy Policy",
        "Terms of Use",
        "© 2031 The Harbour Gazette",
    )
    article, analysis = analyse(page("Home", after=after))
    for line in after:
        assert verdict_of(article, analysis, line).boilerplate, line
    assert verdict_of(article, analysis, "You might also like").kind is Kind.RELATED
    assert verdict_of(article, analysis, "Privacy Policy").kind is Kind.LEGAL


def test_repeated_headline_at_the_end() -> None:
    article, analysis = analyse(page("Home", after=("Share", HEADLINE)))
    numbers = [line.number for line in article.lines if line.text == HEADLINE]
    assert analysis.verdicts[numbers[0]].kind is Kind.HEADLINE
    assert analysis.verdicts[numbers[-1]].kind is Kind.REPEATED_HEADLINE
    assert analysis.verdicts[numbers[-1]].boilerplate


def test_unrelated_stories_appended_after_the_article() -> None:
    """The rules cut teaser-shaped blocks on other subjects glued after the story, by topic
    (the line model's view of such blocks is tested on real pages: the seeds)."""
    appended = [
        "Stock prices slip as chip makers weigh on markets",
        "",
        "TOKYO — Share prices across Asia fell on Monday as investors sold semiconductor "
        "companies after a weak forecast from a large memory chip maker rattled the markets.",
        "",
        "2 hours ago",
        "",
        "Wire Service",
        "",
        "Orchestra announces its winter concert season",
        "",
        "VIENNA — The philharmonic orchestra unveiled a winter programme of symphonies and "
        "chamber works, with tickets going on sale to subscribers from the beginning of May.",
        "",
        "5 hours ago",
        "",
        "Wire Service",
    ]
    longer = [*BODY, *MORE_BODY]
    article, analysis = analyse(page("Home", body=longer, after=tuple(appended)), line_model=False)
    assert all(paragraph in kept(article, analysis) for paragraph in longer)
    teaser = verdict_of(article, analysis, appended[2])
    assert teaser.boilerplate
    assert teaser.kind is Kind.APPENDED_STORY
    assert verdict_of(article, analysis, appended[10]).kind is Kind.APPENDED_STORY
    assert verdict_of(
        article, analysis, "Orchestra announces its winter concert season"
    ).boilerplate


def test_inline_spans_stay_inside_content_lines() -> None:
    line = (
        "The commission also approved a budget for the lighthouse pier (RELATED: Sea wall "
        "repairs approved) and asked engineers to report back [ADVERTISEMENT] by the autumn."
    )
    body = [*BODY[:2], line, *BODY[2:]]
    article, analysis = analyse(page("Home", body=body))
    verdict = verdict_of(article, analysis, line)
    assert not verdict.boilerplate
    kinds = {span.kind for span in verdict.spans}
    assert kinds == {Kind.RELATED, Kind.ADVERTISEMENT}
    for span in verdict.spans:
        piece = article.text[span.start : span.end]
        assert piece.startswith(("(RELATED", "[ADVERTISEMENT"))
        assert piece.endswith((")", "]"))


def test_corpus_evidence_marks_shared_lines() -> None:
    pages = [
        page("Harbour Gazette menu", "Weather today", after=("Harbour Gazette footer links",))
        .replace(HEADLINE, f"{HEADLINE} number {n}")
        .replace("Tuesday", f"day {n}")
        for n in range(4)
    ]
    articles = [Article(text=text, source=f"p{n}", name=f"p{n}") for n, text in enumerate(pages)]
    analyses = detect_corpus(articles)
    for article, analysis in zip(articles, analyses, strict=True):
        verdict = verdict_of(article, analysis, "Harbour Gazette menu")
        assert verdict.boilerplate
        assert verdict.kind is Kind.SHARED_CHROME
        assert verdict_of(article, analysis, BODY[1]).kind is Kind.CONTENT
    single = detect(articles[0], articles)
    assert verdict_of(articles[0], single, "Harbour Gazette menu").kind is Kind.SHARED_CHROME


def test_non_english_article() -> None:
    body = [
        "Der Gemeinderat hat am Dienstag beschlossen, die alte Seebrücke am Leuchtturm zu "
        "sanieren, nachdem jahrelang über einen Abriss des bröckelnden Stegs gestritten wurde.",
        "Die Arbeiten an der Seebrücke sollen im Frühjahr beginnen und etwa zwei Jahre dauern; "
        "die Fischer dürfen ihre Boote während der Bauzeit weiterhin im Hafen festmachen.",
        "Nach Angaben der Ingenieure haben sich die Granitblöcke unter dem Leuchtturm nach den "
        "Winterstürmen verschoben, weshalb die Fundamente der Brücke verstärkt werden müssen.",
    ]
    text = "\n".join(
        ["Startseite", "Suche", "Teilen", "", "Gemeinderat beschließt Sanierung der Seebrücke", ""]
        + [p + "\n" for p in body]
        + ["Lesen Sie auch", "Neue Fährzeiten im Sommer", "Über die Autorin"]
        + ["Alle Rechte vorbehalten"]
    )
    article, analysis = analyse(text)
    assert all(p in kept(article, analysis) for p in body)
    assert analysis.headline == "Gemeinderat beschließt Sanierung der Seebrücke"
    assert verdict_of(article, analysis, "Teilen").boilerplate
    assert verdict_of(article, analysis, "Lesen Sie auch").kind is Kind.RELATED
    assert verdict_of(article, analysis, "Über die Autorin").kind is Kind.CHROME


def test_cjk_article() -> None:
    body = [
        "港湾委員会は火曜日、老朽化した灯台の桟橋を改修することを決めた。長年にわたり、桟橋を"
        "修復するか撤去するかで議論が続いていた。",
        "委員会によると、灯台の桟橋は二年以内に歩行者に再開放される予定で、元の花崗岩を"
        "できる限り再利用するという。",
        "桟橋のそばに船を係留する漁業者は決定を歓迎したが、工事中も港を開けておくよう求めた。",
    ]
    text = "\n".join(
        ["ホーム", "検索", "", "灯台の桟橋を改修へ　港湾委員会が決定", ""]
        + [p + "\n" for p in body]
    )
    article, analysis = analyse(text)
    assert all(p in kept(article, analysis) for p in body)
    assert verdict_of(article, analysis, "検索").boilerplate


def test_one_megabyte_line_completes() -> None:
    line = "The lighthouse pier (built of granite) is old, and " * 20_000
    text = f"Home\n\n{HEADLINE}\n\n{line}\n\nShare\n"
    assert len(line) > 1_000_000
    article, analysis = analyse(text)
    big = next(number for number, found in enumerate(article.lines) if found.text == line)
    assert not analysis.verdicts[big].boilerplate
    assert analysis.verdicts[0].boilerplate


def test_one_megabyte_line_of_one_character_completes() -> None:
    text = "(" * 1_000_000 + "\n" + "a" * 1_000_000 + "\n"
    _article, analysis = analyse(text)
    assert len(analysis.verdicts) == 2


def test_hundred_thousand_lines_complete() -> None:
    lines = []
    for n in range(10_000):
        lines += [f"Menu item {n}", "Share", "", BODY[n % len(BODY)], "", "Advertisement"]
        lines += ["", f"Footer link {n}", "", "3 hours ago"]
    text = "\n".join(lines)
    assert text.count("\n") >= 99_999
    article, analysis = analyse(text)
    assert len(analysis.verdicts) == sum(1 for line in article.lines if not line.is_blank)
    assert all(
        v.boilerplate for n, v in analysis.verdicts.items() if article.lines[n].text == "Share"
    )


def test_empty_and_blank_articles() -> None:
    for text in ("", "\n\n\n", "   \n\t\n"):
        _article, analysis = analyse(text)
        assert analysis.verdicts == {}
        assert analysis.headline is None


def test_page_without_prose_is_all_boilerplate() -> None:
    _article, analysis = analyse("Home\nNews\nSport\nWeather\n")
    assert all(verdict.boilerplate for verdict in analysis.verdicts.values())


def test_boilerplate_package_never_imports_textual() -> None:
    code = (
        "import sys\n"
        "import reader.boilerplate, reader.boilerplate.detector, reader.boilerplate.features\n"
        "import reader.boilerplate.span, reader.boilerplate.appended, reader.boilerplate.inline\n"
        "import reader.boilerplate.cues\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


def test_sections_under_capital_subheads_stay_with_the_story() -> None:
    sections = [
        "WHAT ABOUT THE FERRY?",
        "Ferry operators expect timetables to change during construction, and travellers "
        "should check departures before setting out, especially on weekend mornings.",
        "WHO PAYS FOR IT?",
        "Funding comes from a regional grant, with smaller contributions from tourism "
        "levies and private donors who have supported restoration work elsewhere.",
        "WHEN WILL WALKERS RETURN?",
        "Officials hope pedestrians can stroll across again within two summers, though "
        "weather and supply delays could push reopening further into autumn.",
    ]
    text = page("Home", body=[*BODY, *MORE_BODY, *sections], after=("Most Popular",))
    article, analysis = analyse(text, line_model=False)
    assert all(line in kept(article, analysis) for line in sections)


def test_author_box_closing_the_body_is_removed() -> None:
    bio = (
        "Jane Doe has covered the harbour, its ferries and its fishermen for the Gazette "
        "since 2019, and before that reported on coastal towns for a regional radio station."
    )
    article, analysis = analyse(page("Home", body=[*BODY, "About Jane Doe", bio]))
    assert verdict_of(article, analysis, "About Jane Doe").boilerplate
    assert verdict_of(article, analysis, bio).boilerplate
    assert all(paragraph in kept(article, analysis) for paragraph in BODY)
