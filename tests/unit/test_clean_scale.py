"""`copydesk clean` at corpus scale: compressed and WARC input, per-site evidence, the
process pool and the Dask engine giving the same bytes, and resuming after a kill.

Runs go through the installed console script in real processes (the pool, the kill and
the cluster are the point), on small corpora made here.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import zstandard

from reader.boilerplate import detect_corpus
from reader.corpus.loader import load_corpus
from reader.scale.sources import BLOCK_ITEMS
from reader.scale.work import hash_keys, labels_lines, shared_of, unique_counts

SCRIPT = Path(sys.executable).with_name("copydesk")

CHROME = ["Skip to main content", "Subscribe to the Gazette today", "Share this article"]


def article_text(number: int, chrome: list[str] = CHROME) -> str:
    body = "\n\n".join(
        f"Paragraph {part} of story {number}: the council met on Tuesday and members "
        f"argued about item {number * 7 + part} of the budget for the riverside district."
        for part in range(4)
    )
    return (
        f"{chrome[0]}\n\nStory {number} about the council budget\n\n{body}\n\n"
        + "\n".join(chrome[1:])
        + "\n"
    )


def clean(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, "clean", *map(str, args)], capture_output=True, text=True, check=check
    )


def tree(directory: Path) -> dict[str, bytes]:
    """Every file below `directory` (hidden ones too) by relative path."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def make_folders(root: Path, sites: int, per_site: int) -> Path:
    for site in range(sites):
        folder = root / f"site{site}"
        folder.mkdir(parents=True)
        for number in range(per_site):
            (folder / f"a{number:04d}.txt").write_text(
                article_text(site * 1000 + number), encoding="utf-8"
            )
    return root


def jsonl_records(count: int, hosts: list[str]) -> list[dict]:
    return [
        {
            "id": f"r{number}",
            "url": f"https://www.{hosts[number % len(hosts)]}/news/{number}",
            "text": article_text(number),
        }
        for number in range(count)
    ]


def write_jsonl(path: Path, records: list[dict]) -> bytes:
    data = "".join(json.dumps(record) + "\n" for record in records).encode("utf-8")
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(data))
    elif path.name.endswith(".zst"):
        path.write_bytes(zstandard.ZstdCompressor().compress(data))
    else:
        path.write_bytes(data)
    return data


def test_jobs_2_writes_the_same_bytes_as_jobs_1(tmp_path: Path) -> None:
    corpus = make_folders(tmp_path / "in", sites=3, per_site=BLOCK_ITEMS)  # several blocks
    write_jsonl(corpus / "feed.jsonl.gz", jsonl_records(80, ["a.example", "b.example"]))
    for fmt, extra in (("txt", []), ("jsonl", ["--shard-size", "50"])):
        one, two = tmp_path / f"{fmt}-1", tmp_path / f"{fmt}-2"
        clean(corpus, "-o", one, "-f", fmt, "--jobs", "1", *extra)
        clean(corpus, "-o", two, "-f", fmt, "--jobs", "2", *extra)
        assert tree(one) == tree(two)
        assert tree(one), "something was written"
    assert sorted(tree(tmp_path / "jsonl-1")) == [f"part-{n:05d}.jsonl" for n in range(6)]
    stdout_one = clean(corpus, "--jobs", "1").stdout
    assert stdout_one == clean(corpus, "--jobs", "2").stdout
    assert stdout_one.count("==> ") == 3 * BLOCK_ITEMS + 80


