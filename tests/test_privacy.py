"""The privacy rule: property-based tests over random feedback, plus the concrete cases.

The oracle here counts respondents from the generated groups themselves, not with the
library's own counting, so a bug in either shows.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit import feedback, overview, privacy, response
from kit.errors import KitInputError

PROVIDERS = ["1111111-1", "2222222-2", "3333333-3"]
PERIODS = ["2020-21", "2021-22"]
SURVEYS = ["aloittaneet", "tutkinnon_suorittaneet"]
QUALS = ["q1", "q2", "q3"]
QUESTIONS = ["A01", "A02"]
PEOPLE = ["y_tunnus", "period", "survey", "qualification"]
K = 5


@st.composite
def feedback_data(draw):
    """A tidy table in which every respondent answers every question; many small groups."""
    rows, people = [], []
    for y, p, s, q in itertools.product(PROVIDERS, PERIODS, SURVEYS, QUALS):
        m = draw(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30]))
        if m == 0:
            continue
        people.append({"y_tunnus": y, "period": p, "survey": s, "qualification": q, "m": m})
        for question in QUESTIONS:
            cuts = sorted(draw(st.lists(st.integers(0, m), min_size=5, max_size=5)))
            counts = np.diff([0, *cuts, m])
            rows.append({"y_tunnus": y, "period": p, "survey": s, "question_id": question,
                         "qualification": q, **dict(zip(feedback.COUNTS, counts.tolist()))})
    if not rows:
        return feedback.empty(), pd.DataFrame(columns=[*PEOPLE, "m"])
    return pd.DataFrame(rows), pd.DataFrame(people)


def true_respondents(people: pd.DataFrame, table: pd.DataFrame, by: list[str]) -> pd.Series:
    """Respondents per output row, counted from the generated groups."""
    dims = [d for d in by if d in PEOPLE]
    if not dims:
        return pd.Series(people["m"].sum(), index=table.index)
    sums = people.groupby(dims)["m"].sum()
    keys = list(zip(*[table[d] for d in dims])) if len(dims) > 1 else list(table[dims[0]])
    return pd.Series([sums.get(k, 0) for k in keys], index=table.index)


def assert_subtraction_safe(child: pd.DataFrame, parent: pd.DataFrame, parent_by: list[str]) -> None:
    """Under every shown parent, the hidden children (true count ``n``) are 0 or ≥ K people."""
    hidden = child[child["suppressed"]]
    if parent_by:
        sums = hidden.groupby(parent_by)["n"].sum()
        shown = parent[~parent["suppressed"]].set_index(parent_by).index
        values = [sums.get(k, 0) for k in shown]
    else:
        values = [hidden["n"].sum()] if not parent["suppressed"].iloc[0] else []
    assert all(v == 0 or v >= K for v in values), values


by_strategy = st.lists(st.sampled_from([*PEOPLE, "question_id"]), unique=True, max_size=3)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(data=feedback_data(), by=by_strategy)
def test_no_figure_for_a_small_group(data, by):
    tidy, people = data
    if tidy.empty:
        return
    out = feedback.summary(tidy, by=by)
    n = true_respondents(people, out, by)
    small = (n > 0) & (n < K)
    assert out.loc[small, "suppressed"].all()
    assert out.loc[small, "respondents"].isna().all()
    assert (out.loc[small, "respondents_label"] == "1-4").all()
    for col in feedback.FIGURES:
        assert out.loc[out["suppressed"], col].isna().all(), col
    shown = ~out["suppressed"]
    assert ((n[shown] == 0) | (n[shown] >= K)).all()
    # shown counts are exact
    assert (out.loc[shown, "respondents"].astype(int) == n[shown]).all()


@SETTINGS
@given(data=feedback_data(), by=st.lists(st.sampled_from(PEOPLE), unique=True, min_size=1, max_size=3),
       pick=st.integers(0, 10))
def test_subtraction_never_reveals_a_small_group(data, by, pick):
    """Parent shown minus its shown children = hidden children, which are 0 or ≥ 5 people."""
    tidy, people = data
    if tidy.empty:
        return
    dim = by[pick % len(by)]
    parent_by = [d for d in by if d != dim]
    child = feedback.summary(tidy, by=by)
    parent = feedback.summary(tidy, by=parent_by)
    child["n"] = true_respondents(people, child, by)
    assert_subtraction_safe(child, parent, parent_by)


@SETTINGS
@given(data=feedback_data(), dim=st.sampled_from(PEOPLE), pick=st.integers(0, 10),
       by=st.lists(st.sampled_from(PEOPLE), unique=True, max_size=2))
def test_selection_complement_is_protected(data, dim, pick, by):
    """Selecting some values: the selection and the whole cannot give a small rest away."""
    tidy, people = data
    if tidy.empty:
        return
    by = [d for d in by if d != dim]
    values = sorted(tidy[dim].unique())
    chosen = values[: 1 + pick % len(values)]
    part = feedback.summary(tidy, by=by, select={dim: chosen})
    whole = feedback.summary(tidy, by=by)
    rest_people = people[~people[dim].isin(chosen)]
    for _, row in part[~part["suppressed"]].iterrows():
        key = {d: row[d] for d in by}
        match = whole
        for d, v in key.items():
            match = match[match[d] == v]
        if match.empty or match["suppressed"].iloc[0]:
            continue
        rest = rest_people
        for d, v in key.items():
            rest = rest[rest[d] == v]
        assert rest["m"].sum() == 0 or rest["m"].sum() >= K


@st.composite
def response_data(draw):
    rows = []
    for y, p, s in itertools.product(PROVIDERS, PERIODS, SURVEYS):
        answered = draw(st.sampled_from([0, 1, 2, 3, 4, 5, 8, 40]))
        targeted = answered + draw(st.integers(0, 20))
        rows.append((y, "", p, s, targeted, answered))
    return pd.DataFrame(rows, columns=response.COLUMNS)


@SETTINGS
@given(resp=response_data(), by=st.lists(st.sampled_from(["y_tunnus", "period", "survey"]),
                                         unique=True, min_size=1, max_size=3), pick=st.integers(0, 5))
def test_response_rates_follow_the_same_rule(resp, by, pick):
    out = response.summary(resp, by=by)
    truth = resp.groupby(by)["answered"].sum()
    n = pd.Series([truth[tuple(r[d] for d in by)] if len(by) > 1 else truth[r[by[0]]]
                   for _, r in out.iterrows()], index=out.index)
    small = (n > 0) & (n < K)
    assert out.loc[small, "suppressed"].all()
    assert out.loc[out["suppressed"], "response_rate"].isna().all()
    assert out.loc[out["suppressed"], "answered"].isna().all()
    dim = by[pick % len(by)]
    parent_by = [d for d in by if d != dim]
    parent = response.summary(resp, by=parent_by)
    out["n"] = n
    assert_subtraction_safe(out, parent, parent_by)


def test_worked_example_hides_b_and_c():
    table = overview.privacy_example("en")
    labels = dict(zip(table["group"], table["answered"]))
    assert labels["B"] == "1-4"
    assert labels["C"] == "(protected)"
    assert labels["A"] == "12" and labels["D"] == "20" and labels["Total"] == "43"
    assert table.loc[table["group"].isin(["B", "C"]), "mean"].isna().all()


def test_threshold_can_only_go_up(monkeypatch):
    assert privacy.threshold() == 5
    with pytest.raises(KitInputError) as info:
        privacy.set_threshold(3)
    assert "cannot go below 5" in info.value.message("en")
    try:
        assert privacy.set_threshold(10) == 10
        assert privacy.small_label() == "1-9"
        assert privacy.effective(5) == 10  # a call cannot lower the configured threshold
    finally:
        privacy.set_threshold(None)
    monkeypatch.setenv("KIT_PRIVACY_THRESHOLD", "2")
    with pytest.raises(KitInputError):
        privacy.threshold()
    monkeypatch.setenv("KIT_PRIVACY_THRESHOLD", "7")
    assert privacy.threshold() == 7


def test_raised_threshold_hides_more(demo):
    normal = feedback.summary(demo.feedback, by=["y_tunnus", "period", "survey", "qualification"])
    strict = feedback.summary(demo.feedback, by=["y_tunnus", "period", "survey", "qualification"],
                              threshold=20)
    assert strict["suppressed"].sum() > normal["suppressed"].sum()
    n = strict["respondents"]
    assert (n.dropna() >= 20).all()


def test_demo_overview_tables_show_no_small_count(demo):
    """The tables `kit demo` and the start notebook show: no count 1-4 as a number."""
    student = overview.respondents_table(demo, "opiskelijapalaute", "en")
    worklife = overview.respondents_table(demo, "tyoelamapalaute", "en")
    rates = overview.response_rates(demo, "2024-25", "en")
    quals = overview.qualification_table(demo, "live", "2020-21", "tutkinnon_osia_suorittaneet", "en")
    respondent_cells = [student.drop(columns="provider"), worklife.drop(columns="provider"),
                        rates[["answered"]], quals[["answered"]]]
    for cells in respondent_cells:
        values = set(cells.astype(str).to_numpy().ravel())
        assert not values & {"1", "2", "3", "4"}, cells
    assert (quals["answered"] == "1-4").any()  # the example really has a small group
    assert (rates["answered"] == "1-4").any()
    hidden = rates["answered"].isin(["1-4", "(protected)"])
    assert (rates.loc[hidden, "response rate"] == "").all()
