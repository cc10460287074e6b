"""Every output path, walked: no result of a group of 1–4 people anywhere.

The truth here is counted from the demo's tidy table directly (not with the library's own
counting). A group's result may be shown only if it has five or more people and, for one
question, five or more answers and five or more scale answers. Paths walked: the dashboard
model's statistics (which the KPI cards, trend, answer bars, comparison, critical points,
headlines and one-pagers read), the comparison and critical points themselves, the one-pagers,
the Power BI export, and the JSON of every `kit run` report. (Every workshop that reads a data
set is walked through its model's one shape in ``test_privacy_walk.py``; the self-assessment
views are walked, and attacked, in ``test_self_assessment.py``; the dashboard's cube is
attacked with bounds in ``test_attacker.py``.)
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from kit import export, feedback, partners
from kit.workshops.dashboards import dashboard, onepager
from kit.workshops.dashboards.dashboard import ALL, Selection

K = 5
SCALE = [c for c in feedback.COUNTS if c != "n_eos"]


@pytest.fixture(scope="module")
def model(demo):
    return dashboard.build(demo, lang="en")


@pytest.fixture(scope="module")
def truth(demo):
    """Per finest cell and question: answers, scale answers and the cell's people (the
    largest answer count of any question in the cell)."""
    t = demo.feedback.copy()
    t["answers"] = t[feedback.COUNTS].sum(axis=1)
    t["scale"] = t[SCALE].sum(axis=1)
    cells = ["y_tunnus", "period", "survey", "qualification"]
    t["people"] = t.groupby(cells)["answers"].transform("max")
    return t


def group(truth: pd.DataFrame, scope: str, survey: str, qualification: str) -> pd.DataFrame:
    rows = truth[truth["survey"].eq(survey) & truth["y_tunnus"].isin(partners.y_tunnukset(scope))]
    if qualification != ALL:
        rows = rows[rows["qualification"] == qualification]
    return rows


def group_people(rows: pd.DataFrame) -> pd.Series:
    """People per period of ``rows`` (each finest cell counted once)."""
    cells = rows.drop_duplicates(["y_tunnus", "period", "survey", "qualification"])
    return cells.groupby("period")["people"].sum()


def scopes_and_groups(model):
    for scope in partners.ids():
        for survey in dashboard.SURVEYS:
            for qual in [ALL, *model.qualifications]:
                yield scope, survey, qual


def test_dashboard_statistics_show_no_small_group(model, truth):
    """Every statistic the dashboard's views read, per scope, survey and qualification, per
    question and per theme: a shown mean or share belongs to a group of five or more."""
    checked = hidden_small = 0
    for scope, survey, qual in scopes_and_groups(model):
        rows = group(truth, scope, survey, qual)
        if rows.empty:
            continue
        people = group_people(rows)
        per_question = rows.groupby(["period", "question_id"])[["answers", "scale"]].sum()
        stats = model.stats("question", scope, survey, qual)
        for r in stats.itertuples():
            answers, scale = per_question.loc[(r.period, r.question_id)]
            small = 0 < min(answers, scale) < K or 0 < people[r.period] < K
            checked += 1
            if small:
                hidden_small += 1
                assert math.isnan(r.mean) and math.isnan(r.p_5), (scope, survey, qual, r)
        themes = model.stats("theme", scope, survey, qual)
        for r in themes.itertuples():
            if 0 < people.get(r.period, 0) < K:
                hidden_small += 1
                assert math.isnan(r.mean), (scope, survey, qual, r)
    assert checked > 10_000 and hidden_small > 100  # the demo really has small groups


def test_comparison_and_critical_points_read_only_shown_statistics(model, truth):
    """The comparison and the critical points for every partner, survey and period, whole and
    per qualification: every mean they show is one the statistics show for a group of 5+."""
    for partner in [p for p in partners.ids() if p != partners.NETWORK]:
        for survey in ("aloittaneet", "tutkinnon_osia_suorittaneet"):
            for qual in [ALL, *model.qualifications[:6]]:
                rows = group(truth, partner, survey, qual)
                if rows.empty:
                    continue
                people = group_people(rows)
                stats = model.stats("question", partner, survey, qual)
                for period in model.periods:
                    sel = Selection(
                        partner=partner, survey=survey, qualification=qual, period=period
                    )
                    shown = stats[(stats["period"] == period) & stats["mean"].notna()]
                    means = dict(zip(shown["question_id"], shown["mean"]))
                    crit = dashboard.critical_points(model, sel)
                    assert set(crit["question_id"]) <= set(means)
                    assert np.allclose(
                        crit["mean"].astype(float), crit["question_id"].map(means).astype(float)
                    )
                    if len(crit):
                        assert people[period] >= K
                    for theme in model.themes(survey)[:2]:
                        comp = dashboard.comparison(model, sel.with_(theme=theme), lang="en")
                        own = comp[comp["who"] == partners.display_name(partner, "en")]
                        own = own[own["mean"].notna()]
                        assert set(own["item"]) <= set(means)
                        assert np.allclose(
                            own["mean"].astype(float), own["item"].map(means).astype(float)
                        )


def test_one_pagers_show_no_figure_of_a_hidden_group(model):
    """A one-pager for a partner whose latest units-survey group is hidden shows its label,
    not a figure: the page's numbers are the headline's."""
    for partner in [p for p in partners.ids() if p != partners.NETWORK]:
        page = onepager.build(model, partner, "staff", lang="en")
        sel = Selection(partner=partner, survey="tutkinnon_suorittaneet")
        k = dashboard.kpis(model, sel)
        if k["mean"] is None:
            assert k["respondents_label"] in page.html
        else:
            assert f"{k['mean']:.2f}" in page.html or f"{k['mean']:.1f}" in page.html


def test_export_tables_show_no_result_of_a_small_group(demo, truth, tmp_path):
    """Every table of the Power BI export: results only for groups of five or more;
    participation (targeted, answered) exactly as in the data."""
    tables = export.tables(demo)
    fact = tables["feedback"]
    true = truth.set_index(feedback.KEYS)[["answers", "scale", "people"]]
    both = fact.join(true, on=feedback.KEYS)
    assert both["answers"].notna().all()
    shown = both[both["mean"].notna()]
    assert (shown["answers"] >= K).all() and (shown["scale"] >= K).all()
    assert (shown["people"] >= K).all()
    small = both[(both["answers"] < K) | (both["scale"].between(1, K - 1))]
    assert len(small) and small["mean"].isna().all() and small["n_5"].isna().all()
    resp = tables["response"]  # the student surveys, which the funding formula uses
    student = demo.response[demo.response["survey"].isin(set(resp["survey"]))]
    assert set(resp["survey"]) == {
        "aloittaneet",
        "tutkinnon_suorittaneet",
        "tutkinnon_osia_suorittaneet",
    }
    merged = resp.merge(student, on=["y_tunnus", "period", "survey"], suffixes=("", "_in"))
    assert len(merged) == len(student) == len(resp)
    assert (merged["targeted"] == merged["targeted_in"]).all()
    assert (merged["answered"] == merged["answered_in"]).all()


def _figures(node, path=""):
    """Every dict in a JSON document that holds a result, with where it is."""
    if isinstance(node, dict):
        if "mean" in node or "median" in node or "self_median" in node:
            yield path, node
        for key, value in node.items():
            yield from _figures(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _figures(value, f"{path}[{i}]")


@pytest.mark.slow
@pytest.mark.xdist_group("kit_demo")
def test_kit_run_json_shows_no_small_group(demo_run):
    """The JSON of every `kit run` report (every workshop, partner and language that
    `kit demo` runs): a shown mean always has five or more respondents, a hidden one its
    label."""
    files = sorted(demo_run.reports.rglob("*.json"))
    assert files, demo_run.stderr
    seen = 0
    for path in files:
        for where, figures in _figures(json.loads(path.read_text(encoding="utf-8"))):
            seen += 1
            if figures.get("mean") is not None and "respondents" in figures:
                assert figures["respondents"] is not None and figures["respondents"] >= K, (
                    path.name,
                    where,
                )
            if figures.get("respondents") is None and "mean" in figures:
                assert figures["mean"] is None, (path.name, where)
                label = str(figures.get("respondents_label", ""))
                assert re.fullmatch(r"1-4|\(.+\)", label), (path.name, where, label)
    assert seen > 0


@pytest.mark.xdist_group("kit_demo")
def test_student_identifiers_stay_in_their_own_providers_outputs(demo_run):
    """Jakso and HOKS ids appear only in their own partner's report and exports, and the
    rooms' participant codes (the self-assessment's receipts) in no report: every file `kit
    demo` wrote is read as text (embedded images left out), the network's and the start page
    included."""
    import sqlite3

    import pyarrow.parquet as pq

    from kit import store
    from kit.workshops.work_based_learning import synthetic

    periods = pd.read_csv(synthetic.work_periods_path(), dtype=str)
    owner = {y: partners.id_of(y) for y in periods["koulutustoimija"].unique()}
    ids: dict[str, set[str]] = {}
    for y, rows in periods.groupby("koulutustoimija"):
        ids.setdefault(owner[y], set()).update(rows["yksiloiva-tunniste"])
        ids[owner[y]].update(rows["hoks-id"])
    codes = set()
    for path in (demo_run.state / store.demo_path("x").parent.name).glob("*.sqlite3"):
        with sqlite3.connect(path) as con:
            codes |= {row[0] for row in con.execute("SELECT id FROM participants")}
    assert codes and len(ids) == 6
    pattern = re.compile(r"\b[JH][0-9]{4}-[0-9]{5}\b")
    own_seen = 0
    files = [p for p in demo_run.reports.rglob("*") if p.is_file() and p.suffix != ".png"]
    assert len(files) > 50, demo_run.stderr
    for path in files:
        if path.suffix == ".parquet":
            text = pq.read_table(path).to_pandas().to_csv()
        elif path.suffix == ".xlsx":
            text = "\n".join(
                pd.read_excel(path, sheet_name=None, dtype=str)[s].to_csv()
                for s in pd.read_excel(path, sheet_name=None)
            )
        else:
            text = re.sub(
                r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+",
                "",
                path.read_text(encoding="utf-8", errors="replace"),
            )
        partner = path.name.split("_")[0]
        mine = ids.get(partner, set())
        found = set(pattern.findall(text))
        assert not found - mine, (path, sorted(found - mine)[:3])
        own_seen += len(found & mine)
        words = set(re.findall(r"\b[A-Z0-9]{6}\b", text))
        assert not words & codes, (path, sorted(words & codes)[:3])
    assert own_seen > 0  # a partner's own report does list its jaksot to fix
