"""The files workshop 5 reads, as they are downloaded: StatFin ``tyonv/12ti`` (PC-Axis or
JSON-stat 2, read by :mod:`kit.statfiles` into ``labour_market``), Vipunen's
``amm_opiskelijat_ja_tutkinnot_vuosi_tutkinto`` (API JSON, CSV or xlsx: ``supply``) and the
network's hand-curated bridge (``occupation_map``). Registered with the core through the
workshop's ``kinds``; codes are checked against the core's lookups ``occupation_codes`` and
``qualification_codes``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit.schemas import Col, Kind, Rule

if TYPE_CHECKING:
    import pandas as pd


def _known(column: str, lookup: str, reason: str) -> tuple[Rule, ...]:
    """Every value of ``column`` is one of lookup ``lookup`` (the occupation classification,
    the official qualification codes); an empty cell is not checked."""
    return (
        Rule(
            reason,
            column,
            lambda f, lookups: f[column].isna() | f[column].isin(lookups[lookup]),
            lambda f, row: {"value": f.at[row, column]},
        ),
    )


def _weight_rules() -> tuple[Rule, ...]:
    """A bridge weight lies in (0, 1]."""
    return (
        Rule(
            "bridge_weight",
            "weight",
            lambda f, _l: ((f["weight"] > 0) & (f["weight"] <= 1)).fillna(False),
            lambda f, row: {"value": f.at[row, "weight"]},
        ),
    )


def _cube_summary(frame: pd.DataFrame, lang: str | None) -> str:
    """Regions, occupations and months of a labour-market cube, for its one-line description."""
    from kit.i18n import t

    months = sorted(frame["kuukausi"].dropna().unique())
    return t(
        "summary.cube",
        lang,
        regions=frame["alue"].nunique(),
        occupations=frame["ammatti"].nunique(),
        first=months[0],
        last=months[-1],
    )


#: ``labour_market`` (a statistics cube), ``supply`` and ``occupation_map``
KINDS: tuple[Kind, ...] = (
    Kind(
        "labour_market",
        (
            Col("alue", case="upper", label="Alue"),
            Col("alue_nimi", nullable=True, required=False),
            Col("ammatti", case="upper", label="Ammattiryhmä"),
            Col("ammatti_nimi", nullable=True, required=False),
            Col("kuukausi", "month", label="Kuukausi"),
            Col(
                "tiedot",
                "choice",
                choices=("TYOTTOMATLOPUSSA", "AVPAIKATLOPUSSA"),
                case="upper",
                label="Tiedot",
            ),
            Col("arvo", "count", nullable=True, label="DATA"),
        ),
        key=("alue", "ammatti", "kuukausi", "tiedot"),
        cube=True,
        summary=_cube_summary,
        rules=_known("ammatti", "occupation_codes", "unknown_occupation"),
        needs=("occupation_codes",),
    ),
    Kind(
        "supply",
        (
            Col("tilastovuosi", "year", label="tilastovuosi"),
            Col("koodi_tutkinto", "qualification_code", label="koodiTutkinto"),
            Col("tutkinto", required=False, nullable=True),
            Col("tutkintotyyppi", required=False, nullable=True),
            Col("suorituksen_tyyppi", required=False, nullable=True),
            Col("koodi_koulutuksen_jarjestaja", "ytunnus", label="koodiKoulutuksenJarjestaja"),
            Col("koulutuksen_jarjestaja", required=False, nullable=True),
            Col("uudet_opiskelijat_lkm", "count", nullable=True, label="uudetOpiskelijatLkm"),
            Col("opiskelijat_lkm", "count", nullable=True, label="opiskelijatLkm"),
            Col(
                "tutkinnon_suorittaneet_lkm",
                "count",
                nullable=True,
                label="tutkinnonSuorittaneetLkm",
            ),
        ),
        years="tilastovuosi",
        rules=_known("koodi_tutkinto", "qualification_codes", "unknown_qualification"),
        needs=("qualification_codes",),
    ),
    Kind(
        "occupation_map",
        (
            Col("qualification", "qualification_code"),
            Col("occupation", case="upper"),
            Col("weight", "decimal"),
            Col("note", nullable=True),
            Col("source", "choice", choices=("network", "forum"), case="lower"),
        ),
        key=("qualification", "occupation"),
        rules=(
            *_known("qualification", "qualification_codes", "unknown_qualification"),
            *_known("occupation", "occupation_codes", "unknown_occupation"),
            *_weight_rules(),
        ),
        needs=("qualification_codes", "occupation_codes"),
    ),
)
