"""Ratings to and from spreadsheets: a facilitator's own collection in the ``ratings`` kind,
one row per rating (``kit assess import``), every rating a store holds (``kit assess export``),
as CSV or .xlsx, and what the room has shown, per criterion (``kit room export``)."""

from __future__ import annotations

from pathlib import Path

from kit import files, paths
from kit.errors import KitInputError
from kit.i18n import t
from kit.workshops.self_assessment.criteria import LEVELS, load_criteria
from kit.workshops.self_assessment.store import ResponseStore
from kit.workshops.self_assessment.submission import check_response


def export(store: ResponseStore, out: str | Path) -> Path:
    """Write every rating to ``out`` (``.csv`` or ``.xlsx``), one row per rating."""
    out = Path(out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise KitInputError(
            "unknown_value", parameter="--out", value=out.suffix, valid=".csv, .xlsx"
        )
    return files.write_table(store.responses(), out)


def import_file(store: ResponseStore, path: str | Path) -> int:
    """Read ratings from a spreadsheet (the ``ratings`` kind: ``partner, role, assessor,
    criterion, level``, and optionally ``confidence, evidence, idea``; CSV or .xlsx) and store
    one response per partner, role and assessor. The file is checked like any input and every
    row against the store's criteria first; a bad row stops the import with its row and column
    named, and nothing is stored."""
    from kit import loader

    shown = paths.relative(Path(path))
    frame = loader.read(path, kind="ratings").frame
    grouped: dict[tuple, dict] = {}
    for row, r in zip(frame.index, frame.itertuples(index=False)):
        rating = {
            "level": int(r.level),
            "evidence": r.evidence if isinstance(r.evidence, str) else "",
            "idea": r.idea if isinstance(r.idea, str) else "",
        }
        if isinstance(r.confidence, str):
            rating["confidence"] = int(r.confidence)
        response = grouped.setdefault(
            (r.partner, r.role, r.assessor),
            {"partner": r.partner, "role": r.role, "assessor": r.assessor, "ratings": {}},
        )
        response["ratings"][r.criterion] = rating
        try:
            check_response({**response, "ratings": {r.criterion: rating}}, store.criteria_ids)
        except KitInputError as exc:
            column = (exc.parameter or "").split(".")[-1] or None
            if column == r.criterion:
                column = "criterion"
            raise KitInputError(
                exc.reason,
                file=shown,
                row=int(row),
                column=column if column in frame.columns else None,
                **exc.params,
            ) from None
    for response in grouped.values():
        store.submit(response)
    return len(grouped)


def export_room(path: str | Path, out: str | Path, lang: str | None = None) -> Path:
    """``kit room export self_assessment``: the room's last shown state per criterion
    (ratings at each level, n and median, through the privacy rule) as
    ``self_assessment_room.xlsx`` in ``out``, with an about sheet; returns the file."""
    import pandas as pd

    from kit import room as rooms
    from kit.workshops.self_assessment import assessment
    from kit.workshops.self_assessment.criteria import criterion_names, level_names

    store = ResponseStore(path)
    table = assessment.room(store.responses())
    names, levels = criterion_names(load_criteria(), lang), level_names(lang)
    table.insert(1, "name", table["criterion"].map(names))
    table = table.rename(
        columns={
            "criterion": t("assessment.col.criterion", lang),
            "name": t("assessment.col.name", lang),
            "n": "n",
            "median": t("assessment.col.median", lang),
            **{f"n_{v}": f"{v} {levels[v]}" for v in LEVELS},
        }
    )
    about = pd.DataFrame({t("room.sheet_about", lang): rooms.about(store, store.label(lang), lang)})
    return files.write_sheets(
        Path(out) / "self_assessment_room.xlsx",
        {t("live.room_sheet", lang): table, t("room.sheet_about", lang): about},
    )