def test_stdout_carries_only_data_and_stderr_a_summary(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    write_jsonl(corpus.with_suffix(".jsonl"), jsonl_records(5, ["a.example"]))
    result = clean(corpus.with_suffix(".jsonl"), "-f", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["name"] for record in records] == [f"r{n}" for n in range(5)]
    [summary] = result.stderr.splitlines()
    assert "cleaned 5 article(s)" in summary and "MB/s" in summary


def test_single_folder_matches_detect_corpus(tmp_path: Path) -> None:
    """One folder is one site: the two passes give what the in-memory corpus pass gives."""
    corpus = make_folders(tmp_path / "in", sites=1, per_site=6)
    articles = load_corpus([corpus]).articles
    expected = "".join(
        labels_lines(article, analysis)
        for article, analysis in zip(articles, detect_corpus(articles), strict=True)
    )
    assert clean(corpus, "--labels", "--jobs", "1").stdout == expected
    assert "shared-chrome" in expected


def test_repeated_lines_count_per_site(tmp_path: Path) -> None:
    """A line on three pages of one host is that site's chrome; on one page of another
    host it is not, although the corpus has it four times."""
    records = jsonl_records(3, ["gazette.example"])
    records.append(
        {
            "id": "other",
            "url": "https://herald.example/news/1",
            "text": article_text(99, ["Skip to main content", "Subscribe to the Gazette today"]),
        }
    )
    path = tmp_path / "feed.jsonl"
    write_jsonl(path, records)
    out = clean(path, "--labels", "--jobs", "1").stdout.splitlines()
    verdicts = [json.loads(line) for line in out]
    subscribe = [v for v in verdicts if "Subscribe" in v["reason"] or v["kind"] == "shared-chrome"]
    assert subscribe, "the gazette's repeated lines are found"
    per_article: list[list[dict]] = []
    for verdict in verdicts:
        if verdict["line"] == 0:
            per_article.append([])
        per_article[-1].append(verdict)
    kinds = [{v["kind"] for v in article} for article in per_article]
    assert all("shared-chrome" in found for found in kinds[:3])
    assert "shared-chrome" not in kinds[3]


@pytest.mark.parametrize("compression", [".gz", ".zst"])
def test_compressed_jsonl_and_text_read_as_their_plain_form(
    tmp_path: Path, compression: str
) -> None:
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    plain.mkdir()
    packed.mkdir()
    records = jsonl_records(4, ["a.example"])
    data = write_jsonl(plain / "feed.jsonl", records)
    write_jsonl(packed / f"feed.jsonl{compression}", records)
    assert (packed / f"feed.jsonl{compression}").read_bytes() != data
    story = article_text(7).encode("utf-8")
    (plain / "story.txt").write_bytes(story)
    (packed / f"story.txt{compression}").write_bytes(
        gzip.compress(story)
        if compression == ".gz"
        else zstandard.ZstdCompressor().compress(story)
    )
    expected = clean(plain, "-f", "jsonl", "--jobs", "1").stdout
    got = clean(packed, "-f", "jsonl", "--jobs", "1").stdout
    normalize = [
        {key: value for key, value in json.loads(line).items() if key != "source"}
        for line in (expected, got)
        for line in line.splitlines()
    ]
    assert normalize[:5] == normalize[5:]
    assert len(normalize) == 10


def write_warc(path: Path, pages: list[tuple[str, str, str]], dictionary: bytes = b"") -> None:
    """A WARC with a request, then a response per page (url, content type, body): plain,
    gzipped, or one zstd frame per record (.zst) after a skippable frame holding
    `dictionary` when one is given, as the WARC zstd convention lays it out."""
    import zstandard
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    records: list[bytes] = []
    for url, content_type, body in pages:
        for kind, payload, headers in (
            ("request", b"", StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True)),
            (
                "response",
                body.encode("utf-8"),
                StatusAndHeaders("200 OK", [("Content-Type", content_type)], "HTTP/1.1"),
            ),
        ):
            buffer = io.BytesIO()
            writer = WARCWriter(buffer, gzip=path.name.endswith(".gz"))
            record = writer.create_warc_record(
                url, kind, payload=io.BytesIO(payload), http_headers=headers
            )
            writer.write_record(record)
            records.append(buffer.getvalue())
    if path.name.endswith(".zst"):
        shared = zstandard.ZstdCompressionDict(dictionary) if dictionary else None
        compressor = zstandard.ZstdCompressor(dict_data=shared)
        records = [compressor.compress(record) for record in records]
        if dictionary:
            header = (0x184D2A5D).to_bytes(4, "little") + len(dictionary).to_bytes(4, "little")
            records.insert(0, header + dictionary)
    path.write_bytes(b"".join(records))


