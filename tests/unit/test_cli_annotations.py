"""The annotation commands through click's runner and through the installed script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.annotations_support import STORY, bucket_files

from annotations.store import AnnotationStore
from reader.cli import cli


@pytest.fixture
def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_annotate_saves_and_prints_the_id(story_file: Path, db_path: Path) -> None:
    result = run(
        "annotate",
        str(story_file),
        "--quote",
        "central bank",
        "--tag",
        "economy",
        "--tag",
        "rates",
        "--note",
        "**Check** the date",
        "--user",
        "ana",
    )
    assert result.exit_code == 0, result.output
    ident = result.stdout.strip()
    saved = AnnotationStore.open(db_path).get(ident)
    assert saved is not None
    assert (saved.author, saved.tags, saved.note) == (
        "ana",
        ["economy", "rates"],
        "**Check** the date",
    )
    assert str(saved.motivation) == "commenting"
    assert saved.target.exact == "central bank"


def test_annotate_records_a_decision_with_db_option(story_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "elsewhere" / "team.json"
    result = run(
        "annotate", str(story_file), "--quote", "Share this article", "--remove", "--db", str(db)
    )
    assert result.exit_code == 0, result.output
    (saved,) = AnnotationStore.open(db).all()
    assert (str(saved.motivation), saved.decision) == ("editing", "remove")
    assert "line 8" in result.stderr


def test_annotate_author_comes_from_config(
    story_file: Path, isolated_paths: Path, db_path: Path
) -> None:
    (isolated_paths / "config.toml").write_text('user = "from-config"\n')
    assert run("annotate", str(story_file), "--quote", "Analysts").exit_code == 0
    assert AnnotationStore.open(db_path).all()[0].author == "from-config"


def test_annotate_quote_may_differ_in_whitespace(story_file: Path, db_path: Path) -> None:
    result = run("annotate", str(story_file), "--quote", "Share this   article\n Sign up")
    assert result.exit_code == 0, result.output
    assert AnnotationStore.open(db_path).all()[0].target.exact == "Share this article\nSign up"


def test_annotate_missing_quote_is_one_line_error(story_file: Path, db_path: Path) -> None:
    result = run("annotate", str(story_file), "--quote", "not there \x1b]0;pwned\x07")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "does not occur" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert not db_path.exists()


def test_list_filters_and_shows_anchor_status(story_file: Path, tmp_path: Path) -> None:
    run("annotate", str(story_file), "--quote", "central bank", "--tag", "economy", "--user", "ana")
    run("annotate", str(story_file), "--quote", "Analysts", "--user", "ben")
    run("annotate", str(story_file), "--quote", "Skip to content", "--remove", "--user", "ben")
    everything = run("annotations", "list")
    assert everything.exit_code == 0
    assert len(everything.stdout.splitlines()) == 3
    assert len(run("annotations", "list", "--author", "ben").stdout.splitlines()) == 2
    assert "economy" in run("annotations", "list", "--tag", "economy").stdout
    # The article changes: one line gone, a paragraph inserted.
    story_file.write_text("Breaking: new paragraph.\n" + STORY.replace("Skip to content\n", ""))
    listed = run("annotations", "list", str(story_file)).stdout
    assert "==> " in listed
    statuses = {line.split("'")[1]: line.split()[1] for line in listed.splitlines()[1:]}
    assert statuses == {"central bank": "moved", "Analysts": "moved", "Skip to content": "orphaned"}


def test_export_import_round_trip_between_databases(story_file: Path, tmp_path: Path) -> None:
    # Both authors named: the login name of whoever runs the tests plays no part.
    run("annotate", str(story_file), "--quote", "central bank", "--note", "=cmd|' /C calc'!A0",
        "--user", "zoe")
    run("annotate", str(story_file), "--quote", "Analysts", "--user", "ben")
    for fmt, extra in (("json", []), ("w3c", []), ("w3c", ["--collection"])):
        out = tmp_path / f"export-{fmt}-{len(extra)}.json"
        assert run("annotations", "export", "-f", fmt, *extra, "-o", str(out)).exit_code == 0
        other = tmp_path / f"other-{fmt}-{len(extra)}.json"
        first = run("annotations", "import", str(out), "--db", str(other))
        assert first.exit_code == 0, first.output
        assert "2 added" in first.stdout
        again = run("annotations", "import", str(out), "--db", str(other))
        assert "0 added" in again.stdout and "2 already present" in again.stdout
        assert sorted(a.author for a in AnnotationStore.open(other).all()) == ["ben", "zoe"]
    csv_text = run("annotations", "export", "-f", "csv").stdout
    assert "'=cmd" in csv_text


def test_hostile_import_leaves_the_database_untouched(
    story_file: Path, tmp_path: Path, db_path: Path
) -> None:
    run("annotate", str(story_file), "--quote", "central bank")
    before = {p: p.read_bytes() for p in [db_path, *bucket_files(db_path)]}
    hostile = tmp_path / "hostile.json"
    hostile.write_text(
        json.dumps(
            {"format": "copydesk-annotations", "version": 1, "annotations": [{}] * 1_000_000}
        )
    )
    result = run("annotations", "import", str(hostile))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "more than" in result.stderr
    assert {p: p.read_bytes() for p in [db_path, *bucket_files(db_path)]} == before


def test_stats(story_file: Path) -> None:
    run("annotate", str(story_file), "--quote", "central bank", "--tag", "economy", "--user", "ana")
    run("annotate", str(story_file), "--quote", "Skip to content", "--remove", "--user", "ben")
    out = run("annotations", "stats").stdout
    assert "annotations  2" in out
    assert "ana 1" in out and "ben 1" in out
    assert "remove 1" in out and "economy 1" in out


def test_corrupt_database_modes(story_file: Path, db_path: Path) -> None:
    run("annotate", str(story_file), "--quote", "central bank")
    (bucket,) = bucket_files(db_path)
    bucket.write_text("{broken")
    stopped = run("annotations", "list")
    assert stopped.exit_code == 1
    assert stopped.stderr.count("\n") == 1
    assert str(bucket) in stopped.stderr and "--if-corrupt" in stopped.stderr
    assert bucket.read_text() == "{broken"
    read_only = run("annotations", "list", "--if-corrupt", "read-only")
    assert read_only.exit_code == 0 and "skipped corrupt file" in read_only.stderr
    refused = run("annotate", str(story_file), "--quote", "Analysts", "--if-corrupt", "read-only")
    assert refused.exit_code == 1
    fresh = run("annotate", str(story_file), "--quote", "Analysts", "--if-corrupt", "fresh")
    assert fresh.exit_code == 0, fresh.output
    assert "corrupt file kept as" in fresh.stderr
    assert len(AnnotationStore.open(db_path).all()) == 1
    (kept,) = bucket.parent.glob("*.corrupt-*")
    assert kept.read_text() == "{broken"


def test_export_applies_the_chosen_authors_decisions(story_file: Path, tmp_path: Path) -> None:
    run(
        "annotate", str(story_file), "--quote", "Analysts had expected", "--remove", "--user", "ana"
    )
    run("annotate", str(story_file), "--quote", "Share this article", "--keep", "--user", "ana")
    run(
        "annotate",
        str(story_file),
        "--quote",
        "central bank",
        "--tag",
        "economy",
        "--note",
        "A note.",
        "--user",
        "ana",
    )
    run(
        "annotate", str(story_file), "--quote", "The central bank left", "--remove", "--user", "ben"
    )
    out = tmp_path / "out"
    result = run("export", str(story_file), "-o", str(out), "--user", "ana")
    assert result.exit_code == 0, result.output
    text = (out / "story.txt").read_text()
    assert "Analysts had expected" not in text
    assert "Share this article" in text
    assert "The central bank left" in text
    md = run("export", str(story_file), "-o", str(out), "-f", "md", "--author", "ana")
    assert md.exit_code == 0
    document = (out / "story.md").read_text()
    assert document.startswith("---\n") and 'tags: ["economy"]' in document
    assert "A note." in document
    run("export", str(story_file), "-o", str(out), "-f", "jsonl", "--all-authors")
    record = json.loads((out / "story.jsonl").read_text())
    assert "The central bank left" not in record["text"]
    assert record["notes"][0]["note"] == "A note."


def test_installed_console_script(story_file: Path, db_path: Path) -> None:
    script = Path(sys.executable).parent / "copydesk"
    if not script.exists():
        script = Path(shutil.which("copydesk") or "")
    if not script.is_file():
        pytest.skip("the copydesk console script is not installed (pip install -e .)")
    env = {**os.environ, "COPYDESK_DB": str(db_path)}
    saved = subprocess.run(
        [str(script), "annotate", str(story_file), "--quote", "central bank", "--user", "ana"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert saved.returncode == 0, saved.stderr
    ident = saved.stdout.strip()
    # Exit 0 means it is on disk: a fresh process finds it.
    assert AnnotationStore.open(db_path).get(ident).author == "ana"
    listed = subprocess.run(
        [str(script), "annotations", "list", "--db", str(db_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ident[:8] in listed.stdout
    db_path.with_name(db_path.name + ".d").joinpath(f"{bucket_files(db_path)[0].name}").write_text(
        "["
    )
    broken = subprocess.run(
        [str(script), "annotations", "stats"], capture_output=True, text=True, env=env, check=False
    )
    assert broken.returncode == 1
    assert broken.stderr.count("\n") == 1 and "Traceback" not in broken.stderr
