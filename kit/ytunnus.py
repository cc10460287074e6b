"""The Finnish business id (Y-tunnus): the key that joins every source.

Names drift between sources and years (``Invalidisäätiö sr`` became ``Live-säätiö``), the
Y-tunnus does not. Its form is seven digits, a hyphen and a check digit. The check digit is
computed from the weights 7, 9, 10, 5, 8, 4, 2: the remainder ``r`` of the weighted sum modulo 11
gives 0 when ``r`` is 0, no valid id when ``r`` is 1, and ``11 - r`` otherwise.
"""

from __future__ import annotations

import re

import pandas as pd

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_FORM = re.compile(r"^\d{7}-\d$")


def check_digit(body: str) -> int | None:
    """The check digit for the seven-digit ``body``, or ``None`` when no id can have this body."""
    remainder = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def is_well_formed(value: str) -> bool:
    """Whether ``value`` looks like ``1234567-8`` (no check-digit test)."""
    return bool(_FORM.match(value))


def is_valid(value: str) -> bool:
    """Whether ``value`` is a well-formed Y-tunnus with the right check digit.

    >>> is_valid("2918298-7"), is_valid("2918298-6")
    (True, False)
    """
    if not isinstance(value, str) or not is_well_formed(value):
        return False
    return check_digit(value[:7]) == int(value[8])


def normalise(value: str) -> str:
    """Trim spaces and restore a lost leading zero (``201375-3`` → ``0201375-3``).

    Spreadsheets often drop the leading zero when a column is read as a number.
    """
    value = str(value).strip()
    if re.match(r"^\d{6}-\d$", value):
        value = "0" + value
    return value


def valid_mask(values: pd.Series) -> pd.Series:
    """Element-wise :func:`is_valid` for a column, as a boolean Series (each distinct id is
    checked once, so long files with few providers stay fast)."""
    return map_distinct(values, is_valid).astype(bool)


def map_distinct(values: pd.Series, fn) -> pd.Series:
    """``values.map(fn)``, calling ``fn`` once per distinct value; missing values stay missing."""
    distinct = values.dropna().unique()
    return values.map(dict(zip(distinct, map(fn, distinct))))


def form_mask(values: pd.Series) -> pd.Series:
    """Element-wise :func:`is_well_formed` for a column, as a boolean Series."""
    return values.astype(str).str.match(_FORM.pattern)