def html_page(number: int) -> str:
    paragraphs = "".join(
        f"<p>{line}</p>" for line in article_text(number).split("\n") if line.strip()
    )
    return f"<html><head><title>Story {number}</title></head><body>{paragraphs}</body></html>"


WARC_DICTIONARY = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: text/html<html><p>"
"""A raw-content zstd dictionary, enough for frames that cannot be read without it."""


@pytest.mark.parametrize(
    ("name", "dictionary"),
    [
        ("crawl.warc.gz", b""),
        ("crawl.warc", b""),
        ("crawl.warc.zst", b""),
        ("crawl.warc.zst", WARC_DICTIONARY),
    ],
)
def test_warc_html_responses_are_cleaned(tmp_path: Path, name: str, dictionary: bytes) -> None:
    path = tmp_path / name
    write_warc(
        path,
        [
            ("https://www.gazette.example/news/one", "text/html; charset=utf-8", html_page(1)),
            ("https://www.gazette.example/logo.png", "image/png", "not a page"),
            ("https://www.gazette.example/news/two", "text/html", html_page(2)),
            ("https://www.gazette.example/news/three", "text/html", html_page(3)),
        ],
        dictionary,
    )
    result = clean(path, "-f", "jsonl", "--jobs", "1")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["url"] for record in records] == [
        f"https://www.gazette.example/news/{n}" for n in ("one", "two", "three")
    ]
    assert all(record["source"].startswith(str(path) + "#") for record in records)
    assert "Paragraph 0 of story 2" in records[1]["text"]
    assert all("Subscribe to the Gazette" not in record["text"] for record in records)
    assert "1 site(s)" in result.stderr


def test_a_file_that_is_not_a_warc_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "broken.warc"
    bad.write_bytes(b"this is not a web archive\n" * 10)
    good = tmp_path / "story.txt"
    good.write_text(article_text(1), encoding="utf-8")
    result = clean(bad, good)
    assert f"copydesk: {bad}: skipped:" in result.stderr
    assert "Paragraph 0 of story 1" in result.stdout


