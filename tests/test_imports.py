"""triptych's modules import each other in one direction: no circles, so every module can be
read, tested and imported on its own. Imports inside functions count too: a lazy import
hides a circle from Python, not from a reader."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "triptych"


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module name -> the triptych modules it imports (``from . import x`` names module
    ``x`` when there is one, else the package it is taken from)."""
    modules = {_module_name(p, package.parent): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
                base = f"{base}.{node.module}" if node.level and node.module else (base if node.level else node.module)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_is_part_of_an_import_circle():
    assert circles(import_graph()) == []


def test_the_graph_sees_a_lazy_import_and_a_climb_to_the_package(tmp_path):
    """The check itself: a circle closed by an import inside a function, and one through
    the package's ``__init__``, are both found."""
    package = tmp_path / "triptych"
    (package / "writers").mkdir(parents=True)
    (package / "__init__.py").write_text("from .pipeline import build\n")
    (package / "pipeline.py").write_text("from . import cache\n")
    (package / "cache.py").write_text("from . import __version__\n")
    (package / "writers" / "__init__.py").write_text("")
    (package / "writers" / "page.py").write_text("from . import article\n")
    (package / "writers" / "article.py").write_text("def f():\n    from .page import html_text\n")
    graph = import_graph(package)
    assert circles(graph) == [["triptych", "triptych.cache", "triptych.pipeline"],
                              ["triptych.writers.article", "triptych.writers.page"]]
