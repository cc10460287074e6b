"""What the self-assessment answers say: distributions, consensus, self against peer, gaps, and a
development plan. Plain functions over the responses of a store
(:meth:`kit.workshops.self_assessment.store.ResponseStore.responses`), which :func:`build`
gathers into the workshop's :class:`Model` with the criteria and the data's label.

**Privacy, through the one path.** The ratings are counted into a tidy table (:func:`tidy`: one
row per partner × role × criterion with the number of assessors at each level) and every
figure is cut from one decision for the whole store (:func:`decision`, made by
:func:`kit.privacy.decide` as for feedback, with partner and role as the people dimensions and
each criterion as an item). So a partner's self or peer group of 1–4 assessors shows no figure
and no free text, and no combination of the partner views, the network (all partners) and the
room (everyone) gives a hidden group back, by subtraction or through bounds. Assessors' names
never appear; free text is shown only for groups whose figures are shown, sorted, without names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kit import files, partners, paths, privacy
from kit.i18n import t
from kit.workshops.self_assessment.criteria import LEVELS

NETWORK = partners.NETWORK
LEVEL_COUNTS = [f"n_{v}" for v in LEVELS]
DIMS = ("partner", "role")
FIGURES = [*LEVEL_COUNTS, "n", "median", "mean", "iqr"]


def tidy(responses: pd.DataFrame) -> pd.DataFrame:
    """The ratings counted: one row per partner, role and criterion with ``n_0`` … ``n_4``,
    the number of assessors who chose each level."""
    if responses.empty:
        return pd.DataFrame(columns=[*DIMS, "criterion", *LEVEL_COUNTS])
    counts = (
        responses.assign(value="n_" + responses["level"].astype(str))
        .groupby([*DIMS, "criterion", "value"])
        .size()
        .unstack("value", fill_value=0)
    )
    counts = counts.reindex(columns=LEVEL_COUNTS, fill_value=0).reset_index()
    counts.columns.name = None
    return counts.astype({c: "int64" for c in LEVEL_COUNTS})


def weight(sub: tuple[str, ...], dims: tuple[str, ...]) -> float:
    """What the views need most: each partner's self and peer groups, the network by role and
    the room; a partner's two roles pooled are given up first."""
    return 0.05 if sub == ("partner",) else 10.0


def decision(responses: pd.DataFrame, threshold: int | None = None) -> privacy.suppression.Pattern:
    """The privacy decision every self-assessment figure is cut from (made once per state of
    the store, then cached)."""
    k = privacy.effective(threshold)
    return privacy.decide(
        tidy(responses), DIMS, k, LEVEL_COUNTS, LEVEL_COUNTS, item="criterion", weight=weight
    )


def _quantile(counts: np.ndarray, q: float) -> float:
    """The ``q`` quantile (linear, as numpy's default) of levels 0…4 given their counts."""
    values = np.repeat(np.array(LEVELS, dtype=float), counts.astype(int))
    return float(np.quantile(values, q)) if len(values) else float("nan")


