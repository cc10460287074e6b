"""Automatic checks for the exercises in ``exercises/``: each says what is right or what to fix.

An exercise notebook ends with a cell such as ``checks.correction_factor(my_factor)``. The check
runs the attendee's function on cases it knows the answer to (from the kit's own model), shows
one green or red line in the notebook, and returns ``True`` or ``False``. Its feedback names the
first case that went wrong and gives a hint, so the attendee can fix one thing at a time. The
solutions are kept apart in ``exercises/solutions/``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from kit import dashboard, funding
from kit.i18n import t


@dataclass(frozen=True)
class Result:
    """The outcome of a check: passed or not, and the message shown."""

    passed: bool
    message: str

    def _repr_html_(self) -> str:
        colour, mark = ("#1a7f37", "✔") if self.passed else ("#b42318", "✘")
        state = "pass" if self.passed else "fail"
        return (f'<div data-check="{state}" style="color:{colour};font-weight:600">'
                f"{mark} {html.escape(self.message)}</div>")

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return ("✔ " if self.passed else "✘ ") + self.message


def _call(fn: Callable, *args: object) -> tuple[object, str | None]:
    """Call the attendee's function; an exception becomes feedback, not a traceback."""
    try:
        return fn(*args), None
    except Exception as exc:  # noqa: BLE001 - any mistake in exercise code is feedback
        return None, f"{type(exc).__name__}: {exc}"


def correction_factor(candidate: Callable[[float, str], float]) -> Result:
    """Exercise 1: ``candidate(rate, period)`` must give the published correction factor."""
    cases = [(r, p) for p in ("2018-19", "2020-21", "2024-25")
             for r in (0.05, 0.2, 0.35, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1.0)]
    for rate, period in cases:
        got, error = _call(candidate, rate, period)
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
            hint = t("checks.hint_above" if rate >= threshold else "checks.hint_below", None,
                     threshold=threshold)
            return Result(False, t("checks.factor_wrong", None, rate=rate, period=period,
                                   want=f"{want:.6f}", got=f"{float(got):.6f}", hint=hint))
    return Result(True, t("checks.factor_ok", None, count=len(cases)))


def survey_slicer(candidate: Callable, model: dashboard.Model, partner: str = "network") -> Result:
    """Exercise 2: ``candidate(model, partner, output)`` returns a Dropdown of surveys; changing
    it must put the selected survey's mean (two decimals) into ``output.value``."""
    import ipywidgets as widgets

    output = widgets.HTML()
    slicer, error = _call(candidate, model, partner, output)
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
            return Result(False, t("checks.slicer_wrong", None, survey=survey, want=want,
                                   got=output.value[:80]))
    return Result(True, t("checks.slicer_ok", None))


def audience_chart(candidate: Callable, model: dashboard.Model, partner: str = "sdo") -> Result:
    """Exercise 3: ``candidate(model, partner)`` draws the partner's three strongest items as
    horizontal bars (length = mean) and returns the Axes, with the data's label on it."""
    import matplotlib
    from matplotlib.axes import Axes

    ax, error = _call(candidate, model, partner)
    if error:
        return Result(False, t("checks.raised_plain", None, error=error))
    if not isinstance(ax, Axes):
        return Result(False, t("checks.not_axes", None, got=type(ax).__name__))
    sel = dashboard.Selection(partner=partner)
    crit = dashboard.critical_points(model, sel)
    want = sorted(round(v, 2) for v in crit.loc[crit["kind"] == "strongest", "mean"])
    bars = [p for p in ax.patches if p.get_width() > 0 and abs(p.get_height()) < 5]
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


def agreement(candidate: Callable[[list[int]], float]) -> Result:
    """Workshop 2, exercise 1: ``candidate(levels)`` is the share of assessors whose level is
    within one of the median (what :func:`kit.assessment.consensus` calls agreement)."""
    import numpy as np

    cases = [[2, 2, 2, 2, 2], [0, 4, 0, 4, 2], [1, 2, 3, 3, 4, 0], [3, 3, 3, 4, 0, 0, 1],
             [0, 0, 1, 1, 1, 2, 4, 4]]
    for levels in cases:
        got, error = _call(candidate, list(levels))
        if error:
            return Result(False, t("checks.raised_plain", None, error=error))
        if got is None:
            return Result(False, t("checks.returned_none", None))
        median = float(np.median(levels))
        want = sum(abs(v - median) <= 1 for v in levels) / len(levels)
        try:
            ok = math.isclose(float(got), want, abs_tol=1e-9)
        except (TypeError, ValueError):
            return Result(False, t("checks.not_a_number", None, value=repr(got)))
        if not ok:
            return Result(False, t("checks.agreement_wrong", None, levels=levels,
                                   median=median, want=f"{want:.3f}", got=f"{float(got):.3f}"))
    return Result(True, t("checks.agreement_ok", None, count=len(cases)))


def largest_gap(candidate: Callable[[pd.DataFrame], str], table: pd.DataFrame) -> Result:
    """Workshop 2, exercise 2: ``candidate(radar_table)`` returns the criterion whose self and
    peer medians differ most (either way), ignoring criteria where either is hidden."""
    got, error = _call(candidate, table.copy())
    if error:
        return Result(False, t("checks.raised_plain", None, error=error))
    both = table.dropna(subset=["self", "peer"])
    gaps = (both["self"] - both["peer"]).abs()
    best = set(both.loc[gaps == gaps.max(), "criterion"])
    if got not in best:
        return Result(False, t("checks.gap_wrong", None, want=", ".join(sorted(best)),
                               got=repr(got)))
    return Result(True, t("checks.gap_ok", None, criterion=got))
