"""The files workshop 2 reads: the criteria, their level descriptors and ratings from a
spreadsheet (``kit assess import``). Registered with the core through the workshop's ``kinds``;
:mod:`kit.loader` detects and checks them like the core's kinds."""

from __future__ import annotations

from kit.schemas import WORDING, Col, Kind

#: ``criteria`` (``data/criteria.csv``), ``criteria_levels`` and ``ratings``
KINDS: tuple[Kind, ...] = (
    Kind(
        "criteria",
        (
            Col("id"),
            Col("area"),
            Col("priority", "choice", choices=("high", "normal"), case="lower"),
            Col("name_fi"),
            Col("name_sv"),
            Col("name_en"),
            Col("focus_fi", nullable=True),
            Col("focus_sv", nullable=True),
            Col("focus_en", nullable=True),
            Col("quality_strategy", nullable=True, required=False),
            Col("eqavet", nullable=True, required=False),
            Col("efqm", nullable=True, required=False),
            Col("peer_review", nullable=True, required=False),
            WORDING,
        ),
        key=("id",),
    ),
    Kind(
        "criteria_levels",
        (
            Col("criterion"),
            Col("level", "choice", choices=("0", "1", "2", "3", "4")),
            Col(
                "key",
                "choice",
                choices=("puuttuva", "alkava", "kehittyva", "edistynyt", "erinomainen"),
                case="lower",
            ),
            Col("descriptor_fi"),
            Col("descriptor_sv"),
            Col("descriptor_en"),
            WORDING,
        ),
        key=("criterion", "level"),
    ),
    Kind(
        "ratings",
        (
            Col("partner", case="lower"),
            Col("role", "choice", choices=("self", "peer"), case="lower"),
            Col("assessor"),
            Col("criterion", case="upper"),
            Col("level", "choice", choices=("0", "1", "2", "3", "4")),
            Col("confidence", "choice", choices=("1", "2", "3"), required=False, nullable=True),
            Col("evidence", required=False, nullable=True),
            Col("idea", required=False, nullable=True),
        ),
        key=("partner", "role", "assessor", "criterion"),
    ),
)
