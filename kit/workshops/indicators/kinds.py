"""The files workshop 3 reads: the indicator registry and the scorecards' perspectives.
Registered with the core through the workshop's ``kinds``; the registry's perspectives are
checked against the lookup ``perspectives`` (:func:`perspective_ids`)."""

from __future__ import annotations

from kit.schemas import WORDING, Col, Kind

#: ``indicator_registry`` (``data/indicators.csv``) and ``perspectives``
KINDS: tuple[Kind, ...] = (
    Kind(
        "indicator_registry",
        (
            Col("id", case="upper"),
            Col("perspective", "choice", case="lower"),
            Col("name_fi"),
            Col("name_sv"),
            Col("name_en"),
            Col("definition_fi"),
            Col("definition_sv"),
            Col("definition_en"),
            Col("numerator", nullable=True),
            Col("denominator", nullable=True),
            Col("unit", "choice", choices=("share", "mean", "factor", "level"), case="lower"),
            Col("source", "choice", choices=("official", "kit", "partner"), case="lower"),
            Col("compute"),
            Col("direction", "choice", choices=("higher", "lower"), case="lower"),
            Col("lag_months", "count"),
            Col(
                "cycle",
                "choice",
                choices=("month", "half_year", "period", "year", "workshop"),
                case="lower",
            ),
            Col("funding_component", nullable=True, case="lower"),
            Col("funding_weight", "decimal", nullable=True),
            Col("eqavet", nullable=True),
            Col("quality_strategy", nullable=True),
            Col("target", "decimal", nullable=True),
            Col("tolerance", "decimal", nullable=True),
            Col("gaming", nullable=True, case="lower"),
            WORDING,
        ),
        key=("id",),
        choices={"perspective": "perspectives"},
    ),
    Kind(
        "perspectives",
        (
            Col("id", case="lower"),
            Col("order", "count"),
            Col("name_fi"),
            Col("name_sv"),
            Col("name_en"),
        ),
        key=("id",),
    ),
)


def perspective_ids() -> tuple[str, ...]:
    """The lookup ``perspectives``: the ids of ``data/perspectives.csv``."""
    from kit import loader, paths

    return tuple(
        loader.read(paths.data_dir() / "perspectives.csv", kind="perspectives").frame["id"]
    )
