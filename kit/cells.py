"""Notebooks as data: their cells, written as real notebooks in every language.

A notebook is a list of cells: :class:`Md` (a story cell, whose Markdown comes from the
catalogue in the notebook's language), :class:`Code` and :class:`Params` (the tagged cell that
papermill fills in). Each workshop keeps its notebooks and exercises in its ``cells.py``
(``NOTEBOOKS`` and ``EXERCISES``); :func:`write_all` writes them, and the start notebook below,
as ``notebooks/<lang>/<name>.ipynb`` and ``exercises/[solutions/]<lang>/<folder>/<name>.ipynb``
for fi, sv and en. So a notebook opened in JupyterLab reads as a story before it runs, and a
change to a notebook is a reviewable change to text (``python tools/make_notebooks.py`` writes
them; a test checks that the committed files match).

Code cells hold only code; text that depends on values (a partner's name, a count) is shown by
``nb.say`` in the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kit import paths
from kit.i18n import LANGS, t
from kit.parts import REGISTERED, resolve

if TYPE_CHECKING:
    import nbformat


@dataclass(frozen=True)
class Md:
    """A Markdown cell: the catalogue text ``key`` in the notebook's language."""

    key: str


@dataclass(frozen=True)
class Code:
    """A code cell."""

    source: str


@dataclass(frozen=True)
class Params:
    """The parameters cell (tagged ``parameters``). ``lang = "fi"`` in it becomes the
    notebook's own language."""

    source: str


Cell = Md | Code | Params


@dataclass(frozen=True)
class Notebook:
    """A notebook: its file name (without ``.ipynb``) and cells."""

    name: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Exercise:
    """An exercise: the task (``<key>.task``), set-up code, the blank answer the attendee
    fills in, the solution, the check, and what to think about after (``<key>.after``)."""

    name: str
    key: str
    setup: str
    blank: str
    solution: str
    check: str

    def notebook(self, solved: bool) -> Notebook:
        """The exercise as a notebook, blank or solved."""
        return Notebook(
            self.name,
            (
                Md(f"{self.key}.task"),
                Params('# Parameters\nlang = "fi"  # fi, sv or en'),
                Code(self.setup),
                Code(self.solution if solved else self.blank),
                Code(self.check),
                Md(f"{self.key}.after"),
            ),
        )


def build(notebook: Notebook, lang: str) -> nbformat.NotebookNode:
    """``notebook`` in ``lang`` as an nbformat notebook, clean (no outputs)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    title = _title(notebook, lang)
    if title:
        nb.metadata["title"] = title  # the page's title in Voilà and in exported HTML
    for i, cell in enumerate(notebook.cells):
        if isinstance(cell, Md):
            made = new_markdown_cell(t(cell.key, lang))
        elif isinstance(cell, Params):
            made = new_code_cell(cell.source.replace('lang = "fi"', f'lang = "{lang}"'))
            made.metadata = {"tags": ["parameters"]}
        else:
            made = new_code_cell(cell.source)
        made.id = f"{notebook.name[:2]}-{i:02d}"  # stable ids keep diffs small
        if not isinstance(cell, Params):
            made.metadata = {}
        nb.cells.append(made)
    nbformat.validate(nb)
    return nb


def _title(notebook: Notebook, lang: str) -> str:
    """The notebook's first Markdown heading in ``lang`` (its title), or ``""``."""
    for cell in notebook.cells:
        if isinstance(cell, Md):
            for line in t(cell.key, lang).splitlines():
                if line.startswith("# "):
                    return line[2:].strip().replace("*", "").replace("`", "")
    return ""


def planned(root: Path | None = None) -> list[tuple[Notebook, str, Path]]:
    """Every notebook to write: (notebook, language, path), for the start notebook and the
    notebooks and exercises registered with :func:`kit.parts.add_notebooks`."""
    root = Path(root) if root is not None else paths.ROOT
    out: list[tuple[Notebook, str, Path]] = []
    for lang in LANGS:
        books = [START, CONSOLE]
        exercises: list[tuple[str, Exercise]] = []
        for folder, module in REGISTERED.notebooks:
            books += list(resolve(f"{module}:NOTEBOOKS"))
            exercises += [(folder, e) for e in resolve(f"{module}:EXERCISES")]
        books_dir = paths.notebooks_dir(lang, root)
        out += [(nb, lang, books_dir / f"{nb.name}.ipynb") for nb in books]
        for folder, exercise in exercises:
            for solved in (False, True):
                where = paths.exercises_dir(lang, solved, root) / folder / f"{exercise.name}.ipynb"
                out.append((exercise.notebook(solved), lang, where))
    return out


def write_all(root: Path | None = None) -> list[Path]:
    """Write every notebook of :func:`planned` under ``root`` (default: the repository)."""
    import nbformat

    written = []
    for notebook, lang, path in planned(root):
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(build(notebook, lang), path)
        written.append(path)
    return written


def sources(cells: Iterable[Cell]) -> list[str]:
    """The code of a notebook's code cells (what must be the same in every language)."""
    return [c.source for c in cells if not isinstance(c, Md)]


def keys(notebooks: Sequence[Notebook]) -> list[str]:
    """The catalogue keys of the story cells of ``notebooks``."""
    return [c.key for nb in notebooks for c in nb.cells if isinstance(c, Md)]


# --- the start notebook --------------------------------------------------------------------------

START = Notebook(
    "00_start_here",
    (
        Md("start.title"),
        Params('# Parameters (papermill: -p lang sv)\nlang = "fi"  # fi, sv or en'),
        Code("""from kit import datasets, envcheck, joincode, overview, partners, privacy
from kit import notebook as nb

nb.start(lang)"""),
        Md("start.env"),
        Code("nb.show(envcheck.report())"),
        Md("start.partners"),
        Code("nb.show(overview.partner_table())"),
        Md("start.data"),
        Code("nb.show(datasets.available())"),
        Md("start.demo"),
        Code("""demo = datasets.load("demo")
nb.banner(demo.label(), demo.synthetic)
nb.show(overview.respondents_table(demo))
nb.say("privacy.protected_note", label=privacy.hidden_label())"""),
        Code("overview.respondents_chart(demo);"),
        Md("start.reference"),
        Code("""reference = datasets.load("reference")
nb.banner(reference.label(), reference.synthetic)
nb.show(overview.response_rates(reference, "2020-21", only=partners.y_tunnukset("network"),
                                total=nb.t("overview.national")))"""),
        Md("start.privacy"),
        Code("""nb.say("start.privacy_now", threshold=privacy.threshold(), label=privacy.small_label(),
       hidden=privacy.hidden_label())
nb.show(overview.privacy_example())"""),
        Md("start.privacy_explain"),
        Code("""nb.banner(demo.label(), demo.synthetic)
nb.show(overview.qualification_table(demo, "live", "2020-21", "tutkinnon_osia_suorittaneet"))"""),
        Md("start.join"),
        Code("nb.html(joincode.panel(lang))"),
        Md("start.reflect"),
    ),
)


# --- the facilitator's console -------------------------------------------------------------------

CONSOLE = Notebook(
    "00_console",
    (
        Params("""# Parameters (the facilitator's console: kit serve, then 00_console.ipynb)
lang = "fi"  # fi, sv or en"""),
        Md("console.intro"),
        Code("""from kit import app, console_view

app.start(lang)
app.shell(console_view.maker(), lang, "00_console", "console.intro")"""),
    ),
)
