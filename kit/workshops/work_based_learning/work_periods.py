"""The provider's own work-period list (työpaikkajaksot): durations, and where working-life
feedback is lost before anyone is asked.

A list is read as the ``work_periods`` kind (:mod:`.kinds`): one row per jakso with
eHOKS's field names (``yksiloiva-tunniste``, ``hoks-id``, ``osaamisen-hankkimistapa-koodi-uri``,
``alku``, ``loppu``, ``osa-aikaisuustieto``, ``vastuullinen-tyopaikka-ohjaaja.sahkoposti`` /
``.puhelinnumero``, ``keskeytymisajanjaksot``, …), plus, where the provider has them from the
survey side, ``kysely_luotu`` (a survey was created) and ``vastattu`` (it was answered), and
``tallennettu`` (when the jakso was saved in eHOKS).

**Duration (kesto)**, as the funding model counts it (``Opetushallitus/ehoks``
``doc/tyopaikkajaksojen-kestojen-laskenta.md``): the calendar days from ``alku`` to ``loppu``,
without the days of its keskeytymisajanjaksot, and a student's overlapping jaksot share each
common day (three parallel jaksot get a third of a day each). Every weekday counts. The
part-time share (``osa-aikaisuustieto``) does not scale the days here: whether it does in the
current funding period is not settled in the sources (2022-23 removed it).

**Why no survey is created** (``Opetushallitus/ehoks`` ``palaute/tyoelama.clj``; the wiki's
rule on saving): no end date; no instructor contact (neither e-mail nor phone); no part-time
information on a jakso ending on or after 1.7.2023; saved in eHOKS on or after its end date;
wholly interrupted. Jaksot still running are not yet due.

Counts of jaksot are participation, not results: they are shown as they are. Nothing here
names a workplace or an instructor.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from kit import funding, periods
from kit.errors import KitInputError

#: the reasons a jakso gets no survey, in the order they are checked (the first one is named)
REASONS = ("no_end", "no_contact", "no_part_time", "saved_late", "interrupted")
#: part-time information is required for jaksot ending on or after this day
PART_TIME_FROM = dt.date(2023, 7, 1)
#: the stages where feedback is lost, in order
STAGES = ("ended", "contact", "created", "answered")


def read(path: str | Path) -> pd.DataFrame:
    """A work-period list, checked (the ``work_periods`` kind): one row per jakso, indexed by
    its row in the file (as a spreadsheet numbers it)."""
    from kit import loader, paths

    frame = loader.read(path, kind="work_periods").frame
    if "keskeytymisajanjaksot" in frame:
        for row, value in frame["keskeytymisajanjaksot"].items():
            _interruptions(value, paths.relative(Path(path)), int(row))
    return frame


def _interruptions(
    value: object, file: str = "", row: int | None = None
) -> list[tuple[dt.date, dt.date]]:
    """``"2024-03-01/2024-03-10; 2024-04-02/2024-04-05"`` as date pairs."""
    if not isinstance(value, str) or not value.strip():
        return []
    out = []
    for part in value.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        try:
            start, end = (dt.date.fromisoformat(x.strip()) for x in part.split("/"))
        except ValueError:
            raise KitInputError(
                "wbl_bad_interruption",
                file=file,
                row=row,
                column="keskeytymisajanjaksot",
                value=part,
            ) from None
        out.append((start, end))
    return out


def durations(frame: pd.DataFrame, file: str = "") -> pd.Series:
    """Each jakso's duration in days (float: shared days count in parts), as the funding
    model counts it; missing where the jakso has no end date."""
    alku = pd.to_datetime(frame["alku"]).to_numpy("datetime64[D]")
    loppu_ts = pd.to_datetime(frame["loppu"], errors="coerce")
    ended = loppu_ts.notna().to_numpy()
    loppu = loppu_ts.to_numpy("datetime64[D]")
    kesto = pd.Series(np.nan, index=frame.index, dtype="float64")
    if not ended.any():
        return kesto
    which = np.flatnonzero(ended)
    lengths = np.maximum((loppu[which] - alku[which]).astype(int) + 1, 0)
    jakso = np.repeat(which, lengths)
    starts = np.repeat(alku[which], lengths)
    offset = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    day = starts + offset.astype("timedelta64[D]")
    keep = np.ones(len(day), bool)
    cuts = frame["keskeytymisajanjaksot"] if "keskeytymisajanjaksot" in frame else None
    if cuts is not None:
        for pos in which:
            for start, end in _interruptions(cuts.iloc[pos], file, int(frame.index[pos])):
                mine = jakso == pos
                keep[mine & (day >= np.datetime64(start)) & (day <= np.datetime64(end))] = False
    every = pd.DataFrame(
        {
            "jakso": jakso[keep],
            "day": day[keep],
            "student": frame["hoks_id"].to_numpy()[jakso[keep]],
        }
    )
    share = 1.0 / every.groupby(["student", "day"])["jakso"].transform("size")
    summed = share.groupby(every["jakso"]).sum()
    values = np.where(ended, 0.0, np.nan)
    values[summed.index.to_numpy()] = summed.to_numpy()
    return pd.Series(values, index=frame.index, dtype="float64")


def has_contact(frame: pd.DataFrame) -> pd.Series:
    """Whether the responsible instructor can be reached (an e-mail or a phone number)."""
    mail = frame["vastuullinen_tyopaikka_ohjaaja_sahkoposti"].fillna("").str.strip()
    phone = frame["vastuullinen_tyopaikka_ohjaaja_puhelinnumero"].fillna("").str.strip()
    return (mail != "") | (phone != "")


def assess(frame: pd.DataFrame, today: dt.date | None = None, file: str = "") -> pd.DataFrame:
    """Every jakso with its duration, funding period, stage flags and the first reason it
    gets no survey: adds ``kesto``, ``period`` (the funding period of its end), ``ended``,
    ``contact``, ``created`` (the survey side's own flag where the list has it, else what the
    rules predict), ``answered``, ``reason`` (one of :data:`REASONS`, or empty)."""
    today = today or dt.date.today()
    out = frame.copy()
    out["kesto"] = durations(frame, file)
    loppu = pd.to_datetime(frame["loppu"], errors="coerce")
    out["period"] = periods.of_dates(loppu.fillna(pd.Timestamp(today))).where(loppu.notna(), "")
    out["ended"] = (loppu < pd.Timestamp(today)).fillna(False) | loppu.isna()
    out["contact"] = has_contact(frame)
    part_time_needed = (loppu >= pd.Timestamp(PART_TIME_FROM)).fillna(False)
    saved = (
        pd.to_datetime(frame["tallennettu"], errors="coerce")
        if "tallennettu" in frame
        else pd.Series(pd.NaT, index=frame.index)
    )
    checks = {
        "no_end": loppu.isna(),
        "no_contact": ~out["contact"],
        "no_part_time": part_time_needed & frame["osa_aikaisuustieto"].isna(),
        "saved_late": (saved >= loppu).fillna(False),
        "interrupted": (out["kesto"] == 0).fillna(False),
    }
    reason = pd.Series("", index=frame.index, dtype="object")
    for name in reversed(REASONS):  # the first reason in REASONS wins
        reason[checks[name].to_numpy(bool)] = name
    out["reason"] = reason.where(out["ended"], "")
    predicted = out["ended"] & (out["reason"] == "")
    given = frame["kysely_luotu"] if "kysely_luotu" in frame else None
    # a list without the survey side's flag (or with none set) gets the rules' prediction
    out["created"] = (
        predicted
        if given is None or not given.fillna(False).any()
        else (given.fillna(False).astype(bool) & out["ended"])
    )
    answered = frame["vastattu"] if "vastattu" in frame else pd.Series(False, index=frame.index)
    out["answered"] = answered.fillna(False).astype(bool) & out["created"]
    return out


def feedback_stages(assessed: pd.DataFrame) -> pd.DataFrame:
    """Where feedback is lost, stage by stage, of ended jaksot: ``stage, jaksot, days`` for :data:`STAGES` (days = their
    summed durations), each stage within the one before."""
    ended = assessed[assessed["ended"]]
    masks = {
        "ended": pd.Series(True, index=ended.index),
        "contact": ended["contact"],
        "created": ended["contact"] & ended["created"],
        "answered": ended["contact"] & ended["created"] & ended["answered"],
    }
    return pd.DataFrame(
        [
            {
                "stage": s,
                "jaksot": int(m.sum()),
                "days": float(ended.loc[m, "kesto"].fillna(0).sum()),
            }
            for s, m in masks.items()
        ]
    )


def to_fix(assessed: pd.DataFrame) -> pd.DataFrame:
    """The ended jaksot that get no survey, and why: ``yksiloiva_tunniste, hoks_id, loppu,
    kesto, reason`` (no workplace, no instructor)."""
    lost = assessed[assessed["ended"] & (assessed["reason"] != "")]
    return lost[["yksiloiva_tunniste", "hoks_id", "loppu", "kesto", "reason"]].reset_index(
        drop=True
    )


def response_share(assessed: pd.DataFrame) -> pd.DataFrame:
    """The instructor survey's duration-weighted response share and correction factor per
    provider and funding period: ``koulutustoimija, period, jaksot, answered_jaksot,
    target_days`` (Σ kesto of the jaksot surveyed), ``answered_days`` (Σ kesto of those
    answered), ``share`` = answered_days / target_days and ``correction_factor``
    (katokorjauskerroin, :func:`kit.funding.correction_factor`)."""
    surveyed = assessed[assessed["created"] & assessed["kesto"].notna()]
    if surveyed.empty:
        return pd.DataFrame(
            columns=[
                "koulutustoimija",
                "period",
                "jaksot",
                "answered_jaksot",
                "target_days",
                "answered_days",
                "share",
                "correction_factor",
            ]
        )
    table = (
        surveyed.assign(answered_kesto=surveyed["kesto"] * surveyed["answered"])
        .groupby(["koulutustoimija", "period"], as_index=False)
        .agg(
            jaksot=("kesto", "size"),
            answered_jaksot=("answered", "sum"),
            target_days=("kesto", "sum"),
            answered_days=("answered_kesto", "sum"),
        )
    )
    table["share"] = table["answered_days"] / table["target_days"]
    table["correction_factor"] = correction_factor(table["share"], table["period"])
    return table


def correction_factor(share: pd.Series | float, period: pd.Series | str) -> np.ndarray | float:
    """The instructor survey's non-response correction factor: the same rule as the student
    surveys' (1/share from 0.7 up, 1/0.7 + 2.04·(0.7 − share) below, 857/350 at 0.2 or less,
    in 2020-21 … 2023-24; 1/share from 0.6 up, else 1/0.6 + 2.0·(0.6 − share) from 2024-25)."""
    return funding.correction_factor(share, period)