def interruptible() -> None:
    """In the child before exec: ctrl+c as a terminal delivers it. A test runner's worker
    may have SIGINT ignored or blocked, and a child inherits both (Python then installs no
    KeyboardInterrupt handler, or never sees the signal)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def interrupted_run(
    args: list, tmp_path: Path, stop: signal.Signals, attempts: int = 5
) -> tuple[Path, subprocess.Popen, str]:
    """Run `clean ARGS -o DIR` and send `stop` once its first block is journaled. On a
    loaded machine this process may not poll while the whole run goes by, or see the
    journal only as the run ends (the signal then reaches a process that has already
    exited): a run that finished, with status 0, is run again into a fresh DIR. A run
    that ignored the signal finishes every time and fails the test."""
    for attempt in range(attempts):
        killed = tmp_path / f"killed-{attempt}"
        journal = killed / ".copydesk-clean" / "journal.jsonl"
        process = subprocess.Popen(
            [SCRIPT, "clean", *map(str, args), "-o", str(killed)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=interruptible,
        )
        sent = False
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if journal.exists() and journal.read_bytes().count(b"\n") >= 1:
                os.kill(process.pid, stop)
                sent = True
                break
            time.sleep(0.002)
        _, stderr = process.communicate()
        if sent and process.returncode != 0:
            return killed, process, stderr
    raise AssertionError(f"the run finished although stopped, {attempts} times")


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl+c"])
def test_resume_after_a_kill_gives_the_uninterrupted_output(
    tmp_path: Path, stop: signal.Signals
) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    # Sixty shards, stopped once the first block is journaled (`interrupted_run`): the
    # rest of the run is far longer than the signal takes to land.
    write_jsonl(corpus / "feed.jsonl.gz", jsonl_records(BLOCK_ITEMS * 30, ["a.example", "b.org"]))
    args = [corpus, "-f", "jsonl", "--shard-size", "32", "--jobs", "1"]
    whole = tmp_path / "whole"
    clean(*args, "-o", whole)

    killed, process, stderr = interrupted_run(args, tmp_path, stop)
    if stop == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL, "the run was killed midway"
    else:
        assert process.returncode == 130, stderr
        assert "interrupted; run the same command with --resume" in stderr

    finished = {
        path.name: path.stat().st_mtime_ns for path in killed.iterdir() if path.is_file()
    }
    expected = tree(whole)
    visible = {name: data for name, data in tree(killed).items() if not name.startswith(".")}
    assert visible, "some shards were finished before the kill"
    assert len(visible) < len(expected)
    assert all(expected[name] == data for name, data in visible.items()), "no half file"

    result = clean(*args, "-o", killed, "--resume")
    assert tree(killed) == expected
    for name, mtime in finished.items():
        if not name.startswith("."):
            assert (killed / name).stat().st_mtime_ns == mtime, f"{name} was not redone"
    assert "cleaned" in result.stderr


def test_a_byte_order_mark_before_the_first_record_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "x", "text": article_text(1)}).encode())
    [record] = [json.loads(line) for line in clean(path, "-f", "jsonl").stdout.splitlines()]
    assert record["name"] == "x"


def test_resume_needs_an_interrupted_run_with_the_same_options(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(article_text(1), encoding="utf-8")
    result = clean(story, "-o", tmp_path / "out", "--resume", check=False)
    assert result.returncode == 2 and "no interrupted run" in result.stderr
    usage = clean(story, "--shard-size", "10", check=False)
    assert usage.returncode == 2 and "--shard-size needs -f jsonl" in usage.stderr


@pytest.mark.timeout(240)
def test_dask_engine_on_a_local_cluster_matches_the_local_run(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    corpus = make_folders(tmp_path / "in", sites=2, per_site=BLOCK_ITEMS // 2 + 8)
    write_jsonl(corpus / "feed.jsonl", jsonl_records(40, ["a.example", "b.example"]))
    local, dask = tmp_path / "local", tmp_path / "dask"
    args = [corpus, "-f", "jsonl", "--shard-size", "30"]
    clean(*args, "-o", local, "--jobs", "2")
    result = clean(*args, "-o", dask, "--engine", "dask", "--jobs", "2")
    assert "dask" in result.stderr
    assert tree(dask) == tree(local)
    assert len(tree(local)) == 4  # 120 records in shards of 30


@pytest.mark.parametrize("buffer_keys", [1000, 10**6], ids=["spilled", "in-memory"])
def test_key_spill_counts_exactly_whether_or_not_it_spills(
    tmp_path: Path, buffer_keys: int
) -> None:
    import numpy as np

    from reader.scale.run import KeySpill

    rng = np.random.default_rng(13)
    keys = rng.integers(0, 2**63, 5000, dtype=np.uint64)
    seen = np.concatenate([keys, keys[:2000], keys[:1000], keys[:400], keys[:400]])
    rng.shuffle(seen)
    spill = KeySpill(tmp_path / "keys", partitions=8, buffer_keys=buffer_keys)
    for part in np.array_split(seen.astype("<u8"), 23):
        spill.add(part)
    assert np.array_equal(spill.shared(), np.sort(keys[:1000]))
    assert any((tmp_path / "keys").iterdir()) == (buffer_keys == 1000)


def untimed(outputs: list) -> list:
    """Outputs without the detector's CPU seconds, which differ from run to run."""
    return [output._replace(detector_seconds=0.0) for output in outputs]