def _count(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Levels counted per group of ``by``, with the number of assessors and the median, mean
    and IQR of the levels."""
    grouped = (
        rows.groupby(by, as_index=False, sort=True)[LEVEL_COUNTS].sum()
        if by
        else rows[LEVEL_COUNTS].sum().to_frame().T
    )
    counts = grouped[LEVEL_COUNTS].to_numpy(float)
    grouped["n"] = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        grouped["mean"] = counts @ np.array(LEVELS, dtype=float) / grouped["n"].to_numpy()
    grouped["median"] = [_quantile(c, 0.5) for c in counts]
    grouped["iqr"] = [_quantile(c, 0.75) - _quantile(c, 0.25) for c in counts]
    grouped["respondents"] = grouped["n"]
    return grouped


def summary(
    responses: pd.DataFrame,
    by: Sequence[str],
    select: Mapping[str, object] | None = None,
    threshold: int | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Protected figures per group of ``by`` (``partner``, ``role``, ``criterion``): the level
    counts, ``n`` assessors, ``median``, ``mean`` and ``iqr`` (missing where hidden), with
    ``respondents_label`` ("1-4" for a group of 1–4) and ``suppressed``."""
    counted = tidy(responses)
    decided = decision(responses, threshold)
    return privacy.breakdown(
        counted,
        list(by),
        select,
        _count,
        decision=decided,
        figures=FIGURES,
        item="criterion",
        lang=lang,
    )


def groups(responses: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """Per partner × role × criterion: the assessors ``n`` (missing where hidden) and whether
    the group's figures may be shown."""
    table = summary(responses, [*DIMS, "criterion"], threshold=threshold)
    return table.assign(shown=~table["suppressed"])[[*DIMS, "criterion", "n", "shown"]]


def distribution(
    responses: pd.DataFrame, partner: str, threshold: int | None = None, lang: str | None = None
) -> pd.DataFrame:
    """How many assessors chose each level, per criterion and role, for ``partner`` (or the
    network, all partners together): ``criterion, role, n, n_label, n_0…n_4, median, mean,
    iqr``; figures of hidden groups are missing."""
    partners.check(partner)
    select = None if partner == NETWORK else {"partner": partner}
    table = summary(responses, ["role", "criterion"], select, threshold, lang)
    table = table.rename(columns={"respondents_label": "n_label"})
    table["n"] = table["n"].astype("Float64").astype(float)
    cols = ["criterion", "role", "n", "n_label", *LEVEL_COUNTS, "median", "mean", "iqr"]
    return table.sort_values(["criterion", "role"])[cols].reset_index(drop=True)


def consensus(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """Agreement within each shown group of :func:`distribution`: ``agreement`` is the share
    of assessors within one level of the median; a group agrees when its IQR is at most 1.
    Sorted with the most disputed first."""
    out = table.dropna(subset=["median"]).copy()
    counts = out[LEVEL_COUNTS].to_numpy(float)
    levels = np.array(LEVELS, dtype=float)
    near = np.abs(levels[None, :] - out["median"].to_numpy(float)[:, None]) <= 1
    out["agreement"] = (counts * near).sum(axis=1) / counts.sum(axis=1)
    out["verdict"] = np.where(
        out["iqr"] <= 1, t("assessment.agree", lang), t("assessment.disagree", lang)
    )
    return out.sort_values(["agreement", "iqr"], ascending=[True, False]).reset_index(drop=True)


def radar(responses: pd.DataFrame, partner: str, threshold: int | None = None) -> pd.DataFrame:
    """Median level per criterion: the partner's self-assessment, its peers' assessment, and the
    network (everyone, both roles): ``criterion, self, peer, network``."""
    own = distribution(responses, partner, threshold)
    wide = own.pivot_table(index="criterion", columns="role", values="median", aggfunc="first")
    network = room(responses, threshold).set_index("criterion")["median"]
    out = pd.DataFrame({"criterion": sorted(set(responses["criterion"]))})
    out["self"] = out["criterion"].map(wide["self"] if "self" in wide else {})
    out["peer"] = out["criterion"].map(wide["peer"] if "peer" in wide else {})
    out["network"] = out["criterion"].map(network)
    return out


def gaps(
    responses: pd.DataFrame,
    criteria: pd.DataFrame,
    partner: str,
    threshold: int | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Self against peer per criterion, the largest gap first: ``criterion, name, self, peer,
    gap`` (self − peer; positive = the organisation rates itself higher than its peers do)."""
    r = radar(responses, partner, threshold).dropna(subset=["self", "peer"])
    r["gap"] = r["self"] - r["peer"]
    r["name"] = r["criterion"].map(_names(criteria, lang))
    r = r.reindex(r["gap"].abs().sort_values(ascending=False).index)
    return r[["criterion", "name", "self", "peer", "gap"]].reset_index(drop=True)


def priorities(
    responses: pd.DataFrame,
    criteria: pd.DataFrame,
    partner: str,
    threshold: int | None = None,
    lang: str | None = None,
    low: float = 1.5,
) -> pd.DataFrame:
    """High-priority criteria whose level (the median of self and peer) is low (≤ ``low``):
    ``criterion, name, level``, the lowest first."""
    r = radar(responses, partner, threshold)
    r["level"] = r[["self", "peer"]].mean(axis=1, skipna=True)
    high = set(criteria.loc[criteria["priority"] == "high", "id"])
    out = r[r["criterion"].isin(high) & (r["level"] <= low)].copy()
    out["name"] = out["criterion"].map(_names(criteria, lang))
    return out.sort_values("level")[["criterion", "name", "level"]].reset_index(drop=True)


def texts(
    responses: pd.DataFrame,
    partner: str,
    criterion: str,
    field: str = "idea",
    threshold: int | None = None,
) -> list[str]:
    """The free texts (``evidence`` or ``idea``) of one criterion, only from groups whose
    figures the decision shows, without names, sorted."""
    g = groups(responses, threshold)
    shown = g[g["shown"] & (g["criterion"] == criterion)]
    if partner != NETWORK:
        partners.check(partner)
        shown = shown[shown["partner"] == partner]
    rows = responses.merge(shown[[*DIMS, "criterion"]], on=[*DIMS, "criterion"])
    return sorted({s for s in rows[field].astype(str) if s.strip()})


def plan(
    responses: pd.DataFrame,
    criteria: pd.DataFrame,
    partner: str,
    threshold: int | None = None,
    lang: str | None = None,
    top: int = 5,
) -> pd.DataFrame:
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
        rows.append(
            {
                t("assessment.col.criterion", lang): f"{c.criterion} {names.get(c.criterion, '')}",
                t("assessment.col.current", lang): round(float(c.current), 1),
                t("assessment.col.target", lang): int(min(4, np.floor(c.current) + 1)),
                t("assessment.col.action", lang): _most_common(
                    ideas, responses, partner, c.criterion
                ),
                t("assessment.col.owner", lang): "",
                t("assessment.col.deadline", lang): "",
            }
        )
    return pd.DataFrame(rows)


def _most_common(ideas: list[str], responses: pd.DataFrame, partner: str, criterion: str) -> str:
    if not ideas:
        return ""
    rows = responses if partner == NETWORK else responses[responses["partner"] == partner]
    counts = rows[(rows["criterion"] == criterion) & rows["idea"].isin(ideas)][
        "idea"
    ].value_counts()
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


@dataclass(frozen=True)
class Model:
    """The answers of a store (its last shown state) with the criteria they rate."""

    responses: pd.DataFrame
    criteria: pd.DataFrame
    #: how many answers the store holds (participation, shown as published)
    count: int
    label: str
    synthetic: bool


def build(dataset: str | Path = "demo", *, lang: str = "fi") -> Model:
    """The model of the store ``dataset``: ``demo`` (the synthetic demo store, built on first
    use), ``""`` (the workshop's own store) or a path to a store."""
    from kit.workshops.self_assessment import synthetic
    from kit.workshops.self_assessment.criteria import load_criteria
    from kit.workshops.self_assessment.store import ResponseStore

    store = (
        synthetic.demo_store() if str(dataset) == "demo" else ResponseStore(str(dataset) or None)
    )
    return Model(
        responses=store.responses(),
        criteria=load_criteria(),
        count=store.count(),
        label=store.label(lang),
        synthetic=store.synthetic,
    )


def headline(model: Model, partner: str, *, threshold: int | None = None) -> dict[str, object]:
    """The headline figures of a partner's self-assessment (for ``kit run``)."""
    responses, criteria = model.responses, model.criteria
    r = radar(responses, partner, threshold)
    g = gaps(responses, criteria, partner, threshold)
    return {
        "partner": partner,
        "criteria_shown": int(r[["self", "peer"]].notna().any(axis=1).sum()),
        "self_median": None if r["self"].isna().all() else float(r["self"].median()),
        "peer_median": None if r["peer"].isna().all() else float(r["peer"].median()),
        "largest_gap": None if g.empty else g["criterion"].iloc[0],
        "priorities": priorities(responses, criteria, partner, threshold)["criterion"].tolist(),
    }


def room(responses: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """The whole room per criterion (every partner and role together), cut from the same
    decision as every other view: ``criterion, n, n_0…n_4, median`` (missing where hidden)."""
    if responses.empty:
        return pd.DataFrame(columns=["criterion", "n", *LEVEL_COUNTS, "median"])
    table = summary(responses, ["criterion"], threshold=threshold)
    table["n"] = table["n"].astype("Float64").astype(float)
    for c in LEVEL_COUNTS:
        table[c] = table[c].astype("Float64").astype(float)
    return table[["criterion", "n", *LEVEL_COUNTS, "median"]]


DISPLAY = [
    "criterion",
    "name",
    "role",
    "n_label",
    "median",
    "iqr",
    "agreement",
    "verdict",
    "self",
    "peer",
    "network",
    "gap",
    "level",
]


def display(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """A table of this module for people to read: the columns worth showing, with headings and
    roles in ``lang``."""
    out = table[[c for c in DISPLAY if c in table.columns]].copy()
    if "role" in out:
        out["role"] = out["role"].map(lambda r: t(f"assessment.series.{r}", lang))
    return out.rename(columns={c: t(f"assessment.col.{c}", lang) for c in out.columns})


def participation(responses: pd.DataFrame) -> pd.DataFrame:
    """How many have answered, per partner and role (participation, shown as it is):
    ``partner, role, answered``."""
    people = responses.drop_duplicates("response_id")
    return (
        people.groupby(["partner", "role"], as_index=False)
        .size()
        .rename(columns={"size": "answered"})
    )
