"""Indicator values with their uncertainty, per partner (and the network) and period.

Each value has its n, a 95 % interval (Wilson for proportions, Student's t for means), its
status against the target (on target, off target, or *within noise* when the gap is smaller
than 1.96 standard errors: :func:`kit.uncertainty.status`) and its change from the previous
period with a test. Where an indicator has at least 8 monthly points, :func:`spc` gives its XmR
chart with the NHS rules and the assurance against the target.

**Privacy, through the one path.** Results come from :func:`kit.feedback.summary` (feedback)
and :func:`kit.workshops.self_assessment.assessment.summary` (self-assessment), and the rates
of the scorecard inputs (completion, drop-out, employment) from a decision of
:func:`kit.privacy.decide` over their counts; a group of 1–4 people shows no value. Response
rates and correction factors are participation figures, shown as published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit import datasets, feedback, funding, partners, privacy, questions, spc, uncertainty
from kit.surveys import SURVEYS
from kit.workshops.indicators.indicator_registry import IndicatorRegistry

COLUMNS = [
    "indicator",
    "scope",
    "period",
    "value",
    "y",
    "n",
    "sd",
    "low",
    "high",
    "se",
    "shown",
    "label",
    "target",
    "status",
    "delta",
    "p_value",
    "significant",
]
NO_TARGET = "no_target"  # an indicator followed without a target (a correction factor)
INPUT_ITEMS = {
    "completion": ("graduates", "dropouts"),
    "dropout": ("dropouts", "students"),
    "employment": ("employed_or_studying", "graduates"),
}


def scopes() -> list[str]:
    """The six partners and the network, in the registry's order."""
    return partners.ids()


def _scope_of(y_tunnus: str) -> str | None:
    return partners.id_of(y_tunnus)


