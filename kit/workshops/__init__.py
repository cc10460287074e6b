"""The workshops, in order: the one list that everything working on "every workshop" uses.

``kit run``, ``kit demo`` and ``kit serve``, ``voila.json``, the notebook generator
(:mod:`kit.cells`), the text catalogue (:mod:`kit.i18n`) and the tests iterate over
:data:`REGISTRY`. Each entry is the :class:`~kit.workshops.spec.Workshop` that the workshop's
folder declares in its ``__init__.py``.

**Adding a workshop** means one folder, ``kit/workshops/<name>/`` with an ``__init__.py``
declaring ``WORKSHOP``, its model, ``view.py``, ``checks.py``, ``cells.py`` and
``catalogue.toml`` (see :mod:`kit.workshops.spec`), and one line below: its folder's name.
Then ``make notebooks`` writes its notebooks in fi, sv and en.

This module imports nothing heavy: the command line reads it for ``kit --help``.
"""

from __future__ import annotations

import importlib

from kit.workshops.spec import FACILITATOR, App, Workshop


def _declared(*folders: str) -> tuple[Workshop, ...]:
    """The ``WORKSHOP`` each folder's ``__init__.py`` declares, in this order."""
    return tuple(importlib.import_module(f"kit.workshops.{f}").WORKSHOP for f in folders)


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
