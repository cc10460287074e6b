"""Qualification names in fi/sv/en (``data/qualifications.csv``; ids are the kit's own)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from kit import paths
from kit.i18n import check_lang


@cache
def table() -> pd.DataFrame:
    """``id, name_fi, name_sv, name_en``."""
    from kit.loader import read

    return read(paths.data_dir() / "qualifications.csv", kind="qualifications").frame.reset_index(drop=True)


def names(lang: str | None = None) -> pd.Series:
    """Qualification names in ``lang``, indexed by id."""
    return table().set_index("id")[f"name_{check_lang(lang)}"]


def ids() -> list[str]:
    """Every qualification id."""
    return table()["id"].tolist()
