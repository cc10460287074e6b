"""The training offer: the network's supply per qualification and year, its market share and
growth, from Vipunen's ``amm_opiskelijat_ja_tutkinnot_vuosi_tutkinto`` (kind ``supply``).

Vipunen counts students as distinct learners from Koski: new students
(``uudetOpiskelijatLkm``), students (``opiskelijatLkm``) and completers
(``tutkinnonSuorittaneetLkm``) per year, qualification and provider; rows split by the type of
completion or by procured training are summed. These are official counts of people in a
qualification, shown as Vipunen publishes them, like the survey participation counts; they
are no results about those people. **Market share** is the providers' students among all
providers' students of the same qualification in the file (so the file must hold all
providers of those qualifications, as the API gives them without a provider filter).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit import qualifications

COUNTS = {
    "uudet_opiskelijat_lkm": "new",
    "opiskelijat_lkm": "students",
    "tutkinnon_suorittaneet_lkm": "completers",
}


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """The kind ``supply``'s typed frame as ``year, qualification, qualification_name, type,
    provider, provider_name, new, students, completers``, one row per year × qualification
    × provider (split rows summed)."""
    out = frame.rename(
        columns={
            "tilastovuosi": "year",
            "koodi_tutkinto": "qualification",
            "tutkinto": "qualification_name",
            "tutkintotyyppi": "type",
            "koodi_koulutuksen_jarjestaja": "provider",
            "koulutuksen_jarjestaja": "provider_name",
            **COUNTS,
        }
    )
    for column in ("qualification_name", "type", "provider_name"):
        out[column] = out[column].fillna("")
    keys = ["year", "qualification", "provider"]
    sums = out.groupby(keys, as_index=False)[list(COUNTS.values())].sum(min_count=1)
    labels = out.drop_duplicates(keys)[[*keys, "qualification_name", "type", "provider_name"]]
    return sums.merge(labels, on=keys)[
        [
            "year",
            "qualification",
            "qualification_name",
            "type",
            "provider",
            "provider_name",
            *COUNTS.values(),
        ]
    ]


def table(
    supply: pd.DataFrame, providers: list[str], lang: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """Per qualification the ``providers``' supply in ``year`` (default: the latest): ``new``,
    ``students``, ``completers``, all providers' ``all_students``, ``share`` (of students),
    ``share_change`` (points against the year before) and ``growth`` (new students against
    the year before, as a fraction). Qualifications the providers do not offer are left out."""
    year = int(year or supply["year"].max())
    mine = supply[supply["provider"].isin(providers)]
    per = mine.groupby(["year", "qualification"])[list(COUNTS.values())].sum(min_count=1)
    total = supply.groupby(["year", "qualification"])["students"].sum(min_count=1)
    now = per.xs(year, level="year") if year in per.index.get_level_values(0) else per.iloc[:0]
    before = (
        per.xs(year - 1, level="year")
        if year - 1 in per.index.get_level_values(0)
        else per.iloc[:0].droplevel(0)
    )
    out = now.reset_index()
    out["all_students"] = out["qualification"].map(total.xs(year, level="year")).astype("float64")
    out["share"] = out["students"].astype("float64") / out["all_students"]
    last_total = (
        total.xs(year - 1, level="year")
        if year - 1 in total.index.get_level_values(0)
        else pd.Series(dtype="float64")
    )
    last_share = before["students"].astype("float64") / last_total.reindex(before.index)
    out["share_change"] = out["share"] - out["qualification"].map(last_share).astype("float64")
    last_new = out["qualification"].map(before["new"]).astype("float64")
    out["growth"] = (out["new"].astype("float64") / last_new - 1).where(last_new > 0)
    names = supply.drop_duplicates("qualification").set_index("qualification")
    out["name"] = [
        qualifications.name(q, lang)
        if q in qualifications.codes()
        else names.at[q, "qualification_name"] or q
        for q in out["qualification"]
    ]
    out["type"] = out["qualification"].map(names["type"])
    out.insert(0, "year", year)
    out = out[out["students"].fillna(0) + out["new"].fillna(0) > 0]
    return out.sort_values("students", ascending=False).reset_index(drop=True)[
        [
            "year",
            "qualification",
            "name",
            "type",
            "new",
            "students",
            "completers",
            "all_students",
            "share",
            "share_change",
            "growth",
        ]
    ]


def years(supply: pd.DataFrame, providers: list[str]) -> pd.DataFrame:
    """The providers' new students, students and completers per year (all qualifications)."""
    mine = supply[supply["provider"].isin(providers)]
    return mine.groupby("year")[list(COUNTS.values())].sum(min_count=1).reset_index()


def by_occupation(
    supply: pd.DataFrame, bridge: pd.DataFrame, providers: list[str], year: int | None = None
) -> pd.Series:
    """The providers' new students in ``year`` spread over occupations by the bridge's
    weights: Σ weight × new students, per occupation code."""
    year = int(year or supply["year"].max())
    mine = supply[(supply["provider"].isin(providers)) & (supply["year"] == year)]
    new = mine.groupby("qualification")["new"].sum(min_count=1).fillna(0)
    links = bridge.assign(new=bridge["qualification"].map(new).fillna(0).astype("float64"))
    spread = (links["weight"] * links["new"]).groupby(links["occupation"]).sum()
    return spread.astype(np.float64)
