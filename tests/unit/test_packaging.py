"""The wheel carries what a non-editable install needs: both packages, styles, the demo corpus
and the detector's line models."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_styles_demo_corpus_and_both_packages(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("copydesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    styles = {Path(n).name for n in names if n.startswith("reader/styles/")}
    assert styles == {p.name for p in (ROOT / "styles").glob("*.tcss")}
    demo = {Path(n).name for n in names if n.startswith("reader/demo/")}
    assert demo == {p.name for p in (ROOT / "reader" / "demo").glob("*.txt")} and len(demo) == 5
    assert "annotations/__init__.py" in names and "reader/cli.py" in names
    # The detector's line models ship beside the code that reads them.
    models = {f"reader/boilerplate/line_model_{name}.npz" for name in ("text", "html")}
    assert models <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "copydesk = reader.launch:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_wheel_metadata_has_the_license_and_classifiers(tmp_path: Path) -> None:
    import tomllib

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("copydesk-*.whl")
    archive = zipfile.ZipFile(wheel)
    metadata = archive.read(next(n for n in archive.namelist() if n.endswith("/METADATA")))
    fields = [line.split(": ", 1) for line in metadata.decode().splitlines() if ": " in line]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    # The LICENSE file is the license pyproject declares, and ships in the wheel.
    assert project["license"] == "MIT"
    assert ["License-Expression", "MIT"] in fields
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")
    license_file = next(n for n in archive.namelist() if n.endswith("licenses/LICENSE"))
    assert archive.read(license_file) == (ROOT / "LICENSE").read_bytes()
    classifiers = {value for key, value in fields if key == "Classifier"}
    assert "Environment :: Console" in classifiers
    assert "Programming Language :: Python :: 3.11" in classifiers
