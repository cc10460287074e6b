"""A sixth workshop, made in a temporary folder through the registration points alone: one file
kind, one chart, one report notebook and one app. Registered as the registry line would
register it, it gets what every workshop gets without a test file naming it: its catalogue
checked, its file kind detected and refused in one line, its notebooks written in three
languages and read as stories, its model checked for the one shape, the core kept free of it,
and the privacy walk over its records."""

from __future__ import annotations

import copy
import importlib
import sys
import textwrap

import nbformat
import pytest

from kit import cells, i18n, loader, parts, schemas, workshops
from kit.errors import KitInputError

PACKAGE = "scratch_workshop"

FILES = {
    "__init__.py": '''
        """Workshop 6 (a scratch one): visits per partner, beside the feedback's means."""

        from kit.workshops.spec import App, Workshop

        WORKSHOP = Workshop(
            name="scratch",
            number=6,
            report="06_scratch",
            package="scratch_workshop",
            model="scratch_workshop.model",
            apps=(App("06_scratch_app", pool=0),),
            kinds="scratch_workshop.kinds:KINDS",
            demo="scratch_workshop.synthetic:prepare",
        )
        ''',
    "kinds.py": '''
        """The scratch workshop's file: visits per provider."""

        from kit.schemas import Col, Kind

        KINDS = (
            Kind(
                "scratch_visits",
                (Col("visit_id"), Col("ytunnus", "ytunnus"), Col("visitors", "count")),
                key=("visit_id",),
            ),
        )
        ''',
    "charts.py": '''
        """The scratch workshop's chart."""

        from kit.charts import axes_for, finish


        def dots(data, *, x, y, ax=None, label=None, title=None):
            """Dots of ``x`` per ``y``."""
            ax = axes_for(ax, (5, 3))
            ax.plot(data[x], data[y], "o")
            return finish(ax, label, title, legend=False)
        ''',
    "model.py": '''
        """The scratch workshop's model: each partner's protected mean of every answer."""

        from dataclasses import dataclass

        import pandas as pd

        from kit import datasets, feedback, partners


        @dataclass(frozen=True)
        class Model:
            means: pd.DataFrame
            label: str
            synthetic: bool


        def build(dataset: "datasets.Dataset | str" = "demo", *, lang: str = "fi") -> Model:
            data = datasets.as_dataset(dataset)
            means = feedback.summary(data.feedback, ["y_tunnus", "period"], lang=lang)
            return Model(means, data.label(lang), data.synthetic)


        def headline(model: Model, partner: str) -> dict:
            rows = model.means[model.means["y_tunnus"].isin(partners.y_tunnukset(partner))]
            return {
                "partner": partner,
                "means": {r.period: None if pd.isna(r.mean) else round(float(r.mean), 6)
                          for r in rows.itertuples()},
            }
        ''',
    "synthetic.py": '''
        """The scratch workshop's demo data: the core's demo data set."""

        from kit import datasets


        def prepare() -> None:
            datasets.ensure("demo")
        ''',
    "view.py": '''
        """The scratch workshop's app."""


        def app(lang: str = "fi"):
            import ipywidgets as widgets

            return widgets.HTML("")
        ''',
    "checks.py": '"""No exercises yet."""\n',
    "cells.py": '''
        """The scratch workshop's notebooks."""

        from kit.cells import Code, Md, Notebook, Params

        NOTEBOOKS = (
            Notebook("06_scratch", (
                Md("ws6.title"),
                Params('partner = "network"\\nlang = "fi"\\nrecord = ""'),
                Code("from scratch_workshop import model\\nm = model.build()"),
            )),
            Notebook("06_scratch_app", (
                Md("ws6.title"),
                Params('lang = "fi"'),
                Code("from scratch_workshop import view\\nview.app(lang)"),
            )),
        )
        EXERCISES = ()
        ''',
    "catalogue.toml": """
        [workshop.scratch]
        fi = "Kokeilutyöpaja"
        sv = "Provverkstad"
        en = "Scratch workshop"

        [ws6.title]
        fi = "# Kokeilu"
        sv = "# Prov"
        en = "# Scratch"

        [kind.scratch_visits]
        fi = "käynnit"
        sv = "besök"
        en = "visits"
        """,
}


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """The scratch workshop registered as one more registry line would register it; the
    registration points and the registry are as they were afterwards."""
    folder = tmp_path / PACKAGE
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = copy.deepcopy(parts.REGISTERED)
    workshop = importlib.import_module(PACKAGE).WORKSHOP
    monkeypatch.setattr(workshops, "REGISTRY", (*workshops.REGISTRY, workshop))
    workshops.wire(workshop)
    yield workshop
    parts.REGISTERED.__dict__.update(before.__dict__)
    for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
        del sys.modules[name]


def test_its_text_file_kind_and_notebooks_come_through_the_registration_points(scratch, tmp_path):
    from tests import test_i18n, test_notebooks

    assert i18n.t(scratch.label_key(), "sv") == "Provverkstad"
    test_i18n.test_every_key_has_every_language_with_the_same_placeholders()
    assert "scratch_visits" in schemas.kinds()
    good = tmp_path / "visits.csv"
    good.write_text("visit_id,ytunnus,visitors\nv1,0201375-3,4\n", encoding="utf-8")
    assert loader.read(good).kind == "scratch_visits"
    bad = tmp_path / "bad.csv"
    bad.write_text("visit_id,ytunnus,visitors\nv1,0201375-3,-4\n", encoding="utf-8")
    with pytest.raises(KitInputError) as caught:
        loader.read(bad)
    assert caught.value.row == 2 and caught.value.column and "bad.csv" in caught.value.message("en")
    written = [
        (nb, lang, path) for nb, lang, path in cells.planned(tmp_path) if nb.name.startswith("06_")
    ]
    assert {(nb.name, lang) for nb, lang, _ in written} == {
        (n, lang) for n in scratch.notebooks for lang in i18n.LANGS
    }
    for notebook, lang, path in written:
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(cells.build(notebook, lang), path)
        test_notebooks.test_committed_without_outputs(path)
        test_notebooks.test_one_parameters_cell_with_the_folders_language(path)
        test_notebooks.test_reads_as_a_story_and_cells_stay_short(path)


def test_its_model_has_the_one_shape_and_the_core_stays_free_of_it(scratch):
    from tests import test_modules

    test_modules.check_model_shape(scratch)
    names, kinds, charts = test_modules.workshop_vocabulary()
    assert "scratch" in names and "scratch_visits" in kinds and "dots" in charts
    test_modules.test_the_core_knows_no_workshop()


@pytest.mark.slow
def test_the_privacy_walk_covers_it(scratch, demo):
    from tests import test_privacy_walk as walk

    assert scratch in walk.data_workshops()
    twins = (
        walk.planted(demo, walk.PLANTED, "planted"),
        walk.planted(demo, walk.MIRRORED, "mirrored"),
    )
    walk.test_no_report_record_shows_or_gives_back_the_small_partner(twins, scratch)