def test_pass_one_keeps_loaded_articles_for_pass_two(tmp_path: Path) -> None:
    """Each input is loaded once: pass 1 pickles a block's articles with their keys, pass 2
    reads them back in their places (among an unreadable input), classifies them against
    the shared lines as if loaded afresh, and removes the file."""
    from reader.scale.sources import blocks, iter_items
    from reader.scale.work import Options, classify_block, count_block

    source = tmp_path / "in"
    source.mkdir()
    (source / "a.html").write_text(html_page(1), encoding="utf-8")
    (source / "b.txt").write_text(article_text(2), encoding="utf-8")
    (source / "c.html").write_bytes(b"")
    (source / "d.html.gz").write_bytes(gzip.compress(html_page(4).encode("utf-8")))
    (source / "e.htm").write_text(html_page(5), encoding="utf-8")
    for number in range(6, 10):
        (source / f"f{number}.txt").write_text(article_text(number), encoding="utf-8")
    [(_, block)] = list(blocks(iter_items([str(source)], max_record_bytes=1 << 20)))
    kept = tmp_path / "kept.pickle"
    counted = count_block(block, 1 << 20, str(kept))
    assert counted.articles == 8 and kept.exists()
    shared = tmp_path / "shared.npy"
    np.save(shared, shared_of(unique_counts(counted.keys)))
    assert len(np.load(shared))  # the chrome of the text files is shared
    options = Options(fmt="jsonl")
    afresh = classify_block(block, str(shared), options)
    again = classify_block(block, str(shared), options, str(kept))
    assert untimed(again) == untimed(afresh)
    assert not kept.exists()
    assert "Share this article" not in "".join(output.rendered for output in afresh)
    assert [Path(output.source).name for output in afresh] == [
        "a.html",
        "b.txt",
        "d.html.gz",
        "e.htm",
        "f6.txt",
        "f7.txt",
        "f8.txt",
        "f9.txt",
    ]


def test_pass_two_reads_the_input_again_only_for_a_block_pass_one_did_not_keep(
    tmp_path: Path,
) -> None:
    """A fresh run's pass 2 takes each block from what pass 1 kept, without walking the
    input again; a block whose kept file is gone is read from the input, in its place."""
    from reader.scale.run import LocalEngine
    from reader.scale.sources import blocks, iter_items
    from reader.scale.work import Options

    source = make_folders(tmp_path / "in", sites=1, per_site=BLOCK_ITEMS * 2 + 5)
    fresh = lambda: blocks(iter_items([str(source)], max_record_bytes=1 << 20))  # noqa: E731
    engine = LocalEngine(1)
    shared = engine.count((block for _, block in fresh()), 1 << 20, lambda _: None, tmp_path)
    np.save(tmp_path / "shared.npy", shared)
    Path(engine._kept_file(1)).unlink()  # type: ignore[arg-type]
    left = list(engine.blocks_left(fresh, 0, 3))
    assert [index for index, _ in left] == [0, 1, 2]
    assert [block is None for _, block in left] == [True, False, True]
    options = Options()
    outputs = [
        output.rendered
        for _, found in engine.classify(iter(left), str(tmp_path / "shared.npy"), options, 3)
        for output in found
    ]
    afresh = LocalEngine(1)
    expected = [
        output.rendered
        for _, found in afresh.classify(fresh(), str(tmp_path / "shared.npy"), options, 3)
        for output in found
    ]
    assert outputs == expected and len(outputs) == BLOCK_ITEMS * 2 + 5
    assert "Share this article" not in "".join(outputs)


