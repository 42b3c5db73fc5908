"""Notes rendered from Markdown for the review pane: shape kept, links and markup inert."""

from __future__ import annotations

from reader.widgets.note_markdown import render_note


def styles_of(content, text: str) -> set[str]:
    start = content.plain.index(text)
    return {str(s.style) for s in content.spans if s.start <= start < s.end}


def test_emphasis_code_and_headings() -> None:
    note = render_note("# Title\n\nCheck the **original** and *this* `code`.")
    assert note.plain == "Title\n\nCheck the original and this code."
    assert "bold underline" in styles_of(note, "Title")
    assert "bold" in styles_of(note, "original")
    assert "italic" in styles_of(note, "this")


def test_lists_quotes_and_tables_keep_their_shape() -> None:
    note = render_note("- a\n- b\n  1. x\n  2. y\n\n> quoted\n\n| h | i |\n|---|---|\n| 1 | 2 |")
    assert note.plain == "• a\n• b\n  1. x\n  2. y\n\n▌ quoted\n\nh │ i\n1 │ 2"


def test_links_are_inert_text_with_their_address() -> None:
    note = render_note("See [the copy](https://example.org/wire).")
    assert note.plain == "See the copy ‹https://example.org/wire›."
    assert all("link" not in str(s.style) and "@click" not in str(s.style) for s in note.spans)


def test_markup_and_html_stay_literal() -> None:
    text = "[@click=app.quit]boom[/] [b]x[/b] <script>y</script>"
    assert render_note(text).plain == text


def test_image_alt_text_with_markup_stays_literal() -> None:
    note = render_note("![[bold]x[/] [@click=app.quit]y](https://example.org/p.png)")
    assert note.plain == "[image: [bold]x[/] [@click=app.quit]y]"
    assert {str(s.style) for s in note.spans} <= {"dim"}