def compute(
    data: datasets.Dataset,
    registry: IndicatorRegistry,
    *,
    responses: pd.DataFrame | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Every indicator's value per scope (the partners and ``network``) and period, with
    :data:`COLUMNS`. ``responses`` are the self-assessment ratings (default: the workshop
    store's)."""
    parts = []
    for _, ind in registry.frame.iterrows():
        kind, _, arg = str(ind["compute"]).partition(":")
        rows = _KINDS[kind](data, arg.split(), responses=responses, lang=lang)
        if rows.empty:
            continue
        rows = rows.assign(indicator=ind["id"])
        parts.append(_finish(rows, ind))
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    return out[COLUMNS]


def judge(rows: pd.DataFrame, ind: pd.Series) -> pd.Series:
    """Each row's status against its ``target``: on target, off target or within noise (a
    median level, which has no standard error, by the level itself); ``no_target`` where
    there is none."""
    higher = ind["direction"] == "higher"
    target = rows["target"].astype(float)
    status = pd.Series(
        uncertainty.status(
            rows["value"].astype(float), rows["se"].astype(float), target, higher_is_better=higher
        ),
        index=rows.index,
    )
    if ind["unit"] == "level":
        value = rows["value"].astype(float)
        better = value >= target if higher else value <= target
        status = pd.Series(
            np.where(
                value.isna(),
                uncertainty.NO_VALUE,
                np.where(better, uncertainty.ON_TARGET, uncertainty.OFF_TARGET),
            ),
            index=rows.index,
        )
    return status.where(target.notna(), NO_TARGET)


def apply_targets(
    found: pd.DataFrame, registry: IndicatorRegistry, targets: dict[tuple[str, str], float]
) -> pd.DataFrame:
    """``found`` with each scope's target (set on the scorecard, else the registry's default)
    and its status judged against it."""
    out = found.copy()
    defaults = registry.frame.set_index("id")["target"]
    out["target"] = [
        targets.get((i, s), defaults.get(i, np.nan)) for i, s in zip(out["indicator"], out["scope"])
    ]
    for ind_id, rows in out.groupby("indicator", sort=False):
        out.loc[rows.index, "status"] = judge(rows, registry.row(ind_id))
    return out


def _finish(rows: pd.DataFrame, ind: pd.Series) -> pd.DataFrame:
    rows = rows.sort_values(["scope", "period"]).reset_index(drop=True)
    rows["target"] = ind["target"]
    rows["status"] = judge(rows, ind)
    deltas, pvals = [], []
    records = rows.to_dict("records")
    for i, r in enumerate(records):
        # the scope's last earlier period: the rows come by scope, then period
        j = i - 1
        while (
            j >= 0 and records[j]["scope"] == r["scope"] and not records[j]["period"] < r["period"]
        ):
            j -= 1
        if j < 0 or records[j]["scope"] != r["scope"] or not r["shown"] or not records[j]["shown"]:
            deltas.append(np.nan)
            pvals.append(np.nan)
            continue
        p = records[j]
        if ind["unit"] == "share":
            c = uncertainty.change_proportions(p["y"], p["n"], r["y"], r["n"])
        elif ind["unit"] == "mean":
            c = uncertainty.change_means(p["value"], p["sd"], p["n"], r["value"], r["sd"], r["n"])
        else:
            c = uncertainty.Change(float(r["value"] - p["value"]), np.nan, np.nan)
        deltas.append(c.delta)
        pvals.append(c.p_value)
    rows["delta"] = deltas
    rows["p_value"] = pvals
    rows["significant"] = rows["p_value"] < 0.05
    return rows


# --- one function per kind of computation ------------------------------------------------------


def _proportion_rows(frame: pd.DataFrame, y: str, n: str) -> pd.DataFrame:
    out = frame.copy()
    yy, nn = out[y].astype(float), out[n].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["value"] = yy / nn
    out["low"], out["high"] = uncertainty.wilson(yy, nn)
    out["se"] = uncertainty.se_proportion(out["value"], nn)
    out["y"], out["n"], out["sd"] = yy, nn, np.nan
    return out


def _network_sum(frame: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    net = frame.groupby("period", as_index=False)[list(cols)].sum(min_count=1)
    return net.assign(scope=partners.NETWORK)


def _rates(data: datasets.Dataset, surveys: list[str], **_) -> pd.DataFrame:
    """Participation, as published (every count shown)."""
    network = partners.y_tunnukset(partners.NETWORK)
    r = data.response
    r = r[r["survey"].isin(surveys) & r["y_tunnus"].isin(network)]
    r = r.dropna(subset=["targeted"])
    if r.empty:
        return pd.DataFrame()
    own = r.groupby(["y_tunnus", "period"], as_index=False)[["targeted", "answered"]].sum()
    own["scope"] = own["y_tunnus"].map(_scope_of)
    both = pd.concat(
        [own.drop(columns="y_tunnus"), _network_sum(own, ["targeted", "answered"])],
        ignore_index=True,
    )
    out = _proportion_rows(both, "answered", "targeted")
    return out.assign(shown=True, label=out["n"].map(lambda v: str(int(v))))


def _factors(data: datasets.Dataset, surveys: list[str], **kw) -> pd.DataFrame:
    rows = _rates(data, surveys, **kw)
    if rows.empty:
        return rows
    value = [
        float(funding.correction_factor(r, p)) if r > 0 else np.nan
        for r, p in zip(rows["value"], rows["period"])
    ]
    low = [
        float(funding.correction_factor(max(a, 1e-9), p))
        for a, p in zip(rows["low"], rows["period"])
    ]
    high = [
        float(funding.correction_factor(max(b, 1e-9), p))
        for b, p in zip(rows["high"], rows["period"])
    ]
    rows["value"] = value
    rows["low"], rows["high"] = np.minimum(low, high), np.maximum(low, high)
    rows["se"] = np.nan
    return rows


def _summary_rows(table: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"period": table["period"], "scope": table["scope"]})
    out["value"] = table["mean"].astype(float)
    out["n"] = table["respondents"].astype(float)
    out["sd"] = table["sd"].astype(float)
    out["low"] = table["ci_low"].astype(float)
    out["high"] = table["ci_high"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["se"] = out["sd"] / np.sqrt(out["n"])
    out["y"] = np.nan
    out["shown"] = ~table["suppressed"].to_numpy(bool)
    out["label"] = table["respondents_label"]
    return out


def _feedback_table(
    data: datasets.Dataset, surveys: list[str], qids: list[str], lang: str | None
) -> pd.DataFrame:
    network = partners.y_tunnukset(partners.NETWORK)
    select = {"survey": surveys, "question_id": qids, "y_tunnus": network}
    if data.feedback.empty or not set(surveys) & set(data.feedback["survey"]):
        return pd.DataFrame()
    own = feedback.summary(data.feedback, ["y_tunnus", "period"], select, lang=lang)
    own["scope"] = own["y_tunnus"].map(_scope_of)
    net = feedback.summary(data.feedback, ["period"], select, lang=lang).assign(
        scope=partners.NETWORK
    )
    return pd.concat([own, net], ignore_index=True)


def _means(data: datasets.Dataset, surveys: list[str], *, lang=None, **_) -> pd.DataFrame:
    kysely = SURVEYS[surveys[0]].kysely
    table = _feedback_table(data, surveys, questions.funding_questions(kysely), lang)
    return _summary_rows(table) if len(table) else table


def weakest_theme(data: datasets.Dataset, survey: str, lang: str | None = None) -> str | None:
    """The theme of ``survey``'s questionnaire with the lowest network mean over all periods
    (protected: a theme whose network figure is hidden is not chosen)."""
    bank = questions.question_bank()
    kysely = SURVEYS[survey].kysely
    network = partners.y_tunnukset(partners.NETWORK)
    best, theme_of = None, None
    for theme in sorted(set(bank.loc[bank["kysely"] == kysely, "theme"])):
        qids = bank.loc[(bank["kysely"] == kysely) & (bank["theme"] == theme), "id"].tolist()
        row = feedback.summary(
            data.feedback,
            [],
            {"survey": survey, "question_id": qids, "y_tunnus": network},
            lang=lang,
        )
        if len(row) and not bool(row["suppressed"].iloc[0]):
            mean = float(row["mean"].iloc[0])
            if best is None or mean < best:
                best, theme_of = mean, theme
    return theme_of


def _low_share(data: datasets.Dataset, surveys: list[str], *, lang=None, **_) -> pd.DataFrame:
    if data.feedback.empty or surveys[0] not in set(data.feedback["survey"]):
        return pd.DataFrame()
    theme = weakest_theme(data, surveys[0], lang)
    if theme is None:
        return pd.DataFrame()
    bank = questions.question_bank()
    qids = bank.loc[
        (bank["kysely"] == SURVEYS[surveys[0]].kysely) & (bank["theme"] == theme), "id"
    ].tolist()
    table = _feedback_table(data, surveys, qids, lang)
    out = _summary_rows(table)
    share = (table["p_1"].astype(float) + table["p_2"].astype(float)).to_numpy()
    out["value"] = share
    # people answer every statement of the theme: the interval counts respondents, not answers
    out["y"] = share * out["n"]
    out["low"], out["high"] = uncertainty.wilson(out["y"], out["n"])
    out["se"] = uncertainty.se_proportion(out["value"], out["n"])
    out["sd"] = np.nan
    out.loc[~out["shown"], ["value", "y", "low", "high", "se"]] = np.nan
    return out


def input_counts(data: datasets.Dataset) -> pd.DataFrame:
    """The scorecard inputs as counts for the privacy rule: per provider, year and item
    (``completion``, ``dropout``, ``employment``) the people counted in (``n_yes``) and the
    rest (``n_no``) of the item's denominator."""
    ind = data.key_figures
    if ind is None or ind.empty or "students" not in ind:
        return pd.DataFrame(columns=["y_tunnus", "period", "item", "n_yes", "n_no"])
    rows = []
    for item, (num, den) in INPUT_ITEMS.items():
        total = ind[den] + (ind[num] if item == "completion" else 0)
        rows.append(
            pd.DataFrame(
                {
                    "y_tunnus": ind["y_tunnus"],
                    "period": ind["year"].astype(str),
                    "item": item,
                    "n_yes": ind[num].astype("int64"),
                    "n_no": (total - ind[num]).astype("int64"),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def _count_inputs(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    grouped = rows.groupby(by, as_index=False)[["n_yes", "n_no"]].sum()
    grouped["respondents"] = grouped["n_yes"] + grouped["n_no"]
    grouped["value"] = grouped["n_yes"] / grouped["respondents"].where(grouped["respondents"] > 0)
    grouped["y"] = grouped["n_yes"].astype(float)
    grouped["n"] = grouped["respondents"].astype(float)
    return grouped


def _inputs(data: datasets.Dataset, args: list[str], *, kind: str, lang=None, **_) -> pd.DataFrame:
    counts = input_counts(data)
    if counts.empty:
        return pd.DataFrame()
    decided = privacy.decide(
        counts, ("y_tunnus", "period"), privacy.effective(None), ["n_yes", "n_no"], item="item"
    )
    network = partners.y_tunnukset(partners.NETWORK)
    figures = ["value", "y", "n", "n_yes", "n_no"]
    own, net = (
        privacy.breakdown(
            counts,
            by,
            {"item": kind, "y_tunnus": network},
            _count_inputs,
            decision=decided,
            figures=figures,
            item="item",
            lang=lang,
        )
        for by in (["y_tunnus", "period", "item"], ["period", "item"])
    )
    own["scope"] = own["y_tunnus"].map(_scope_of)
    net = net.assign(scope=partners.NETWORK)
    both = pd.concat([own, net], ignore_index=True)
    out = _proportion_rows(both, "y", "n")
    out["shown"] = ~both["suppressed"].to_numpy(bool)
    out["label"] = both["respondents_label"]
    return out[["scope", "period", "value", "y", "n", "sd", "low", "high", "se", "shown", "label"]]


def _self_assessment(
    data: datasets.Dataset, args: list[str], *, responses=None, lang=None, **_
) -> pd.DataFrame:
    from kit.workshops.self_assessment import assessment, store, synthetic

    if responses is None:  # the demo's synthetic store beside synthetic data, else the room's
        responses = (
            synthetic.demo_store() if data.synthetic else store.ResponseStore()
        ).responses()
    if responses.empty:
        return pd.DataFrame()
    criterion = args[0]
    own = assessment.summary(
        responses,
        ["partner", "role", "criterion"],
        {"role": "self", "criterion": criterion},
        lang=lang,
    )
    own = own[own["partner"].isin(partners.ids(include_network=False))]
    net = assessment.summary(
        responses, ["role", "criterion"], {"role": "self", "criterion": criterion}, lang=lang
    )
    period = data.periods()[-1] if data.periods() else "-"
    rows = pd.concat(
        [own.assign(scope=own["partner"]), net.assign(scope=partners.NETWORK)], ignore_index=True
    )
    out = pd.DataFrame({"scope": rows["scope"], "period": period})
    out["value"] = rows["median"].astype(float)
    out["n"] = rows["n"].astype(float)
    out["sd"] = np.nan
    out["y"] = np.nan
    out["low"] = np.nan
    out["high"] = np.nan
    out["se"] = np.nan
    out["shown"] = ~rows["suppressed"].to_numpy(bool)
    out["label"] = rows["respondents_label"]
    return out


_KINDS = {
    "response_rate": lambda d, a, **k: _rates(d, a, **k),
    "correction_factor": lambda d, a, **k: _factors(d, a, **k),
    "mean": lambda d, a, **k: _means(d, a, **k),
    "low_share": lambda d, a, **k: _low_share(d, a, **k),
    "completion": lambda d, a, **k: _inputs(d, a, kind="completion", **k),
    "dropout": lambda d, a, **k: _inputs(d, a, kind="dropout", **k),
    "employment": lambda d, a, **k: _inputs(d, a, kind="employment", **k),
    "self_assessment": lambda d, a, **k: _self_assessment(d, a, **k),
}


# --- monthly points and SPC ---------------------------------------------------------------------


def monthly(data: datasets.Dataset) -> pd.DataFrame:
    """The tidy form by calendar month instead of funding period (``period`` = ``2024-09``),
    from the answer files of the data set; empty where it has none."""
    return datasets.monthly(data)


@dataclass(frozen=True)
class Signals:
    """An indicator's monthly XmR chart for one scope, or why there is none."""

    chart: spc.Chart | None
    points: int
    assurance: str | None


def spc_for(
    data: datasets.Dataset,
    registry: IndicatorRegistry,
    indicator: str,
    scope: str,
    lang: str | None = None,
) -> Signals:
    """The XmR chart of a mean indicator's monthly values for ``scope`` (protected: hidden
    months are gaps, and a chart needs at least 8 shown months)."""
    ind = registry.row(indicator)
    kind, _, arg = str(ind["compute"]).partition(":")
    months = monthly(data)
    if kind != "mean" or months.empty:
        return Signals(None, 0, None)
    surveys = arg.split()
    qids = questions.funding_questions(SURVEYS[surveys[0]].kysely)
    wanted = partners.y_tunnukset(scope)
    table = feedback.summary(
        months, ["period"], {"survey": surveys, "question_id": qids, "y_tunnus": wanted}, lang=lang
    )
    shown = table[~table["suppressed"].to_numpy(bool)].sort_values("period")
    chart = spc.xmr(
        shown["mean"].astype(float).to_numpy(),
        shown["period"].tolist(),
        higher_is_better=ind["direction"] == "higher",
    )
    target = ind["target"]
    assurance = (
        None
        if chart is None or pd.isna(target)
        else chart.assurance(float(target), higher_is_better=ind["direction"] == "higher")
    )
    return Signals(chart, len(shown), assurance)


# --- euros ------------------------------------------------------------------------------------


def rate_euros(
    data: datasets.Dataset,
    scope: str,
    survey: str,
    period: str,
    *,
    step: float = 0.05,
    funding_total: float = funding.FUNDING_2026,
    national: datasets.Dataset | None = None,
) -> dict | None:
    """What ``step`` more response rate on ``survey`` in ``period`` would have brought
    ``scope`` in the 2026 model (an illustration): ``{"points", "euros", "share"}``, or None
    where the points are hidden. All providers' weighted points come from ``national``
    (default: :func:`kit.funding.national_totals`, the synthetic national data beside
    synthetic data)."""
    wanted = partners.y_tunnukset(scope)
    rates = funding.rates(data.response)
    rates = rates[
        rates["y_tunnus"].isin(wanted) & (rates["survey"] == survey) & (rates["period"] == period)
    ]
    pts = funding.points(data.feedback, ("y_tunnus", "period", "survey"))
    pts = pts[pts["y_tunnus"].isin(wanted) & (pts["survey"] == survey) & (pts["period"] == period)]
    both = rates.merge(pts, on=["y_tunnus", "period", "survey"])
    if both.empty or both["points_per_respondent"].isna().any():
        return None
    if national is not None:
        totals = funding.total_points(national.response, national.feedback)
    else:
        totals = funding.national_totals(data)
    if totals is None:
        return None
    kysely = SURVEYS[survey].kysely
    total = totals[(totals["period"] == period) & (totals["kysely"] == kysely)][
        "weighted_points"
    ].sum()
    change = 0.0
    for _, r in both.iterrows():
        change += funding.rate_euros(
            float(r["response_rate"]),
            int(r["targeted"]),
            float(r["points_per_respondent"]),
            survey,
            period,
            total,
            step=step,
            funding=funding_total,
        )[0]
    return {
        "points": change,
        "euros": funding.euros(change, total, kysely, funding=funding_total),
        "weight": funding.WEIGHTS_2026[kysely],
        "funding": funding_total,
    }
