"""The kit's modules: one job each, documented public API, no import cycles, and a workshop
layout that a new workshop can follow."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

from kit import workshops

KIT = Path(__file__).resolve().parent.parent / "kit"
MODULES = sorted(
    ".".join(p.relative_to(KIT.parent).with_suffix("").parts).removesuffix(".__init__")
    for p in KIT.rglob("*.py")
    if p.name != "__main__.py"
)
CORE = [
    "i18n",
    "errors",
    "readers",
    "schemas",
    "loader",
    "privacy",
    "datasets",
    "charts",
    "cards",
    "runner",
    "serve",
    "cli",
]


def imports_of(module: str) -> set[str]:
    """Every kit module that ``module`` imports, at the top or inside a function."""
    path = KIT.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = KIT.parent / module.replace(".", "/") / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kit"):
            base = node.module
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("kit")}
    return {m for m in found if m in MODULES} - {module}


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
    assert graph["kit.loader"] and "kit.cli" not in set().union(
        *(graph[m] for m in graph if m != "kit.__main__")
    )


def test_the_shared_core_is_flat():
    for name in CORE:
        assert f"kit.{name}" in MODULES, name


def test_every_workshop_folder_has_the_same_parts():
    for w in workshops.REGISTRY:
        for part in ("view.py", "checks.py", "cells.py", "catalogue.toml", "__init__.py"):
            assert (w.folder / part).exists(), f"{w.name}: {part}"
        module = importlib.import_module(w.package)
        assert module.WORKSHOP is w and module.__doc__
        cells = importlib.import_module(f"{w.package}.cells")
        assert cells.NOTEBOOKS[0].name == w.report
        assert {nb.name for nb in cells.NOTEBOOKS} == set(w.notebooks)
        for field in ("warm", "demo", "showcase", "commands"):
            if getattr(w, field):
                from kit.workshops.spec import resolve

                assert resolve(getattr(w, field)) is not None


def test_the_registry_and_the_parsers_import_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys, kit.workshops, kit.schemas, kit.cli; kit.cli.build_parser('fi'); "
        "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib', 'pandera', 'papermill', "
        "'nbformat', 'scipy') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def test_public_api_has_docstrings_and_type_hints():
    missing = []
    for name in MODULES:
        module = importlib.import_module(name)
        assert module.__doc__, name
        for attr, obj in vars(module).items():
            if (
                attr.startswith("_")
                or not inspect.isfunction(obj)
                or obj.__module__ != module.__name__
            ):
                continue
            if not obj.__doc__:
                missing.append(f"{name}.{attr}: docstring")
            if "return" not in obj.__annotations__:
                missing.append(f"{name}.{attr}: return type")
    assert not missing, missing
