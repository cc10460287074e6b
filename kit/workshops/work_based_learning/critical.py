"""Critical points of work-based learning, measured: every phase's questions for a partner,
against the network and the national reference, through the privacy rule.

Per phase and question (:func:`questions`): the mean and its 95 % interval, the share of
answers 1–2, the respondents, the trend from the period before (and whether it is real:
Welch's test), the gap to the network and to the national reference, and a **priority**. The
priority weighs how far a question sits below the top of the scale by its volume and by its
questionnaire's weight in the 2026 funding model: the points short of 5 (duration-weighted
for the working-life surveys, where each answer counts with its work period's days, as the
funding model counts them; per respondent for the päättökysely), as a share of the
questionnaire's points, times the questionnaire's weight (työpaikkaohjaajakysely 0.75 %,
työpaikkakysely 0.25 %, päättökysely 0.75 %), scaled so that a partner's priorities add up to
100.

A phase's **score** is the mean of its questions' means that have enough evidence (at least
:data:`EVIDENCE` respondents); the **critical points** are the lowest-scoring phases
(:func:`phases`). Every figure comes from :func:`kit.feedback.summary`: a question whose
group the privacy rule hides has no figures, and workplaces are never a breakdown.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kit import feedback, partners, questions, uncertainty
from kit.funding import WEIGHTS_2026
from kit.surveys import SURVEYS
from kit.workshops.work_based_learning.phases import Process

#: the fewest respondents a question needs to count as evidence for its phase
EVIDENCE = 30
#: how many of the lowest phases are the critical points
TOP = 3


def surveys_of(kysely: str) -> list[str]:
    """The survey codes (target groups) that answer ``kysely``."""
    return [c for c, s in SURVEYS.items() if s.kysely == kysely]


def _stats(tidy: pd.DataFrame, who: Sequence[str] | None, ids: Sequence[str]) -> pd.DataFrame:
    """Protected figures per period and question of ``ids`` for the providers ``who`` (None:
    every provider of ``tidy``, the data set's breakdown without a provider)."""
    bank = questions.question_bank().set_index("id")["kysely"]
    parts = []
    for kysely in sorted({bank[q] for q in ids}):
        mine = [q for q in ids if bank[q] == kysely]
        select = {"survey": surveys_of(kysely), "question_id": mine}
        if who is not None:
            select["y_tunnus"] = list(who)
        table = feedback.summary(tidy, ["period", "question_id"], select)
        parts.append(table.assign(kysely=kysely))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if len(out):
        out["low_share"] = out["p_1"] + out["p_2"]
    return out


def _latest(table: pd.DataFrame) -> pd.DataFrame:
    """Per question, its last period whose figures may be shown (else its last period) and
    the one before, side by side."""
    rows = []
    for _q, group in table.sort_values("period").groupby("question_id", sort=False):
        shown = group[~group["suppressed"].astype(bool)]
        if len(shown):
            group = group[group["period"] <= shown["period"].iloc[-1]]
        last = group.iloc[-1]
        before = group.iloc[-2] if len(group) > 1 else None
        change = (
            uncertainty.change_means(
                before["mean"],
                before["sd"],
                before["respondents"],
                last["mean"],
                last["sd"],
                last["respondents"],
            )
            if before is not None and not (before["suppressed"] or last["suppressed"])
            else uncertainty.Change(np.nan, np.nan, np.nan)
        )
        rows.append(
            {
                **last.to_dict(),
                "trend": change.delta,
                "trend_real": change.significant if np.isfinite(change.delta) else pd.NA,
                "previous_period": before["period"] if before is not None else "",
            }
        )
    return pd.DataFrame(rows)


def questions_table(
    tidy: pd.DataFrame,
    process: Process,
    partner: str,
    national: pd.DataFrame | None = None,
    period: str | None = None,
    *,
    kept: dict | None = None,
) -> pd.DataFrame:
    """One row per phase and question for ``partner`` (``network``: the six together).

    Columns: ``phase, question_id, kysely, period, respondents, respondents_label,
    suppressed, mean, ci_low, ci_high, low_share, trend, trend_real, gap_network,
    gap_national, volume, priority``. ``national`` is the national reference in the tidy
    form (the ``national`` data set's feedback, cut by its own decision); ``period`` picks the
    last period
    (default: each question's latest). ``kept`` keeps the network's and the country's
    figures, which are the same for every partner, between calls.
    """
    pq = process.questions()
    ids = list(dict.fromkeys(pq["question_id"]))

    def cut(table: pd.DataFrame) -> pd.DataFrame:
        if period is not None:
            table = table[table["period"] <= period]
        return _latest(table) if len(table) else table

    kept = {} if kept is None else kept

    def reference(name: str, table: pd.DataFrame, who: Sequence[str] | None) -> pd.DataFrame:
        if (name, period) not in kept:
            kept[name, period] = cut(_stats(table, who, ids))
        return kept[name, period]

    network = reference("network", tidy, partners.y_tunnukset(partners.NETWORK))
    mine = (
        network
        if partners.check(partner) == partners.NETWORK
        else cut(_stats(tidy, partners.y_tunnukset(partner), ids))
    )
    out = pq.merge(mine, on="question_id", how="left")
    out = out.merge(
        network[["question_id", "mean"]].rename(columns={"mean": "network_mean"}),
        on="question_id",
        how="left",
    )
    if national is not None and len(national):
        ref = reference("national", national, None)
        out = out.merge(
            ref[["question_id", "mean"]].rename(columns={"mean": "national_mean"}),
            on="question_id",
            how="left",
        )
    else:
        out["national_mean"] = np.nan
    out["gap_network"] = out["mean"] - out["network_mean"]
    out["gap_national"] = out["mean"] - out["national_mean"]
    tep = out["kysely"].isin(["tyopaikkaohjaajakysely", "tyopaikkakysely"])
    days = out["days"] if "days" in out else pd.Series(np.nan, index=out.index)
    out["volume"] = np.where(tep & days.notna(), days, out["respondents"].astype("Float64"))
    out["priority"] = priority(out)
    keep = [
        "phase",
        "question_id",
        "kysely",
        "period",
        "respondents",
        "respondents_label",
        "suppressed",
        "mean",
        "ci_low",
        "ci_high",
        "low_share",
        "trend",
        "trend_real",
        "previous_period",
        "gap_network",
        "gap_national",
        "volume",
        "priority",
    ]
    return out[keep]


def priority(table: pd.DataFrame) -> pd.Series:
    """Each row's priority (see the module): points short of 5 × volume, as a share of its
    questionnaire's points, × the questionnaire's funding weight; the rows' priorities add up
    to 100 (missing where the figures are hidden)."""
    short = (5 - table["mean"].astype(float)) * table["volume"].astype(float)
    total = (5 * table["volume"].astype(float)).groupby(table["kysely"]).transform("sum")
    weight = table["kysely"].map(lambda k: WEIGHTS_2026.get(k, 0.0)).astype(float)
    raw = short / total * weight
    return 100 * raw / raw.sum() if raw.sum() > 0 else raw


def phases(
    table: pd.DataFrame, process: Process, top: int = TOP, evidence: int = EVIDENCE
) -> pd.DataFrame:
    """One row per phase, in process order: ``phase, score`` (the mean of its questions'
    means with at least ``evidence`` respondents), ``questions`` (how many count),
    ``weakest`` (its lowest such question), ``weakest_mean``, ``low_share``,
    ``gap_national``, ``priority`` (its questions' sum), ``rank`` (1 = lowest score) and
    ``critical`` (among the ``top`` lowest)."""
    enough = table[
        ~table["suppressed"].fillna(True).astype(bool)
        & (table["respondents"].astype("Float64") >= evidence).fillna(False)
    ]
    rows = []
    for phase in process.ids():
        mine = enough[enough["phase"] == phase]
        weakest = mine.sort_values("mean").iloc[0] if len(mine) else None
        rows.append(
            {
                "phase": phase,
                "score": float(mine["mean"].mean()) if len(mine) else np.nan,
                "questions": len(mine),
                "weakest": weakest["question_id"] if weakest is not None else "",
                "weakest_mean": weakest["mean"] if weakest is not None else np.nan,
                "low_share": weakest["low_share"] if weakest is not None else np.nan,
                "gap_national": weakest["gap_national"] if weakest is not None else np.nan,
                "priority": float(table.loc[table["phase"] == phase, "priority"].sum(min_count=1))
                if (table["phase"] == phase).any()
                else np.nan,
            }
        )
    out = pd.DataFrame(rows)
    out["rank"] = out["score"].rank(method="first").astype("Int64")
    out["critical"] = (out["rank"] <= top).fillna(False).astype(bool)
    return out
