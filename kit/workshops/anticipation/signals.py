"""Demand signals from StatFin ``tyonv/12ti``: how tight each occupation's labour market is in
each region, where it is heading, and how sure that is.

From the tidy cube (kind ``labour_market``: region, occupation, month, contents, count) come:

* **tightness**: open vacancies per unemployed jobseeker at the month's end. Where fewer than
  :data:`MIN_UNEMPLOYED` are unemployed the ratio swings on a handful of people and is left out
  (``low_base``); this is a precision rule, not a privacy one: the counts are published.
* **seasonal adjustment**: vacancies and unemployment move with the year (spring hiring,
  summer). Each calendar month's factor is its mean ratio to the centred 12-month moving
  average (classical multiplicative decomposition); the adjusted series divides it out. It
  needs :data:`SEASON_MONTHS` months and factors between 1/4 and 4; other series (short ones,
  and those of a few vacancies, mostly zeros) stay unadjusted and say so (``seasonal``).
* **adjusted change**: the adjusted tightness of the last three months against the same three
  months a year earlier.
* **trend**: the least-squares slope of the adjusted series over the last
  :data:`TREND_MONTHS` months, per year, with a 95 % interval. Months are correlated, so the
  interval is narrower than it should be; the direction is called only where the interval
  excludes zero (``growing``, ``shrinking``), otherwise ``uncertain``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from kit.statfiles import UNEMPLOYED, VACANCIES

MIN_UNEMPLOYED = 5
SEASON_MONTHS = 24
TREND_MONTHS = 24
GROWING, SHRINKING, UNCERTAIN = "growing", "shrinking", "uncertain"


def monthly(cube: pd.DataFrame) -> pd.DataFrame:
    """One row per region × occupation × month: ``region, region_name, occupation,
    occupation_name, month`` (a timestamp), ``unemployed, vacancies, tightness, low_base``."""
    # one value per cell (the kind's key): a missing count ("..") stays missing
    wide = cube.set_index(["alue", "ammatti", "kuukausi", "tiedot"])["arvo"].unstack("tiedot")
    wide = wide.reindex(columns=[UNEMPLOYED, VACANCIES]).reset_index()
    wide.columns.name = None
    names = cube.drop_duplicates(["alue", "ammatti"])[
        ["alue", "ammatti", "alue_nimi", "ammatti_nimi"]
    ]
    out = wide.merge(names, on=["alue", "ammatti"], how="left").rename(
        columns={
            "alue": "region",
            "alue_nimi": "region_name",
            "ammatti": "occupation",
            "ammatti_nimi": "occupation_name",
            UNEMPLOYED: "unemployed",
            VACANCIES: "vacancies",
        }
    )
    out["month"] = pd.to_datetime(out.pop("kuukausi").str.replace("M", "-") + "-01")
    unemployed = out["unemployed"].astype("float64")
    out["low_base"] = ~(unemployed >= MIN_UNEMPLOYED)
    out["tightness"] = (out["vacancies"].astype("float64") / unemployed).where(~out["low_base"])
    out = out.sort_values(["region", "occupation", "month"]).reset_index(drop=True)
    return out[
        [
            "region",
            "region_name",
            "occupation",
            "occupation_name",
            "month",
            "unemployed",
            "vacancies",
            "tightness",
            "low_base",
        ]
    ]


def adjust(months: pd.DataFrame) -> pd.DataFrame:
    """``months`` (from :func:`monthly`) with ``factor`` (the calendar month's seasonal factor)
    and ``adjusted`` (tightness ÷ factor); ``seasonal`` says whether the series was long enough
    to be adjusted."""
    out = months.sort_values(["region", "occupation", "month"]).reset_index(drop=True)
    factor = pd.Series(1.0, index=out.index)
    seasonal = pd.Series(False, index=out.index)
    for _key, g in out.groupby(["region", "occupation"], sort=False):
        values = g["tightness"]
        if values.count() < SEASON_MONTHS:
            continue
        # the centred 2×12 moving average: the level with the season averaged out
        level = values.rolling(12, center=True, min_periods=12).mean().rolling(2).mean().shift(-1)
        calendar = g["month"].dt.month
        ratios = (values / level).groupby(calendar).mean()
        if ratios.count() < 12:
            continue
        ratios = ratios / ratios.mean()
        if not ratios.between(0.25, 4).all():
            continue  # a series of mostly zeros has no season to speak of
        factor.loc[g.index] = calendar.map(ratios).to_numpy()
        seasonal.loc[g.index] = True
    out["factor"] = factor
    out["seasonal"] = seasonal
    out["adjusted"] = out["tightness"] / out["factor"]
    return out


def _years(stamps) -> np.ndarray:
    """Months as years from the first (a missing month keeps its place)."""
    stamps = pd.DatetimeIndex(stamps)
    count = stamps.year * 12 + stamps.month
    return np.asarray(count - count.min(), dtype="float64") / 12.0


def _fits(values: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per row of ``values`` (months in columns at years ``x``, NaN where missing): the
    least-squares slope per year, its 95 % interval and the number of months used."""
    seen = np.isfinite(values)
    n = seen.sum(axis=1).astype(float)
    xs = np.where(seen, x, 0.0)
    ys = np.where(seen, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = xs.sum(axis=1) / n
        my = ys.sum(axis=1) / n
        dx = np.where(seen, x - mx[:, None], 0.0)
        dy = np.where(seen, values - my[:, None], 0.0)
        sxx = (dx**2).sum(axis=1)
        slope = (dx * dy).sum(axis=1) / sxx
        resid = np.where(seen, dy - slope[:, None] * dx, 0.0)
        stderr = np.sqrt((resid**2).sum(axis=1) / (n - 2) / sxx)
        half = stats.t.ppf(0.975, np.maximum(n - 2, 1)) * stderr
    enough = n >= 6
    slope = np.where(enough, slope, np.nan)
    half = np.where(enough, half, np.nan)
    return slope, slope - half, slope + half, n


def _row_mean(values: np.ndarray) -> np.ndarray:
    """The mean of each row's finite values; NaN for a row without any."""
    seen = np.isfinite(values)
    count = seen.sum(axis=1)
    total = np.where(seen, values, 0.0).sum(axis=1)
    return np.divide(total, count, out=np.full(len(values), np.nan), where=count > 0)


def summary(months: pd.DataFrame) -> pd.DataFrame:
    """One row per region × occupation: the latest month, ``tightness`` (mean of the last three
    months), ``adjusted`` (the same, seasonally adjusted), ``change`` (adjusted, against a year
    earlier), ``trend``, ``trend_low``, ``trend_high`` (per year, 95 %), ``months`` in the
    fit, ``direction`` and ``seasonal``."""
    adjusted = adjust(months)
    keys = ["region", "occupation"]
    # only the region × occupation pairs the files hold, on every month any of them has
    wide = {
        col: adjusted.set_index([*keys, "month"])[col].astype("float64").unstack("month")
        for col in ("tightness", "adjusted", "unemployed", "vacancies")
    }
    stamps = wide["adjusted"].columns
    adj = wide["adjusted"].to_numpy(dtype="float64")
    last = stamps.max()
    recent = stamps > last - pd.DateOffset(months=3)
    before = (stamps > last - pd.DateOffset(months=15)) & (
        stamps <= last - pd.DateOffset(months=12)
    )
    window = stamps > last - pd.DateOffset(months=TREND_MONTHS)
    slope, low, high, n = _fits(adj[:, window], _years(stamps[window]))
    now = np.where(
        np.isfinite(adj[:, recent]).all(axis=1) & (recent.sum() == 3),
        _row_mean(adj[:, recent]),
        np.nan,
    )
    then = np.where(
        np.isfinite(adj[:, before]).all(axis=1) & (before.sum() == 3),
        _row_mean(adj[:, before]),
        np.nan,
    )
    tight = _row_mean(wide["tightness"].to_numpy(dtype="float64")[:, recent])
    direction = np.where(low > 0, GROWING, np.where(high < 0, SHRINKING, UNCERTAIN))
    names = adjusted.drop_duplicates(keys).set_index(keys)
    index = wide["adjusted"].index
    seasonal = adjusted.groupby(keys)["seasonal"].all().reindex(index)
    out = pd.DataFrame(
        {
            "region": index.get_level_values(0),
            "occupation": index.get_level_values(1),
            "region_name": names["region_name"].reindex(index).to_numpy(),
            "occupation_name": names["occupation_name"].reindex(index).to_numpy(),
            "latest": last,
            "unemployed": wide["unemployed"].iloc[:, -1].to_numpy(),
            "vacancies": wide["vacancies"].iloc[:, -1].to_numpy(),
            "tightness": tight,
            "adjusted": now,
            "change": now - then,
            "trend": slope,
            "trend_low": low,
            "trend_high": high,
            "months": n.astype(int),
            "direction": direction,
            "seasonal": seasonal.fillna(False).to_numpy(bool),
        }
    )
    return out[
        [
            "region",
            "region_name",
            "occupation",
            "occupation_name",
            "latest",
            "unemployed",
            "vacancies",
            "tightness",
            "adjusted",
            "change",
            "trend",
            "trend_low",
            "trend_high",
            "months",
            "direction",
            "seasonal",
        ]
    ]


def series(months: pd.DataFrame, region: str, occupations: list[str]) -> pd.DataFrame:
    """The monthly tightness, its adjusted form and the fitted trend with its 95 % band, of
    ``occupations`` in ``region``: ``occupation, month, tightness, adjusted, fit, low, high``."""
    adjusted = adjust(months[(months["region"] == region) & months["occupation"].isin(occupations)])
    parts = []
    last = adjusted["month"].max() if len(adjusted) else None
    for _occupation, g in adjusted.groupby("occupation", sort=False):
        # the window the summary fits: the last TREND_MONTHS calendar months
        g = g[g["month"] > last - pd.DateOffset(months=TREND_MONTHS)]
        g = g.dropna(subset=["adjusted"]).copy()
        if len(g) < 6:
            continue
        x = _years(g["month"])
        fit = stats.linregress(x, g["adjusted"].to_numpy())
        resid = g["adjusted"].to_numpy() - (fit.intercept + fit.slope * x)
        s = np.sqrt((resid**2).sum() / (len(g) - 2))
        se = s * np.sqrt(1 / len(g) + (x - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
        half = stats.t.ppf(0.975, len(g) - 2) * se
        g["fit"] = fit.intercept + fit.slope * x
        g["low"], g["high"] = g["fit"] - half, g["fit"] + half
        parts.append(g)
    adjusted = adjusted.merge(
        pd.concat(parts)[["occupation", "month", "fit", "low", "high"]]
        if parts
        else pd.DataFrame(columns=["occupation", "month", "fit", "low", "high"]),
        on=["occupation", "month"],
        how="left",
    )
    return adjusted[
        ["occupation", "occupation_name", "month", "tightness", "adjusted", "fit", "low", "high"]
    ]
