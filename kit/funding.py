"""How student feedback becomes funding: response rates, the non-response correction factor
(katokorjauskerroin), weighted points and each provider's share.

The formula follows the Vipunen calculation (``CSCfi/antero``, procedures
``p_lataa_f_amos_opiskelijapalaute`` and ``…_vastausosuudet_kertoimet``), where ``r`` is the
response rate (answered / targeted) of a provider, survey and funding period:

=====================  ============  ===============================================================
periods                full at       below that
=====================  ============  ===============================================================
2018-19                r ≥ 0.8: 1/r  1 + 15/16·r − 25/32·r²
2019-20 … 2023-24      r ≥ 0.7: 1/r  1/0.7 + 2.04·(0.7 − r); at r ≤ 0.2 the constant 857/350
2024-25 onwards        r ≥ 0.6: 1/r  1/0.6 + 2.0·(0.6 − r)
=====================  ============  ===============================================================

**Points** are the sum of the answers (1–5) to the funding questions; **weighted points** are
factor × points, and in the päättökysely the points of those who completed a whole qualification
(``tutkinnon_suorittaneet``) count three times. A provider's **share** is its weighted points over
the total of all providers, separately for the aloituskysely and the päättökysely.

Response rates and correction factors are participation figures, shown as published
(:func:`kit.response.summary`); points are results and come from :func:`kit.feedback.summary`,
so a group whose answers the privacy rule hides has no points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit import feedback as feedback_module
from kit import numbers, periods, questions, response
from kit.errors import KitInputError
from kit.i18n import t
from kit.surveys import SCALE_POINTS, STUDENT_SURVEYS, SURVEYS

#: the päättökysely points of whole-qualification completers count three times
SURVEY_WEIGHT = {"aloittaneet": 1, "tutkinnon_suorittaneet": 3, "tutkinnon_osia_suorittaneet": 1}


@dataclass(frozen=True)
class Formula:
    """One version of the correction formula and the funding periods it applies to."""

    key: str
    first: str  # first funding period
    last: str | None  # last funding period (None: still in force)
    full_at: float  # from this response rate on, the factor is 1/r

    def applies(self, period: str) -> bool:
        start = periods.start_year(period)
        return periods.start_year(self.first) <= start and (
            self.last is None or start <= periods.start_year(self.last)
        )

    def label(self, lang: str | None = None) -> str:
        return t(f"funding.formula.{self.key}", lang)

    def factor(self, rate: np.ndarray) -> np.ndarray:
        r = np.asarray(rate, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            full = 1.0 / r
        if self.key == "2018":
            low = 1 + 15 / 16 * r - 25 / 32 * r**2
        elif self.key == "2019":
            low = np.where(r <= 0.2, 857 / 350, 1 / 0.7 + 2.04 * (0.7 - r))
        else:
            low = 1 / 0.6 + 2.0 * (0.6 - r)
        return np.where(r >= self.full_at, full, low)


FORMULAS: tuple[Formula, ...] = (
    Formula("2018", "2018-19", "2018-19", 0.8),
    Formula("2019", "2019-20", "2023-24", 0.7),
    Formula("2024", "2024-25", None, 0.6),
)
COLUMNS = ["y_tunnus", "survey", "targeted", "answered", "response_rate", "correction_factor"]


def formula(period: str) -> Formula:
    """The formula of funding period ``period`` (feedback counted for funding from 2018-19)."""
    for f in FORMULAS:
        if f.applies(period):
            return f
    raise KitInputError(
        "funding_no_formula", parameter="period", value=period, valid=FORMULAS[0].first
    )


def correction_factor(
    rate: float | Sequence[float] | np.ndarray | pd.Series, period: str | Sequence[str] | pd.Series
) -> np.ndarray | float:
    """The non-response correction factor for response rate(s) ``rate`` in ``period``.

    ``period`` is one period or one per rate. Missing rates give a missing factor, and so do
    rates outside 0–1 (they cannot come from real counts).

    >>> round(correction_factor(0.5, "2020-21"), 6)
    1.836571
    """
    scalar = np.isscalar(rate) or rate is None
    r = pd.Series(np.atleast_1d(np.asarray(rate, dtype=object)), dtype="Float64")
    r = r.to_numpy(dtype=float, na_value=np.nan)
    ps = pd.Series([period] * len(r) if isinstance(period, str) else list(period), dtype="str")
    out = np.full(len(r), np.nan)
    for p in ps.unique():
        rows = (ps == p).to_numpy()
        out[rows] = formula(p).factor(r[rows])
    out[(r < 0) | (r > 1) | np.isnan(r)] = np.nan
    return float(out[0]) if scalar else out


def rates(resp: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """Response rates and correction factors per provider, period and student survey.

    ``resp`` is the long response form (:mod:`kit.response`). These are participation figures
    (the confirmed counts, as Vipunen publishes them and as funding uses them), shown in full,
    groups of 1–4 respondents included; where nobody was targeted the rate and factor are
    missing.
    """
    student = resp[resp["survey"].isin(STUDENT_SURVEYS)]
    table = response.summary(student, ("y_tunnus", "period", "survey"), lang=lang)
    table["correction_factor"] = pd.array(
        correction_factor(table["response_rate"], table["period"]), dtype="Float64"
    )
    return table


def points(
    tidy: pd.DataFrame,
    by: Sequence[str] = ("y_tunnus", "period", "survey"),
    *,
    threshold: int | None = None,
) -> pd.DataFrame:
    """Protected funding points (the sum of answers to funding questions) per group of ``by``.

    Returns ``by`` + ``respondents`` + ``points`` + ``points_per_respondent`` (missing where the
    privacy rule hides the group).
    """
    ids = [q for s in STUDENT_SURVEYS for q in questions.funding_questions(SURVEYS[s].kysely)]
    student = tidy[tidy["survey"].isin(STUDENT_SURVEYS)]
    table = feedback_module.summary(
        student, list(by), {"question_id": sorted(set(ids))}, threshold=threshold
    )
    counts = table[[f"n_{v}" for v in SCALE_POINTS]].astype("Float64")
    table["points"] = sum(v * counts[f"n_{v}"] for v in SCALE_POINTS)
    table["points_per_respondent"] = table["points"] / table["respondents"].astype("Float64")
    return table[[*by, "respondents", "suppressed", "points", "points_per_respondent"]]


def weighted(
    resp: pd.DataFrame, tidy: pd.DataFrame, *, threshold: int | None = None, lang: str | None = None
) -> pd.DataFrame:
    """Weighted points and shares per provider, period and questionnaire (aloitus, päättö).

    The share is of the total over the providers in the data set whose figures may be shown:
    in the demo data that is the network of six, in the national data all providers. Returns
    ``y_tunnus, period, kysely, points, weighted_points, share``.
    """
    r = rates(resp, lang=lang)
    p = points(tidy, threshold=threshold)
    both = r.merge(
        p[["y_tunnus", "period", "survey", "points"]],
        how="left",
        on=["y_tunnus", "period", "survey"],
    )
    both["weighted_points"] = (
        both["points"]
        * both["correction_factor"]
        * both["survey"].map(SURVEY_WEIGHT).astype("float64")
    )
    both["kysely"] = both["survey"].map(lambda s: SURVEYS[s].kysely)
    out = both.groupby(["y_tunnus", "period", "kysely"], as_index=False).agg(
        points=("points", lambda s: s.sum(min_count=len(s))),
        weighted_points=("weighted_points", lambda s: s.sum(min_count=len(s))),
    )
    total = out.groupby(["period", "kysely"])["weighted_points"].transform("sum")
    out["share"] = out["weighted_points"] / total
    return out


def what_if(
    rate_now: float,
    targeted: int,
    points_per_respondent: float,
    survey: str,
    period: str,
    rates_to_try: Sequence[float] | np.ndarray | None = None,
) -> pd.DataFrame:
    """ "If our response rate were X": weighted points for each rate in ``rates_to_try``.

    Holds the number targeted and the points per respondent fixed, so answered = X × targeted
    and weighted points = factor(X) × answered × points per respondent (× 3 for whole
    qualifications). Returns ``response_rate, answered, correction_factor, weighted_points,
    change`` (against ``rate_now``).
    """
    grid = (
        np.round(np.linspace(0.05, 1.0, 20), 2)
        if rates_to_try is None
        else np.asarray(rates_to_try, dtype=float)
    )
    if not 0 <= rate_now <= 1 or np.any((grid < 0) | (grid > 1)):
        raise KitInputError("funding_bad_rate", parameter="rate", value=rate_now)
    weight = SURVEY_WEIGHT.get(survey, 1)

    def value(r):
        return correction_factor(r, period) * r * targeted * points_per_respondent * weight

    now = float(value(np.array([rate_now]))[0])
    out = pd.DataFrame(
        {
            "response_rate": grid,
            "answered": np.round(grid * targeted).astype(int),
            "correction_factor": correction_factor(grid, period),
        }
    )
    out["weighted_points"] = value(grid)
    out["change"] = out["weighted_points"] - now
    return out


#: the 2026 funding model's weights per component (CSCfi/antero, view
#: v_amos_koonti_rahoitusperusteet; ``../shared/domain/indicators.md`` §1.1)
WEIGHTS_2026: dict[str, float] = {
    "opiskelijavuodet_lahtotaso": 0.10,
    "opiskelijavuodet_kustannusryhma": 0.40,
    "tutkinnot": 0.30,
    "tyollistyminen": 0.18,
    "tyopaikkakysely": 0.0025,
    "tyopaikkaohjaajakysely": 0.0075,
    "aloituskysely": 0.0025,
    "paattokysely": 0.0075,
}
#: VET funding in 2026, about 2.09 bn € (OKM, the 2026 suoritepäätös): a parameter everywhere
FUNDING_2026 = 2.09e9


def euros(delta: float, total: float, component: str, *, funding: float = FUNDING_2026) -> float:
    """What a change of ``delta`` in a provider's points of ``component`` is worth in euros in
    the 2026 model, with all providers' points ``total`` held fixed: ``weight × funding ×
    delta / total``. An illustration: the real share also moves with everyone else's points,
    the change limits (0.95–1.10) and the balancing factor."""
    if component not in WEIGHTS_2026:
        raise KitInputError(
            "unknown_value", parameter="component", value=component, valid=", ".join(WEIGHTS_2026)
        )
    if not total or np.isnan(total) or np.isnan(delta):
        return float("nan")
    return float(WEIGHTS_2026[component] * funding * delta / total)


def rate_euros(
    rate_now: float,
    targeted: int,
    points_per_respondent: float,
    survey: str,
    period: str,
    total: float,
    *,
    step: float = 0.05,
    funding: float = FUNDING_2026,
) -> tuple[float, float]:
    """``(Δ weighted points, euros)`` of ``step`` more response rate (capped at 100 %) for one
    student survey, by :func:`what_if` and :func:`euros` (an illustration)."""
    target = min(1.0, rate_now + step)
    change = float(
        what_if(rate_now, targeted, points_per_respondent, survey, period, [target])["change"].iloc[
            0
        ]
    )
    return change, euros(change, total, SURVEYS[survey].kysely, funding=funding)


def total_points(resp: pd.DataFrame, tidy: pd.DataFrame) -> pd.DataFrame:
    """*Unprotected, internal.* All providers' weighted points per period and questionnaire
    (``period, kysely, weighted_points``): each provider's points × its own correction factor
    (× 3 for whole qualifications), summed. Only the denominator of a provider's share: a sum
    over every provider of the country, never shown on its own."""
    ids = [q for s in STUDENT_SURVEYS for q in questions.funding_questions(SURVEYS[s].kysely)]
    student = tidy[tidy["survey"].isin(STUDENT_SURVEYS) & tidy["question_id"].isin(ids)]
    counts = student.groupby(["y_tunnus", "period", "survey"])[[f"n_{v}" for v in SCALE_POINTS]]
    pts = counts.sum()
    pts = (pts * np.array(SCALE_POINTS)).sum(axis=1).rename("points").reset_index()
    both = rates(resp).merge(pts, on=["y_tunnus", "period", "survey"], how="inner")
    both["weighted_points"] = (
        both["points"]
        * both["correction_factor"]
        * both["survey"].map(SURVEY_WEIGHT).astype("float64")
    )
    both["kysely"] = both["survey"].map(lambda s: SURVEYS[s].kysely)
    return both.groupby(["period", "kysely"], as_index=False)["weighted_points"].sum()


def national_totals(data) -> pd.DataFrame | None:
    """All providers' weighted points per period and questionnaire (:func:`total_points`), the
    denominator of a provider's share: from the national data beside synthetic data (synthetic
    too; built once and kept in the cache folder), None beside one's own data (no real
    national points are bundled)."""
    if not data.synthetic:
        return None
    from kit import datasets, files, paths, synth

    store = paths.cache_dir() / f"national-points-{synth.fingerprint()}-{synth.SEED}.parquet"
    if store.exists():
        return pd.read_parquet(store)
    national = data if data.name == "national" else datasets.load("national")
    table = total_points(national.response, national.feedback)
    try:
        with files.atomic(store) as tmp:
            table.to_parquet(tmp, index=False)
    except (OSError, KitInputError):
        pass
    return table


def curves(
    rates_to_try: Sequence[float] | np.ndarray | None = None, lang: str | None = None
) -> pd.DataFrame:
    """The factor of each formula over response rates: ``formula, response_rate, factor``."""
    grid = np.linspace(0.01, 1.0, 100) if rates_to_try is None else np.asarray(rates_to_try)
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "formula": f.label(lang),
                    "response_rate": grid,
                    "correction_factor": f.factor(grid),
                }
            )
            for f in FORMULAS
        ],
        ignore_index=True,
    )


def counts_report(resp: pd.DataFrame) -> pd.DataFrame:
    """What ``kit funding`` prints: one row per provider, period and student survey, with
    :data:`COLUMNS` (plus ``period``), every row in full."""
    return rates(resp)[["period", *COLUMNS]]


def partner_rates(
    data, partner: str, periods_shown: Sequence[str] | None = None, lang: str | None = None
) -> pd.DataFrame:
    """Response rates, factors and weighted points of ``partner`` (each of the six for
    ``network``) per period and survey, protected, with the formula that applies.

    Returns ``provider, period, survey, targeted, answered, response_rate, correction_factor,
    formula, points, weighted_points``: the participation figures in full, the points (a result)
    missing where the privacy rule hides the group's answers.
    """
    from kit import partners

    wanted = partners.y_tunnukset(partner)
    r = rates(data.response, lang=lang)
    p = points(data.feedback)
    table = r.merge(
        p[["y_tunnus", "period", "survey", "points", "points_per_respondent"]],
        how="left",
        on=["y_tunnus", "period", "survey"],
    )
    table = table[table["y_tunnus"].isin(wanted)]
    if periods_shown is not None:
        table = table[table["period"].isin(list(periods_shown))]
    keep = [
        "provider",
        "y_tunnus",
        "period",
        "survey",
        "targeted",
        "answered",
        "response_rate",
        "correction_factor",
        "formula",
        "points",
        "points_per_respondent",
        "weighted_points",
    ]
    if table.empty:  # own data without confirmed counts: no rates to show
        return pd.DataFrame({c: pd.Series(dtype="object") for c in keep})
    table["weighted_points"] = (
        table["points"]
        * table["correction_factor"]
        * table["survey"].map(SURVEY_WEIGHT).astype("float64")
    )
    table["formula"] = table["period"].map(lambda q: formula(q).label(lang))
    table["provider"] = table["y_tunnus"].map(
        lambda y: partners.display_name(partners.id_of(y) or partners.NETWORK, lang)
    )
    return table[keep].sort_values(["provider", "period", "survey"]).reset_index(drop=True)


def display(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """:func:`partner_rates` with translated headings and survey names, for people to read."""
    out = table.drop(columns=["y_tunnus", "points_per_respondent"]).copy()
    if out["provider"].nunique() == 1:
        out = out.drop(columns="provider")
    out["survey"] = out["survey"].map(lambda s: t(f"survey.{s}", lang))
    out["response_rate"] = out["response_rate"].map(lambda v: numbers.percent(v, 1, lang))
    out["correction_factor"] = out["correction_factor"].map(lambda v: numbers.number(v, 6, lang))
    for c in ("points", "weighted_points"):
        out[c] = out[c].map(lambda v: numbers.number(v, 0, lang))
    return out.rename(columns={c: t(f"funding.col.{c}", lang) for c in out.columns})


def marks(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The latest period's shown rows of :func:`partner_rates` as named points for
    :func:`kit.charts.factor_curves`: ``response_rate, correction_factor, name``."""
    shown = table.dropna(subset=["response_rate", "correction_factor"])
    if shown.empty:
        return shown.assign(name=[])
    last = shown[shown["period"] == shown["period"].max()]
    names = last["survey"].map(lambda s: t(f"survey.{s}", lang))
    if last["provider"].nunique() > 1:
        names = last["provider"] + ": " + names
    return pd.DataFrame(
        {
            "response_rate": last["response_rate"].astype(float).to_numpy(),
            "correction_factor": last["correction_factor"].astype(float).to_numpy(),
            "name": names.to_numpy(),
        }
    )


def shares(
    data, partner: str, periods_shown: Sequence[str] | None = None, lang: str | None = None
) -> pd.DataFrame:
    """:func:`weighted` for ``partner`` (each of the six for ``network``), translated for
    people to read: provider, period, questionnaire, points, weighted points, share."""
    from kit import partners

    table = weighted(data.response, data.feedback)
    table = table[table["y_tunnus"].isin(partners.y_tunnukset(partner))]
    if periods_shown is not None:
        table = table[table["period"].isin(list(periods_shown))]
    out = pd.DataFrame(
        {
            t("funding.col.provider", lang): table["y_tunnus"].map(
                lambda y: partners.display_name(partners.id_of(y) or partners.NETWORK, lang)
            ),
            t("funding.col.period", lang): table["period"],
            t("funding.col.kysely", lang): table["kysely"].map(lambda k: t(f"kysely.{k}", lang)),
            t("funding.col.points", lang): table["points"],
            t("funding.col.weighted_points", lang): table["weighted_points"],
            t("funding.col.share", lang): table["share"],
        }
    )
    return out.reset_index(drop=True)
