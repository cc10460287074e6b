"""The anonymity rule, enforced once for every table the kit shows or exports.

**Rule.** No mean, distribution, share, count or other figure is shown for a group of 1–4
respondents; its count reads ``"1-4"``, as in Vipunen and Arvo (``raportointi-minimivastaajat
5``). The threshold can be raised (``KIT_PRIVACY_THRESHOLD`` or :func:`set_threshold`), never
lowered below 5.

**Subtraction.** Hiding a small group is not enough when its siblings and their total can be
shown: the total minus the siblings gives the hidden group back. So, within every set of
siblings (groups that differ in one people dimension only), the hidden groups together must
cover either nobody or at least the threshold. Where they do not, the smallest visible sibling
is hidden too (complementary suppression), until the rule holds in every dimension. Its count
then reads as :func:`hidden_label`, not as a number.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping, Sequence

import numpy as np
import pandas as pd

from kit.errors import KitInputError
from kit.i18n import t

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
        raise KitInputError("threshold_not_integer", column=name, value=value) from None
    if number < MINIMUM:
        raise KitInputError("threshold_too_low", column=name, value=number, minimum=MINIMUM)
    return number


def effective(value: int | None) -> int:
    """``value`` if given (checked: never below 5), else the configured threshold."""
    return threshold() if value is None else max(_check(value, "threshold"), threshold())


def hidden_label(lang: str | None = None) -> str:
    """How the count of a group hidden only to protect a small sibling reads."""
    return t("privacy.hidden", lang)


def protect(
    table: pd.DataFrame,
    by: Sequence[str],
    disjoint: Sequence[str],
    figures: Sequence[str],
    *,
    respondents: str = "respondents",
    threshold: int | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Apply the rule to ``table`` (one row per group of ``by``).

    ``disjoint`` are the columns of ``by`` whose values split people into separate groups:
    siblings along them are checked for subtraction. ``figures`` are blanked for hidden groups.
    Adds ``suppressed`` (bool) and ``respondents_label`` (text), and blanks ``respondents``
    for hidden groups with respondents.
    """
    k = effective(threshold)
    out = table.reset_index(drop=True).copy()
    n = out[respondents].fillna(0).astype("int64").to_numpy()
    small = (n > 0) & (n < k)
    hidden = small.copy()
    by = list(by)
    sibling_sets = [_sibling_codes(out, [c for c in by if c != dim]) for dim in disjoint]
    while True:
        changed = False
        for codes in sibling_sets:
            extra = _complement(codes, n, hidden, k)
            if extra.any():
                hidden |= extra
                changed = True
        if not changed:
            break
    secondary = hidden & ~small
    labels = n.astype(str).astype(object)
    labels[small] = small_label(k)
    labels[secondary] = hidden_label(lang)
    out["respondents_label"] = pd.Series(labels, index=out.index, dtype="str")
    out["suppressed"] = hidden
    mask = pd.Series(hidden, index=out.index)
    out[respondents] = out[respondents].astype("Int64").mask(mask)
    for col in figures:
        if col in out:
            if out[col].dtype.kind in "iu":
                out[col] = out[col].astype("Int64")
            out[col] = out[col].mask(mask)
    return out


def breakdown(
    data: pd.DataFrame,
    by: Sequence[str],
    select: Mapping[str, object] | None,
    count: Callable[[pd.DataFrame, list[str]], pd.DataFrame],
    *,
    disjoint: Collection[str],
    figures: Sequence[str],
    threshold: int | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Count ``data`` per group of ``by``, protect the result, and keep the selected values.

    ``count(data, group_by)`` makes one row per group with a ``respondents`` column. A
    selection on a column outside ``by`` is counted as a breakdown into "in" and "out" and
    protected as one, so the whole minus the selection never gives a small group away; a
    selection on a column of ``by`` is applied after protecting all its values.
    """
    by = list(by)
    wanted = {dim: as_list(values) for dim, values in (select or {}).items()}
    marks = []
    for dim, values in wanted.items():
        if dim not in by:
            mark = f"_in_{dim}"
            data = data.assign(**{mark: np.where(data[dim].isin(values), "in", "out")})
            marks.append(mark)
    group_by = [*by, *marks]
    out = protect(count(data, group_by), by=group_by,
                  disjoint=[d for d in group_by if d in disjoint or d in marks],
                  figures=figures, threshold=threshold, lang=lang)
    for dim, values in wanted.items():
        out = out[out[dim].isin(values)] if dim in by else out[out[f"_in_{dim}"] == "in"]
    return out.drop(columns=marks).reset_index(drop=True)


def as_list(value: object) -> list:
    """A selection value as a list: one value, or a list, tuple, set, array or Series of them."""
    if isinstance(value, (list, tuple, set, frozenset, pd.Index, pd.Series, np.ndarray)):
        return list(value)
    return [value]


def _sibling_codes(table: pd.DataFrame, parent: list[str]) -> np.ndarray:
    """A group number per row: rows with the same number are siblings under one parent."""
    if not parent:
        return np.zeros(len(table), dtype=np.int64)
    return table.groupby(parent, sort=False, dropna=False, observed=True).ngroup().to_numpy()


def _complement(codes: np.ndarray, n: np.ndarray, hidden: np.ndarray, k: int) -> np.ndarray:
    """Rows to hide so that, in each sibling set, hidden respondents total 0 or ≥ k.

    In every sibling set that falls short, the smallest visible group with respondents is
    hidden; the caller repeats until nothing changes.
    """
    groups = int(codes.max()) + 1 if len(codes) else 0
    total = np.bincount(codes, weights=np.where(hidden, n, 0), minlength=groups)
    needs = (total > 0) & (total < k)
    candidates = np.flatnonzero(needs[codes] & ~hidden & (n > 0))
    extra = np.zeros(len(codes), dtype=bool)
    if len(candidates):
        order = candidates[np.lexsort((n[candidates], codes[candidates]))]
        first = np.r_[True, codes[order][1:] != codes[order][:-1]]
        extra[order[first]] = True
    return extra


def is_small(count: int | float | None, threshold: int | None = None) -> bool:
    """Whether ``count`` respondents is a small group (1 up to the threshold minus one)."""
    if count is None or pd.isna(count):
        return False
    return 0 < count < effective(threshold)


def count_label(count: int | float | None, threshold: int | None = None) -> str:
    """A respondent count as it may be shown: ``"1-4"`` for a small group, else the number."""
    if count is None or pd.isna(count):
        return ""
    return small_label(effective(threshold)) if is_small(count, threshold) else str(int(count))


def small_label(k: int | None = None) -> str:
    """How a small group's count reads: ``"1-4"`` with the default threshold of 5."""
    return f"1-{(k or threshold()) - 1}"
