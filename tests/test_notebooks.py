"""Notebooks: generated from the workshops' cells, committed clean, stories in every language,
and run for every partner.

Each report runs once in each language: `make test` executes every Finnish notebook in a fresh
kernel with nbval (--nbval-lax), with its default parameters (the network); ``kit demo``
(``tests/test_runner.py``) runs every workshop's report for every partner in English, and its
reports are checked there; the tests here run them in Swedish in the session's warm kernel, as
`kit run` does (the languages differ only in text, which the catalogue test checks key by key),
and with the parameters neither of the others uses.

Every report is checked with axe-core in each language, as ``kit run`` writes it: the English
ones after ``kit demo``, the Swedish ones here after their run, and the Finnish ones from what
nbval's run of them showed (``test_finnish_report_meets_wcag`` follows nbval's cells).
"""

from __future__ import annotations

import json

import nbformat
import papermill as pm
import pytest

from kit import cells, i18n, paths, workshops
from tests.conftest import audit_report

ROOT = paths.ROOT
PLANNED = cells.planned()
COMMITTED = sorted([*ROOT.glob("notebooks/*/*.ipynb"), *ROOT.glob("exercises/**/*.ipynb")])
PARTNERS = ["careeria", "live", "spesia", "kiinko", "taitotalo", "sdo", "network"]


def test_every_workshop_notebook_exists_in_every_language():
    for lang in i18n.LANGS:
        names = {p.stem for p in paths.notebooks_dir(lang).glob("*.ipynb")}
        assert "00_start_here" in names
        for w in workshops.REGISTRY:
            assert set(w.notebooks) <= names, (lang, w.name)


def test_committed_notebooks_are_exactly_the_generated_ones():
    """Every notebook and exercise is written by kit.cells from the workshops' cells: the
    committed files match, and none is left over that the generator no longer makes."""
    assert sorted(p for _nb, _lang, p in PLANNED) == COMMITTED
    for notebook, lang, path in PLANNED:
        made = cells.build(notebook, lang)
        committed = nbformat.read(path, as_version=4)
        assert [(c.cell_type, c.source, c.metadata) for c in made.cells] == [
            (c.cell_type, c.source, c.metadata) for c in committed.cells
        ], path


def test_the_code_is_the_same_in_every_language():
    by_name: dict[str, set] = {}
    for _notebook, lang, path in PLANNED:
        code = tuple(
            c.source.replace(f'lang = "{lang}"', 'lang = "fi"')
            for c in nbformat.read(path, as_version=4).cells
            if c.cell_type == "code"
        )
        by_name.setdefault(str(path.relative_to(ROOT)).replace(f"/{lang}/", "/*/"), set()).add(code)
    assert all(len(v) == 1 for v in by_name.values())


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert "widgets" not in nb["metadata"]


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: str(p.relative_to(ROOT)))
def test_one_parameters_cell_with_the_folders_language(path):
    lang = next(part for part in path.parts if part in i18n.LANGS)
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert f'lang = "{lang}"' in tagged[0].source
    assert "lang" in pm.inspect_notebook(str(path))


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: str(p.relative_to(ROOT)))
def test_reads_as_a_story_and_cells_stay_short(path):
    """Before it runs, a notebook shows headings and text; the logic lives in kit/, so no
    code cell of a workshop notebook is longer than a few lines (an exercise's answer is the
    attendee's own code), and nb.say shows only text that needs values."""
    nb = nbformat.read(path, as_version=4)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert markdown and any(m.lstrip().startswith("#") for m in markdown)
    for cell in nb.cells:
        if cell.cell_type == "code" and "notebooks" in path.parts:
            assert len(cell.source.splitlines()) <= 8, cell.source
            for line in cell.source.splitlines():
                if "nb.say(" in line:
                    assert "," in line, f"nb.say without values belongs in Markdown: {line}"


def test_story_cells_need_no_values():
    """Markdown comes from the catalogue as it is: story keys have no placeholders."""
    from tests.test_i18n import placeholders

    story = {c.key for nb, _lang, _path in PLANNED for c in nb.cells if isinstance(c, cells.Md)}
    assert len(story) > 30
    for key in story:
        assert not placeholders(i18n.catalogue()[key]["fi"]), key


def test_reports_open_with_their_title():
    for w in workshops.REGISTRY:
        for lang in i18n.LANGS:
            nb = nbformat.read(paths.notebooks_dir(lang) / f"{w.report}.ipynb", as_version=4)
            assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


