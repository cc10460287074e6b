"""The workshop 1 dashboard: the model's views, the privacy rule in every view, the widget view,
the one-page summaries and the Power BI export."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from kit import export, feedback, partners
from kit.errors import KitInputError
from kit.workshops.dashboards import dashboard, onepager
from kit.workshops.dashboards.dashboard import Selection


@pytest.fixture(scope="module")
def model(demo):
    return dashboard.build(demo, lang="en")


@pytest.fixture(scope="module")
def truth(demo):
    """Unprotected respondents per people cell, to check what the views show against."""
    return feedback.aggregate(demo.feedback, ["y_tunnus", "period", "survey", "qualification"])


def selections(model):
    quals = [dashboard.ALL, *model.qualifications[:4]]
    for partner, survey, qual in itertools.product(
        partners.ids(), ["aloittaneet", "tutkinnon_osia_suorittaneet"], quals
    ):
        yield Selection(partner=partner, survey=survey, qualification=qual)


def true_respondents(truth, sel: Selection, period: str) -> int:
    rows = truth[
        (truth["period"] == period)
        & (truth["survey"] == sel.survey)
        & truth["y_tunnus"].isin(partners.y_tunnukset(sel.partner))
    ]
    if sel.qualification != dashboard.ALL:
        rows = rows[rows["qualification"] == sel.qualification]
    return int(rows["respondents"].sum())


def test_no_view_shows_a_figure_for_1_to_4_respondents(model, truth):
    """Across partners, surveys and qualifications: wherever the true group has 1–4
    respondents, the KPI cards, the trend and the answer bars show no figure."""
    checked = small = 0
    for sel in selections(model):
        trend = dashboard.trend(model, sel)
        own = trend[trend["who"] == partners.display_name(sel.partner, "en")]
        for period in model.periods:
            n = true_respondents(truth, sel, period)
            row = own[own["period"] == period]
            shown = len(row) and pd.notna(row["mean"].iloc[0])
            checked += 1
            if 1 <= n <= 4:
                small += 1
                assert not shown, (sel, period)
                k = dashboard.kpis(model, sel.with_(period=period))
                assert k["mean"] is None and k["respondents"] is None
                bars = dashboard.likert(model, sel.with_(period=period))
                assert bars[[f"p_{v}" for v in range(1, 6)]].isna().all().all()
    assert small > 5 and checked > 100  # the demo data has small groups to protect


def test_shown_figures_are_the_true_ones(model, demo):
    sel = Selection(partner="careeria", survey="tutkinnon_suorittaneet")
    k = dashboard.kpis(model, sel)
    rows = demo.feedback[
        (demo.feedback["y_tunnus"] == "2918298-7")
        & (demo.feedback["period"] == k["period"])
        & (demo.feedback["survey"] == sel.survey)
    ]
    counts = rows[feedback.POINT_COUNTS].sum().to_numpy(float)
    assert k["mean"] == pytest.approx(counts @ np.arange(1, 6) / counts.sum())
    cells = feedback.aggregate(rows, ["y_tunnus"])
    assert k["respondents"] == int(cells["respondents"].iloc[0])


def test_a_slicer_change_changes_the_kpis(model):
    a = dashboard.kpis(model, Selection(partner="careeria"))
    b = dashboard.kpis(model, Selection(partner="sdo"))
    c = dashboard.kpis(model, Selection(partner="sdo", theme="assessment"))
    assert a["mean"] != b["mean"] and b["mean"] != c["mean"]
    assert a["respondents"] != b["respondents"]


def handmade(counts: dict[str, list[int]]) -> dashboard.Model:
    """A model over Careeria's answers to one question, period → [n_1..n_5]."""
    from kit.datasets import Dataset

    rows = [
        {
            "y_tunnus": "2918298-7",
            "period": p,
            "survey": "aloittaneet",
            "question_id": "A01",
            "qualification": "unknown",
            **{f"n_{v}": c[v - 1] for v in range(1, 6)},
            "n_eos": 0,
        }
        for p, c in counts.items()
    ]
    tidy = pd.DataFrame(rows)
    resp = pd.DataFrame(
        {
            "y_tunnus": "2918298-7",
            "provider_name": "Careeria Oy",
            "period": list(counts),
            "survey": "aloittaneet",
            "targeted": 1000,
            "answered": [sum(c) for c in counts.values()],
        }
    )
    resp = resp.astype({"targeted": "Int64", "answered": "Int64"})
    data = Dataset(
        name="handmade",
        synthetic=True,
        source="test",
        folder=None,
        feedback=tidy,
        response=resp,
        key_figures=pd.DataFrame(),
        providers=resp[["y_tunnus", "provider_name"]].drop_duplicates(),
    )
    return dashboard.build(data, benchmark=data)


