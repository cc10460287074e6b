"""The statistics behind workshop 3, against worked examples: intervals, status, change tests,
SPC rules and the funnel limits (values from the literature, or computed by hand here)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit import funnel, spc, uncertainty


def test_wilson_matches_the_textbook_example():
    # 8 of 10: the Wilson 95 % interval is 0.4902 … 0.9433 (Newcombe 1998, Table I style)
    low, high = uncertainty.wilson(8, 10)
    assert float(low) == pytest.approx(0.4902, abs=5e-4)
    assert float(high) == pytest.approx(0.9433, abs=5e-4)
    # 0 of 20 still has an upper bound (the plain interval would be 0 … 0)
    low, high = uncertainty.wilson(0, 20)
    assert float(low) == pytest.approx(0.0, abs=1e-12) and float(high) == pytest.approx(
        0.1611, abs=5e-4
    )
    assert np.isnan(uncertainty.wilson(0, 0)[0])


def test_t_interval_by_hand():
    low, high = uncertainty.t_interval(3.0, 1.0, 10)
    half = 2.262157 / math.sqrt(10)  # t(0.975, 9)
    assert float(low) == pytest.approx(3 - half, abs=1e-6)
    assert float(high) == pytest.approx(3 + half, abs=1e-6)


def test_status_says_within_noise_when_the_gap_is_small():
    got = uncertainty.status([0.62, 0.70, 0.50, np.nan], [0.03, 0.03, 0.03, 0.03], 0.60)
    assert list(got) == ["within_noise", "on_target", "off_target", "no_value"]
    lower = uncertainty.status([0.05, 0.20], [0.01, 0.01], 0.10, higher_is_better=False)
    assert list(lower) == ["on_target", "off_target"]


def test_change_of_a_proportion_by_hand():
    c = uncertainty.change_proportions(50, 100, 65, 100)
    pooled = 115 / 200
    se = math.sqrt(pooled * (1 - pooled) * (2 / 100))
    assert c.delta == pytest.approx(0.15)
    assert c.statistic == pytest.approx(0.15 / se)
    assert c.p_value == pytest.approx(math.erfc(abs(0.15 / se) / math.sqrt(2)))
    assert c.significant
    assert not uncertainty.change_proportions(50, 100, 55, 100).significant


def test_change_of_a_mean_by_hand():
    c = uncertainty.change_means(3.8, 0.9, 40, 4.1, 0.8, 50)
    se = math.sqrt(0.81 / 40 + 0.64 / 50)
    assert c.statistic == pytest.approx(0.3 / se)
    assert 0.05 < c.p_value < 0.15  # t ≈ 1.65 with about 79 degrees of freedom


@settings(max_examples=60, deadline=None)
@given(
    st.floats(1, 5),
    st.floats(0.05, 2),
    st.integers(2, 400),
    st.floats(1, 5),
    st.floats(0.05, 2),
    st.integers(2, 400),
)
def test_welch_p_equals_scipy_stats(m1, s1, n1, m2, s2, n2):
    """The dashboards' change test is Welch's, as scipy.stats computes it."""
    from scipy import stats

    expected = stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False).pvalue
    got = uncertainty.change_means(m1, s1, n1, m2, s2, n2).p_value
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)


def _chart(values):
    return spc.xmr(values, higher_is_better=True)


def test_spc_needs_eight_points():
    assert spc.xmr([1, 2, 3, 4, 5, 6, 7]) is None
    assert spc.xmr([1, 2, 3, 4, 5, 6, 7, 8]) is not None


def test_spc_limits_by_hand_and_a_point_outside():
    values = [10, 11, 10, 12, 11, 10, 11, 10, 11, 20]
    chart = _chart(values)
    mean = sum(values) / 10
    mr = np.abs(np.diff(values)).mean()
    assert chart.mean == pytest.approx(mean) and chart.upper == pytest.approx(mean + 2.66 * mr)
    last = chart.points.iloc[-1]
    assert last["rule"] == "outside" and last["kind"] == "improvement"
    assert not chart.points["special"].iloc[:-1].any()


def test_spc_run_trend_and_two_of_three():
    run = _chart([5, 6, 5, 6, 5, 7, 7, 7, 7, 7, 7, 7])
    assert run.points["rule"].iloc[-7:].eq("run").all()
    trend = _chart([5, 5, 5, 5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 5.7])
    assert (trend.points["rule"].iloc[3:] != "").all()
    assert "trend" in set(trend.points["rule"]) or "run" in set(trend.points["rule"])
    falling = spc.xmr([7.0, 6.8, 6.6, 6.4, 6.2, 6.0, 5.8, 6.4, 6.6, 6.8], higher_is_better=True)
    assert falling.points["rule"].iloc[:6].eq("trend").all()  # the 7th falls outside too
    assert falling.points["kind"].iloc[:7].eq("concern").all()
    # two of three near the upper limit
    base = [10, 10.5, 9.5, 10, 10.5, 9.5, 10, 10.5, 9.5, 10]
    mr = np.abs(np.diff(base + [12.3, 10, 12.3])).mean()
    chart = _chart(base + [12.3, 10, 12.3])
    near = chart.mean + 2 / 3 * 2.66 * mr
    assert 12.3 > near and 12.3 < chart.upper
    assert (
        chart.points["rule"].iloc[-3] == "two_of_three"
        and chart.points["rule"].iloc[-1] == "two_of_three"
    )


def test_spc_assurance():
    chart = _chart([10, 11, 10, 12, 11, 10, 11, 10, 11, 10])
    assert chart.assurance(5) == "consistent_pass"
    assert chart.assurance(20) == "consistent_fail"
    assert chart.assurance(10.5) == "hit_and_miss"
    assert chart.assurance(20, higher_is_better=False) == "consistent_pass"


def test_funnel_limits_by_the_definition():
    data = pd.DataFrame(
        {
            "y_tunnus": ["a", "b", "c", "d"],
            "targeted": [100, 400, 50, 0],
            "answered": [30, 300, 49, 0],
        }
    )
    out = funnel.limits(data)
    assert list(out["y_tunnus"]) == ["a", "b", "c"]  # nobody targeted: left out
    theta = (30 + 300 + 49) / (100 + 400 + 50)
    for _, row in out.iterrows():
        se = math.sqrt(theta * (1 - theta) / row["targeted"])
        assert row["lower95"] == pytest.approx(max(0, theta - 1.959964 * se))
        assert row["upper998"] == pytest.approx(min(1, theta + 3.090232 * se))
    # a: 0.30 far below θ0 ≈ 0.689; b: 0.75 inside its narrow limits; c: 0.98 above
    assert list(out["position"]) == ["below", "within", "above"]


def test_overdispersion_widens_the_limits_when_providers_spread():
    rng = np.random.default_rng(4)
    n = rng.integers(50, 3000, 120)
    true = np.clip(rng.normal(0.5, 0.12, 120), 0.05, 0.95)
    data = pd.DataFrame({"y_tunnus": range(120), "targeted": n, "answered": rng.binomial(n, true)})
    out, od = funnel.overdispersed(data)
    assert od.tau2 > 0 and od.phi > 1
    assert (out["od_upper998"] >= out["upper998"] - 1e-12).all()
    assert (out["od_position"] != "within").sum() < (out["position"] != "within").sum()
    # no spread beyond chance: τ² is 0
    calm = pd.DataFrame({"y_tunnus": range(120), "targeted": n, "answered": rng.binomial(n, 0.5)})
    assert funnel.dispersion(calm["answered"], calm["targeted"]).tau2 == pytest.approx(0, abs=2e-4)
