"""Notebooks: committed clean, parameterised, and run in every language.

`make test` also executes every notebook with nbval (--nbval-lax); these tests add what nbval
does not check.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert ROOT / "notebooks" / "00_start_here.ipynb" in NOTEBOOKS
    assert ROOT / "notebooks" / "01_dashboards.ipynb" in NOTEBOOKS


def test_notebooks_match_their_generator(tmp_path, monkeypatch):
    """tools/make_notebooks.py is where the cells are kept: the committed files match it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_notebooks",
                                                  ROOT / "tools" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(module.DASHBOARDS, tmp_path / "01_dashboards.ipynb")
    made = nbformat.read(tmp_path / "01_dashboards.ipynb", as_version=4)
    committed = nbformat.read(ROOT / "notebooks" / "01_dashboards.ipynb", as_version=4)
    assert [c.source for c in made.cells] == [c.source for c in committed.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, path.name
    assert "widgets" not in nb["metadata"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_with_lang(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert 'lang = "fi"' in tagged[0].source
    params = pm.inspect_notebook(str(path))
    assert "lang" in params


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_stay_short(path):
    """The logic lives in kit/: no code cell is longer than a few lines."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 8, cell.source


@pytest.mark.parametrize("lang,heading", [("sv", "Börja här"), ("en", "Start here")])
def test_start_notebook_in_each_language(tmp_path, demo, lang, heading):
    out = tmp_path / f"start_{lang}.ipynb"
    pm.execute_notebook(str(NOTEBOOKS[0]), str(out), parameters={"lang": lang},
                        cwd=str(ROOT / "notebooks"), progress_bar=False, kernel_name="python3")
    text = out.read_text(encoding="utf-8")
    assert heading in text
    assert {"sv": "SYNTETISKA DEMODATA", "en": "SYNTHETIC DEMO DATA"}[lang] in text
    assert "image/png" in text  # the chart was drawn
    assert '"output_type": "error"' not in text


def test_bad_parameter_stops_with_one_line(tmp_path, demo):
    out = tmp_path / "bad.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as info:
        pm.execute_notebook(str(NOTEBOOKS[0]), str(out), parameters={"lang": "de"},
                            cwd=str(ROOT / "notebooks"), progress_bar=False, kernel_name="python3")
    err = info.value
    assert err.ename == "KitInputError"
    assert "de" in err.evalue and "fi, sv, en" in err.evalue
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert len(errors) == 1 and len(errors[0].traceback) == 1  # one line, no traceback


def test_bad_file_in_any_notebook_is_one_line(tmp_path):
    """An attendee's own cell that reads a bad file sees the command line's message."""
    from nbclient import NotebookClient

    bad = tmp_path / "bad.csv"
    bad.write_text("a;b\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"from kit import loader\nloader.read({str(bad)!r})")]
    client = NotebookClient(nb, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    (error,) = [o for o in nb.cells[0].outputs if o.output_type == "error"]
    assert error.ename == "KitInputError"
    from kit.i18n import t

    assert error.traceback == [f"{bad}: {t('reason.header_only', 'fi')}"]


DASHBOARDS = ROOT / "notebooks" / "01_dashboards.ipynb"
HEADINGS = {"fi": "Työpaja 1", "sv": "Verkstad 1", "en": "Workshop 1"}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("partner", ["careeria", "live", "spesia", "kiinko", "taitotalo", "sdo",
                                     "network"])
def test_dashboards_notebook_for_every_partner_and_language(tmp_path, demo, partner, lang):
    out = tmp_path / f"{partner}_{lang}.ipynb"
    pm.execute_notebook(str(DASHBOARDS), str(out), parameters={"partner": partner, "lang": lang},
                        cwd=str(ROOT / "notebooks"), progress_bar=False, kernel_name="python3")
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = out.read_text(encoding="utf-8")
    assert HEADINGS[lang] in text
    assert sum(1 for o in outputs if "image/png" in o.get("data", {})) >= 4  # the charts
    assert "kit-card" in text  # the KPI cards
    assert {"fi": "SYNTEETTINEN", "sv": "SYNTETISKA", "en": "SYNTHETIC"}[lang] in text


def test_dashboards_notebook_with_chosen_periods(tmp_path, demo):
    out = tmp_path / "periods.ipynb"
    pm.execute_notebook(str(DASHBOARDS), str(out),
                        parameters={"partner": "sdo", "lang": "en", "periods": "2023-24,2024-25"},
                        cwd=str(ROOT / "notebooks"), progress_bar=False, kernel_name="python3")
    text = out.read_text(encoding="utf-8")
    assert "Change from 2023-24" in text and "2021-22" not in text


@pytest.mark.parametrize("parameters,expected", [
    ({"partner": "nosuch"}, ["nosuch", "careeria, live, spesia, kiinko, taitotalo, sdo, network"]),
    ({"periods": "1999-00"}, ["1999-00", "2019-20"]),
    ({"lang": "de"}, ["de", "fi, sv, en"]),
])
def test_dashboards_notebook_stops_at_a_bad_parameter(tmp_path, demo, parameters, expected):
    out = tmp_path / "bad.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as info:
        pm.execute_notebook(str(DASHBOARDS), str(out), parameters=parameters,
                            cwd=str(ROOT / "notebooks"), progress_bar=False,
                            kernel_name="python3")
    assert info.value.ename == "KitInputError"
    for word in expected:
        assert word in info.value.evalue
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert len(errors) == 1 and len(errors[0].traceback) == 1
