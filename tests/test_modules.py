"""The kit's modules: one job each, documented public API, and no import cycles."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

KIT = Path(__file__).resolve().parent.parent / "kit"
MODULES = sorted(p.stem for p in KIT.glob("*.py") if p.stem not in ("__init__", "__main__"))


def imports_of(module: str) -> set[str]:
    """Every kit module that ``module`` imports, at the top or inside a function."""
    tree = ast.parse((KIT / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "kit":
                found |= {a.name for a in node.names if a.name in MODULES}
            elif node.module.startswith("kit."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("kit.")}
    return found - {module}


def test_no_import_cycles():
    graph = {m: imports_of(m) for m in MODULES}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                raise AssertionError("cycle: " + " → ".join([*path, node, nxt]))
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for m in MODULES:
        if m not in state:
            visit(m, [])
    assert graph["loader"] and "cli" not in set().union(*graph.values())


def test_public_api_has_docstrings_and_type_hints():
    missing = []
    for name in MODULES:
        module = importlib.import_module(f"kit.{name}")
        assert module.__doc__, name
        for attr, obj in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != module.__name__:
                continue
            if not obj.__doc__:
                missing.append(f"{name}.{attr}: docstring")
            if "return" not in obj.__annotations__:
                missing.append(f"{name}.{attr}: return type")
    assert not missing, missing
