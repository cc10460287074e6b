"""What a workshop tells the rest of the kit about itself (plain data, no heavy imports).

A workshop lives in its own folder, ``kit/workshops/<name>/``, and describes itself with one
:class:`Workshop` in its ``__init__.py``. The folder holds, by convention:

* its model (plain functions and data: the module :attr:`Workshop.model` names) and its widget
  view (``view.py``) on top of it;
* ``synthetic.py`` – its demo data, with ``prepare()`` making sure it exists (``demo``);
* ``kinds.py`` and ``charts.py`` where it reads files or draws charts no other workshop does
  (registered through :mod:`kit.parts`; see :mod:`kit.workshops`);
* ``checks.py`` – the automatic checks of its exercises;
* ``cells.py`` – the cells of its notebooks and exercises (:mod:`kit.cells` writes them);
* ``catalogue.toml`` – its part of the text catalogue (:mod:`kit.i18n` merges the parts).

What the rest of the kit expects of a workshop:

* **One shape for its model.** The model module offers ``build(dataset="demo", *, lang="fi",
  ...) -> Model`` (``dataset``: a name, a path or a loaded :class:`kit.datasets.Dataset`, or
  the workshop's own store or folder; more options keyword-only), a ``Model`` with
  ``synthetic`` (bool) and ``label`` (the data's label in the model's language), and
  ``headline(model, partner, ...) -> dict``: the JSON-able figures ``kit run`` records.
  ``tests/test_modules.py`` checks every registered workshop against this.
* **The catalogue is one namespace.** A workshop's keys start with prefixes of its own
  (``ws<number>.`` for its story, and names such as ``dashboard.`` or ``form.``); exercise keys
  continue the kit-wide numbering (``ex1`` … ``ex12`` are taken), and ``workshop.<name>`` is its
  name. A key defined in two parts is refused when the catalogue loads.
* **The report notebook** takes the parameters ``partner``, ``lang`` and ``record`` (``kit run``
  sets all three), shows the data's label (``nb.banner``), so a synthetic report says so, and
  ends with ``nb.record(record, {...})``: the headline figures ``kit run`` keeps as JSON.
* **Apps** check every widget value through the model and never read the query string; an app
  that shows data shows its label (``App.shows_data``).

:mod:`kit.workshops` lists the workshops; everything that works on "every workshop" (``kit
run``, ``kit demo``, ``kit serve``, ``voila.json``, the notebook generator, the catalogue and
the tests) iterates over that list.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.parts import resolve

#: runs once for each partner and once for the network
PER_PARTNER = "partner"
#: runs once, for the network
NETWORK_ONLY = "network"


#: an app every attendee opens (a form, the dashboard): ``kit serve --room N`` warms N + 10 %
ROOM = "room"
#: an app the facilitator keeps open (the live view): warmed two, for the facilitator and the
#: projector
FACILITATOR = "facilitator"


@dataclass(frozen=True)
class App:
    """A notebook served as a Voilà app.

    ``pool`` kernels are kept preheated for it by ``kit serve --room 0`` (``voila.json``);
    ``audience`` says who opens it, and so how many kernels ``kit serve --room N`` warms for
    it; ``kernel_mb`` is what one of its warm kernels holds (RSS in MB, measured by
    ``bench/room.py``; ``kit serve`` sizes the room with it). ``shows_data`` says whether it
    shows a data set (and so the data's label) rather than only collecting answers (a form).
    """

    notebook: str
    pool: int = 0
    shows_data: bool = True
    audience: str = ROOM
    kernel_mb: int = 250

    @property
    def filename(self) -> str:
        """The notebook's file name, as Voilà's pool configuration names it."""
        return f"{self.notebook}.ipynb"


@dataclass(frozen=True)
class Collects:
    """What a workshop collects from a room, as ``"module:function"`` names.

    ``store`` opens the workshop's store (a :class:`kit.room.Room`) at a path; ``export``
    (called with the store's path, a folder and the language) writes what the room's last shown
    state holds into that folder and returns the file (``kit room export``, the console);
    ``sample`` (called with a store, a participant and a number) makes one valid contribution
    of that participant, different for each number (the benchmarks and the tests that every
    room gets, :mod:`tests.test_rooms`); ``published`` (called with a store) returns everything
    the room's views and exports show of its contributions, as plain data, read from the last
    shown state (the tests check it never moves without a privacy step).
    """

    store: str
    export: str
    sample: str
    published: str


#: a lookup a workshop's file kinds check codes against: (name, ``"module:function"``)
Lookup = tuple[str, str]


@dataclass(frozen=True)
class Workshop:
    """One workshop: its name, notebooks, apps, how ``kit run`` runs it and its demo data.

    ``preload`` names the modules a warm kernel imports before it runs the report notebook;
    ``warm`` (``"module:function"``, called with the language) does the expensive part once per
    kernel, such as cutting a model out of the demo data. ``demo`` (``"module:function"``,
    called with no arguments) makes sure the workshop's demo data exists; ``showcase``
    (``"module:function"``, called with the language and the reports folder) is its step in
    ``kit demo`` and returns the lines it prints. ``commands`` (``"module:NAME"``) names a
    sequence of :class:`Command` that the workshop adds to ``kit``; that module must
    import nothing heavy, because ``kit --help`` reads it. ``export`` (``"module:function"``,
    called with the data set and the partner or None) returns the workshop's tables for the
    Power BI star schema (:func:`kit.export.tables`), already protected. ``before_serving``
    (``"module:function"``, called with no arguments) makes what the app kernels read ready
    before ``kit serve`` starts Voilà (checked snapshots, kept models), so that a room's warm
    kernels do not each make it. ``room`` (:class:`Collects`) says that the workshop collects
    from a room: its store is a :class:`kit.room.Room` at :func:`kit.store.default_path` of its
    name, which ``kit room`` and the console open, close and export. ``model`` names the
    module of its model (``build``, ``Model``, ``headline``: see above). ``kinds``
    (``"module:NAME"``) names the file kinds the workshop reads (a sequence of
    :class:`kit.schemas.Kind`; ``kit validate`` detects them like the core's) and ``lookups``
    the code lists those kinds check against. ``package`` is ``kit.workshops.<name>`` unless
    given (a workshop kept elsewhere).
    """

    name: str
    number: int
    report: str
    apps: tuple[App, ...] = ()
    scope: str = PER_PARTNER
    preload: tuple[str, ...] = ()
    warm: str = ""
    demo: str = ""
    showcase: str = ""
    commands: str = ""
    export: str = ""
    before_serving: str = ""
    room: Collects | None = None
    model: str = ""
    kinds: str = ""
    lookups: tuple[Lookup, ...] = ()
    package: str = ""

    def __post_init__(self) -> None:
        if not self.package:  # a workshop of the kit: kit.workshops.<name>
            object.__setattr__(self, "package", f"kit.workshops.{self.name}")

    @property
    def folder(self) -> Path:
        """The workshop's folder (its package's)."""
        module = importlib.import_module(self.package)
        return Path(str(module.__file__)).parent

    @property
    def exercise_folder(self) -> str:
        """The folder of its exercises under ``exercises/<lang>/``: ``NN_<name>``."""
        return f"{self.number:02d}_{self.name}"

    @property
    def notebooks(self) -> tuple[str, ...]:
        """Every notebook of the workshop: the report first, then the apps."""
        return (self.report, *(a.notebook for a in self.apps if a.notebook != self.report))

    def label_key(self) -> str:
        """The catalogue key of the workshop's name."""
        return f"workshop.{self.name}"

    def call(self, field: str, *args: object) -> Any:
        """Call the function that ``field`` (``warm``, ``demo``, ``showcase``, ``export`` or
        ``before_serving``) names."""
        target = getattr(self, field)
        if not target:
            return None
        return resolve(target)(*args)


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, a function adding its arguments (``(parser, lang)``; it must
    not import anything heavy), and its handler ``"module:function"`` taking the parsed
    arguments and returning the exit status. Its texts are the catalogue's ``cli.<key>.help``,
    ``.description`` and (if there is one) ``.epilog``, where ``key`` is the name with ``-``
    written as ``_``."""

    name: str
    arguments: Callable[[argparse.ArgumentParser, str], None]
    handler: str

    @property
    def key(self) -> str:
        return "cli." + self.name.replace("-", "_")


__all__ = ["App", "Collects", "Command", "Lookup", "Workshop", "resolve"]
