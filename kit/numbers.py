"""Numbers as people read them in each language: one format for the whole kit (Babel).

Finnish and Swedish write ``4,07`` and ``1 234`` (a no-break space groups the thousands) and
``53 %``; English writes ``4.07``, ``1,234`` and ``53%``. Every card, table, chart label and
sentence formats its numbers here, so they read the same everywhere. A missing value (a hidden
group, nothing to show) reads ``–``.
"""

from __future__ import annotations

import math
from typing import Any

from babel.numbers import format_decimal, format_percent

#: the Babel locale of each kit language (Swedish as written in Finland)
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
MISSING = "–"


def _locale(lang: str | None) -> str:
    from kit.i18n import check_lang

    return LOCALES[check_lang(lang)]


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # NaN, pandas' NA and NaT all fail or are NaN here
    except (TypeError, ValueError):
        return True


def number(value: Any, decimals: int = 2, lang: str | None = None, *, sign: bool = False) -> str:
    """``value`` with ``decimals`` decimals and grouped thousands; ``sign`` writes ``+``
    before positive values (for changes)."""
    if _missing(value):
        return MISSING
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    pattern = f"+{body};-{body}" if sign else body
    return format_decimal(float(value), format=pattern, locale=_locale(lang))


def integer(value: Any, lang: str | None = None) -> str:
    """A whole number with grouped thousands."""
    return number(value, 0, lang)


def percent(value: Any, decimals: int = 0, lang: str | None = None, *, sign: bool = False) -> str:
    """A share (0.534) as a percentage (``53 %``)."""
    if _missing(value):
        return MISSING
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "%"
    pattern = f"+{body};-{body}" if sign else body
    return format_percent(float(value), format=pattern, locale=_locale(lang))
