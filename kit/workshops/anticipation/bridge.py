"""The bridge between qualifications and occupations: a small hand-curated map.

No official crosswalk from qualifications (Tilastokeskus koulutusluokitus) to occupations (AML
2010) exists, so the map is the network's judgement: ``qualification, occupation, weight,
note, source`` (kind ``occupation_map``), where ``weight`` says which share of a
qualification's students the network expects in that occupation (a qualification's weights
need not add up to 1) and ``source`` says whether the link is the network's draft
(``network``) or was confirmed at the forum (``forum``). Every table built on it says so
(:func:`label`). ``data/occupation_map.csv`` is the kit's draft for the six partners; a
data set's folder may hold its own.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kit import loader, paths
from kit.i18n import t

NAME = "occupation_map.csv"


def default_path() -> Path:
    """The kit's draft map."""
    return paths.data_dir() / NAME


def load(path: str | Path | None = None) -> pd.DataFrame:
    """The map at ``path`` (default: the kit's draft), checked by the loader."""
    frame = loader.read(path or default_path(), kind="occupation_map").frame
    return frame.reset_index(drop=True)


def label(bridge: pd.DataFrame, lang: str | None = None) -> str:
    """What the map is: the network's judgement, and how many links the forum confirmed."""
    forum = int((bridge["source"] == "forum").sum())
    return t("ws5.bridge_label", lang, links=len(bridge), forum=forum)


def occupations_of(bridge: pd.DataFrame, qualification: str) -> list[str]:
    """The occupations a qualification leads to, heaviest first."""
    rows = bridge[bridge["qualification"] == qualification].sort_values("weight", ascending=False)
    return rows["occupation"].tolist()


def qualifications_of(bridge: pd.DataFrame) -> dict[str, list[str]]:
    """Per occupation, the qualifications leading to it, heaviest first."""
    rows = bridge.sort_values("weight", ascending=False)
    return rows.groupby("occupation")["qualification"].agg(list).to_dict()


def merge(bridge: pd.DataFrame, confirmed: pd.DataFrame) -> pd.DataFrame:
    """The map with the forum's confirmed links (``qualification, occupation, weight, note``)
    added or marked ``forum``: the map as a forum output."""
    if confirmed.empty:
        return bridge.copy()
    new = confirmed.assign(source="forum")[
        ["qualification", "occupation", "weight", "note", "source"]
    ]
    keys = ["qualification", "occupation"]
    kept = bridge.merge(new[keys], on=keys, how="left", indicator=True)
    kept = bridge[(kept["_merge"] == "left_only").to_numpy()]
    return pd.concat([kept, new], ignore_index=True).sort_values(keys).reset_index(drop=True)
