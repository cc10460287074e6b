"""Funding periods (rahoituskausi): 1 July to 30 June.

The kit writes a period as ``"2020-21"`` (1.7.2020–30.6.2021). Vipunen writes the same period as
``"01.07.2020 - 30.06.2021"``; :func:`parse` reads both and a few other common spellings. Feedback
given in a period feeds the funding of the year after its end (varainhoitovuosi): 2020-21 → 2022.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

_SHORT = re.compile(r"^\s*(\d{4})\s*[-–/]\s*(\d{2}|\d{4})\s*$")
_VIPUNEN = re.compile(r"^\s*0?1\.0?7\.(\d{4})\s*[-–]\s*30\.0?6\.(\d{4})\s*$")


def label(start_year: int) -> str:
    """The period that starts on 1 July of ``start_year``: ``label(2020) == "2020-21"``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def start_year(period: str) -> int:
    """The calendar year in which ``period`` starts: ``start_year("2020-21") == 2020``."""
    return int(period[:4])


def funding_year(period: str) -> int:
    """The budget year (varainhoitovuosi) that ``period`` feeds: its end year + 1."""
    return start_year(period) + 2


def parse(text: object) -> str | None:
    """Read a period written as ``2020-21``, ``2020-2021``, ``2020–21`` or ``01.07.2020 - 30.06.2021``.

    Returns the kit's label, or ``None`` when ``text`` is no funding period (for example when the
    end year is not the start year + 1).
    """
    if text is None:
        return None
    s = str(text)
    m = _SHORT.match(s) or _VIPUNEN.match(s)
    if not m:
        return None
    start, end = int(m.group(1)), m.group(2)
    expected_end = start + 1
    if (len(end) == 2 and int(end) != expected_end % 100) or (
        len(end) == 4 and int(end) != expected_end
    ):
        return None
    return label(start)


def of_dates(days: pd.Series) -> pd.Series:
    """The period that contains each day of a datetime Series (a period starts on 1 July)."""
    start = days.dt.year - (days.dt.month < 7).astype(int)
    return start.map(label)


def span(first: str, last: str) -> list[str]:
    """Every period from ``first`` to ``last`` inclusive."""
    return [label(y) for y in range(start_year(first), start_year(last) + 1)]


def bounds(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of ``period``."""
    y = start_year(period)
    return dt.date(y, 7, 1), dt.date(y + 1, 6, 30)