def test_verbose_clean_reports_the_detector_cpu_seconds(tmp_path: Path) -> None:
    """`copydesk -v clean` says how many CPU seconds the detector took (the bench reads it
    to tell the detector's cost from everything around it)."""
    source = make_folders(tmp_path / "in", sites=1, per_site=5)
    found = subprocess.run(
        [SCRIPT, "-v", "clean", str(source), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=True,
    )
    [line] = [line for line in found.stderr.splitlines() if "detector:" in line]
    seconds = float(line.split("detector: ")[1].split()[0])
    assert seconds > 0 and "MB per CPU s" in line


def test_resume_after_a_kill_with_one_file_per_article(tmp_path: Path) -> None:
    """Files are written by threads and a block is journaled once all of its files are:
    after a kill, every name the journal gives is a whole file, and `--resume` ends with
    the uninterrupted output (no temporary file left)."""
    corpus = make_folders(tmp_path / "in", sites=2, per_site=BLOCK_ITEMS * 6)
    args = [corpus, "--jobs", "1"]
    whole = tmp_path / "whole"
    clean(*args, "-o", whole)
    expected = tree(whole)

    killed, process, _ = interrupted_run(args, tmp_path, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    journal = (killed / ".copydesk-clean" / "journal.jsonl").read_text(encoding="utf-8")
    named = [name for line in journal.splitlines() for name in json.loads(line)["names"]]
    assert named and all((killed / name).read_bytes() == expected[name] for name in named)
    assert len(named) < len(expected)

    clean(*args, "-o", killed, "--resume")
    assert tree(killed) == expected


def test_line_keys_hash_as_blake2b_of_site_nul_and_line() -> None:
    """The 64-bit key of a line is fixed (a resumed run reads keys an earlier one saved)."""
    from hashlib import blake2b

    keys = ["\n", "Subscribe now", "Żółć — naïve"]
    found = hash_keys("news.example", keys)
    expected = b"".join(
        blake2b(f"news.example\0{key}".encode(), digest_size=8).digest() for key in keys
    )
    assert found == expected and len(found) == 8 * len(keys)
    assert hash_keys("other.example", keys[:1]) != found[:8]


def test_blank_and_whitespace_lines_of_a_jsonl_input_are_no_records(tmp_path: Path) -> None:
    from reader.scale.sources import Item, iter_items

    path = tmp_path / "pages.jsonl"
    record = json.dumps({"id": "a", "text": "One line."}).encode()
    path.write_bytes(b"\n  \t\r\n" + record + b"\n\x0b\x0c \n\n" + record + b"\n   ")
    found = list(iter_items([str(path)], max_record_bytes=1 << 20))
    assert [item.number for item in found if isinstance(item, Item)] == [3, 6]
    assert all(isinstance(item, Item) for item in found)


def test_the_forkserver_starts_early_only_for_an_input_of_several_blocks(tmp_path: Path) -> None:
    from reader.scale.early import SEVERAL_BLOCKS_BYTES, SEVERAL_BLOCKS_FILES, likely_several_blocks
    from reader.scale.early import start_workers_early as early

    assert SEVERAL_BLOCKS_FILES > BLOCK_ITEMS
    few = make_folders(tmp_path / "few", sites=2, per_site=SEVERAL_BLOCKS_FILES // 2)
    many = make_folders(tmp_path / "many", sites=5, per_site=SEVERAL_BLOCKS_FILES // 5 + 1)
    (few / "empty").mkdir()
    assert not likely_several_blocks([str(few), str(tmp_path / "missing")])
    assert likely_several_blocks([str(many)])
    assert likely_several_blocks([str(few), str(few / "site0")])  # files add up across inputs
    small = tmp_path / "small.jsonl.gz"
    write_jsonl(small, jsonl_records(3, ["a.example"]))
    big = tmp_path / "big.jsonl"
    one_record = len(json.dumps(jsonl_records(1, ["a.example"])[0]))
    write_jsonl(big, jsonl_records(SEVERAL_BLOCKS_BYTES // one_record + 1, ["a.example"]))
    assert not likely_several_blocks([str(small)])
    assert likely_several_blocks([str(big)])
    assert not early([str(many)], 1, "local") and not early([str(many)], 2, "dask")
    assert not early([str(few)], 2, "local")
    assert early([str(many)], 2, "local")
