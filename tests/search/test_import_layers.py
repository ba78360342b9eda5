"""The catalog does not import the search app (issue 11: the catalog↔search import circle): the catalog announces
the publications it wrote (``gongkai.catalog.actions.publications_changed``) and the search app, which reads
the catalog's models, subscribes. Checked on the source's module-level imports (``ast``, nothing is imported).

    .venv/bin/python tests/search/test_import_layers.py   # prints every module-level import cycle in gongkai
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def search_backend() -> str:
    """Source only: neither backend nor database (replaces the package's parametrised fixture)."""
    return "none"


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted((ROOT / "gongkai").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _run_at_import(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements run when the module is imported: not function bodies, not ``if TYPE_CHECKING``."""
    for node in body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from _run_at_import(node.orelse)
        elif isinstance(node, ast.If | ast.Try | ast.With | ast.For | ast.While):
            for block in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(node, block, []):
                    inner = child.body if isinstance(child, ast.ExceptHandler) else [child]
                    yield from _run_at_import(inner)
        elif isinstance(node, ast.ClassDef):
            yield from _run_at_import(node.body)
        else:
            yield node


def _imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The gongkai modules ``name`` imports at module level (with the packages they are in)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _run_at_import(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = (
                ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
            )
            mod = ".".join(p for p in (base, node.module or "") if p)
            found |= {mod} | {f"{mod}.{alias.name}" for alias in node.names}
    ancestors = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
    out: set[str] = set()
    for target in found:  # a target's packages run first, except those this module is in (already running)
        parts = target.split(".")
        out |= {".".join(parts[:i]) for i in range(1, len(parts))} - ancestors
        out.add(target)
    return (out & set(known)) - {name}


def import_graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imported(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def app_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The same imports between apps (``gongkai.<app>``); a module of ``gongkai`` itself is its own node."""

    def app(name: str) -> str:
        return ".".join(name.split(".")[:2])

    out: dict[str, set[str]] = {}
    for name, targets in graph.items():
        out.setdefault(app(name), set()).update(app(t) for t in targets if app(t) != app(name))
    return out


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_the_graph_sees_the_search_apps_imports_of_the_catalog() -> None:
    graph = import_graph()
    assert "gongkai.catalog.models" in graph["gongkai.search.signals"]
    assert "gongkai.catalog.actions" in graph["gongkai.search.signals"]


def test_importing_the_catalog_never_imports_the_search_app() -> None:
    graph = import_graph()
    for name in graph:
        if name.startswith("gongkai.catalog"):
            reached = {m for m in reachable(graph, name) if m.startswith("gongkai.search")}
            assert not reached, (name, sorted(reached))


def test_no_module_level_import_cycle_holds_catalog_and_search() -> None:
    for component in cycles(import_graph()):
        apps = {".".join(m.split(".")[:2]) for m in component}
        assert not {"gongkai.catalog", "gongkai.search"} <= apps, component


if __name__ == "__main__":
    modules = import_graph()
    print(f"{len(modules)} modules of gongkai; module-level import cycles:")
    for component in cycles(modules) or [["(none)"]]:
        print("  " + " ↔ ".join(component))
    print(
        "apps joined by module-level imports in both directions (through any of their modules; not a cycle of"
    )
    print("modules, which is what Python runs into, but a layering to look at):")
    for component in cycles(app_graph(modules)) or [["(none)"]]:
        print("  " + " ↔ ".join(component))
    sys.exit(0)
