"""HTML input: the markup evidence kept per rendered line, and compressed pages."""

from __future__ import annotations

import gzip
from pathlib import Path

from helpers.pages import BODY

from reader.boilerplate import detect
from reader.corpus.html import (
    CONTAINER_MEASURES,
    CONTAINER_SIZES,
    ELEMENT_BITS,
    WORD_BITS,
    Markup,
    attribute_bits,
    render_html,
)
from reader.corpus.loader import load_corpus

PROSE = BODY[:4]


def page_html() -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in PROSE)
    return f"""<!doctype html><html><head><title>Pier vote | The Gazette</title></head>
    <body class="page footer-sticky">
    <header class="site-header"><nav><ul><li><a href="/">Home</a></li>
    <li><a href="/world">World</a></li></ul></nav></header>
    <main><article class="post">
    <h1>Harbour commission votes to rebuild the lighthouse pier</h1>
    <div class="entry-content">{paragraphs}
    <figure><img src="x.jpg"><figcaption>The pier at dusk. Photo: J. Smith</figcaption></figure>
    </div>
    <div class="share-buttons"><a href="#">Share on Facebook</a></div>
    <aside class="related-posts"><h3>Related</h3>
    <ul><li><a href="/a">Council approves the new harbour budget for next year</a></li></ul>
    </aside></article></main>
    <div id="cookie-consent" class="modal">We use cookies to improve your experience.</div>
    <footer><p>© 2024 The Gazette. All rights reserved.</p></footer>
    </body></html>"""


def line_number(text: str, wanted: str) -> int:
    return text.split("\n").index(wanted)


def test_each_line_carries_the_elements_and_attribute_words_around_it() -> None:
    page = render_html(page_html())
    menu = page.markup[line_number(page.text, "Home")]
    assert menu.around & ELEMENT_BITS["nav"]
    assert menu.around & ELEMENT_BITS["a"]
    assert menu.around & WORD_BITS["header"]
    assert menu.link_share == 1.0
    caption = page.markup[line_number(page.text, "The pier at dusk. Photo: J. Smith")]
    assert caption.own & ELEMENT_BITS["figcaption"]
    share = page.markup[line_number(page.text, "Share on Facebook")]
    assert share.around & WORD_BITS["share"]
    related = page.markup[line_number(page.text, "Related")]
    assert related.around & WORD_BITS["related"] and related.around & ELEMENT_BITS["aside"]
    cookie = page.markup[line_number(page.text, "We use cookies to improve your experience.")]
    assert cookie.around & WORD_BITS["consent"] and cookie.around & WORD_BITS["modal"]


def test_the_body_class_does_not_colour_every_line() -> None:
    page = render_html(page_html())
    paragraph = page.markup[line_number(page.text, PROSE[0])]
    assert not paragraph.around & WORD_BITS["footer"]
    assert paragraph.link_share == 0.0


def test_the_container_holding_the_prose_is_the_main_one() -> None:
    page = render_html(page_html())
    assert all(page.markup[line_number(page.text, text)].in_main for text in PROSE)
    assert not page.markup[line_number(page.text, "Home")].in_main
    notice = "© 2024 The Gazette. All rights reserved."
    assert not page.markup[line_number(page.text, notice)].in_main


def test_attribute_words_match_stems_and_whole_short_tokens() -> None:
    assert attribute_bits("post-share-bar") & WORD_BITS["share"]
    assert attribute_bits("relatedposts") & WORD_BITS["related"]
    assert attribute_bits("ad-slot top") & WORD_BITS["advert"]
    assert attribute_bits("ad") & WORD_BITS["advert"]
    # "ad" inside another word is not an advertisement ("header", "read", "gradient").
    assert not attribute_bits("gradient reading") & WORD_BITS["advert"]
    assert attribute_bits("") == 0


