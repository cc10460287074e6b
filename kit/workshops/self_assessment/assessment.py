"""What the self-assessment answers say: distributions, consensus, self against peer, gaps, and a
development plan. Plain functions over :meth:`kit.workshops.self_assessment.store.ResponseStore.responses`.

**Privacy.** A group is the assessors of one partner in one role (self or peer) who rated one
criterion. A group of 1–4 assessors shows no figure and no free text (its count reads "1-4").
Assessors' names never appear. Network views add up only the groups that may be shown, so a
hidden group cannot be worked out by subtracting the others; free text is shown only for groups
of five or more, sorted, without names.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kit import files, partners, paths, privacy
from kit.i18n import t
from kit.workshops.self_assessment.criteria import LEVELS

NETWORK = partners.NETWORK
LEVEL_COUNTS = [f"n_{v}" for v in LEVELS]


def _scope(responses: pd.DataFrame, partner: str) -> pd.DataFrame:
    partners.check(partner)
    if partner == NETWORK:
        return responses
    return responses[responses["partner"] == partner]


def groups(responses: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """Per partner × role × criterion: assessors ``n`` and whether the group may be shown."""
    k = privacy.effective(threshold)
    g = responses.groupby(["partner", "role", "criterion"], as_index=False).agg(
        n=("assessor", "nunique"))
    g["shown"] = g["n"] >= k
    return g


def distribution(responses: pd.DataFrame, partner: str, threshold: int | None = None,
                 lang: str | None = None) -> pd.DataFrame:
    """How many assessors chose each level, per criterion and role, for ``partner`` (or the
    network, over the groups that may be shown): ``criterion, role, n, n_label, n_0…n_4,
    median, mean, iqr``; figures of hidden groups are missing."""
    k = privacy.effective(threshold)
    g = groups(responses, k)
    rows = responses.merge(g, on=["partner", "role", "criterion"])
    scope = _scope(rows, partner)
    if partner == NETWORK:
        scope = scope[scope["shown"]]
    out = []
    for (criterion, role), part in scope.groupby(["criterion", "role"], sort=True):
        n = part["assessor"].nunique() if partner != NETWORK else len(part)
        row = {"criterion": criterion, "role": role, "n": n}
        shown = n >= k
        counts = part["level"].value_counts()
        for v in LEVELS:
            row[f"n_{v}"] = int(counts.get(v, 0)) if shown else np.nan
        levels = part["level"].to_numpy(float)
        row["median"] = float(np.median(levels)) if shown else np.nan
        row["mean"] = float(levels.mean()) if shown else np.nan
        q1, q3 = np.percentile(levels, [25, 75]) if shown else (np.nan, np.nan)
        row["iqr"] = float(q3 - q1) if shown else np.nan
        row["n_label"] = str(n) if shown else privacy.small_label(k)
        out.append(row)
    cols = ["criterion", "role", "n", "n_label", *LEVEL_COUNTS, "median", "mean", "iqr"]
    table = pd.DataFrame(out, columns=cols)
    table["n"] = table["n"].where(table["n"] >= k)
    return table


def consensus(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """Agreement within each shown group of :func:`distribution`: ``agreement`` is the share
    of assessors within one level of the median; a group agrees when its IQR is at most 1.
    Sorted with the most disputed first."""
    out = table.dropna(subset=["median"]).copy()
    counts = out[LEVEL_COUNTS].to_numpy(float)
    levels = np.array(LEVELS, dtype=float)
    near = np.abs(levels[None, :] - out["median"].to_numpy(float)[:, None]) <= 1
    out["agreement"] = (counts * near).sum(axis=1) / counts.sum(axis=1)
    out["verdict"] = np.where(out["iqr"] <= 1, t("assessment.agree", lang),
                              t("assessment.disagree", lang))
    return out.sort_values(["agreement", "iqr"], ascending=[True, False]).reset_index(drop=True)


def radar(responses: pd.DataFrame, partner: str, threshold: int | None = None) -> pd.DataFrame:
    """Median level per criterion: the partner's self-assessment, its peers' assessment, and the
    network (all shown groups of all partners, both roles): ``criterion, self, peer,
    network``."""
    own = distribution(responses, partner, threshold)
    net = distribution(responses, NETWORK, threshold)
    wide = own.pivot_table(index="criterion", columns="role", values="median", aggfunc="first")
    g = groups(responses, threshold)
    shown = responses.merge(g[g["shown"]], on=["partner", "role", "criterion"])
    network = shown.groupby("criterion")["level"].median()
    out = pd.DataFrame({"criterion": sorted(set(responses["criterion"]))})
    out["self"] = out["criterion"].map(wide["self"] if "self" in wide else {})
    out["peer"] = out["criterion"].map(wide["peer"] if "peer" in wide else {})
    out["network"] = out["criterion"].map(network)
    del net
    return out


def gaps(responses: pd.DataFrame, criteria: pd.DataFrame, partner: str,
         threshold: int | None = None, lang: str | None = None) -> pd.DataFrame:
    """Self against peer per criterion, the largest gap first: ``criterion, name, self, peer,
    gap`` (self − peer; positive = the organisation rates itself higher than its peers do)."""
    r = radar(responses, partner, threshold).dropna(subset=["self", "peer"])
    r["gap"] = r["self"] - r["peer"]
    r["name"] = r["criterion"].map(_names(criteria, lang))
    r = r.reindex(r["gap"].abs().sort_values(ascending=False).index)
    return r[["criterion", "name", "self", "peer", "gap"]].reset_index(drop=True)


def priorities(responses: pd.DataFrame, criteria: pd.DataFrame, partner: str,
               threshold: int | None = None, lang: str | None = None,
               low: float = 1.5) -> pd.DataFrame:
    """High-priority criteria whose level (the median of self and peer) is low (≤ ``low``):
    ``criterion, name, level``, the lowest first."""
    r = radar(responses, partner, threshold)
    r["level"] = r[["self", "peer"]].mean(axis=1, skipna=True)
    high = set(criteria.loc[criteria["priority"] == "high", "id"])
    out = r[r["criterion"].isin(high) & (r["level"] <= low)].copy()
    out["name"] = out["criterion"].map(_names(criteria, lang))
    return out.sort_values("level")[["criterion", "name", "level"]].reset_index(drop=True)


def texts(responses: pd.DataFrame, partner: str, criterion: str, field: str = "idea",
          threshold: int | None = None) -> list[str]:
    """The free texts (``evidence`` or ``idea``) of one criterion, only from groups of five or
    more assessors, without names, sorted."""
    g = groups(responses, threshold)
    rows = _scope(responses.merge(g[g["shown"]], on=["partner", "role", "criterion"]), partner)
    rows = rows[rows["criterion"] == criterion]
    return sorted({s for s in rows[field].astype(str) if s.strip()})


def plan(responses: pd.DataFrame, criteria: pd.DataFrame, partner: str,
         threshold: int | None = None, lang: str | None = None, top: int = 5) -> pd.DataFrame:
    """A development plan to complete in the workshop: the ``top`` criteria to develop first
    (high priority and low level first, then the largest self–peer gaps), each with its
    current level, a target one level up, a suggested action (the assessors' most common
    idea, from groups of five or more) and empty ``owner`` and ``deadline``."""
    r = radar(responses, partner, threshold)
    r["current"] = r[["self", "peer"]].mean(axis=1, skipna=True)
    r = r.dropna(subset=["current"])
    high = set(criteria.loc[criteria["priority"] == "high", "id"])
    r["high"] = r["criterion"].isin(high)
    r["gap"] = (r["self"] - r["peer"]).abs().fillna(0)
    r = r.sort_values(["high", "current", "gap"], ascending=[False, True, False]).head(top)
    names = _names(criteria, lang)
    rows = []
    for c in r.itertuples():
        ideas = texts(responses, partner, c.criterion, "idea", threshold)
        rows.append({
            t("assessment.col.criterion", lang): f"{c.criterion} {names.get(c.criterion, '')}",
            t("assessment.col.current", lang): round(float(c.current), 1),
            t("assessment.col.target", lang): int(min(4, np.floor(c.current) + 1)),
            t("assessment.col.action", lang): _most_common(ideas, responses, partner,
                                                           c.criterion),
            t("assessment.col.owner", lang): "",
            t("assessment.col.deadline", lang): "",
        })
    return pd.DataFrame(rows)


def _most_common(ideas: list[str], responses: pd.DataFrame, partner: str, criterion: str) -> str:
    if not ideas:
        return ""
    rows = _scope(responses, partner)
    counts = rows[(rows["criterion"] == criterion) & rows["idea"].isin(ideas)]["idea"].value_counts()
    return str(counts.index[0]) if len(counts) else ideas[0]


def _names(criteria: pd.DataFrame, lang: str | None) -> dict[str, str]:
    from kit.workshops.self_assessment.criteria import criterion_names

    return criterion_names(criteria, lang).to_dict()


def export_plan(table: pd.DataFrame, partner: str, folder: str | Path | None = None) -> list[str]:
    """Write the plan as ``plan_<partner>.xlsx`` and ``.csv`` into ``folder`` (default
    ``self_assessment/`` under :func:`kit.paths.reports_dir`), each whole or not at all.

    A plan that someone has filled in since the kit wrote it is kept: the new one goes beside
    it as ``plan_<partner>.new.xlsx`` (:func:`kit.files.keep_edits`). Returns the paths as
    shown.
    """
    where = Path(folder) if folder else paths.reports_dir() / "self_assessment"
    written = []
    for suffix in (".xlsx", ".csv"):
        target = files.write_table(table, files.keep_edits(where / f"plan_{partner}{suffix}"))
        files.remember(target)
        written.append(paths.relative(target))
    return written


def series_names(lang: str | None = None) -> dict[str, str]:
    """Legend names of the radar's lines."""
    return {k: t(f"assessment.series.{k}", lang) for k in ("self", "peer", "network")}


