"""Automatic checks of workshop 5's exercises (see :mod:`kit.exercises` for how they report)."""

from __future__ import annotations

import math
from collections.abc import Callable

from kit.exercises import Result, call
from kit.i18n import t
from kit.workshops.anticipation import model, signals

#: (vacancies, unemployed): around the low-base rule and with zeros
TIGHT_CASES = ((120, 100), (0, 40), (30, 5), (30, 4), (7, 0), (1500, 2100))


def _tightness(vacancies: int, unemployed: int) -> float | None:
    if unemployed < signals.MIN_UNEMPLOYED:
        return None
    return vacancies / unemployed


def tightness(candidate: Callable) -> Result:
    """Exercise 11: ``candidate(vacancies, unemployed)`` is vacancies per unemployed, or
    ``None`` where fewer than five are unemployed."""
    for vacancies, unemployed in TIGHT_CASES:
        got, error = call(candidate, vacancies, unemployed)
        if error:
            return Result(False, t("checks.raised_plain", None, error=error))
        want = _tightness(vacancies, unemployed)
        if want is None:
            if got is not None:
                return Result(
                    False,
                    t("checks.ws5_low_base", None, case=(vacancies, unemployed), got=repr(got)),
                )
            continue
        if got is None or not isinstance(got, (int, float)) or not math.isclose(got, want):
            return Result(
                False,
                t(
                    "checks.ws5_wrong",
                    None,
                    case=(vacancies, unemployed),
                    want=f"{want:.4f}",
                    got=repr(got),
                ),
            )
    return Result(True, t("checks.ws5_tight_ok", None, count=len(TIGHT_CASES)))


#: (trend_low, trend_high, supply, median): each quadrant, and intervals touching zero
QUADRANT_CASES = (
    (0.1, 0.3, 20, 50),
    (0.1, 0.3, 80, 50),
    (-0.4, -0.1, 80, 50),
    (-0.4, -0.1, 20, 50),
    (-0.1, 0.2, 10, 50),
    (0.0, 0.2, 10, 50),
    (0.05, 0.2, 50, 50),
)


def quadrant(candidate: Callable) -> Result:
    """Exercise 12: ``candidate(low, high, supply, median)`` names the quadrant as the
    report does (:func:`kit.workshops.anticipation.model.classify`)."""
    for case in QUADRANT_CASES:
        got, error = call(candidate, *case)
        if error:
            return Result(False, t("checks.raised_plain", None, error=error))
        want = model.classify(*case)
        if got != want:
            return Result(
                False, t("checks.ws5_wrong", None, case=case, want=repr(want), got=repr(got))
            )
    return Result(True, t("checks.ws5_quadrant_ok", None, count=len(QUADRANT_CASES)))