def test_change_is_flagged_only_when_significant():
    sel = Selection(partner="careeria", survey="aloittaneet", period="2021-22")
    big = dashboard.kpis(
        handmade({"2020-21": [10, 30, 60, 60, 40], "2021-22": [2, 8, 30, 80, 80]}), sel
    )
    assert big["change"] > 0.5 and big["significant"] and big["p_value"] < 0.001
    small = dashboard.kpis(
        handmade({"2020-21": [5, 10, 30, 60, 95], "2021-22": [5, 11, 31, 58, 95]}), sel
    )
    assert abs(small["change"]) < 0.05 and not small["significant"] and small["p_value"] > 0.5
    first = dashboard.kpis(
        handmade({"2020-21": [5, 10, 30, 60, 95], "2021-22": [5, 11, 31, 58, 95]}),
        sel.with_(period="2020-21"),
    )
    assert first["change"] is None and first["previous_period"] is None


def test_trend_has_intervals_and_three_groups(model):
    table = dashboard.trend(model, Selection(partner="live"))
    assert table["who"].nunique() == 3
    shown = table.dropna(subset=["mean"])
    assert (shown["ci_low"] < shown["mean"]).all() and (shown["mean"] < shown["ci_high"]).all()
    network = dashboard.trend(model, Selection(partner="network"))
    assert network["who"].nunique() == 2  # the network against the country


def test_comparison_by_theme_and_by_question(model):
    themes = dashboard.comparison(model, Selection(partner="kiinko"))
    assert themes["who"].nunique() == 3 and themes["item"].nunique() > 3
    one = dashboard.comparison(model, Selection(partner="kiinko", theme="assessment"))
    assert set(one["item"]) <= set(model.questions("tutkinnon_suorittaneet", "assessment"))


def test_critical_points_rank_the_weakest_and_strongest(model):
    table = dashboard.critical_points(model, Selection(partner="taitotalo"))
    weakest = table[table["kind"] == "weakest"]["mean"].to_numpy()
    strongest = table[table["kind"] == "strongest"]["mean"].to_numpy()
    assert len(weakest) == len(strongest) == 3
    assert weakest.max() <= strongest.min()
    # the gap to the country wherever the national data set's own decision shows the country
    assert table["gap"].notna().equals(table["national"].notna())
    assert table["gap"].notna().sum() >= 4


def test_invalid_selections_list_the_valid_values(model):
    with pytest.raises(KitInputError) as info:
        dashboard.kpis(model, Selection(partner="nosuch"))
    assert "careeria" in info.value.message("en") and "network" in info.value.message("en")
    with pytest.raises(KitInputError) as info:
        model.check(Selection(period="2031-32"))
    assert "2024-25" in info.value.message("en")


def test_periods_parameter(demo):
    small = dashboard.build(demo, periods_shown="2023-24, 2024-25")
    assert small.periods == ["2023-24", "2024-25"]
    with pytest.raises(KitInputError) as info:
        dashboard.build(demo, periods_shown=["2010-11"])
    assert "2019-20" in info.value.message("en")


def test_widget_view_redraws_on_a_slicer_change(model):
    from kit.workshops.dashboards.view import DashboardView

    view = DashboardView(model, Selection(partner="careeria"), lang="en")
    before = view.kpis.value
    assert "Respondents" in before and "SYNTHETIC" in view.label.value
    view.partner.value = "sdo"
    assert view.kpis.value != before and len(view.timings) == 2
    view.survey.value = "tyopaikkaohjaajakysely"
    assert [v for _, v in view.theme.options][1:] == model.themes("tyopaikkaohjaajakysely")
    assert "<svg" in view.trend.value and "kit-track" in view.comparison.value


# --- one-page summaries -------------------------------------------------------------------------


@pytest.mark.parametrize("audience", list(onepager.AUDIENCES))
def test_onepager_for_each_audience(model, tmp_path, audience):
    page = onepager.build(model, "spesia", audience, lang="en")
    assert "SYNTHETIC DEMO DATA" in page.html and "<img" in page.html
    files = onepager.write(page, tmp_path)
    assert [f.suffix for f in files] == [".html", ".png"]
    assert files[1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob(".*"))  # no temporary file left


def test_onepager_refuses_an_unknown_audience(model):
    with pytest.raises(KitInputError) as info:
        onepager.build(model, "sdo", "parents")
    assert "students" in info.value.message("en")


# --- export for Power BI ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    export.write(export.tables(demo), out, "parquet")
    return out


def test_export_reads_back_with_pyarrow(exported, demo):
    from kit.parts import REGISTERED, resolve

    names = {p.stem for p in exported.glob("*.parquet")}
    # the core tables and each registered workshop's own
    own = set().union(*(resolve(target)(demo, None) for target in REGISTERED.exports))
    assert own and names == set(export.TABLES) | own
    for name in own:  # a workshop's hidden rows carry no value
        table = pq.read_table(exported / f"{name}.parquet").to_pandas()
        if {"suppressed", "value"} <= set(table.columns):
            assert table.loc[table["suppressed"].astype(bool), "value"].isna().all(), name
    fact = pq.read_table(exported / "feedback.parquet").to_pandas()
    assert {"n_1", "n_5", "n_eos", "n", "mean", "y_tunnus", "question_id"} <= set(fact.columns)
    about = pq.read_table(exported / "about.parquet").to_pandas()
    assert bool(about["synthetic"].iloc[0]) and "SYNTHETIC" in about["label_en"].iloc[0]


