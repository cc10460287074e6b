"""The workshops, in order: the one list that everything working on "every workshop" uses.

``kit run``, ``kit demo`` and ``kit serve``, ``voila.json``, the notebook generator
(:mod:`kit.cells`), the text catalogue (:mod:`kit.i18n`) and the tests iterate over
:data:`REGISTRY`. Each entry is the :class:`~kit.workshops.spec.Workshop` that the workshop's
folder declares in its ``__init__.py``.

**Adding a workshop** means one folder, ``kit/workshops/<name>/`` with an ``__init__.py``
declaring ``WORKSHOP``, its model, ``view.py``, ``checks.py``, ``cells.py`` and
``catalogue.toml`` (see :mod:`kit.workshops.spec`), and one line below. Then run
``python tools/make_notebooks.py`` to write its notebooks in fi, sv and en.

This module imports nothing heavy: the command line reads it for ``kit --help``.
"""

from __future__ import annotations

from kit.workshops import dashboards, self_assessment
from kit.workshops.spec import Workshop

REGISTRY: tuple[Workshop, ...] = (
    dashboards.WORKSHOP,
    self_assessment.WORKSHOP,
)


def names() -> list[str]:
    """The workshops' names, in order."""
    return [w.name for w in REGISTRY]


def by_name() -> dict[str, Workshop]:
    """The workshops by name."""
    return {w.name: w for w in REGISTRY}