def test_markup_line_numbers_match_the_article_lines(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(page_html(), encoding="utf-8")
    [article] = load_corpus([path]).articles
    assert article.markup is not None
    lines = article.text.split("\n")
    assert set(article.markup) == {n for n, line in enumerate(lines) if line.strip()}


def test_html_gz_pages_load_like_html_and_keep_their_name(tmp_path: Path) -> None:
    (tmp_path / "pier.html.gz").write_bytes(gzip.compress(page_html().encode("utf-8")))
    (tmp_path / "plain.html").write_text(page_html(), encoding="utf-8")
    result = load_corpus([tmp_path])
    assert result.problems == []
    by_name = {article.name: article for article in result.articles}
    assert set(by_name) == {"pier", "plain"}
    assert by_name["pier"].text == by_name["plain"].text
    assert by_name["pier"].markup == by_name["plain"].markup
    assert by_name["pier"].title == "Pier vote | The Gazette"


def test_a_broken_gzip_file_is_one_problem_and_the_rest_loads(tmp_path: Path) -> None:
    (tmp_path / "broken.html.gz").write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    (tmp_path / "fine.html").write_text(page_html(), encoding="utf-8")
    result = load_corpus([tmp_path])
    assert [article.name for article in result.articles] == ["fine"]
    [problem] = result.problems
    assert problem.source.endswith("broken.html.gz")
    assert "gzip" in problem.reason


def test_a_gzip_bomb_stops_at_the_size_limit(tmp_path: Path) -> None:
    (tmp_path / "bomb.html.gz").write_bytes(gzip.compress(b"<p>" + b"a" * 5_000_000 + b"</p>"))
    result = load_corpus([tmp_path], max_file_bytes=1_000_000)
    assert result.articles == []
    [problem] = result.problems
    assert "decompressed" in problem.reason


def test_html_input_removes_what_the_markup_marks_as_furniture(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(page_html(), encoding="utf-8")
    [article] = load_corpus([path]).articles
    analysis = detect(article)
    kept = [
        line
        for number, line in enumerate(article.text.split("\n"))
        if number in analysis.verdicts and not analysis.verdicts[number].boilerplate
    ]
    assert kept[0] == "Harbour commission votes to rebuild the lighthouse pier"
    for text in PROSE:
        assert text in kept
    for furniture in (
        "Home",
        "World",
        "Share on Facebook",
        "Related",
        "We use cookies to improve your experience.",
        "© 2024 The Gazette. All rights reserved.",
    ):
        assert furniture not in kept


def containers_of(markup: Markup) -> list[dict[str, float]]:
    """`Markup.containers` unpacked: one dict of named measures per container size."""
    values = [byte / 255 for byte in markup.containers]
    assert len(values) == len(CONTAINER_SIZES) * len(CONTAINER_MEASURES)
    return [
        dict(zip(CONTAINER_MEASURES, values[start : start + len(CONTAINER_MEASURES)], strict=True))
        for start in range(0, len(values), len(CONTAINER_MEASURES))
    ]


def boxed_page() -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in PROSE)
    links = "".join(f'<li><a href="/{n}">Story number {n} today</a></li>' for n in range(6))
    return f"""<html><body><div class="story">{paragraphs}</div>
    <div class="box"><h3>More from the desk</h3><ul>{links}</ul></div></body></html>"""


def test_each_line_knows_what_the_blocks_around_it_hold() -> None:
    page = render_html(boxed_page())
    link = containers_of(page.markup[line_number(page.text, "Story number 2 today")])
    paragraph = containers_of(page.markup[line_number(page.text, PROSE[1])])
    heading = containers_of(page.markup[line_number(page.text, "More from the desk")])
    # The smallest container of two lines or more: the list of links, the story's paragraphs.
    assert link[0]["linked_lines"] == 1.0 and link[0]["short_lines"] == 1.0
    assert link[0]["links"] == 1.0 and link[0]["prose"] == 0.0
    assert paragraph[0]["prose"] == 1.0 and paragraph[0]["links"] == 0.0
    assert paragraph[0]["page_prose"] == 1.0 and paragraph[0]["holds_main"] == 1.0
    assert link[0]["holds_main"] == 0.0
    # The box opens with its heading; the second link sits a third of the way down the list.
    assert heading[0]["opens"] == 1.0 and heading[0]["place"] == 0.0
    assert link[0]["opens"] == 0.0 and abs(link[0]["place"] - 2 / 6) < 0.01
    # No block of the page holds 40 lines: the largest size says so and measures the
    # outermost block instead, which holds all the prose.
    assert link[-1]["none"] == 1.0 and link[-1]["page_prose"] == 1.0
    assert paragraph[0]["none"] == 0.0


def test_a_table_row_is_one_line_its_cells_apart_by_tabs() -> None:
    page = render_html(
        "<html><body><table><tr><th>Date</th><th>Change</th></tr>"
        "<tr><td>1/1/2013</td>\n  <td> +13.1% </td></tr>"
        "<tr><td><p>A paragraph in a cell</p></td><td>beside it</td></tr>"
        "<tr><td></td><td>second cell only</td></tr></table></body></html>"
    )
    assert page.text.split("\n") == [
        "Date\tChange",
        "1/1/2013\t+13.1%",
        "A paragraph in a cell",  # a block inside a cell keeps its own line
        "beside it",
        "second cell only",
    ]
    row = page.markup[1]
    assert row.own & ELEMENT_BITS["table"] and row.around & ELEMENT_BITS["table"]


def wrapped_page_html() -> str:
    """The article inside template wrappers whose classes name furniture words, beside a
    real promotion box inside the same wrapper."""
    paragraphs = "".join(f"<p>{text}</p>" for text in PROSE)
    return f"""<html><body>
    <div class="page-section promo-area has-breadcrumb">
    <div class="content-wrapper">
    <h1>Harbour commission votes to rebuild the lighthouse pier</h1>
    <div class="blog-item">{paragraphs}<p><span class="promo-link">Subscribe</span> today.</p>
    </div></div>
    <div class="promo-box"><a href="/offer">Half price for a year</a></div>
    </div></body></html>"""


def test_the_words_of_the_wrappers_holding_the_article_do_not_colour_its_lines() -> None:
    page = render_html(wrapped_page_html())
    paragraph = page.markup[line_number(page.text, PROSE[0])]
    assert paragraph.in_main
    assert not paragraph.around & WORD_BITS["promo"]
    assert not paragraph.around & WORD_BITS["breadcrumb"]
    assert paragraph.around & WORD_BITS["content"]  # the article's own word stays
    # A block or inline element nearer the line, inside or outside the article, that
    # says the same word still does.
    assert page.markup[line_number(page.text, "Subscribe today.")].around & WORD_BITS["promo"]
    box = page.markup[line_number(page.text, "Half price for a year")]
    assert not box.in_main and box.around & WORD_BITS["promo"]
