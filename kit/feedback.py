"""Feedback in one tidy form, and everything derived from it.

**The tidy form** is one row per provider × funding period × survey × question × qualification,
with the number of answers for each value of the scale::

    y_tunnus  period   survey       question_id  qualification  n_1 n_2 n_3 n_4 n_5 n_eos
    2918298-7 2020-21  aloittaneet  A01          sote_pt          1   2   9  30  51     3

Both input formats load into it: an Arvo-style answer export (:func:`from_answers`) and a
Vipunen-style aggregate (:func:`from_aggregate`). Means, standard deviations, confidence
intervals, distributions and aggregation over any dimension derive exactly from the counts.

**Respondents.** A group's respondent count is the number of people who answered, not the
number of answers: over questions it is the largest per-question count (every respondent meets
every statement, "En osaa sanoa" included), over providers, periods, surveys and qualifications
it adds up. Privacy decisions use this count.

The raw counts contain small groups. Show people only :func:`summary`, which applies the privacy
rule of :mod:`kit.privacy`; the functions marked *unprotected* are building blocks for the
library.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from kit import periods, privacy
from kit.errors import KitInputError
from kit.surveys import LIKERT_VALUES, SCALE_POINTS

KEYS: list[str] = ["y_tunnus", "period", "survey", "question_id", "qualification"]
COUNTS: list[str] = [f"n_{v}" for v in LIKERT_VALUES]
POINT_COUNTS: list[str] = [f"n_{v}" for v in SCALE_POINTS]
SHARES: list[str] = [f"p_{v}" for v in LIKERT_VALUES]
#: working-life feedback only, where the answers carry ``tyopaikkajakson_kesto``: the work
#: period days behind each answer value (Σ kesto), so that points and response shares can be
#: weighted by duration as the funding model does. Missing where the data has no durations.
DAYS: list[str] = [f"days_{v}" for v in LIKERT_VALUES]
#: with :data:`DAYS`, :func:`aggregate` and :func:`summary` add ``days`` (the work-period days
#: behind a group's respondents: per finest cell the largest per-question sum, like
#: respondents) and ``day_points`` (Σ answer × days over the group's questions: the funding
#: model's duration-weighted points). Missing where a group's answers lack durations.
DAY_FIGURES: list[str] = ["days", "day_points"]
FIGURES: list[str] = [
    *COUNTS,
    "answers",
    "scale_respondents",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    *SHARES,
]
#: Dimensions whose values split people into disjoint groups (questions do not: the same
#: people answer every question).
PEOPLE_ORDER: list[str] = ["y_tunnus", "period", "survey", "qualification"]
PEOPLE_DIMS: frozenset[str] = frozenset(PEOPLE_ORDER)
#: dimensions whose groups never share people: each period's survey is decided on its own
SEPARATE: tuple[str, ...] = ("period", "survey")
UNKNOWN_QUALIFICATION = "unknown"


def empty() -> pd.DataFrame:
    """A tidy table with no rows."""
    frame = pd.DataFrame({k: pd.Series(dtype="str") for k in KEYS})
    for c in COUNTS:
        frame[c] = pd.Series(dtype="int64")
    return frame


def from_answers(answers: pd.DataFrame, *, months: bool = False) -> pd.DataFrame:
    """Count an answer file (the ``answers`` kind, as :mod:`kit.schemas` types it) into the
    tidy form.

    Expects the columns ``vastausaika`` (ISO date), ``koulutustoimija``,
    ``kyselypohja_tarkenne``, ``kysymysid``, ``numerovalinta`` and optionally ``tutkinto`` (a
    code, the kit's id or a name: kept as its official code, see
    :func:`kit.qualifications.resolve`) and ``tyopaikkajakson_kesto``. The funding period comes
    from the answer date (with ``months``, the calendar month ``2024-09`` instead: the same
    tidy form by month, for control charts). Where answers carry the work period's days, the
    tidy form gains :data:`DAYS`: the days behind each answer value, for duration-weighted
    figures.
    """
    from kit import qualifications

    if answers.empty:
        return empty()
    qualification = (
        qualifications.resolve(answers["tutkinto"]).fillna(UNKNOWN_QUALIFICATION)
        if "tutkinto" in answers
        else pd.Series(UNKNOWN_QUALIFICATION, index=answers.index)
    )
    frame = pd.DataFrame(
        {
            "y_tunnus": answers["koulutustoimija"].to_numpy(),
            "period": (
                pd.to_datetime(answers["vastausaika"]).dt.strftime("%Y-%m")
                if months
                else periods.of_dates(pd.to_datetime(answers["vastausaika"]))
            ).to_numpy(),
            "survey": answers["kyselypohja_tarkenne"].to_numpy(),
            "question_id": answers["kysymysid"].to_numpy(),
            "qualification": qualification.to_numpy(),
            "value": "n_" + answers["numerovalinta"].astype(str).to_numpy(),
        }
    )
    counts = frame.groupby([*KEYS, "value"], observed=True).size().unstack("value", fill_value=0)
    counts = counts.reindex(columns=COUNTS, fill_value=0)
    if "tyopaikkajakson_kesto" in answers and answers["tyopaikkajakson_kesto"].notna().any():
        # a missing duration stays missing: it is not 0 days
        frame["days"] = pd.to_numeric(answers["tyopaikkajakson_kesto"]).to_numpy()
        days = (
            frame.groupby([*KEYS, "value"], observed=True)["days"]
            .sum(min_count=1)
            .unstack("value")
            .reindex(columns=COUNTS)
        )
        # a value nobody chose has 0 days; one whose answers all lack a duration stays missing
        days = days.mask(counts.eq(0).to_numpy(), 0.0)
        days.columns = DAYS
        counts = counts.join(days.astype("Int64"))
    counts = counts.reset_index()
    counts.columns.name = None
    return _tidy(counts)


def from_aggregate(aggregate: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Read a Vipunen-style aggregate (as :mod:`kit.schemas` types it) into the tidy form.

    Rows whose respondent count reads "1-4" were suppressed at the source and carry no counts;
    they are left out, and their number is returned with the table.
    """
    from kit import qualifications

    suppressed = aggregate["vastaajia_suppressed"].fillna(False).to_numpy(bool)
    kept = aggregate[~suppressed]
    frame = pd.DataFrame(
        {
            "y_tunnus": kept["koulutuksen_jarjestajan_y_tunnus"],
            "period": kept["rahoituskausi"],
            "survey": kept["kyselypohja_tarkenne"],
            "question_id": kept["kysymysid"],
            "qualification": qualifications.resolve(kept["tutkinto"]).fillna(UNKNOWN_QUALIFICATION),
        }
    )
    for v in LIKERT_VALUES:
        frame[f"n_{v}"] = kept[f"vastaus_{v}"].fillna(0)
    return _tidy(frame), int(suppressed.sum())


