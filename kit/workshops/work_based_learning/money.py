"""Working-life feedback and money: duration-weighted points, the instructor survey's
correction factor, the partner's share and what a better response or result would be worth.

The rules (``CSCfi/antero``, ``p_lataa_f_amos_tyoelamapalaute`` and the views of the funding
criteria; ``../shared/domain/wbl-anticipation.md`` A2.5):

* one response's **points** are Σ over the funding questions of answer (1–5) × the work
  period's days (kesto); a yrittäjä jakso (``oppisopimuksen-perusta`` 02) copied from the
  instructor survey into the työpaikkakysely counts 9/8 (:func:`points`);
* targets and respondents are counted in days: the **response share** is Σ(answered × kesto) /
  Σ kesto (:func:`kit.workshops.work_based_learning.work_periods.response_share`);
* the instructor survey's points are multiplied by the **correction factor** (the same rule as
  the student surveys'); the työpaikkakysely has none;
* a provider's **share** is its (corrected) points over all providers' points; the 2026 model
  gives the työpaikkakysely 0.25 % and the työpaikkaohjaajakysely 0.75 % of the funding.

:func:`what_if` turns +5 percentage points of response share, or +0.1 on the mean, into euros
of those pools, with everyone else's points held fixed: an **illustration**, not a forecast
(the real share moves with every provider's points, the change limits and the balancing).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kit import feedback, funding, partners, questions
from kit.surveys import SCALE_POINTS

TEP = ("tyopaikkaohjaajakysely", "tyopaikkakysely")
#: a yrittäjä jakso copied from the instructor survey into the työpaikkakysely: 9 funding
#: questions there against 8 in the instructor survey
YRITTAJA_FACTOR = 9 / 8


def points(answers: Sequence[float], kesto: float, *, copied_yrittaja: bool = False) -> float:
    """One response's duration-weighted points: Σ answers (1–5, funding questions only; "En
    osaa sanoa" left out as ``None``) × kesto, × 9/8 for a yrittäjä jakso copied into the
    työpaikkakysely."""
    total = sum(float(a) for a in answers if a is not None and not np.isnan(float(a)))
    return total * float(kesto) * (YRITTAJA_FACTOR if copied_yrittaja else 1.0)


def response_share(kesto: Sequence[float], answered: Sequence[bool]) -> float:
    """The duration-weighted response share of a set of jaksot: Σ(answered × kesto) / Σ kesto."""
    k = np.asarray(kesto, dtype=float)
    a = np.asarray(answered, dtype=bool)
    return float((k * a).sum() / k.sum()) if k.sum() > 0 else float("nan")


def survey_points(tidy: pd.DataFrame, partner: str) -> pd.DataFrame:
    """Protected duration-weighted points of ``partner`` per funding period and working-life
    survey (funding questions only): ``period, survey, respondents, respondents_label,
    suppressed, days, points, mean``. Missing where the privacy rule hides the group or the
    answers carry no durations."""
    parts = []
    for survey in TEP:
        ids = questions.funding_questions(survey)
        table = feedback.summary(
            tidy,
            ["period"],
            {"y_tunnus": partners.y_tunnukset(partner), "survey": survey, "question_id": ids},
        )
        if "day_points" not in table:
            table["day_points"] = np.nan
            table["days"] = np.nan
        table = table.rename(columns={"day_points": "points"})
        parts.append(table.assign(survey=survey))
    out = pd.concat(parts, ignore_index=True)
    return out[
        [
            "period",
            "survey",
            "respondents",
            "respondents_label",
            "suppressed",
            "days",
            "points",
            "mean",
        ]
    ]


def national_points(national, days_per_respondent: float) -> pd.DataFrame:
    """All providers' duration-weighted points per period and working-life survey, estimated
    from a national data set without durations (the synthetic national data): each provider's
    Σ answer × count over the funding questions × ``days_per_respondent`` (× its correction
    factor for the instructor survey). Only the denominator of a share, never shown alone:
    ``period, survey, points``."""
    tidy = national.feedback
    rows = []
    rates = national.response.copy()
    rates = rates[rates["survey"].isin(TEP) & (rates["targeted"] > 0)]
    rates["rate"] = rates["answered"].astype(float) / rates["targeted"].astype(float)
    rates["factor"] = funding.correction_factor(rates["rate"], rates["period"])
    for survey in TEP:
        ids = questions.funding_questions(survey)
        part = tidy[(tidy["survey"] == survey) & tidy["question_id"].isin(ids)]
        sums = part.groupby(["y_tunnus", "period"])[[f"n_{v}" for v in SCALE_POINTS]].sum()
        pts = (sums * np.array(SCALE_POINTS)).sum(axis=1).rename("points").reset_index()
        pts["points"] = pts["points"] * days_per_respondent
        if survey == "tyopaikkaohjaajakysely":
            f = rates[rates["survey"] == survey][["y_tunnus", "period", "factor"]]
            pts = pts.merge(f, on=["y_tunnus", "period"], how="left")
            pts["points"] = pts["points"] * pts["factor"].fillna(1.0)
        rows.append(pts.groupby("period", as_index=False)["points"].sum().assign(survey=survey))
    return pd.concat(rows, ignore_index=True)


def what_if(
    share_now: float,
    corrected_points: float,
    mean_now: float,
    period: str,
    survey: str,
    total: float,
    *,
    step_share: float = 0.05,
    step_mean: float = 0.1,
    funding_total: float = funding.FUNDING_2026,
) -> pd.DataFrame:
    """Euros of two illustrations for one working-life survey, everyone else held fixed.

    ``share_now`` is the response share (duration-weighted for the instructor survey),
    ``corrected_points`` the points after the correction factor (the points themselves for
    the työpaikkakysely), ``mean_now`` the mean answer to the funding questions and ``total``
    all providers' points. More answers add points in proportion (the answered days grow by
    ``step_share / share_now``) and, for the instructor survey, change the correction factor;
    a higher mean scales the points by ``(mean + step) / mean``. Returns ``change, points,
    euros, pool`` per row ``share`` and ``mean``."""
    component = survey
    pool = funding.WEIGHTS_2026[component] * funding_total

    def factor(share: float) -> float:
        if survey != "tyopaikkaohjaajakysely":
            return 1.0
        return float(funding.correction_factor(share, period))

    raw = corrected_points / factor(share_now) if share_now > 0 else float("nan")
    new_share = min(1.0, share_now + step_share)
    by_share = factor(new_share) * raw * new_share / share_now - corrected_points
    by_mean = corrected_points * (mean_now + step_mean) / mean_now - corrected_points
    rows = []
    for change, delta in (("share", by_share), ("mean", by_mean)):
        rows.append(
            {
                "change": change,
                "points": delta,
                "euros": funding.euros(delta, total, component, funding=funding_total),
                "pool": pool,
            }
        )
    return pd.DataFrame(rows)
