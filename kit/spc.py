"""Statistical process control: is a run of points telling something, or is it noise?

The XmR chart as the NHS "Making Data Count" guidance draws it (and the NHSRplotthedots
package computes it): the mean x̄, the moving ranges ``MR_t = |x_t − x_{t−1}|`` and the limits
``x̄ ± 2.66·MR̄``. A point is a *special cause* when

* it lies outside the limits;
* it is one of 7 or more consecutive points on one side of the mean;
* it is one of 7 or more consecutive points that each rise (or each fall);
* it is one of 2 of 3 consecutive points close to a limit (beyond ``x̄ ± (2/3)·2.66·MR̄``) on
  the same side.

Each special cause is an *improvement* or a *concern* by the indicator's direction. Against a
target, the chart gives its *assurance*: a target outside the limits is met every time
(``consistent_pass``) or missed every time (``consistent_fail``); a target between them is met
now and then (``hit_and_miss``). Fewer than :data:`MIN_POINTS` points give no chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_POINTS = 8
RUN = 7
SIGMA = 2.66
CONSISTENT_PASS, CONSISTENT_FAIL, HIT_AND_MISS = (
    "consistent_pass",
    "consistent_fail",
    "hit_and_miss",
)


@dataclass(frozen=True)
class Chart:
    """An XmR chart: ``points`` (``x, value, special, rule, kind``), its mean and limits."""

    points: pd.DataFrame
    mean: float
    lower: float
    upper: float
    mr_bar: float

    def assurance(self, target: float, *, higher_is_better: bool = True) -> str:
        """Whether the process meets ``target``: consistent pass, consistent fail, or hit and
        miss."""
        if higher_is_better:
            if target < self.lower:
                return CONSISTENT_PASS
            if target > self.upper:
                return CONSISTENT_FAIL
        else:
            if target > self.upper:
                return CONSISTENT_PASS
            if target < self.lower:
                return CONSISTENT_FAIL
        return HIT_AND_MISS


def _runs(flags: np.ndarray, length: int) -> np.ndarray:
    """True on every element of a run of at least ``length`` consecutive True values."""
    out = np.zeros(len(flags), dtype=bool)
    start = None
    for i, f in enumerate([*flags, False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            if i - start >= length:
                out[start:i] = True
            start = None
    return out


def xmr(values, x=None, *, higher_is_better: bool = True) -> Chart | None:
    """The XmR chart of ``values`` (in time order; ``x`` labels them), or None with fewer than
    :data:`MIN_POINTS` points."""
    v = np.asarray(values, dtype=float)
    if len(v) < MIN_POINTS or np.isnan(v).any():
        return None
    mean = float(v.mean())
    mr_bar = float(np.abs(np.diff(v)).mean())
    lower, upper = mean - SIGMA * mr_bar, mean + SIGMA * mr_bar
    near_hi, near_lo = mean + 2 / 3 * SIGMA * mr_bar, mean - 2 / 3 * SIGMA * mr_bar
    outside = (v > upper) | (v < lower)
    above, below = _runs(v > mean, RUN), _runs(v < mean, RUN)
    # a trend of 7 points: 6 consecutive steps the same way
    steps = np.diff(v)
    up_steps, down_steps = _runs(steps > 0, RUN - 1), _runs(steps < 0, RUN - 1)
    rising = np.zeros(len(v), bool)
    falling = np.zeros(len(v), bool)
    rising[1:] |= up_steps
    rising[:-1] |= up_steps
    falling[1:] |= down_steps
    falling[:-1] |= down_steps
    two_of_three = np.zeros(len(v), bool)
    for side in (v > near_hi, v < near_lo):
        for i in range(len(v) - 2):
            window = side[i : i + 3]
            if window.sum() >= 2:
                two_of_three[i : i + 3] |= window
    rule = np.select(
        [outside, above | below, rising | falling, two_of_three],
        ["outside", "run", "trend", "two_of_three"],
        "",
    )
    special = rule != ""
    high = np.where(special & (rule != "trend"), v > mean, rising)
    good = high if higher_is_better else ~high
    kind = np.where(~special, "common", np.where(good, "improvement", "concern"))
    points = pd.DataFrame(
        {
            "x": list(x) if x is not None else list(range(len(v))),
            "value": v,
            "special": special,
            "rule": rule,
            "kind": kind,
        }
    )
    return Chart(points=points, mean=mean, lower=lower, upper=upper, mr_bar=mr_bar)
