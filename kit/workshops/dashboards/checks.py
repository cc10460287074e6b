"""Automatic checks of workshop 1's exercises: each says what is right or what to fix.

The expected answers come from the kit's own model (:mod:`kit.funding`, the dashboard model);
see :mod:`kit.exercises` for how a check reports.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from kit import funding
from kit.exercises import Result, call
from kit.i18n import t
from kit.workshops.dashboards import dashboard


def correction_factor(candidate: Callable[[float, str], float]) -> Result:
    """Exercise 1: ``candidate(rate, period)`` must give the published correction factor."""
    cases = [
        (r, p)
        for p in ("2018-19", "2020-21", "2024-25")
        for r in (0.05, 0.2, 0.35, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1.0)
    ]
    for rate, period in cases:
        got, error = call(candidate, rate, period)
        if error:
            return Result(False, t("checks.raised", None, rate=rate, period=period, error=error))
        want = funding.correction_factor(rate, period)
        if got is None:
            return Result(False, t("checks.returned_none", None))
        try:
            ok = math.isclose(float(got), want, rel_tol=0, abs_tol=1e-6)
        except (TypeError, ValueError):
            return Result(False, t("checks.not_a_number", None, value=repr(got)))
        if not ok:
            threshold = funding.formula(period).full_at
            hint = t(
                "checks.hint_above" if rate >= threshold else "checks.hint_below",
                None,
                threshold=threshold,
            )
            return Result(
                False,
                t(
                    "checks.factor_wrong",
                    None,
                    rate=rate,
                    period=period,
                    want=f"{want:.6f}",
                    got=f"{float(got):.6f}",
                    hint=hint,
                ),
            )
    return Result(True, t("checks.factor_ok", None, count=len(cases)))


def survey_slicer(candidate: Callable, model: dashboard.Model, partner: str = "network") -> Result:
    """Exercise 2: ``candidate(model, partner, output)`` returns a Dropdown of surveys; changing
    it must put the selected survey's mean (two decimals) into ``output.value``."""
    import ipywidgets as widgets

    output = widgets.HTML()
    slicer, error = call(candidate, model, partner, output)
    if error:
        return Result(False, t("checks.raised_plain", None, error=error))
    if not isinstance(slicer, widgets.Dropdown):
        return Result(False, t("checks.not_dropdown", None, got=type(slicer).__name__))
    values = [o[1] if isinstance(o, tuple) else o for o in slicer.options]
    missing = [s for s in ("aloittaneet", "tutkinnon_suorittaneet") if s not in values]
    if missing:
        return Result(False, t("checks.missing_options", None, missing=", ".join(missing)))
    for survey in ("aloittaneet", "tutkinnon_suorittaneet", "aloittaneet"):
        slicer.value = survey
        k = dashboard.kpis(model, dashboard.Selection(partner=partner, survey=survey))
        want = "–" if k["mean"] is None else f"{k['mean']:.2f}"
        if want not in output.value and want.replace(".", ",") not in output.value:
            return Result(
                False,
                t("checks.slicer_wrong", None, survey=survey, want=want, got=output.value[:80]),
            )
    return Result(True, t("checks.slicer_ok", None))


def audience_chart(candidate: Callable, model: dashboard.Model, partner: str = "sdo") -> Result:
    """Exercise 3: ``candidate(model, partner)`` draws the partner's three strongest items as
    horizontal bars (length = mean) and returns the Axes, with the data's label on it."""
    import matplotlib
    from matplotlib.axes import Axes
    from matplotlib.patches import Rectangle

    ax, error = call(candidate, model, partner)
    if error:
        return Result(False, t("checks.raised_plain", None, error=error))
    if not isinstance(ax, Axes):
        return Result(False, t("checks.not_axes", None, got=type(ax).__name__))
    sel = dashboard.Selection(partner=partner)
    crit = dashboard.critical_points(model, sel)
    want = sorted(round(v, 2) for v in crit.loc[crit["kind"] == "strongest", "mean"])
    bars = [
        p
        for p in ax.patches
        if isinstance(p, Rectangle) and p.get_width() > 0 and abs(p.get_height()) < 5
    ]
    got = sorted(round(p.get_width(), 2) for p in bars)
    if len(got) != len(want):
        return Result(False, t("checks.bar_count", None, want=len(want), got=len(got)))
    if any(abs(a - b) > 0.01 for a, b in zip(got, want)):
        return Result(False, t("checks.bar_values", None, want=want, got=got))
    texts = [x.get_text() for x in ax.figure.findobj(matplotlib.text.Text)]
    if not any(model.label in s for s in texts):
        return Result(False, t("checks.no_label", None))
    return Result(True, t("checks.chart_ok", None))


def strongest_table(model: dashboard.Model, partner: str) -> pd.DataFrame:
    """The table exercise 3 starts from: the partner's strongest items (protected)."""
    crit = dashboard.critical_points(model, dashboard.Selection(partner=partner))
    return crit[crit["kind"] == "strongest"].reset_index(drop=True)
