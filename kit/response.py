"""Survey response: how many were asked (targeted) and how many answered.

The internal form is long: one row per provider × funding period × survey with ``targeted`` and
``answered``. Vipunen's confirmed-counts file is wide (``Kyselyn kohteena olleet_A``,
``Vastanneet_A``, ...); :func:`from_counts` and :func:`to_counts` convert between the two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from kit import privacy
from kit.errors import KitInputError
from kit.schemas import COUNT_SUFFIX

COLUMNS = ["y_tunnus", "provider_name", "period", "survey", "targeted", "answered"]
KEYS = ["y_tunnus", "period", "survey"]
FIGURES = ["answered", "response_rate"]


def empty() -> pd.DataFrame:
    """A long response table with no rows (own data without confirmed counts)."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in COLUMNS})
    return frame.astype({"targeted": "Int64", "answered": "Int64"})


def from_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Vipunen's wide confirmed counts (as :mod:`kit.schemas` types them) → the long form.

    Surveys a provider did not run (both cells empty) are left out.
    """
    parts = []
    name = counts.get("koulutuksen_jarjestajan_nimi", pd.Series("", index=counts.index))
    for survey, suffix in COUNT_SUFFIX.items():
        targeted = counts.get(f"kyselyn_kohteena_olleet_{suffix}")
        answered = counts.get(f"vastanneet_{suffix}")
        if targeted is None or answered is None:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "y_tunnus": counts["koulutuksen_jarjestajan_y_tunnus"],
                    "provider_name": name.fillna(""),
                    "period": counts["tilastokausi"],
                    "survey": survey,
                    "targeted": targeted.astype("Int64"),
                    "answered": answered.astype("Int64"),
                }
            )
        )
    long = pd.concat(parts, ignore_index=True)
    long = long[long["targeted"].notna() | long["answered"].notna()]
    return long.sort_values(KEYS).reset_index(drop=True)[COLUMNS]


def providers(counts: pd.DataFrame) -> pd.DataFrame:
    """Every provider of a confirmed-counts file (also those that ran no survey):
    ``y_tunnus, provider_name``."""
    name = counts.get("koulutuksen_jarjestajan_nimi", pd.Series("", index=counts.index))
    out = pd.DataFrame(
        {"y_tunnus": counts["koulutuksen_jarjestajan_y_tunnus"], "provider_name": name.fillna("")}
    )
    return out.drop_duplicates("y_tunnus").sort_values("y_tunnus").reset_index(drop=True)


def to_counts(long: pd.DataFrame, everyone: pd.DataFrame | None = None) -> pd.DataFrame:
    """The long form → Vipunen's wide layout, one row per provider and period.

    ``everyone`` (``y_tunnus, provider_name``) adds empty rows for providers without any survey
    in a period, as Vipunen's file has them.
    """
    from kit import periods

    wide = long.pivot_table(
        index=["period", "y_tunnus", "provider_name"],
        columns="survey",
        values=["targeted", "answered"],
        aggfunc="sum",
    )
    if everyone is not None:
        full = pd.MultiIndex.from_tuples(
            [
                (p, y, n)
                for p in sorted(long["period"].unique())
                for y, n in zip(everyone["y_tunnus"], everyone["provider_name"])
            ],
            names=wide.index.names,
        )
        wide = wide.reindex(full)
    out = pd.DataFrame(index=wide.index)
    for survey, suffix in COUNT_SUFFIX.items():
        if ("targeted", survey) in wide:
            out[f"Kyselyn kohteena olleet_{suffix.upper()}"] = wide[("targeted", survey)].astype(
                "Int64"
            )
            out[f"Vastanneet_{suffix.upper()}"] = wide[("answered", survey)].astype("Int64")
    out = out.reset_index()
    first, last = zip(*(periods.bounds(p) for p in out["period"]))
    out.insert(0, "Tilastokausi", [f"{a:%d.%m.%Y} - {b:%d.%m.%Y}" for a, b in zip(first, last)])
    out = out.drop(columns="period").rename(
        columns={
            "y_tunnus": "Koulutuksen järjestäjän Y-tunnus",
            "provider_name": "Koulutuksen järjestäjän nimi",
        }
    )
    return out


def with_rate(response: pd.DataFrame) -> pd.DataFrame:
    """*Unprotected.* Add ``response_rate`` = answered / targeted (missing where nobody was targeted)."""
    out = response.copy()
    targeted = out["targeted"].astype("Float64")
    out["response_rate"] = (out["answered"].astype("Float64") / targeted).mask(targeted <= 0)
    return out


def summary(
    response: pd.DataFrame,
    by: Sequence[str] = ("y_tunnus", "period", "survey"),
    select: Mapping[str, object] | None = None,
    *,
    lang: str | None = None,
) -> pd.DataFrame:
    """Targeted and answered counts and response rates per group of ``by``, as published.

    These are participation counts, not results: Vipunen publishes them for every provider and
    survey, groups of 1–4 respondents included, and they decide money, so they are shown in
    full (:func:`kit.privacy.participation`). Selecting several values of a dimension adds them
    up. ``lang`` is accepted for symmetry with the result tables.
    """
    unknown = [c for c in [*by, *(select or {})] if c not in KEYS]
    if unknown:
        raise KitInputError(
            "unknown_dimension", parameter="by", value=unknown[0], valid=", ".join(KEYS)
        )
    rows = response
    for dim, wanted in (select or {}).items():
        rows = rows[rows[dim].isin(privacy.as_list(wanted))]
    return privacy.participation(_count(rows, list(by)))


def _count(data: pd.DataFrame, group_by: list[str]) -> pd.DataFrame:
    table = (
        data.groupby(group_by, as_index=False, sort=True)[["targeted", "answered"]].sum()
        if group_by
        else data[["targeted", "answered"]].sum().to_frame().T
    )
    table = with_rate(table.astype({"targeted": "Int64", "answered": "Int64"}))
    table["respondents"] = table["answered"]
    return table
