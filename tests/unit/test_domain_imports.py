"""The domain (corpus, detector, export, annotations) must never import Textual.

Nor may the annotation commands: they run without the UI and should start fast.
"""

from __future__ import annotations

import subprocess
import sys

DOMAIN_MODULES = [
    "reader.corpus",
    "reader.boilerplate",
    "reader.export",
    "reader.config",
    "reader.paths",
    "annotations",
    "reader.cli_annotations",
]


def test_domain_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"for name in {DOMAIN_MODULES!r}:\n"
        "    module = importlib.import_module(name)\n"
        "    for info in pkgutil.walk_packages(getattr(module, '__path__', []), name + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
