"""Occupations by their AML 2010 code (Statistics Finland's ``ammatti_1_20100101``), with names
in fi/sv/en: the join key of labour-market statistics.

``data/reference/isco08_esco.csv`` (kind ``occupations``) holds ``code, level, parent, name_fi,
name_sv, name_en``; ``data/reference/SOURCE.md`` says where it comes from and how complete it
is. AML 2010 follows ISCO-08 at levels 1–4 and adds national five-digit groups. A labour-market
file may also carry the total (``SSS``) and unknown occupations (``X…``), which the
classification does not list (:data:`kit.schemas.OCCUPATION_EXTRA`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from kit import paths
from kit.i18n import check_lang


def path() -> Path:
    """Where the classification is read from."""
    return paths.reference_dir() / "isco08_esco.csv"


@cache
def table() -> pd.DataFrame:
    """``code, level, parent, name_fi, name_sv, name_en``, one row per class."""
    from kit.qualifications import _read

    return _read(path(), "occupations").reset_index(drop=True)


def codes() -> tuple[str, ...]:
    """Every code the classification lists."""
    return tuple(table()["code"])


def names(lang: str | None = None) -> pd.Series:
    """Occupation names in ``lang``, indexed by code."""
    return table().set_index("code")[f"name_{check_lang(lang)}"]


def name(code: object, lang: str | None = None, fallback: str | None = None) -> str:
    """The name of ``code`` in ``lang``; else ``fallback`` (a file's own label), else the code."""
    return str(names(lang).get(str(code), fallback or code))


def major(code: object) -> str:
    """The major group (one digit) of an occupation code."""
    return str(code)[:1]
