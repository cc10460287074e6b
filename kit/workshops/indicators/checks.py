"""Automatic checks of workshop 3's exercises (see :mod:`kit.exercises` for how they report)."""

from __future__ import annotations

import math
from collections.abc import Callable

from kit import uncertainty
from kit.exercises import Result, call
from kit.i18n import t
from kit.workshops.indicators.checkins import KARVI, RACER


def wilson(candidate: Callable) -> Result:
    """Exercise 6: ``candidate(successes, n)`` is the Wilson 95 % interval."""
    for y, n in ((8, 10), (0, 20), (281, 345), (71, 264), (1, 3)):
        got, error = call(candidate, y, n)
        if error:
            return Result(False, t("checks.raised_plain", None, error=error))
        if got is None:
            return Result(False, t("checks.returned_none", None))
        low, high = (float(v) for v in uncertainty.wilson(y, n, z=1.96))
        try:
            a, b = (float(v) for v in got)
        except (TypeError, ValueError):
            return Result(False, t("checks.wilson_pair", None, value=repr(got)))
        if not (math.isclose(a, low, abs_tol=1e-6) and math.isclose(b, high, abs_tol=1e-6)):
            return Result(
                False,
                t(
                    "checks.wilson_wrong",
                    None,
                    y=y,
                    n=n,
                    low=f"{low:.4f}",
                    high=f"{high:.4f}",
                    a=f"{a:.4f}",
                    b=f"{b:.4f}",
                ),
            )
    return Result(True, t("checks.wilson_ok", None))


def real_change(candidate: Callable) -> Result:
    """Exercise 7: ``candidate(a1, n1, a2, n2)`` says whether the rate changed for real."""
    cases = (
        (50, 100, 65, 100),
        (50, 100, 55, 100),
        (231, 345, 281, 345),
        (71, 264, 80, 264),
        (600, 1188, 644, 1188),
        (10, 40, 22, 41),
    )
    for case in cases:
        got, error = call(candidate, *case)
        if error:
            return Result(False, t("checks.raised_plain", None, error=error))
        if not isinstance(got, bool):
            return Result(False, t("checks.change_bool", None, value=repr(got)))
        want = uncertainty.change_proportions(*case).significant
        if got != want:
            return Result(
                False,
                t(
                    "checks.change_wrong",
                    None,
                    case=case,
                    want=t("scorecard.yes" if want else "scorecard.no", None),
                ),
            )
    return Result(True, t("checks.change_ok", None, count=len(cases)))


def racer(rating: dict, reasons: dict) -> Result:
    """Exercise 8: a level 0–3 for each RACER criterion, and a reason for every level below 2."""
    if set(rating) != set(RACER):
        return Result(False, t("checks.racer_keys", None, keys=", ".join(RACER)))
    for name, level in rating.items():
        if isinstance(level, bool) or level not in range(len(KARVI)):
            return Result(False, t("checks.racer_level", None, name=name, value=repr(level)))
    for name, level in rating.items():
        if level < 2 and len(str(reasons.get(name, "")).split()) < 5:
            return Result(False, t("checks.racer_reason", None, name=name))
    return Result(True, t("checks.racer_ok", None))
