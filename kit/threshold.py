"""The privacy threshold: the smallest group whose results may be shown (5 by default).

One number for the whole kit: raised with ``KIT_PRIVACY_THRESHOLD`` (or :func:`set_threshold`
in a process), never lowered below :data:`MINIMUM`. :mod:`kit.privacy` applies it to every
result table and :mod:`kit.room` to every live room's steps; both read it here. This module
imports nothing heavy, so the lean app kernels (the form, the vote) can follow it without
loading pandas.
"""

from __future__ import annotations

import os

from kit.errors import KitInputError

MINIMUM = 5
_threshold: int | None = None


def threshold() -> int:
    """The smallest group size whose figures may be shown (default 5)."""
    if _threshold is not None:
        return _threshold
    raw = os.environ.get("KIT_PRIVACY_THRESHOLD")
    return _check(raw, "KIT_PRIVACY_THRESHOLD") if raw else MINIMUM


def set_threshold(value: int | None) -> int:
    """Raise the threshold for this process (``None`` goes back to the default).

    Raises :class:`KitInputError` for anything below 5: the rule can only be made stricter.
    """
    global _threshold
    _threshold = None if value is None else _check(value, "threshold")
    return threshold()


def _check(value: object, name: str) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise KitInputError("threshold_not_integer", parameter=name, value=value) from None
    if number < MINIMUM:
        raise KitInputError("threshold_too_low", parameter=name, value=number, minimum=MINIMUM)
    return number


def effective(value: int | None) -> int:
    """``value`` if given (checked: never below 5), else the configured threshold."""
    return threshold() if value is None else max(_check(value, "threshold"), threshold())
