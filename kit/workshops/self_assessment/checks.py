"""Automatic checks of workshop 2's exercises (see :mod:`kit.exercises` for how they report)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from kit.exercises import Result, call
from kit.i18n import t


def agreement(candidate: Callable[[list[int]], float]) -> Result:
    """Exercise 4: ``candidate(levels)`` is the share of assessors whose level is
    within one of the median (what :func:`kit.workshops.self_assessment.assessment.consensus` calls agreement)."""
    cases = [
        [2, 2, 2, 2, 2],
        [0, 4, 0, 4, 2],
        [1, 2, 3, 3, 4, 0],
        [3, 3, 3, 4, 0, 0, 1],
        [0, 0, 1, 1, 1, 2, 4, 4],
    ]
    for levels in cases:
        got, error = call(candidate, list(levels))
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
            return Result(
                False,
                t(
                    "checks.agreement_wrong",
                    None,
                    levels=levels,
                    median=median,
                    want=f"{want:.3f}",
                    got=f"{float(got):.3f}",
                ),
            )
    return Result(True, t("checks.agreement_ok", None, count=len(cases)))


def largest_gap(candidate: Callable[[pd.DataFrame], str], table: pd.DataFrame) -> Result:
    """Exercise 5: ``candidate(radar_table)`` returns the criterion whose self and
    peer medians differ most (either way), ignoring criteria where either is hidden."""
    got, error = call(candidate, table.copy())
    if error:
        return Result(False, t("checks.raised_plain", None, error=error))
    both = table.dropna(subset=["self", "peer"])
    gaps = (both["self"] - both["peer"]).abs()
    best = set(both.loc[gaps == gaps.max(), "criterion"])
    if got not in best:
        return Result(
            False, t("checks.gap_wrong", None, want=", ".join(sorted(best)), got=repr(got))
        )
    return Result(True, t("checks.gap_ok", None, criterion=got))
