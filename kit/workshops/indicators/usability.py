"""How usable each indicator really is, measured: one table per partner and for the network.

* **coverage** – the share of the scope's periods with a value that may be shown;
* **timeliness** – the lag in months from the event to the data (the registry);
* **precision** – the median half-width of the 95 % intervals, against the target's tolerance
  (an interval wider than the tolerance cannot say whether the target is met);
* **discrimination** – how much of the spread between the six partners is real: Cochran's Q,
  I² = (Q − (k − 1))/Q, the DerSimonian–Laird τ², and each partner's reliability
  λ = τ²/(τ² + s²), flagged below 0.7 (a figure that cannot rank providers reliably); for the
  network, the weakest partner's λ, and coverage over every partner × period;
* **stability** – the mean year-to-year Spearman ρ of the partners' values, with the caveat that
  with k = 6 partners only ρ ≥ 0.886 differs from 0 at 5 %;
* **gaming risk** – the registry's checklist keys from FABRIC's "perverse incentives" and RACER's
  "robust", asked as questions in the workshop.

Every figure here is computed from the protected values of :mod:`.values`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from kit import partners
from kit.i18n import t
from kit.workshops.indicators.checkins import RACER
from kit.workshops.indicators.indicator_registry import IndicatorRegistry

RELIABLE = 0.7
RHO_CRITICAL_6 = 0.886  # two-sided 5 % critical value of Spearman's ρ for n = 6
COLUMNS = [
    "indicator",
    "scope",
    "coverage",
    "lag_months",
    "half_width",
    "tolerance",
    "precise",
    "i2",
    "tau2",
    "reliability",
    "reliable",
    "stability",
    "gaming",
]


def heterogeneity(values: np.ndarray, se: np.ndarray) -> tuple[float, float, float]:
    """``(Q, I², τ²)`` of estimates ``values`` with standard errors ``se`` (DerSimonian–Laird)."""
    v, s = np.asarray(values, float), np.asarray(se, float)
    keep = np.isfinite(v) & np.isfinite(s) & (s > 0)
    v, s = v[keep], s[keep]
    k = len(v)
    if k < 2:
        return np.nan, np.nan, np.nan
    w = 1 / s**2
    mean = np.sum(w * v) / np.sum(w)
    q = float(np.sum(w * (v - mean) ** 2))
    i2 = max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0
    c = np.sum(w) - np.sum(w**2) / np.sum(w)
    tau2 = max(0.0, (q - (k - 1)) / c) if c > 0 else 0.0
    return q, float(i2), float(tau2)


def stability(values: pd.DataFrame) -> float:
    """The mean Spearman ρ between the partners' values in consecutive periods (NaN with
    fewer than 3 partners in both)."""
    wide = values.pivot_table(index="scope", columns="period", values="value")
    rhos = []
    periods_ = list(wide.columns)
    for a, b in zip(periods_, periods_[1:]):
        pair = wide[[a, b]].dropna()
        if len(pair) >= 3 and pair[a].nunique() > 1 and pair[b].nunique() > 1:
            rhos.append(stats.spearmanr(pair[a], pair[b]).statistic)
    return float(np.mean(rhos)) if rhos else np.nan


def table(
    values: pd.DataFrame, registry: IndicatorRegistry, scope: str = partners.NETWORK
) -> pd.DataFrame:
    """The usability of every indicator for ``scope`` (a partner, or ``network`` for the
    network's own figures): :data:`COLUMNS`."""
    rows = []
    own_partners = partners.ids(include_network=False)
    for _, ind in registry.frame.iterrows():
        v = values[values["indicator"] == ind["id"]]
        mine = v[v["scope"] == scope]
        periods_ = sorted(v["period"].unique())
        if scope == partners.NETWORK:  # the network: the share of partner × period cells
            cells = v[v["scope"].isin(own_partners)]
            coverage = (
                cells["shown"].sum() / (len(own_partners) * len(periods_)) if periods_ else np.nan
            )
        else:
            coverage = (mine["shown"].sum() / len(periods_)) if periods_ else np.nan
        shown = mine[mine["shown"]]
        half = ((shown["high"] - shown["low"]) / 2).dropna()
        half_width = float(half.median()) if len(half) else np.nan
        tol = ind["tolerance"]
        latest = v[v["period"] == periods_[-1]] if periods_ else v
        parts = latest[latest["scope"].isin(own_partners) & latest["shown"]]
        _q, i2, tau2 = heterogeneity(parts["value"], parts["se"])
        if scope == partners.NETWORK:
            # the network is no compared provider: its reliability is the weakest partner's
            lams = [
                tau2 / (tau2 + x**2)
                for x in parts["se"].astype(float)
                if np.isfinite(tau2) and np.isfinite(x) and tau2 + x**2 > 0
            ]
            lam = float(min(lams)) if lams else np.nan
        else:
            se_here = latest.loc[latest["scope"] == scope, "se"]
            s = float(se_here.iloc[0]) if len(se_here) else np.nan
            lam = (
                tau2 / (tau2 + s**2)
                if np.isfinite(tau2) and np.isfinite(s) and (tau2 + s**2) > 0
                else np.nan
            )
        rows.append(
            {
                "indicator": ind["id"],
                "scope": scope,
                "coverage": coverage,
                "lag_months": int(ind["lag_months"]),
                "half_width": half_width,
                "tolerance": tol,
                "precise": bool(half_width <= tol)
                if pd.notna(tol) and np.isfinite(half_width)
                else None,
                "i2": i2,
                "tau2": tau2,
                "reliability": lam,
                "reliable": bool(lam >= RELIABLE) if np.isfinite(lam) else None,
                "stability": stability(v[v["scope"].isin(own_partners) & v["shown"]]),
                "gaming": "" if pd.isna(ind["gaming"]) else str(ind["gaming"]),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


RACER_LEVELS = [f"n_{v}" for v in range(4)]


def racer_tidy(ratings: pd.DataFrame) -> pd.DataFrame:
    """The RACER ratings counted, one row per partner × ``item`` (``<indicator>:<criterion>``)
    with ``n_0`` … ``n_3``, the ratings at each Karvi level. ``ratings`` are the room's shown
    ones, where each participant already has one current rating per indicator, partner and
    round (:mod:`kit.room`); nothing is merged here by the free-text author, which would let
    a summary differ between two shown states by fewer than the threshold of people."""
    if ratings.empty:
        return pd.DataFrame(columns=["scope", "item", *RACER_LEVELS])
    long = ratings.melt(
        id_vars=["scope", "indicator"],
        value_vars=list(RACER),
        var_name="criterion",
        value_name="level",
    ).dropna(subset=["level"])
    long["item"] = long["indicator"] + ":" + long["criterion"]
    long["value"] = "n_" + long["level"].astype(int).astype(str)
    counts = long.groupby(["scope", "item", "value"]).size().unstack("value", fill_value=0)
    counts = counts.reindex(columns=RACER_LEVELS, fill_value=0).reset_index()
    counts.columns.name = None
    return counts.astype({c: "int64" for c in RACER_LEVELS})


def _count_ratings(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    grouped = (
        rows.groupby(by, as_index=False)[RACER_LEVELS].sum()
        if by
        else rows[RACER_LEVELS].sum().to_frame().T
    )
    counts = grouped[RACER_LEVELS].to_numpy(float)
    grouped["respondents"] = counts.sum(axis=1)
    levels = np.arange(4, dtype=float)
    medians = []
    for c in counts:
        values = np.repeat(levels, c.astype(int))
        medians.append(float(np.median(values)) if len(values) else np.nan)
    grouped["median"] = medians
    return grouped


def racer_summary(ratings: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The room's RACER ratings per indicator and criterion: the median Karvi level and the
    number of ratings, through the privacy rule (an item rated by 1–4 groups shows no figure,
    and no partner's own ratings are shown)."""
    from kit import privacy

    tidy = racer_tidy(ratings)
    if tidy.empty:
        return pd.DataFrame(
            columns=[
                "indicator",
                "criterion",
                "median",
                "respondents",
                "respondents_label",
                "suppressed",
            ]
        )
    decided = privacy.decide(
        tidy, ("scope",), privacy.effective(None), RACER_LEVELS, RACER_LEVELS, item="item"
    )
    table = privacy.breakdown(
        tidy,
        ["item"],
        None,
        _count_ratings,
        decision=decided,
        figures=["median", "respondents", *RACER_LEVELS],
        item="item",
        lang=lang,
    )
    table[["indicator", "criterion"]] = table["item"].str.split(":", expand=True)
    table["_c"] = table["criterion"].map({c: i for i, c in enumerate(RACER)})
    table = table.sort_values(["indicator", "_c"], kind="stable")
    return table[
        ["indicator", "criterion", "median", "respondents", "respondents_label", "suppressed"]
    ].reset_index(drop=True)


def export_room(path: str | Path, out: str | Path, lang: str | None = None) -> Path:
    """``kit room export indicators``: the room's shown RACER ratings per indicator and
    criterion (median Karvi level and raters, through the privacy rule) as ``racer.xlsx`` in
    ``out``, with an about sheet; returns the file."""
    from kit import files
    from kit import room as rooms
    from kit.workshops.indicators.checkins import CheckinStore

    store = CheckinStore(path)
    table = racer_summary(store.ratings(), lang)
    table = table.drop(columns=["suppressed"], errors="ignore")
    about = pd.DataFrame({t("room.sheet_about", lang): rooms.about(store, store.label(lang), lang)})
    return files.write_sheets(
        Path(out) / "racer.xlsx", {"RACER": table, t("room.sheet_about", lang): about}
    )