def test_export_has_no_mean_for_a_group_of_1_to_4(exported, demo):
    fact = pq.read_table(exported / "feedback.parquet").to_pandas()
    assert not ((fact["n"] >= 1) & (fact["n"] <= 4) & fact["mean"].notna()).any()
    # and against the unprotected truth: every shown mean belongs to 5 or more respondents
    true = feedback.aggregate(demo.feedback, feedback.KEYS)
    both = fact.merge(true[[*feedback.KEYS, "respondents"]], on=feedback.KEYS)
    assert len(both) == len(fact)
    shown = both[both["mean"].notna()]
    assert (shown["respondents"] >= 5).all()
    hidden = both[both["respondents"].between(1, 4)]
    assert len(hidden) > 0 and hidden["mean"].isna().all() and hidden["n_5"].isna().all()


def test_export_star_schema_joins(exported):
    read = {n: pq.read_table(exported / f"{n}.parquet").to_pandas() for n in export.TABLES}
    fact = read["feedback"]
    for dim, key in (
        ("provider", "y_tunnus"),
        ("period", "period"),
        ("survey", "survey"),
        ("question", "question_id"),
        ("qualification", "qualification"),
    ):
        assert set(fact[key]) <= set(read[dim][key]), dim
        assert read[dim][key].is_unique, dim
    described = set(zip(read["dictionary"]["table"], read["dictionary"]["column"]))
    for name, frame in read.items():
        if name != "dictionary":
            assert {(name, c) for c in frame.columns} <= described


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_csv_and_xlsx(demo, tmp_path, fmt):
    files = export.write(export.tables(demo, "live"), tmp_path, fmt)
    if fmt == "csv":
        fact = pd.read_csv(tmp_path / "feedback.csv", encoding="utf-8-sig", dtype={"y_tunnus": str})
    else:
        assert len(files) == 1
        fact = pd.read_excel(files[0], sheet_name="feedback", dtype={"y_tunnus": str})
    assert set(fact["y_tunnus"]) == {"0201375-3"}  # only Live's rows
    assert not ((fact["n"] >= 1) & (fact["n"] <= 4) & fact["mean"].notna()).any()


def test_kit_export_command(tmp_path, capsys):
    from kit import cli

    status = cli.main(
        [
            "--lang",
            "en",
            "export",
            "--format",
            "parquet",
            "--out",
            str(tmp_path / "pbi"),
            "--partner",
            "sdo",
        ]
    )
    out = capsys.readouterr()
    assert status == 0, out.err
    assert "SYNTHETIC" in out.out and (tmp_path / "pbi" / "feedback.parquet").exists()
    status = cli.main(
        ["--lang", "en", "export", "--out", str(tmp_path / "x"), "--partner", "nosuch"]
    )
    err = capsys.readouterr().err
    assert status == 1 and "careeria" in err and "Traceback" not in err


def test_the_national_comparison_is_cut_from_the_national_data_sets_own_decision(demo):
    """An analyst who reports on the national data set and shows a partner's dashboard beside
    it sees the country's cells shown and hidden alike, with the same counts: the comparison is
    the national data set's breakdown without a provider, under that data set's decision."""
    from kit import datasets

    national = datasets.load("national")
    cube = dashboard.build(demo, lang="en").cube
    ours = cube[(cube["scope"] == dashboard.NATIONAL) & (cube["qualification"] != dashboard.ALL)]
    keys = ["period", "survey", "qualification", "question_id"]
    theirs = feedback.summary(national.feedback, keys, {"period": sorted(ours["period"].unique())})
    both = ours.merge(theirs, on=keys, suffixes=("", "_own"), validate="one_to_one")
    assert len(both) == len(theirs) == len(ours) > 1000
    assert both["suppressed"].equals(both["suppressed_own"])
    assert both["suppressed"].any()  # the country's decision hides some cells
    shown = both[~both["suppressed"]]
    for c in feedback.COUNTS:
        assert shown[c].astype(int).equals(shown[f"{c}_own"].astype(int)), c


def test_the_dashboard_apps_kept_model_is_the_built_one():
    """kit serve primes every language's model from one process (its own language Finnish):
    the Swedish kept model is the one a Swedish kernel would build."""
    import pandas as pd

    from kit import datasets, i18n
    from kit.workshops.dashboards import dashboard

    lang = "sv"
    kept = dashboard.app_model(lang)  # made here, while the process's language is Finnish
    previous = i18n.get_language()
    i18n.set_language(lang)
    try:
        built = dashboard.build(datasets.load("demo"), lang=lang)
    finally:
        i18n.set_language(previous)
    pd.testing.assert_frame_equal(kept.cube, built.cube)
    assert kept.label == built.label
    sel = dashboard.Selection(partner="spesia")
    assert dashboard.kpis(kept, sel) == dashboard.kpis(built, sel)
