"""How sure a figure is: intervals, status against a target, and whether a change is real.

* :func:`wilson` – the Wilson score interval of a proportion (good also near 0 and 1 and for
  small n, where the plain ``p ± z·SE`` interval fails);
* :func:`t_interval` – the Student's t interval of a mean;
* :func:`status` – on target, off target, or *within noise* when the gap to the target is
  smaller than ``z`` standard errors: the status a scorecard colour should say;
* :func:`change_proportions` / :func:`change_means` – the change from one period to the next
  with a two-sided test (two-proportion z-test with the pooled SE; Welch's t-test).

Formulas: ``../shared/domain/indicators.md`` §3.2; all vectorised over numpy arrays or pandas
Series. The distributions are scipy.special's (the functions scipy.stats calls), so an app
kernel that tests a change does not import scipy.stats.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

Z = 1.959964  # two-sided 95 %
ON_TARGET, OFF_TARGET, WITHIN_NOISE, NO_VALUE = (
    "on_target",
    "off_target",
    "within_noise",
    "no_value",
)
STATUSES = (ON_TARGET, WITHIN_NOISE, OFF_TARGET, NO_VALUE)


def wilson(successes, n, z: float = Z) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval ``(low, high)`` of ``successes / n``; NaN where n is 0."""
    y = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = y / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    bad = ~(n > 0)
    return np.where(bad, np.nan, centre - half), np.where(bad, np.nan, centre + half)


def t_interval(mean, sd, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """The Student's t interval of a mean from its SD and n (NaN where n < 2)."""
    m, s, n = (np.asarray(a, dtype=float) for a in (mean, sd, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = special.stdtrit(np.where(n >= 2, n - 1, np.nan), 0.5 + level / 2)
        half = t * s / np.sqrt(n)
    return m - half, m + half


def se_proportion(p, n) -> np.ndarray:
    """√(p(1−p)/n)."""
    p, n = np.asarray(p, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(p * (1 - p) / n)


def status(value, se, target, *, higher_is_better: bool = True, z: float = Z) -> np.ndarray:
    """``on_target``, ``off_target`` or ``within_noise`` for each value.

    ``within_noise`` when |value − target| < z·SE: the data cannot tell the two apart, so a
    colour saying "on" or "off" would be reading noise. Otherwise the side of the target, by
    the indicator's direction. ``no_value`` where the value (or its SE) is missing.
    """
    v, s, t = (np.asarray(a, dtype=float) for a in (value, se, target))
    gap = v - t if higher_is_better else t - v
    with np.errstate(invalid="ignore"):
        noise = np.abs(gap) < z * s
        out = np.where(gap >= 0, ON_TARGET, OFF_TARGET).astype(object)
        out = np.where(noise, WITHIN_NOISE, out)
    return np.where(np.isnan(v) | np.isnan(s) | np.isnan(t), NO_VALUE, out)


@dataclass(frozen=True)
class Change:
    """A change between two periods: its size, the test's statistic and two-sided p-value,
    and whether it is real at 5 %."""

    delta: float
    statistic: float
    p_value: float

    @property
    def significant(self) -> bool:
        return bool(np.isfinite(self.p_value) and self.p_value < 0.05)


def change_proportions(y1: float, n1: float, y2: float, n2: float) -> Change:
    """From ``y1/n1`` to ``y2/n2``: the two-proportion z-test with the pooled proportion."""
    if not (n1 > 0 and n2 > 0):
        return Change(np.nan, np.nan, np.nan)
    p1, p2 = y1 / n1, y2 / n2
    pooled = (y1 + y2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return Change(p2 - p1, np.nan, np.nan)
    zstat = (p2 - p1) / se
    return Change(p2 - p1, float(zstat), float(2 * special.ndtr(-abs(zstat))))


def change_means(m1: float, sd1: float, n1: float, m2: float, sd2: float, n2: float) -> Change:
    """From mean ``m1`` to ``m2`` (with their SDs and n): Welch's t-test."""
    if not (n1 >= 2 and n2 >= 2) or any(np.isnan(x) for x in (m1, m2, sd1, sd2)):
        return Change(np.nan, np.nan, np.nan)
    v1, v2 = sd1**2 / n1, sd2**2 / n2
    if v1 + v2 == 0:
        return Change(m2 - m1, np.nan, np.nan)
    tstat = (m2 - m1) / np.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    return Change(m2 - m1, float(tstat), float(2 * special.stdtr(df, -abs(tstat))))
