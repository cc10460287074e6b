"""A provider's key figures (tunnusluvut) per calendar year: student-years, students, new
students, qualifications, drop-outs, graduates and those employed or studying after (the file
kind ``key_figures``; the scorecards of workshop 3 are computed from them).

The file columns are Finnish, as in Vipunen (``opiskelijavuodet``, ``keskeyttaneet``, ...); the
internal form uses English names. Each row counts people, so the derived rates (drop-out rate,
placement rate) are shares of whole cohorts, not of survey respondents.
"""

from __future__ import annotations

import pandas as pd

#: file column → internal column
COLUMNS: dict[str, str] = {
    "ytunnus": "y_tunnus",
    "vuosi": "year",
    "opiskelijavuodet": "student_years",
    "opiskelijat": "students",
    "aloittaneet": "new_students",
    "tutkinnot": "qualifications",
    "keskeyttaneet": "dropouts",
    "valmistuneet": "graduates",
    "tyolliset_tai_jatko_opiskelijat": "employed_or_studying",
}


def from_file(frame: pd.DataFrame) -> pd.DataFrame:
    """A ``key_figures`` file (as :mod:`kit.schemas` types it) in the internal form."""
    out = frame[list(COLUMNS)].rename(columns=COLUMNS).reset_index(drop=True)
    return out.sort_values(["y_tunnus", "year"]).reset_index(drop=True)


def to_file(frame: pd.DataFrame) -> pd.DataFrame:
    """The internal form with the file's column names (the inverse of :func:`from_file`)."""
    return frame.rename(columns={v: k for k, v in COLUMNS.items()})[list(COLUMNS)]
