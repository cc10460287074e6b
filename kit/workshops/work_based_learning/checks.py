"""Automatic checks of workshop 4's exercises (see :mod:`kit.exercises` for how they report)."""

from __future__ import annotations

import math
from collections.abc import Callable

from kit.exercises import Result, call
from kit.i18n import t
from kit.workshops.work_based_learning import money, work_periods

#: hand-made cases around both rules' thresholds: (durations, answered, period)
TEP_CASES = (
    ((30, 60, 10), (True, False, True), "2024-25"),  # 40/100 = 0.4
    ((50, 50), (True, True), "2024-25"),  # 1.0
    ((90, 60, 30, 20), (True, True, False, False), "2024-25"),  # 150/200 = 0.75
    ((14, 28, 42, 56), (False, True, False, True), "2022-23"),  # 84/140 = 0.6
    ((100, 25, 25), (False, True, False), "2021-22"),  # 25/150 ≈ 0.167 (≤ 0.2)
    ((70, 30), (True, False), "2023-24"),  # 0.7 exactly
)


def tep_factor(candidate: Callable) -> Result:
    """Exercise 9: ``candidate(kesto, answered, period)`` is the duration-weighted response
    share and the correction factor."""
    for kesto, answered, period in TEP_CASES:
        got, error = call(candidate, list(kesto), list(answered), period)
        if error:
            return Result(False, t("checks.raised_plain", None, error=error))
        if got is None:
            return Result(False, t("checks.returned_none", None))
        share = money.response_share(kesto, answered)
        factor = float(work_periods.correction_factor(share, period))
        try:
            a, b = (float(v) for v in got)
        except (TypeError, ValueError):
            return Result(False, t("checks.tep_pair", None, value=repr(got)))
        if not (math.isclose(a, share, abs_tol=1e-9) and math.isclose(b, factor, abs_tol=1e-9)):
            return Result(
                False,
                t(
                    "checks.tep_wrong",
                    None,
                    case=(kesto, answered, period),
                    share=f"{share:.4f}",
                    factor=f"{factor:.4f}",
                    got=f"({a:.4f}, {b:.4f})",
                ),
            )
    return Result(True, t("checks.tep_ok", None, count=len(TEP_CASES)))


LOW_CASES = (
    {"1": 4, "2": 9, "3": 30, "4": 50, "5": 40, "eos": 7},
    {"1": 0, "2": 0, "3": 2, "4": 10, "5": 20, "eos": 0},
    {"1": 1, "2": 1, "3": 1, "4": 0, "5": 1, "eos": 9},
    {"1": 3, "2": 2, "eos": 1},
    {"5": 5},
)


def _low(counts: dict) -> float | None:
    scale = sum(int(counts.get(str(v), 0)) for v in range(1, 6))
    if scale < 5:
        return None
    return (int(counts.get("1", 0)) + int(counts.get("2", 0))) / scale


def low_share(candidate: Callable) -> Result:
    """Exercise 10: ``candidate(counts)`` is the share of answers 1–2 among the scale answers,
    ``None`` for fewer than five."""
    for counts in LOW_CASES:
        got, error = call(candidate, dict(counts))
        if error:
            return Result(False, t("checks.raised_plain", None, error=error))
        want = _low(counts)
        ok = (
            got is None
            if want is None
            else (isinstance(got, (int, float)) and math.isclose(float(got), want, abs_tol=1e-9))
        )
        if not ok:
            return Result(
                False, t("checks.low_wrong", None, counts=counts, want=repr(want), got=repr(got))
            )
    return Result(True, t("checks.low_ok", None, count=len(LOW_CASES)))
