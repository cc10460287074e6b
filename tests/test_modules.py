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
    "suppression",
    "room",
    "datasets",
    "charts",
    "runner",
    "serve",
    "cli",
    "parts",
]
#: the core modules that work on every workshop (and the package, which wires them in): the
#: only ones that may read the registry
EVERY_WORKSHOP = {"kit", "kit.cli", "kit.runner", "kit.serve", "kit.demo", "kit.console", "kit.hub"}


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


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def workshop_vocabulary() -> tuple[set[str], set[str], set[str]]:
    """What belongs to the workshops: their names, their file kinds and their charts."""
    from kit.parts import resolve

    kinds = {k.name for w in workshops.REGISTRY if w.kinds for k in resolve(w.kinds)}
    charts = set()
    for w in workshops.REGISTRY:
        if (w.folder / "charts.py").exists():
            module = importlib.import_module(f"{w.package}.charts")
            charts |= {
                n
                for n, f in vars(module).items()
                if inspect.isfunction(f) and f.__module__ == module.__name__
            }
    return set(workshops.names()), kinds, charts


def core_problems(
    module: str, path: Path, vocabulary: tuple[set[str], set[str], set[str]]
) -> list[str]:
    """Where ``module`` imports a workshop (statement or importlib string) or names one, one of
    their file kinds or charts."""
    names, kinds, charts = vocabulary
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kit.workshops"):
            found.append(f"{module}:{line} imports {node.module}")
        elif isinstance(node, ast.Import):
            found += [
                f"{module}:{line} imports {a.name}"
                for a in node.names
                if a.name.startswith("kit.workshops")
            ]
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        ):
            if "kit.workshops" in node.value:
                found.append(f"{module}:{line} names the package {node.value!r}")
            elif node.value in names | kinds:
                found.append(f"{module}:{line} names {node.value!r}")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "charts"
            and node.attr in charts
        ):
            found.append(f"{module}:{line} draws charts.{node.attr}")
    return found


def test_the_core_knows_no_workshop():
    vocabulary = workshop_vocabulary()
    assert {"radar", "swimlane", "quadrant"} <= vocabulary[2] and "criteria" in vocabulary[1]
    problems = []
    for path in sorted(KIT.glob("*.py")):
        module = "kit" if path.name == "__init__.py" else f"kit.{path.stem}"
        if module in EVERY_WORKSHOP or path.name == "__main__.py":
            continue
        problems += core_problems(module, path, vocabulary)
    assert not problems, "\n".join(problems)


def test_the_boundary_check_finds_each_way_of_knowing_a_workshop(tmp_path):
    vocabulary = workshop_vocabulary()
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Mentions kit.workshops.dashboards in its docstring only."""\n'
        "import importlib\n"
        "from kit import charts\n"
        "from kit.workshops.anticipation import model\n"
        "import kit.workshops.indicators\n"
        "importlib.import_module(f'kit.workshops.{name}.view')\n"
        "kind = 'wbl_phases'\n"
        "charts.radar(None)\n",
        encoding="utf-8",
    )
    found = core_problems("sample", sample, vocabulary)
    assert len(found) == 5, found
    assert not any("docstring" in f for f in found)


def test_every_workshop_has_the_one_model_shape():
    for w in workshops.REGISTRY:
        check_model_shape(w)


def check_model_shape(w: workshops.Workshop) -> None:
    """build(dataset="demo", *, lang, ...) -> Model; Model.synthetic and Model.label;
    headline(model, partner, ...); the demo data made by the workshop's synthetic.prepare."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    assert w.model, f"{w.name}: no model module"
    module = importlib.import_module(w.model)
    params = list(inspect.signature(module.build).parameters.values())
    assert params[0].name == "dataset" and params[0].default == "demo", w.name
    assert all(p.kind is keyword for p in params[1:]), w.name
    assert "lang" in {p.name for p in params[1:]}, w.name
    assert inspect.signature(module.build).return_annotation in ("Model", module.Model)
    fields = set(getattr(module.Model, "__dataclass_fields__", {}))
    for name in ("synthetic", "label"):
        assert name in fields or isinstance(getattr(module.Model, name, None), property), (
            f"{w.name}: Model.{name}"
        )
    assert list(inspect.signature(module.headline).parameters)[:2] == ["model", "partner"]
    assert w.demo == f"{w.package}.synthetic:prepare", w.name
    assert (w.folder / "synthetic.py").exists(), w.name


def test_the_module_map_names_every_core_module():
    import re

    import kit

    named = set(re.findall(r":mod:`(kit\.[a-z0-9_]+)`", kit.__doc__ or ""))
    core = {m for m in MODULES if m.count(".") == 1 and not m.startswith("kit.workshops")}
    assert core - named == set(), sorted(core - named)


def typed_text_fields(path: Path) -> list[str]:
    """Where ``path`` makes an ipywidgets ``Text`` or ``Textarea`` itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute | ast.Name)
        and getattr(node.func, "attr", getattr(node.func, "id", "")) in {"Text", "Textarea"}
    ]


def test_every_text_field_reaches_the_kernel_before_the_click_after_it(tmp_path):
    """A field that sends key by key can have its later keys overtaken by the "save" click
    (ipywidgets holds them back, not the click): every app makes its fields with
    ``app.text_field``, which sends the text whole on leaving the field."""
    import ipywidgets as widgets

    from kit import app

    field, area = app.text_field(description="x"), app.text_field(area=True)
    assert isinstance(field, widgets.Text) and isinstance(area, widgets.Textarea)
    assert field.continuous_update is False and area.continuous_update is False
    sample = tmp_path / "sample.py"
    sample.write_text("import ipywidgets as w\nw.Text()\nw.Textarea(value='')\n", "utf-8")
    assert len(typed_text_fields(sample)) == 2
    made = [
        f for p in sorted(KIT.rglob("*.py")) if p.name != "app.py" for f in typed_text_fields(p)
    ]
    assert not made, made
