"""The guidance-material register: guides and forms per phase and audience, and what is out
of date or missing.

``data/wbl_materials.csv`` (kind ``wbl_materials``, checked by :mod:`kit.loader`) has one row
per material: ``id, phase, audience`` (``student``, ``instructor`` = workplace instructors,
``assessor`` = working-life assessors), ``title``, ``kind``, ``owner``, ``location`` (a URL or
a document-system id), ``version``, ``last_review`` and ``next_review``. The bundled register
is a **demo**, invented for the workshop (its locations are ``example.invalid`` and made-up
document ids); a provider passes its own.

:func:`status` judges each material on a day: **out of date** when its next review has passed
(or, without one, when its last review is over :data:`MAX_AGE_DAYS` old), **incomplete** when
it has no owner, location, version or next review date, else **current**. :func:`gaps` lists,
per phase and audience that needs material (the phase's actors), what is missing or out of
date, and :func:`review_list` is the table to export.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from kit import files, paths
from kit.errors import KitInputError
from kit.workshops.work_based_learning.phases import Process

#: without a next review date, a material older than this is out of date
MAX_AGE_DAYS = 365
STATES = ("missing", "out_of_date", "incomplete", "current")
BUNDLED = "wbl_materials.csv"


def load(path: str | Path | None = None, process: Process | None = None) -> pd.DataFrame:
    """The register from ``path`` (default the bundled demo), checked; with ``process``, every
    material's phase must be one of its phases."""
    from kit import loader

    where = Path(path) if path else paths.data_dir() / BUNDLED
    frame = loader.read(where, kind="wbl_materials").frame
    if process is not None:
        unknown = frame[~frame["phase"].isin(process.ids())]
        if len(unknown):
            row = int(unknown.index[0])
            raise KitInputError(
                "bad_choice",
                file=paths.relative(where),
                row=row,
                column="phase",
                value=unknown.at[row, "phase"],
                valid=", ".join(process.ids()),
            )
    return frame


def is_demo(path: str | Path | None) -> bool:
    """Whether ``path`` is the bundled demo register."""
    return not path or Path(path).resolve() == (paths.data_dir() / BUNDLED).resolve()


def status(register: pd.DataFrame, today: dt.date | None = None) -> pd.DataFrame:
    """The register with ``state`` (one of :data:`STATES` but ``missing``) and ``why`` (what
    is missing: ``owner``, ``location``, ``version``, ``next_review``; or ``review_due``)."""
    today = pd.Timestamp(today or dt.date.today())
    out = register.copy()
    nxt = pd.to_datetime(out["next_review"], errors="coerce")
    last = pd.to_datetime(out["last_review"], errors="coerce")
    due = (nxt < today).fillna(False) | (
        nxt.isna() & ((today - last).dt.days > MAX_AGE_DAYS).fillna(True)
    )
    lacking = out[["owner", "location", "version", "next_review"]].isna()
    out["why"] = lacking.apply(lambda r: ", ".join(c for c, v in r.items() if v), axis=1)
    out.loc[due, "why"] = ("review_due, " + out.loc[due, "why"]).str.rstrip(", ")
    out["state"] = "current"
    out.loc[lacking.any(axis=1), "state"] = "incomplete"
    out.loc[due, "state"] = "out_of_date"
    return out


def gaps(register: pd.DataFrame, process: Process, today: dt.date | None = None) -> pd.DataFrame:
    """One row per phase and audience that needs material: ``phase, audience, state`` (the
    best state among its materials, ``missing`` when it has none), ``materials`` (their ids)
    and ``count``."""
    judged = status(register, today)
    rank = {s: i for i, s in enumerate(STATES)}
    rows = []
    for _, need in process.needed().iterrows():
        mine = judged[(judged["phase"] == need["phase"]) & (judged["audience"] == need["audience"])]
        state = max(mine["state"], key=lambda s: rank[s]) if len(mine) else "missing"
        rows.append(
            {
                "phase": need["phase"],
                "audience": need["audience"],
                "state": state,
                "materials": ", ".join(mine["id"]),
                "count": len(mine),
            }
        )
    return pd.DataFrame(rows)


def review_list(
    register: pd.DataFrame, process: Process, today: dt.date | None = None
) -> pd.DataFrame:
    """What needs work, in process order: every material out of date or incomplete, and a row
    for every phase and audience without material: ``phase, audience, id, title, owner,
    location, version, last_review, next_review, state, why``."""
    judged = status(register, today)
    todo = judged[judged["state"] != "current"].copy()
    missing = gaps(register, process, today)
    missing = missing[missing["state"] == "missing"][["phase", "audience"]].assign(
        state="missing", why=""
    )
    out = pd.concat([todo, missing], ignore_index=True)
    order = {p: i for i, p in enumerate(process.ids())}
    out["_o"] = out["phase"].map(order)
    out = out.sort_values(["_o", "audience"], kind="stable").drop(columns="_o")
    cols = [
        "phase",
        "audience",
        "id",
        "title",
        "owner",
        "location",
        "version",
        "last_review",
        "next_review",
        "state",
        "why",
    ]
    for c in cols:
        if c not in out:
            out[c] = pd.NA
    return out[cols].reset_index(drop=True)


def export(table: pd.DataFrame, name: str, folder: str | Path | None = None) -> str:
    """Write ``table`` as ``<name>.xlsx`` under ``work_based_learning/`` in the reports folder
    (a copy someone has edited is kept: :func:`kit.files.keep_edits`); returns the path."""
    where = Path(folder) if folder else paths.reports_dir() / "work_based_learning"
    target = files.write_table(table, files.keep_edits(where / f"{name}.xlsx"))
    files.remember(target)
    return paths.relative(target)
