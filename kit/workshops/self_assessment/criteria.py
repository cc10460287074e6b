"""The self-assessment criteria as data: names, focus, framework links and level descriptors.

**Criteria** are data (``data/criteria.csv`` and ``data/criteria_levels.csv``): each has an id,
an area, a priority, names and a focus in fi/sv/en, links to the frameworks (Kohti huippulaatua
goals, EQAVET indicative descriptors, EFQM 2020 sub-criteria, European Peer Review quality
areas) and descriptors for the five levels puuttuva (0) … erinomainen (4). Descriptors given for
criterion ``*`` apply to every criterion that has none of its own. ``wording`` says whose words
they are (``kit`` = the kit's own paraphrase). A facilitator can pass their own files; they are
checked like any other input.

The form's kernel reads the criteria through :func:`plain` (checked once, then plain JSON:
:mod:`kit.snapshots`), so it never imports pandas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kit import paths, snapshots
from kit.errors import KitInputError
from kit.i18n import LANGS, check_lang, t

LEVELS = (0, 1, 2, 3, 4)
LEVEL_KEYS = ("puuttuva", "alkava", "kehittyva", "edistynyt", "erinomainen")

if TYPE_CHECKING:  # pragma: no cover - only for the type hints
    import pandas as pd


def load_criteria(path: str | Path | None = None, levels: str | Path | None = None) -> pd.DataFrame:
    """The criteria as a DataFrame with an ``id`` column, one row per criterion, and the level
    descriptors as columns ``level_0_fi`` … ``level_4_en`` (the criterion's own, else the
    common ``*`` ones). Both files are read and checked by :mod:`kit.loader`."""
    from kit import loader

    crit_path = Path(path) if path else paths.data_dir() / "criteria.csv"
    lev_path = (
        Path(levels)
        if levels
        else (
            crit_path.with_name("criteria_levels.csv")
            if path
            else paths.data_dir() / "criteria_levels.csv"
        )
    )
    crit = loader.read(crit_path, kind="criteria").frame.reset_index(drop=True)
    lev = loader.read(lev_path, kind="criteria_levels").frame.reset_index(drop=True)
    lev["level"] = lev["level"].astype(int)
    unknown = sorted(set(lev["criterion"]) - set(crit["id"]) - {"*"})
    if unknown:
        raise KitInputError(
            "criteria_unknown_in_levels",
            file=paths.relative(lev_path),
            column="criterion",
            value=unknown[0],
        )
    out = crit.copy()
    for level in LEVELS:
        for lang in LANGS:
            common = lev[(lev["criterion"] == "*") & (lev["level"] == level)]
            default = common[f"descriptor_{lang}"].iloc[0] if len(common) else ""
            own = lev[lev["level"] == level].set_index("criterion")[f"descriptor_{lang}"]
            out[f"level_{level}_{lang}"] = out["id"].map(own).fillna(default)
    missing = out[[f"level_{v}_fi" for v in LEVELS]].eq("").any(axis=1)
    if missing.any():
        raise KitInputError(
            "criteria_missing_levels",
            file=paths.relative(lev_path),
            value=out.loc[missing, "id"].iloc[0],
        )
    if "wording" in out:
        out["wording"] = out["wording"].fillna("kit").replace("", "kit")
    return out


def plain() -> list[dict[str, str]]:
    """The bundled criteria as plain dicts (the columns of :func:`load_criteria`, empty text
    for a missing value), checked once and then read from :mod:`kit.snapshots`."""
    sources = [paths.data_dir() / "criteria.csv", paths.data_dir() / "criteria_levels.csv"]

    def build() -> list[dict[str, str]]:
        frame = load_criteria()
        return [
            {k: ("" if v != v or v is None else str(v)) for k, v in row.items()}
            for row in frame.to_dict("records")
        ]

    return snapshots.plain("criteria", sources, build)


def criterion_ids() -> list[str]:
    """The bundled criteria's ids, in order."""
    return [c["id"] for c in plain()]


def area_of(criteria: Sequence[Mapping[str, str]]) -> dict[str, list[str]]:
    """The criteria's ids by area, areas in the order they first appear."""
    out: dict[str, list[str]] = {}
    for c in criteria:
        out.setdefault(c["area"], []).append(c["id"])
    return out


def criterion_names(criteria: pd.DataFrame, lang: str | None = None) -> pd.Series:
    """Criterion names in ``lang``, indexed by id."""
    return criteria.set_index("id")[f"name_{check_lang(lang)}"]


def level_names(lang: str | None = None) -> dict[int, str]:
    """``{0: "Puuttuva", …}`` in ``lang``."""
    return {v: t(f"selfassess.level.{k}", lang) for v, k in zip(LEVELS, LEVEL_KEYS)}