# --- running them -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,heading", [("fi", "Aloita tästä"), ("sv", "Börja här"), ("en", "Start here")]
)
def test_start_notebook_in_each_language(execute, lang, heading):
    ran = execute(paths.notebooks_dir(lang) / "00_start_here.ipynb", lang=lang)
    assert not ran.errors
    assert heading in ran.text
    assert {
        "fi": "SYNTEETTINEN DEMOAINEISTO",
        "sv": "SYNTETISKA DEMODATA",
        "en": "SYNTHETIC DEMO DATA",
    }[lang] in ran.text
    assert ran.images >= 1  # the chart was drawn


def test_bad_parameter_stops_with_one_line(execute):
    with pytest.raises(pm.PapermillExecutionError) as info:
        execute(paths.notebooks_dir("fi") / "00_start_here.ipynb", lang="de")
    assert info.value.ename == "KitInputError"
    assert "de" in info.value.evalue and "fi, sv, en" in info.value.evalue
    errors = execute.last.errors
    assert len(errors) == 1 and len(errors[0].traceback) == 1  # one line, no traceback


def test_bad_file_in_any_notebook_is_one_line(tmp_path):
    """An attendee's own cell that reads a bad file sees the command line's message."""
    from nbclient import NotebookClient

    bad = tmp_path / "bad.csv"
    bad.write_text("a;b\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"from kit import loader\nloader.read({str(bad)!r})")]
    client = NotebookClient(
        nb,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    (error,) = [o for o in nb.cells[0].outputs if o.output_type == "error"]
    assert error.ename == "KitInputError"
    assert error.traceback == [f"{bad}: {i18n.t('reason.header_only', 'fi')}"]


HEADINGS = {"fi": "Työpaja 1", "sv": "Verkstad 1", "en": "Workshop 1"}
SYNTHETIC = {"fi": "SYNTEETTINEN", "sv": "SYNTETISKA", "en": "SYNTHETIC"}
RUNS = [("spesia", "sv")]


@pytest.mark.slow
@pytest.mark.parametrize("partner,lang", RUNS, ids=[f"{p}-{lang}" for p, lang in RUNS])
def test_dashboards_notebook(execute, partner, lang, chromium_browser, tmp_path):
    """The story in Swedish, and its report meets WCAG 2.1 AA at both widths (the English
    reports are checked after ``kit demo``)."""
    ran = execute(paths.notebooks_dir(lang) / "01_dashboards.ipynb", partner=partner, lang=lang)
    assert not ran.errors
    assert HEADINGS[lang] in ran.text
    assert ran.images >= 4  # the charts
    assert "kit-card" in ran.text  # the KPI cards
    assert SYNTHETIC[lang] in ran.text
    found = audit_report(chromium_browser, ran.nb, lang, tmp_path)
    assert not found, found


def test_dashboards_notebook_with_chosen_periods(execute):
    ran = execute(
        paths.notebooks_dir("en") / "01_dashboards.ipynb",
        partner="sdo",
        lang="en",
        periods="2023-24,2024-25",
    )
    assert "Change from 2023-24" in ran.text and "2021-22" not in ran.text


@pytest.mark.parametrize(
    "parameters,expected",
    [
        (
            {"partner": "nosuch"},
            ["nosuch", "careeria, live, spesia, kiinko, taitotalo, sdo, network"],
        ),
        ({"periods": "1999-00"}, ["1999-00", "2019-20"]),
        ({"lang": "de"}, ["de", "fi, sv, en"]),
    ],
)
def test_dashboards_notebook_stops_at_a_bad_parameter(execute, parameters, expected):
    with pytest.raises(pm.PapermillExecutionError) as info:
        execute(paths.notebooks_dir("fi") / "01_dashboards.ipynb", **parameters)
    assert info.value.ename == "KitInputError"
    for word in expected:
        assert word in info.value.evalue
    errors = execute.last.errors
    assert len(errors) == 1 and len(errors[0].traceback) == 1


RUNS_2 = [("live", "sv")]


@pytest.mark.slow
@pytest.mark.parametrize("partner,lang", RUNS_2, ids=[f"{p}-{lang}" for p, lang in RUNS_2])
def test_self_assessment_notebook(execute, partner, lang, chromium_browser, tmp_path):
    ran = execute(
        paths.notebooks_dir(lang) / "02_self_assessment.ipynb", partner=partner, lang=lang
    )
    assert not ran.errors
    assert ran.images >= 2  # levels + radar
    assert i18n.t("ws2.plan", lang).splitlines()[0].lstrip("# ") in ran.text
    assert i18n.t("selfassess.synthetic_label", lang) in ran.text
    assert (paths.reports_dir() / "self_assessment" / f"plan_{partner}.xlsx").exists()
    found = audit_report(chromium_browser, ran.nb, lang, tmp_path)  # WCAG 2.1 AA
    assert not found, found


def test_apps_render_their_widgets(execute, tmp_path):
    """Every app (the console and each workshop's) runs to its widget in a kernel (nbval
    leaves the apps' notebooks to this test and to the browser's Voilà)."""
    for app in workshops.apps():
        ran = execute(paths.notebooks_dir("en") / app.filename, lang="en")
        assert not ran.errors, app.notebook
        assert any(
            "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in ran.outputs
        ), app.notebook


RUNS_3 = [("kiinko", "sv")]


@pytest.mark.slow
@pytest.mark.parametrize("partner,lang", RUNS_3, ids=[f"{p}-{lang}" for p, lang in RUNS_3])
def test_indicators_notebook(execute, partner, lang, chromium_browser, tmp_path):
    """The story: registry, values with intervals, the funnel, usability and the scorecard;
    its report meets WCAG 2.1 AA at both widths."""
    ran = execute(paths.notebooks_dir(lang) / "03_indicators.ipynb", partner=partner, lang=lang)
    assert not ran.errors
    assert ran.images >= 2  # the trend and the funnel
    for key in ("ws3.registry", "ws3.funnel", "ws3.usability", "ws3.scorecard"):
        assert i18n.t(key, lang).splitlines()[0].lstrip("# ") in ran.text
    assert "kit-scorecard" in ran.text and "RR_PT" in ran.text
    assert SYNTHETIC[lang] in ran.text  # the demo's label
    assert "Vipunen" in ran.text  # the funnel's real counts say where they come from
    found = audit_report(chromium_browser, ran.nb, lang, tmp_path)
    assert not found, found


RUNS_4 = [("sdo", "sv")]


@pytest.mark.slow
@pytest.mark.parametrize("partner,lang", RUNS_4, ids=[f"{p}-{lang}" for p, lang in RUNS_4])
def test_work_based_learning_notebook(execute, partner, lang, chromium_browser, tmp_path):
    """The story in Swedish: the critical points, the money, the phases; its report meets
    WCAG 2.1 AA at both widths."""
    ran = execute(
        paths.notebooks_dir(lang) / "04_work_based_learning.ipynb", partner=partner, lang=lang
    )
    assert not ran.errors
    assert ran.images >= 1  # the critical points
    assert SYNTHETIC[lang] in ran.text
    found = audit_report(chromium_browser, ran.nb, lang, tmp_path)
    assert not found, found


RUNS_5 = [("network", "sv", "ELY02")]


@pytest.mark.slow
@pytest.mark.parametrize(
    "partner,lang,region", RUNS_5, ids=[f"{p}-{lang}-{r}" for p, lang, r in RUNS_5]
)
def test_anticipation_notebook(execute, partner, lang, region, chromium_browser, tmp_path):
    """The forum's story in Swedish for a region given by its code: the region is named in
    Swedish, and the report meets WCAG 2.1 AA at both widths."""
    ran = execute(
        paths.notebooks_dir(lang) / "05_anticipation.ipynb",
        partner=partner,
        lang=lang,
        region=region,
    )
    assert not ran.errors
    assert ran.images >= 1
    assert i18n.t(f"region.{region}", lang) in ran.text
    found = audit_report(chromium_browser, ran.nb, lang, tmp_path)
    assert not found, found


@pytest.mark.slow
@pytest.mark.parametrize(
    "report",
    [pytest.param(w.report, marks=pytest.mark.after_nbval(w.report)) for w in workshops.REGISTRY],
)
def test_finnish_report_meets_wcag(report, request, chromium_browser, tmp_path):
    """Each workshop's Finnish report, as ``kit run`` writes it from the run nbval made (the
    network, in a fresh kernel: this test follows nbval's cells on their worker), meets WCAG
    2.1 AA at a laptop's and a phone's width, every chart described in Finnish. Run without
    nbval's cells, it runs the notebook itself."""
    from tests.conftest import nbval_notebook

    nb = nbval_notebook(request.session, report)
    if nb is None:
        collected = f"notebooks/fi/{report}.ipynb::"
        assert not any(i.nodeid.startswith(collected) for i in request.session.items), (
            "nbval's cells were collected but had not run before this test"
        )
        nb = request.getfixturevalue("execute")(paths.notebooks_dir("fi") / f"{report}.ipynb").nb
    assert any("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    found = audit_report(chromium_browser, nb, "fi", tmp_path)
    assert not found, found
