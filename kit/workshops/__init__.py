"""The workshops, in order: the one list that everything working on "every workshop" uses, and
the one place that wires workshops into the shared core.

Importing :mod:`kit` imports this module, which registers each workshop's parts at the core's
registration points (:mod:`kit.parts`): its catalogue part, its templates, its file kinds and
their lookups, its Power BI tables and its notebooks. The core reads them from there and never
imports a workshop. Only the commands that work on every workshop (``kit run``, ``kit demo``,
``kit serve``, the console and ``voila.json``) and the tests read :data:`REGISTRY` itself.

**Adding a workshop** means one folder, ``kit/workshops/<name>/`` with an ``__init__.py``
declaring ``WORKSHOP`` (see :mod:`kit.workshops.spec` for what it declares and what the folder
holds by convention), and one line below: its folder's name. Then ``make notebooks`` writes its
notebooks in fi, sv and en.

This module imports nothing heavy: the command line reads it for ``kit --help``.
"""

from __future__ import annotations

import importlib

from kit import parts
from kit.workshops.spec import FACILITATOR, App, Workshop


def wire(workshop: Workshop) -> None:
    """Register ``workshop``'s parts at the core's registration points: by convention its
    folder's ``catalogue.toml``, ``templates/`` and ``cells.py``; by declaration its
    ``kinds``, ``lookups`` and ``export``."""
    folder = workshop.folder
    if (folder / "catalogue.toml").exists():
        parts.add_catalogue(folder / "catalogue.toml")
    if (folder / "templates").is_dir():
        parts.add_templates(folder / "templates")
    if workshop.kinds:
        parts.add_kinds(workshop.kinds)
    for name, target in workshop.lookups:
        parts.add_lookup(name, target)
    if workshop.export:
        parts.add_export(workshop.export)
    parts.add_notebooks(workshop.exercise_folder, f"{workshop.package}.cells")


def _declared(*folders: str) -> tuple[Workshop, ...]:
    """The ``WORKSHOP`` each folder's ``__init__.py`` declares, in this order, wired."""
    found = tuple(importlib.import_module(f"kit.workshops.{f}").WORKSHOP for f in folders)
    for workshop in found:
        wire(workshop)
    return found


REGISTRY: tuple[Workshop, ...] = _declared(
    "dashboards",
    "self_assessment",
    "indicators",
    "work_based_learning",
    "anticipation",
)


#: the kit's own apps, beside the workshops': the facilitator's console (:mod:`kit.console`)
CORE_APPS: tuple[App, ...] = (
    App("00_console", pool=1, shows_data=False, audience=FACILITATOR, kernel_mb=120),
)


def apps() -> list[App]:
    """Every app: the kit's own, then each workshop's, in registry order."""
    return [*CORE_APPS, *(a for w in REGISTRY for a in w.apps)]


def names() -> list[str]:
    """The workshops' names, in order."""
    return [w.name for w in REGISTRY]


def by_name() -> dict[str, Workshop]:
    """The workshops by name."""
    return {w.name: w for w in REGISTRY}
