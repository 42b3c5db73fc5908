"""The domain (corpus, detector, export, annotations, the shared state) must never import
Textual or the UI, and no module of the project may take part in an import circle.

Nor may the annotation commands import the UI: they run without it and should start fast.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

DOMAIN_MODULES = [
    "reader.corpus",
    "reader.boilerplate",
    "reader.export",
    "reader.state",
    "reader.scale",
    "reader.align",
    "reader.config",
    "reader.paths",
    "reader.files",
    "annotations",
    "reader.cli_annotations",
]
UI_MODULES = ("textual", "reader.app", "reader.commands", "reader.messages", "reader.screens",
              "reader.widgets", "reader.actions")
ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("reader", "annotations")


def test_domain_modules_import_neither_textual_nor_the_ui() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"for name in {DOMAIN_MODULES!r}:\n"
        "    module = importlib.import_module(name)\n"
        "    for info in pkgutil.walk_packages(getattr(module, '__path__', []), name + '.'):\n"
        "        importlib.import_module(info.name)\n"
        f"bad = sorted(m for m in sys.modules if any(m == u or m.startswith(u + '.') "
        f"for u in {UI_MODULES!r}))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_domain_sources_never_import_the_ui_even_inside_functions() -> None:
    """Imports made on first use (inside functions) are checked too."""
    graph = import_graph()
    domain = [m for m in graph if any(m == d or m.startswith(d + ".") for d in DOMAIN_MODULES)]
    bad = {
        module: sorted(u for u in graph[module] if any(
            u == ui or u.startswith(ui + ".") for ui in UI_MODULES))
        for module in domain
    }
    assert {m: deps for m, deps in bad.items() if deps} == {}


def module_files() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def type_checking_nodes(tree: ast.AST) -> set[int]:
    """Ids of the nodes under `if TYPE_CHECKING:` (those imports never run)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = getattr(test, "id", None) or getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                skipped.update(id(child) for child in ast.walk(node))
    return skipped


def import_graph() -> dict[str, set[str]]:
    """Module -> project modules it imports, at the top or inside functions."""
    files = module_files()

    def owner(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = type_checking_nodes(tree)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets.update(filter(None, (owner(alias.name) for alias in node.names)))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{parent}.{base}" if base else parent
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    found = full if full in files else owner(base)
                    if found:
                        targets.add(found)
        targets.discard(module)
        graph[module] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_import_circle_among_the_projects_modules() -> None:
    assert circles(import_graph()) == []


def test_the_circle_check_finds_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_top_level_packages_do_not_import_each_other_in_a_circle() -> None:
    graph = import_graph()
    annotations_uses_reader = sorted(
        (m, d) for m, deps in graph.items() if m.startswith("annotations")
        for d in deps if d.startswith("reader")
    )
    assert annotations_uses_reader == []