def headline(responses: pd.DataFrame, criteria: pd.DataFrame, partner: str,
             threshold: int | None = None) -> dict[str, object]:
    """The headline figures of a partner's self-assessment (for ``kit run``)."""
    r = radar(responses, partner, threshold)
    g = gaps(responses, criteria, partner, threshold)
    return {"partner": partner,
            "criteria_shown": int(r[["self", "peer"]].notna().any(axis=1).sum()),
            "self_median": None if r["self"].isna().all() else float(r["self"].median()),
            "peer_median": None if r["peer"].isna().all() else float(r["peer"].median()),
            "largest_gap": None if g.empty else g["criterion"].iloc[0],
            "priorities": priorities(responses, criteria, partner, threshold)["criterion"].tolist()}


def room(responses: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """The whole room per criterion (every partner and role together), for the live view:
    ``criterion, n, n_0…n_4, median``; criteria rated by fewer than five show no figure."""
    k = privacy.effective(threshold)
    out = []
    for criterion, part in responses.groupby("criterion", sort=True):
        n = part["assessor"].nunique()
        shown = n >= k
        counts = part["level"].value_counts()
        row = {"criterion": criterion, "n": n if shown else np.nan,
               "median": float(part["level"].median()) if shown else np.nan}
        for v in LEVELS:
            row[f"n_{v}"] = int(counts.get(v, 0)) if shown else np.nan
        out.append(row)
    return pd.DataFrame(out, columns=["criterion", "n", *LEVEL_COUNTS, "median"])


DISPLAY = ["criterion", "name", "role", "n_label", "median", "iqr", "agreement", "verdict",
           "self", "peer", "network", "gap", "level"]


def display(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """A table of this module for people to read: the columns worth showing, with headings and
    roles in ``lang``."""
    out = table[[c for c in DISPLAY if c in table.columns]].copy()
    if "role" in out:
        out["role"] = out["role"].map(lambda r: t(f"assessment.series.{r}", lang))
    return out.rename(columns={c: t(f"assessment.col.{c}", lang) for c in out.columns})
