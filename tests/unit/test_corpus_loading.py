"""Corpus loading: every input kind, and every kind of bad input reported without stopping."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.corpus import Article, content_id, decode_bytes, load_corpus, normalize
from reader.corpus.text import DecodeError

ARTICLE = "Headline here\n\nFirst paragraph of the story.\nSecond paragraph.\n"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_txt_file_gives_article_with_lines_and_offsets(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", ARTICLE)
    result = load_corpus([path])
    assert result.problems == []
    [article] = result.articles
    assert article.name == "story"
    assert article.title == "Headline here"
    assert article.source == str(path)
    assert [line.text for line in article.lines[:3]] == [
        "Headline here",
        "",
        "First paragraph of the story.",
    ]
    third = article.lines[2]
    assert article.text[third.start : third.end] == third.text
    assert article.line_at(third.start + 3) == third


def test_id_is_content_hash_and_survives_rename(tmp_path: Path) -> None:
    first = load_corpus([write(tmp_path / "a.txt", ARTICLE)]).articles[0]
    second = load_corpus([write(tmp_path / "moved" / "b.txt", ARTICLE)]).articles[0]
    assert first.id == second.id == content_id(ARTICLE)
    changed = load_corpus([write(tmp_path / "c.txt", ARTICLE + "More.\n")]).articles[0]
    assert changed.id != first.id


def test_line_endings_and_bom_are_normalized(tmp_path: Path) -> None:
    crlf = write(tmp_path / "crlf.txt", b"\xef\xbb\xbfOne\r\nTwo\rThree\n")
    [article] = load_corpus([crlf]).articles
    assert article.text == "One\nTwo\nThree\n"
    plain = write(tmp_path / "plain.txt", "One\nTwo\nThree\n")
    assert load_corpus([plain]).articles[0].id == article.id


def test_nul_and_control_characters_are_removed() -> None:
    text = normalize("Title\x00\n\x1b[31mred\x1b[0m\x9b2J and\ttab\n")
    assert "\x00" not in text and "\x1b" not in text and "\x9b" not in text
    assert text == "Title\n[31mred[0m2J and\ttab\n"


def test_cp1252_and_latin1_are_detected(tmp_path: Path) -> None:
    sentence = "Le café « crème » coûte déjà trop cher — dit-elle à l’été. " * 4
    path = write(tmp_path / "cp1252.txt", sentence.encode("cp1252"))
    [article] = load_corpus([path]).articles
    assert "café « crème » coûte déjà" in article.text
    assert "—" in article.text and "’" in article.text


def test_utf16_with_bom_is_read() -> None:
    assert decode_bytes("Grüße aus Köln\n".encode("utf-16")) == "Grüße aus Köln\n"


def test_recursive_directory_only_supported_files(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Alpha story text.\n")
    write(tmp_path / "sub" / "b.md", "# Beta title\n\nBeta body.\n")
    write(
        tmp_path / "sub" / "deeper" / "c.html",
        "<html><head><title>Gamma</title></head><body><p>Gamma body.</p></body></html>",
    )
    write(tmp_path / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(tmp_path / ".hidden.txt", "hidden")
    result = load_corpus([tmp_path])
    assert result.problems == []
    assert sorted(a.title for a in result.articles) == ["Alpha story text.", "Beta title", "Gamma"]


def test_html_rendered_one_block_per_line_without_scripts(tmp_path: Path) -> None:
    html = """<!doctype html><html><head><title>T</title><style>p{color:red}</style></head>
    <body><nav><a href="/">Home</a> <a href="/w">World</a></nav>
    <script>var x = "<p>not text</p>";</script>
    <article><h1>The headline</h1><p>First   <b>bold</b> paragraph.</p>
    <p>Second<br>line</p></article>
    </body></html>"""
    [article] = load_corpus([write(tmp_path / "page.html", html)]).articles
    assert article.text.split("\n") == [
        "Home World",
        "The headline",
        "First bold paragraph.",
        "Second",
        "line",
    ]
    assert article.title == "T"


def test_jsonl_records_and_bad_records(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "text": "First record body.",
                "title": "First",
                "url": "https://example.org/1",
                "id": "r1",
            }
        ),
        "not json",
        json.dumps({"title": "no text"}),
        "",
        json.dumps({"text": "Second record body."}),
    ]
    path = write(tmp_path / "corpus.jsonl", "\n".join(lines) + "\n")
    result = load_corpus([path])
    assert [a.title for a in result.articles] == ["First", "Second record body."]
    assert result.articles[0].url == "https://example.org/1"
    assert result.articles[0].name == "r1"
    assert result.articles[1].name == "corpus-5"
    assert [p.source for p in result.problems] == [f"{path}#2", f"{path}#3"]


def test_stdin(tmp_path: Path) -> None:
    result = load_corpus(["-"], stdin=io.BytesIO(ARTICLE.encode()))
    [article] = result.articles
    assert article.source == "<stdin>" and article.title == "Headline here"


def test_bad_inputs_each_reported_and_the_rest_loads(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", ARTICLE)
    binary = write(tmp_path / "binary.txt", bytes(range(256)) * 3)
    noise = random.Random(7)
    undecodable = write(
        tmp_path / "undecodable.txt", bytes(noise.randrange(1, 256) for _ in range(3000))
    )
    empty = write(tmp_path / "empty.txt", b"")
    blank = write(tmp_path / "blank.txt", b"  \n\n \t\n")
    huge = write(tmp_path / "huge.txt", b"x" * 2048)
    missing = tmp_path / "missing.txt"
    result = load_corpus(
        [good, binary, undecodable, empty, blank, huge, missing], max_file_bytes=1024
    )
    assert [a.source for a in result.articles] == [str(good)]
    reasons = {Path(p.source).name: p.reason for p in result.problems}
    assert set(reasons) == {
        "binary.txt",
        "undecodable.txt",
        "empty.txt",
        "blank.txt",
        "huge.txt",
        "missing.txt",
    }
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.txt"] and "empty" in reasons["blank.txt"]
    assert "limit" in reasons["huge.txt"]
    assert "no such file" in reasons["missing.txt"]
    for problem in result.problems:
        assert "\n" not in str(problem) and str(problem).startswith(problem.source)


def _without_root_file_powers() -> list[str]:
    """A command prefix under which file modes apply, even when the tests run as root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file modes cannot be enforced")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def test_permission_denied_is_reported(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked.txt", ARTICLE)
    write(tmp_path / "readable.txt", ARTICLE + "More.\n")
    locked.chmod(0)
    code = (
        "import sys; from reader.corpus import load_corpus\n"
        "result = load_corpus([sys.argv[1]])\n"
        "print(len(result.articles)); print(*result.problems, sep='\\n')\n"
    )
    command = [*_without_root_file_powers(), sys.executable, "-c", code, str(tmp_path)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert output.splitlines() == ["1", f"{locked}: skipped: permission denied"]


def test_directory_passed_as_a_file_is_reported(tmp_path: Path) -> None:
    """A directory handed to `load_file` gets one clear line naming it, not a traceback."""
    from reader.corpus.loader import load_file

    [problem] = list(load_file(tmp_path))
    assert problem.source == str(tmp_path)


def test_symlink_loop_and_broken_link(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.txt", ARTICLE)
    (tmp_path / "docs" / "loop").symlink_to(tmp_path / "docs", target_is_directory=True)
    (tmp_path / "docs" / "self.txt").symlink_to(tmp_path / "docs" / "self.txt")
    result = load_corpus([tmp_path / "docs"])
    assert [Path(a.source).name for a in result.articles] == ["a.txt"]
    reasons = " | ".join(str(p) for p in result.problems)
    assert "loop" in reasons
    assert "self.txt" in reasons


def test_explicit_symlink_loop_file(tmp_path: Path) -> None:
    link = tmp_path / "loop.txt"
    link.symlink_to(link)
    result = load_corpus([link, write(tmp_path / "ok.txt", ARTICLE)])
    assert len(result.articles) == 1
    assert "symlink loop" in result.problems[0].reason


def test_article_title_defaults_and_untitled() -> None:
    assert Article(text="\n\n  Spaced   title \nbody", source="s", name="n").title == "Spaced title"
    assert Article(text="", source="s", name="n").title == "(untitled)"


def test_decode_error_for_binary_bytes() -> None:
    with pytest.raises(DecodeError):
        decode_bytes(b"\x00\x01\x02\x03" * 100)


def test_long_line_and_many_lines_load(tmp_path: Path) -> None:
    long_line = write(tmp_path / "long.txt", "word " * 200_000)
    many = write(tmp_path / "many.txt", "line of text\n" * 100_000)
    result = load_corpus([long_line, many])
    assert [len(a.lines) for a in result.articles] == [1, 100_001]
