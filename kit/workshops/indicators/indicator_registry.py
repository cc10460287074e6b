"""The indicator registry and the scorecard perspectives, as data (``data/indicators.csv``,
``data/perspectives.csv``; a facilitator may give files of their own).

Each indicator has an id, fi/sv/en name and definition, numerator, denominator and unit, its
source (``official`` data, the ``kit``'s data, or values the ``partner`` enters), direction,
lag in months and cycle, its links (funding component and weight in the 2026 model, EQAVET
indicator, Kohti huippulaatua goal), a default target and tolerance, the gaming risks to ask
about, and ``compute``: how the kit computes it (:mod:`.values`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from kit import loader, paths
from kit.errors import KitInputError
from kit.i18n import check_lang

#: how values are computed: the part of ``compute`` before ``:``
COMPUTE = (
    "response_rate",
    "correction_factor",
    "mean",
    "low_share",
    "completion",
    "dropout",
    "employment",
    "self_assessment",
)
GAMING = ("timing", "targeting", "ceiling", "contacts", "recording", "cream", "self_rating")


@dataclass(frozen=True)
class IndicatorRegistry:
    """The indicators (``frame``, one row each, in file order) and the perspectives."""

    frame: pd.DataFrame
    perspectives: pd.DataFrame
    source: Path

    def ids(self) -> list[str]:
        return self.frame["id"].tolist()

    def row(self, indicator: str) -> pd.Series:
        found = self.frame[self.frame["id"] == indicator]
        if found.empty:
            raise KitInputError(
                "unknown_value", parameter="indicator", value=indicator, valid=", ".join(self.ids())
            )
        return found.iloc[0]

    def name(self, indicator: str, lang: str | None = None) -> str:
        return str(self.row(indicator)[f"name_{check_lang(lang)}"])

    def perspective_name(self, perspective: str, lang: str | None = None) -> str:
        rows = self.perspectives[self.perspectives["id"] == perspective]
        return str(rows.iloc[0][f"name_{check_lang(lang)}"]) if len(rows) else perspective

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The registry for people to read, in ``lang`` (:func:`display`)."""
        return display(self, lang)


@cache
def _load(indicators: str, perspectives: str) -> IndicatorRegistry:
    where_p = Path(perspectives)
    persp = loader.read(where_p, kind="perspectives").frame.sort_values("order")
    spec_file = Path(indicators)
    from kit import validation
    from kit.readers import read_table
    from kit.workshops.indicators.kinds import KINDS

    shown = paths.relative(spec_file)
    try:
        raw = read_table(spec_file)
    except KitInputError as exc:
        raise exc.with_file(shown) from None
    spec = next(k for k in KINDS if k.name == "indicator_registry")
    given = {"perspectives": tuple(persp["id"])}
    frame = validation.validate(
        spec, raw.frame, raw.headers, shown, loader.lookups_for(spec, given)
    )
    for row, value in frame["compute"].items():
        if str(value).split(":")[0] not in COMPUTE:
            raise KitInputError(
                "bad_choice",
                file=shown,
                row=int(row),
                column="compute",
                value=value,
                valid=", ".join(COMPUTE),
            )
    for row, value in frame["gaming"].dropna().items():
        for key in str(value).split():
            if key not in GAMING:
                raise KitInputError(
                    "bad_choice",
                    file=shown,
                    row=int(row),
                    column="gaming",
                    value=key,
                    valid=", ".join(GAMING),
                )
    return IndicatorRegistry(
        frame=frame.reset_index(drop=True),
        perspectives=persp.reset_index(drop=True),
        source=spec_file,
    )


def load(
    indicators: str | Path | None = None, perspectives: str | Path | None = None
) -> IndicatorRegistry:
    """The registry (default ``data/indicators.csv``) with its perspectives (default
    ``data/perspectives.csv``), checked as the loader checks every file."""
    return _load(
        str(indicators or paths.data_dir() / "indicators.csv"),
        str(perspectives or paths.data_dir() / "perspectives.csv"),
    )


def display(registry: IndicatorRegistry, lang: str | None = None) -> pd.DataFrame:
    """One row per indicator: perspective, name, definition, unit, source, direction, lag,
    funding link and target, with headings in ``lang``."""
    from kit import numbers
    from kit.i18n import t

    lang = check_lang(lang)
    f = registry.frame
    return pd.DataFrame(
        {
            t("ind.col.perspective", lang): f["perspective"].map(
                lambda p: registry.perspective_name(p, lang)
            ),
            t("ind.col.id", lang): f["id"],
            t("ind.col.name", lang): f[f"name_{lang}"],
            t("ind.col.definition", lang): f[f"definition_{lang}"],
            t("ind.col.source", lang): f["source"].map(lambda s: t(f"ind.source.{s}", lang)),
            t("ind.col.direction", lang): f["direction"].map(
                lambda d: t(f"ind.direction.{d}", lang)
            ),
            t("ind.col.lag", lang): f["lag_months"],
            t("ind.col.funding", lang): [
                ""
                if pd.isna(c)
                else f"{t(f'ind.component.{c}', lang)} ({numbers.percent(w, 2, lang)})"
                for c, w in zip(f["funding_component"], f["funding_weight"])
            ],
            t("ind.col.eqavet", lang): f["eqavet"].fillna(""),
            t("ind.col.target", lang): [
                formatted(v, u, lang) for v, u in zip(f["target"], f["unit"])
            ],
        }
    )


def formatted(value: float, unit: str, lang: str | None = None) -> str:
    """A value as people read it, by its unit: shares as percentages, means and factors with
    two decimals, levels with one."""
    import numpy as np

    from kit import numbers

    if value is None or not np.isfinite(value):
        return numbers.MISSING
    if unit == "share":
        return numbers.percent(value, 1, lang)
    if unit == "level":
        return numbers.number(value, 1, lang)
    return numbers.number(value, 2, lang)