def to_aggregate(tidy: pd.DataFrame) -> pd.DataFrame:
    """Write the tidy form in the Vipunen-style aggregate layout (the inverse of
    :func:`from_aggregate`). Unprotected: for data files, not for showing."""
    out = pd.DataFrame(
        {
            "rahoituskausi": tidy["period"],
            "koulutuksen_jarjestajan_y_tunnus": tidy["y_tunnus"],
            "kyselypohja_tarkenne": tidy["survey"],
            "kysymysid": tidy["question_id"],
            "tutkinto": tidy["qualification"],
            "vastaajia": tidy[COUNTS].sum(axis=1),
        }
    )
    for v in LIKERT_VALUES:
        out[f"vastaus_{v}"] = tidy[f"n_{v}"]
    return out


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({k: "str" for k in KEYS} | {c: "int64" for c in COUNTS})
    days = [d for d in DAYS if d in frame]
    grouped = frame.groupby(KEYS, sort=True)
    out = grouped[COUNTS].sum()
    if days:  # missing stays missing: a group without durations has no days
        out = out.join(grouped[days].sum(min_count=1).astype("Int64"))
    out = out.reset_index()
    return out[out[COUNTS].sum(axis=1) > 0].reset_index(drop=True)


def combine(tables: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Several tidy tables as one (counts for the same key add up)."""
    tables = [t for t in tables if not t.empty]
    return _tidy(pd.concat(tables, ignore_index=True)) if tables else empty()


def aggregate(tidy: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """*Unprotected.* Answer counts, respondents and scale respondents per group of ``by``.

    Within one finest people cell (provider × period × survey × qualification) everyone meets
    every statement, so its respondents are the largest per-question count (``answers``
    including "En osaa sanoa") and its scale respondents the largest count of 1–5 answers.
    Over cells they add up. With ``question_id`` in ``by`` a group is one question's answers.
    Groups come in the order of their ``by`` values; rows missing a key are left out.

    (Counted with numpy over the keys' codes: with pandas' group-bys a summary spent most of
    its time putting small tables together.)
    """
    by = list(by)
    cell = [*PEOPLE_ORDER, *[c for c in by if c not in PEOPLE_ORDER]]
    inner = cell if "question_id" in cell else [*cell, "question_id"]
    days = all(d in tidy for d in DAYS)
    keys = {c: pd.factorize(tidy[c], sort=True) for c in inner}
    known = np.ones(len(tidy), dtype=bool)
    for codes, _ in keys.values():
        known &= codes >= 0
    codes = {c: keys[c][0][known] for c in inner}
    counts = tidy[COUNTS].to_numpy(dtype="float64")[known]
    # one row per question in each cell, then one per cell
    per_question, first = _groups([codes[c] for c in inner], [len(keys[c][1]) for c in inner])
    n_q = int(first.size)
    q_counts = np.column_stack([_sum(per_question, counts[:, i], n_q) for i in range(len(COUNTS))])
    q_answers = q_counts.sum(axis=1)
    q_valid = q_counts[:, [COUNTS.index(c) for c in POINT_COUNTS]].sum(axis=1)
    q_codes = {c: codes[c][first] for c in cell}
    per_cell, first = _groups([q_codes[c] for c in cell], [len(keys[c][1]) for c in cell])
    n_c = int(first.size)
    figures = {c: _sum(per_cell, q_counts[:, i], n_c) for i, c in enumerate(COUNTS)}
    figures["answers"] = _sum(per_cell, q_answers, n_c)
    figures["respondents"] = _max(per_cell, q_answers, n_c)
    figures["scale_respondents"] = _max(per_cell, q_valid, n_c)
    plain = list(figures)
    if days:
        weights = tidy[DAYS].to_numpy(dtype="float64", na_value=np.nan)[known]
        row_days = weights.sum(axis=1)  # missing where any value's days are
        row_points = sum(v * weights[:, DAYS.index(f"days_{v}")] for v in SCALE_POINTS)
        q_days = _sum(per_question, row_days, n_q, min_count=1)
        q_points = _sum(per_question, row_points, n_q, min_count=1)
        figures["days"] = _max(per_cell, q_days, n_c)
        figures["day_points"] = _sum(per_cell, q_points, n_c, min_count=1)
    c_codes = {c: q_codes[c][first] for c in by}
    if by:
        groups, first = _groups([c_codes[c] for c in by], [len(keys[c][1]) for c in by])
    else:
        groups, first = np.zeros(n_c, dtype="int64"), np.zeros(1, dtype="int64")
    n_g = int(first.size)
    out: dict[str, object] = {c: keys[c][1].take(c_codes[c][first]) for c in by}
    for c in plain:
        out[c] = _sum(groups, figures[c], n_g).round().astype("int64")
    for c in DAY_FIGURES if days else ():
        out[c] = _sum(groups, figures[c], n_g, min_count=1)
    return pd.DataFrame(out)


def _groups(codes: list[np.ndarray], sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group (numbered in the order of the key codes) and each group's first row,
    for rows keyed by the columns' ``codes`` (each ``0 … size - 1``)."""
    n = len(codes[0]) if codes else 0
    key = np.zeros(n, dtype="int64")
    span = 1
    for column, size in zip(codes, sizes):
        size = max(int(size), 1)
        if span * size >= 2**62:  # keep the combined key in range: renumber the groups so far
            _, key = np.unique(key, return_inverse=True)
            span = int(key.max()) + 1 if n else 1
        key = key * size + column
        span *= size
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.reshape(-1), first


def _sum(groups: np.ndarray, values: np.ndarray, n: int, min_count: int = 0) -> np.ndarray:
    """``values`` added up per group; with ``min_count=1`` missing values are skipped and a
    group with none left is missing (as pandas' ``sum(min_count=1)``)."""
    present = ~np.isnan(values)
    total = np.bincount(groups, weights=np.where(present, values, 0.0), minlength=n)
    if min_count:
        total[np.bincount(groups, weights=present, minlength=n) < min_count] = np.nan
    return total


def _max(groups: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """The largest of ``values`` per group, missing values skipped (missing where all are)."""
    out = np.full(n, np.nan)
    np.fmax.at(out, groups, values)
    return out


def describe(table: pd.DataFrame) -> pd.DataFrame:
    """*Unprotected.* Add mean, SDs, a 95 % confidence interval and shares to counted groups.

    ``mean`` and ``sd`` are over the scale values 1–5 ("En osaa sanoa" left out), ``sd`` the
    population SD as Vipunen reports it. The interval uses Student's t with the sample SD and,
    as the number of independent observations, the respondents rather than the answers (one
    person's answers to several questions are not independent), which keeps it honest when
    questions are pooled.
    ``p_1``…``p_5`` are shares of the scale answers, ``p_eos`` the share of all answers.
    """
    from kit import uncertainty

    points = table[POINT_COUNTS].to_numpy(float)
    values = np.array(SCALE_POINTS, dtype=float)
    valid = points.sum(axis=1)
    people = np.minimum(valid, table["respondents"].to_numpy(float))
    shown = valid > 0
    added: dict[str, np.ndarray] = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = points @ values / valid
        var_pop = np.clip((points @ values**2) / valid - mean**2, 0, None)
        sd_sample = np.sqrt(var_pop * valid / (valid - 1))
        added["mean"] = np.where(shown, mean, np.nan)
        added["sd"] = np.where(shown, np.sqrt(var_pop), np.nan)
        added["ci_low"], added["ci_high"] = uncertainty.t_interval(added["mean"], sd_sample, people)
        for v in SCALE_POINTS:
            added[f"p_{v}"] = np.where(shown, table[f"n_{v}"].to_numpy(float) / valid, np.nan)
        total = table["answers"].to_numpy(float)
        added["p_eos"] = np.where(total > 0, table["n_eos"].to_numpy(float) / total, np.nan)
    # the table put together once (a column set at a time cost a small table most of its time)
    kept = {c: table[c].array for c in table.columns if c not in added}
    return pd.DataFrame({**kept, **added}, index=table.index)


def summary(
    tidy: pd.DataFrame,
    by: Sequence[str] = (),
    select: Mapping[str, object] | None = None,
    *,
    threshold: int | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Protected statistics per group: what notebooks, apps and exports show.

    ``by`` names the key columns to break down by; ``select`` keeps only some values of key
    columns (a value or a list of values each). What may be shown is decided once for all of
    ``tidy`` (:func:`decision`), whatever is selected; selecting questions narrows the
    figures, selecting people (provider, period, survey, qualification) picks groups as
    :func:`kit.privacy.breakdown` describes.

    Returns one row per group with ``respondents`` (missing when hidden), ``respondents_label``
    (``"1-4"`` for small groups, :func:`kit.privacy.hidden_label` in ``lang`` for groups hidden
    to protect others), ``suppressed``, and the figures of :data:`FIGURES` (missing when
    suppressed).
    """
    _check_columns([*by, *(select or {})])
    people = {d: v for d, v in (select or {}).items() if d in PEOPLE_DIMS}
    decided = decision(tidy, threshold=threshold)  # for the whole data set, whatever is selected
    data = tidy
    for dim, wanted in (select or {}).items():
        if dim not in PEOPLE_DIMS:
            data = data[data[dim].isin(privacy.as_list(wanted))]
    return privacy.breakdown(
        data,
        by,
        people,
        lambda rows, groups: describe(aggregate(rows, groups)),
        decision=decided,
        figures=[*FIGURES, *DAY_FIGURES],
        item="question_id",
        lang=lang,
    )


def decision(tidy: pd.DataFrame, *, threshold: int | None = None) -> privacy.suppression.Pattern:
    """The privacy decision :func:`summary` cuts every table from (made once, then cached)."""
    return decision_at(tidy, privacy.effective(threshold))


def decision_at(tidy: pd.DataFrame, k: int) -> privacy.suppression.Pattern:
    """:func:`decision` at exactly threshold ``k``."""
    return privacy.decide(
        tidy, tuple(PEOPLE_ORDER), k, COUNTS, POINT_COUNTS, item="question_id", separate=SEPARATE
    )


def _check_columns(columns: Iterable[str]) -> None:
    unknown = [c for c in columns if c not in KEYS]
    if unknown:
        raise KitInputError(
            "unknown_dimension", parameter="by", value=unknown[0], valid=", ".join(KEYS)
        )
