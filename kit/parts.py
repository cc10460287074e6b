"""The registration points: what a workshop adds to the shared core, and how the core finds it.

The core never imports a workshop. :mod:`kit.workshops` (the one place that wires workshops into
the core, when :mod:`kit` is imported) adds each registered workshop's parts here, and the core
modules read them back:

========================  ===========================================  ===========================
registration point        what it adds                                 read by
========================  ===========================================  ===========================
:func:`add_catalogue`     a part of the text catalogue (TOML)          :mod:`kit.i18n`
:func:`add_templates`     a folder of Jinja2 templates                 :mod:`kit.templates`
:func:`add_kinds`         file kinds (``"module:NAME"`` of Kinds)      :mod:`kit.schemas`
:func:`add_lookup`        a lookup a kind checks codes against         :mod:`kit.loader`
:func:`add_export`        tables for the Power BI star schema          :mod:`kit.export`
:func:`add_notebooks`     notebooks and exercises (a ``cells`` module) :mod:`kit.cells`
========================  ===========================================  ===========================

Targets are named ``"package.module:name"`` (as papermill names its engines) and imported only
when first used, so this module and the wiring import nothing heavy: ``kit --help`` reads them.
Each registration is idempotent (adding the same thing twice keeps one).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Parts:
    """Everything registered so far, in registration order."""

    catalogues: list[Path] = field(default_factory=list)
    templates: list[Path] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    lookups: dict[str, str] = field(default_factory=dict)
    exports: list[str] = field(default_factory=list)
    notebooks: list[tuple[str, str]] = field(default_factory=list)

    def version(self) -> tuple:
        """A value that changes whenever something is registered (caches key on it)."""
        return (
            tuple(self.catalogues),
            tuple(self.templates),
            tuple(self.kinds),
            tuple(self.lookups.items()),
            tuple(self.exports),
            tuple(self.notebooks),
        )


#: the registered parts of this process
REGISTERED = Parts()


def _append(items: list, item: object) -> None:
    if item not in items:
        items.append(item)


def add_catalogue(path: Path) -> None:
    """A catalogue part: a TOML file of ``{key: {fi, sv, en}}`` merged into the one catalogue."""
    _append(REGISTERED.catalogues, Path(path))


def add_templates(folder: Path) -> None:
    """A folder of Jinja2 templates, searched after the core's own."""
    _append(REGISTERED.templates, Path(folder))


def add_kinds(target: str) -> None:
    """File kinds: ``target`` names a sequence of :class:`kit.schemas.Kind`."""
    _append(REGISTERED.kinds, target)


def add_lookup(name: str, target: str) -> None:
    """Lookup ``name`` (what a kind's ``choices`` or ``needs`` name): ``target`` names a
    function of no arguments returning the allowed values."""
    REGISTERED.lookups[name] = target


def add_export(target: str) -> None:
    """Tables for the Power BI star schema: ``target`` names a function ``(data, partner)``
    returning ``{table name: DataFrame}``, already protected."""
    _append(REGISTERED.exports, target)


def add_notebooks(folder: str, target: str) -> None:
    """Notebooks and exercises: ``target`` names a ``cells`` module with ``NOTEBOOKS`` and
    ``EXERCISES``; the exercises go to ``exercises/<lang>/<folder>/``."""
    _append(REGISTERED.notebooks, (folder, target))


def resolve(target: str) -> Any:
    """The object that ``"package.module:name"`` names (imported on first use)."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)
